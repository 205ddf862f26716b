//! Backup jobs: statuses, outcomes and details.

use std::time::Duration;

use vcsa_backup_api::types;

use super::{IntoDomain, convert_all};
use crate::job::details::{BuildInfo, JobDetails, Target, TaskProgress};
use crate::job::id::JobId;
use crate::job::status::{JobStatus, Outcome, Percent};

impl IntoDomain<JobStatus> for types::BackupJobStatus {
    fn into_domain(self) -> JobStatus {
        JobStatus {
            id: JobId::new(self.id),
            state: self.state.into_domain(),
            progress: Percent::clamped(self.progress),
            messages: convert_all(self.messages),
            started_at: self.start_time,
            ended_at: self.end_time,
            size_bytes: None,
        }
    }
}

impl IntoDomain<Outcome> for types::ReturnResult {
    fn into_domain(self) -> Outcome {
        Outcome::new(self.status.into_domain(), convert_all(self.messages))
    }
}

/// A job's details; a negative size, duration or progress figure is malformed.
pub(crate) fn job_details(info: types::DetailsInfo) -> Result<JobDetails, String> {
    let non_negative = |value: i64, what: &str| {
        u64::try_from(value).map_err(|_| format!("the job's {what} is negative ({value})"))
    };
    let duration = info
        .duration
        .map(|s| non_negative(s, "duration").map(Duration::from_secs))
        .transpose()?;
    let size_bytes = info.size.map(|s| non_negative(s, "size")).transpose()?;
    let progress = info.progress.map(|p| -> Result<_, String> {
        Ok(TaskProgress {
            completed: non_negative(p.completed, "completed work")?,
            total: non_negative(p.total, "total work")?,
            message: p.message.into_domain(),
        })
    });
    Ok(JobDetails {
        kind: info.type_.into_domain(),
        state: info.status.into_domain(),
        description: info.description.into_domain(),
        messages: convert_all(info.messages),
        location: info.location,
        location_user: info.location_user,
        cancelable: info.cancelable,
        duration,
        size_bytes,
        progress: progress.transpose()?,
        build: info.build.map(|b| BuildInfo {
            version_name: b.version_name,
            version: b.version,
            build_number: b.build_number,
        }),
        fast_backup: info.fast_backup,
        error: info.error.map(IntoDomain::into_domain),
        started_at: info.start_time,
        ended_at: info.end_time,
        user: info.user,
        service: info.service,
        operation: info.operation,
        parent: info.parent,
        target: info.target.map(|t| Target {
            kind: t.type_,
            id: t.id,
        }),
    })
}
