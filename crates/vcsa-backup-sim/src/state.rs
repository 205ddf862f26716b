//! A snapshot of the simulator's state, as the control handle and the admin endpoint answer it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::faults::Faults;
use crate::outage::Outage;
use crate::plan::JobWait;
use crate::recovery::RecoveryState;

/// A snapshot of the simulator's state, for assertions and the admin endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimState {
    /// Jobs in the history, running or ended.
    pub jobs: usize,
    /// The id of the job that holds the appliance now (pending, blocked or running), if any.
    pub running_job: Option<String>,
    /// Sessions that have not expired.
    pub live_sessions: usize,
    /// Successful log-ins since the simulator started (sessions opened, refused ones
    /// included).
    pub logins: u64,
    /// Requests to the vendor's paths since the simulator started, failed and refused ones
    /// included (the admin paths under `/__sim` are not counted).
    #[serde(default)]
    pub requests: u64,
    /// Client connections open now, at most
    /// `SimulatorBuilder::max_connections`.
    #[serde(default)]
    pub connections: usize,
    /// The outage in force, if any: connections black-holed or refused.
    #[serde(default)]
    pub outage: Option<Outage>,
    /// Backup folders that already hold a backup.
    pub used_folders: usize,
    /// Ids of the backup schedules, `default` among them, in alphabetical order.
    pub schedules: Vec<String>,
    /// Backups in the catalog, at every location and under every system name.
    pub archives: usize,
    /// Restores and reconciliations: whether the appliance awaits a restore, how many were
    /// started, and the calls made during restore outages.
    #[serde(default)]
    pub recovery: RecoveryState,
    /// The simulated time now.
    pub time: DateTime<Utc>,
    /// How long every job waits as PENDING, then BLOCKED, before it runs (a setting, not a
    /// fault: `Control::clear_faults` keeps it).
    pub job_wait: JobWait,
    /// The faults in force.
    pub faults: Faults,
}
