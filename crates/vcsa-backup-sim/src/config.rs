//! Settings of one simulated appliance.

use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use vcsa_backup_api::Secret;

use crate::outage::Outage;
use crate::plan::JobWait;
use crate::recovery::{ReconciliationTiming, RestoreTiming};
use crate::schedules::DEFAULT_MAX_SCHEDULES;

/// The user name the simulator accepts unless told otherwise.
pub const DEFAULT_USER: &str = "administrator@vsphere.local";
/// The password the simulator accepts unless told otherwise.
pub const DEFAULT_PASSWORD: &str = "VMware1!";
/// The appliance build number in job ids (`YYYYMMDD-hhmmss-<build>`) and job details.
pub const DEFAULT_BUILD: &str = "24322831";
/// The appliance's system name (its host name) unless told otherwise: its backups go under
/// `<location>/vCenter/sn_<system name>/`.
pub const DEFAULT_SYSTEM_NAME: &str = "vcsa.example.com";
/// The appliance's version unless told otherwise: it names its backups' folders.
pub const DEFAULT_VERSION: &str = "8.0.3.00400";
/// The appliance's time zone unless told otherwise; schedule times are in it.
pub const DEFAULT_TIME_ZONE: &str = "UTC";

/// Everything that shapes the simulated appliance's behaviour.
#[derive(Clone, Debug)]
pub(crate) struct SimConfig {
    pub(crate) user: String,
    pub(crate) password: Secret,
    pub(crate) job_duration: Duration,
    /// How long every job waits as PENDING, then BLOCKED, before it runs.
    pub(crate) job_wait: JobWait,
    pub(crate) session_idle_timeout: Duration,
    pub(crate) build: String,
    pub(crate) version: String,
    pub(crate) version_name: String,
    /// Schedule ids the appliance has besides `default`.
    pub(crate) schedules: Vec<String>,
    /// How many schedules the appliance keeps at most.
    pub(crate) max_schedules: usize,
    /// The appliance's host name: its backups' folder is `sn_<system name>`.
    pub(crate) system_name: String,
    /// The appliance's time zone: schedule times and backup folder names are in it.
    pub(crate) time_zone: Tz,
    /// The simulated wall-clock time at start; the real time when unset.
    pub(crate) start_time: Option<DateTime<Utc>>,
    /// Deployed but not configured: the appliance awaits a restore.
    pub(crate) awaiting_restore: bool,
    pub(crate) restore_timing: RestoreTiming,
    pub(crate) reconciliation_timing: ReconciliationTiming,
    /// The outage the appliance starts in, if any.
    pub(crate) outage: Option<Outage>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            user: DEFAULT_USER.to_string(),
            password: Secret::new(DEFAULT_PASSWORD),
            job_duration: Duration::from_secs(30),
            job_wait: JobWait::default(),
            session_idle_timeout: Duration::from_secs(30 * 60),
            build: DEFAULT_BUILD.to_string(),
            version: DEFAULT_VERSION.to_string(),
            version_name: "vCenter Server 8.0 Update 3".to_string(),
            schedules: Vec::new(),
            max_schedules: DEFAULT_MAX_SCHEDULES,
            system_name: DEFAULT_SYSTEM_NAME.to_string(),
            time_zone: Tz::UTC,
            start_time: None,
            awaiting_restore: false,
            restore_timing: RestoreTiming::default(),
            reconciliation_timing: ReconciliationTiming::default(),
            outage: None,
        }
    }
}
