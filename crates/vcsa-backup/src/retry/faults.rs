//! What a wait does when a read fails: the [`FaultPolicy`] trait and the default,
//! [`RetryTransient`], which rides out transient failures for a span of time.

use std::fmt;
use std::time::Duration;

use crate::error::{Error, RetryAdvice};

/// The decision a [`FaultPolicy`] takes about one failed read.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultAction {
    /// Sleep as the backoff says (within the deadline) and read again.
    Retry,
    /// End the wait with this error.
    GiveUp,
}

/// What the retry loop does after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// After the backoff's delay, within the deadline.
    Retry,
    /// At once: the attempt itself waited (for a job to end).
    RetryNow,
    GiveUp,
}

/// The one mapping from a policy's action to the loop's decision.
impl From<FaultAction> for Decision {
    fn from(action: FaultAction) -> Self {
        match action {
            FaultAction::Retry => Self::Retry,
            FaultAction::GiveUp => Self::GiveUp,
        }
    }
}

/// The failed reads in a row that led to a [`FaultPolicy`]'s decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FailureStreak {
    /// Failed reads in a row, this one included (1 for the first after a good read).
    pub consecutive: u32,
    /// Time from the start of the first of them to now.
    pub failing_for: Duration,
}

impl FailureStreak {
    /// A streak of `consecutive` failed reads over `failing_for`.
    pub fn new(consecutive: u32, failing_for: Duration) -> Self {
        Self {
            consecutive,
            failing_for,
        }
    }
}

/// Decides, after a read of the job's status failed, whether the wait goes on.
///
/// Implement it to change which failures a wait survives; the default is [`RetryTransient`].
///
/// ```
/// use vcsa_backup::Error;
/// use vcsa_backup::wait::{FailureStreak, FaultAction, FaultPolicy};
///
/// /// Never retry: any failed read ends the wait.
/// #[derive(Debug)]
/// struct FailFast;
///
/// impl FaultPolicy for FailFast {
///     fn on_error(&self, _error: &Error, _streak: &FailureStreak) -> FaultAction {
///         FaultAction::GiveUp
///     }
/// }
/// ```
pub trait FaultPolicy: Send + Sync + fmt::Debug {
    /// Decide about `error`, the last of `streak`.
    fn on_error(&self, error: &Error, streak: &FailureStreak) -> FaultAction;
}

/// The default fault policy: rides out transient failures for up to a span of time in a row
/// (5 minutes by default), on the wait's schedule and never past its deadline; anything else
/// ends the wait at once.
///
/// Transient is what [`Error::retry_advice`] advises to try again after a pause
/// ([`RetryAdvice::After`](crate::RetryAdvice::After)), such as the appliance's services
/// restarting during a fast backup. A refused log in ends the wait (the appliance locks an account
/// after a few); an expired session never reaches the policy: the client logs in again by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryTransient {
    limit: Duration,
}

impl RetryTransient {
    /// How long transient failures in a row are ridden out by default: 5 minutes, longer than
    /// the appliance's services take to restart.
    pub const DEFAULT_LIMIT: Duration = Duration::from_secs(5 * 60);

    /// Retries transient failures for as long as they have lasted less than `limit` in a row
    /// (zero retries none).
    pub fn new(limit: Duration) -> Self {
        Self { limit }
    }
}

impl Default for RetryTransient {
    fn default() -> Self {
        Self::new(Self::DEFAULT_LIMIT)
    }
}

impl FaultPolicy for RetryTransient {
    fn on_error(&self, error: &Error, streak: &FailureStreak) -> FaultAction {
        // What passes by itself is what the error advises to try again after a pause.
        let transient = matches!(error.retry_advice(), RetryAdvice::After(_));
        if transient && streak.failing_for < self.limit {
            FaultAction::Retry
        } else {
            FaultAction::GiveUp
        }
    }
}
