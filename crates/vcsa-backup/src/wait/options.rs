//! [`WaitOptions`]: the deadline and the policies of one wait.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::progress::ProgressAware;
use crate::retry::backoff::Backoff;
use crate::retry::faults::{FaultPolicy, RetryTransient};
use crate::retry::{Deadline, Pace};

/// When a wait gives up: a span from its start, or an instant shared by several waits.
#[derive(Debug, Clone, Copy)]
enum Limit {
    Within(Duration),
    At(Instant),
}

/// How long a wait may take, how often it reads and which failures it survives.
///
/// `WaitOptions::default()` waits up to [12 hours](Self::DEFAULT_TIME_LIMIT), reads on the
/// schedule of [`ProgressAware`], and rides out transient failures for up to 5 minutes in a row
/// ([`RetryTransient::default`]).
///
/// ```
/// use std::time::Duration;
/// use vcsa_backup::wait::{ExponentialBackoff, RetryTransient, WaitOptions};
///
/// let options = WaitOptions::default()
///     .time_limit(Duration::from_secs(2 * 3600))
///     .max_interval(Duration::from_secs(60))
///     .fault_policy(RetryTransient::new(Duration::from_secs(600)));
///
/// // One deadline for several waits, on tokio's clock (a `std::time::Instant` works too).
/// let deadline = tokio::time::Instant::now() + Duration::from_secs(4 * 3600);
/// let first = WaitOptions::default().deadline(deadline);
/// let second = WaitOptions::default().deadline(deadline);
/// # let _ = (first, second);
///
/// // The schedule scripts used before progress-aware waits: 1 s growing to 30 s.
/// let plain = WaitOptions::default().backoff(ExponentialBackoff::default());
/// # let _ = plain;
/// ```
#[derive(Debug, Clone)]
pub struct WaitOptions {
    limit: Limit,
    pub(crate) backoff: Arc<dyn Backoff>,
    pub(crate) max_interval: Option<Duration>,
    pub(crate) faults: Arc<dyn FaultPolicy>,
    pub(crate) stall_timeout: Option<Duration>,
}

impl WaitOptions {
    /// The default time limit: 12 hours. Backups of large appliances with historical data (the
    /// `seat` part) can run for several hours; a job still running after 12 hours has stalled.
    pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(12 * 3600);

    /// Gives up `limit` after the wait starts. When the next delay would cross this deadline,
    /// the wait sleeps only until it and reads one last time there. Replaces a
    /// [`deadline`](Self::deadline).
    #[must_use]
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.limit = Limit::Within(limit);
        self
    }

    /// Gives up at `deadline`, however late the wait starts: one deadline for several waits.
    /// Takes a `tokio::time::Instant` (the clock waits run on, paused in tests) or a
    /// `std::time::Instant`. Replaces a [`time_limit`](Self::time_limit).
    #[must_use]
    pub fn deadline(mut self, deadline: impl Into<Instant>) -> Self {
        self.limit = Limit::At(deadline.into());
        self
    }

    /// Replaces the schedule of reads ([`ProgressAware`] by default).
    #[must_use]
    pub fn backoff(mut self, backoff: impl Backoff + 'static) -> Self {
        self.backoff = Arc::new(backoff);
        self
    }

    /// Never sleeps longer than `interval` between two reads, whatever the schedule says: the
    /// end of a job is then seen at most `interval` late.
    #[must_use]
    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = Some(interval);
        self
    }

    /// Replaces the decision about failed reads.
    #[must_use]
    pub fn fault_policy(mut self, policy: impl FaultPolicy + 'static) -> Self {
        self.faults = Arc::new(policy);
        self
    }

    /// Gives up early when neither the job's state nor its progress has changed for `limit`:
    /// a stalled job is reported in `limit` rather than at the deadline. The stall is noticed at
    /// the first read after `limit` has passed.
    ///
    /// Off by default: some phases of a backup (exporting a large database, uploading a big
    /// file to a slow server) report no progress for a long time, and only the administrator
    /// knows how long is too long on their appliance.
    #[must_use]
    pub fn stall_timeout(mut self, limit: Duration) -> Self {
        self.stall_timeout = Some(limit);
        self
    }

    /// The deadline of a wait starting now.
    pub(crate) fn start(&self) -> Deadline {
        Deadline::starting_now(match self.limit {
            Limit::Within(limit) => limit,
            Limit::At(at) => at.saturating_duration_since(Instant::now()),
        })
    }

    /// The schedule of reads of a wait within `deadline`.
    pub(crate) fn pace(&self, deadline: Deadline) -> Pace {
        Pace::new(deadline, self.backoff.clone(), self.max_interval)
    }
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            limit: Limit::Within(Self::DEFAULT_TIME_LIMIT),
            backoff: Arc::new(ProgressAware::default()),
            max_interval: None,
            faults: Arc::new(RetryTransient::default()),
            stall_timeout: None,
        }
    }
}
