//! Faults a test can inject: failing calls, failing jobs, slow answers, values from the future.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::MAX_JOB_DURATION;

/// Which enumeration in responses an injected unknown value replaces.
///
/// The vendor declares all its enumerations open; a client must survive a value it has never seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnumField {
    /// `state` of a job status (`INPROGRESS`, `SUCCEEDED`...).
    JobState,
    /// `status` of job details (`RUNNING`, `SUCCEEDED`...).
    DetailsStatus,
    /// `type` of job details (`MANUAL`, `SCHEDULED`).
    DetailsType,
    /// `status` of a cancel or validate result (`OK`, `WARNING`, `FAIL`).
    ReturnStatus,
    /// The error type of error bodies (`error_type` in `/api`, the suffix of `type` in `/rest`).
    ErrorType,
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
    /// [`MAX_JOB_DURATION`](crate::MAX_JOB_DURATION); longer waits are clamped).
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

/// The faults in force, as the admin endpoint reports them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Faults {
    /// How many of the next vendor API calls answer 503 SERVICE_UNAVAILABLE.
    pub fail_next: u32,
    /// Added to every vendor API answer, in milliseconds.
    pub delay_ms: u64,
    /// How the next backup job (manual or scheduled) fails, if it should.
    pub next_job_failure: Option<JobFailure>,
    /// How long the next backup job (manual or scheduled) waits as PENDING, then BLOCKED.
    #[serde(default)]
    pub next_job_wait: Option<JobWait>,
    /// Enumerations whose value in every response is replaced by the given unknown value.
    pub unknown_enums: BTreeMap<EnumField, String>,
}

impl Faults {
    pub(crate) fn delay(&self) -> Duration {
        Duration::from_millis(self.delay_ms)
    }

    pub(crate) fn unknown(&self, field: EnumField) -> Option<&str> {
        self.unknown_enums.get(&field).map(String::as_str)
    }
}
