//! A change to some settings of a schedule; the others keep their values.

use std::fmt;

use vcsa_backup_api::{Secret, types};

use crate::backup::part::PartId;
use crate::backup::password::BackupPassword;
use crate::schedule::{DayOfWeek, Recurrence, Retention};

/// The settings an update changes, for
/// [`Client::update_schedule`](crate::Client::update_schedule); every other setting of the
/// schedule keeps its value (the appliance cannot unset one: delete the schedule and create it
/// again for that, or let [`Client::apply_schedule`](crate::Client::apply_schedule) do it).
///
/// Built with [`ScheduleSpec::builder`](crate::ScheduleSpec::builder) and
/// [`build_update`](crate::ScheduleSpecBuilder::build_update). `Debug` never shows the
/// passwords.
///
/// ```
/// use vcsa_backup::{DayOfWeek, ScheduleSpec};
///
/// // Run at 01:30 and keep 14 backups; everything else stays as it is.
/// let update = ScheduleSpec::builder().at(1, 30).keep(14).build_update()?;
/// assert_eq!(update.time(), Some((1, 30)));
/// assert_eq!(update.days(), None); // the schedule's days are kept
///
/// // Nothing to change is refused, before anything is sent.
/// assert!(ScheduleSpec::builder().build_update().is_err());
/// # Ok::<(), vcsa_backup::Error>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct ScheduleUpdate {
    pub(crate) location: Option<String>,
    pub(crate) location_user: Option<String>,
    pub(crate) location_password: Option<Secret>,
    pub(crate) backup_password: Option<BackupPassword>,
    pub(crate) parts: Option<Vec<PartId>>,
    pub(crate) enabled: Option<bool>,
    pub(crate) time: Option<(u8, u8)>,
    pub(crate) days: Option<Vec<DayOfWeek>>,
    pub(crate) retention: Option<Retention>,
    pub(crate) fast_backup: Option<bool>,
}

impl ScheduleUpdate {
    /// The new root of the backup location.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// The new user name for the location.
    pub fn location_user(&self) -> Option<&str> {
        self.location_user.as_deref()
    }

    /// The new optional parts (an empty list: none).
    pub fn parts(&self) -> Option<&[PartId]> {
        self.parts.as_deref()
    }

    /// Whether the schedule is to be enabled or disabled.
    pub fn enabled(&self) -> Option<bool> {
        self.enabled
    }

    /// The new time of day, as hour and minute.
    pub fn time(&self) -> Option<(u8, u8)> {
        self.time
    }

    /// The new days (an empty list: every day).
    pub fn days(&self) -> Option<&[DayOfWeek]> {
        self.days.as_deref()
    }

    /// The new retention.
    pub fn retention(&self) -> Option<Retention> {
        self.retention
    }

    /// The new fast backup setting.
    pub fn fast_backup(&self) -> Option<bool> {
        self.fast_backup
    }

    /// Whether the time or the days change but not both, so the other half must be read from
    /// the schedule first (the appliance replaces the time and days together).
    pub(crate) fn needs_current_recurrence(&self) -> bool {
        self.time.is_some() != self.days.is_some()
    }

    /// The wire form, with the time and days completed from the schedule's `current`
    /// recurrence when only one of them changes.
    pub(crate) fn to_wire(
        &self,
        current: Option<&Recurrence>,
    ) -> Result<types::ScheduleUpdateSpec, crate::error::Problem> {
        let recurrence = match (self.time, &self.days) {
            (None, None) => None,
            (Some((hour, minute)), Some(days)) => Some(recurrence_wire(hour, minute, days)),
            (Some((hour, minute)), None) => Some(recurrence_wire(
                hour,
                minute,
                current.map_or(&[][..], |r| &r.days),
            )),
            (None, Some(days)) => match current {
                Some(r) => Some(recurrence_wire(r.hour, r.minute, days)),
                None => {
                    return Err(crate::error::Problem::new(
                        crate::error::Field::Days,
                        "the schedule has no time of day yet, so days alone cannot be set; give \
                         the time too, such as 23:00",
                    ));
                }
            },
        };
        Ok(types::ScheduleUpdateSpec {
            backup_password: self.backup_password.as_ref().map(|p| p.secret().to_wire()),
            enable: self.enabled,
            fast_backup: self.fast_backup,
            location: self.location.clone(),
            location_password: self.location_password.as_ref().map(Secret::to_wire),
            location_user: self.location_user.clone(),
            parts: self
                .parts
                .as_ref()
                .map(|p| types::ScheduleUpdateParts(part_ids(p))),
            recurrence_info: recurrence,
            retention_info: self.retention.map(retention_wire),
        })
    }
}

impl fmt::Debug for ScheduleUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScheduleUpdate")
            .field("location", &self.location)
            .field("location_user", &self.location_user)
            .field("location_password", &self.location_password)
            .field("backup_password", &self.backup_password)
            .field("parts", &self.parts)
            .field("enabled", &self.enabled)
            .field("time", &self.time)
            .field("days", &self.days)
            .field("retention", &self.retention)
            .field("fast_backup", &self.fast_backup)
            .finish()
    }
}

/// A recurrence on the wire; no days listed means every day.
pub(crate) fn recurrence_wire(hour: u8, minute: u8, days: &[DayOfWeek]) -> types::RecurrenceInfo {
    types::RecurrenceInfo {
        days: days
            .iter()
            .map(|d| vcsa_backup_api::enums::DayOfWeek::from(d.as_str()))
            .collect(),
        hour: hour.into(),
        minute: minute.into(),
    }
}

pub(crate) fn retention_wire(retention: Retention) -> types::RetentionInfo {
    types::RetentionInfo {
        max_count: retention.max_count.into(),
    }
}

pub(crate) fn part_ids(parts: &[PartId]) -> Vec<String> {
    parts.iter().map(|p| p.as_str().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::ScheduleSpec;
    use DayOfWeek::*;

    fn wire(update: &ScheduleUpdate, current: Option<&Recurrence>) -> serde_json::Value {
        serde_json::to_value(update.to_wire(current).unwrap()).unwrap()
    }

    #[test]
    fn only_the_given_settings_are_sent() {
        let update = ScheduleSpec::builder()
            .keep(14)
            .enabled(false)
            .build_update()
            .unwrap();
        assert_eq!(
            wire(&update, None),
            serde_json::json!({"retention_info": {"max_count": 14}, "enable": false})
        );
        let no_parts = ScheduleSpec::builder()
            .parts(Vec::<PartId>::new())
            .build_update()
            .unwrap();
        assert_eq!(wire(&no_parts, None), serde_json::json!({"parts": []}));
    }

    #[test]
    fn a_time_keeps_the_schedule_s_days_and_days_keep_its_time() {
        let current = Recurrence::new(23, 0, [Saturday, Sunday]).unwrap();
        let time = ScheduleSpec::builder().at(1, 30).build_update().unwrap();
        assert!(time.needs_current_recurrence());
        assert_eq!(
            wire(&time, Some(&current))["recurrence_info"],
            serde_json::json!({"hour": 1, "minute": 30, "days": ["SATURDAY", "SUNDAY"]})
        );
        let days = ScheduleSpec::builder()
            .days([Friday, Monday])
            .build_update()
            .unwrap();
        assert_eq!(
            wire(&days, Some(&current))["recurrence_info"],
            serde_json::json!({"hour": 23, "minute": 0, "days": ["MONDAY", "FRIDAY"]})
        );
        let problem = days.to_wire(None).unwrap_err();
        assert_eq!(problem.field, crate::error::Field::Days);
        let both = ScheduleSpec::builder()
            .at(2, 0)
            .days([Monday])
            .build_update()
            .unwrap();
        assert!(!both.needs_current_recurrence());
    }

    #[test]
    fn updates_are_checked_like_specs() {
        let error = ScheduleSpec::builder()
            .at(25, 0)
            .keep(0)
            .location_user("")
            .build_update()
            .unwrap_err();
        let fields: Vec<_> = error.problems().iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                crate::error::Field::LocationUser,
                crate::error::Field::Hour,
                crate::error::Field::Retention
            ]
        );
        let nothing = ScheduleSpec::builder().build_update().unwrap_err();
        assert!(nothing.to_string().contains("changes nothing"), "{nothing}");
        let password = ScheduleSpec::builder()
            .backup_password(Secret::new("Backup-2024!"))
            .build_update()
            .unwrap();
        assert!(!format!("{password:?}").contains("Backup-2024!"));
    }
}
