//! Waiting for backup jobs: wait for the end, watch the progress, start when the appliance is
//! free.
//!
//! Three methods on [`Client`] replace the polling loop every backup script writes by hand:
//!
//! - [`Client::wait_for_job`]: waits until the job ends; its final status if it `SUCCEEDED`, a
//!   [`WaitError`] otherwise: the job `FAILED` (with its messages), the deadline passed (with
//!   how long the wait took, how many reads it made and the last status seen), or a read failed
//!   for good.
//! - [`Client::watch_job`]: the same wait as a [`Stream`](futures_core::Stream) of status updates
//!   ([`JobWatch`]), for progress bars and logs, which can also be awaited to the end. Dropping
//!   it stops the polling; the backup goes on on the appliance (stop it with
//!   [`Client::cancel_job`]).
//! - [`Client::start_backup_when_idle`] and [`Client::run_schedule_when_idle`]: start a backup; if
//!   the appliance answers that one is already in progress, wait for the running job (the newest
//!   in the job list) and try again, all within one deadline ([`IdleStart`] says what blocked it).
//!
//! ```
//! # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/doc_fixture.rs")).paused().job_secs(600).run(async |sim, client, request| {
//! use vcsa_backup::JobState;
//! use vcsa_backup::wait::WaitOptions;
//!
//! let job = client.start_backup(&request).await?;
//! let status = client.wait_for_job(&job.id, &WaitOptions::default()).await?;
//! assert_eq!(status.state, JobState::Succeeded);
//! # Ok(()) })
//! ```
//!
//! # States
//!
//! `NONE` (not started yet), `INPROGRESS` and any state this SDK does not know (from a newer
//! appliance) count as running: the wait goes on, and a watch reports them. `SUCCEEDED` and
//! `FAILED` end the wait.
//!
//! # Schedule and deadline
//!
//! The first read is at once. After each read that finds the job running, the wait sleeps as
//! the [`Backoff`] policy says. The default, [`ProgressAware`], estimates from the job's start
//! time and progress when it will end, sleeps until shortly before that, and reads every few
//! seconds from there; while progress tells nothing it backs off from 1 s to 30 s. No delay is
//! longer than 30 s or 5% of the time waited so far (the lag bound), or than
//! [`WaitOptions::max_interval`] when set. The deadline ([`WaitOptions::max_wait`], 12 hours by
//! default) is never slept past: when the next delay would cross it, the wait sleeps until the
//! deadline and reads one last time there. Timing uses tokio's clock, so tests run on a paused
//! clock.
//!
//! A job can also stall: running, but no longer moving. With [`WaitOptions::stall_timeout`] a
//! wait gives up once the state and progress have stayed the same for that long, rather than at
//! the deadline.
//!
//! # Faults
//!
//! The [`FaultPolicy`] decides about failed reads. The default ([`RetryTransient`]) rides out
//! transient failures (the appliance unreachable, `SERVICE_UNAVAILABLE`, `TIMED_OUT`, HTTP 502,
//! 503, 504) and sessions the appliance refuses right after a successful log-in, for up to 5
//! minutes in a row and never past the deadline: a fast backup briefly interrupts the
//! appliance's services, and a wait must ride that out. It ends the wait at once on
//! `NOT_FOUND`, missing rights, a refused log-in (never retried: the appliance locks accounts
//! after a few failures) or anything else. A session that expires during a long wait is no
//! fault: the client logs in again by itself and repeats the read.
//!
//! # Observability
//!
//! Each wait runs in a `tracing` span (`wait_for_backup_job`, with the job id and the limit);
//! each read emits an event with the job id, state, progress, the estimated end and the delay
//! before the next read (`debug` while running, `info` at the end, `warn` for failed reads). No
//! secrets are logged.
//!
#![doc = include_str!("performance.md")]

mod backoff;
mod error;
mod faults;
mod human;
mod options;
mod poller;
mod progress;
pub(crate) mod retry;
mod watch;
mod when_idle;

#[cfg(test)]
mod simulation;

pub use backoff::{Backoff, ConstantBackoff, ExponentialBackoff, PollContext};
pub use error::{
    JobFailed, NotStarted, NotStartedReason, ReadFailed, Stalled, TimedOut, WaitError,
};
pub use faults::{FailureStreak, FaultAction, FaultPolicy, RetryTransient};
pub use options::WaitOptions;
pub use progress::{EndEstimate, ProgressAware};
pub use retry::WaitSummary;
pub use watch::JobWatch;
pub use when_idle::{Blocker, IdleStart};

use tracing::Instrument;

use crate::{BackupRequest, Client, JobId, JobStatus};
use poller::Poller;

impl Client {
    /// Waits until the backup job `job` ends, reading its status on the schedule and within the
    /// deadline of `options`.
    ///
    /// Returns the final status if the job `SUCCEEDED`. Otherwise a [`WaitError`] saying what
    /// happened: the job `FAILED` ([`WaitError::JobFailed`], with its final status and
    /// messages), the deadline passed ([`WaitError::TimedOut`]: the job goes on on the
    /// appliance), or a read failed in a way the fault policy does not retry
    /// ([`WaitError::ReadFailed`]: `NotFound`, `NotAuthorized`, transient failures for too long).
    ///
    /// The same as awaiting [`Client::watch_job`].
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/doc_fixture.rs")).paused().job_secs(3600).run(async |sim, client, request| {
    /// # use std::time::Duration;
    /// use vcsa_backup::wait::{WaitError, WaitOptions};
    ///
    /// let job = client.start_backup(&request).await?;
    /// let options = WaitOptions::default().max_wait(Duration::from_secs(4 * 3600));
    /// match client.wait_for_job(&job.id, &options).await {
    ///     Ok(status) => println!("backup {} done", status.id),
    ///     Err(WaitError::JobFailed(failed)) => {
    ///         eprintln!("backup failed: {:?}", failed.status.messages)
    ///     }
    ///     Err(WaitError::TimedOut(timed_out)) => {
    ///         eprintln!("still running after {:?}: {:?}", timed_out.max_wait, timed_out.last_status)
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

    /// Watches the backup job `job`: a stream of its status updates (see [`JobWatch`]).
    ///
    /// The deadline of `options` runs from this call. Dropping the watch stops reading the
    /// status; **the backup goes on on the appliance** (cancel it with [`Client::cancel_job`]).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/doc_fixture.rs")).paused().job_secs(120).run(async |sim, client, request| {
    /// # let job = client.start_backup(&request).await?.id;
    /// use futures_util::StreamExt;
    /// use vcsa_backup::wait::WaitOptions;
    ///
    /// let mut updates = client.watch_job(&job, &WaitOptions::default());
    /// while let Some(update) = updates.next().await {
    ///     let status = update?;
    ///     println!("{}: {} {}", status.id, status.state, status.progress);
    /// }
    /// # Ok(()) })
    /// ```
    pub fn watch_job(&self, job: &JobId, options: &WaitOptions) -> JobWatch {
        JobWatch::new(Poller::new(self.clone(), job.clone(), options))
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
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/doc_fixture.rs")).paused().job_secs(900).run(async |sim, client, request| {
    /// use vcsa_backup::wait::WaitOptions;
    ///
    /// // The nightly schedule is running...
    /// let nightly = client.run_schedule("default", None).await?;
    /// // ...so this backup waits for it, then starts.
    /// let started = client.start_backup_when_idle(&request, &WaitOptions::default()).await?;
    /// for blocker in &started.blocked_by {
    ///     println!("waited {:?} for job {}", blocker.waited, blocker.job);
    /// }
    /// assert_eq!(started.blocked_by[0].job, nightly.id);
    /// let status = client.wait_for_job(&started.status.id, &WaitOptions::default()).await?;
    /// assert_eq!(status.state, vcsa_backup::JobState::Succeeded);
    /// # Ok(()) })
    /// ```
    pub async fn start_backup_when_idle(
        &self,
        request: &BackupRequest,
        options: &WaitOptions,
    ) -> Result<IdleStart, WaitError> {
        let span = tracing::info_span!("start_backup_when_idle");
        when_idle::start_when_idle(self.clone(), options, || self.start_backup(request))
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
        when_idle::start_when_idle(self.clone(), options, || {
            self.run_schedule(schedule, comment)
        })
        .instrument(span)
        .await
    }
}
