//! [`ProgressCurve`]: how a job's progress moves while it runs.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::limits::MAX_JOB_DURATION;

/// How a job's progress moves while it runs: a sequence of stretches, each moving the progress
/// in a straight line to a percentage over a span of time. The job succeeds at the end of the
/// last stretch, whatever the progress reached by then.
///
/// Progress is reported in whole percents, rounded down, as the appliance does. A stretch of no
/// time is a jump, a stretch that keeps the percentage is a stall, a stretch to a lower
/// percentage goes backwards, and a curve that ends below 100% finishes early.
///
/// ```
/// use std::time::Duration;
/// use vcsa_backup_sim::ProgressCurve;
///
/// let s = Duration::from_secs;
/// let curve = ProgressCurve::new()
///     .then(s(60), 30) // steady to 30% in a minute
///     .hold(s(120)) // stalls for two minutes
///     .then(Duration::ZERO, 70) // jumps to 70%
///     .then(s(30), 60) // goes back to 60%
///     .then(s(60), 90); // and ends at 90%, early
/// assert_eq!(curve.duration(), s(270));
/// assert_eq!(curve.percent_after(s(30)), 15);
/// assert_eq!(curve.percent_after(s(150)), 30);
/// assert_eq!(curve.percent_after(s(180)), 70);
/// assert_eq!(curve.percent_after(s(270)), 90);
/// assert_eq!(ProgressCurve::steady(s(100)).percent_after(s(42)), 42);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressCurve {
    /// The stretches, in order.
    pub stretches: Vec<Stretch>,
}

/// One stretch of a [`ProgressCurve`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stretch {
    /// How long the stretch takes, in milliseconds.
    pub over_ms: u64,
    /// The percentage reached at its end (above 100 counts as 100).
    pub to_percent: u8,
}

impl ProgressCurve {
    /// A curve with no stretch yet: a job with it ends as soon as it runs.
    pub fn new() -> Self {
        Self::default()
    }

    /// From 0 to 100% at an even pace over `duration`: what every job does unless told
    /// otherwise.
    pub fn steady(duration: Duration) -> Self {
        Self::new().then(duration, 100)
    }

    /// Adds a stretch moving the progress to `percent` (at most 100) over `over` (at most
    /// [`MAX_JOB_DURATION`](crate::limits::MAX_JOB_DURATION)).
    #[must_use]
    pub fn then(mut self, over: Duration, percent: u8) -> Self {
        self.stretches.push(Stretch {
            over_ms: u64::try_from(over.min(MAX_JOB_DURATION).as_millis()).unwrap_or(u64::MAX),
            to_percent: percent.min(100),
        });
        self
    }

    /// Adds a stall: the progress stays where it is for `over`.
    #[must_use]
    pub fn hold(self, over: Duration) -> Self {
        let at = self.stretches.last().map_or(0, |s| s.to_percent.min(100));
        self.then(over, at)
    }

    /// The time from the start of running to the end of the job (at most
    /// [`MAX_JOB_DURATION`](crate::limits::MAX_JOB_DURATION)).
    pub fn duration(&self) -> Duration {
        let millis = self
            .stretches
            .iter()
            .fold(0u64, |sum, s| sum.saturating_add(s.over_ms));
        Duration::from_millis(millis).min(MAX_JOB_DURATION)
    }

    /// The time one stretch takes; longer than a job may run counts as that long.
    fn span(stretch: &Stretch) -> Duration {
        Duration::from_millis(stretch.over_ms).min(MAX_JOB_DURATION)
    }

    /// The percentage shown `elapsed` after the job began running, rounded down.
    pub fn percent_after(&self, elapsed: Duration) -> u8 {
        let mut from = 0u128;
        let mut start = Duration::ZERO;
        for stretch in &self.stretches {
            let to = u128::from(stretch.to_percent.min(100));
            let span = Self::span(stretch);
            let end = start.saturating_add(span);
            if elapsed < end {
                let into = (elapsed - start).as_nanos();
                let span = span.as_nanos();
                // Exact integer arithmetic, so a steady curve shows each percent at its moment.
                let value = if to >= from {
                    from + (to - from) * into / span
                } else {
                    from - ((from - to) * into).div_ceil(span)
                };
                return value.min(100) as u8;
            }
            from = to;
            start = end;
        }
        from as u8
    }

    /// When the progress first reaches `percent`, if it does before the end.
    pub(crate) fn first_reaching(&self, percent: u8) -> Option<Duration> {
        let target = u128::from(percent);
        let mut from = 0u128;
        let mut start = Duration::ZERO;
        if target == 0 {
            return Some(Duration::ZERO);
        }
        // Progress starts at 0, so the first stretch to reach the target crosses it.
        for stretch in &self.stretches {
            let to = u128::from(stretch.to_percent.min(100));
            let span = Self::span(stretch);
            if to >= target && from < target {
                // The moment the straight line from `from` to `to` crosses `target`.
                let nanos = span.as_nanos() * (target - from) / (to - from);
                let into = Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX));
                return Some(start.saturating_add(into).min(MAX_JOB_DURATION));
            }
            from = to;
            start = start.saturating_add(span);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn a_steady_curve_shows_each_percent_at_its_moment() {
        let c = ProgressCurve::steady(S(100));
        assert_eq!(c.percent_after(Duration::ZERO), 0);
        assert_eq!(c.percent_after(S(1) - Duration::from_nanos(1)), 0);
        assert_eq!(c.percent_after(S(1)), 1);
        assert_eq!(c.percent_after(S(99)), 99);
        assert_eq!(c.percent_after(S(100)), 100);
        assert_eq!(c.percent_after(S(500)), 100);
        assert_eq!(c.duration(), S(100));
        assert_eq!(c.first_reaching(40), Some(S(40)));
    }

    #[test]
    fn jumps_stalls_and_backward_steps() {
        let c = ProgressCurve::new()
            .then(S(10), 10)
            .then(Duration::ZERO, 50)
            .hold(S(10))
            .then(S(10), 40)
            .then(S(60), 100);
        assert_eq!(c.percent_after(S(9)), 9);
        assert_eq!(c.percent_after(S(10)), 50);
        assert_eq!(c.percent_after(S(19)), 50);
        // Going down, the shown value drops as soon as it is below the whole percent.
        assert_eq!(c.percent_after(S(21)), 49);
        assert_eq!(c.percent_after(S(30)), 40);
        assert_eq!(c.duration(), S(90));
        assert_eq!(c.first_reaching(30), Some(S(10)));
        assert_eq!(c.first_reaching(45), Some(S(10)));
        assert_eq!(c.first_reaching(60), Some(S(50)));
    }

    #[test]
    fn a_curve_ending_below_100_never_reaches_it_and_an_empty_one_ends_at_once() {
        let early = ProgressCurve::new().then(S(50), 60);
        assert_eq!(early.percent_after(S(500)), 60);
        assert_eq!(early.first_reaching(61), None);
        assert_eq!(ProgressCurve::new().duration(), Duration::ZERO);
        assert_eq!(ProgressCurve::new().percent_after(S(1)), 0);
    }

    #[test]
    fn huge_spans_are_clamped_rather_than_overflowing() {
        let c = ProgressCurve::new()
            .then(Duration::MAX, 50)
            .then(Duration::MAX, 100);
        assert_eq!(c.duration(), MAX_JOB_DURATION);
        assert_eq!(c.percent_after(MAX_JOB_DURATION / 2), 25);
        assert_eq!(c.first_reaching(50), Some(MAX_JOB_DURATION));
        // Over the admin endpoint, spans arrive as they are.
        let raw = ProgressCurve {
            stretches: vec![Stretch {
                over_ms: u64::MAX,
                to_percent: 100,
            }],
        };
        assert_eq!(raw.percent_after(MAX_JOB_DURATION / 2), 50);
    }

    #[test]
    fn the_admin_endpoint_shape_round_trips() {
        let c = ProgressCurve::new().then(S(1), 50).hold(S(2));
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"stretches": [
                {"over_ms": 1000, "to_percent": 50},
                {"over_ms": 2000, "to_percent": 50}
            ]})
        );
        assert_eq!(serde_json::from_value::<ProgressCurve>(json).unwrap(), c);
    }
}
