//! Tests of wait::human, through the public API.

use std::time::Duration;
use vcsa_backup::wait::HumanDuration;

#[test]
fn durations_read_like_a_person_writes_them() {
    let h = |ms| HumanDuration(Duration::from_millis(ms)).to_string();
    assert_eq!(h(0), "0ms");
    assert_eq!(h(850), "850ms");
    assert_eq!(h(1000), "1s");
    assert_eq!(h(4_560), "4.5s");
    assert_eq!(h(59_999), "59.9s");
    assert_eq!(h(60_000), "1m 0s");
    assert_eq!(h(725_000), "12m 5s");
    assert_eq!(h(7_214_000), "2h 0m");
    assert_eq!(h((5 * 3600 + 12 * 60 + 59) * 1000), "5h 12m");
    assert_eq!(h((3 * 86_400 + 4 * 3600 + 1) * 1000), "3d 4h");
    assert_eq!(h(u64::MAX), "213503982334d 14h");
}
