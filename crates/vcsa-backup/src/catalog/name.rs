//! The names of backup folders in the appliance's layout, which are also the archives' ids.

use std::fmt;

use chrono::NaiveDateTime;

/// The time-stamp form in backup folder names.
const STAMP: &str = "%Y%m%d-%H%M%S";

/// Who started a backup, as its folder name's prefix says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ArchiveKind {
    /// A schedule (`S_`); retention removes the oldest of these.
    Scheduled,
    /// A person or a program (`M_`); never removed by retention.
    Manual,
}

impl ArchiveKind {
    /// The folder name's prefix letter: `S` or `M`.
    pub fn prefix(self) -> char {
        match self {
            Self::Scheduled => 'S',
            Self::Manual => 'M',
        }
    }
}

/// `scheduled` or `manual`, as serialized.
impl fmt::Display for ArchiveKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Scheduled => "scheduled",
            Self::Manual => "manual",
        })
    }
}

/// The name of a backup folder in the appliance's layout, which is also the archive's id in the
/// catalog: `S_8.0.3.00400_20240531-230000_` (a suffix may follow the last `_`).
///
/// ```
/// use vcsa_backup::{ArchiveKind, ArchiveName};
///
/// let name = ArchiveName::parse("S_8.0.3.00400_20240531-230000_").unwrap();
/// assert_eq!(name.kind, ArchiveKind::Scheduled);
/// assert_eq!(name.kind.to_string(), "scheduled");
/// assert_eq!(name.version, "8.0.3.00400");
/// assert_eq!(name.started_at.to_string(), "2024-05-31 23:00:00");
/// assert_eq!(name.to_string(), "S_8.0.3.00400_20240531-230000_");
/// assert_eq!(ArchiveName::parse("2024-05-31-before-upgrade"), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub struct ArchiveName {
    /// Scheduled or manual.
    pub kind: ArchiveKind,
    /// The version of the appliance the backup came from.
    pub version: String,
    /// When the backup started, in the appliance's local time.
    pub started_at: NaiveDateTime,
    /// Whatever follows the last `_`; usually empty.
    pub suffix: String,
}

impl ArchiveName {
    /// A folder name for a backup of `kind` from an appliance of `version`, started at
    /// `started_at` in the appliance's local time.
    pub fn new(kind: ArchiveKind, version: impl Into<String>, started_at: NaiveDateTime) -> Self {
        Self {
            kind,
            version: version.into(),
            started_at,
            suffix: String::new(),
        }
    }

    /// Reads a folder name of the layout; `None` for any other name.
    pub fn parse(name: &str) -> Option<Self> {
        let kind = [ArchiveKind::Scheduled, ArchiveKind::Manual]
            .into_iter()
            .find(|kind| name.starts_with(kind.prefix()))?;
        let (version, rest) = name[1..].strip_prefix('_')?.split_once('_')?;
        let (stamp, suffix) = rest.split_once('_')?;
        if !is_version(version) {
            return None;
        }
        let started_at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?;
        Some(Self {
            kind,
            version: version.to_string(),
            started_at,
            suffix: suffix.to_string(),
        })
    }
}

impl fmt::Display for ArchiveName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}_{}_{}_{}",
            self.kind.prefix(),
            self.version,
            self.started_at.format(STAMP),
            self.suffix
        )
    }
}

/// Versions such as `8.0.3.00400`: letters, digits, `.` and `-`.
pub(crate) fn is_version(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}
