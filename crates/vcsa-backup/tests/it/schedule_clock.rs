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
