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
    use crate::error::samples::{refused, said, transient};
    use crate::error::{Field, Problem};
    use crate::error::{JobFailed, NotStarted, ReadFailed, Stalled, TimedOut, WaitSummary};
    use crate::job::{JobId, JobState, JobStatus, Percent};
    use crate::message::Message;
    use NotStartedReason::{JobListUnreadable, Refused, WaitFailed};
    use RetryAdvice::{CheckFirst, Never, Now, WhenIdle};

    const PAUSE: RetryAdvice = RetryAdvice::After(RetryAdvice::TRANSIENT_PAUSE);

    fn server(error_type: ServerErrorType) -> Error {
        Error::Server(said(Some(error_type)))
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

    fn job_failed() -> Error {
        Error::from(WaitError::JobFailed(Box::new(JobFailed {
            status: status(),
            summary: WaitSummary::default(),
        })))
    }

    fn not_started(reason: NotStartedReason) -> Error {
        Error::from(WaitError::NotStarted(Box::new(NotStarted {
            reason,
            blocked_by: Vec::new(),
            waited: Duration::ZERO,
            time_limit: Duration::from_secs(60),
            attempts: 1,
        })))
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

    fn recovery(error: RecoveryWaitError<Vec<Message>>) -> Error {
        Error::RecoveryWait(Box::new(error))
    }

    fn recovery_read_failed(error: Error) -> Error {
        recovery(RecoveryWaitError::ReadFailed {
            last: None,
            error,
            summary: WaitSummary::default(),
        })
    }

    fn restore_failed() -> Error {
        recovery(RecoveryWaitError::Failed {
            last: vec![Message::new("x", "The restore failed")],
            summary: WaitSummary::default(),
        })
    }

    /// The advice of every kind of error, a wait's and a recovery wait's endings among them (whose
    /// advice `Error` takes from them).
    #[test]
    fn every_error_kind_has_its_advice() {
        let user = "administrator@vsphere.local".to_string();
        let cases: Vec<(Error, RetryAdvice)> = vec![
            (Error::BackupInProgress(said(None)), WhenIdle),
            (Error::NotFound(said(None)), Never),
            (refused(AuthFailure::NoCredentials), Never),
            (refused(AuthFailure::LoginRefused { user }), Never),
            (refused(AuthFailure::SessionRefused), Never),
            (refused(AuthFailure::FreshSessionRefused), PAUSE),
            (
                Error::SessionExpired {
                    operation: "start a backup",
                },
                Now,
            ),
            (Error::NotAuthorized(said(None)), Never),
            (Error::NotAllowedInCurrentState(said(None)), Never),
            (
                Error::problems_found(vec![Problem::new(Field::Location, "missing")]),
                Never,
            ),
            (
                Error::InvalidRequest(InvalidRequest::Rejected(said(None))),
                Never,
            ),
            (transient(None), PAUSE),
            (transient(Some("start a restore")), CheckFirst),
            (
                Error::UntrustedCertificate {
                    reason: "unknown issuer".into(),
                    certificate: None,
                },
                Never,
            ),
            (server(ServerErrorType::ResourceInUse), WhenIdle),
            (server(ServerErrorType::ConcurrentChange), WhenIdle),
            (server(ServerErrorType::AlreadyExists), Never),
            (Error::Server(said(None)), Never),
            (
                Error::MalformedResponse {
                    status: None,
                    reason: "not JSON".into(),
                    excerpt: String::new(),
                },
                Never,
            ),
            (
                Error::OutcomeUnknown {
                    operation: "start a backup",
                    location: "sftp://nas/vcsa".into(),
                    candidates: Vec::new(),
                    reason: "the jobs could not be read".into(),
                },
                CheckFirst,
            ),
            (
                Error::Configuration {
                    problems: vec![Problem::new(Field::BaseUrl, "not a URL")],
                },
                Never,
            ),
            (job_failed(), Never),
            (timed_out().into(), Now),
            (
                Error::from(WaitError::Stalled(Box::new(Stalled {
                    job: status().id,
                    limit: Duration::from_secs(600),
                    unchanged_for: Duration::from_secs(601),
                    summary: WaitSummary::default(),
                    last_status: status(),
                }))),
                Never,
            ),
            (read_failed(transient(None)).into(), PAUSE),
            (read_failed(Error::NotFound(said(None))).into(), Never),
            (
                not_started(Refused(transient(Some("start a backup")))),
                CheckFirst,
            ),
            (not_started(Refused(Error::NotFound(said(None)))), Never),
            (
                not_started(NotStartedReason::TimedOut(Error::BackupInProgress(said(
                    None,
                )))),
                WhenIdle,
            ),
            (not_started(JobListUnreadable(transient(None))), PAUSE),
            (not_started(WaitFailed(timed_out())), WhenIdle),
            (
                not_started(WaitFailed(read_failed(Error::NotAuthorized(said(None))))),
                Never,
            ),
            (restore_failed(), Never),
            (
                recovery(RecoveryWaitError::TimedOut {
                    last: None,
                    error: Some(transient(None)),
                    summary: WaitSummary::default(),
                }),
                Now,
            ),
            (recovery_read_failed(transient(None)), PAUSE),
            (
                recovery_read_failed(refused(AuthFailure::SessionRefused)),
                Never,
            ),
        ];
        for (error, advice) in cases {
            assert_eq!(error.retry_advice(), advice, "{error:?}");
            // Every kind says what to do, but those whose summary says it.
            let said_in_summary = matches!(
                &error,
                Error::RecoveryWait(_)
                    | Error::Wait(WaitError::ReadFailed(_) | WaitError::NotStarted(_))
            );
            assert_eq!(error.hint().is_none(), said_in_summary, "{error:?}");
        }
    }

    #[test]
    fn a_failed_jobs_messages_and_a_failed_reads_are_the_appliances_messages() {
        assert_eq!(job_failed().appliance_messages(), status().messages);
        let read = Error::from(read_failed(Error::NotFound(said(None))));
        assert_eq!(read.appliance_messages(), said(None).messages);
        assert_eq!(restore_failed().appliance_messages().len(), 1);
        assert!(transient(None).appliance_messages().is_empty());
    }
}
