//! One module per subcommand; each prints its result and returns how it ended.

pub mod archives;
pub mod backup;
pub mod cancel;
pub mod check;
#[cfg(feature = "demo")]
pub mod demo;
pub mod fleet;
pub mod list;
pub mod man;
pub mod parts;
pub mod request;
pub mod schedule;
pub mod start;
pub mod status;
pub mod validate;

use vcsa_backup::Client;

use crate::cli::OutputFormat;
use crate::progress::Mode;

/// What every subcommand that talks to an appliance needs.
pub struct Context {
    /// The appliance.
    pub client: Client,
    /// How to print results.
    pub output: OutputFormat,
    /// How to show progress while waiting.
    pub progress: Mode,
}
