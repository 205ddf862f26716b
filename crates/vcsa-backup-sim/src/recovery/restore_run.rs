//! One restore's timeline on the simulator's clock: the first half of its work, then the
//! outage while the appliance restarts its services (no answer at all, then sessions refused,
//! then 503), then the second half, then success. Nothing runs in the background: the stage is
//! worked out from the time whenever it is asked for.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;
use vcsa_backup_api::enums::BackupRestoreProcessState;
use vcsa_backup_api::types::{LocalizableMessage, RestoreJobStatus};

use super::RestoreTiming;
use crate::error::message;
use crate::schedules::ScheduleInfo;

/// The part of the outage a moment falls in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OutagePhase {
    /// Connections close without an answer.
    NoAnswer,
    /// Log in succeeds, but every session ends at once.
    SessionsRefused,
    /// Every call answers 503.
    Unavailable,
}

/// The appliance a successful restore turns this one into.
#[derive(Clone, Debug)]
pub(crate) struct Restored {
    pub(crate) system_name: String,
    pub(crate) version: String,
    pub(crate) schedules: BTreeMap<String, ScheduleInfo>,
    /// The backup restored, which its history then holds.
    pub(crate) backup: RestoredBackup,
}

/// The backup a restore read.
#[derive(Clone, Debug)]
pub(crate) struct RestoredBackup {
    /// Its folder's URL.
    pub(crate) location: String,
    pub(crate) scheduled: bool,
    pub(crate) started: DateTime<Utc>,
    pub(crate) completed: DateTime<Utc>,
    pub(crate) parts: Vec<String>,
    pub(crate) comment: String,
}

/// Where a restore stands at a moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Working, `progress` percent done.
    Working(i64),
    /// Restarting services.
    Outage(OutagePhase),
    Succeeded,
    Failed,
}

/// One restore job.
#[derive(Clone, Debug)]
pub(crate) struct RestoreRun {
    started: Instant,
    timing: RestoreTiming,
    pub(crate) target: Restored,
    /// The parts asked for; empty: every part of the backup.
    parts: Vec<String>,
    /// Set when the job failed (at its start, or canceled), with the progress it stopped at.
    failure: Option<(i64, Vec<LocalizableMessage>)>,
}

impl RestoreRun {
    pub(crate) fn start(
        now: Instant,
        timing: RestoreTiming,
        target: Restored,
        parts: Vec<String>,
    ) -> Self {
        Self {
            started: now,
            timing,
            target,
            parts,
            failure: None,
        }
    }

    /// A job that failed as it started.
    pub(crate) fn failed_at_start(
        now: Instant,
        target: Restored,
        parts: Vec<String>,
        messages: Vec<LocalizableMessage>,
    ) -> Self {
        Self {
            failure: Some((0, messages)),
            ..Self::start(now, RestoreTiming::default(), target, parts)
        }
    }

    fn first_half(&self) -> Duration {
        self.timing.duration / 2
    }

    /// When the services go down.
    pub(crate) fn outage_start(&self) -> Instant {
        self.started + self.first_half()
    }

    fn outage_end(&self) -> Instant {
        self.outage_start() + self.timing.outage()
    }

    fn end(&self) -> Instant {
        self.outage_end() + (self.timing.duration - self.first_half())
    }

    pub(crate) fn stage(&self, now: Instant) -> Stage {
        if self.failure.is_some() {
            return Stage::Failed;
        }
        let outage = self.outage_start();
        if now < outage {
            return Stage::Working(percent(now - self.started, self.first_half(), 0, 50));
        }
        let into = now - outage;
        let t = &self.timing;
        if into < t.no_answer {
            return Stage::Outage(OutagePhase::NoAnswer);
        }
        if into < t.no_answer + t.sessions_refused {
            return Stage::Outage(OutagePhase::SessionsRefused);
        }
        if into < t.outage() {
            return Stage::Outage(OutagePhase::Unavailable);
        }
        if now < self.end() {
            let rest = self.timing.duration - self.first_half();
            return Stage::Working(percent(now - self.outage_end(), rest, 50, 100));
        }
        Stage::Succeeded
    }

    /// Whether the job failed (at its start, or canceled).
    pub(crate) fn is_failed(&self) -> bool {
        self.failure.is_some()
    }

    /// Whether the job still runs (its outage included).
    pub(crate) fn is_running(&self, now: Instant) -> bool {
        matches!(self.stage(now), Stage::Working(_) | Stage::Outage(_))
    }

    /// Cancels the job if it can still be: only before the services go down. Answers whether
    /// it did.
    pub(crate) fn cancel(&mut self, now: Instant) -> bool {
        let Stage::Working(progress) = self.stage(now) else {
            return false;
        };
        if now >= self.outage_start() {
            return false;
        }
        self.failure = Some((
            progress,
            vec![message(
                "com.vmware.applmgmt.restore.job.canceled",
                "The restore was canceled; the appliance still awaits a restore.",
            )],
        ));
        true
    }

    pub(crate) fn status(&self, now: Instant) -> RestoreJobStatus {
        let (state, progress, messages) = match (&self.failure, self.stage(now)) {
            (Some((progress, messages)), _) => (
                BackupRestoreProcessState::Failed,
                *progress,
                messages.clone(),
            ),
            (None, Stage::Working(progress)) => (
                BackupRestoreProcessState::Inprogress,
                progress,
                vec![phase_message(progress)],
            ),
            // Nobody reads the status then; should anyone, the job is half done.
            (None, Stage::Outage(_)) => (
                BackupRestoreProcessState::Inprogress,
                50,
                vec![message(
                    "com.vmware.applmgmt.restore.phase.restart",
                    "Restarting the appliance's services.",
                )],
            ),
            (None, Stage::Succeeded | Stage::Failed) => (
                BackupRestoreProcessState::Succeeded,
                100,
                vec![message(
                    "com.vmware.applmgmt.restore.job.succeeded",
                    format!(
                        "The restore completed: the appliance is {} again, version {}.",
                        self.target.system_name, self.target.version
                    ),
                )],
            ),
        };
        RestoreJobStatus {
            state,
            messages,
            progress,
            parts: self.parts.clone(),
        }
    }
}

fn phase_message(progress: i64) -> LocalizableMessage {
    if progress < 50 {
        message(
            "com.vmware.applmgmt.restore.phase.files",
            "Restoring the appliance's configuration files from the backup.",
        )
    } else {
        message(
            "com.vmware.applmgmt.restore.phase.database",
            "Restoring the database and starting the services.",
        )
    }
}

/// `from` to `to` percent as `done` goes from zero to `of`.
fn percent(done: Duration, of: Duration, from: i64, to: i64) -> i64 {
    if of.is_zero() {
        return to;
    }
    let share = (done.as_millis() * 100 / of.as_millis()).min(100);
    from + i64::try_from(share).unwrap_or(100) * (to - from) / 100
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Restored {
        Restored {
            system_name: "vcsa-a.example.com".into(),
            version: "8.0.3.00400".into(),
            schedules: BTreeMap::new(),
            backup: RestoredBackup {
                location: "sftp://nas.example.com/vcsa/vCenter/sn_vcsa-a.example.com/M_1_".into(),
                scheduled: false,
                started: Utc::now(),
                completed: Utc::now(),
                parts: vec!["common".into()],
                comment: String::new(),
            },
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_stages_follow_the_timing() {
        let s = Duration::from_secs;
        let timing = RestoreTiming {
            duration: s(100),
            no_answer: s(10),
            sessions_refused: s(20),
            unavailable: s(30),
        };
        let t0 = Instant::now();
        let run = RestoreRun::start(t0, timing, target(), Vec::new());
        assert_eq!(run.stage(t0), Stage::Working(0));
        assert_eq!(run.stage(t0 + s(25)), Stage::Working(25));
        assert_eq!(run.stage(t0 + s(50)), Stage::Outage(OutagePhase::NoAnswer));
        assert_eq!(
            run.stage(t0 + s(65)),
            Stage::Outage(OutagePhase::SessionsRefused)
        );
        assert_eq!(
            run.stage(t0 + s(109)),
            Stage::Outage(OutagePhase::Unavailable)
        );
        assert_eq!(run.stage(t0 + s(110)), Stage::Working(50));
        assert_eq!(run.stage(t0 + s(135)), Stage::Working(75));
        assert_eq!(run.stage(t0 + s(160)), Stage::Succeeded);
        assert_eq!(run.status(t0 + s(160)).progress, 100);
    }

    #[tokio::test(start_paused = true)]
    async fn only_a_restore_before_its_outage_can_be_canceled() {
        let t0 = Instant::now();
        let mut late = RestoreRun::start(t0, RestoreTiming::default(), target(), Vec::new());
        assert!(!late.cancel(late.outage_start()));
        assert!(late.is_running(late.outage_start()));
        let mut early = RestoreRun::start(t0, RestoreTiming::default(), target(), Vec::new());
        assert!(early.cancel(t0 + Duration::from_secs(1)));
        assert!(!early.is_running(t0 + Duration::from_secs(2)));
        let status = early.status(t0 + Duration::from_secs(2));
        assert_eq!(status.state, BackupRestoreProcessState::Failed);
        assert!(!early.cancel(t0 + Duration::from_secs(2)), "not twice");
    }
}
