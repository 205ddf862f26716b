//! The simulator's bounds: they keep time arithmetic in range and its memory bounded.

use std::time::Duration;

/// The longest job duration; longer ones are clamped, which keeps time arithmetic in range.
pub const MAX_JOB_DURATION: Duration = Duration::from_secs(366 * 24 * 3600);
/// The most finished jobs one history request adds; larger counts are clamped.
pub const MAX_HISTORY: usize = 1_000_000;
