//! What a fleet gives back for each appliance: the operation's result, or why it did not
//! happen there.

use std::time::Duration;

use crate::error::{Error, RetryAdvice};
use crate::wait::{HumanDuration, WaitError};

/// What happened on one appliance.
#[derive(Debug)]
#[non_exhaustive]
pub struct ApplianceResult<T> {
    /// The appliance's name in the fleet.
    pub name: String,
    /// Its base URL.
    pub server: String,
    /// Its group, if it has one.
    pub group: Option<String>,
    /// What the operation gave, or why it did not.
    pub outcome: Result<T, ApplianceFailure>,
}

/// Why an operation did not happen on one appliance.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApplianceFailure {
    /// Not tried: two other appliances refused the same account, one after the other, and
    /// trying it again could lock it.
    #[error(
        "not tried: {} refused the log in of \"{user}\" with the same password, and more \
         attempts could lock the account; fix the password, then run again",
        names(refused_by)
    )]
    AccountRefused {
        /// The account.
        user: String,
        /// The names of the appliances that refused it, in the order they did.
        refused_by: Vec<String>,
    },
    /// It did not finish within the time limit.
    #[error("no answer within the time limit of {}", HumanDuration(*limit))]
    TimedOut {
        /// The limit.
        limit: Duration,
    },
    /// Not done: the fleet's deadline passed first (see
    /// [`Fleet::deadline`](crate::fleet::Fleet::deadline)); the appliance was still being read,
    /// or waiting its turn.
    #[error(
        "not read: the fleet's deadline, {} after the start, passed first; allow more time, more \
         appliances at once (jobs), or a shorter time limit per appliance",
        HumanDuration(*allowed)
    )]
    DeadlinePassed {
        /// How long the call had, from its start to the deadline.
        allowed: Duration,
    },
    /// The appliance or the connection to it failed; the error says which and what to do.
    #[error("{0}")]
    Error(#[from] Error),
    /// Following a backup stopped before the job ended ([`Fleet::backup_and_follow`](crate::fleet::Fleet::backup_and_follow)): its deadline
    /// passed, or reads failed for longer than the fault policy allows. The job goes on.
    #[error("{0}")]
    Wait(#[source] Box<WaitError>),
}

impl ApplianceFailure {
    /// The SDK's error, when the failure is one or a wait ended on one (a failed read).
    pub fn error(&self) -> Option<&Error> {
        match self {
            Self::Error(e) => Some(e),
            Self::Wait(e) => e.error(),
            _ => None,
        }
    }

    /// Whether, and when, to try again on this appliance: a refused account never (fix the
    /// password first); a time limit passed, only after looking (a backup's start may have
    /// reached the appliance); a read the fleet's deadline cut short, now (it changed nothing);
    /// otherwise the advice of the error or the wait.
    pub fn retry_advice(&self) -> RetryAdvice {
        match self {
            Self::AccountRefused { .. } => RetryAdvice::Never,
            Self::DeadlinePassed { .. } => RetryAdvice::Now,
            Self::TimedOut { .. } => RetryAdvice::CheckFirst,
            Self::Error(e) => e.retry_advice(),
            Self::Wait(e) => e.retry_advice(),
        }
    }
}

/// "a", "a and b", "a, b and c"; "other appliances" when none is known.
fn names(names: &[String]) -> String {
    if names.is_empty() {
        return "other appliances".into();
    }
    crate::human::and_list(names)
}
