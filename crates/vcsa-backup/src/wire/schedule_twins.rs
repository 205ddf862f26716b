//! The schedule, part size and clock operations as [`Twins`] pairs (see [`twins`](super::twins)).

use vcsa_backup_api::{Client as Api, WireSecret, types};

use crate::wire::dispatch::{ApiAnswer, Repeat, RestAnswer, RestAnswerOf, Twins};

impl RestAnswerOf<types::PartSize> for types::RestPartSizeValue {
    fn into_api(self) -> types::PartSize {
        self.value
    }
}

impl RestAnswerOf<types::ScheduleInfo> for types::RestScheduleInfoValue {
    fn into_api(self) -> types::ScheduleInfo {
        self.value
    }
}

impl RestAnswerOf<types::SystemTime> for types::RestSystemTimeValue {
    fn into_api(self) -> types::SystemTime {
        self.value
    }
}

/// `/rest` lists schedules as key-value entries; `/api` as a map.
impl RestAnswerOf<types::ScheduleMap> for types::RestScheduleListValue {
    fn into_api(self) -> types::ScheduleMap {
        types::ScheduleMap(self.value.into_iter().map(|e| (e.key, e.value)).collect())
    }
}

pub(crate) struct GetPartSize<'a>(pub(crate) &'a str);

impl Twins for GetPartSize<'_> {
    const NAME: &'static str = "get_part_size";
    const DOES: &'static str = "get a part's size";
    const REPEAT: Repeat = Repeat::Yes;
    type Answer = types::PartSize;
    type Rest = types::RestPartSizeValue;

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.get_part_size(self.0).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        api.rest_get_part_size(self.0).await
    }
}

pub(crate) struct ListSchedules;

impl Twins for ListSchedules {
    const NAME: &'static str = "list_schedules";
    const DOES: &'static str = "list schedules";
    const REPEAT: Repeat = Repeat::Yes;
    type Answer = types::ScheduleMap;
    type Rest = types::RestScheduleListValue;

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.list_schedules().await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        api.rest_list_schedules().await
    }
}

pub(crate) struct GetSchedule<'a>(pub(crate) &'a str);

impl Twins for GetSchedule<'_> {
    const NAME: &'static str = "get_schedule";
    const DOES: &'static str = "get a schedule";
    const REPEAT: Repeat = Repeat::Yes;
    type Answer = types::ScheduleInfo;
    type Rest = types::RestScheduleInfoValue;

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.get_schedule(self.0).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        api.rest_get_schedule(self.0).await
    }
}

/// `/api` puts the id in the body, `/rest` in the path.
pub(crate) struct CreateSchedule<'a> {
    pub(crate) schedule: &'a str,
    pub(crate) spec: types::ScheduleCreateSpec,
}

impl Twins for CreateSchedule<'_> {
    const NAME: &'static str = "create_schedule";
    const DOES: &'static str = "create a schedule";
    const REPEAT: Repeat = Repeat::No;
    type Answer = ();
    type Rest = ();

    fn secrets(&self) -> Vec<&str> {
        [&self.spec.location_password, &self.spec.backup_password]
            .into_iter()
            .flatten()
            .map(WireSecret::expose)
            .collect()
    }

    async fn api(&self, api: &Api) -> ApiAnswer<()> {
        let body = types::CreateScheduleRequest {
            schedule: self.schedule.to_string(),
            spec: self.spec.clone(),
        };
        api.create_schedule(&body).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<()> {
        let body = types::RestCreateScheduleRequest {
            spec: self.spec.clone(),
        };
        api.rest_create_schedule(self.schedule, &body).await
    }
}

/// `/api` patches; `/rest` puts to `schedules/update/{id}`.
pub(crate) struct UpdateSchedule<'a> {
    pub(crate) schedule: &'a str,
    pub(crate) spec: types::ScheduleUpdateSpec,
}

impl Twins for UpdateSchedule<'_> {
    const NAME: &'static str = "update_schedule";
    const DOES: &'static str = "update a schedule";
    const REPEAT: Repeat = Repeat::No;
    type Answer = ();
    type Rest = ();

    fn secrets(&self) -> Vec<&str> {
        [&self.spec.location_password, &self.spec.backup_password]
            .into_iter()
            .flatten()
            .map(WireSecret::expose)
            .collect()
    }

    async fn api(&self, api: &Api) -> ApiAnswer<()> {
        api.update_schedule(self.schedule, &self.spec).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<()> {
        let body = types::RestUpdateScheduleRequest {
            spec: self.spec.clone(),
        };
        api.rest_update_schedule(self.schedule, &body).await
    }
}

pub(crate) struct DeleteSchedule<'a>(pub(crate) &'a str);

impl Twins for DeleteSchedule<'_> {
    const NAME: &'static str = "delete_schedule";
    const DOES: &'static str = "delete a schedule";
    const REPEAT: Repeat = Repeat::No;
    type Answer = ();
    type Rest = ();

    async fn api(&self, api: &Api) -> ApiAnswer<()> {
        api.delete_schedule(self.0).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<()> {
        api.rest_delete_schedule(self.0).await
    }
}

pub(crate) struct GetApplianceTime;

impl Twins for GetApplianceTime {
    const NAME: &'static str = "get_appliance_time";
    const DOES: &'static str = "read the appliance's clock";
    const REPEAT: Repeat = Repeat::Yes;
    type Answer = types::SystemTime;
    type Rest = types::RestSystemTimeValue;

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.get_appliance_time().await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        api.rest_get_appliance_time().await
    }
}
