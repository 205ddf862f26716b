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

    /// The job as the job status operation returns it.
    pub(crate) fn status(&self, now: Instant, faults: &Faults) -> BackupJobStatus {
        let (state, progress, end_time, messages) = match self.phase(now) {
            Phase::Running { progress } => (
                BackupRestoreProcessState::Inprogress,
                progress,
                None,
                vec![],
            ),
            Phase::Succeeded { ended } => (
                BackupRestoreProcessState::Succeeded,
                100,
                Some(self.utc_at(ended)),
                vec![],
            ),
            Phase::Failed {
                ended,
                progress,
                cancelled,
            } => {
                let messages = self
                    .failure_messages(cancelled)
                    .into_iter()
                    .map(|m| JobMessage {
                        id: m.id,
                        default_message: m.default_message,
                        args: m.args,
                    })
                    .collect();
                (
                    BackupRestoreProcessState::Failed,
                    progress,
                    Some(self.utc_at(ended)),
                    messages,
                )
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
            start_time: self.started_utc,
            end_time,
        }
    }

    /// The job as the details operation returns it; which optional fields appear depends on
    /// the status, exactly as the vendor's SDK expects.
    pub(crate) fn details(&self, now: Instant, faults: &Faults, config: &SimConfig) -> DetailsInfo {
        let phase = self.phase(now);
        let (status, progress, ended, error, messages) = match &phase {
            Phase::Running { progress } => (DetailsStatus::Running, *progress, None, None, vec![]),
            Phase::Succeeded { ended } => {
                (DetailsStatus::Succeeded, 100, Some(*ended), None, vec![])
            }
            Phase::Failed {
                ended,
                progress,
                cancelled,
            } => {
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
                (
                    DetailsStatus::Failed,
                    *progress,
                    Some(*ended),
                    Some(error),
                    messages,
                )
            }
        };
        let until = ended.unwrap_or(now);
        let progress_message = match &phase {
            Phase::Running { .. } => message(
                "com.vmware.applmgmt.backup.job.progress",
                "Backup in progress.",
            ),
            Phase::Succeeded { .. } => {
                message("com.vmware.applmgmt.backup.job.done", "Backup completed.")
            }
            Phase::Failed { .. } => {
                message("com.vmware.applmgmt.backup.job.failed", "Backup failed.")
            }
        };
        let (service, operation, description) = match self.spec.kind {
            DetailsType::Scheduled => (
                "com.vmware.appliance.recovery.backup.schedules",
                "run",
                "Scheduled backup job",
            ),
            _ => (
                "com.vmware.appliance.recovery.backup.job",
                "create",
                "Manual backup job",
            ),
        };
        DetailsInfo {
            location: self.spec.location.clone(),
            location_user: self.spec.location_user.clone(),
            type_: match faults.unknown(EnumField::DetailsType) {
                Some(v) => DetailsType::from(v),
                None => self.spec.kind.clone(),
            },
            messages,
            description: if self.spec.comment.is_empty() {
                message("com.vmware.applmgmt.backup.job.description", description)
            } else {
                let mut m = message(
                    "com.vmware.applmgmt.backup.job.description.comment",
                    format!("{description}: {}", self.spec.comment),
                );
                m.args.push(self.spec.comment.clone());
                m
            },
            service: service.to_string(),
            operation: operation.to_string(),
            status: match faults.unknown(EnumField::DetailsStatus) {
                Some(v) => DetailsStatus::from(v),
                None => status,
            },
            cancelable: matches!(phase, Phase::Running { .. }),
            duration: Some(
                (until.saturating_duration_since(self.started) + self.recorded).as_secs() as i64,
            ),
            size: Some(self.spec.total_bytes.saturating_mul(progress) / 100),
            progress: Some(DetailsProgress {
                total: 100,
                completed: progress,
                message: progress_message,
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
            start_time: Some(self.started_utc),
            end_time: ended.map(|e| self.utc_at(e)),
            user: Some(self.spec.user.clone()),
        }
    }
}
