//! Tests of wait::progress, through the public API.

use std::time::Duration;

use vcsa_backup::wait::*;

const S: fn(u64) -> Duration = Duration::from_secs;

#[test]
fn the_policy_never_sleeps_past_the_lag_bound() {
    let policy = ProgressAware::new();
    let far = EndEstimate::new(S(86_400), None);
    for elapsed in [600, 3600, 7200, 36_000] {
        let poll = PollContext::new(50, S(elapsed)).with_end(far);
        assert_eq!(policy.delay(&poll), ProgressAware::lag_bound(S(elapsed)));
    }
    // Early on, no further ahead than the wait has watched.
    let poll = PollContext::new(3, S(10)).with_end(far);
    assert_eq!(policy.delay(&poll), S(10));
    let poll = PollContext::new(50, S(0)).with_end(EndEstimate::new(S(0), Some(S(0))));
    assert_eq!(policy.delay(&poll), S(1), "never below the shortest delay");
}
