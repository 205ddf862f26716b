//! Simulated time: monotonic `tokio` time, so tests on tokio's paused clock move jobs, sessions
//! and schedules forward deterministically, and a wall clock derived from it for timestamps.
//! The control handle can also move it ahead (for demos on a running clock).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

/// The most the clock can be moved ahead in all, which keeps time arithmetic in range.
pub(crate) const MAX_AHEAD: Duration = Duration::from_secs(100 * 366 * 24 * 3600);

/// Maps tokio's (possibly paused) clock onto wall-clock time.
#[derive(Debug)]
pub(crate) struct Clock {
    base_instant: Instant,
    base_utc: DateTime<Utc>,
    /// How far the control handle has moved the clock ahead of tokio's, in milliseconds.
    ahead_ms: AtomicU64,
}

impl Clock {
    /// A clock that reads the real time now.
    #[cfg(test)]
    pub(crate) fn new() -> Self {
        Self::starting_at(Utc::now())
    }

    /// A clock that reads `start` now and moves on with tokio's clock.
    pub(crate) fn starting_at(start: DateTime<Utc>) -> Self {
        Self {
            base_instant: Instant::now(),
            base_utc: start,
            ahead_ms: AtomicU64::new(0),
        }
    }

    pub(crate) fn now(&self) -> Instant {
        Instant::now() + Duration::from_millis(self.ahead_ms.load(Ordering::Relaxed))
    }

    /// Moves the clock ahead by `by` (in all at most [`MAX_AHEAD`]).
    pub(crate) fn advance(&self, by: Duration) {
        let max = u64::try_from(MAX_AHEAD.as_millis()).unwrap_or(u64::MAX);
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        let _ = self
            .ahead_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |ahead| {
                Some(ahead.saturating_add(by).min(max))
            });
    }

    /// The wall-clock time of an instant of this clock.
    pub(crate) fn utc(&self, at: Instant) -> DateTime<Utc> {
        let since = at.saturating_duration_since(self.base_instant);
        let before = self.base_instant.saturating_duration_since(at);
        let since = chrono::Duration::from_std(since).unwrap_or(chrono::Duration::zero());
        let before = chrono::Duration::from_std(before).unwrap_or(chrono::Duration::zero());
        self.base_utc + since - before
    }

    /// The instant of this clock at a wall-clock time (the inverse of [`Self::utc`]).
    pub(crate) fn instant_at(&self, at: DateTime<Utc>) -> Instant {
        let offset = at - self.base_utc;
        match offset.to_std() {
            Ok(after) => self.base_instant + after,
            Err(_) => {
                let before = (-offset).to_std().unwrap_or_default();
                self.base_instant
                    .checked_sub(before)
                    .unwrap_or(self.base_instant)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn wall_clock_follows_tokio_and_moves_ahead_on_request() {
        let start = DateTime::parse_from_rfc3339("2026-05-18T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let clock = Clock::starting_at(start);
        assert_eq!(clock.utc(clock.now()), start);
        tokio::time::advance(Duration::from_secs(90)).await;
        assert_eq!(
            clock.utc(clock.now()),
            start + chrono::Duration::seconds(90)
        );
        clock.advance(Duration::from_secs(3600));
        let now = clock.now();
        assert_eq!(clock.utc(now), start + chrono::Duration::seconds(3690));
        assert_eq!(clock.instant_at(clock.utc(now)), now);
        let earlier = start - chrono::Duration::seconds(5);
        assert_eq!(clock.utc(clock.instant_at(earlier)), earlier);
    }
}
