//! Tests of wait::backoff, through the public API.

use std::time::Duration;

use vcsa_backup::wait::*;

fn at(polls: u32) -> PollContext {
    PollContext::new(polls, Duration::ZERO)
}

#[test]
fn default_grows_by_a_fifth_and_truncates_at_thirty_seconds() {
    let b = ExponentialBackoff::default();
    let millis = |n| b.delay(&at(n)).as_millis();
    let first: Vec<u128> = (1..=6).map(millis).collect();
    assert_eq!(first, [1000, 1200, 1440, 1728, 2074, 2488]);
    // 1.2^18 = 26.6, 1.2^19 = 31.9: the 20th delay is the first truncated one.
    assert_eq!(millis(19), 26_623);
    assert_eq!(millis(20), 30_000);
    assert_eq!(millis(500), 30_000);
}

#[test]
fn huge_poll_counts_saturate_at_max_instead_of_overflowing() {
    let b = ExponentialBackoff::default().factor(10.0);
    assert_eq!(b.delay(&at(u32::MAX)), Duration::from_secs(30));
    assert_eq!(b.delay(&at(0)), Duration::from_secs(1));
}

#[test]
fn nonsense_settings_are_made_safe() {
    let b = ExponentialBackoff::new(Duration::ZERO, Duration::ZERO).factor(f64::NAN);
    assert_eq!(b.min_delay(), Duration::from_millis(1));
    assert_eq!(b.max_delay(), Duration::from_millis(1));
    assert_eq!(b.delay(&at(50)), Duration::from_millis(1));

    let b = ExponentialBackoff::new(Duration::from_secs(9), Duration::from_secs(3)).factor(0.5);
    assert_eq!(b.max_delay(), Duration::from_secs(9));
    assert_eq!(b.delay(&at(7)), Duration::from_secs(9));
}

#[test]
fn the_same_seed_gives_the_same_delays_and_jitter_actually_varies() {
    let schedule = |seed| {
        let b = ExponentialBackoff::default().with_jitter_seed(seed);
        (1..40).map(|n| b.delay(&at(n))).collect::<Vec<_>>()
    };
    assert_eq!(schedule(42), schedule(42));
    assert_ne!(schedule(42), schedule(43));
    let plain: Vec<_> = (1..40)
        .map(|n| ExponentialBackoff::default().delay(&at(n)))
        .collect();
    assert_ne!(schedule(42), plain);
}

#[test]
fn a_clone_continues_the_same_random_sequence() {
    let a = ExponentialBackoff::default().with_jitter_seed(1);
    let _ = a.delay(&at(20));
    let b = a.clone();
    assert_eq!(a.delay(&at(20)), b.delay(&at(20)));
}

#[test]
fn constant_backoff_ignores_the_poll_count() {
    let c = ConstantBackoff::new(Duration::from_secs(5));
    assert!((1..100).all(|n| c.delay(&at(n)) == Duration::from_secs(5)));
    assert_eq!(
        ConstantBackoff::new(Duration::ZERO).delay(&at(1)),
        Duration::from_millis(1)
    );
}

#[test]
fn jitter_stays_between_half_the_delay_and_the_delay_and_never_below_min() {
    let backoff =
        || ExponentialBackoff::new(Duration::from_secs(2), Duration::from_secs(60)).factor(2.0);
    let (plain, b) = (backoff(), backoff().with_jitter_seed(7));
    for polls in 1..200 {
        let base = plain.delay(&at(polls));
        let d = b.delay(&at(polls));
        assert!(d <= base, "poll {polls}: {d:?} > {base:?}");
        assert!(
            d >= (base / 2).max(Duration::from_secs(2)),
            "poll {polls}: {d:?}"
        );
    }
}
