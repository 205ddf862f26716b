//! Tests of catalog::filter, through the public API.

use chrono::Utc;

use chrono::TimeZone;
use vcsa_backup::*;

#[test]
fn every_problem_at_once() {
    let day = |d| Utc.with_ymd_and_hms(2024, 5, d, 0, 0, 0).unwrap();
    let error = ArchiveFilter::builder()
        .since(day(2))
        .until(day(1))
        .max_results(0)
        .comment_contains("a\u{7}")
        .build()
        .unwrap_err();
    let fields: Vec<_> = error.problems().iter().map(|p| p.field).collect();
    assert_eq!(fields, [Field::Until, Field::MaxResults, Field::Comment]);
    assert!(error.to_string().contains("before it starts"), "{error}");
    assert_eq!(
        ArchiveFilter::builder()
            .comment_contains("")
            .build()
            .unwrap_err()
            .problems()[0]
            .field,
        Field::Comment
    );
}

#[test]
fn a_single_instant_and_one_result_are_fine() {
    let t = Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0).unwrap();
    let filter = ArchiveFilter::builder()
        .since(t)
        .until(t)
        .max_results(1)
        .build()
        .unwrap();
    assert_eq!((filter.since(), filter.until()), (Some(t), Some(t)));
    assert_eq!(ArchiveFilter::all(), ArchiveFilter::default());
    assert_eq!(ArchiveFilter::all().max_results(), None);
}
