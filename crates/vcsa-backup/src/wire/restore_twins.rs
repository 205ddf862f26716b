//! The recovery operations as [`Twins`]: whether recovery is supported, restore validate,
//! start, status and cancel, and the reconciliation job's start and status.

use vcsa_backup_api::{Client as Api, Secret, types};

use crate::restore::RestoreRequest;
use crate::wire::convert::restore::restore_request;
use crate::wire::dispatch::{ApiAnswer, Repeat, RestAnswer, Twins};

/// A twin without arguments: `$name` is the client operation, `$api`/`$rest` the generated calls.
macro_rules! bare_twin {
    ($ty:ident, $name:literal, $does:literal, $repeat:expr, $answer:ty, $rest_answer:ty, $api:ident, $rest:ident) => {
        pub(crate) struct $ty;

        impl Twins for $ty {
            const NAME: &'static str = $name;
            const DOES: &'static str = $does;
            const REPEAT: Repeat = $repeat;
            type Answer = $answer;
            type Rest = $rest_answer;

            async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
                api.$api().await
            }
            async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
                api.$rest().await
            }
        }
    };
}

bare_twin!(
    GetRecovery,
    "recovery_supported",
    "ask whether recovery is supported",
    Repeat::Yes,
    types::RecoveryInfo,
    types::RestRecoveryInfoValue,
    get_recovery,
    rest_get_recovery
);
bare_twin!(
    GetRestoreJob,
    "restore_status",
    "read the restore's status",
    Repeat::Yes,
    types::RestoreJobStatus,
    types::RestRestoreJobStatusValue,
    get_restore_job,
    rest_get_restore_job
);
bare_twin!(
    CancelRestoreJob,
    "cancel_restore",
    "cancel the restore",
    Repeat::No,
    types::ReturnResult,
    types::RestReturnResultValue,
    cancel_restore_job,
    rest_cancel_restore_job
);
bare_twin!(
    GetReconciliationJob,
    "reconciliation_status",
    "read the reconciliation's status",
    Repeat::Yes,
    types::ReconciliationInfo,
    types::RestReconciliationInfoValue,
    get_reconciliation_job,
    rest_get_reconciliation_job
);

pub(crate) struct ValidateRestore<'a>(pub(crate) &'a RestoreRequest);

impl Twins for ValidateRestore<'_> {
    const NAME: &'static str = "validate_restore";
    const DOES: &'static str = "validate a restore request";
    const REPEAT: Repeat = Repeat::Yes;
    type Answer = types::RestoreMetadata;
    type Rest = types::RestRestoreMetadataValue;

    fn secrets(&self) -> Vec<&str> {
        self.0.secrets()
    }

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.validate_restore(&restore_request(self.0, false)).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        let piece = types::RestRestoreRequestPiece {
            piece: restore_request(self.0, false),
        };
        api.rest_validate_restore(&piece).await
    }
}

pub(crate) struct StartRestore<'a>(pub(crate) &'a RestoreRequest);

impl Twins for StartRestore<'_> {
    const NAME: &'static str = "start_restore";
    const DOES: &'static str = "start a restore";
    const REPEAT: Repeat = Repeat::No;
    type Answer = types::RestoreJobStatus;
    type Rest = types::RestRestoreJobStatusValue;

    fn secrets(&self) -> Vec<&str> {
        self.0.secrets()
    }

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.create_restore_job(&restore_request(self.0, true)).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        let piece = types::RestRestoreRequestPiece {
            piece: restore_request(self.0, true),
        };
        api.rest_create_restore_job(&piece).await
    }
}

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

impl Twins for StartReconciliation<'_> {
    const NAME: &'static str = "start_reconciliation";
    const DOES: &'static str = "start a reconciliation";
    const REPEAT: Repeat = Repeat::No;
    type Answer = types::ReconciliationInfo;
    type Rest = types::RestReconciliationInfoValue;

    fn secrets(&self) -> Vec<&str> {
        self.sso_admin
            .map(|(_, p)| p.expose())
            .into_iter()
            .collect()
    }

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.create_reconciliation_job(&self.spec()).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        let spec = types::RestReconciliationSpec { spec: self.spec() };
        api.rest_create_reconciliation_job(&spec).await
    }
}
