//! Durations in an administrator's words, for messages.

use std::fmt;
use std::time::Duration;

/// A duration as a person reads it: `850ms`, `4.5s`, `12m 5s`, `2h 0m 14s`.
pub(crate) struct HumanDuration(pub(crate) Duration);

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
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        if h > 0 {
            write!(f, "{h}h {m}m {s}s")
        } else {
            write!(f, "{m}m {s}s")
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
        assert_eq!(h(7_214_000), "2h 0m 14s");
        assert_eq!(h(u64::MAX), "5124095576030h 25m 51s");
    }
}
