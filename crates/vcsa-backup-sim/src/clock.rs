//! Simulated time: monotonic `tokio` time, so tests on tokio's paused clock move jobs and
//! sessions forward deterministically, and a wall clock derived from it for timestamps.

use chrono::{DateTime, Utc};
use tokio::time::Instant;

/// Maps tokio's (possibly paused) clock onto wall-clock time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock {
    base_instant: Instant,
    base_utc: DateTime<Utc>,
}

impl Clock {
    pub(crate) fn new() -> Self {
        Self {
            base_instant: Instant::now(),
            base_utc: Utc::now(),
        }
    }

    pub(crate) fn now(&self) -> Instant {
        Instant::now()
    }

    /// The wall-clock time of an instant of this clock.
    pub(crate) fn utc(&self, at: Instant) -> DateTime<Utc> {
        let since = at.saturating_duration_since(self.base_instant);
        let before = self.base_instant.saturating_duration_since(at);
        let since = chrono::Duration::from_std(since).unwrap_or(chrono::Duration::zero());
        let before = chrono::Duration::from_std(before).unwrap_or(chrono::Duration::zero());
        self.base_utc + since - before
    }
}
