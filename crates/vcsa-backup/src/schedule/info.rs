//! A schedule as the appliance has it.

use std::fmt;

use crate::backup::part::PartId;
use crate::schedule::Recurrence;

/// How many of a schedule's backups the appliance keeps.
///
/// ```
/// use vcsa_backup::Retention;
///
/// assert_eq!(Retention { max_count: 7 }.to_string(), "keep the newest 7");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Retention {
    /// The number of backups kept, at least 1. The appliance removes older ones in a daily pass
    /// at 00:00 UTC, so one more can exist until then.
    pub max_count: u32,
}

impl fmt::Display for Retention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "keep the newest {}", self.max_count)
    }
}

/// A backup schedule as the appliance has it, from
/// [`Client::get_schedule`](crate::Client::get_schedule) and
/// [`list_schedules`](crate::Client::list_schedules).
///
/// The appliance never returns the passwords: a schedule cannot tell whether its stored
/// passwords are the ones a caller holds.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Schedule {
    /// The schedule's id; the appliance's own user interface manages the one named `default`.
    pub id: String,
    /// The root of the backup location.
    pub location: String,
    /// The user name for the location, if one is set.
    pub location_user: Option<String>,
    /// The parts backed up, as the appliance lists them (usually with `common`).
    pub parts: Vec<PartId>,
    /// Whether the schedule runs on its own.
    pub enabled: bool,
    /// When it runs; `None`: only when asked to.
    pub recurrence: Option<Recurrence>,
    /// How many backups it keeps; `None`: all of them.
    pub retention: Option<Retention>,
    /// Whether the fast database backup is asked for; `None` when the appliance does not say.
    pub fast_backup: Option<bool>,
}

impl Schedule {
    /// A schedule with the appliance's defaults (enabled, no time, keeps all), for tests and
    /// comparisons.
    pub fn new(id: impl Into<String>, location: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            location: location.into(),
            location_user: None,
            parts: Vec::new(),
            enabled: true,
            recurrence: None,
            retention: None,
            fast_backup: None,
        }
    }
}

impl fmt::Display for Schedule {
    /// One line: `default: every day at 23:00 to sftp://nas/backups (seat), keep the newest 7`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.id)?;
        if !self.enabled {
            f.write_str("disabled, ")?;
        }
        match &self.recurrence {
            Some(r) => write!(f, "{r}")?,
            None => f.write_str("only when run")?,
        }
        write!(f, " to {}", self.location)?;
        let optional: Vec<&str> = self
            .parts
            .iter()
            .filter(|p| **p != PartId::COMMON)
            .map(PartId::as_str)
            .collect();
        if !optional.is_empty() {
            write!(f, " ({})", optional.join(", "))?;
        }
        match self.retention {
            Some(r) => write!(f, ", {r}"),
            None => f.write_str(", keep all"),
        }
    }
}
