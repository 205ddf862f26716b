//! How a job looks on the wire: its status, and its details with the optional fields each
//! status carries.

use tokio::time::Instant;
use vcsa_backup_api::enums::{BackupRestoreProcessState, DetailsStatus, DetailsType, ErrorType};
use vcsa_backup_api::types::{
    BackupJobStatus, DetailsBuildInfo, DetailsError, DetailsInfo, DetailsProgress, JobMessage,
    LocalizableMessage,
};

use super::{Job, Phase};
use crate::config::SimConfig;
use crate::error::message;
use crate::faults::{EnumField, Faults};

impl Job {
    fn failure_messages(&self, cancelled: bool) -> Vec<LocalizableMessage> {
        if cancelled {
            return vec![message(
                "com.vmware.applmgmt.backup.job.canceled",
                "The backup job was canceled by the user.",
            )];
        }
        let texts = self
            .plan
            .failure
            .as_ref()
            .map(|f| f.messages.as_slice())
            .unwrap_or_default();
        if texts.is_empty() {
            return vec![message(
                "com.vmware.applmgmt.backup.job.failed",
                "The backup job failed.",
            )];
        }
        texts
            .iter()
            .map(|t| message("com.vmware.applmgmt.backup.job.failed", t.clone()))
            .collect()
    }

    /// The job as the job status operation returns it: state NONE while pending (with the time it
    /// was requested as `start_time`, which the shape requires), INPROGRESS while blocked or
    /// running, then SUCCEEDED or FAILED with an `end_time`.
    pub(crate) fn status(&self, now: Instant, faults: &Faults) -> BackupJobStatus {
        let phase = self.phase(now);
        let (state, progress, messages) = match &phase {
            Phase::Pending => (BackupRestoreProcessState::None, 0, vec![]),
            Phase::Blocked => (BackupRestoreProcessState::Inprogress, 0, vec![]),
            Phase::Running { progress } => {
                (BackupRestoreProcessState::Inprogress, *progress, vec![])
            }
            Phase::Succeeded { .. } => (BackupRestoreProcessState::Succeeded, 100, vec![]),
            Phase::Failed {
                progress,
                cancelled,
                ..
            } => {
                let messages = self
                    .failure_messages(*cancelled)
                    .into_iter()
                    .map(|m| JobMessage {
                        id: m.id,
                        default_message: m.default_message,
                        args: m.args,
                    })
                    .collect();
                (BackupRestoreProcessState::Failed, *progress, messages)
            }
        };
        BackupJobStatus {
            id: self.id.clone(),
            state: match faults.unknown(EnumField::JobState) {
                Some(v) => BackupRestoreProcessState::from(v),
                None => state,
            },
            messages,
            progress,
            start_time: match phase {
                Phase::Pending => self.created_utc,
                _ => self.start_utc(&phase),
            },
            end_time: phase.ended().map(|e| self.end_utc(e)),
        }
    }

    /// The job as the details operation returns it; which optional fields appear depends on
    /// the status, exactly as the vendor's SDK expects: PENDING carries none of `duration`,
    /// `size`, `progress`, `start_time` and `end_time`; BLOCKED only `start_time`; RUNNING all
    /// but `end_time`; SUCCEEDED and FAILED all of them (FAILED also `error`).
    pub(crate) fn details(&self, now: Instant, faults: &Faults, config: &SimConfig) -> DetailsInfo {
        let phase = self.phase(now);
        let (status, error, messages) = match &phase {
            Phase::Pending => (DetailsStatus::Pending, None, vec![]),
            Phase::Blocked => (DetailsStatus::Blocked, None, vec![]),
            Phase::Running { .. } => (DetailsStatus::Running, None, vec![]),
            Phase::Succeeded { .. } => (DetailsStatus::Succeeded, None, vec![]),
            Phase::Failed { cancelled, .. } => {
                let messages = self.failure_messages(*cancelled);
                let error = DetailsError {
                    error_type: Some(if *cancelled {
                        ErrorType::Canceled
                    } else {
                        ErrorType::Error
                    }),
                    messages: messages.clone(),
                    data: Default::default(),
                };
                (DetailsStatus::Failed, Some(error), messages)
            }
        };
        let progress = progress_of(&phase);
        let started = !matches!(phase, Phase::Pending);
        let (service, operation) = match self.spec.kind {
            DetailsType::Scheduled => ("com.vmware.appliance.recovery.backup.schedules", "run"),
            _ => ("com.vmware.appliance.recovery.backup.job", "create"),
        };
        DetailsInfo {
            location: self.location(),
            location_user: self.spec.location_user.clone(),
            type_: match faults.unknown(EnumField::DetailsType) {
                Some(v) => DetailsType::from(v),
                None => self.spec.kind.clone(),
            },
            messages,
            description: self.description(),
            service: service.to_string(),
            operation: operation.to_string(),
            status: match faults.unknown(EnumField::DetailsStatus) {
                Some(v) => DetailsStatus::from(v),
                None => status,
            },
            cancelable: phase.is_active(),
            duration: progress.as_ref().map(|_| self.duration_secs(&phase, now)),
            size: progress
                .as_ref()
                .map(|(pct, _)| self.spec.total_bytes.saturating_mul(*pct) / 100),
            progress: progress.map(|(completed, message)| DetailsProgress {
                total: 100,
                completed,
                message,
            }),
            build: Some(DetailsBuildInfo {
                version_name: config.version_name.clone(),
                version: config.version.clone(),
                build_number: config.build.clone(),
            }),
            fast_backup: self.spec.fast_backup,
            parent: None,
            target: None,
            error,
            start_time: started.then(|| self.start_utc(&phase)),
            end_time: phase.ended().map(|e| self.end_utc(e)),
            user: Some(self.spec.user.clone()),
        }
    }

    /// What the job is, with its comment if it has one.
    fn description(&self) -> LocalizableMessage {
        let description = match self.spec.kind {
            DetailsType::Scheduled => "Scheduled backup job",
            _ => "Manual backup job",
        };
        if self.spec.comment.is_empty() {
            return message("com.vmware.applmgmt.backup.job.description", description);
        }
        let mut m = message(
            "com.vmware.applmgmt.backup.job.description.comment",
            format!("{description}: {}", self.spec.comment),
        );
        m.args.push(self.spec.comment.clone());
        m
    }
}

/// The progress percentage and what it says, for the phases that report progress.
fn progress_of(phase: &Phase) -> Option<(i64, LocalizableMessage)> {
    match phase {
        Phase::Pending | Phase::Blocked => None,
        Phase::Running { progress } => Some((
            *progress,
            message(
                "com.vmware.applmgmt.backup.job.progress",
                "Backup in progress.",
            ),
        )),
        Phase::Succeeded { .. } => Some((
            100,
            message("com.vmware.applmgmt.backup.job.done", "Backup completed."),
        )),
        Phase::Failed { progress, .. } => Some((
            *progress,
            message("com.vmware.applmgmt.backup.job.failed", "Backup failed."),
        )),
    }
}
