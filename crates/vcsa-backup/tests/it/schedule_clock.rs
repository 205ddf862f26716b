//! Tests of schedule::clock, through the public API.

use chrono::TimeZone;
use chrono::{TimeDelta, Utc};
use vcsa_backup::*;

fn reading(utc: (u32, u32, u32), date: &str, time: &str) -> ApplianceTime {
    let (h, m, s) = utc;
    ApplianceTime::new(
        Utc.with_ymd_and_hms(2014, 7, 31, h, m, s).unwrap() + TimeDelta::milliseconds(651),
        "zone",
        date,
        time,
    )
}

#[test]
fn local_time_from_the_appliance_form() {
    let t = reading((18, 18, 32), "Thu 07-31-2014", "18:18:32");
    assert_eq!(t.local().unwrap().to_string(), "2014-07-31 18:18:32");
    assert_eq!(t.utc_offset().unwrap().local_minus_utc(), 0);
    assert_eq!(reading((0, 0, 0), "07-31-2014", "x").local(), None);
    assert_eq!(reading((0, 0, 0), "", "18:18:32").local(), None);
    assert_eq!(
        reading((0, 0, 0), "Thu 31-07-2014", "18:18:32").local(),
        None
    );
}

#[test]
fn offsets_round_to_quarter_hours() {
    // India: UTC+05:30, read a few seconds after the instant was taken.
    let india = reading((12, 0, 0), "Thu 07-31-2014", "17:30:03");
    assert_eq!(india.utc_offset().unwrap().to_string(), "+05:30");
    // New York in summer, across midnight.
    let ny = reading((2, 0, 0), "Wed 07-30-2014", "22:00:00");
    assert_eq!(ny.utc_offset().unwrap().to_string(), "-04:00");
    assert_eq!(
        ny.to_local(ny.now).unwrap().to_string(),
        "2014-07-30 22:00:00.651"
    );
}

#[test]
fn next_run_as_an_instant() {
    let ny = reading((2, 0, 0), "Wed 07-30-2014", "22:00:00");
    let at_23 = Recurrence::new(23, 0, []).unwrap();
    assert_eq!(
        ny.next_run(&at_23).unwrap().to_rfc3339(),
        "2014-07-31T03:00:00+00:00"
    );
}

fn zoned(utc: &str, zone: &str, date: &str, time: &str) -> ApplianceTime {
    ApplianceTime::new(utc.parse().unwrap(), zone, date, time)
}

#[test]
fn named_zones_follow_daylight_saving_and_odd_ones_fall_back_to_the_offset_read() {
    let at_0230 = Recurrence::new(2, 30, []).unwrap();
    // Berlin, Saturday 2026-10-24 at noon (UTC+2); 02:30 happens twice that night: the
    // first, still in summer time, is 00:30 UTC.
    let berlin = zoned(
        "2026-10-24T10:00:00Z",
        "Europe/Berlin",
        "Sat 10-24-2026",
        "12:00:00",
    );
    assert_eq!(
        berlin.next_run(&at_0230).unwrap().to_rfc3339(),
        "2026-10-25T00:30:00+00:00"
    );
    // A week later the offset is +01:00, which the zone knows.
    assert_eq!(
        berlin
            .to_local("2026-10-31T10:00:00Z".parse().unwrap())
            .unwrap()
            .to_string(),
        "2026-10-31 11:00:00"
    );
    // A name the tz database does not know: the offset read now holds.
    let odd = zoned(
        "2026-10-24T10:00:00Z",
        "CEST-ish",
        "Sat 10-24-2026",
        "12:00:00",
    );
    assert_eq!(
        odd.next_run(&at_0230).unwrap().to_rfc3339(),
        "2026-10-25T00:30:00+00:00"
    );
    assert_eq!(
        odd.to_local("2026-10-31T10:00:00Z".parse().unwrap())
            .unwrap()
            .to_string(),
        "2026-10-31 12:00:00"
    );
    // A name that contradicts the appliance's own local time: the reading wins.
    let wrong = zoned(
        "2026-10-24T10:00:00Z",
        "Asia/Tokyo",
        "Sat 10-24-2026",
        "12:00:00",
    );
    // The offset read, +02:00, holds all year (not Tokyo's +09:00, nor Berlin's change).
    assert_eq!(
        wrong.next_run(&at_0230).unwrap().to_rfc3339(),
        "2026-10-25T00:30:00+00:00"
    );
    assert_eq!(
        wrong
            .to_local("2026-10-31T10:00:00Z".parse().unwrap())
            .unwrap()
            .to_string(),
        "2026-10-31 12:00:00"
    );
    // A local time that cannot be read, with a known zone: the zone is enough.
    let unread = zoned("2026-10-24T10:00:00Z", "Europe/Berlin", "?", "?");
    assert_eq!(
        unread.next_run(&at_0230).unwrap().to_rfc3339(),
        "2026-10-25T00:30:00+00:00"
    );
    assert_eq!(
        zoned("2026-10-24T10:00:00Z", "odd", "?", "?").next_run(&at_0230),
        None
    );
}
