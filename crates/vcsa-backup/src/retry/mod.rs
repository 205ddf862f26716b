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
use faults::FailureStreak;

pub use crate::error::WaitSummary;

/// A wait's time limit, on tokio's clock.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    started: Instant,
    at: Instant,
    time_limit: Duration,
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

    /// The limit the wait was given.
    pub(crate) fn time_limit(&self) -> Duration {
        self.time_limit
    }

    /// Time since the wait began.
    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    fn remaining(&self, now: Instant) -> Duration {
        self.at.saturating_duration_since(now)
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

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// After the backoff's delay, within the deadline.
    Retry,
    /// At once: the attempt itself waited (for a job to end).
    RetryNow,
    GiveUp,
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
    deadline: Deadline,
    backoff: Arc<dyn Backoff>,
    max_interval: Option<Duration>,
    attempts: u32,
    failed: u32,
    consecutive: u32,
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
            attempts: 0,
            failed: 0,
            consecutive: 0,
            failing_since: None,
            next_at: None,
            last: false,
        }
    }

    pub(crate) fn deadline(&self) -> Deadline {
        self.deadline
    }

    /// The counters so far, for errors and logs.
    pub(crate) fn summary(&self) -> WaitSummary {
        WaitSummary {
            waited: self.deadline.elapsed(),
            polls: self.attempts,
            failed_polls: self.failed,
            consecutive_failures: self.consecutive,
        }
    }

    /// Sets the next attempt after the backoff's delay (at most the caller's longest interval),
    /// or at the deadline when the delay would cross it. `None` when no attempt is left.
    pub(crate) fn schedule(&mut self, end: Option<EndEstimate>) -> Option<Duration> {
        let now = Instant::now();
        let remaining = self.deadline.remaining(now);
        if self.last || remaining.is_zero() {
            return None;
        }
        let poll = PollContext {
            polls: self.attempts,
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
    /// `decide`: retried after the backoff's delay (within the deadline), at once, or not.
    pub(crate) async fn retry_within<A: Attempt>(
        &mut self,
        what: &str,
        end: Option<EndEstimate>,
        mut decide: impl FnMut(&A::Error, &FailureStreak) -> Decision,
        op: &mut A,
    ) -> Result<A::Output, Stop<A::Error>> {
        loop {
            if let Some(at) = self.next_at.take() {
                tokio::time::sleep_until(at).await;
            }
            self.attempts += 1;
            let began = Instant::now();
            let error = match op.attempt().await {
                Ok(value) => {
                    self.consecutive = 0;
                    self.failing_since = None;
                    return Ok(value);
                }
                Err(error) => error,
            };
            self.failed += 1;
            self.consecutive += 1;
            let since = *self.failing_since.get_or_insert(began);
            let streak = FailureStreak::new(self.consecutive, since.elapsed());
            match decide(&error, &streak) {
                Decision::GiveUp => return Err(Stop::GaveUp(error)),
                Decision::RetryNow => {}
                Decision::Retry => match self.schedule(end) {
                    // The target logs have always carried, so filters on waits keep the retries.
                    Some(delay) => tracing::warn!(
                        target: "vcsa_backup::wait::retry",
                        error = %error,
                        consecutive_failures = self.consecutive,
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

#[cfg(test)]
mod tests {
    use super::backoff::ConstantBackoff;
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    fn pace(time_limit: Duration, every: Duration, max_interval: Option<Duration>) -> Pace {
        let backoff = Arc::new(ConstantBackoff::new(every));
        Pace::new(Deadline::starting_now(time_limit), backoff, max_interval)
    }

    type Outcome = Result<&'static str, Stop<&'static str>>;

    /// Runs `pace` over a read that fails `failures` times, then answers: what it gave, and
    /// when each read was made.
    async fn flaky(
        pace: &mut Pace,
        mut failures: u32,
        decide: impl FnMut(&&'static str, &FailureStreak) -> Decision,
    ) -> (Outcome, Vec<Duration>) {
        let started = Instant::now();
        let mut calls = Vec::new();
        let mut read = || {
            calls.push(started.elapsed());
            let result = if failures > 0 {
                failures -= 1;
                Err("down")
            } else {
                Ok("up")
            };
            async move { result }
        };
        let got = pace.retry_within("reading", None, decide, &mut read).await;
        (got, calls)
    }

    #[tokio::test(start_paused = true)]
    async fn failures_are_retried_on_the_schedule_until_an_answer() {
        let mut pace = pace(S(60), S(10), None);
        let (got, calls) = flaky(&mut pace, 2, |_, _| Decision::Retry).await;
        assert_eq!(got.ok(), Some("up"));
        assert_eq!(calls, [S(0), S(10), S(20)]);
        let summary = pace.summary();
        assert_eq!((summary.polls, summary.failed_polls), (3, 2));
        assert_eq!(summary.consecutive_failures, 0);
    }

    #[tokio::test(start_paused = true)]
    async fn the_last_try_is_at_the_deadline_and_none_after_it() {
        let mut pace = pace(S(25), S(10), None);
        let (got, calls) = flaky(&mut pace, 100, |_, _| Decision::Retry).await;
        assert!(matches!(got, Err(Stop::OutOfTime("down"))));
        assert_eq!(calls, [S(0), S(10), S(20), S(25)]);
        assert_eq!(pace.schedule(None), None);
    }

    #[tokio::test(start_paused = true)]
    async fn the_decision_sees_the_streak_in_time_and_can_give_up() {
        let mut pace = pace(S(600), S(10), None);
        let mut seen = Vec::new();
        let (got, _) = flaky(&mut pace, 100, |_, streak| {
            seen.push((streak.consecutive, streak.failing_for));
            if streak.failing_for >= S(30) {
                Decision::GiveUp
            } else {
                Decision::Retry
            }
        })
        .await;
        assert!(matches!(got, Err(Stop::GaveUp("down"))));
        assert_eq!(seen, [(1, S(0)), (2, S(10)), (3, S(20)), (4, S(30))]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_now_does_not_wait_and_the_longest_interval_caps_the_backoff() {
        let mut pace = pace(S(600), S(60), Some(S(5)));
        let mut n = 0;
        let (got, calls) = flaky(&mut pace, 2, |_, _| {
            n += 1;
            if n == 1 {
                Decision::RetryNow
            } else {
                Decision::Retry
            }
        })
        .await;
        assert!(got.is_ok());
        assert_eq!(calls, [S(0), S(0), S(5)]);
    }

    #[tokio::test(start_paused = true)]
    async fn an_unrepresentable_limit_means_no_limit_rather_than_a_panic() {
        let mut pace = pace(Duration::MAX, S(30), None);
        assert_eq!(pace.schedule(None), Some(S(30)));
        assert_eq!(pace.deadline().time_limit(), Duration::MAX);
    }
}
