//! What a health check found.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};

use crate::health::Verdict;
use crate::job::{JobId, JobKind, Percent, TaskState};
use crate::message::Message;

/// The result of a backup health check: the verdict, the reasons for it, and the facts behind
/// them. Serializes to the JSON that `vcsa-backup check --output json` prints (durations in
/// seconds, times in RFC 3339).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct HealthReport {
    /// OK, WARNING, CRITICAL or UNKNOWN: the worst of the reasons.
    pub verdict: Verdict,
    /// Why, most severe first; OK findings (such as the age of a recent backup) included.
    pub reasons: Vec<Reason>,
    /// The appliance's clock when the check ran: ages are measured against it.
    pub checked_at: DateTime<Utc>,
    /// The newest backup that succeeded, if the appliance remembers one.
    pub last_success: Option<LastSuccess>,
    /// The newest job, whatever its state.
    pub newest_job: Option<NewestJob>,
    /// Jobs that failed after the newest success (all the failed jobs when none succeeded).
    pub failures_since_success: usize,
    /// The appliance's backup schedules; `None` when they could not be read.
    pub schedules: Option<Vec<ScheduleHealth>>,
}

impl HealthReport {
    /// The report of a check that could not read the appliance at all: UNKNOWN, with the
    /// reason.
    pub fn unknown(checked_at: DateTime<Utc>, reason: impl Into<String>) -> Self {
        let reason = Reason::new(Verdict::Unknown, ReasonKind::Unreadable, reason.into());
        Self {
            verdict: Verdict::Unknown,
            reasons: vec![reason],
            checked_at,
            last_success: None,
            newest_job: None,
            failures_since_success: 0,
            schedules: None,
        }
    }

    /// Sorts the reasons most severe first (the order of findings of one severity is kept) and
    /// sets the verdict to the worst.
    pub(crate) fn settle(&mut self) {
        self.reasons.sort_by_key(|r| std::cmp::Reverse(r.verdict));
        self.verdict = self.reasons.first().map_or(Verdict::Ok, |r| r.verdict);
    }

    /// One line for people and monitoring status lines: the most severe reasons, joined.
    ///
    /// Reasons that share the verdict are all given; OK findings only when nothing is wrong.
    pub fn summary(&self) -> String {
        let shown = self.reasons.iter().filter(|r| r.verdict == self.verdict);
        let shown: Vec<&str> = shown.map(|r| r.message.as_str()).collect();
        match shown.is_empty() {
            true => "no finding".to_string(),
            false => shown.join("; "),
        }
    }
}

/// One finding of a check.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Reason {
    /// How severe this finding is on its own.
    pub verdict: Verdict,
    /// What kind of finding it is, for programs.
    pub kind: ReasonKind,
    /// The finding, in an administrator's words.
    pub message: String,
}

impl Reason {
    pub(crate) fn new(verdict: Verdict, kind: ReasonKind, message: String) -> Self {
        Self {
            verdict,
            kind,
            message,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.verdict, self.message)
    }
}

/// What a [`Reason`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReasonKind {
    /// The age of the newest successful backup (OK, WARNING or CRITICAL by the policy).
    LastSuccessAge,
    /// No job in the appliance's history succeeded.
    NoSuccess,
    /// The newest job is in a state this SDK does not know (sent by a newer appliance).
    UnknownJobState,
    /// The newest job failed.
    NewestJobFailed,
    /// The newest job was canceled: reported, and judged by the age of the newest success.
    NewestJobCanceled,
    /// An enabled schedule's run started no backup within the grace period.
    MissedRun,
    /// The newest successful scheduled backup is not in the catalog at its location, or the
    /// catalog could not say (or it is, for an OK finding).
    ArchiveAtLocation,
    /// A backup is running now.
    Running,
    /// No backup schedule is enabled with a time to run at, so no backup starts by itself.
    NoEnabledSchedule,
    /// The schedule the policy requires does not exist.
    RequiredScheduleMissing,
    /// The schedule the policy requires is disabled.
    RequiredScheduleDisabled,
    /// The appliance's records contradict its clock (a backup that ended in the future).
    ClockMismatch,
    /// Part of the appliance could not be read (the schedules, or everything).
    Unreadable,
}

/// The newest backup that succeeded.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct LastSuccess {
    /// Its job.
    pub job: JobId,
    /// Started by a schedule or by hand.
    pub kind: JobKind,
    /// When it ended, by the appliance's clock.
    pub ended_at: DateTime<Utc>,
    /// How long ago it ended, by the appliance's clock; `None` when it ended after that clock's
    /// now (a skewed clock): no age is better than a wrong one.
    #[serde(rename = "age_seconds", serialize_with = "optional_seconds")]
    pub age: Option<Duration>,
    /// How long it took.
    #[serde(rename = "duration_seconds", serialize_with = "optional_seconds")]
    pub duration: Option<Duration>,
    /// Bytes written to the backup location.
    pub size_bytes: Option<u64>,
    /// Where it went (a URL; never holds a password).
    pub location: String,
}

/// The newest job, whatever its state.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct NewestJob {
    /// The job.
    pub job: JobId,
    /// Started by a schedule or by hand.
    pub kind: JobKind,
    /// Pending, running, blocked, succeeded or failed.
    pub state: TaskState,
    /// Whether it failed because it was canceled.
    pub canceled: bool,
    /// When it started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// How long it ran, or has run so far.
    #[serde(rename = "duration_seconds", serialize_with = "optional_seconds")]
    pub duration: Option<Duration>,
    /// Bytes written so far.
    pub size_bytes: Option<u64>,
    /// How far it has got, while it runs (and where it stopped, when it failed).
    pub progress: Option<Percent>,
    /// What the appliance says about it; for a failed job, why it failed.
    pub messages: Vec<Message>,
}

/// A backup schedule's state.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ScheduleHealth {
    /// The schedule's id.
    pub id: String,
    /// Whether it is enabled.
    pub enabled: bool,
    /// Its next run, in the appliance's time zone; `None` when disabled or without recurrence.
    pub next_run: Option<DateTime<FixedOffset>>,
    /// Its newest run whose grace period has passed, in the appliance's time zone; `None` when
    /// disabled, without recurrence, or not judged.
    pub last_due_run: Option<DateTime<FixedOffset>>,
    /// How many of its runs in a row, up to the newest due one, started no backup.
    pub missed_runs: usize,
}

fn optional_seconds<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&d.map(|d| d.as_secs()), s)
}
