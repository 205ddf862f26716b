//! Start a backup when the appliance is free: each attempt to start that finds a backup in
//! progress waits behind the newest job, and [`Pace::retry_within`] tries again, all within
//! one deadline.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use super::options::WaitOptions;
use super::poller::{Poller, Step};
use crate::error::{BlockingJob, NotStarted, NotStartedReason, WaitError};
use crate::retry::faults::FailureStreak;
use crate::retry::{Attempt, Deadline, Decision, Stop};
use crate::{Client, Error, JobId, JobStatus};

/// A backup started by [`Client::start_backup_when_idle`](crate::Client::start_backup_when_idle)
/// (see its example) or [`Client::run_schedule_when_idle`](crate::Client::run_schedule_when_idle).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IdleStart {
    /// The new job's status, as the appliance answered the start.
    pub status: JobStatus,
    /// The jobs that held the start back, in the order they were waited for (empty when the
    /// appliance was free at once).
    pub blocked_by: Vec<BlockingJob>,
    /// Time from the first attempt to the successful start.
    pub waited: Duration,
}

/// Why one attempt did not start the backup.
enum Refusal {
    /// A backup or restore is in progress; `waited` when the attempt waited behind it.
    Busy { error: Error, waited: bool },
    /// Nothing more to try: the start failed for another reason, or finding or waiting for the
    /// job in progress failed.
    Final(NotStartedReason),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Busy { error, .. } | Self::Final(NotStartedReason::Refused(error)) => {
                error.fmt(f)
            }
            Self::Final(_) => f.write_str("the job in progress could not be followed"),
        }
    }
}

/// One attempt to start: the start itself, and when a backup is in progress, the wait behind
/// the newest job.
struct StartAttempt<'a, F> {
    client: &'a Client,
    options: &'a WaitOptions,
    deadline: Deadline,
    start: F,
    blocked_by: Vec<BlockingJob>,
    /// Jobs known to have ended: not read again when the list still shows them as the newest.
    ended: HashSet<JobId>,
}

impl<F, Fut> Attempt for StartAttempt<'_, F>
where
    F: FnMut() -> Fut + Send,
    Fut: Future<Output = Result<JobStatus, Error>> + Send,
{
    type Output = JobStatus;
    type Error = Refusal;

    async fn attempt(&mut self) -> Result<JobStatus, Refusal> {
        let error = match (self.start)().await {
            Ok(status) => return Ok(status),
            // The client logged in again but did not repeat the start, so nothing started:
            // once more is safe.
            Err(Error::SessionExpired { .. }) => match (self.start)().await {
                Ok(status) => return Ok(status),
                Err(error) => error,
            },
            Err(error) => error,
        };
        if !matches!(error, Error::BackupInProgress(_)) {
            return Err(Refusal::Final(NotStartedReason::Refused(error)));
        }
        let running = newest_job(self.client, self.options, self.deadline).await?;
        tracing::info!(
            newest_job = running.as_ref().map_or("none", JobId::as_str),
            "a backup or restore is already in progress"
        );
        let Some(job) = running.filter(|job| !self.ended.contains(job)) else {
            // Something not in the list (a restore, a job not listed yet) holds the
            // appliance: try again after the backoff.
            return Err(Refusal::Busy {
                error,
                waited: false,
            });
        };
        self.ended.insert(job.clone());
        let blocker = wait_behind(self.client, self.options, self.deadline, job).await?;
        let waited = blocker.is_some();
        self.blocked_by.extend(blocker);
        Err(Refusal::Busy { error, waited })
    }
}

/// Runs `start` until the appliance accepts it, waiting behind whatever job is running, all
/// within `options`' deadline.
pub(crate) async fn start_when_idle<F, Fut>(
    client: &Client,
    options: &WaitOptions,
    start: F,
) -> Result<IdleStart, WaitError>
where
    F: FnMut() -> Fut + Send,
    Fut: Future<Output = Result<JobStatus, Error>> + Send,
{
    let deadline = options.start();
    let mut pace = options.pace(deadline);
    let mut attempt = StartAttempt {
        client,
        options,
        deadline,
        start,
        blocked_by: Vec::new(),
        ended: HashSet::new(),
    };
    // A start whose answer was lost comes back settled by the client: its job, the original
    // error when no job started, or `OutcomeUnknown`. Still never retried on a transient error:
    // behind a proxy's 504 the appliance may record the job only after the jobs were read, and
    // a retry would then wait behind that job and start a second backup.
    let decide = |refusal: &Refusal, _: &FailureStreak| match refusal {
        Refusal::Busy { waited: true, .. } => Decision::RetryNow,
        Refusal::Busy { waited: false, .. } => Decision::Retry,
        _ => Decision::GiveUp,
    };
    let result = pace
        .retry_within("starting the backup", None, decide, &mut attempt)
        .await;
    let waited = deadline.elapsed();
    let reason = match result {
        Ok(status) => {
            tracing::info!(job = %status.id, waited_ms = waited.as_millis() as u64, "backup started");
            return Ok(IdleStart {
                status,
                blocked_by: attempt.blocked_by,
                waited,
            });
        }
        Err(Stop::GaveUp(refusal) | Stop::OutOfTime(refusal)) => match refusal {
            Refusal::Busy { error, .. } => NotStartedReason::TimedOut(error),
            Refusal::Final(reason) => reason,
        },
    };
    let error = WaitError::NotStarted(Box::new(NotStarted {
        reason,
        blocked_by: attempt.blocked_by,
        waited,
        time_limit: deadline.time_limit,
        attempts: pace.summary().polls,
    }));
    tracing::warn!("{error}");
    Err(error)
}

/// Waits, within the deadline, for `job` to end: `Some` if it was running (it blocked the
/// start), `None` if it had already ended.
async fn wait_behind(
    client: &Client,
    options: &WaitOptions,
    deadline: Deadline,
    job: JobId,
) -> Result<Option<BlockingJob>, Refusal> {
    let started = Instant::now();
    let mut poller = Poller::new(client.clone(), job.clone(), options, deadline);
    let mut was_running = false;
    let final_state = loop {
        match poller.step().await {
            Ok(Step::Running(_)) => was_running = true,
            Ok(Step::Ended(status)) => break Some(status.state),
            // The job went away while we waited: the appliance may be free now.
            Err(WaitError::ReadFailed(failed)) if matches!(failed.error, Error::NotFound(_)) => {
                was_running = true;
                break None;
            }
            Err(error) => return Err(Refusal::Final(NotStartedReason::WaitFailed(error))),
        }
    };
    Ok(was_running.then(|| BlockingJob {
        job,
        waited: started.elapsed(),
        final_state,
    }))
}

/// The newest job on the appliance, read with the wait's fault policy and backoff.
async fn newest_job(
    client: &Client,
    options: &WaitOptions,
    deadline: Deadline,
) -> Result<Option<JobId>, Refusal> {
    let mut list = || client.list_jobs();
    let decide = |error: &_, streak: &_| options.faults.on_error(error, streak);
    match options
        .pace(deadline)
        .retry_within("reading the job list", None, decide, &mut list)
        .await
    {
        Ok(jobs) => Ok(jobs.into_iter().next()),
        Err(Stop::GaveUp(error) | Stop::OutOfTime(error)) => {
            Err(Refusal::Final(NotStartedReason::JobListUnreadable(error)))
        }
    }
}
