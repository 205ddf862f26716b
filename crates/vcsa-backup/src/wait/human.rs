//! Durations in an administrator's words: the one formatter of the SDK (waits, health checks)
//! and of the command line.

use std::fmt;
use std::time::Duration;

/// A duration as a person reads it: `850ms`, `4.5s`, `12m 5s`, `5h 12m`, `3d 4h`. Below a
/// minute to the tenth of a second, from a minute on the two largest units.
///
/// ```
/// use std::time::Duration;
/// use vcsa_backup::wait::HumanDuration;
///
/// assert_eq!(HumanDuration(Duration::from_millis(4_560)).to_string(), "4.5s");
/// assert_eq!(HumanDuration(Duration::from_secs(26 * 3600)).to_string(), "1d 2h");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HumanDuration(pub Duration);

impl fmt::Display for HumanDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d < Duration::from_secs(1) {
            return write!(f, "{}ms", d.as_millis());
        }
        if d < Duration::from_secs(60) {
            let tenths = d.as_millis() / 100;
            return match tenths % 10 {
                0 => write!(f, "{}s", tenths / 10),
                t => write!(f, "{}.{t}s", tenths / 10),
            };
        }
        let secs = d.as_secs();
        let (days, hours, minutes, seconds) =
            (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
        match (days, hours) {
            (0, 0) => write!(f, "{minutes}m {seconds}s"),
            (0, _) => write!(f, "{hours}h {minutes}m"),
            _ => write!(f, "{days}d {hours}h"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::HumanDuration;
    use std::time::Duration;

    #[test]
    fn durations_read_like_a_person_writes_them() {
        let h = |ms| HumanDuration(Duration::from_millis(ms)).to_string();
        assert_eq!(h(0), "0ms");
        assert_eq!(h(850), "850ms");
        assert_eq!(h(1000), "1s");
        assert_eq!(h(4_560), "4.5s");
        assert_eq!(h(59_999), "59.9s");
        assert_eq!(h(60_000), "1m 0s");
        assert_eq!(h(725_000), "12m 5s");
        assert_eq!(h(7_214_000), "2h 0m");
        assert_eq!(h((5 * 3600 + 12 * 60 + 59) * 1000), "5h 12m");
        assert_eq!(h((3 * 86_400 + 4 * 3600 + 1) * 1000), "3d 4h");
        assert_eq!(h(u64::MAX), "213503982334d 14h");
    }
}
