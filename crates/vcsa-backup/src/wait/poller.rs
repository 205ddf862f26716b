//! The polling loop every wait runs: read, decide, sleep, with the deadline and fault policy
//! applied on every path.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tracing::Span;

use super::backoff::Backoff;
use super::deadline::{Deadline, NextPoll};
use super::error::{WaitError, WaitErrorKind, WaitSummary};
use super::faults::{FaultAction, FaultPolicy};
use super::options::WaitOptions;
use crate::{Client, Error, JobId, JobStatus};

/// What a wait reads from: the client, or a stand-in in tests and the simulation.
pub(crate) trait JobSource: Clone + Send + Sync + 'static {
    /// The job's current status.
    fn get_job(&self, job: &JobId) -> impl Future<Output = Result<JobStatus, Error>> + Send;
    /// The appliance's job ids, newest first.
    fn list_jobs(&self) -> impl Future<Output = Result<Vec<JobId>, Error>> + Send;
}

impl JobSource for Client {
    fn get_job(&self, job: &JobId) -> impl Future<Output = Result<JobStatus, Error>> + Send {
        Client::get_job(self, job)
    }

    fn list_jobs(&self) -> impl Future<Output = Result<Vec<JobId>, Error>> + Send {
        Client::list_jobs(self)
    }
}

/// The result of one step of a wait.
#[derive(Debug)]
pub(crate) enum Step {
    /// The job is still running (or not started, or in a state this SDK does not know).
    Running(JobStatus),
    /// The job ended, successfully or not.
    Ended(JobStatus),
}

/// Why a poller will not poll again.
#[derive(Debug)]
enum Finished {
    Ended(JobStatus),
    Deadline,
}

/// One wait on one job: its counters, its deadline and where it is in its schedule.
pub(crate) struct Poller<S> {
    source: S,
    job: JobId,
    backoff: Arc<dyn Backoff>,
    faults: Arc<dyn FaultPolicy>,
    max_wait: Duration,
    deadline: Deadline,
    /// When to read next; `None` means at once.
    next_at: Option<Instant>,
    /// The scheduled read is the one at the deadline.
    last_read: bool,
    finished: Option<Finished>,
    summary: WaitSummary,
    last_status: Option<JobStatus>,
    stall_timeout: Option<Duration>,
    /// When the state or progress last changed (or the wait began).
    last_change: Instant,
    span: Span,
}

impl<S: JobSource> Poller<S> {
    pub(crate) fn new(source: S, job: JobId, options: &WaitOptions) -> Self {
        let span = tracing::info_span!(
            "wait_for_backup_job",
            job = %job,
            max_wait_s = options.max_wait.as_secs(),
        );
        Self {
            source,
            job,
            backoff: options.backoff.clone(),
            faults: options.faults.clone(),
            max_wait: options.max_wait,
            deadline: Deadline::new(Instant::now(), options.max_wait),
            next_at: None,
            last_read: false,
            finished: None,
            summary: WaitSummary::default(),
            last_status: None,
            stall_timeout: options.stall_timeout,
            last_change: Instant::now(),
            span,
        }
    }

    pub(crate) fn span(&self) -> &Span {
        &self.span
    }

    pub(crate) fn job(&self) -> &JobId {
        &self.job
    }

    pub(crate) fn summary(&self) -> WaitSummary {
        WaitSummary {
            waited: self.deadline.elapsed(Instant::now()),
            ..self.summary
        }
    }

    /// Reads until a status arrives, sleeping as the backoff says, and reports it; after the
    /// job ended (or the deadline passed) it repeats that outcome without reading again.
    pub(crate) async fn step(&mut self) -> Result<Step, WaitError> {
        match &self.finished {
            Some(Finished::Ended(status)) => return Ok(Step::Ended(status.clone())),
            Some(Finished::Deadline) => return Err(self.deadline_error(None)),
            None => {}
        }
        loop {
            if let Some(at) = self.next_at.take() {
                tokio::time::sleep_until(at).await;
            }
            self.summary.polls += 1;
            match self.source.get_job(&self.job).await {
                Ok(status) => return self.on_status(status),
                Err(error) => self.on_error(error)?,
            }
        }
    }

    fn on_status(&mut self, status: JobStatus) -> Result<Step, WaitError> {
        self.summary.consecutive_failures = 0;
        let changed = self
            .last_status
            .as_ref()
            .is_none_or(|last| last.state != status.state || last.progress != status.progress);
        if changed {
            self.last_change = Instant::now();
        }
        self.last_status = Some(status.clone());
        if status.state.is_terminal() {
            tracing::info!(
                job = %self.job,
                state = %status.state.as_wire(),
                progress = status.progress.value(),
                polls = self.summary.polls,
                waited_ms = self.deadline.elapsed(Instant::now()).as_millis() as u64,
                "backup job ended"
            );
            self.finished = Some(Finished::Ended(status.clone()));
            return Ok(Step::Ended(status));
        }
        let unchanged_for = self.last_change.elapsed();
        if let Some(limit) = self.stall_timeout.filter(|limit| unchanged_for >= *limit) {
            let error = WaitError::new(
                WaitErrorKind::Stalled {
                    limit,
                    unchanged_for,
                },
                Some(self.job.clone()),
                self.summary(),
                self.last_status.clone(),
            );
            tracing::warn!(job = %self.job, "{error}");
            return Err(error);
        }
        match self.schedule() {
            Some(delay) => {
                tracing::debug!(
                    job = %self.job,
                    state = %status.state.as_wire(),
                    progress = status.progress.value(),
                    poll = self.summary.polls,
                    next_delay_ms = delay.as_millis() as u64,
                    "backup job still running"
                );
                Ok(Step::Running(status))
            }
            None => Err(self.deadline_error(None)),
        }
    }

    /// Applies the fault policy to a failed read: `Ok` means read again (the schedule is set).
    fn on_error(&mut self, error: Error) -> Result<(), WaitError> {
        self.summary.failed_polls += 1;
        self.summary.consecutive_failures += 1;
        let action = self
            .faults
            .on_error(&error, self.summary.consecutive_failures);
        match action {
            FaultAction::Retry => match self.schedule() {
                Some(delay) => {
                    tracing::warn!(
                        job = %self.job,
                        error = %error,
                        consecutive_failures = self.summary.consecutive_failures,
                        next_delay_ms = delay.as_millis() as u64,
                        "reading the backup job failed; retrying"
                    );
                    Ok(())
                }
                None => Err(self.deadline_error(Some(error))),
            },
            _ => Err(self.poll_error(error)),
        }
    }

    /// Sets the next read from the backoff, clamped to the deadline; `None` when the deadline
    /// has passed (or the read at the deadline was the last).
    fn schedule(&mut self) -> Option<Duration> {
        let now = Instant::now();
        if self.last_read {
            self.finished = Some(Finished::Deadline);
            return None;
        }
        let delay = self
            .backoff
            .delay(self.summary.polls, self.deadline.elapsed(now));
        match self.deadline.next_poll(now, delay) {
            NextPoll::After(delay) => {
                self.next_at = Some(now + delay);
                Some(delay)
            }
            NextPoll::LastAt(at) => {
                self.next_at = Some(at);
                self.last_read = true;
                Some(at.saturating_duration_since(now))
            }
            NextPoll::Stop => {
                self.finished = Some(Finished::Deadline);
                None
            }
        }
    }

    fn deadline_error(&self, last_error: Option<Error>) -> WaitError {
        let error = WaitError::new(
            WaitErrorKind::DeadlineExceeded {
                max_wait: self.max_wait,
                last_error,
            },
            Some(self.job.clone()),
            self.summary(),
            self.last_status.clone(),
        );
        tracing::warn!(job = %self.job, "{error}");
        error
    }

    fn poll_error(&self, error: Error) -> WaitError {
        let error = WaitError::new(
            WaitErrorKind::PollFailed(error),
            Some(self.job.clone()),
            self.summary(),
            self.last_status.clone(),
        );
        tracing::warn!(job = %self.job, "{error}");
        error
    }

    /// The error for a job that ended in `FAILED`.
    pub(crate) fn job_failed(&self, status: JobStatus) -> WaitError {
        WaitError::new(
            WaitErrorKind::JobFailed,
            Some(self.job.clone()),
            self.summary(),
            Some(status),
        )
    }

    /// Reads until the job ends: its final status if it succeeded.
    pub(crate) async fn until_done(&mut self) -> Result<JobStatus, WaitError> {
        loop {
            if let Step::Ended(status) = self.step().await? {
                return self.finish(status);
            }
        }
    }

    /// The final status if the job succeeded, [`WaitErrorKind::JobFailed`] if it failed.
    pub(crate) fn finish(&self, status: JobStatus) -> Result<JobStatus, WaitError> {
        if status.state == crate::JobState::Succeeded {
            Ok(status)
        } else {
            Err(self.job_failed(status))
        }
    }
}
