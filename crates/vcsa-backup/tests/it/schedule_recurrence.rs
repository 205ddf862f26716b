//! Tests of schedule::recurrence, through the public API.

use chrono::NaiveDateTime;

use chrono::NaiveDate;
use vcsa_backup::*;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

#[test]
fn days_parse_from_names_and_abbreviations() {
    assert_eq!(DayOfWeek::parse("Mon"), Some(DayOfWeek::Monday));
    assert_eq!(DayOfWeek::parse(" sunday "), Some(DayOfWeek::Sunday));
    assert_eq!(DayOfWeek::parse("THU"), Some(DayOfWeek::Thursday));
    assert_eq!(DayOfWeek::parse("th"), None);
    assert_eq!(DayOfWeek::parse("funday"), None);
    assert_eq!(DayOfWeek::parse(""), None);
}

#[test]
fn days_keep_the_wire_text() {
    for day in DayOfWeek::WEEK {
        assert_eq!(DayOfWeek::from(day.as_str()), day);
        assert_eq!(
            serde_json::to_value(&day).unwrap(),
            serde_json::json!(day.as_str())
        );
        let weekday = day.weekday().unwrap();
        assert_eq!(DayOfWeek::from_weekday(weekday), day);
    }
    let new: DayOfWeek = serde_json::from_str("\"HOLIDAY\"").unwrap();
    assert_eq!(new, DayOfWeek::Unknown("HOLIDAY".into()));
    assert_eq!(new.name(), "HOLIDAY");
    assert_eq!(new.weekday(), None);
}

#[test]
fn no_days_or_all_seven_are_every_day() {
    let none = Recurrence::new(2, 0, []).unwrap();
    let all = Recurrence::new(2, 0, DayOfWeek::WEEK).unwrap();
    assert!(none.is_every_day() && all.is_every_day());
    assert_eq!(none.day_set(), all.day_set());
    assert_eq!(all.to_string(), "every day at 02:00");
    let some = Recurrence::new(2, 0, [DayOfWeek::Sunday, DayOfWeek::Sunday]).unwrap();
    assert!(!some.is_every_day());
    assert_eq!(some.days, [DayOfWeek::Sunday], "listed once");
}

#[test]
fn out_of_range_times_are_refused() {
    assert!(Recurrence::new(24, 0, []).is_none());
    assert!(Recurrence::new(0, 60, []).is_none());
    assert!(Recurrence::new(23, 59, []).is_some());
}

#[test]
fn descriptions() {
    let r = |days: &[DayOfWeek]| Recurrence::new(7, 5, days.iter().cloned()).unwrap();
    use DayOfWeek::*;
    assert_eq!(r(&[Wednesday]).to_string(), "Wednesday at 07:05");
    assert_eq!(
        r(&[Friday, Monday, Wednesday]).to_string(),
        "Monday, Wednesday and Friday at 07:05"
    );
}

#[test]
fn next_run() {
    use DayOfWeek::*;
    let daily = Recurrence::new(23, 0, []).unwrap();
    // 2024-05-31 is a Friday.
    assert_eq!(
        daily.next_run_after(at(2024, 5, 31, 22, 59)),
        Some(at(2024, 5, 31, 23, 0))
    );
    assert_eq!(
        daily.next_run_after(at(2024, 5, 31, 23, 0)),
        Some(at(2024, 6, 1, 23, 0)),
        "strictly after: a run at this very minute is not next"
    );
    let sundays = Recurrence::new(3, 15, [Sunday]).unwrap();
    assert_eq!(
        sundays.next_run_after(at(2024, 6, 2, 3, 16)),
        Some(at(2024, 6, 9, 3, 15)),
        "a full week ahead"
    );
    assert_eq!(
        sundays.next_run_after(at(2024, 12, 31, 12, 0)),
        Some(at(2025, 1, 5, 3, 15)),
        "across a year"
    );
    let unknown = Recurrence::new(1, 0, [DayOfWeek::from("HOLIDAY")]).unwrap();
    assert_eq!(unknown.next_run_after(at(2024, 1, 1, 0, 0)), None);
}
