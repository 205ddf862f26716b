//! Why a wait ended without the job's success: [`WaitError`] for a backup's wait, and
//! [`RecoveryWaitError`] for a restore's or a reconciliation's ([`Error`] holds them both).

use std::fmt;
use std::time::Duration;

use crate::human::HumanDuration;
use crate::job::{JobId, JobState, JobStatus};
use crate::message::Message;

use super::Error;

/// Counters of one wait, for messages and logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitSummary {
    /// Time from the start of the wait to its end.
    pub waited: Duration,
    /// Reads of the job's status, failed ones included.
    pub polls: u32,
    /// Reads that failed.
    pub failed_polls: u32,
    /// Failed reads in a row at the end of the wait.
    pub consecutive_failures: u32,
}

/// Why a wait ended without a successful job. Match on it for what to do next (see
/// [`Client::wait_for_job`](crate::Client::wait_for_job)); `Display` says it in one paragraph.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError {
    /// The job ended `FAILED`.
    JobFailed(Box<JobFailed>),
    /// The deadline passed while the job was running; the job goes on on the appliance.
    TimedOut(Box<TimedOut>),
    /// Neither the job's state nor its progress changed for longer than
    /// [`WaitOptions::stall_timeout`](crate::wait::WaitOptions::stall_timeout); it goes on.
    Stalled(Box<Stalled>),
    /// Reading the job failed in a way the fault policy does not retry (`NotFound`,
    /// `NotAuthorized`, a refused log-in), or transient failures lasted longer than it allows.
    ReadFailed(Box<ReadFailed>),
    /// Start-when-idle started nothing.
    NotStarted(Box<NotStarted>),
}

/// [`WaitError::JobFailed`]: the job's final status, with its messages.
#[derive(Debug)]
#[non_exhaustive]
pub struct JobFailed {
    /// The final status.
    pub status: JobStatus,
    /// The wait's counters.
    pub summary: WaitSummary,
}

/// [`WaitError::TimedOut`]: what the wait saw by its deadline.
#[derive(Debug)]
#[non_exhaustive]
pub struct TimedOut {
    /// The job waited on.
    pub job: JobId,
    /// The limit the wait was given.
    pub time_limit: Duration,
    /// The wait's counters.
    pub summary: WaitSummary,
    /// The last status read, if any read succeeded.
    pub last_status: Option<JobStatus>,
    /// The error of the last read, if it failed.
    pub last_error: Option<Error>,
}

/// [`WaitError::Stalled`]: how long the job has not moved.
#[derive(Debug)]
#[non_exhaustive]
pub struct Stalled {
    /// The job waited on.
    pub job: JobId,
    /// The stall limit the wait was given.
    pub limit: Duration,
    /// How long the state and progress had been the same when the wait gave up.
    pub unchanged_for: Duration,
    /// The wait's counters.
    pub summary: WaitSummary,
    /// The status it stayed at.
    pub last_status: JobStatus,
}

/// [`WaitError::ReadFailed`]: the read that ended the wait.
#[derive(Debug)]
#[non_exhaustive]
pub struct ReadFailed {
    /// The job waited on.
    pub job: JobId,
    /// Why the read failed.
    pub error: Error,
    /// The wait's counters.
    pub summary: WaitSummary,
    /// The last status read before, if any.
    pub last_status: Option<JobStatus>,
}

/// [`WaitError::NotStarted`]: why start-when-idle started nothing, after waiting for whom.
#[derive(Debug)]
#[non_exhaustive]
pub struct NotStarted {
    /// What stopped it.
    pub reason: NotStartedReason,
    /// The jobs waited for before, which had ended.
    pub blocked_by: Vec<BlockingJob>,
    /// Time from the first attempt to the end.
    pub waited: Duration,
    /// The limit start-when-idle was given.
    pub time_limit: Duration,
    /// Attempts to start.
    pub attempts: u32,
}

/// What stopped start-when-idle; see [`NotStarted`].
#[derive(Debug)]
#[non_exhaustive]
pub enum NotStartedReason {
    /// The appliance refused the start for a reason other than a backup in progress.
    Refused(Error),
    /// The limit passed while the appliance was busy with work not in the job list (a
    /// restore, or a job not listed yet); the appliance's last refusal.
    TimedOut(Error),
    /// The job list could not be read to find the job holding the appliance.
    JobListUnreadable(Error),
    /// Waiting for the job holding the appliance ended without that job's end (the limit
    /// passed, it stalled, or it could not be read); the wait's own error.
    WaitFailed(WaitError),
}

impl WaitError {
    /// The job the wait was on; for start-when-idle, the job it was waiting for when it gave
    /// up, if any.
    pub fn job(&self) -> Option<&JobId> {
        match self {
            Self::JobFailed(e) => Some(&e.status.id),
            Self::TimedOut(e) => Some(&e.job),
            Self::Stalled(e) => Some(&e.job),
            Self::ReadFailed(e) => Some(&e.job),
            Self::NotStarted(e) => match &e.reason {
                NotStartedReason::WaitFailed(inner) => inner.job(),
                _ => None,
            },
        }
    }

    /// The failed read that ended the wait, or that left it without an answer at its
    /// deadline; for start-when-idle, the appliance's refusal or the read that failed.
    pub fn error(&self) -> Option<&Error> {
        match self {
            Self::ReadFailed(e) => Some(&e.error),
            Self::TimedOut(e) => e.last_error.as_ref(),
            Self::NotStarted(e) => match &e.reason {
                NotStartedReason::Refused(error)
                | NotStartedReason::TimedOut(error)
                | NotStartedReason::JobListUnreadable(error) => Some(error),
                NotStartedReason::WaitFailed(inner) => inner.error(),
            },
            Self::JobFailed(_) | Self::Stalled(_) => None,
        }
    }

    /// The appliance's own messages: a failed job's, or those of the error that ended the wait.
    pub fn appliance_messages(&self) -> &[Message] {
        match (self, self.error()) {
            (Self::JobFailed(e), _) => &e.status.messages,
            (_, Some(error)) => error.appliance_messages(),
            _ => &[],
        }
    }

    /// What happened, in an administrator's words, without the advice that
    /// [`hint`](Self::hint) gives.
    pub fn summary(&self) -> String {
        Summary(self).to_string()
    }

    /// What to do next, when the summary does not already end with it (a failed read's error
    /// and start-when-idle's reasons say it in their own words).
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Self::JobFailed(_) => {
                Some("Its details (`list_job_details`) and the appliance's backup log say more.")
            }
            Self::TimedOut(_) => Some(
                "The job is still running on the appliance: wait again with a longer limit, or \
                 cancel it (`cancel_job`).",
            ),
            Self::Stalled(_) => Some(
                "The job is still running on the appliance: look at it there (its details and \
                 the backup log), then wait again or cancel it (`cancel_job`).",
            ),
            Self::ReadFailed(_) | Self::NotStarted(_) => None,
        }
    }
}

/// What a wait's ending says happened, without the advice: [`WaitError::summary`].
struct Summary<'a>(&'a WaitError);

impl fmt::Display for WaitError {
    /// `<summary>. <hint>`, one paragraph.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Summary(self).fmt(f)?;
        match self.hint() {
            Some(hint) => write!(f, ". {hint}"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            WaitError::JobFailed(e) => {
                write!(f, "backup job {} FAILED", e.status.id)?;
                if e.status.messages.is_empty() {
                    f.write_str(" without a message from the appliance")?;
                } else {
                    f.write_str(": ")?;
                    write_messages(f, &e.status.messages)?;
                }
                write!(f, " (seen after {})", Counts(&e.summary))
            }
            WaitError::TimedOut(e) => {
                write!(
                    f,
                    "gave up waiting for backup job {} when the limit of {} was reached, after {}; ",
                    e.job,
                    HumanDuration(e.time_limit),
                    Counts(&e.summary)
                )?;
                write_last_seen(f, e.last_status.as_ref())?;
                if let Some(error) = &e.last_error {
                    write!(f, ", and the last read failed: {error}")?;
                }
                Ok(())
            }
            WaitError::Stalled(e) => write!(
                f,
                "gave up waiting for backup job {}: it has stayed {} at {} for {} (the stall limit is {}), after {}",
                e.job,
                e.last_status.state.as_str(),
                e.last_status.progress,
                HumanDuration(e.unchanged_for),
                HumanDuration(e.limit),
                Counts(&e.summary)
            ),
            WaitError::ReadFailed(e) => {
                write!(
                    f,
                    "stopped waiting for backup job {} after {}",
                    e.job,
                    Counts(&e.summary)
                )?;
                if e.last_status.is_some() {
                    f.write_str("; ")?;
                    write_last_seen(f, e.last_status.as_ref())?;
                }
                write!(f, ": {}", e.error)
            }
            WaitError::NotStarted(e) => {
                match &e.reason {
                    NotStartedReason::Refused(error) => {
                        write!(f, "the appliance refused to start the backup: {error}")?
                    }
                    NotStartedReason::TimedOut(last_error) => write!(
                        f,
                        "gave up starting the backup when the limit of {} was reached, after {} attempt{}; the last answer was: {last_error}. Nothing was started; try again later, or with a longer limit.",
                        HumanDuration(e.time_limit),
                        e.attempts,
                        if e.attempts == 1 { "" } else { "s" }
                    )?,
                    NotStartedReason::JobListUnreadable(error) => write!(
                        f,
                        "could not read the appliance's job list to find the job that blocks the new backup: {error}; nothing was started."
                    )?,
                    NotStartedReason::WaitFailed(inner) => write!(
                        f,
                        "{inner} That job was blocking the new backup: nothing was started."
                    )?,
                }
                write_blockers(f, &e.blocked_by)
            }
        }
    }
}

impl std::error::Error for WaitError {
    /// The [`error`](Self::error), but the blocking job's wait's own error when that ended it.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        if let Self::NotStarted(e) = self
            && let NotStartedReason::WaitFailed(inner) = &e.reason
        {
            return Some(inner);
        }
        self.error().map(|e| e as _)
    }
}

/// `5 reads over 12.3s (2 failed, the last 2 in a row)`.
struct Counts<'a>(&'a WaitSummary);

impl fmt::Display for Counts<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        write!(f, "{} read{}", s.polls, if s.polls == 1 { "" } else { "s" })?;
        if !s.waited.is_zero() {
            write!(f, " over {}", HumanDuration(s.waited))?;
        }
        match (s.failed_polls, s.consecutive_failures) {
            (0, _) => Ok(()),
            (failed, last) if last > 1 && last == failed => {
                write!(f, " ({failed} failed in a row)")
            }
            (failed, last) if last > 1 => write!(f, " ({failed} failed, the last {last} in a row)"),
            (failed, _) => write!(f, " ({failed} failed)"),
        }
    }
}

fn write_last_seen(f: &mut fmt::Formatter<'_>, status: Option<&JobStatus>) -> fmt::Result {
    match status {
        Some(s) => write!(f, "last seen {} at {}", s.state.as_str(), s.progress),
        None => f.write_str("its status could not be read even once"),
    }
}

/// A job that kept a new backup from starting, and how long it was waited for.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct BlockingJob {
    /// The job that was running (the newest in the appliance's job list).
    pub job: JobId,
    /// How long the wait for this job took.
    pub waited: Duration,
    /// Its state at the end of that wait (`None` if it could no longer be read, e.g. it was
    /// removed from the appliance's list).
    pub final_state: Option<JobState>,
}

/// ` Waited first for job A (1m 0s, ended SUCCEEDED), then job B (5s).`
fn write_blockers(f: &mut fmt::Formatter<'_>, blocked_by: &[BlockingJob]) -> fmt::Result {
    let mut lead = " Waited first for ";
    for blocker in blocked_by {
        let waited = HumanDuration(blocker.waited);
        write!(f, "{lead}job {} ({waited}", blocker.job)?;
        lead = ", then ";
        if let Some(state) = &blocker.final_state {
            write!(f, ", ended {}", state.as_str())?;
        }
        f.write_str(")")?;
    }
    f.write_str(if blocked_by.is_empty() { "" } else { "." })
}

/// Messages as one sentence sequence: `First. Second.`, or `first; second` without full stops.
fn write_messages(f: &mut fmt::Formatter<'_>, messages: &[Message]) -> fmt::Result {
    let mut previous: Option<String> = None;
    for message in messages.iter().map(ToString::to_string) {
        if let Some(previous) = previous {
            let full_stop = previous.ends_with(['.', '!', '?']);
            f.write_str(if full_stop { " " } else { "; " })?;
        }
        f.write_str(&message)?;
        previous = Some(message);
    }
    Ok(())
}

/// A wait for a restore or a reconciliation that ended without its success.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecoveryWaitError<T> {
    /// The job ended in failure: its last status says why.
    #[error("the job failed; its messages say why")]
    Failed {
        /// The final status.
        last: T,
        /// The reads it took.
        summary: WaitSummary,
    },
    /// The deadline passed first; the job goes on on the appliance.
    #[error("the job had not ended after {} s; it goes on on the appliance", summary.waited.as_secs())]
    TimedOut {
        /// The last status read, if any.
        last: Option<T>,
        /// The last failed read, when the deadline passed during an outage.
        error: Option<Error>,
        /// The reads it took.
        summary: WaitSummary,
    },
    /// A read failed in a way the fault policy does not ride out (or for too long).
    #[error("could not follow the job: {error}")]
    ReadFailed {
        /// The last status read, if any.
        last: Option<T>,
        /// Why the read failed.
        #[source]
        error: Error,
        /// The reads it took.
        summary: WaitSummary,
    },
}

impl<T> RecoveryWaitError<T> {
    /// The same error with `f` applied to the last status it holds.
    pub fn map_last<U>(self, mut f: impl FnMut(T) -> U) -> RecoveryWaitError<U> {
        match self {
            Self::Failed { last, summary } => RecoveryWaitError::Failed {
                last: f(last),
                summary,
            },
            Self::TimedOut {
                last,
                error,
                summary,
            } => RecoveryWaitError::TimedOut {
                last: last.map(f),
                error,
                summary,
            },
            Self::ReadFailed {
                last,
                error,
                summary,
            } => RecoveryWaitError::ReadFailed {
                last: last.map(f),
                error,
                summary,
            },
        }
    }
}

impl RecoveryWaitError<Vec<Message>> {
    /// The appliance's own messages: the job's last ones, or those of the failed read.
    pub fn appliance_messages(&self) -> &[Message] {
        match self {
            Self::Failed { last, .. }
            | Self::TimedOut {
                last: Some(last), ..
            } => last,
            Self::TimedOut {
                error: Some(error), ..
            }
            | Self::ReadFailed { error, .. } => error.appliance_messages(),
            Self::TimedOut { .. } => &[],
        }
    }
}
