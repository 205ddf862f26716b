//! Fitting the backoff's delay into the time left before the deadline.

use std::time::Duration;
use tokio::time::Instant;

/// What a wait does after a poll that left the job running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NextPoll {
    /// Sleep this long, then poll again.
    After(Duration),
    /// The delay would cross the deadline: sleep only until the deadline and poll one last time
    /// there, rather than sleeping past it or giving up early.
    LastAt(Instant),
    /// The deadline has passed: no more polls.
    Stop,
}

/// A wait's time limit, on tokio's clock.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    started: Instant,
    at: Instant,
}

impl Deadline {
    /// A deadline `max_wait` from `started`; a limit too large for the clock means none.
    pub(crate) fn new(started: Instant, max_wait: Duration) -> Self {
        let at = started
            .checked_add(max_wait)
            // About 30 years: tokio's own stand-in for "never".
            .unwrap_or_else(|| started + Duration::from_secs(86_400 * 365 * 30));
        Self { started, at }
    }

    pub(crate) fn elapsed(&self, now: Instant) -> Duration {
        now.saturating_duration_since(self.started)
    }

    pub(crate) fn remaining(&self, now: Instant) -> Duration {
        self.at.saturating_duration_since(now)
    }

    /// Where a `delay` proposed at `now` lands relative to the deadline.
    pub(crate) fn next_poll(&self, now: Instant, delay: Duration) -> NextPoll {
        let remaining = self.remaining(now);
        if remaining.is_zero() {
            NextPoll::Stop
        } else if delay >= remaining {
            NextPoll::LastAt(self.at)
        } else {
            NextPoll::After(delay)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[tokio::test(start_paused = true)]
    async fn short_delays_pass_through() {
        let d = Deadline::new(Instant::now(), S(60));
        assert_eq!(d.next_poll(Instant::now(), S(10)), NextPoll::After(S(10)));
        assert_eq!(d.remaining(Instant::now()), S(60));
    }

    #[tokio::test(start_paused = true)]
    async fn a_delay_reaching_the_deadline_becomes_one_last_poll_at_the_deadline() {
        let start = Instant::now();
        let d = Deadline::new(start, S(60));
        let now = start + S(55);
        assert_eq!(d.next_poll(now, S(10)), NextPoll::LastAt(start + S(60)));
        assert_eq!(d.next_poll(now, S(5)), NextPoll::LastAt(start + S(60)));
        assert_eq!(d.next_poll(now, S(4)), NextPoll::After(S(4)));
    }

    #[tokio::test(start_paused = true)]
    async fn at_or_after_the_deadline_nothing_more_is_polled() {
        let start = Instant::now();
        let d = Deadline::new(start, S(60));
        assert_eq!(d.next_poll(start + S(60), S(1)), NextPoll::Stop);
        assert_eq!(d.next_poll(start + S(61), S(1)), NextPoll::Stop);
        assert_eq!(d.elapsed(start + S(61)), S(61));
        assert_eq!(d.remaining(start + S(61)), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn an_unrepresentable_limit_means_no_limit_rather_than_a_panic() {
        let d = Deadline::new(Instant::now(), Duration::MAX);
        assert!(d.remaining(Instant::now()) > S(86_400 * 365));
        assert_eq!(d.next_poll(Instant::now(), S(30)), NextPoll::After(S(30)));
    }
}
