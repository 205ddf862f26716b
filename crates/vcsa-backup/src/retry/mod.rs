//! The one loop every wait runs, [`Pace::retry_within`], with what paces it ([`backoff`]) and what
//! it does when a try fails ([`faults`]): try; after a failure the caller's decision retries,
//! sleep as the backoff says, never past the deadline; give up otherwise.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

pub(crate) mod backoff;
pub(crate) mod faults;

use backoff::{Backoff, EndEstimate, PollContext};
pub(crate) use faults::Decision;
use faults::FailureStreak;

use crate::error::WaitSummary;

/// A wait's time limit, on tokio's clock.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    started: Instant,
    at: Instant,
    /// The limit the wait was given.
    pub(crate) time_limit: Duration,
}

impl Deadline {
    /// A deadline `time_limit` from now; a limit too large for the clock means none.
    pub(crate) fn starting_now(time_limit: Duration) -> Self {
        let started = Instant::now();
        let at = started
            .checked_add(time_limit)
            // About 30 years: tokio's own stand-in for "never".
            .unwrap_or_else(|| started + Duration::from_secs(86_400 * 365 * 30));
        Self {
            started,
            at,
            time_limit,
        }
    }

    /// Time since the wait began.
    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

/// One attempt of a [`Pace::retry_within`] loop: a closure returning a future is one.
pub(crate) trait Attempt {
    type Output;
    type Error: fmt::Display;
    fn attempt(&mut self) -> impl Future<Output = Result<Self::Output, Self::Error>> + Send;
}

impl<F, Fut, T, E> Attempt for F
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>> + Send,
    E: fmt::Display,
{
    type Output = T;
    type Error = E;
    fn attempt(&mut self) -> impl Future<Output = Result<T, E>> + Send {
        self()
    }
}

/// Why a [`Pace::retry_within`] loop stopped without a result.
#[derive(Debug)]
pub(crate) enum Stop<E> {
    /// The decision was to give up on this error.
    GaveUp(E),
    /// The deadline passed; the last attempt's error.
    OutOfTime(E),
}

/// The deadline, schedule and counters one wait shares between all its attempts.
pub(crate) struct Pace {
    pub(crate) deadline: Deadline,
    backoff: Arc<dyn Backoff>,
    max_interval: Option<Duration>,
    /// The counters; `waited` is filled in when asked.
    counts: WaitSummary,
    failing_since: Option<Instant>,
    /// When to try next; `None` means at once.
    next_at: Option<Instant>,
    /// The next attempt is the one at the deadline: there is none after it.
    last: bool,
}

impl Pace {
    pub(crate) fn new(
        deadline: Deadline,
        backoff: Arc<dyn Backoff>,
        max_interval: Option<Duration>,
    ) -> Self {
        Self {
            deadline,
            backoff,
            max_interval,
            counts: WaitSummary::default(),
            failing_since: None,
            next_at: None,
            last: false,
        }
    }

    /// The counters so far, for errors and logs.
    pub(crate) fn summary(&self) -> WaitSummary {
        WaitSummary {
            waited: self.deadline.elapsed(),
            ..self.counts
        }
    }

    /// Sets the next attempt after the backoff's delay (at most the caller's longest interval),
    /// or at the deadline when the delay would cross it. `None` when no attempt is left.
    pub(crate) fn schedule(&mut self, end: Option<EndEstimate>) -> Option<Duration> {
        let now = Instant::now();
        let remaining = self.deadline.at.saturating_duration_since(now);
        if self.last || remaining.is_zero() {
            return None;
        }
        let poll = PollContext {
            polls: self.counts.polls,
            elapsed: self.deadline.elapsed(),
            end,
        };
        let mut delay = self.backoff.delay(&poll);
        if let Some(max) = self.max_interval {
            delay = delay.min(max);
        }
        if delay >= remaining {
            // Rather than sleeping past the deadline or giving up early: one last try there.
            self.last = true;
            delay = remaining;
        }
        self.next_at = Some(now + delay);
        Some(delay)
    }

    /// Runs `op` until it succeeds, after sleeping until the scheduled time. A failure goes to
    /// `decide` (a [`Decision`], or a fault policy's action): retried after the backoff's delay
    /// (within the deadline), at once, or not.
    pub(crate) async fn retry_within<A: Attempt, D: Into<Decision>>(
        &mut self,
        what: &str,
        end: Option<EndEstimate>,
        mut decide: impl FnMut(&A::Error, &FailureStreak) -> D,
        op: &mut A,
    ) -> Result<A::Output, Stop<A::Error>> {
        loop {
            if let Some(at) = self.next_at.take() {
                tokio::time::sleep_until(at).await;
            }
            self.counts.polls += 1;
            let began = Instant::now();
            let error = match op.attempt().await {
                Ok(value) => {
                    self.counts.consecutive_failures = 0;
                    self.failing_since = None;
                    return Ok(value);
                }
                Err(error) => error,
            };
            self.counts.failed_polls += 1;
            self.counts.consecutive_failures += 1;
            let since = *self.failing_since.get_or_insert(began);
            let streak = FailureStreak::new(self.counts.consecutive_failures, since.elapsed());
            match decide(&error, &streak).into() {
                Decision::GiveUp => return Err(Stop::GaveUp(error)),
                Decision::RetryNow => {}
                Decision::Retry => match self.schedule(end) {
                    // The target logs have always carried, so filters on waits keep the retries.
                    Some(delay) => tracing::warn!(
                        target: "vcsa_backup::wait::retry",
                        error = %error,
                        consecutive_failures = self.counts.consecutive_failures,
                        failing_for_ms = streak.failing_for.as_millis() as u64,
                        next_delay_ms = delay.as_millis() as u64,
                        "{what} failed; retrying"
                    ),
                    None => return Err(Stop::OutOfTime(error)),
                },
            }
        }
    }
}
