//! The shape of a seeded history beyond its length: runs the schedule missed, and how its
//! newest job ended.

use serde::{Deserialize, Serialize};

/// How the seeded history ends, for the states a monitoring check must tell apart. The
/// default: every due run of the `default` schedule started and succeeded, up to the last one.
///
/// ```
/// use vcsa_backup_sim::{HistoryShape, SeededOutcome};
///
/// // The last two due runs never started, and the run before them failed.
/// let shape = HistoryShape { missed_runs: 2, newest: SeededOutcome::Failed };
/// assert_ne!(shape, HistoryShape::default());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryShape {
    /// The newest due runs that have no job: the schedule did not fire (0: none missed).
    #[serde(default)]
    pub missed_runs: u32,
    /// How the newest seeded job ended.
    #[serde(default)]
    pub newest: SeededOutcome,
}

/// How a seeded job ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum SeededOutcome {
    /// It succeeded, and its backup is in the catalog.
    #[default]
    Succeeded,
    /// It failed part-way: no backup.
    Failed,
    /// It was canceled: no backup.
    Canceled,
}
