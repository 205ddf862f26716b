//! The simulator's bounds: they keep time arithmetic in range and its memory bounded.

use std::time::Duration;

/// The longest job duration; longer ones are clamped, which keeps time arithmetic in range.
pub const MAX_JOB_DURATION: Duration = Duration::from_secs(366 * 24 * 3600);
/// The most jobs the history holds: a history request (or
/// [`SimulatorBuilder::history`](crate::SimulatorBuilder::history)) that would pass it is
/// refused, so repeated requests cannot exhaust the simulator's memory.
pub const MAX_HISTORY: usize = 1_000_000;
