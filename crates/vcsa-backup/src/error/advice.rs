//! [`RetryAdvice`]: what a caller may do with a call that failed, and when, for every error.

use std::time::Duration;

use super::wait::{NotStartedReason, RecoveryWaitError, WaitError};
use super::{AuthFailure, Error, ServerErrorType};

/// Whether, and when, to make the same call again after it failed.
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
    /// appliance) met a failure that usually passes, such as services restarting.
    After(Duration),
    /// Call again once the job running on the appliance has ended: only one backup or restore
    /// runs at a time (`start_backup_when_idle` does this wait).
    WhenIdle,
    /// A change's answer was lost, so whether the appliance did it is unknown: look (its recent
    /// jobs, the schedule, the restore's status) before calling again; doing it twice can start
    /// two backups.
    CheckFirst,
}

impl RetryAdvice {
    /// The pause advised after a transient failure: long enough for a gateway or the API
    /// service to come back, short enough not to keep an administrator waiting.
    pub const TRANSIENT_PAUSE: Duration = Duration::from_secs(15);
}

impl Error {
    /// Whether, and when, to make the same call again ([`RetryAdvice`]'s example matches on it).
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
            // These fail the same way until their cause is fixed; listed so that a new variant
            // needs its own decision.
            Self::NotFound(_)
            | Self::NotAuthenticated { .. }
            | Self::NotAuthorized(_)
            | Self::NotAllowedInCurrentState(_)
            | Self::InvalidRequest(_)
            | Self::UntrustedCertificate { .. }
            | Self::MalformedResponse { .. }
            | Self::Configuration { .. } => A::Never,
        }
    }
}

impl WaitError {
    /// Whether, and when, to make the same call again: waiting again for a job still running is
    /// safe at once (with a longer limit); a failed or stalled job needs a person; a failed read
    /// or a start that did not happen takes the advice of its cause.
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
    /// Whether, and when, to make the same call again: a failed restore or reconciliation needs
    /// a person; one still running can be waited for again at once; a failed read takes the
    /// advice of its cause.
    pub fn retry_advice(&self) -> RetryAdvice {
        match self {
            Self::Failed { .. } => RetryAdvice::Never,
            Self::TimedOut { .. } => RetryAdvice::Now,
            Self::ReadFailed { error, .. } => error.retry_advice(),
        }
    }
}
