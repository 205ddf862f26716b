//! A simulated appliance for your own tests (the `testing` feature): a running in-process
//! simulator and a [`Client`] for it, on 127.0.0.1.
//!
//! ```toml
//! [dev-dependencies]
//! vcsa-backup = { version = "0.1", features = ["testing"] }
//! tokio = { version = "1", features = ["macros", "rt"] }
//! ```
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sim = vcsa_backup::testing::Simulator::start().await?;
//! let parts = sim.client().list_parts().await?;
//! assert!(!parts.is_empty());
//! # Ok(()) }
//! ```
//!
//! Everything else the simulator does (faults, lost answers, schedules firing, restores, a
//! paused clock moving jobs forward) is in [`sim`], the `vcsa-backup-sim` crate: build one with
//! [`sim::Simulator::builder`] and start it with [`Simulator::start_with`];
//! [`control`](RunningSimulator::control) steers it while it runs.

use std::ops::Deref;

pub use vcsa_backup_sim as sim;
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, RunningSimulator, StartError};

use crate::Client;

/// A running simulated appliance; it stops when dropped, or with [`shutdown`](Self::shutdown).
/// Every method of [`sim::RunningSimulator`] applies ([`url`](RunningSimulator::url),
/// [`control`](RunningSimulator::control), ...).
#[derive(Debug)]
pub struct Simulator(RunningSimulator);

impl Simulator {
    /// Starts a simulator with its defaults, over plain HTTP on 127.0.0.1 (a free port).
    ///
    /// # Errors
    ///
    /// No port could be opened on 127.0.0.1.
    pub async fn start() -> Result<Self, StartError> {
        Self::start_with(sim::Simulator::builder().tls(false)).await
    }

    /// Starts the simulator `builder` describes.
    ///
    /// # Errors
    ///
    /// Those of [`sim::SimulatorBuilder::start`].
    pub async fn start_with(builder: sim::SimulatorBuilder) -> Result<Self, StartError> {
        builder.start().await.map(Self)
    }

    /// A client logged in as the simulator's administrator, trusting its certificate (by
    /// thumbprint) when it speaks TLS.
    pub fn client(&self) -> Client {
        let builder = Client::builder(self.0.url()).credentials(DEFAULT_USER, DEFAULT_PASSWORD);
        let builder = match self.0.thumbprint() {
            #[cfg(feature = "rustls")]
            Some(thumbprint) => builder.pin_thumbprint_sha256(thumbprint),
            #[cfg(not(feature = "rustls"))]
            Some(_) => builder.danger_accept_invalid_certs(),
            None => builder,
        };
        // The simulator's own address and thumbprint: nothing a caller gives can be wrong here.
        builder
            .build()
            .expect("the simulator's settings make a valid client")
    }

    /// Stops accepting connections, lets requests in flight finish, then returns.
    pub async fn shutdown(self) {
        self.0.shutdown().await;
    }
}

impl Deref for Simulator {
    type Target = RunningSimulator;

    fn deref(&self) -> &RunningSimulator {
        &self.0
    }
}
