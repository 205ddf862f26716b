//! The schedule, part size and clock operations as [`Twins`] pairs (see [`twins`](super::twins)),
//! and the conversions of schedules and the appliance's clock to and from the wire.

use chrono::DateTime;
use vcsa_backup_api::{Secret, WireSecret, types};

use crate::schedule::{
    ApplianceTime, DayOfWeek, Recurrence, Retention, Schedule, ScheduleSpec, ScheduleUpdate,
};
use crate::wire::convert::{self, part_ids};
use crate::wire::dispatch::{RestAnswerOf, twins, wrapped_in_value};

wrapped_in_value! {
    types::RestPartSizeValue => types::PartSize,
    types::RestScheduleInfoValue => types::ScheduleInfo,
    types::RestSystemTimeValue => types::SystemTime,
}

/// `/rest` lists schedules as key-value entries; `/api` as a map.
impl RestAnswerOf<types::ScheduleMap> for types::RestScheduleListValue {
    fn into_api(self) -> types::ScheduleMap {
        types::ScheduleMap(self.value.into_iter().map(|e| (e.key, e.value)).collect())
    }
}

twins!(struct GetPartSize(&str): "get_part_size", "get a part's size", Yes,
    types::PartSize, types::RestPartSizeValue,
    |op, api| api.get_part_size(op.0).await,
    api.rest_get_part_size(op.0).await);

twins!(struct ListSchedules: "list_schedules", "list schedules", Yes,
    types::ScheduleMap, types::RestScheduleListValue, list_schedules, rest_list_schedules);

twins!(struct GetSchedule(&str): "get_schedule", "get a schedule", Yes,
    types::ScheduleInfo, types::RestScheduleInfoValue,
    |op, api| api.get_schedule(op.0).await,
    api.rest_get_schedule(op.0).await);

/// The passwords a schedule's create or update sends, those that are set.
fn exposed(passwords: [&Option<WireSecret>; 2]) -> Vec<&str> {
    Vec::from_iter(passwords.into_iter().flatten().map(WireSecret::expose))
}

/// `/api` puts the id in the body, `/rest` in the path.
pub(crate) struct CreateSchedule<'a> {
    pub(crate) schedule: &'a str,
    pub(crate) spec: types::ScheduleCreateSpec,
}

twins!(CreateSchedule<'_>: "create_schedule", "create a schedule", No, (), (),
    |op, api| {
        let (schedule, spec) = (op.schedule.to_string(), op.spec.clone());
        api.create_schedule(&types::CreateScheduleRequest { schedule, spec }).await
    },
    {
        let body = types::RestCreateScheduleRequest { spec: op.spec.clone() };
        api.rest_create_schedule(op.schedule, &body).await
    },
    secrets: exposed([&op.spec.location_password, &op.spec.backup_password]));

/// `/api` patches; `/rest` puts to `schedules/update/{id}`.
pub(crate) struct UpdateSchedule<'a> {
    pub(crate) schedule: &'a str,
    pub(crate) spec: types::ScheduleUpdateSpec,
}

twins!(UpdateSchedule<'_>: "update_schedule", "update a schedule", No, (), (),
    |op, api| api.update_schedule(op.schedule, &op.spec).await,
    {
        let body = types::RestUpdateScheduleRequest { spec: op.spec.clone() };
        api.rest_update_schedule(op.schedule, &body).await
    },
    secrets: exposed([&op.spec.location_password, &op.spec.backup_password]));

twins!(struct DeleteSchedule(&str): "delete_schedule", "delete a schedule", No, (), (),
    |op, api| api.delete_schedule(op.0).await,
    api.rest_delete_schedule(op.0).await);

twins!(struct GetApplianceTime: "get_appliance_time", "read the appliance's clock", Yes,
    types::SystemTime, types::RestSystemTimeValue, get_appliance_time, rest_get_appliance_time);

/// The wire form of a create: every setting, passwords included, as an update sends them.
pub(crate) fn create_spec(spec: &ScheduleSpec) -> types::ScheduleCreateSpec {
    let wire = update_spec(&spec.settings, spec.recurrence.as_ref());
    types::ScheduleCreateSpec {
        backup_password: wire.backup_password,
        enable: wire.enable,
        fast_backup: wire.fast_backup,
        location: wire.location.unwrap_or_default(),
        location_password: wire.location_password,
        location_user: wire.location_user,
        parts: wire.parts.map(|p| p.0).unwrap_or_default(),
        recurrence_info: wire.recurrence_info,
        retention_info: wire.retention_info,
    }
}

/// The settings that are set, on the wire, for an update (and a create); the time and days are
/// sent as `recurrence` (see [`ScheduleUpdate::recurrence`]).
pub(crate) fn update_spec(
    settings: &ScheduleUpdate,
    recurrence: Option<&Recurrence>,
) -> types::ScheduleUpdateSpec {
    types::ScheduleUpdateSpec {
        backup_password: settings
            .backup_password
            .as_ref()
            .map(|p| p.secret().to_wire()),
        enable: settings.enabled,
        fast_backup: settings.fast_backup,
        location: settings.location.clone(),
        location_password: settings.location_password.as_ref().map(Secret::to_wire),
        location_user: settings.location_user.clone(),
        parts: settings
            .parts
            .as_ref()
            .map(|p| types::ScheduleUpdateParts(part_ids(p))),
        // No days listed means every day.
        recurrence_info: recurrence.map(|r| types::RecurrenceInfo {
            days: r.days.iter().map(|d| d.as_str().into()).collect(),
            hour: r.hour.into(),
            minute: r.minute.into(),
        }),
        retention_info: settings.retention.map(|r| types::RetentionInfo {
            max_count: r.max_count.into(),
        }),
    }
}

/// A schedule as the appliance has it; a time or retention out of range is malformed.
pub(crate) fn schedule(id: String, info: types::ScheduleInfo) -> Result<Schedule, String> {
    let recurrence = info.recurrence_info.map(|r| {
        let days = r.days.iter().map(|d| DayOfWeek::from(d.as_str()));
        let (h, m) = (r.hour, r.minute);
        u8::try_from(h)
            .ok()
            .zip(u8::try_from(m).ok())
            .and_then(|(hour, minute)| Recurrence::new(hour, minute, days))
            .ok_or_else(|| format!("schedule {id} runs at {h}:{m}, which is not a time of day"))
    });
    let retention = info.retention_info.map(|r| {
        let count = r.max_count;
        let max_count = u32::try_from(count)
            .map_err(|_| format!("schedule {id} keeps {count} backups, which is not a count"))?;
        Ok::<_, String>(Retention { max_count })
    });
    Ok(Schedule {
        id,
        location: info.location,
        location_user: info.location_user,
        parts: convert::parts(info.parts),
        enabled: info.enable,
        recurrence: recurrence.transpose()?,
        retention: retention.transpose()?,
        fast_backup: info.fast_backup,
    })
}

/// The appliance's clock; a time that is not a number of seconds in range is malformed.
pub(crate) fn appliance_time(t: types::SystemTime) -> Result<ApplianceTime, String> {
    let seconds = t.seconds_since_epoch;
    let whole = seconds.floor();
    // A double holds today's instants to a fraction of a microsecond: keep microseconds.
    // `as` saturates; an out-of-range instant is refused by `from_timestamp`.
    let nanos = (((seconds - whole) * 1e6).round() as u32).min(999_999) * 1000;
    let now = seconds
        .is_finite()
        .then(|| DateTime::from_timestamp(whole as i64, nanos))
        .flatten()
        .ok_or_else(|| format!("the appliance's time {seconds} is not a time"))?;
    Ok(ApplianceTime::new(now, t.timezone, t.date, t.time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_from_the_wire() {
        let wire = |seconds: f64| types::SystemTime {
            date: "Thu 07-31-2014".into(),
            seconds_since_epoch: seconds,
            time: "18:18:32".into(),
            timezone: "UTC".into(),
        };
        let t = appliance_time(wire(1_406_830_712.651)).unwrap();
        assert_eq!(t.now.to_rfc3339(), "2014-07-31T18:18:32.651+00:00");
        assert_eq!(t.time_zone, "UTC");
        for bad in [f64::NAN, f64::INFINITY, 1e300] {
            assert!(appliance_time(wire(bad)).is_err(), "{bad}");
        }
    }
}
