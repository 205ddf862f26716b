//! The simulator's bounds: they keep time arithmetic in range and its memory bounded.

use std::time::Duration;

/// The longest job duration; longer ones are clamped, which keeps time arithmetic in range.
pub const MAX_JOB_DURATION: Duration = Duration::from_secs(366 * 24 * 3600);
/// The most jobs the history holds: a history request (or
/// `SimulatorBuilder::history`) that would pass it is
/// refused, so repeated requests cannot exhaust the simulator's memory.
pub const MAX_HISTORY: usize = 100_000;

/// How long a new connection of the `vcsa-backup-sim` binary has to send its first request's
/// headers unless told otherwise (a library user sets it with
/// `SimulatorBuilder::header_read_timeout`).
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// The most client connections served at once unless told otherwise
/// (`SimulatorBuilder::max_connections`).
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;
/// The most backups one history seeding places in the catalog: those of its newest jobs. The
/// older jobs' backups are gone from the backup server, as if removed by hand, which keeps a
/// history at [`MAX_HISTORY`] small.
pub const MAX_SEEDED_ARCHIVES: usize = 1000;
