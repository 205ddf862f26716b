//! A backup job's status and progress, as the SDK reports them.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::job::id::JobId;
use crate::message::Message;

vcsa_backup_api::open_enum! {
    /// Where a backup job is in its life.
    ///
    /// ```
    /// use vcsa_backup::JobState;
    ///
    /// assert!(!JobState::InProgress.is_terminal());
    /// assert!(JobState::Failed.is_terminal());
    /// assert_eq!(JobState::InProgress.to_string(), "INPROGRESS");
    /// assert_eq!(JobState::InProgress.describe(), "in progress");
    /// assert_eq!(JobState::from("PAUSED").to_string(), "PAUSED");
    /// ```
    JobState {
        /// The job has not started yet.
        NotStarted = "NONE",
        /// The job is running.
        InProgress = "INPROGRESS",
        /// The job finished and the backup is complete.
        Succeeded = "SUCCEEDED",
        /// The job ended without a complete backup; its messages say why.
        Failed = "FAILED",
    }
}

impl JobState {
    /// Whether the job has ended: it succeeded or failed, and will not change any more.
    ///
    /// An unknown state is not terminal: a newer appliance's extra states are assumed to be
    /// intermediate, so waiting goes on until a known final state arrives.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed)
    }

    /// The state in English (`not started`, `in progress`, `succeeded`, `failed`); an unknown
    /// state as the appliance sent it.
    pub fn describe(&self) -> &str {
        match self {
            Self::NotStarted => "not started",
            Self::InProgress => "in progress",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Unknown(other) => other,
        }
    }
}

/// A percentage from 0 to 100.
///
/// ```
/// use vcsa_backup::Percent;
///
/// assert_eq!(Percent::new(42).unwrap().value(), 42);
/// assert!(Percent::new(101).is_none());
/// assert_eq!(Percent::new(7).unwrap().to_string(), "7%");
/// ```
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(try_from = "u8")]
pub struct Percent(u8);

impl Percent {
    /// All done.
    pub const FULL: Self = Self(100);

    /// A percentage, if `value` is at most 100.
    pub fn new(value: u8) -> Option<Self> {
        (value <= 100).then_some(Self(value))
    }

    /// The percentage, from 0 to 100.
    pub fn value(self) -> u8 {
        self.0
    }

    /// The appliance's progress figure; values outside 0..=100 are clamped, because progress is
    /// advisory and a stray figure must not make a running job unreadable.
    pub(crate) fn clamped(value: i64) -> Self {
        Self(value.clamp(0, 100) as u8)
    }
}

impl TryFrom<u8> for Percent {
    type Error = String;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::new(value).ok_or_else(|| format!("{value} is not a percentage (0 to 100)"))
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0)
    }
}

/// The status of one backup job.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct JobStatus {
    /// The job.
    pub id: JobId,
    /// Where the job is in its life.
    pub state: JobState,
    /// How far the job has got.
    pub progress: Percent,
    /// What the appliance says about the job, oldest first.
    pub messages: Vec<Message>,
    /// When the job started.
    pub started_at: DateTime<Utc>,
    /// When the job ended; `None` while it runs.
    pub ended_at: Option<DateTime<Utc>>,
    /// Bytes written to the backup location so far, when the job's details say (`size`): a
    /// wait's updates carry it, [`Client::get_job`](crate::Client::get_job) does not.
    #[serde(default)]
    pub size_bytes: Option<u64>,
}

/// The appliance's verdict on a cancel or validate request.
///
/// ```
/// use vcsa_backup::{Outcome, OutcomeStatus};
///
/// let outcome = Outcome::new(OutcomeStatus::Warning, vec![]);
/// assert!(outcome.is_accepted());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Outcome {
    /// Accepted, accepted with warnings, or refused.
    pub status: OutcomeStatus,
    /// Why: read these especially on a warning or a refusal.
    pub messages: Vec<Message>,
}

impl Outcome {
    /// An outcome with the given status and messages.
    pub fn new(status: OutcomeStatus, messages: Vec<Message>) -> Self {
        Self { status, messages }
    }

    /// Whether the appliance accepted the request (possibly with warnings).
    pub fn is_accepted(&self) -> bool {
        matches!(self.status, OutcomeStatus::Ok | OutcomeStatus::Warning)
    }
}

vcsa_backup_api::open_enum! {
    /// Whether the appliance accepted a cancel or validate request.
    ///
    /// ```
    /// use vcsa_backup::OutcomeStatus;
    ///
    /// assert_eq!(OutcomeStatus::Warning.to_string(), "WARNING");
    /// assert_eq!(OutcomeStatus::from("FAIL"), OutcomeStatus::Fail);
    /// ```
    OutcomeStatus {
        /// Accepted.
        Ok = "OK",
        /// Accepted, but the messages say something needs attention.
        Warning = "WARNING",
        /// Refused; the messages say why.
        Fail = "FAIL",
    }
}
