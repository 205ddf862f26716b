//! [`WaitOptions`]: the deadline and the policies of one wait.

use std::sync::Arc;
use std::time::Duration;

use super::progress::ProgressAware;
use crate::retry::backoff::Backoff;
use crate::retry::faults::{FaultPolicy, RetryTransient};

/// How long a wait may take, how often it reads and which failures it survives.
///
/// `WaitOptions::default()` waits up to 12 hours, reads on the schedule of [`ProgressAware`]
/// (rarely while the job's end is far, closely near it, never more than 30 s or 5% of the time
/// waited apart), and rides out transient failures and sessions refused right after log-in for
/// up to 5 minutes in a row ([`RetryTransient::default`]).
///
/// ```
/// use std::time::Duration;
/// use vcsa_backup::wait::{ExponentialBackoff, RetryTransient, WaitOptions};
///
/// let options = WaitOptions::default()
///     .max_wait(Duration::from_secs(2 * 3600))
///     .max_interval(Duration::from_secs(60))
///     .fault_policy(RetryTransient::new(Duration::from_secs(600)));
/// assert_eq!(options.max_wait_duration(), Duration::from_secs(7200));
///
/// // The schedule scripts used before progress-aware waits: 1 s growing to 30 s.
/// let plain = WaitOptions::default().backoff(ExponentialBackoff::default());
/// # let _ = plain;
/// ```
#[derive(Debug, Clone)]
pub struct WaitOptions {
    pub(crate) max_wait: Duration,
    pub(crate) backoff: Arc<dyn Backoff>,
    pub(crate) max_interval: Option<Duration>,
    pub(crate) faults: Arc<dyn FaultPolicy>,
    pub(crate) stall_timeout: Option<Duration>,
}

impl WaitOptions {
    /// The default deadline: 12 hours. Backups of large appliances with historical data (the
    /// `seat` part) can run for several hours; a job still running after 12 hours has stalled.
    pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(12 * 3600);

    /// The defaults: see the type's documentation.
    pub fn new() -> Self {
        Self {
            max_wait: Self::DEFAULT_MAX_WAIT,
            backoff: Arc::new(ProgressAware::default()),
            max_interval: None,
            faults: Arc::new(RetryTransient::default()),
            stall_timeout: None,
        }
    }

    /// Gives up after `max_wait` (measured from the start of the wait). When the next delay
    /// would cross this deadline, the wait sleeps only until it and reads one last time there.
    #[must_use]
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
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

    /// The deadline, as a duration from the start of the wait.
    pub fn max_wait_duration(&self) -> Duration {
        self.max_wait
    }
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self::new()
    }
}
