//! [`RetryAdvice`]: what a caller may do with a call that failed, and when, for every error.

use std::time::Duration;

use super::wait::{NotStartedReason, RecoveryWaitError, WaitError};
use super::{AuthFailure, Error, InvalidRequest, ServerErrorType};

/// Whether, and when, to make the same call again after it failed.
///
/// A call that changes something is never repeated blindly: when its answer was lost it may
/// have been done, and doing it twice can start two backups ([`CheckFirst`](Self::CheckFirst)).
///
/// ```
/// use vcsa_backup::{Error, RetryAdvice};
///
/// fn next_step(error: &Error) -> &'static str {
///     match error.retry_advice() {
///         RetryAdvice::Now => "call again",
///         RetryAdvice::After(_) => "call again after the pause",
///         RetryAdvice::WhenIdle => "wait for the running job, then call again",
///         RetryAdvice::CheckFirst => "look at the appliance's jobs before calling again",
///         _ => "fix the cause; calling again will fail the same way",
///     }
/// }
/// let invalid = Error::from(vcsa_backup::BackupRequest::builder().build().unwrap_err());
/// assert_eq!(next_step(&invalid), "fix the cause; calling again will fail the same way");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryAdvice {
    /// The same call will fail the same way: fix the cause first (the request, the
    /// credentials, the settings), or read what the error says.
    Never,
    /// Call again at once: nothing was done, and what stood in the way is gone (the session
    /// expired; the client has logged in again).
    Now,
    /// Call again after this pause: a read (or a change that certainly did not reach the
    /// appliance) met a failure that usually passes, such as the appliance restarting its
    /// services or an unreachable network.
    After(Duration),
    /// Call again once the job running on the appliance has ended: only one backup or restore
    /// runs at a time (`start_backup_when_idle` does this wait).
    WhenIdle,
    /// A change's answer was lost, so whether the appliance did it is unknown: look (the
    /// appliance's recent jobs, the schedule, the restore's status) before calling again, and
    /// never call again blindly.
    CheckFirst,
}

impl RetryAdvice {
    /// The pause advised after a transient failure: long enough for a gateway or the API
    /// service to come back, short enough not to keep an administrator waiting.
    pub const TRANSIENT_PAUSE: Duration = Duration::from_secs(15);
}

impl Error {
    /// Whether, and when, to make the same call again.
    ///
    /// ```
    /// use vcsa_backup::{Error, Message, RetryAdvice, ServerError};
    ///
    /// let busy = Error::BackupInProgress(ServerError::new(None, vec![Message::new("x", "busy")]));
    /// assert_eq!(busy.retry_advice(), RetryAdvice::WhenIdle);
    /// ```
    pub fn retry_advice(&self) -> RetryAdvice {
        use RetryAdvice as A;
        match self {
            Self::BackupInProgress(_) => A::WhenIdle,
            Self::SessionExpired { .. } => A::Now,
            Self::NotAuthenticated {
                reason: AuthFailure::FreshSessionRefused,
                ..
            } => A::After(A::TRANSIENT_PAUSE),
            Self::Transient {
                change: Some(_), ..
            }
            | Self::OutcomeUnknown { .. } => A::CheckFirst,
            Self::Transient { change: None, .. } => A::After(A::TRANSIENT_PAUSE),
            Self::Server(e) => match e.error_type {
                Some(
                    ServerErrorType::ResourceInUse
                    | ServerErrorType::ConcurrentChange
                    | ServerErrorType::NotAllowedInCurrentState,
                ) => A::WhenIdle,
                _ => A::Never,
            },
            Self::Wait(e) => e.retry_advice(),
            Self::RecoveryWait(e) => e.retry_advice(),
            Self::NotFound(_)
            | Self::NotAuthenticated { .. }
            | Self::NotAuthorized(_)
            | Self::NotAllowedInCurrentState(_)
            | Self::InvalidRequest(InvalidRequest::Problems(_) | InvalidRequest::Rejected(_))
            | Self::UntrustedCertificate { .. }
            | Self::MalformedResponse { .. }
            | Self::Configuration { .. } => A::Never,
        }
    }
}

impl WaitError {
    /// Whether, and when, to make the same call again: waiting again for a job that is still
    /// running is safe at once ([`RetryAdvice::Now`], with a longer limit); a failed or stalled
    /// job needs a person ([`RetryAdvice::Never`]); a failed read or a start that did not
    /// happen takes the advice of its cause.
    pub fn retry_advice(&self) -> RetryAdvice {
        match self {
            Self::JobFailed(_) | Self::Stalled(_) => RetryAdvice::Never,
            Self::TimedOut(_) => RetryAdvice::Now,
            Self::ReadFailed(e) => e.error.retry_advice(),
            Self::NotStarted(e) => match &e.reason {
                NotStartedReason::Refused(error) | NotStartedReason::JobListUnreadable(error) => {
                    error.retry_advice()
                }
                NotStartedReason::TimedOut(_) => RetryAdvice::WhenIdle,
                NotStartedReason::WaitFailed(WaitError::ReadFailed(e)) => e.error.retry_advice(),
                // The job in the way is still running (or stuck): start once it has ended.
                NotStartedReason::WaitFailed(_) => RetryAdvice::WhenIdle,
            },
        }
    }
}

impl<T> RecoveryWaitError<T> {
    /// Whether, and when, to make the same call again: a failed restore or reconciliation
    /// needs a person ([`RetryAdvice::Never`]); one still running can be waited for again at
    /// once ([`RetryAdvice::Now`]); a failed read takes the advice of its cause.
    pub fn retry_advice(&self) -> RetryAdvice {
        match self {
            Self::Failed { .. } => RetryAdvice::Never,
            Self::TimedOut { .. } => RetryAdvice::Now,
            Self::ReadFailed { error, .. } => error.retry_advice(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::error::{Field, Problem, ServerError};
    use crate::error::{JobFailed, NotStarted, ReadFailed, Stalled, TimedOut, WaitSummary};
    use crate::job::{JobId, JobState, JobStatus, Percent};
    use crate::message::Message;

    const PAUSE: RetryAdvice = RetryAdvice::After(RetryAdvice::TRANSIENT_PAUSE);

    fn said(error_type: Option<ServerErrorType>) -> ServerError {
        ServerError::new(error_type, vec![Message::new("x", "What went wrong")])
    }

    fn transient(change: Option<&'static str>) -> Error {
        Error::Transient {
            reason: "the appliance could not be reached".into(),
            server: None,
            source: None,
            change,
        }
    }

    fn refused(reason: AuthFailure) -> Error {
        Error::NotAuthenticated {
            reason,
            server: None,
        }
    }

    fn status() -> JobStatus {
        JobStatus {
            id: JobId::new("20260101-000000-1"),
            state: JobState::InProgress,
            progress: Percent::new(40).expect("a percentage"),
            messages: vec![Message::new("x", "Copying the database")],
            started_at: chrono::DateTime::UNIX_EPOCH,
            ended_at: None,
            size_bytes: None,
        }
    }

    fn not_started(reason: NotStartedReason) -> WaitError {
        WaitError::NotStarted(Box::new(NotStarted {
            reason,
            blocked_by: Vec::new(),
            waited: Duration::ZERO,
            time_limit: Duration::from_secs(60),
            attempts: 1,
        }))
    }

    fn timed_out() -> WaitError {
        WaitError::TimedOut(Box::new(TimedOut {
            job: status().id,
            time_limit: Duration::from_secs(60),
            summary: WaitSummary::default(),
            last_status: Some(status()),
            last_error: None,
        }))
    }

    fn read_failed(error: Error) -> WaitError {
        WaitError::ReadFailed(Box::new(ReadFailed {
            job: status().id,
            error,
            summary: WaitSummary::default(),
            last_status: None,
        }))
    }

    #[test]
    fn every_error_kind_has_its_advice() {
        let cases: Vec<(Error, RetryAdvice)> = vec![
            (Error::BackupInProgress(said(None)), RetryAdvice::WhenIdle),
            (Error::NotFound(said(None)), RetryAdvice::Never),
            (refused(AuthFailure::NoCredentials), RetryAdvice::Never),
            (
                refused(AuthFailure::LoginRefused {
                    user: "administrator@vsphere.local".into(),
                }),
                RetryAdvice::Never,
            ),
            (refused(AuthFailure::SessionRefused), RetryAdvice::Never),
            (refused(AuthFailure::FreshSessionRefused), PAUSE),
            (
                Error::SessionExpired {
                    operation: "start a backup",
                },
                RetryAdvice::Now,
            ),
            (Error::NotAuthorized(said(None)), RetryAdvice::Never),
            (
                Error::NotAllowedInCurrentState(said(None)),
                RetryAdvice::Never,
            ),
            (
                Error::problems_found(vec![Problem::new(Field::Location, "missing")]),
                RetryAdvice::Never,
            ),
            (
                Error::InvalidRequest(InvalidRequest::Rejected(said(None))),
                RetryAdvice::Never,
            ),
            (transient(None), PAUSE),
            (transient(Some("start a restore")), RetryAdvice::CheckFirst),
            (
                Error::UntrustedCertificate {
                    reason: "unknown issuer".into(),
                    certificate: None,
                },
                RetryAdvice::Never,
            ),
            (
                Error::Server(said(Some(ServerErrorType::ResourceInUse))),
                RetryAdvice::WhenIdle,
            ),
            (
                Error::Server(said(Some(ServerErrorType::ConcurrentChange))),
                RetryAdvice::WhenIdle,
            ),
            (
                Error::Server(said(Some(ServerErrorType::AlreadyExists))),
                RetryAdvice::Never,
            ),
            (Error::Server(said(None)), RetryAdvice::Never),
            (
                Error::MalformedResponse {
                    status: None,
                    reason: "not JSON".into(),
                    excerpt: String::new(),
                },
                RetryAdvice::Never,
            ),
            (
                Error::OutcomeUnknown {
                    operation: "start a backup",
                    location: "sftp://nas/vcsa".into(),
                    candidates: Vec::new(),
                    reason: "the jobs could not be read".into(),
                },
                RetryAdvice::CheckFirst,
            ),
            (
                Error::Configuration {
                    problems: vec![Problem::new(Field::BaseUrl, "not a URL")],
                },
                RetryAdvice::Never,
            ),
            (timed_out().into(), RetryAdvice::Now),
            (
                Error::RecoveryWait(Box::new(RecoveryWaitError::Failed {
                    last: Vec::new(),
                    summary: WaitSummary::default(),
                })),
                RetryAdvice::Never,
            ),
        ];
        for (error, advice) in cases {
            assert_eq!(error.retry_advice(), advice, "{error:?}");
            // Every kind says what to do, but a recovery wait, whose summary says it.
            assert_eq!(
                error.hint().is_none(),
                matches!(error, Error::RecoveryWait(_)),
                "{error:?}"
            );
        }
    }

    #[test]
    fn every_wait_ending_has_its_advice() {
        let cases = [
            (
                WaitError::JobFailed(Box::new(JobFailed {
                    status: status(),
                    summary: WaitSummary::default(),
                })),
                RetryAdvice::Never,
            ),
            (timed_out(), RetryAdvice::Now),
            (
                WaitError::Stalled(Box::new(Stalled {
                    job: status().id,
                    limit: Duration::from_secs(600),
                    unchanged_for: Duration::from_secs(601),
                    summary: WaitSummary::default(),
                    last_status: status(),
                })),
                RetryAdvice::Never,
            ),
            (read_failed(transient(None)), PAUSE),
            (read_failed(Error::NotFound(said(None))), RetryAdvice::Never),
            (
                not_started(NotStartedReason::Refused(transient(Some("start a backup")))),
                RetryAdvice::CheckFirst,
            ),
            (
                not_started(NotStartedReason::Refused(Error::NotFound(said(None)))),
                RetryAdvice::Never,
            ),
            (
                not_started(NotStartedReason::TimedOut(Error::BackupInProgress(said(
                    None,
                )))),
                RetryAdvice::WhenIdle,
            ),
            (
                not_started(NotStartedReason::JobListUnreadable(transient(None))),
                PAUSE,
            ),
            (
                not_started(NotStartedReason::WaitFailed(timed_out())),
                RetryAdvice::WhenIdle,
            ),
            (
                not_started(NotStartedReason::WaitFailed(read_failed(
                    Error::NotAuthorized(said(None)),
                ))),
                RetryAdvice::Never,
            ),
        ];
        for (error, advice) in cases {
            assert_eq!(error.retry_advice(), advice, "{error:?}");
            assert_eq!(Error::from(error).retry_advice(), advice);
        }
    }

    #[test]
    fn every_recovery_wait_ending_has_its_advice() {
        let summary = WaitSummary::default;
        let cases = [
            (
                RecoveryWaitError::Failed {
                    last: vec![Message::new("x", "The restore failed")],
                    summary: summary(),
                },
                RetryAdvice::Never,
            ),
            (
                RecoveryWaitError::TimedOut {
                    last: None,
                    error: Some(transient(None)),
                    summary: summary(),
                },
                RetryAdvice::Now,
            ),
            (
                RecoveryWaitError::ReadFailed {
                    last: None,
                    error: transient(None),
                    summary: summary(),
                },
                PAUSE,
            ),
            (
                RecoveryWaitError::ReadFailed {
                    last: None,
                    error: refused(AuthFailure::SessionRefused),
                    summary: summary(),
                },
                RetryAdvice::Never,
            ),
        ];
        for (error, advice) in cases {
            assert_eq!(error.retry_advice(), advice, "{error:?}");
            let error = Error::RecoveryWait(Box::new(error));
            assert_eq!(error.retry_advice(), advice);
        }
    }

    #[test]
    fn a_failed_jobs_messages_and_a_failed_reads_are_the_appliances_messages() {
        let failed = Error::from(WaitError::JobFailed(Box::new(JobFailed {
            status: status(),
            summary: WaitSummary::default(),
        })));
        assert_eq!(failed.appliance_messages(), status().messages.as_slice());
        let read = Error::from(read_failed(Error::NotFound(said(None))));
        assert_eq!(read.appliance_messages(), said(None).messages.as_slice());
        let restore = Error::RecoveryWait(Box::new(RecoveryWaitError::Failed {
            last: vec![Message::new("x", "The restore failed")],
            summary: WaitSummary::default(),
        }));
        assert_eq!(restore.appliance_messages().len(), 1);
        assert!(transient(None).appliance_messages().is_empty());
    }
}
