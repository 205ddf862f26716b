//! Waiting that follows progress: when a job will end, judged from its progress readings and
//! its start time, and the default schedule built on it ([`ProgressAware`]).

use std::time::Duration;

pub use crate::retry::backoff::EndEstimate;
use crate::retry::backoff::{Backoff, ExponentialBackoff, PollContext};

/// The default schedule: reads rarely while the job's end is far, closely near it.
///
/// From the job's start time and its progress readings (whole percents) it bounds when the job
/// will end, assuming an even pace ([`EndEstimate`]). It sleeps until the earliest possible end
/// (never longer than it has waited so far), then reads every
/// [`NEAR_END_STEP`](Self::NEAR_END_STEP) up to the latest. While progress tells nothing
/// ([`PollContext::end`]) it uses its [`fallback`](Self::fallback). No delay is longer than
/// [`lag_bound`](Self::lag_bound): a job that ends unexpectedly is seen at most that late.
///
/// ```
/// use std::time::Duration;
/// use vcsa_backup::wait::{Backoff, EndEstimate, PollContext, ProgressAware};
///
/// let policy = ProgressAware::new();
/// let s = Duration::from_secs;
/// // An hour in, the end is at least 10 minutes away: sleep the lag bound (5% of an hour).
/// let far = PollContext::new(40, s(3600)).with_end(EndEstimate::new(s(600), Some(s(660))));
/// assert_eq!(policy.delay(&far), s(180));
/// // Close to it: sleep until the earliest end...
/// let near = PollContext::new(41, s(3780)).with_end(EndEstimate::new(s(20), Some(s(80))));
/// assert_eq!(policy.delay(&near), s(20));
/// // ...then read every few seconds until it comes.
/// let at = PollContext::new(42, s(3800)).with_end(EndEstimate::new(s(0), Some(s(60))));
/// assert_eq!(policy.delay(&at), ProgressAware::NEAR_END_STEP);
/// // Nothing known: plain backoff.
/// assert_eq!(policy.delay(&PollContext::new(1, s(0))), s(1));
/// ```
#[derive(Debug, Clone, Default)]
pub struct ProgressAware {
    fallback: ExponentialBackoff,
}

impl ProgressAware {
    /// The longest delay early in a wait: 30 seconds.
    pub const LAG_FLOOR: Duration = Duration::from_secs(30);
    /// Later, the longest delay is this share of the time waited so far: one twentieth (5%).
    pub const LAG_DIVISOR: u32 = 20;
    /// Between the earliest and the latest possible end, a read at least this often.
    pub const NEAR_END_STEP: Duration = Duration::from_secs(8);

    /// The default: [`ExponentialBackoff::default`] while progress tells nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses `fallback` while progress tells nothing; its shortest delay is also the shortest
    /// delay near the end.
    #[must_use]
    pub fn fallback(mut self, fallback: ExponentialBackoff) -> Self {
        self.fallback = fallback;
        self
    }

    /// The longest delay `elapsed` into a wait: 30 seconds, or 5% of `elapsed` when longer.
    pub fn lag_bound(elapsed: Duration) -> Duration {
        (elapsed / Self::LAG_DIVISOR).max(Self::LAG_FLOOR)
    }
}

impl Backoff for ProgressAware {
    fn delay(&self, poll: &PollContext) -> Duration {
        let delay = match poll.end {
            // An estimate made from a short look at the job is rough: never leap further ahead
            // than the wait has watched it.
            Some(end) if !end.earliest.is_zero() => end.earliest.min(poll.elapsed),
            Some(EndEstimate {
                latest: Some(latest),
                ..
            }) => latest.min(Self::NEAR_END_STEP),
            _ => self.fallback.delay(poll),
        };
        let delay = delay
            .max(self.fallback.min_delay())
            .min(Self::lag_bound(poll.elapsed));
        // Whole milliseconds, tokio's timer resolution: the schedule slept is the one computed.
        Duration::from_millis(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX))
    }
}

/// A job's start time may be this much later than the first read that found it running (the
/// two clocks differ a little) and still count as its start.
const START_TOLERANCE: f64 = 2.0;

/// A reading: seconds into the wait, and the percentage shown.
#[derive(Debug, Clone, Copy)]
struct Reading {
    at: f64,
    percent: f64,
}

/// Where progress is known to have been: exactly `from` (the job's start, at 0), or, when not
/// `exact`, somewhere from its percent to just below the next whole percent.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    from: Reading,
    exact: bool,
}

/// What a wait has learnt from a job's progress: bounds on its end, on the wait's clock
/// (seconds since the wait began), under the assumption of an even pace since the anchor.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProgressLog {
    anchor: Option<Anchor>,
    /// The earliest and latest end every reading since the anchor allows.
    window: Option<(f64, f64)>,
    /// Progress has moved since the anchor (always so from the job's start).
    moving: bool,
    last: Option<Reading>,
}

impl ProgressLog {
    /// Takes in a status read `at` seconds into the wait showing `percent`; `running` is false
    /// while the job has not started; `start` is the job's start time on the wait's clock.
    pub(crate) fn observe(&mut self, at: f64, percent: u8, running: bool, start: Option<f64>) {
        let reading = Reading {
            at,
            percent: f64::from(percent),
        };
        let previous = self.last.replace(reading);
        if !running {
            return;
        }
        let Some(anchor) = self.anchor else {
            // The first reading of a running job: its start time, if believable, is where
            // progress stood at 0.
            let anchor = match start.filter(|s| *s <= at + START_TOLERANCE) {
                Some(s) => Anchor {
                    from: Reading {
                        at: s.min(at),
                        percent: 0.0,
                    },
                    exact: true,
                },
                None => Self::inexact(reading),
            };
            self.restart(anchor, reading);
            return;
        };
        let same_as_anchor = !anchor.exact && reading.percent == anchor.from.percent;
        if same_as_anchor {
            // Not moving (yet): the newest sight of this percentage bounds the pace best.
            self.restart(Self::inexact(reading), reading);
        } else if reading.percent < anchor.from.percent || !self.narrow(anchor, reading) {
            // Gone back, or moved at a pace no straight line from the anchor explains: start
            // over from the reading before (or this one, if progress went back).
            let base = previous
                .filter(|p| p.percent <= reading.percent && p.at < reading.at)
                .unwrap_or(reading);
            self.restart(Self::inexact(base), reading);
        }
    }

    /// The estimate `now` seconds into the wait; `None` while progress tells nothing.
    pub(crate) fn estimate(&self, now: f64) -> Option<EndEstimate> {
        if !self.moving {
            return None;
        }
        let (earliest, latest) = self.window?;
        let from_now = |t: f64| Duration::try_from_secs_f64((t - now).max(0.0)).ok();
        Some(EndEstimate {
            earliest: from_now(earliest)?,
            latest: latest.is_finite().then(|| from_now(latest)).flatten(),
        })
    }

    fn inexact(from: Reading) -> Anchor {
        Anchor { from, exact: false }
    }

    fn restart(&mut self, anchor: Anchor, reading: Reading) {
        self.anchor = Some(anchor);
        self.window = None;
        self.moving = false;
        // When even this reading allows no window, there is none.
        self.narrow(anchor, reading);
    }

    /// Narrows the window with `reading`; false when nothing is left of it.
    fn narrow(&mut self, anchor: Anchor, reading: Reading) -> bool {
        let span = reading.at - anchor.from.at;
        if span <= 0.0 {
            return true;
        }
        // Shown p means p <= progress < p + 1; the anchor is at its percent, or up to one more.
        let gained = reading.percent - anchor.from.percent;
        let fastest = gained + 1.0;
        let slowest = if anchor.exact { gained } else { gained - 1.0 };
        let earliest = reading.at + (99.0 - reading.percent).max(0.0) * span / fastest;
        let latest = if slowest > 0.0 {
            reading.at + (100.0 - reading.percent).max(0.0) * span / slowest
        } else {
            f64::INFINITY
        };
        let (earliest, latest) = match self.window {
            Some((e, l)) => (e.max(earliest), l.min(latest)),
            None => (earliest, latest),
        };
        // A millisecond of slack for rounding.
        if earliest > latest + 1e-3 {
            return false;
        }
        self.window = Some((earliest, latest.max(earliest)));
        self.moving |= anchor.exact || gained > 0.0;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    /// The estimate after `reads` (seconds into the wait, percent shown) of a running job that
    /// started at `start` on the wait's clock.
    fn after(reads: &[(f64, u8)], start: f64) -> Option<EndEstimate> {
        let mut log = ProgressLog::default();
        for &(at, percent) in reads {
            log.observe(at, percent, true, Some(start));
        }
        log.estimate(reads.last()?.0)
    }

    #[test]
    fn a_steady_job_is_bounded_by_its_start_and_progress() {
        // Two hours, read at 1 and 31 minutes: 0% then 25%.
        let end = after(&[(60.0, 0), (1860.0, 25)], 0.0).unwrap();
        // 25% after 1860 s: the end is between 1860·100/26 and 1860·100/25 from the start.
        assert_eq!(end.earliest.as_secs(), 7153 - 1860);
        assert_eq!(end.latest.map(|l| l.as_secs()), Some(7440 - 1860));
        // Joining a job that ran for an hour (50%) gives an estimate at the first read.
        let end = after(&[(0.0, 50)], -3600.0).unwrap();
        assert!(end.earliest <= S(3600) && end.earliest > S(3400), "{end:?}");
        assert!(end.latest.unwrap() >= S(3600), "{end:?}");
    }

    #[test]
    fn nothing_is_known_before_the_job_runs_or_from_its_very_start() {
        let mut log = ProgressLog::default();
        log.observe(0.0, 0, false, Some(0.0));
        log.observe(5.0, 0, false, Some(0.0));
        assert_eq!(log.estimate(5.0), None);
        log.observe(6.0, 0, true, Some(6.0));
        assert_eq!(log.estimate(6.0), None, "started this instant");
        log.observe(7.0, 0, true, Some(6.0));
        // 0% a second after the start: at least 100 s long.
        assert_eq!(log.estimate(7.0).map(|e| e.earliest.as_secs()), Some(99));
    }

    #[test]
    fn a_stall_against_the_estimate_falls_back_until_progress_moves_again() {
        // A 100 s job that stops at 50%, then moves again: 10% in 10 s.
        let reads = [
            (0.0, 0),
            (50.0, 50),
            (60.0, 50),
            (120.0, 50),
            (150.0, 50),
            (160.0, 60),
        ];
        assert!(after(&reads[..2], 0.0).is_some());
        assert_eq!(after(&reads[..4], 0.0), None);
        assert_eq!(after(&reads[..5], 0.0), None);
        let end = after(&reads, 0.0).unwrap();
        assert!(end.earliest > S(20) && end.earliest < S(45), "{end:?}");
        let latest = end.latest.unwrap();
        assert!(latest > S(40) && latest < S(60), "{end:?}");
    }

    #[test]
    fn progress_going_back_starts_over() {
        let reads = [(0.0, 0), (30.0, 60), (40.0, 20), (50.0, 30)];
        assert_eq!(after(&reads[..3], 0.0), None);
        assert!(after(&reads, 0.0).is_some());
    }

    #[test]
    fn a_start_time_after_the_first_read_is_not_believed() {
        assert_eq!(after(&[(0.0, 40)], 600.0), None);
        let end = after(&[(0.0, 40), (10.0, 45)], 600.0).unwrap();
        assert!(end.earliest < S(200) && end.latest.is_some(), "{end:?}");
    }
}
