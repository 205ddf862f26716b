//! The appliance's recovery side: whether it awaits a restore, the restore job and its outage,
//! the reconciliation job, and what a test can count of them.

mod fetch;
mod reconciliation_run;
mod restore_run;
pub(crate) mod transfer;

use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::time::Instant;

pub(crate) use reconciliation_run::ReconciliationRun;
pub use reconciliation_run::ReconciliationTiming;
pub(crate) use restore_run::{OutagePhase, RestoreRun, Restored, RestoredBackup, Stage};

/// The user an appliance that awaits a restore accepts unless told otherwise: its management
/// interface (port 5480 on an appliance) takes `root`.
pub const DEFAULT_RESTORE_USER: &str = "root";

/// How long a restore takes, and its outage while the appliance restarts its services. The
/// outage begins halfway through the work: first no answer at all, then sessions refused
/// (log in succeeds, the next call answers 401), then 503 SERVICE_UNAVAILABLE.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RestoreTiming {
    /// The work itself, outage excluded: progress 0 to 50% before the outage, 50 to 100% after.
    pub duration: Duration,
    /// How long connections close without an answer.
    pub no_answer: Duration,
    /// Then, how long every session ends right after its log in.
    pub sessions_refused: Duration,
    /// Then, how long every call answers 503.
    pub unavailable: Duration,
}

impl RestoreTiming {
    /// The whole outage.
    pub fn outage(&self) -> Duration {
        self.no_answer + self.sessions_refused + self.unavailable
    }
}

impl Default for RestoreTiming {
    /// 30 s of work with an outage of 10 s of each kind in its middle.
    fn default() -> Self {
        Self {
            duration: Duration::from_secs(30),
            no_answer: Duration::from_secs(10),
            sessions_refused: Duration::from_secs(10),
            unavailable: Duration::from_secs(10),
        }
    }
}

/// What the simulator counts of restores and reconciliations, for assertions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryState {
    /// Whether the appliance is deployed but not configured: it awaits a restore.
    pub awaiting_restore: bool,
    /// Restore jobs started (ones that failed at their start included).
    pub restores_started: u64,
    /// Calls during restore outages that got no answer (the connection closed).
    pub unanswered: u64,
    /// Calls during restore outages while sessions were refused.
    pub sessions_refused: u64,
    /// Calls during restore outages answered 503.
    pub unavailable: u64,
    /// The part of a restore outage in force now: `no_answer`, `sessions_refused` or
    /// `unavailable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outage: Option<String>,
    /// Reconciliation jobs started.
    pub reconciliations_started: u64,
}

/// The recovery state of one appliance.
#[derive(Debug, Default)]
pub(crate) struct Recovery {
    pub(crate) awaiting: bool,
    pub(crate) timing: RestoreTiming,
    pub(crate) reconciliation_timing: ReconciliationTiming,
    pub(crate) restore: Option<RestoreRun>,
    pub(crate) reconciliation: Option<ReconciliationRun>,
    /// Whether the running restore's outage has ended the sessions, and whether its result has
    /// been applied to the appliance.
    outage_seen: bool,
    applied: bool,
    pub(crate) counts: RecoveryState,
}

impl Recovery {
    pub(crate) fn new(awaiting: bool, timing: RestoreTiming, rec: ReconciliationTiming) -> Self {
        Self {
            awaiting,
            timing,
            reconciliation_timing: rec,
            ..Self::default()
        }
    }

    /// A new restore job; the previous one's bookkeeping starts over.
    pub(crate) fn begin(&mut self, run: RestoreRun) {
        self.restore = Some(run);
        self.outage_seen = false;
        self.applied = false;
        self.counts.restores_started += 1;
    }

    /// The outage phase in force at `now`, if a restore is in its outage.
    pub(crate) fn outage(&self, now: Instant) -> Option<OutagePhase> {
        match self.restore.as_ref()?.stage(now) {
            Stage::Outage(phase) => Some(phase),
            _ => None,
        }
    }

    /// Counts one call made during an outage.
    pub(crate) fn count_outage_call(&mut self, phase: OutagePhase) {
        let counter = match phase {
            OutagePhase::NoAnswer => &mut self.counts.unanswered,
            OutagePhase::SessionsRefused => &mut self.counts.sessions_refused,
            OutagePhase::Unavailable => &mut self.counts.unavailable,
        };
        *counter += 1;
    }

    /// True once, when the running restore's outage has begun: the services restart, so every
    /// session ends.
    pub(crate) fn take_outage_begun(&mut self, now: Instant) -> bool {
        let begun = self
            .restore
            .as_ref()
            .is_some_and(|r| !r.is_failed() && now >= r.outage_start());
        let first = begun && !self.outage_seen;
        self.outage_seen |= begun;
        first
    }

    /// Once, when the restore has succeeded: the appliance it becomes.
    pub(crate) fn take_restored(&mut self, now: Instant) -> Option<Restored> {
        let run = self.restore.as_ref()?;
        if self.applied || run.stage(now) != Stage::Succeeded {
            return None;
        }
        self.applied = true;
        self.awaiting = false;
        Some(run.target.clone())
    }

    /// The counts and the outage now, for the state snapshot.
    pub(crate) fn state(&self, now: Instant) -> RecoveryState {
        RecoveryState {
            awaiting_restore: self.awaiting,
            outage: self.outage(now).map(|p| {
                match p {
                    OutagePhase::NoAnswer => "no_answer",
                    OutagePhase::SessionsRefused => "sessions_refused",
                    OutagePhase::Unavailable => "unavailable",
                }
                .to_string()
            }),
            ..self.counts.clone()
        }
    }
}
