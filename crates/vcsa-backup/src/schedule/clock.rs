//! The appliance's clock: schedule times are in its time zone, and a backup's age is best judged
//! against it.

use chrono::offset::LocalResult;
use chrono::{
    DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;

use crate::schedule::recurrence::Recurrence;

/// The appliance's clock and time zone, as [`Client::get_appliance_time`](crate::Client::get_appliance_time)
/// reads them.
///
/// Schedule times ([`Recurrence`]) are in the appliance's time zone; this is
/// how to show them beside the caller's own clock.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use vcsa_backup::{ApplianceTime, Recurrence};
///
/// let time = ApplianceTime::new(
///     Utc.with_ymd_and_hms(2024, 5, 31, 12, 0, 0).unwrap(),
///     "Europe/Berlin",
///     "Fri 05-31-2024",
///     "14:00:00",
/// );
/// assert_eq!(time.utc_offset().unwrap().to_string(), "+02:00");
/// let nightly = Recurrence::new(23, 0, []).unwrap();
/// // 23:00 in Berlin is 21:00 UTC.
/// assert_eq!(time.next_run(&nightly).unwrap().to_rfc3339(), "2024-05-31T21:00:00+00:00");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ApplianceTime {
    /// The appliance's time, as an instant.
    pub now: DateTime<Utc>,
    /// The appliance's time zone, such as `UTC` or `Europe/Berlin`.
    pub time_zone: String,
    /// The appliance's local date as it writes it, such as `Thu 07-31-2014`.
    pub date: String,
    /// The appliance's local time of day as it writes it, such as `18:18:32`.
    pub time: String,
}

impl ApplianceTime {
    /// A reading of the appliance's clock.
    pub fn new(
        now: DateTime<Utc>,
        time_zone: impl Into<String>,
        date: impl Into<String>,
        time: impl Into<String>,
    ) -> Self {
        Self {
            now,
            time_zone: time_zone.into(),
            date: date.into(),
            time: time.into(),
        }
    }

    /// The appliance's local date and time; `None` when its date or time is not in the form
    /// `Thu 07-31-2014` and `18:18:32`.
    pub fn local(&self) -> Option<NaiveDateTime> {
        let date = self.date.trim();
        // The weekday name is redundant and its spelling may follow the appliance's locale.
        let date = date.rsplit(' ').next()?;
        let date = NaiveDate::parse_from_str(date, "%m-%d-%Y").ok()?;
        let time = NaiveTime::parse_from_str(self.time.trim(), "%H:%M:%S").ok()?;
        Some(date.and_time(time))
    }

    /// How far the appliance's local time is from UTC now, to the nearest quarter hour (every
    /// time zone in use is a whole number of quarter hours from UTC). `None` when
    /// [`local`](Self::local) cannot be read.
    ///
    /// The offset holds for now: across a daylight-saving change it moves by an hour.
    pub fn utc_offset(&self) -> Option<FixedOffset> {
        const QUARTER: i64 = 15 * 60;
        let seconds = (self.local()? - self.now.naive_utc()).num_seconds();
        let quarters = (seconds as f64 / QUARTER as f64).round() as i64;
        FixedOffset::east_opt(i32::try_from(quarters * QUARTER).ok()?)
    }

    /// `instant` in the appliance's local time: by the tz database when the time zone's name is
    /// one it knows (right across daylight-saving changes), otherwise at today's
    /// [`utc_offset`](Self::utc_offset).
    pub fn to_local(&self, instant: DateTime<Utc>) -> Option<NaiveDateTime> {
        Some(self.zone()?.to_local(instant))
    }

    /// When `recurrence` next runs after this reading, as an instant; `None` when neither the
    /// time zone nor the local time can be read, or the recurrence lists only days this SDK
    /// does not know.
    ///
    /// A time zone the tz database knows (such as `Europe/Berlin`) gives the right instant
    /// across a daylight-saving change, as the appliance runs it: a time the change skips runs
    /// when the clocks have jumped, a time it repeats runs at its first occurrence. Otherwise
    /// the offset read now is taken to hold.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use vcsa_backup::{ApplianceTime, Recurrence};
    ///
    /// // Saturday 2027-03-13 in New York (UTC-5); the clocks go forward that night.
    /// let time = ApplianceTime::new(
    ///     Utc.with_ymd_and_hms(2027, 3, 13, 12, 0, 0).unwrap(),
    ///     "America/New_York",
    ///     "Sat 03-13-2027",
    ///     "07:00:00",
    /// );
    /// let two_am = Recurrence::new(2, 0, []).unwrap();
    /// // Tonight, 2:00 does not exist: the run is at 3:00 EDT, 07:00 UTC.
    /// assert_eq!(time.next_run(&two_am).unwrap().to_rfc3339(), "2027-03-14T07:00:00+00:00");
    /// ```
    pub fn next_run(&self, recurrence: &Recurrence) -> Option<DateTime<Utc>> {
        self.zone()?.next_run(recurrence, self.now)
    }

    /// The appliance's time zone: its tz database zone when the name is one, and it agrees
    /// with the appliance's own reading of its local time; otherwise the offset read now.
    pub(crate) fn zone(&self) -> Option<Zone> {
        let read = self.utc_offset();
        match self.time_zone.trim().parse::<Tz>() {
            Ok(tz) if read.is_none_or(|o| Zone::Named(tz).offset_at(self.now) == o) => {
                Some(Zone::Named(tz))
            }
            _ => read.map(Zone::Fixed),
        }
    }
}

/// A time zone as this SDK can know the appliance's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Zone {
    /// A zone of the tz database, with its daylight-saving rules.
    Named(Tz),
    /// Only the offset from UTC read now.
    Fixed(FixedOffset),
}

impl Zone {
    /// The offset from UTC at `instant`.
    pub(crate) fn offset_at(self, instant: DateTime<Utc>) -> FixedOffset {
        match self {
            Zone::Named(tz) => tz.offset_from_utc_datetime(&instant.naive_utc()).fix(),
            Zone::Fixed(offset) => offset,
        }
    }

    /// `instant` in local time.
    pub(crate) fn to_local(self, instant: DateTime<Utc>) -> NaiveDateTime {
        instant
            .with_timezone(&self.offset_at(instant))
            .naive_local()
    }

    /// The first run of `recurrence` strictly after `now`: the recurrence finds the local
    /// times, the zone turns each into an instant. When the clocks go back, the first local
    /// time after `now` can be an instant already past (the hour repeated), so the next is
    /// taken then.
    pub(crate) fn next_run(
        self,
        recurrence: &Recurrence,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let mut local = self.to_local(now);
        for _ in 0..3 {
            local = recurrence.next_run_after(local)?;
            if let Some(at) = self.first_instant_at_or_after(local).filter(|at| *at > now) {
                return Some(at);
            }
        }
        None
    }

    /// The first instant whose local time is `local`; inside a gap where the clocks jumped
    /// forward, the instant the gap ends (offsets change by whole minutes, gaps last hours at
    /// most).
    fn first_instant_at_or_after(self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            Zone::Fixed(offset) => {
                Some((local - TimeDelta::seconds(offset.local_minus_utc().into())).and_utc())
            }
            Zone::Named(tz) => (0..=4 * 60).find_map(|minutes| {
                let probe = local.checked_add_signed(TimeDelta::minutes(minutes))?;
                match tz.from_local_datetime(&probe) {
                    LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => {
                        Some(at.with_timezone(&Utc))
                    }
                    LocalResult::None => None,
                }
            }),
        }
    }
}
