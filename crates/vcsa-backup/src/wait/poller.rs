//! One wait on one job: read its status through [`Pace::retry_within`], learn from its
//! progress, and schedule the next read; the deadline and the policies hold on every path.

use std::future::Future;

use chrono::{DateTime, Utc};
use tokio::time::Instant;
use tracing::{Instrument, Span};

use super::options::WaitOptions;
use super::progress::ProgressLog;
use crate::error::{JobFailed, ReadFailed, Stalled, TimedOut, WaitError};
use crate::retry::{Deadline, Pace, Stop};
use crate::{Client, Error, JobId, JobState, JobStatus};

/// What a wait reads from: the client, or a stand-in in tests and the simulation.
pub(crate) trait JobSource: Clone + Send + Sync + 'static {
    /// The job's current status.
    fn get_job(&self, job: &JobId) -> impl Future<Output = Result<JobStatus, Error>> + Send;
    /// Bytes the job has written, when its details say.
    fn size_bytes(&self, _job: &JobId) -> impl Future<Output = Result<Option<u64>, Error>> + Send {
        async { Ok(None) }
    }
}

impl JobSource for Client {
    fn get_job(&self, job: &JobId) -> impl Future<Output = Result<JobStatus, Error>> + Send {
        Client::get_job(self, job)
    }

    async fn size_bytes(&self, job: &JobId) -> Result<Option<u64>, Error> {
        Ok(self.get_job_details(job).await?.size_bytes)
    }
}

/// Whether the job moved between two reads: its state or its progress changed.
fn changed(last: &JobStatus, now: &JobStatus) -> bool {
    last.state != now.state || last.progress != now.progress
}

/// The result of one step of a wait.
#[derive(Debug)]
pub(crate) enum Step {
    /// The job is still running (or not started, or in a state this SDK does not know).
    Running(JobStatus),
    /// The job ended, successfully or not.
    Ended(JobStatus),
}

/// One wait on one job: its schedule, what it has seen, and its span.
pub(crate) struct Poller<S> {
    source: S,
    job: JobId,
    pace: Pace,
    options: WaitOptions,
    /// Wall-clock time at the start of the wait, to place the job's start on the wait's clock.
    began_utc: DateTime<Utc>,
    progress: ProgressLog,
    last_status: Option<JobStatus>,
    /// When the state or progress last changed (or the wait began).
    last_change: Instant,
    /// The job's final status, once read: reported again without reading.
    ended: Option<JobStatus>,
    /// The deadline has passed: reported again without reading.
    out_of_time: bool,
    /// Whether the job's details give its size; false after a failed read of them.
    reads_sizes: bool,
    span: Span,
}

impl<S: JobSource> Poller<S> {
    /// A wait on `job` within `deadline`: its own ([`WaitOptions::start`]), or start-when-idle's.
    pub(crate) fn new(source: S, job: JobId, options: &WaitOptions, deadline: Deadline) -> Self {
        let span = tracing::info_span!(
            "wait_for_backup_job",
            job = %job,
            time_limit_s = deadline.time_limit.as_secs(),
        );
        Self {
            source,
            job,
            pace: options.pace(deadline),
            options: options.clone(),
            began_utc: Utc::now(),
            progress: ProgressLog::default(),
            last_status: None,
            last_change: Instant::now(),
            ended: None,
            out_of_time: false,
            reads_sizes: true,
            span,
        }
    }

    /// The job's size from its details, until a read of them fails: an appliance without
    /// them is not asked again, and the wait goes on without sizes.
    async fn size_bytes(&mut self) -> Option<u64> {
        if !self.reads_sizes {
            return None;
        }
        let read = self.source.size_bytes(&self.job).await;
        read.unwrap_or_else(|error| {
            tracing::debug!(job = %self.job, %error, "no sizes: the job's details could not be read");
            self.reads_sizes = false;
            None
        })
    }

    /// Seconds since the wait began: the clock the progress log works on.
    fn now(&self) -> f64 {
        self.pace.deadline.elapsed().as_secs_f64()
    }

    /// Reads (sleeping first as scheduled, retrying failed reads as the fault policy says)
    /// until a status arrives, and reports it, in the wait's span. After the job ended it
    /// repeats the final status without reading again.
    pub(crate) async fn step(&mut self) -> Result<Step, WaitError> {
        let span = self.span.clone();
        let step = self.read().instrument(span.clone()).await;
        // Every way a wait ends other than the job's end is logged, in the wait's span.
        let _entered = span.enter();
        step.inspect_err(|error| tracing::warn!(job = %self.job, "{error}"))
    }

    async fn read(&mut self) -> Result<Step, WaitError> {
        if let Some(status) = &self.ended {
            return Ok(Step::Ended(status.clone()));
        }
        if self.out_of_time {
            return Err(self.timed_out(None));
        }
        let estimate = self.progress.estimate(self.now());
        let (source, job, options) = (&self.source, &self.job, &self.options);
        let mut read = || source.get_job(job);
        let decide = |error: &_, streak: &_| options.faults.on_error(error, streak);
        match self
            .pace
            .retry_within("reading the backup job", estimate, decide, &mut read)
            .await
        {
            Ok(mut status) => {
                // Each change (what a watch reports) carries the size; the details are read
                // then only, not at every read.
                status.size_bytes = match &self.last_status {
                    Some(last) if !changed(last, &status) => last.size_bytes,
                    _ => self.size_bytes().await,
                };
                self.on_status(status)
            }
            Err(Stop::GaveUp(error)) => Err(WaitError::ReadFailed(Box::new(ReadFailed {
                job: self.job.clone(),
                error,
                summary: self.pace.summary(),
                last_status: self.last_status.clone(),
            }))),
            Err(Stop::OutOfTime(error)) => Err(self.timed_out(Some(error))),
        }
    }

    /// Waits until the job ends: its final status if it succeeded, an error otherwise.
    pub(crate) async fn until_done(&mut self) -> Result<JobStatus, WaitError> {
        loop {
            if let Step::Ended(status) = self.step().await? {
                return self.outcome(status);
            }
        }
    }

    /// A final status as the end of a wait: itself if it succeeded, [`JobFailed`] otherwise.
    pub(crate) fn outcome(&self, status: JobStatus) -> Result<JobStatus, WaitError> {
        if status.state != JobState::Failed {
            return Ok(status);
        }
        let summary = self.pace.summary();
        Err(WaitError::JobFailed(Box::new(JobFailed {
            status,
            summary,
        })))
    }

    fn on_status(&mut self, status: JobStatus) -> Result<Step, WaitError> {
        if self
            .last_status
            .as_ref()
            .is_none_or(|last| changed(last, &status))
        {
            self.last_change = Instant::now();
        }
        // Where the job's start falls on the wait's clock (negative: before the wait began).
        let start = (status.started_at - self.began_utc).as_seconds_f64();
        self.progress.observe(
            self.now(),
            status.progress.value(),
            status.state != JobState::NotStarted,
            Some(start),
        );
        self.last_status = Some(status.clone());
        let summary = self.pace.summary();
        if status.state.is_terminal() {
            tracing::info!(
                job = %self.job,
                state = %status.state.as_str(),
                progress = status.progress.value(),
                polls = summary.polls,
                waited_ms = summary.waited.as_millis() as u64,
                "backup job ended"
            );
            self.ended = Some(status.clone());
            return Ok(Step::Ended(status));
        }
        let unchanged_for = self.last_change.elapsed();
        if let Some(limit) = self
            .options
            .stall_timeout
            .filter(|limit| unchanged_for >= *limit)
        {
            return Err(WaitError::Stalled(Box::new(Stalled {
                job: self.job.clone(),
                limit,
                unchanged_for,
                summary,
                last_status: status,
            })));
        }
        let estimate = self.progress.estimate(self.now());
        match self.pace.schedule(estimate) {
            Some(delay) => {
                tracing::debug!(
                    job = %self.job,
                    state = %status.state.as_str(),
                    progress = status.progress.value(),
                    poll = summary.polls,
                    next_delay_ms = delay.as_millis() as u64,
                    "backup job still running"
                );
                Ok(Step::Running(status))
            }
            None => Err(self.timed_out(None)),
        }
    }

    fn timed_out(&mut self, last_error: Option<Error>) -> WaitError {
        self.out_of_time = true;
        WaitError::TimedOut(Box::new(TimedOut {
            job: self.job.clone(),
            time_limit: self.pace.deadline.time_limit,
            summary: self.pace.summary(),
            last_status: self.last_status.clone(),
            last_error,
        }))
    }
}
