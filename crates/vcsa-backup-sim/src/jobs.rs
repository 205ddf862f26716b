//! Backup jobs: how a job advances over simulated time, and how it looks on the wire.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;
use vcsa_backup_api::enums::{BackupRestoreProcessState, DetailsStatus, DetailsType, ErrorType};
use vcsa_backup_api::types::{
    BackupJobStatus, DetailsBuildInfo, DetailsError, DetailsInfo, DetailsProgress, JobMessage,
    LocalizableMessage,
};

use crate::clock::Clock;
use crate::config::SimConfig;
use crate::error::message;
use crate::faults::{EnumField, Faults, JobFailure};

/// What a job was asked to do, fixed when it starts.
#[derive(Clone, Debug)]
pub(crate) struct JobSpec {
    pub(crate) kind: DetailsType,
    pub(crate) location: String,
    pub(crate) location_user: String,
    pub(crate) comment: String,
    pub(crate) fast_backup: Option<bool>,
    pub(crate) user: String,
    pub(crate) total_bytes: i64,
}

/// One backup job. Its state is never stored: it is computed from the clock when asked.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) id: String,
    pub(crate) spec: JobSpec,
    started: Instant,
    started_utc: DateTime<Utc>,
    duration: Duration,
    failure: Option<JobFailure>,
    cancelled_at: Option<Instant>,
    /// Time a job of the seeded history took before the simulator started; zero for live jobs,
    /// whose whole run happens on the simulator's clock.
    recorded: Duration,
}

/// Where a job stands at one instant.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Phase {
    Running {
        progress: i64,
    },
    Succeeded {
        ended: Instant,
    },
    Failed {
        ended: Instant,
        progress: i64,
        cancelled: bool,
    },
}

impl Job {
    /// Progress (0..=100) reached after `elapsed`.
    fn progress_after(&self, elapsed: Duration) -> i64 {
        if self.duration.is_zero() {
            return 100;
        }
        let pct = elapsed.as_nanos().saturating_mul(100) / self.duration.as_nanos();
        pct.min(100) as i64
    }

    /// When a planned failure strikes: the moment progress reaches its percentage.
    fn failure_at(&self) -> Option<(Instant, i64)> {
        let failure = self.failure.as_ref()?;
        let pct = u32::from(failure.clamped_percent());
        // The duration is at most MAX_JOB_DURATION, so neither step can overflow.
        Some((self.started + self.duration * pct / 100, i64::from(pct)))
    }

    pub(crate) fn phase(&self, now: Instant) -> Phase {
        let done_at = self.started + self.duration;
        let mut end: (Instant, Phase) = (done_at, Phase::Succeeded { ended: done_at });
        if let Some((at, progress)) = self.failure_at() {
            end = (
                at,
                Phase::Failed {
                    ended: at,
                    progress,
                    cancelled: false,
                },
            );
        }
        if let Some(at) = self.cancelled_at
            && at < end.0
        {
            let progress = self.progress_after(at.saturating_duration_since(self.started));
            end = (
                at,
                Phase::Failed {
                    ended: at,
                    progress,
                    cancelled: true,
                },
            );
        }
        if now >= end.0 {
            end.1
        } else {
            Phase::Running {
                progress: self.progress_after(now.saturating_duration_since(self.started)),
            }
        }
    }

    /// Wall-clock time of an instant of this job's run.
    fn utc_at(&self, at: Instant) -> DateTime<Utc> {
        let offset = at.saturating_duration_since(self.started) + self.recorded;
        self.started_utc + chrono::Duration::from_std(offset).unwrap_or(chrono::Duration::zero())
    }

    pub(crate) fn is_running(&self, now: Instant) -> bool {
        matches!(self.phase(now), Phase::Running { .. })
    }

    /// Asks the job to stop; false when it has already ended.
    pub(crate) fn cancel(&mut self, now: Instant) -> bool {
        if !self.is_running(now) {
            return false;
        }
        self.cancelled_at = Some(now);
        true
    }

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

/// The job history, oldest first, with an index by id.
#[derive(Default)]
pub(crate) struct Jobs {
    order: Vec<Job>,
    index: HashMap<String, usize>,
}

impl Jobs {
    /// Starts a job at `started`. Ids are `YYYYMMDD-hhmmss-<build>` of the start time; two jobs
    /// in the same second take the next free second, as ids must stay unique.
    pub(crate) fn start(
        &mut self,
        spec: JobSpec,
        started: Instant,
        clock: &Clock,
        duration: Duration,
        failure: Option<JobFailure>,
        build: &str,
    ) -> &Job {
        let mut started_utc = clock.utc(started);
        let mut id = format!("{}-{build}", started_utc.format("%Y%m%d-%H%M%S"));
        let mut bump = 0;
        while self.index.contains_key(&id) {
            bump += 1;
            let at = started_utc + chrono::Duration::seconds(bump);
            id = format!("{}-{build}", at.format("%Y%m%d-%H%M%S"));
        }
        if bump > 0 {
            started_utc += chrono::Duration::seconds(bump);
        }
        self.index.insert(id.clone(), self.order.len());
        self.order.push(Job {
            id,
            spec,
            started,
            started_utc,
            duration,
            failure,
            cancelled_at: None,
            recorded: Duration::ZERO,
        });
        &self.order[self.order.len() - 1]
    }

    /// Puts `count` finished jobs before all others, one an hour going back from the oldest job,
    /// each having taken `took`. For demos and for measuring a long history.
    pub(crate) fn seed_history(
        &mut self,
        count: usize,
        spec: &JobSpec,
        now: Instant,
        clock: &Clock,
        took: Duration,
        build: &str,
    ) {
        let oldest = self
            .order
            .first()
            .map(|j| j.started_utc)
            .unwrap_or_else(|| clock.utc(now));
        let mut seeded: Vec<Job> = (1..=count)
            .rev()
            .map(|back| {
                let started_utc = oldest - chrono::Duration::hours(back as i64);
                Job {
                    id: format!("{}-{build}", started_utc.format("%Y%m%d-%H%M%S")),
                    spec: spec.clone(),
                    started: now,
                    started_utc,
                    duration: Duration::ZERO,
                    failure: None,
                    cancelled_at: None,
                    recorded: took,
                }
            })
            .filter(|j| !self.index.contains_key(&j.id))
            .collect();
        seeded.append(&mut self.order);
        self.order = seeded;
        self.index = self
            .order
            .iter()
            .enumerate()
            .map(|(i, j)| (j.id.clone(), i))
            .collect();
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Job> {
        self.index.get(id).map(|&i| &self.order[i])
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut Job> {
        self.index.get(id).map(|&i| &mut self.order[i])
    }

    /// Newest first, as the list operation answers.
    pub(crate) fn newest_first(&self) -> impl Iterator<Item = &Job> {
        self.order.iter().rev()
    }

    pub(crate) fn running(&self, now: Instant) -> Option<&Job> {
        // Only the newest job can still run: a new one starts only when none is running.
        self.order.last().filter(|j| j.is_running(now))
    }

    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> JobSpec {
        JobSpec {
            kind: DetailsType::Manual,
            location: "sftp://h/p".into(),
            location_user: String::new(),
            comment: String::new(),
            fast_backup: None,
            user: "u".into(),
            total_bytes: 1000,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn progress_then_success_failure_and_cancel() {
        let clock = Clock::new();
        let mut jobs = Jobs::default();
        let t0 = Instant::now();
        let d = Duration::from_secs(100);
        let id = jobs.start(spec(), t0, &clock, d, None, "1").id.clone();
        let job = jobs.get(&id).unwrap();
        assert_eq!(job.phase(t0), Phase::Running { progress: 0 });
        assert_eq!(
            job.phase(t0 + Duration::from_secs(42)),
            Phase::Running { progress: 42 }
        );
        assert_eq!(job.phase(t0 + d), Phase::Succeeded { ended: t0 + d });

        // Same second: the id moves to the next free second.
        let failing = Some(JobFailure::at(30, "disk full"));
        let id2 = jobs.start(spec(), t0, &clock, d, failing, "1").id.clone();
        assert_ne!(id, id2);
        let job = jobs.get(&id2).unwrap();
        assert_eq!(
            job.phase(t0 + Duration::from_secs(29)),
            Phase::Running { progress: 29 }
        );
        let at = t0 + Duration::from_secs(30);
        assert_eq!(
            job.phase(at + d),
            Phase::Failed {
                ended: at,
                progress: 30,
                cancelled: false
            }
        );

        let id3 = jobs.start(spec(), t0, &clock, d, None, "1").id.clone();
        let job = jobs.get_mut(&id3).unwrap();
        let at = t0 + Duration::from_secs(10);
        assert!(job.cancel(at));
        assert!(!job.cancel(at + d));
        assert_eq!(
            job.phase(at + d),
            Phase::Failed {
                ended: at,
                progress: 10,
                cancelled: true
            }
        );
        let ids: Vec<_> = jobs.newest_first().map(|j| j.id.clone()).collect();
        assert_eq!(ids, vec![id3, id2, id]);
    }
}
