//! One reconciliation job on a restored appliance: it runs over its duration, answers
//! SUCCEEDED for a while after it ends, and then no longer exists (status answers 404, as the
//! appliance's does once no reconciliation job is running).

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;
use vcsa_backup_api::enums::ReconciliationStatus;
use vcsa_backup_api::types::ReconciliationInfo;

use crate::clock::Clock;
use crate::error::message;

/// How long a reconciliation job runs, and how long its end stays visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReconciliationTiming {
    /// From start to success.
    pub duration: Duration,
    /// How long status answers SUCCEEDED after the end, before it answers 404.
    pub kept: Duration,
}

impl Default for ReconciliationTiming {
    fn default() -> Self {
        Self {
            duration: Duration::from_secs(10),
            kept: Duration::from_secs(60),
        }
    }
}

/// One reconciliation job.
#[derive(Clone, Debug)]
pub(crate) struct ReconciliationRun {
    started: Instant,
    started_utc: DateTime<Utc>,
    timing: ReconciliationTiming,
}

impl ReconciliationRun {
    pub(crate) fn start(clock: &Clock, now: Instant, timing: ReconciliationTiming) -> Self {
        Self {
            started: now,
            started_utc: clock.utc(now),
            timing,
        }
    }

    fn end(&self) -> Instant {
        self.started + self.timing.duration
    }

    pub(crate) fn is_running(&self, now: Instant) -> bool {
        now < self.end()
    }

    /// The job as status answers it; `None` once it has been over for longer than it is kept.
    pub(crate) fn info(&self, clock: &Clock, now: Instant) -> Option<ReconciliationInfo> {
        if now >= self.end() + self.timing.kept {
            return None;
        }
        let running = self.is_running(now);
        let progress = if running {
            let done = (now - self.started).as_millis() * 100;
            i64::try_from(done / self.timing.duration.as_millis().max(1)).unwrap_or(99)
        } else {
            100
        };
        let (status, text) = if running {
            (
                ReconciliationStatus::Running,
                "Bringing the single sign-on data in line with the linked vCenter Servers.",
            )
        } else {
            (
                ReconciliationStatus::Succeeded,
                "The single sign-on data is in line with the linked vCenter Servers.",
            )
        };
        Some(ReconciliationInfo {
            description: message(
                "com.vmware.applmgmt.reconciliation.job",
                "Reconciliation of a restored vCenter Server with its linked partners",
            ),
            service: "com.vmware.appliance.recovery.reconciliation.job".into(),
            operation: "create".into(),
            status,
            progress,
            messages: vec![message(
                "com.vmware.applmgmt.reconciliation.phase",
                text.to_string(),
            )],
            cancelable: Some(false),
            start_time: Some(self.started_utc),
            end_time: (!running).then(|| clock.utc(self.end())),
            error: None,
            parent: None,
            target: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn it_runs_then_succeeds_then_is_gone() {
        let clock = Clock::new();
        let s = Duration::from_secs;
        let t0 = Instant::now();
        let timing = ReconciliationTiming {
            duration: s(10),
            kept: s(5),
        };
        let run = ReconciliationRun::start(&clock, t0, timing);
        let at = |d| run.info(&clock, t0 + d);
        assert_eq!(at(s(4)).unwrap().progress, 40);
        assert_eq!(at(s(4)).unwrap().status, ReconciliationStatus::Running);
        assert!(at(s(4)).unwrap().end_time.is_none());
        assert_eq!(at(s(10)).unwrap().status, ReconciliationStatus::Succeeded);
        assert_eq!(at(s(14)).unwrap().progress, 100);
        assert!(at(s(15)).is_none());
    }
}
