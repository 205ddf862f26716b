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
pub mod reconcile;
pub mod request;
pub mod restore;
pub mod schedule;
pub mod start;
pub mod status;
pub mod trust;
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
    /// Job times in UTC rather than the appliance's time zone.
    pub utc: bool,
}

impl Context {
    /// The zone job times are shown in: the appliance's, read from its clock once, unless
    /// `--utc` (or the clock cannot be read: the failure is logged, times go in UTC).
    pub async fn zone(&self) -> crate::human::Zone {
        if self.utc {
            return crate::human::Zone::Utc;
        }
        match self.client.get_appliance_time().await {
            Ok(time) => crate::human::Zone::Appliance(time),
            Err(e) => {
                tracing::info!(error = %e, "could not read the appliance's clock");
                crate::human::Zone::Utc
            }
        }
    }
}
