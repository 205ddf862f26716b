//! The recovery operations' bodies as the appliance reads and answers them (the vendor's
//! `Restore.RestoreRequest`, `Restore.Metadata`, `Restore.Job.RestoreJobStatus`,
//! `Reconciliation.Job.CreateSpec` and `Reconciliation.Job.Info`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use vcsa_backup_api::Secret;
use vcsa_backup_api::enums::{BackupRestoreProcessState, LocationType};
use vcsa_backup_api::types::LocalizableMessage;

/// What to restore and how to reach it.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct RestoreRequest {
    pub(crate) location_type: LocationType,
    /// The backup's own folder, `.../vCenter/sn_<name>/S_<...>_`.
    pub(crate) location: String,
    #[serde(default)]
    #[allow(dead_code)]
    // Accepted like the appliance does; the simulated servers need no log in.
    pub(crate) location_user: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    pub(crate) location_password: Option<Secret>,
    /// The backup's encryption password.
    #[serde(default)]
    pub(crate) backup_password: Option<Secret>,
    #[serde(default)]
    pub(crate) sso_admin_user_name: Option<String>,
    #[serde(default)]
    pub(crate) sso_admin_user_password: Option<Secret>,
    #[serde(default)]
    #[allow(dead_code)] // The simulated backups raise no warnings.
    pub(crate) ignore_warnings: Option<bool>,
    /// Restore only these parts (vSphere 8.0 U3).
    #[serde(default)]
    pub(crate) parts: Option<Vec<String>>,
}

/// `/rest` wraps the request as `{"piece": ...}`.
#[derive(Deserialize)]
pub(crate) struct RestoreRequestPiece {
    pub(crate) piece: RestoreRequest,
}

/// What validate tells of a backup.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Metadata {
    pub(crate) timestamp: DateTime<Utc>,
    pub(crate) parts: Vec<String>,
    pub(crate) version: String,
    /// The backed-up appliance's name.
    pub(crate) boxname: String,
    pub(crate) comment: String,
    pub(crate) applicable: bool,
    pub(crate) messages: Vec<LocalizableMessage>,
    pub(crate) sso_login_required: bool,
}

/// The restore job as status and start answer it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct RestoreJobStatus {
    pub(crate) state: BackupRestoreProcessState,
    pub(crate) messages: Vec<LocalizableMessage>,
    pub(crate) progress: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) parts: Option<Vec<String>>,
}

/// What a reconciliation job is started with.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct ReconciliationSpec {
    #[serde(default)]
    #[allow(dead_code)]
    pub(crate) ignore_warnings: Option<bool>,
    #[serde(default)]
    pub(crate) sso_admin_user_name: Option<String>,
    #[serde(default)]
    pub(crate) sso_admin_user_password: Option<Secret>,
}

/// `/rest` wraps it as `{"spec": ...}`.
#[derive(Deserialize)]
pub(crate) struct ReconciliationSpecWrapped {
    pub(crate) spec: ReconciliationSpec,
}

/// The reconciliation job as start and status answer it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ReconciliationInfo {
    pub(crate) description: LocalizableMessage,
    pub(crate) service: String,
    pub(crate) operation: String,
    /// `NONE`, `RUNNING`, `SUCCEEDED` or `FAILED`.
    pub(crate) status: &'static str,
    pub(crate) progress: i64,
    pub(crate) messages: Vec<LocalizableMessage>,
    pub(crate) cancelable: bool,
    pub(crate) start_time: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) end_time: Option<DateTime<Utc>>,
}

/// The recovery root's answer.
#[derive(Clone, Copy, Debug, Serialize)]
pub(crate) struct RecoveryInfo {
    pub(crate) supported: bool,
}
