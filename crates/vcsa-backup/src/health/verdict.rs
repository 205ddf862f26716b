//! The verdict of a check, in the monitoring plugin convention.

use std::fmt;

/// What a health check concluded, as monitoring systems (Nagios, Icinga and their kin)
/// understand it.
///
/// ```
/// use vcsa_backup::health::Verdict;
///
/// assert_eq!(Verdict::Warning.exit_code(), 1);
/// assert_eq!(Verdict::Warning.to_string(), "WARNING");
/// // When several findings disagree, the worst one counts.
/// assert_eq!(Verdict::Ok.worst(Verdict::Unknown).worst(Verdict::Critical), Verdict::Critical);
/// assert_eq!(Verdict::Ok.worst(Verdict::Unknown), Verdict::Unknown);
/// ```
///
/// Verdicts are ordered by severity, least first: OK, UNKNOWN, WARNING, CRITICAL.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Verdict {
    /// Backups are healthy.
    Ok,
    /// The check could not tell, such as when the appliance could not be reached or read.
    Unknown,
    /// Something needs attention soon, such as a backup older than the warning age.
    Warning,
    /// Backups are not being made or are too old: act now.
    Critical,
}

impl Verdict {
    /// The exit code of the monitoring plugin convention: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Ok => 0,
            Self::Warning => 1,
            Self::Critical => 2,
            Self::Unknown => 3,
        }
    }

    /// The verdict as monitoring systems spell it: `OK`, `WARNING`, `CRITICAL`, `UNKNOWN`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::Warning => "WARNING",
            Self::Critical => "CRITICAL",
            Self::Unknown => "UNKNOWN",
        }
    }

    /// The more severe of two verdicts: CRITICAL over WARNING over UNKNOWN over OK. A check that
    /// found a certain problem reports it even when another part could not be read.
    #[must_use]
    pub fn worst(self, other: Self) -> Self {
        self.max(other)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}
