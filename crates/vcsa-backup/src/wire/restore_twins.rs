//! The recovery operations as [`Twins`]: whether recovery is supported, restore validate,
//! start, status and cancel, and the reconciliation job's start and status.

use vcsa_backup_api::Secret;
use vcsa_backup_api::types::{self, RestRestoreRequestPiece as Piece};

use crate::restore::RestoreRequest;
use crate::wire::convert::restore::restore_request;
use crate::wire::dispatch::twins;

twins!(struct GetRecovery: "recovery_supported", "ask whether recovery is supported", Yes,
    types::RecoveryInfo, types::RestRecoveryInfoValue, get_recovery, rest_get_recovery);

twins!(struct GetRestoreJob: "restore_status", "read the restore's status", Yes,
    types::RestoreJobStatus, types::RestRestoreJobStatusValue,
    get_restore_job, rest_get_restore_job);

twins!(struct CancelRestoreJob: "cancel_restore", "cancel the restore", No,
    types::ReturnResult, types::RestReturnResultValue, cancel_restore_job, rest_cancel_restore_job);

twins!(struct GetReconciliationJob: "reconciliation_status", "read the reconciliation's status",
    Yes, types::ReconciliationInfo, types::RestReconciliationInfoValue,
    get_reconciliation_job, rest_get_reconciliation_job);

twins!(struct ValidateRestore(&RestoreRequest): "validate_restore", "validate a restore request",
    Yes, types::RestoreMetadata, types::RestRestoreMetadataValue,
    |op, api| api.validate_restore(&restore_request(op.0, false)).await,
    api.rest_validate_restore(&Piece { piece: restore_request(op.0, false) }).await,
    secrets: op.0.secrets());

twins!(struct StartRestore(&RestoreRequest): "start_restore", "start a restore", No,
    types::RestoreJobStatus, types::RestRestoreJobStatusValue,
    |op, api| api.create_restore_job(&restore_request(op.0, true)).await,
    api.rest_create_restore_job(&Piece { piece: restore_request(op.0, true) }).await,
    secrets: op.0.secrets());

/// Start the reconciliation: the SSO administrator, and whether warnings are ignored.
pub(crate) struct StartReconciliation<'a> {
    pub(crate) sso_admin: Option<(&'a str, &'a Secret)>,
    pub(crate) ignore_warnings: bool,
}

impl StartReconciliation<'_> {
    fn spec(&self) -> types::ReconciliationSpec {
        types::ReconciliationSpec {
            ignore_warnings: self.ignore_warnings.then_some(true),
            sso_admin_user_name: self.sso_admin.map(|(user, _)| user.to_string()),
            sso_admin_user_password: self.sso_admin.map(|(_, password)| password.to_wire()),
        }
    }
}

twins!(StartReconciliation<'_>: "start_reconciliation", "start a reconciliation", No,
    types::ReconciliationInfo, types::RestReconciliationInfoValue,
    |op, api| api.create_reconciliation_job(&op.spec()).await,
    api.rest_create_reconciliation_job(&types::RestReconciliationSpec { spec: op.spec() }).await,
    secrets: op.sso_admin.map(|(_, p)| p.expose()).into_iter().collect());
