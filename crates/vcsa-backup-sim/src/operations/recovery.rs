//! The appliance's recovery operations: whether it supports recovery, restore validate, start,
//! status and cancel (on an appliance that awaits a restore), and the reconciliation job (on a
//! restored one).

use tokio::time::Instant;
use url::Url;
use vcsa_backup_api::enums::{BackupRestoreProcessState, DetailsType, ErrorType, ReturnStatus};
use vcsa_backup_api::types::{
    LocalizableMessage, ReconciliationInfo, ReconciliationSpec, RecoveryInfo, RestoreJobStatus,
    RestoreMetadata, RestoreRequest, ReturnResult,
};

use crate::appliance::{Appliance, Inner};
use crate::catalog::{Archive, LayoutFolder, SCHEDULED_PREFIX, layout_of};
use crate::error::{VapiError, message};
use crate::jobs::JobSpec;
use crate::parts;
use crate::recovery::OutagePhase;
use crate::recovery::transfer::CatalogExport;
use crate::recovery::{ReconciliationRun, RestoreRun, Restored, RestoredBackup};
use crate::schedules::Schedules;
use crate::validate::scheme_of;

/// The answer to a restore asked of an appliance that is already configured.
fn not_awaiting_restore() -> VapiError {
    VapiError::new(
        ErrorType::NotAllowedInCurrentState,
        "com.vmware.applmgmt.restore.not_allowed",
        "Restore is allowed only after deployment and before firstboot. Deploy a new appliance \
         (stage 1 only) and restore into it.",
    )
}

/// The answer to a backup operation asked of an appliance that awaits a restore.
pub(crate) fn awaiting_restore() -> VapiError {
    VapiError::new(
        ErrorType::NotAllowedInCurrentState,
        "com.vmware.applmgmt.backup.not_allowed",
        "Backup is allowed only after firstboot: this appliance is deployed but not configured, \
         and awaits a restore. Restore a backup into it, or finish its configuration, first.",
    )
}

fn restore_in_progress() -> VapiError {
    VapiError::new(
        ErrorType::FeatureInUse,
        "com.vmware.applmgmt.restore.job.in_progress",
        "A backup or restore is already in progress. Wait for the restore to finish (its status \
         says how far it is).",
    )
}

fn invalid(id: &str, text: String) -> VapiError {
    VapiError::invalid_argument(vec![message(
        &format!("com.vmware.applmgmt.restore.{id}"),
        text,
    )])
}

/// A location as a message shows it: the whole URL, without a password it may carry.
fn shown(url: &Url) -> String {
    let mut url = url.clone();
    let _ = url.set_password(None);
    url.as_str().chars().take(512).collect()
}

/// Whether version `a` is newer than `b`, comparing their dotted numbers.
fn is_newer(a: &str, b: &str) -> bool {
    let numbers = |v: &str| -> Vec<u64> {
        v.split(['.', '-'])
            .map(|n| n.parse().unwrap_or(0))
            .collect()
    };
    numbers(a) > numbers(b)
}

impl Inner {
    /// Plays the restore's effects due by `now`: its outage ends every session (the services
    /// restart); its success makes this the backed-up appliance (system name, version,
    /// schedules).
    pub(crate) fn settle_recovery(&mut self, now: Instant) {
        if self.recovery.take_outage_begun(now) {
            self.sessions.expire_all();
        }
        if let Some(restored) = self.recovery.take_restored(now) {
            self.config.system_name = restored.system_name;
            self.config.version = restored.version;
            self.schedules = Schedules::restored(&restored.schedules, self.config.max_schedules);
            self.plan_next_event();
            let backup = restored.backup;
            let spec = JobSpec {
                kind: if backup.scheduled {
                    DetailsType::Scheduled
                } else {
                    DetailsType::Manual
                },
                location: backup.location,
                location_user: String::new(),
                total_bytes: parts::backup_bytes(&backup.parts),
                comment: backup.comment,
                fast_backup: None,
                user: self.config.user.clone(),
            };
            let took = (backup.completed - backup.started)
                .to_std()
                .unwrap_or_default();
            let build = self.config.build.clone();
            self.jobs
                .record_past(spec, backup.started, took, &build, now);
        }
    }

    /// The backup a request names, checked as the appliance reads it: a backup folder that
    /// holds a backup, and its encryption password.
    fn backup_named(&self, req: &RestoreRequest) -> Result<(LayoutFolder, Archive), VapiError> {
        let url = Url::parse(&req.location)
            .ok()
            .filter(|u| u.host_str().is_some_and(|h| !h.is_empty()));
        let Some(url) = url else {
            return Err(invalid(
                "location.invalid",
                "The location must be the URL of a backup's folder, like \
                 sftp://backup.example.com/vcsa/vCenter/sn_vcsa.example.com/M_8.0.3.00400_20260518-023000_."
                    .to_string(),
            ));
        };
        if let Some(scheme) = scheme_of(&req.location_type)
            && url.scheme() != scheme
        {
            return Err(invalid(
                "location.scheme_mismatch",
                format!(
                    "The location type is {} but the location URL starts with '{}://'. Use a \
                     {scheme}:// URL or change the location type.",
                    req.location_type,
                    url.scheme()
                ),
            ));
        }
        let found = layout_of(&url).and_then(|folder| {
            let archive = self.catalog.get(&folder)?.clone();
            Some((folder, archive))
        });
        let Some((folder, archive)) = found else {
            return Err(invalid(
                "location.no_backup",
                format!(
                    "No backup was found at {}. Give the folder of one backup \
                     (.../vCenter/sn_<system name>/<backup folder>); the catalog lists them.",
                    shown(&url)
                ),
            ));
        };
        let given = req.backup_password.as_ref().map(|p| p.expose());
        let opens = match (&archive.origin.encryption, given) {
            (None, _) => true,
            (Some(check), Some(password)) => check.matches(password),
            (Some(_), None) => false,
        };
        if !opens {
            return Err(invalid(
                "backup_password.wrong",
                "The backup could not be decrypted: the encryption password is missing or wrong. \
                 Give the password the backup was made with."
                    .to_string(),
            ));
        }
        Ok((folder, archive))
    }

    /// Why the backup cannot be restored here, if it cannot.
    fn not_applicable(&self, archive: &Archive) -> Vec<LocalizableMessage> {
        let here = &self.config.version;
        if is_newer(&archive.version, here) {
            vec![message(
                "com.vmware.applmgmt.restore.version.newer",
                format!(
                    "The backup is of version {}, newer than this appliance's version {here}. \
                     Deploy an appliance of version {} and restore into it.",
                    archive.version, archive.version
                ),
            )]
        } else {
            Vec::new()
        }
    }

    fn metadata(&self, system_name: String, archive: Archive) -> RestoreMetadata {
        let messages = self.not_applicable(&archive);
        RestoreMetadata {
            timestamp: archive.started,
            parts: archive.parts,
            version: archive.version,
            boxname: system_name,
            comment: archive.comment,
            applicable: messages.is_empty(),
            messages,
            sso_login_required: Some(true),
        }
    }
}

impl Appliance {
    /// The restore outage in force now, if any; counts the call made in it.
    pub(crate) fn restore_outage(&self) -> Option<OutagePhase> {
        let mut inner = self.lock();
        let phase = inner.recovery.outage(self.clock.now())?;
        inner.recovery.count_outage_call(phase);
        Some(phase)
    }

    pub(crate) fn export_catalog(&self) -> CatalogExport {
        CatalogExport::of(&self.lock().catalog)
    }

    /// Places the archives of an export in the catalog (replacing ones of the same folder);
    /// answers how many.
    pub(crate) fn import_catalog(&self, export: &CatalogExport) -> usize {
        let mut inner = self.lock();
        let mut count = 0;
        for (folder, archive) in export.entries() {
            inner.used_folders.insert(folder.key());
            inner.catalog.insert(&folder, archive);
            count += 1;
        }
        count
    }

    pub(crate) fn recovery_info(&self) -> RecoveryInfo {
        RecoveryInfo { supported: true }
    }

    /// Refuses a backup operation while the appliance awaits a restore.
    pub(crate) fn ensure_configured(&self) -> Result<(), VapiError> {
        if self.lock().recovery.awaiting {
            Err(awaiting_restore())
        } else {
            Ok(())
        }
    }

    pub(crate) fn validate_restore(
        &self,
        req: &RestoreRequest,
    ) -> Result<RestoreMetadata, VapiError> {
        let inner = self.lock();
        if !inner.recovery.awaiting {
            return Err(not_awaiting_restore());
        }
        let (folder, archive) = inner.backup_named(req)?;
        Ok(inner.metadata(folder.system_name, archive))
    }

    pub(crate) fn start_restore(
        &self,
        req: &RestoreRequest,
    ) -> Result<RestoreJobStatus, VapiError> {
        let now = self.clock.now();
        let mut inner = self.lock_at(now);
        if inner
            .recovery
            .restore
            .as_ref()
            .is_some_and(|r| r.is_running(now))
        {
            return Err(restore_in_progress());
        }
        if !inner.recovery.awaiting {
            return Err(not_awaiting_restore());
        }
        let (folder, archive) = inner.backup_named(req)?;
        let sso_given = req
            .sso_admin_user_name
            .as_deref()
            .is_some_and(|u| !u.is_empty())
            && req.sso_admin_user_password.is_some();
        if !sso_given {
            return Err(invalid(
                "sso.required",
                "The backup is of a vCenter Server with an embedded single sign-on domain: give \
                 the SSO administrator's user name and password."
                    .to_string(),
            ));
        }
        let problems = inner.not_applicable(&archive);
        let target = Restored {
            system_name: folder.system_name.clone(),
            version: archive.version.clone(),
            schedules: archive.origin.schedules.clone(),
            backup: RestoredBackup {
                location: req.location.clone(),
                scheduled: folder.archive.starts_with(SCHEDULED_PREFIX),
                started: archive.started,
                completed: archive.completed,
                parts: archive.parts.clone(),
                comment: archive.comment.clone(),
            },
        };
        let run = if problems.is_empty() {
            RestoreRun::start(now, inner.recovery.timing, target, req.parts.clone())
        } else {
            RestoreRun::failed_at_start(now, target, req.parts.clone(), problems)
        };
        let status = run.status(now);
        inner.recovery.begin(run);
        Ok(status)
    }

    pub(crate) fn restore_status(&self) -> RestoreJobStatus {
        let now = self.clock.now();
        let inner = self.lock_at(now);
        match &inner.recovery.restore {
            Some(run) => run.status(now),
            None => RestoreJobStatus {
                state: BackupRestoreProcessState::None,
                messages: Vec::new(),
                progress: 0,
                parts: Vec::new(),
            },
        }
    }

    pub(crate) fn cancel_restore(&self) -> ReturnResult {
        let now = self.clock.now();
        let mut inner = self.lock_at(now);
        let run = inner.recovery.restore.as_mut();
        let running = run.as_ref().is_some_and(|r| r.is_running(now));
        let canceled = run.is_some_and(|r| r.cancel(now));
        let (status, id, text) = if canceled {
            (
                ReturnStatus::Ok,
                "canceled",
                "The restore is canceled; the appliance awaits a restore again.",
            )
        } else if running {
            (
                ReturnStatus::Fail,
                "cancel.too_late",
                "The restore can no longer be canceled: the appliance is restoring its services. \
                 Wait for it to finish.",
            )
        } else {
            (
                ReturnStatus::Fail,
                "cancel.none",
                "No restore is running; there is nothing to cancel.",
            )
        };
        ReturnResult {
            status,
            messages: vec![message(
                &format!("com.vmware.applmgmt.restore.job.{id}"),
                text,
            )],
        }
    }

    pub(crate) fn start_reconciliation(
        &self,
        spec: &ReconciliationSpec,
    ) -> Result<ReconciliationInfo, VapiError> {
        let now = self.clock.now();
        let mut inner = self.lock_at(now);
        if inner.recovery.awaiting {
            return Err(VapiError::new(
                ErrorType::NotAllowedInCurrentState,
                "com.vmware.applmgmt.reconciliation.not_allowed",
                "Reconciliation runs only on a restored appliance; this one awaits a restore.",
            ));
        }
        if inner
            .recovery
            .reconciliation
            .as_ref()
            .is_some_and(|r| r.is_running(now))
        {
            return Err(VapiError::new(
                ErrorType::FeatureInUse,
                "com.vmware.applmgmt.reconciliation.in_progress",
                "A reconciliation job is already running. Wait for it to finish.",
            ));
        }
        let sso_given = spec
            .sso_admin_user_name
            .as_deref()
            .is_some_and(|u| !u.is_empty())
            && spec.sso_admin_user_password.is_some();
        if !sso_given {
            return Err(VapiError::invalid_argument(vec![message(
                "com.vmware.applmgmt.reconciliation.sso.required",
                "Reconciliation needs the SSO administrator's user name and password.",
            )]));
        }
        let run = ReconciliationRun::start(&self.clock, now, inner.recovery.reconciliation_timing);
        let info = run.info(&self.clock, now);
        inner.recovery.reconciliation = Some(run);
        inner.recovery.counts.reconciliations_started += 1;
        info.ok_or_else(no_reconciliation)
    }

    pub(crate) fn reconciliation_status(&self) -> Result<ReconciliationInfo, VapiError> {
        let now = self.clock.now();
        let inner = self.lock_at(now);
        inner
            .recovery
            .reconciliation
            .as_ref()
            .and_then(|r| r.info(&self.clock, now))
            .ok_or_else(no_reconciliation)
    }
}

fn no_reconciliation() -> VapiError {
    VapiError::not_found(
        "com.vmware.applmgmt.reconciliation.job.not_found",
        "No reconciliation job is running.",
    )
}

#[cfg(test)]
mod tests {
    use super::is_newer;

    #[test]
    fn versions_compare_by_their_numbers() {
        assert!(is_newer("8.0.3.00500", "8.0.3.00400"));
        assert!(is_newer("9.0.0.0", "8.0.3.00400"));
        assert!(!is_newer("8.0.3.00400", "8.0.3.00400"));
        assert!(!is_newer("8.0.2.00100", "8.0.3.00400"));
        assert!(is_newer("8.0.10", "8.0.9"));
    }
}
