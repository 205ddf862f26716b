//! Tests of job::id, through the public API.

use chrono::{DateTime, Utc};

use proptest::prelude::*;
use vcsa_backup::*;

#[test]
fn documented_form_exposes_time_and_build() {
    let id = JobId::new("20180531-155107-8217864");
    assert!(id.is_time_stamped());
    assert_eq!(
        id.started_at(),
        Some("2018-05-31T15:51:07Z".parse::<DateTime<Utc>>().unwrap())
    );
    assert_eq!(id.build(), Some("8217864"));
}

#[test]
fn near_misses_stay_opaque() {
    for text in [
        "",
        "20180531-155107",
        "20180531-155107-",
        "20180531-155107-82a",
        "20181331-155107-1",  // month 13
        "20180531-256107-1",  // hour 25
        "20180531_155107-1",  // wrong separator
        "2018053-1155107-1",  // misplaced dash
        "２0180531-155107-1", // a non-ASCII digit: must not panic on byte offsets
        "job-42",
    ] {
        let id = JobId::new(text);
        assert!(!id.is_time_stamped(), "{text}");
        assert_eq!(id.build(), None);
        assert_eq!(id.as_str(), text);
    }
}

#[test]
fn orders_by_start_time_for_the_documented_form() {
    let mut ids: Vec<JobId> = [
        "20240102-000000-1",
        "20231231-235959-9",
        "20240101-120000-5",
    ]
    .into_iter()
    .map(JobId::new)
    .collect();
    ids.sort();
    let times: Vec<_> = ids.iter().map(|i| i.started_at().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn serde_as_a_string() {
    let id: JobId = serde_json::from_str("\"20180531-155107-8217864\"").unwrap();
    assert_eq!(id.build(), Some("8217864"));
    assert_eq!(
        serde_json::to_string(&id).unwrap(),
        "\"20180531-155107-8217864\""
    );
}

/// What the stamp parser replaced: chrono's own parser of the documented form.
fn chrono_stamp(text: &str) -> Option<DateTime<Utc>> {
    let stamp = text.get(..15)?;
    let build = text.get(16..)?;
    let shaped = stamp.bytes().enumerate().all(|(i, b)| match i {
        8 => b == b'-',
        _ => b.is_ascii_digit(),
    }) && text.as_bytes()[15] == b'-'
        && !build.is_empty()
        && build.bytes().all(|b| b.is_ascii_digit());
    if !shaped {
        return None;
    }
    let parsed = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?;
    Some(parsed.and_utc())
}

#[test]
fn calendar_edges_match_chrono() {
    for text in [
        "20240229-120000-1", // leap day
        "20230229-120000-1", // not a leap year
        "21000229-120000-1", // not a leap year either
        "20000229-120000-1", // a leap year
        "20240431-120000-1", // April has 30 days
        "20240001-120000-1", // month 0
        "20240100-120000-1", // day 0
        "00000101-000000-1", // year 0
        "99991231-235959-1",
        "20241231-235960-1", // a leap second
        "20241231-236000-1", // minute 60
        "20241231-240000-1", // hour 24
        "20241231-235961-1",
    ] {
        assert_eq!(JobId::new(text).started_at(), chrono_stamp(text), "{text}");
    }
}

proptest! {
    #[test]
    fn stamps_parse_as_chrono_parses_them(
        date in "[0-9]{8}", time in "[0-2][0-9][0-6][0-9][0-6][0-9]", build in "[0-9]{1,4}",
    ) {
        let text = format!("{date}-{time}-{build}");
        prop_assert_eq!(JobId::new(text.as_str()).started_at(), chrono_stamp(&text));
    }

    #[test]
    fn any_text_round_trips(text in any::<String>()) {
        let id: JobId = text.parse().unwrap();
        prop_assert_eq!(id.to_string(), text.clone());
        prop_assert_eq!(JobId::new(id.as_str()), id);
    }

    #[test]
    fn generated_stamps_parse(
        y in 1970i32..2200, mo in 1u32..=12, d in 1u32..=28, h in 0u32..24, mi in 0u32..60,
        s in 0u32..60, build in "[0-9]{1,10}",
    ) {
        let text = format!("{y:04}{mo:02}{d:02}-{h:02}{mi:02}{s:02}-{build}");
        let id = JobId::new(text);
        let expected = chrono::NaiveDate::from_ymd_opt(y, mo, d).unwrap()
            .and_hms_opt(h, mi, s).unwrap().and_utc();
        prop_assert_eq!(id.started_at(), Some(expected));
        prop_assert_eq!(id.build(), Some(build.as_str()));
    }
}
