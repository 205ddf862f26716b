//! How long to sleep between two polls of a job: the [`Backoff`] trait, what it is told
//! ([`PollContext`]), and the plain policies [`ExponentialBackoff`] and [`ConstantBackoff`].
//! The default, [`ProgressAware`](crate::wait::ProgressAware), lives in its own module.

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// When a job will end, as time from now, judged from its progress so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct EndEstimate {
    /// The earliest end the progress read so far allows (zero: it may end any moment).
    pub earliest: Duration,
    /// The latest; `None` while the progress read so far sets no upper bound.
    pub latest: Option<Duration>,
}

impl EndEstimate {
    /// An estimate between `earliest` and `latest` from now.
    pub fn new(earliest: Duration, latest: Option<Duration>) -> Self {
        Self { earliest, latest }
    }
}

/// What a wait knows when it asks its [`Backoff`] for the next delay ([`ProgressAware`]'s
/// example builds some).
///
/// [`ProgressAware`]: crate::wait::ProgressAware
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct PollContext {
    /// Reads made so far in this wait (1 after the first), failed ones included.
    pub polls: u32,
    /// Time since the wait began.
    pub elapsed: Duration,
    /// When the job will end, judged from its progress so far; `None` while that cannot be
    /// told (no progress yet, or progress that stalled, jumped or went back).
    pub end: Option<EndEstimate>,
}

impl PollContext {
    /// The context after `polls` reads, `elapsed` into the wait, with no estimate of the end.
    pub fn new(polls: u32, elapsed: Duration) -> Self {
        Self {
            polls,
            elapsed,
            end: None,
        }
    }

    /// The same context with an estimate of the job's end.
    #[must_use]
    pub fn with_end(mut self, end: EndEstimate) -> Self {
        self.end = Some(end);
        self
    }
}

/// Decides how long a wait sleeps before its next read.
///
/// Implement it to replace the schedule; the wait calls it after every read that left the job
/// running (or failed with a transient error), then applies the caller's longest interval
/// ([`WaitOptions::max_interval`](crate::wait::WaitOptions::max_interval)) and clamps the answer to
/// the time left before the deadline, so a policy never has to know about either.
///
/// ```
/// use std::time::Duration;
/// use vcsa_backup::wait::{Backoff, PollContext};
///
/// /// Poll every 10 seconds for the first minute, then every minute.
/// #[derive(Debug)]
/// struct Patient;
///
/// impl Backoff for Patient {
///     fn delay(&self, poll: &PollContext) -> Duration {
///         if poll.elapsed < Duration::from_secs(60) {
///             Duration::from_secs(10)
///         } else {
///             Duration::from_secs(60)
///         }
///     }
/// }
///
/// assert_eq!(Patient.delay(&PollContext::new(1, Duration::ZERO)), Duration::from_secs(10));
/// assert_eq!(Patient.delay(&PollContext::new(9, Duration::from_secs(90))), Duration::from_secs(60));
/// ```
pub trait Backoff: Send + Sync + fmt::Debug {
    /// The delay before the next read.
    fn delay(&self, poll: &PollContext) -> Duration;
}

/// Truncated exponential backoff: `min`, `min × factor`, `min × factor²`, … never above `max`,
/// optionally with jitter.
///
/// `ExponentialBackoff::default()` (1 second growing by 1.2 to 30 seconds) is what
/// [`ProgressAware`](crate::wait::ProgressAware) uses while progress tells nothing; on its own it
/// ignores progress (the [`wait`](crate::wait) module measures what that costs).
///
/// ```
/// use std::time::Duration;
/// use vcsa_backup::wait::{Backoff, ExponentialBackoff, PollContext};
///
/// let backoff = ExponentialBackoff::new(Duration::from_secs(2), Duration::from_secs(10)).factor(1.5);
/// let delays: Vec<u64> = (1..=5)
///     .map(|n| backoff.delay(&PollContext::new(n, Duration::ZERO)).as_secs())
///     .collect();
/// assert_eq!(delays, [2, 3, 4, 6, 10]); // 2, 3, 4.5, 6.75, then truncated at 10
/// ```
#[derive(Debug)]
pub struct ExponentialBackoff {
    min: Duration,
    max: Duration,
    factor: f64,
    jitter: Option<Mutex<fastrand::Rng>>,
}

impl ExponentialBackoff {
    /// Delays from `min` growing by the default factor (1.2) up to `max`, without jitter.
    ///
    /// A `max` below `min` is raised to `min`; a zero `min` is raised to 1 millisecond, so a wait
    /// never spins on the appliance.
    pub fn new(min: Duration, max: Duration) -> Self {
        let min = min.max(Duration::from_millis(1));
        Self {
            min,
            max: max.max(min),
            factor: 1.2,
            jitter: None,
        }
    }

    /// Sets the growth factor between two delays. Values below 1 (or not a number) mean 1: a
    /// constant delay of `min`.
    #[must_use]
    pub fn factor(mut self, factor: f64) -> Self {
        self.factor = if factor >= 1.0 { factor } else { 1.0 };
        self
    }

    /// Spreads each delay at random between half of it and all of it (never below `min`), so
    /// many scripts started together do not poll the appliance in step.
    ///
    /// Off by default: a backup has one job and usually one waiter, and a schedule that is the
    /// same every time is easier to reason about.
    #[must_use]
    pub fn with_jitter(self) -> Self {
        self.with_jitter_seed(fastrand::u64(..))
    }

    /// Like [`with_jitter`](Self::with_jitter), with a fixed seed: the same seed gives the same
    /// delays, for tests and reproducible simulations.
    #[must_use]
    pub fn with_jitter_seed(mut self, seed: u64) -> Self {
        self.jitter = Some(Mutex::new(fastrand::Rng::with_seed(seed)));
        self
    }

    /// The first (shortest) delay.
    pub fn min_delay(&self) -> Duration {
        self.min
    }

    /// The longest delay.
    pub fn max_delay(&self) -> Duration {
        self.max
    }

    /// The delay before jitter: `min × factor^(polls-1)`, truncated at `max`, in whole
    /// milliseconds (tokio's timer resolution, so the schedule slept is the one computed).
    fn base_delay(&self, polls: u32) -> Duration {
        let exponent = i32::try_from(polls.saturating_sub(1)).unwrap_or(i32::MAX);
        let millis = (self.min.as_secs_f64() * self.factor.powi(exponent) * 1000.0).round();
        // Overflow gives infinity, which `try_from_secs_f64` rejects: that is the truncation.
        Duration::try_from_secs_f64(millis / 1000.0)
            .map_or(self.max, |delay| delay.min(self.max))
            .max(self.min)
    }
}

impl Default for ExponentialBackoff {
    fn default() -> Self {
        Self::new(Duration::from_secs(1), Duration::from_secs(30))
    }
}

impl Clone for ExponentialBackoff {
    fn clone(&self) -> Self {
        Self {
            min: self.min,
            max: self.max,
            factor: self.factor,
            jitter: self
                .jitter
                .as_ref()
                .map(|rng| Mutex::new(rng.lock().unwrap_or_else(PoisonError::into_inner).clone())),
        }
    }
}

impl Backoff for ExponentialBackoff {
    fn delay(&self, poll: &PollContext) -> Duration {
        let base = self.base_delay(poll.polls);
        let Some(rng) = &self.jitter else {
            return base;
        };
        let low = (base / 2).max(self.min);
        if low >= base {
            return base;
        }
        // Whole milliseconds are fine-grained enough for a poll schedule.
        let span = u64::try_from((base - low).as_millis()).unwrap_or(u64::MAX);
        let offset = rng
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .u64(0..=span);
        low + Duration::from_millis(offset)
    }
}

/// The same delay every time: the loop most scripts write by hand.
///
/// Useful to compare against, or when an appliance's operators ask for a fixed rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConstantBackoff {
    delay: Duration,
}

impl ConstantBackoff {
    /// Polls every `delay` (at least 1 millisecond).
    pub fn new(delay: Duration) -> Self {
        Self {
            delay: delay.max(Duration::from_millis(1)),
        }
    }
}

impl Backoff for ConstantBackoff {
    fn delay(&self, _poll: &PollContext) -> Duration {
        self.delay
    }
}
