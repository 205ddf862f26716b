//! Durations and lists in an administrator's words: the one formatter of the SDK (waits, health
//! checks) and of the command line.

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

/// `a`, `a and b`, `a, b and c`; empty for no words.
pub(crate) fn and_list<S: AsRef<str>>(words: &[S]) -> String {
    match words {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}
