//! When a schedule runs: a time of day in the appliance's clock, on some or all days of the week.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{Datelike, NaiveDateTime, NaiveTime, TimeDelta, Weekday};

vcsa_backup_api::open_enum! {
    /// A day of the week, as schedules name them (`MONDAY` .. `SUNDAY`).
    ///
    /// `Display` and [`as_str`](Self::as_str) give the wire text; [`name`](Self::name) the
    /// English name. [`parse`](Self::parse) reads what an administrator types (`mon`, `Monday`).
    ///
    /// ```
    /// use vcsa_backup::DayOfWeek;
    ///
    /// assert_eq!(DayOfWeek::from("MONDAY"), DayOfWeek::Monday);
    /// assert_eq!(DayOfWeek::parse("wed"), Some(DayOfWeek::Wednesday));
    /// assert_eq!(DayOfWeek::Friday.name(), "Friday");
    /// // A day from a newer appliance's vocabulary is kept, as sent.
    /// assert!(!DayOfWeek::from("FUNDAY").is_known());
    /// ```
    DayOfWeek {
        /// Monday.
        Monday = "MONDAY",
        /// Tuesday.
        Tuesday = "TUESDAY",
        /// Wednesday.
        Wednesday = "WEDNESDAY",
        /// Thursday.
        Thursday = "THURSDAY",
        /// Friday.
        Friday = "FRIDAY",
        /// Saturday.
        Saturday = "SATURDAY",
        /// Sunday.
        Sunday = "SUNDAY",
    }
}

impl DayOfWeek {
    /// The seven days, Monday first.
    pub const WEEK: [Self; 7] = [
        Self::Monday,
        Self::Tuesday,
        Self::Wednesday,
        Self::Thursday,
        Self::Friday,
        Self::Saturday,
        Self::Sunday,
    ];

    /// A day as an administrator writes it: its English name or first three letters, in any
    /// letter case (`mon`, `Monday`, `MONDAY`). `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::WEEK.into_iter().find(|day| {
            day.as_str().eq_ignore_ascii_case(text) || day.as_str()[..3].eq_ignore_ascii_case(text)
        })
    }

    /// The English name, such as `Monday`; an unknown day as received.
    pub fn name(&self) -> &str {
        match self {
            Self::Monday => "Monday",
            Self::Tuesday => "Tuesday",
            Self::Wednesday => "Wednesday",
            Self::Thursday => "Thursday",
            Self::Friday => "Friday",
            Self::Saturday => "Saturday",
            Self::Sunday => "Sunday",
            other => other.as_str(),
        }
    }

    /// The day as chrono names it; `None` for a day this SDK does not know.
    pub fn weekday(&self) -> Option<Weekday> {
        let monday_based = Self::WEEK.iter().position(|day| day == self)?;
        Weekday::try_from(u8::try_from(monday_based).ok()?).ok()
    }

    /// The day for a chrono weekday.
    pub fn from_weekday(day: Weekday) -> Self {
        Self::WEEK[day.num_days_from_monday() as usize].clone()
    }
}

/// When a schedule runs: at `hour:minute` of the appliance's clock (its time zone, usually UTC),
/// on the listed days, or every day when none are listed.
///
/// Built checked by [`ScheduleSpecBuilder::at`](crate::ScheduleSpecBuilder::at) and
/// [`days`](crate::ScheduleSpecBuilder::days), or read from the appliance in a
/// [`Schedule`](crate::Schedule).
///
/// ```
/// use chrono::NaiveDate;
/// use vcsa_backup::{DayOfWeek, Recurrence};
///
/// let nightly = Recurrence::new(23, 30, []).unwrap();
/// assert!(nightly.is_every_day());
/// assert_eq!(nightly.to_string(), "every day at 23:30");
///
/// let weekdays = Recurrence::new(1, 5, [DayOfWeek::Friday, DayOfWeek::Monday]).unwrap();
/// assert_eq!(weekdays.to_string(), "Monday and Friday at 01:05");
/// // Friday 2024-05-31 at noon: the next run is Monday 2024-06-03 at 01:05.
/// let noon = NaiveDate::from_ymd_opt(2024, 5, 31).unwrap().and_hms_opt(12, 0, 0).unwrap();
/// assert_eq!(weekdays.next_run_after(noon).unwrap().to_string(), "2024-06-03 01:05:00");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub struct Recurrence {
    /// The hour, 0 to 23, in the appliance's time zone.
    pub hour: u8,
    /// The minute, 0 to 59.
    pub minute: u8,
    /// The days it runs, Monday first; empty means every day.
    pub days: Vec<DayOfWeek>,
}

impl Recurrence {
    /// A recurrence at `hour:minute` on `days` (none: every day). The days are sorted and listed
    /// once each. `None` when the hour or minute is out of range; for a checked recurrence with
    /// an administrator's message, use the [`ScheduleSpec`](crate::ScheduleSpec) builder.
    pub fn new(hour: u8, minute: u8, days: impl IntoIterator<Item = DayOfWeek>) -> Option<Self> {
        (hour < 24 && minute < 60).then(|| Self {
            hour,
            minute,
            days: super::sorted_once(days),
        })
    }

    /// The time of day it runs.
    pub fn time(&self) -> NaiveTime {
        NaiveTime::from_hms_opt(self.hour.into(), self.minute.into(), 0).unwrap_or(NaiveTime::MIN)
    }

    /// Whether it runs every day: no day listed, or all seven.
    pub fn is_every_day(&self) -> bool {
        self.days.is_empty() || DayOfWeek::WEEK.iter().all(|d| self.days.contains(d))
    }

    /// The days it runs, normalized: no day listed means all seven.
    pub fn day_set(&self) -> BTreeSet<DayOfWeek> {
        if self.days.is_empty() {
            DayOfWeek::WEEK.into()
        } else {
            self.days.iter().cloned().collect()
        }
    }

    /// The first run strictly after `now`, both in the appliance's local time (see
    /// [`ApplianceTime::local`](crate::ApplianceTime::local)). `None` when it lists only days
    /// this SDK does not know.
    pub fn next_run_after(&self, now: NaiveDateTime) -> Option<NaiveDateTime> {
        let days = self.day_set();
        (0..=7)
            .map(|ahead| now.date() + TimeDelta::days(ahead))
            .map(|date| date.and_time(self.time()))
            .find(|run| *run > now && days.contains(&DayOfWeek::from_weekday(run.date().weekday())))
    }
}

/// `every day`, `no day`, or the days' names joined with commas and `and`.
pub(crate) fn describe_days(days: &BTreeSet<DayOfWeek>) -> String {
    if days.len() == DayOfWeek::WEEK.len() && DayOfWeek::WEEK.iter().all(|d| days.contains(d)) {
        "every day".into()
    } else if days.is_empty() {
        "no day".into()
    } else {
        crate::human::and_list(&days.iter().map(DayOfWeek::name).collect::<Vec<_>>())
    }
}

impl fmt::Display for Recurrence {
    /// `every day at 23:30`, `Monday and Friday at 01:05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {:02}:{:02}",
            describe_days(&self.day_set()),
            self.hour,
            self.minute
        )
    }
}
