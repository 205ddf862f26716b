//! What a wait does when reading the job's status fails: the [`FaultPolicy`] trait and the
//! default, [`RetryTransient`].

use std::fmt;
use std::sync::Arc;

use crate::Error;

/// The decision a [`FaultPolicy`] takes about one failed read.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultAction {
    /// Sleep as the backoff says (within the deadline) and read again.
    Retry,
    /// End the wait with this error.
    GiveUp,
}

/// Decides, after a read of the job's status failed, whether the wait goes on.
///
/// Implement it to change which failures a wait survives; the default is [`RetryTransient`].
///
/// ```
/// use vcsa_backup::Error;
/// use vcsa_backup::wait::{FaultAction, FaultPolicy};
///
/// /// Never retry: any failed read ends the wait.
/// #[derive(Debug)]
/// struct FailFast;
///
/// impl FaultPolicy for FailFast {
///     fn on_error(&self, _error: &Error, _consecutive_failures: u32) -> FaultAction {
///         FaultAction::GiveUp
///     }
/// }
/// ```
pub trait FaultPolicy: Send + Sync + fmt::Debug {
    /// Decide about `error`, the `consecutive_failures`-th failed read in a row (1 for the first
    /// failure after a successful read).
    fn on_error(&self, error: &Error, consecutive_failures: u32) -> FaultAction;
}

impl<P: FaultPolicy + ?Sized> FaultPolicy for Arc<P> {
    fn on_error(&self, error: &Error, consecutive_failures: u32) -> FaultAction {
        (**self).on_error(error, consecutive_failures)
    }
}

/// The default fault policy:
///
/// - transient failures (the appliance unreachable, `SERVICE_UNAVAILABLE`, `TIMED_OUT`, HTTP 502,
///   503 and 504 even when a proxy sent them as an HTML page while the API service restarts:
///   whatever [`Error::is_retryable`] accepts) are retried with the wait's backoff,
///   up to [`max_consecutive`](Self::max_consecutive) failures in a row (default 10: with the
///   default backoff, about 25 seconds of outage early in a wait and 5 minutes late in it, long
///   enough for the appliance's services to restart);
/// - anything else (`NotFound`, `NotAuthorized`, `NotAuthenticated`, an answer that could not be
///   understood, such as an undecodable `200`, which means the base URL points at something
///   other than the appliance's API and will not pass) ends
///   the wait at once.
///
/// An expired session never reaches the policy: the client logs in again by itself and repeats
/// the read. `NotAuthenticated` therefore means the appliance refused the credentials (changed
/// password, locked account), which no amount of waiting fixes.
///
/// ```
/// use vcsa_backup::wait::RetryTransient;
///
/// let patient = RetryTransient::new(20);
/// assert_eq!(patient.max_consecutive(), 20);
/// assert_eq!(RetryTransient::default().max_consecutive(), 10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryTransient {
    max_consecutive: u32,
}

impl RetryTransient {
    /// The default number of consecutive transient failures a wait survives.
    pub const DEFAULT_MAX_CONSECUTIVE: u32 = 10;

    /// Retries up to `max_consecutive` transient failures in a row (0 retries none).
    pub fn new(max_consecutive: u32) -> Self {
        Self { max_consecutive }
    }

    /// How many transient failures in a row are retried.
    pub fn max_consecutive(&self) -> u32 {
        self.max_consecutive
    }
}

impl Default for RetryTransient {
    fn default() -> Self {
        Self::new(Self::DEFAULT_MAX_CONSECUTIVE)
    }
}

impl FaultPolicy for RetryTransient {
    fn on_error(&self, error: &Error, consecutive_failures: u32) -> FaultAction {
        if is_transient(error) && consecutive_failures <= self.max_consecutive {
            FaultAction::Retry
        } else {
            FaultAction::GiveUp
        }
    }
}

/// Only what the error itself calls retryable: the classification already turned gateway
/// statuses (502, 503, 504) into [`Error::Transient`], keeping them apart from answers that were
/// undecodable for good.
fn is_transient(error: &Error) -> bool {
    error.is_retryable()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ServerError;

    fn transient() -> Error {
        Error::Transient {
            reason: "the appliance could not be reached".into(),
            server: None,
            source: None,
        }
    }

    fn malformed(status: Option<u16>) -> Error {
        Error::MalformedResponse {
            status,
            reason: "the answer is not JSON".into(),
            excerpt: "upstream connect error".into(),
        }
    }

    #[test]
    fn transient_failures_are_retried_up_to_the_budget() {
        let policy = RetryTransient::new(3);
        let actions: Vec<FaultAction> = (1..=4).map(|n| policy.on_error(&transient(), n)).collect();
        assert_eq!(
            actions,
            [
                FaultAction::Retry,
                FaultAction::Retry,
                FaultAction::Retry,
                FaultAction::GiveUp
            ]
        );
        assert_eq!(
            RetryTransient::new(0).on_error(&transient(), 1),
            FaultAction::GiveUp
        );
    }

    #[test]
    fn permanent_failures_end_the_wait_at_once() {
        let policy = RetryTransient::default();
        let server = || ServerError::new(None, Vec::new());
        for error in [
            Error::NotFound(server()),
            Error::NotAuthorized(server()),
            Error::Server(server()),
            Error::NotAuthenticated {
                reason: "refused".into(),
                server: None,
            },
        ] {
            assert_eq!(policy.on_error(&error, 1), FaultAction::GiveUp, "{error:?}");
        }
    }

    #[test]
    fn undecodable_answers_end_the_wait_whatever_their_status() {
        // Gateway pages arrive as `Error::Transient` (the classification sees their status);
        // whatever is still malformed is malformed for good.
        let policy = RetryTransient::default();
        for status in [None, Some(200), Some(201), Some(500), Some(503)] {
            assert_eq!(
                policy.on_error(&malformed(status), 1),
                FaultAction::GiveUp,
                "{status:?}"
            );
        }
    }
}
