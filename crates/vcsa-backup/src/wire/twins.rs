//! Every operation as its pair of generated calls, one [`Twins`] each.
//!
//! Adding an operation: a type holding its arguments, a `twins!` line naming the two generated
//! calls, and, when `/rest` wraps its answer in a new type, a line in `wrapped_in_value!`.

use vcsa_backup_api::{WireSecret, types};

use crate::backup::request::BackupRequest;
use crate::job::id::JobId;
use crate::wire::convert::ToWire;
use crate::wire::dispatch::{RestAnswerOf, twins, wrapped_in_value};

wrapped_in_value! {
    types::RestBackupJobStatusValue => types::BackupJobStatus,
    types::RestJobIdListValue => types::JobIdList,
    types::RestPartListValue => types::PartList,
    types::RestReturnResultValue => types::ReturnResult,
    types::RestSessionTokenValue => WireSecret,
    types::RestRecoveryInfoValue => types::RecoveryInfo,
    types::RestRestoreMetadataValue => types::RestoreMetadata,
    types::RestRestoreJobStatusValue => types::RestoreJobStatus,
    types::RestReconciliationInfoValue => types::ReconciliationInfo,
}

/// Both flavours answer nothing.
impl RestAnswerOf<()> for () {
    fn into_api(self) {}
}

/// `/rest` lists details as key-value entries; `/api` as a map.
impl RestAnswerOf<types::JobDetailsMap> for types::RestJobDetailsValue {
    fn into_api(self) -> types::JobDetailsMap {
        types::JobDetailsMap(self.value.into_iter().map(|e| (e.key, e.value)).collect())
    }
}

// Log in with the credentials in `vcsa_backup_api::Auth`; the answer is the session token.
twins!(struct CreateSession: "login", "log in", No, WireSecret, types::RestSessionTokenValue,
    create_session, rest_create_session, answer: Secret);

twins!(struct DeleteSession: "logout", "log out", No, (), (), delete_session, rest_delete_session);

twins!(struct StartBackup(&BackupRequest): "start_backup", "start a backup", No,
    types::BackupJobStatus, types::RestBackupJobStatusValue,
    |op, api| api.create_job(&op.0.to_wire()).await,
    api.rest_create_job(&types::RestBackupRequestPiece { piece: op.0.to_wire() }).await,
    secrets: op.0.secrets());

twins!(struct GetJob(&JobId): "get_job", "get a job's status", Yes,
    types::BackupJobStatus, types::RestBackupJobStatusValue,
    |op, api| api.get_job(op.0.as_str()).await,
    api.rest_get_job(op.0.as_str()).await);

twins!(struct ListJobs: "list_jobs", "list jobs", Yes, types::JobIdList, types::RestJobIdListValue,
    list_jobs, rest_list_jobs);

/// Details of the jobs with these ids, or of every job with `None`.
pub(crate) struct ListJobDetails(pub(crate) Option<Vec<String>>);

twins!(ListJobDetails: "list_job_details", "get job details", Yes,
    types::JobDetailsMap, types::RestJobDetailsValue,
    |op, api| api.list_job_details(op.0.as_ref()).await,
    api.rest_list_job_details(op.0.as_ref()).await);

twins!(struct CancelJob(&JobId): "cancel_job", "cancel a job", No,
    types::ReturnResult, types::RestReturnResultValue,
    |op, api| api.cancel_job(op.0.as_str()).await,
    api.rest_cancel_job(op.0.as_str()).await);

pub(crate) struct RunSchedule<'a> {
    pub(crate) schedule: &'a str,
    pub(crate) body: types::RunScheduleRequest,
}

twins!(RunSchedule<'_>: "run_schedule", "run a backup schedule", No,
    types::BackupJobStatus, types::RestBackupJobStatusValue,
    |op, api| api.run_schedule(op.schedule, &op.body).await,
    api.rest_run_schedule(op.schedule, &op.body).await);

twins!(struct ListParts: "list_parts", "list parts", Yes, types::PartList, types::RestPartListValue,
    list_parts, rest_list_parts);

twins!(struct ValidateBackup(&BackupRequest): "validate_backup", "validate a backup request",
    Yes, types::ReturnResult, types::RestReturnResultValue,
    |op, api| api.validate_backup(&op.0.to_wire()).await,
    api.rest_validate_backup(&types::RestBackupRequestPiece { piece: op.0.to_wire() }).await,
    secrets: op.0.secrets());
