//! Every operation as its pair of generated calls, one [`Twins`] each.
//!
//! Adding an operation: a type holding its arguments, an `impl Twins` naming the two generated
//! calls, and, when `/rest` wraps its answer in a new type, a line in `wrapped_in_value!`.

use vcsa_backup_api::{Client as Api, WireSecret, types};

use crate::backup::request::BackupRequest;
use crate::job::id::JobId;
use crate::wire::classify::Body;
use crate::wire::convert::ToWire;
use crate::wire::dispatch::{ApiAnswer, Repeat, RestAnswer, RestAnswerOf, Twins};

/// `/rest` answers that hold the `/api` answer in `value`.
macro_rules! wrapped_in_value {
    ($($rest:ty => $api:ty,)*) => {
        $(impl RestAnswerOf<$api> for $rest {
            fn into_api(self) -> $api {
                self.value
            }
        })*
    };
}

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

/// Log in with the credentials in [`vcsa_backup_api::Auth`]; the answer is the session token.
pub(crate) struct CreateSession;

impl Twins for CreateSession {
    const NAME: &'static str = "login";
    const DOES: &'static str = "log in";
    const REPEAT: Repeat = Repeat::No;
    const ANSWER: Body = Body::Secret;
    type Answer = WireSecret;
    type Rest = types::RestSessionTokenValue;

    async fn api(&self, api: &Api) -> ApiAnswer<WireSecret> {
        api.create_session().await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        api.rest_create_session().await
    }
}

/// End the current session.
pub(crate) struct DeleteSession;

impl Twins for DeleteSession {
    const NAME: &'static str = "logout";
    const DOES: &'static str = "log out";
    const REPEAT: Repeat = Repeat::No;
    type Answer = ();
    type Rest = ();

    async fn api(&self, api: &Api) -> ApiAnswer<()> {
        api.delete_session().await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<()> {
        api.rest_delete_session().await
    }
}

pub(crate) struct StartBackup<'a>(pub(crate) &'a BackupRequest);

impl Twins for StartBackup<'_> {
    const NAME: &'static str = "start_backup";
    const DOES: &'static str = "start a backup";
    const REPEAT: Repeat = Repeat::No;
    type Answer = types::BackupJobStatus;
    type Rest = types::RestBackupJobStatusValue;

    fn secrets(&self) -> Vec<&str> {
        self.0.secrets()
    }

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.create_job(&self.0.to_wire()).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        let piece = types::RestBackupRequestPiece {
            piece: self.0.to_wire(),
        };
        api.rest_create_job(&piece).await
    }
}

pub(crate) struct GetJob<'a>(pub(crate) &'a JobId);

impl Twins for GetJob<'_> {
    const NAME: &'static str = "get_job";
    const DOES: &'static str = "get a job's status";
    const REPEAT: Repeat = Repeat::Yes;
    type Answer = types::BackupJobStatus;
    type Rest = types::RestBackupJobStatusValue;

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.get_job(self.0.as_str()).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        api.rest_get_job(self.0.as_str()).await
    }
}

pub(crate) struct ListJobs;

impl Twins for ListJobs {
    const NAME: &'static str = "list_jobs";
    const DOES: &'static str = "list jobs";
    const REPEAT: Repeat = Repeat::Yes;
    type Answer = types::JobIdList;
    type Rest = types::RestJobIdListValue;

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.list_jobs().await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        api.rest_list_jobs().await
    }
}

/// Details of the jobs with these ids, or of every job with `None`.
pub(crate) struct ListJobDetails(pub(crate) Option<Vec<String>>);

impl Twins for ListJobDetails {
    const NAME: &'static str = "list_job_details";
    const DOES: &'static str = "get job details";
    const REPEAT: Repeat = Repeat::Yes;
    type Answer = types::JobDetailsMap;
    type Rest = types::RestJobDetailsValue;

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.list_job_details(self.0.as_ref()).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        api.rest_list_job_details(self.0.as_ref()).await
    }
}

pub(crate) struct CancelJob<'a>(pub(crate) &'a JobId);

impl Twins for CancelJob<'_> {
    const NAME: &'static str = "cancel_job";
    const DOES: &'static str = "cancel a job";
    const REPEAT: Repeat = Repeat::No;
    type Answer = types::ReturnResult;
    type Rest = types::RestReturnResultValue;

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.cancel_job(self.0.as_str()).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        api.rest_cancel_job(self.0.as_str()).await
    }
}

pub(crate) struct RunSchedule<'a> {
    pub(crate) schedule: &'a str,
    pub(crate) body: types::RunScheduleRequest,
}

impl Twins for RunSchedule<'_> {
    const NAME: &'static str = "run_schedule";
    const DOES: &'static str = "run a backup schedule";
    const REPEAT: Repeat = Repeat::No;
    type Answer = types::BackupJobStatus;
    type Rest = types::RestBackupJobStatusValue;

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.run_schedule(self.schedule, &self.body).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        api.rest_run_schedule(self.schedule, &self.body).await
    }
}

pub(crate) struct ListParts;

impl Twins for ListParts {
    const NAME: &'static str = "list_parts";
    const DOES: &'static str = "list parts";
    const REPEAT: Repeat = Repeat::Yes;
    type Answer = types::PartList;
    type Rest = types::RestPartListValue;

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.list_parts().await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        api.rest_list_parts().await
    }
}

pub(crate) struct ValidateBackup<'a>(pub(crate) &'a BackupRequest);

impl Twins for ValidateBackup<'_> {
    const NAME: &'static str = "validate_backup";
    const DOES: &'static str = "validate a backup request";
    const REPEAT: Repeat = Repeat::Yes;
    type Answer = types::ReturnResult;
    type Rest = types::RestReturnResultValue;

    fn secrets(&self) -> Vec<&str> {
        self.0.secrets()
    }

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.validate_backup(&self.0.to_wire()).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        let piece = types::RestBackupRequestPiece {
            piece: self.0.to_wire(),
        };
        api.rest_validate_backup(&piece).await
    }
}
