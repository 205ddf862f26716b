//! Schedules as a health check sees them, and when each runs next.

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveTime, Utc, Weekday};

/// When a schedule runs: at `hour:minute` of the appliance's clock, on `days` (every day when
/// empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recurrence {
    /// The hour, 0 to 23, in the appliance's time zone.
    pub hour: u32,
    /// The minute, 0 to 59.
    pub minute: u32,
    /// The days of the week; empty means every day.
    pub days: Vec<Weekday>,
}

impl Recurrence {
    /// The first run strictly after `now`, in the time zone at `offset` from UTC; `None` when
    /// the hour or minute is out of range.
    ///
    /// The offset is the appliance's at `now`: a run on the far side of a daylight saving change
    /// is off by the change (an hour), which a health check can live with.
    ///
    /// ```
    /// use chrono::{DateTime, FixedOffset, Weekday};
    /// use vcsa_backup::health::Recurrence;
    ///
    /// let weekdays_at_2330 = Recurrence {
    ///     hour: 23,
    ///     minute: 30,
    ///     days: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
    /// };
    /// // Friday 2024-06-07 23:45 in UTC+2: the next run is on Monday.
    /// let now: DateTime<chrono::Utc> = "2024-06-07T21:45:00Z".parse().unwrap();
    /// let next = weekdays_at_2330.next_after(now, FixedOffset::east_opt(2 * 3600).unwrap());
    /// assert_eq!(next.unwrap().to_rfc3339(), "2024-06-10T23:30:00+02:00");
    /// ```
    pub fn next_after(
        &self,
        now: DateTime<Utc>,
        offset: FixedOffset,
    ) -> Option<DateTime<FixedOffset>> {
        let at = NaiveTime::from_hms_opt(self.hour, self.minute, 0)?;
        let local = now.with_timezone(&offset);
        // Today and the next seven days hold a run of any non-empty day set.
        (0..=7u64).find_map(|ahead| {
            let date = local.date_naive().checked_add_days(Days::new(ahead))?;
            let runs_that_day = self.days.is_empty() || self.days.contains(&date.weekday());
            let run = date.and_time(at).and_local_timezone(offset).single()?;
            (runs_that_day && run > local).then_some(run)
        })
    }
}

/// A backup schedule as a health check needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleInput {
    /// The schedule's id, usually `default`.
    pub id: String,
    /// Whether the schedule is enabled.
    pub enabled: bool,
    /// When it runs; `None` when it has no recurrence (it only runs when asked).
    pub recurrence: Option<Recurrence>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn next_runs() {
        let daily = Recurrence {
            hour: 2,
            minute: 0,
            days: vec![],
        };
        let zero = FixedOffset::east_opt(0).unwrap();
        let next =
            |r: &Recurrence, now, offset| r.next_after(utc(now), offset).unwrap().to_rfc3339();
        assert_eq!(
            next(&daily, "2024-06-07T01:59:59Z", zero),
            "2024-06-07T02:00:00+00:00"
        );
        // Exactly at the run time: that run is under way, the next is tomorrow.
        assert_eq!(
            next(&daily, "2024-06-07T02:00:00Z", zero),
            "2024-06-08T02:00:00+00:00"
        );
        // In the appliance's time zone, not UTC: 02:00 in UTC-5 is 07:00 UTC.
        let minus_five = FixedOffset::west_opt(5 * 3600).unwrap();
        assert_eq!(
            next(&daily, "2024-06-07T06:00:00Z", minus_five),
            "2024-06-07T02:00:00-05:00"
        );
        let sundays = Recurrence {
            hour: 23,
            minute: 59,
            days: vec![Weekday::Sun],
        };
        // Sunday 23:59:30: the next Sunday, a week away.
        assert_eq!(
            next(&sundays, "2024-06-09T23:59:30Z", zero),
            "2024-06-16T23:59:00+00:00"
        );
        let out_of_range = Recurrence {
            hour: 24,
            minute: 0,
            days: vec![],
        };
        assert_eq!(
            out_of_range.next_after(utc("2024-06-07T00:00:00Z"), zero),
            None
        );
    }
}
