//! How a job will run, fixed when it is requested: how its progress moves, how long it waits
//! before it runs, and where it fails.

mod curve;

pub use curve::{ProgressCurve, Stretch};

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::limits::MAX_JOB_DURATION;

/// How a job will run, fixed when it is requested.
#[derive(Clone, Debug, Default)]
pub(crate) struct RunPlan {
    /// How progress moves once running; the job ends at the end of the curve.
    pub(crate) curve: ProgressCurve,
    /// Queued before it starts (details PENDING, job state NONE).
    pub(crate) pending: Duration,
    /// Started but waiting before it runs (details BLOCKED, job state INPROGRESS).
    pub(crate) blocked: Duration,
    /// Where the job fails, if it should.
    pub(crate) failure: Option<JobFailure>,
}

/// Makes a job fail part-way through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobFailure {
    /// The progress percentage (0 to 99) at which the job fails.
    pub at_percent: u8,
    /// The messages the failed job reports; one default message when empty.
    #[serde(default)]
    pub messages: Vec<String>,
}

impl JobFailure {
    /// A failure at `at_percent` (clamped to 0..=99) with one message.
    pub fn at(at_percent: u8, message: impl Into<String>) -> Self {
        Self {
            at_percent,
            messages: vec![message.into()],
        }
    }

    pub(crate) fn clamped_percent(&self) -> u8 {
        self.at_percent.min(99)
    }
}

/// Makes a job wait before it runs, as a job queued behind other work on the appliance does:
/// first PENDING (job state `NONE`, not started), then BLOCKED (started, job state
/// `INPROGRESS`, progress 0), then RUNNING as usual. Either wait may be zero.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobWait {
    /// Milliseconds the job stays PENDING after it is requested.
    #[serde(default)]
    pub pending_ms: u64,
    /// Milliseconds the job then stays BLOCKED before it runs.
    #[serde(default)]
    pub blocked_ms: u64,
}

impl JobWait {
    /// A wait of `pending` as PENDING, then `blocked` as BLOCKED (each at most
    /// [`MAX_JOB_DURATION`](crate::limits::MAX_JOB_DURATION); longer waits are clamped).
    pub fn new(pending: Duration, blocked: Duration) -> Self {
        let millis = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        Self {
            pending_ms: millis(pending),
            blocked_ms: millis(blocked),
        }
    }

    pub(crate) fn pending(&self) -> Duration {
        Duration::from_millis(self.pending_ms).min(MAX_JOB_DURATION)
    }

    pub(crate) fn blocked(&self) -> Duration {
        Duration::from_millis(self.blocked_ms).min(MAX_JOB_DURATION)
    }
}
