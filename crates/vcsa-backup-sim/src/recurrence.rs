//! When a schedule fires: its minute and hour on its days of the week, on the appliance's clock
//! in the appliance's time zone.

use chrono::offset::LocalResult;
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

/// The days of the week as the wire names them, Monday first.
pub(crate) const DAY_NAMES: [&str; 7] = [
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
];

/// The weekday of a wire name (`MONDAY` .. `SUNDAY`, exactly as the vendor spells them).
pub(crate) fn weekday(name: &str) -> Option<Weekday> {
    const WEEKDAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    let index = DAY_NAMES.iter().position(|d| *d == name)?;
    Some(WEEKDAYS[index])
}

/// A checked recurrence: a time of day and the days it applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Recurrence {
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    /// `None`: every day.
    pub(crate) days: Option<Vec<Weekday>>,
}

impl Recurrence {
    fn runs_on(&self, day: Weekday) -> bool {
        self.days.as_ref().is_none_or(|days| days.contains(&day))
    }

    /// The first time strictly after `after` at which the schedule fires, in the time zone `tz`.
    ///
    /// A time that does not exist on a day (skipped when the clocks go forward) fires when the
    /// clocks have jumped, as cron does; a time that exists twice (when they go back) fires once,
    /// at the first.
    pub(crate) fn next_after(&self, tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let first_day = after.with_timezone(&tz).date_naive();
        // Eight days always reach the next matching weekday after today's time has passed.
        (0..=8u64)
            .filter_map(|n| first_day.checked_add_days(Days::new(n)))
            .filter(|day| self.runs_on(day.weekday()))
            .filter_map(|day| self.on(tz, day))
            .find(|at| *at > after)
    }

    /// The last time strictly before `before` at which the schedule fired, in the time zone
    /// `tz`: the run that was due most recently.
    pub(crate) fn last_before(&self, tz: Tz, before: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let first_day = before.with_timezone(&tz).date_naive();
        // Eight days back always reach the last matching weekday before today's time.
        (0..=8u64)
            .filter_map(|n| first_day.checked_sub_days(Days::new(n)))
            .filter(|day| self.runs_on(day.weekday()))
            .filter_map(|day| self.on(tz, day))
            .find(|at| *at < before)
    }

    /// When the schedule fires on `day` (local date), if that day has such a time.
    fn on(&self, tz: Tz, day: NaiveDate) -> Option<DateTime<Utc>> {
        let local = day.and_hms_opt(self.hour, self.minute, 0)?;
        first_instant_at_or_after(tz, local)
    }
}

/// The first instant whose local time in `tz` is `local`, or, inside a gap where the clocks
/// jumped forward, the instant the gap ends (the first whole local minute that exists: offsets
/// change by whole minutes).
fn first_instant_at_or_after(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    // Gaps last at most a few hours.
    (0..=4 * 60).find_map(|minutes| {
        let probe = local.checked_add_signed(chrono::Duration::minutes(minutes))?;
        match tz.from_local_datetime(&probe) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at.with_timezone(&Utc)),
            LocalResult::None => None,
        }
    })
}

/// The first 00:00 UTC strictly after `after`: when the daily retention pass runs.
pub(crate) fn next_utc_midnight(after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let next_day = after.date_naive().checked_add_days(Days::new(1))?;
    Some(next_day.and_hms_opt(0, 0, 0)?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn every_day(hour: u32, minute: u32) -> Recurrence {
        Recurrence {
            hour,
            minute,
            days: None,
        }
    }

    #[test]
    fn day_names_map_to_weekdays() {
        assert_eq!(weekday("MONDAY"), Some(Weekday::Mon));
        assert_eq!(weekday("SUNDAY"), Some(Weekday::Sun));
        assert_eq!(weekday("monday"), None);
        assert_eq!(weekday("FUNDAY"), None);
    }

    #[test]
    fn every_day_fires_today_or_tomorrow() {
        let r = every_day(2, 30);
        // 2026-05-18 is a Monday.
        assert_eq!(
            r.next_after(Tz::UTC, utc("2026-05-18T01:00:00Z")),
            Some(utc("2026-05-18T02:30:00Z"))
        );
        // Strictly after: at the very minute, the next one is tomorrow.
        assert_eq!(
            r.next_after(Tz::UTC, utc("2026-05-18T02:30:00Z")),
            Some(utc("2026-05-19T02:30:00Z"))
        );
    }

    #[test]
    fn days_of_the_week_are_honoured() {
        let r = Recurrence {
            hour: 23,
            minute: 0,
            days: Some(vec![Weekday::Wed, Weekday::Sat]),
        };
        let mut at = utc("2026-05-18T00:00:00Z"); // Monday
        let mut fired = Vec::new();
        for _ in 0..4 {
            at = r.next_after(Tz::UTC, at).unwrap();
            fired.push(at);
        }
        assert_eq!(
            fired,
            [
                utc("2026-05-20T23:00:00Z"),
                utc("2026-05-23T23:00:00Z"),
                utc("2026-05-27T23:00:00Z"),
                utc("2026-05-30T23:00:00Z"),
            ]
        );
    }

    #[test]
    fn local_time_in_the_appliance_zone() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        // Summer time (UTC+2): the day and the hour are Berlin's.
        let r = Recurrence {
            hour: 1,
            minute: 15,
            days: Some(vec![Weekday::Tue]),
        };
        assert_eq!(
            r.next_after(berlin, utc("2026-05-18T22:00:00Z")),
            Some(utc("2026-05-18T23:15:00Z")),
            "01:15 on Tuesday in Berlin is 23:15 on Monday in UTC"
        );
    }

    #[test]
    fn clocks_going_forward_and_back() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let r = every_day(2, 30);
        // 2026-03-29: 02:00 jumps to 03:00; 02:30 does not exist and fires at the jump (01:00 UTC).
        assert_eq!(
            r.next_after(berlin, utc("2026-03-28T12:00:00Z")),
            Some(utc("2026-03-29T01:00:00Z"))
        );
        // 2026-10-25: 03:00 goes back to 02:00; 02:30 exists twice and fires once, at the first.
        let first = r.next_after(berlin, utc("2026-10-24T12:00:00Z")).unwrap();
        assert_eq!(first, utc("2026-10-25T00:30:00Z"));
        assert_eq!(
            r.next_after(berlin, first),
            Some(utc("2026-10-26T01:30:00Z"))
        );
    }

    #[test]
    fn midnights() {
        assert_eq!(
            next_utc_midnight(utc("2026-05-18T00:00:00Z")),
            Some(utc("2026-05-19T00:00:00Z"))
        );
        assert_eq!(
            next_utc_midnight(utc("2026-05-18T23:59:59Z")),
            Some(utc("2026-05-19T00:00:00Z"))
        );
    }

    #[test]
    fn the_last_run_before_is_today_or_an_earlier_matching_day() {
        let r = every_day(23, 0);
        assert_eq!(
            r.last_before(Tz::UTC, utc("2026-05-18T23:30:00Z")),
            Some(utc("2026-05-18T23:00:00Z"))
        );
        assert_eq!(
            r.last_before(Tz::UTC, utc("2026-05-18T23:00:00Z")),
            Some(utc("2026-05-17T23:00:00Z")),
            "strictly before"
        );
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(
            r.last_before(berlin, utc("2026-05-18T12:00:00Z")),
            Some(utc("2026-05-17T21:00:00Z")),
            "23:00 in Berlin (summer time) is 21:00 UTC"
        );
        let mondays = Recurrence {
            hour: 2,
            minute: 30,
            days: Some(vec![Weekday::Mon]),
        };
        // 2026-05-20 is a Wednesday; the Monday before is the 18th.
        assert_eq!(
            mondays.last_before(Tz::UTC, utc("2026-05-20T12:00:00Z")),
            Some(utc("2026-05-18T02:30:00Z"))
        );
    }
}
