//! Detailed information about backup jobs: the same result whichever flavour the appliance speaks.

use std::cmp::Reverse;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::job::id::JobId;
use crate::job::status::Percent;
use crate::message::Message;
use crate::server_error::ServerError;

/// Everything the appliance records about one backup job.
///
/// Which optional fields are present depends on [`state`](Self::state): finished jobs carry
/// `duration`, `size`, `progress`, `started_at` and `ended_at` (failed ones may carry `error`);
/// running jobs carry all of those but `ended_at`; blocked jobs only `started_at`; pending jobs none.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).paused().job_secs(60).run(async |sim, client, request| {
/// # let job = client.start_backup(&request).await?;
/// # client.wait_for_job(&job.id, &vcsa_backup::wait::WaitOptions::default()).await?;
/// use vcsa_backup::{JobKind, TaskState};
///
/// // `job` has just finished.
/// let info = client.get_job_details(&job.id).await?;
/// assert_eq!(info.state, TaskState::Succeeded);
/// assert_eq!(info.kind, JobKind::Manual);
/// println!(
///     "{}: {} to {}, {} bytes in {} s",
///     info.description,
///     info.state,
///     info.location,
///     info.size_bytes.unwrap_or(0),
///     info.duration.map_or(0, |d| d.as_secs()),
/// );
/// assert!(info.ended_at >= info.started_at);
/// if let Some(progress) = &info.progress {
///     println!("{} of {} ({:?}): {}", progress.completed, progress.total, progress.percent(), progress.message);
///     assert!(progress.completed <= progress.total);
/// }
/// if let Some(build) = &info.build {
///     println!("backed up from {} {} (build {})", build.version_name, build.version, build.build_number);
/// }
/// for (id, info) in &client.list_job_details(None).await? {
///     if let Some(target) = &info.target {
///         println!("job {id} worked on {} {}", target.kind, target.id);
///     }
/// }
/// # Ok(()) })
/// ```
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct JobDetails {
    /// Whether the job was started by a schedule, by hand, or is a local backup.
    pub kind: JobKind,
    /// Where the job is in its life (the appliance's `status`).
    pub state: TaskState,
    /// What the job is, in the appliance's words.
    pub description: Message,
    /// Information, warnings and errors the job reported.
    pub messages: Vec<Message>,
    /// Where the backup goes (a URL).
    pub location: String,
    /// The user name for the backup location (empty when none is used).
    pub location_user: String,
    /// Whether the job can still be cancelled; this changes as the job progresses.
    pub cancelable: bool,
    /// How long the job has run, or took.
    pub duration: Option<Duration>,
    /// Bytes transferred to the backup location.
    pub size_bytes: Option<u64>,
    /// Work done so far.
    pub progress: Option<TaskProgress>,
    /// The appliance build that made the backup.
    pub build: Option<BuildInfo>,
    /// Whether the fast database backup was asked for.
    pub fast_backup: Option<bool>,
    /// Why the job failed, when it did.
    pub error: Option<ServerError>,
    /// When the job started.
    pub started_at: Option<DateTime<Utc>>,
    /// When the job ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// Who started the job; `None` when the appliance itself did (a schedule).
    pub user: Option<String>,
    /// The service that ran the job (a vAPI service id).
    pub service: String,
    /// The operation the job ran (a vAPI operation id).
    pub operation: String,
    /// The parent task, if any.
    pub parent: Option<String>,
    /// The resource the job worked on, if one.
    pub target: Option<Target>,
}

/// Work done by a job, in the appliance's own units (see the example on [`JobDetails`]).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct TaskProgress {
    /// Work done so far; it only grows.
    pub completed: u64,
    /// All the work there is.
    pub total: u64,
    /// What the job is doing now.
    pub message: Message,
}

impl TaskProgress {
    /// `completed` as a share of `total`; `None` when the total is zero.
    pub fn percent(&self) -> Option<Percent> {
        if self.total == 0 {
            return None;
        }
        let share = (u128::from(self.completed.min(self.total)) * 100) / u128::from(self.total);
        Percent::new(share as u8)
    }
}

/// The appliance build recorded with a job.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct BuildInfo {
    /// The release name.
    pub version_name: String,
    /// The version, such as `8.0.2.00100`.
    pub version: String,
    /// The build number.
    pub build_number: String,
}

/// A resource a job worked on.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Target {
    /// The resource type, such as `com.vmware.appliance.recovery.backup.job`.
    pub kind: String,
    /// The resource's id.
    pub id: String,
}

vcsa_backup_api::open_enum! {
    /// Where a job is in its life, as job details report it (their `status`; finer than
    /// [`JobState`](crate::JobState)).
    ///
    /// ```
    /// use vcsa_backup::TaskState;
    ///
    /// assert!(TaskState::Succeeded.is_terminal() && TaskState::Failed.is_terminal());
    /// assert!(!TaskState::Pending.is_terminal() && !TaskState::Blocked.is_terminal());
    /// assert_eq!(TaskState::Running.as_str(), "RUNNING");
    /// // A status from a newer appliance is kept, as sent, and not taken for an end.
    /// let new = TaskState::from("PAUSED");
    /// assert_eq!(new.to_string(), "PAUSED");
    /// assert!(!new.is_terminal());
    /// ```
    TaskState {
        /// Waiting to start.
        Pending = "PENDING",
        /// Running.
        Running = "RUNNING",
        /// Waiting on something else.
        Blocked = "BLOCKED",
        /// Finished with a complete backup.
        Succeeded = "SUCCEEDED",
        /// Ended without a complete backup.
        Failed = "FAILED",
    }
}

impl TaskState {
    /// Whether the job has ended and will not change any more.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed)
    }
}

vcsa_backup_api::open_enum! {
    /// How a job was started.
    ///
    /// ```
    /// use vcsa_backup::JobKind;
    ///
    /// assert_eq!(JobKind::Scheduled.as_str(), "SCHEDULED");
    /// assert_eq!(JobKind::LocalBackup.to_string(), "LOCAL_BACKUP");
    /// ```
    JobKind {
        /// By the appliance's backup schedule.
        Scheduled = "SCHEDULED",
        /// By a user or a program.
        Manual = "MANUAL",
        /// A backup kept on the appliance itself (vSphere 9 and later).
        LocalBackup = "LOCAL_BACKUP",
    }
}

/// The jobs, newest first: by start time, else the time in the ID; jobs not started yet first.
pub(crate) fn newest_first<'a>(
    jobs: impl IntoIterator<Item = (&'a JobId, &'a JobDetails)>,
) -> Vec<(&'a JobId, &'a JobDetails)> {
    let mut sorted: Vec<_> = jobs.into_iter().collect();
    sorted.sort_by_key(|(id, d)| {
        let started = d.started_at.or_else(|| id.started_at());
        Reverse((started.is_none(), started, *id))
    });
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_share() {
        let p = |completed, total| TaskProgress {
            completed,
            total,
            message: Message::new("m", "m"),
        };
        assert_eq!(p(1, 3).percent().unwrap().value(), 33);
        assert_eq!(p(5, 0).percent(), None);
        assert_eq!(p(9, 4).percent().unwrap().value(), 100);
        assert_eq!(p(u64::MAX, u64::MAX).percent().unwrap().value(), 100);
    }
}
