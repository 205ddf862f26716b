//! Waiting for backup jobs: to their end ([`Client::wait_for_job`]), as a stream of progress
//! that can also be awaited ([`Client::watch_job`]), or behind a backup already running
//! ([`Client::start_backup_when_idle`], [`Client::run_schedule_when_idle`]).
//!
//! - **End.** `SUCCEEDED` ends the wait with the job's status; `FAILED` with
//!   [`WaitError::JobFailed`]. Every other state, known or not, counts as running.
//! - **When to read** is the [`Backoff`]'s choice ([`ProgressAware`] by default), never past the
//!   deadline ([`WaitOptions::time_limit`] or [`WaitOptions::deadline`]): the last read is at it.
//!   [`WaitOptions::stall_timeout`] gives up earlier on a job that stopped moving.
//! - **Faults** are the [`FaultPolicy`]'s choice ([`RetryTransient`] by default).
//! - **Time** is tokio's clock, so tests run on a paused clock. Each wait is a `tracing` span;
//!   each read an event (job, state, progress, next delay), never a secret.
//!
#![doc = include_str!("performance.md")]

mod options;
mod poller;
mod progress;
mod restore;
mod watch;
mod when_idle;

#[cfg(test)]
mod simulation;

pub use crate::error::{
    BlockingJob, JobFailed, NotStarted, NotStartedReason, ReadFailed, RecoveryWaitError, Stalled,
    TimedOut, WaitError, WaitSummary,
};
pub use crate::human::HumanDuration;
pub use crate::retry::backoff::{Backoff, ConstantBackoff, ExponentialBackoff, PollContext};
pub use crate::retry::faults::{FailureStreak, FaultAction, FaultPolicy, RetryTransient};
pub use options::WaitOptions;
pub use progress::{EndEstimate, ProgressAware};
pub use restore::RESTORE_OUTAGE;
pub use watch::JobWatch;
pub use when_idle::IdleStart;

use tracing::Instrument;

use crate::{BackupRequest, Client, JobId, JobStatus};

impl Client {
    /// Waits until the backup job `job` ends, reading its status on the schedule and within the
    /// deadline of `options`.
    ///
    /// Returns the final status if the job `SUCCEEDED`, otherwise a [`WaitError`] saying what
    /// happened. The same as awaiting [`Client::watch_job`].
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).paused().job_secs(3600).run(async |sim, client, request| {
    /// # use std::time::Duration;
    /// use vcsa_backup::wait::{WaitError, WaitOptions};
    ///
    /// let job = client.start_backup(&request).await?;
    /// let options = WaitOptions::default().time_limit(Duration::from_secs(4 * 3600));
    /// match client.wait_for_job(&job.id, &options).await {
    ///     Ok(status) => println!("backup {} done", status.id),
    ///     Err(WaitError::JobFailed(failed)) => {
    ///         eprintln!("backup failed: {:?}", failed.status.messages)
    ///     }
    ///     Err(WaitError::TimedOut(timed_out)) => {
    ///         eprintln!("still running after {:?}: {:?}", timed_out.time_limit, timed_out.last_status)
    ///     }
    ///     Err(e) => eprintln!("could not follow the backup: {e}"),
    /// }
    /// # Ok(()) })
    /// ```
    pub async fn wait_for_job(
        &self,
        job: &JobId,
        options: &WaitOptions,
    ) -> Result<JobStatus, WaitError> {
        self.watch_job(job, options).await
    }

    /// Watches the backup job `job`: a [`JobWatch`] of its status updates (dropping it stops the
    /// reads, never the backup; its example streams them). The deadline of `options` runs from
    /// this call.
    pub fn watch_job(&self, job: &JobId, options: &WaitOptions) -> JobWatch {
        JobWatch::new(self, job, options)
    }

    /// Starts a backup, waiting first for a backup or restore already in progress.
    ///
    /// Tries [`Client::start_backup`]; while the appliance answers that a backup is already in
    /// progress ([`Error::BackupInProgress`](crate::Error::BackupInProgress)), waits for the
    /// newest job in the job list to end and tries again, all within the deadline of `options`.
    /// When no running job can be found (a restore, or a job not listed yet), it tries again
    /// after the backoff. [`IdleStart::blocked_by`] lists the jobs it waited for and for how long.
    ///
    /// A start that fails for another reason ends at once with [`WaitError::NotStarted`]
    /// ([`NotStartedReason::Refused`]). Failed starts are never retried on a transient error:
    /// the appliance may have started the backup before the answer was lost, and a retry would
    /// then queue a second backup behind the first.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).paused().job_secs(900).run(async |sim, client, request| {
    /// use vcsa_backup::JobState;
    /// use vcsa_backup::wait::WaitOptions;
    ///
    /// // The nightly schedule is running...
    /// let nightly = client.run_schedule("default", Some("nightly")).await?;
    /// // ...so this backup waits for it, then starts.
    /// let started = client.start_backup_when_idle(&request, &WaitOptions::default()).await?;
    /// println!("started {} after {:?}", started.status.id, started.waited);
    /// for blocker in &started.blocked_by {
    ///     println!("waited {:?} for job {}", blocker.waited, blocker.job);
    /// }
    /// assert_eq!(started.blocked_by[0].job, nightly.id);
    /// assert_eq!(started.blocked_by[0].final_state, Some(JobState::Succeeded));
    /// assert_ne!(started.status.id, nightly.id);
    /// let status = client.wait_for_job(&started.status.id, &WaitOptions::default()).await?;
    /// assert_eq!(status.state, JobState::Succeeded);
    /// # Ok(()) })
    /// ```
    pub async fn start_backup_when_idle(
        &self,
        request: &BackupRequest,
        options: &WaitOptions,
    ) -> Result<IdleStart, WaitError> {
        let span = tracing::info_span!("start_backup_when_idle");
        when_idle::start_when_idle(self, options, || self.start_backup(request))
            .instrument(span)
            .await
    }

    /// Runs the backup schedule `schedule` now (with an optional `comment`), waiting first for a
    /// backup or restore already in progress; the same as [`Client::start_backup_when_idle`]
    /// otherwise.
    pub async fn run_schedule_when_idle(
        &self,
        schedule: &str,
        comment: Option<&str>,
        options: &WaitOptions,
    ) -> Result<IdleStart, WaitError> {
        let span = tracing::info_span!("run_schedule_when_idle", schedule);
        when_idle::start_when_idle(self, options, || self.run_schedule(schedule, comment))
            .instrument(span)
            .await
    }
}
