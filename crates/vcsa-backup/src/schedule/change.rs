//! One setting that differs between the appliance's schedule and a spec, with both values.

use std::fmt;

use chrono::NaiveTime;

use crate::backup::part::PartId;
use crate::error::Field;
use crate::schedule::recurrence::describe_days;
use crate::schedule::{DayOfWeek, Retention};

/// A schedule setting's value in a [`ScheduleChange`], normalized (see
/// [`ScheduleDiff`](crate::ScheduleDiff)). Serialized as the bare value: a string, a number, a
/// list, `true` or `false`, or `null` when unset.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum SettingValue {
    /// Unset: no location user, no time (it runs only when asked to), every backup kept; no
    /// location, for a schedule that does not exist yet.
    None,
    /// The location's root, or its user name.
    Text(String),
    /// Whether it runs on its own; the fast database backup (unset counts as off).
    Flag(bool),
    /// The time of day it runs (`HH:MM`).
    #[serde(serialize_with = "hh_mm")]
    Time(NaiveTime),
    /// The days it runs, all seven when it runs every day.
    Days(Vec<DayOfWeek>),
    /// The optional parts, sorted (`common` is always included).
    Parts(Vec<PartId>),
    /// How many backups it keeps.
    Count(u32),
    /// A password, which is sent: the appliance never returns it, so it is never compared or
    /// shown (and not serialized).
    Secret,
}

impl SettingValue {
    /// Whether the value is unset.
    pub fn is_none(&self) -> bool {
        *self == Self::None
    }

    /// Whether the value is a password, never shown.
    pub fn is_secret(&self) -> bool {
        *self == Self::Secret
    }

    /// The value of `field` in an administrator's words: `23:00`, `keep the newest 7`,
    /// `common, seat`, `every day`, `none (only when run)`.
    pub fn describe(&self, field: Field) -> String {
        match self {
            Self::None if field == Field::Time => "none (only when run)".into(),
            Self::None if field == Field::Retention => "keep all".into(),
            Self::None => "none".into(),
            Self::Text(text) => text.clone(),
            Self::Flag(on) => if *on { "on" } else { "off" }.into(),
            Self::Time(time) => time.format("%H:%M").to_string(),
            Self::Days(days) => describe_days(&days.iter().cloned().collect()),
            Self::Parts(parts) if parts.is_empty() => "common only".into(),
            Self::Parts(parts) => {
                let mut names = vec![PartId::COMMON.as_str()];
                names.extend(parts.iter().map(PartId::as_str));
                names.join(", ")
            }
            Self::Count(count) => Retention { max_count: *count }.to_string(),
            Self::Secret => "sent".into(),
        }
    }
}

fn hh_mm<S: serde::Serializer>(time: &NaiveTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&time.format("%H:%M"))
}

/// One setting that differs between the appliance's schedule and the spec. For a schedule to
/// be created, `current` is unset; for a password, both are [`SettingValue::Secret`].
///
/// Serialized as `{"setting": "time", "current": "23:00", "desired": "01:30"}`, a password
/// without its values.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ScheduleChange {
    /// The setting.
    #[serde(rename = "setting")]
    pub field: Field,
    /// Its value on the appliance.
    #[serde(skip_serializing_if = "SettingValue::is_secret")]
    pub current: SettingValue,
    /// Its value in the spec.
    #[serde(skip_serializing_if = "SettingValue::is_secret")]
    pub desired: SettingValue,
}

impl ScheduleChange {
    /// A change of `field` from `current` to `desired`.
    pub fn new(field: Field, current: SettingValue, desired: SettingValue) -> Self {
        Self {
            field,
            current,
            desired,
        }
    }

    /// A password that is sent.
    pub(crate) fn secret(field: Field) -> Self {
        Self::new(field, SettingValue::Secret, SettingValue::Secret)
    }
}

impl fmt::Display for ScheduleChange {
    /// `time of day: 23:00 -> 01:30`; a password: `backup encryption password: sent (...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = self.field;
        if self.desired.is_secret() {
            return write!(
                f,
                "{field}: sent (the appliance never returns it, so it cannot be compared)"
            );
        }
        write!(
            f,
            "{field}: {} -> {}",
            self.current.describe(field),
            self.desired.describe(field)
        )
    }
}
