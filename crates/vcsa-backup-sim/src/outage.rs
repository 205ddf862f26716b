//! Outages of a whole appliance, as a monitoring system meets them during a site failure: an
//! appliance that accepts connections and never answers (hung, or behind a firewall that drops
//! packets), and one whose port is closed (connections refused).

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

/// How an appliance is out of service. Set from the builder
/// (`SimulatorBuilder::outage`), the fleet builder,
/// the control handle (`Control::set_outage`, at run time) or the admin endpoint
/// (`POST /__sim/outage`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Outage {
    /// Connections are accepted, then nothing is read or answered: a client's TLS handshake or
    /// request times out. Requests on connections opened before get no answer either.
    BlackHole,
    /// The port is closed: connections are refused. Connections opened before close without an
    /// answer at their next request.
    Refused,
}

/// The outage in force, shared by the accept loop, the vendor routes and the control handle.
#[derive(Debug)]
pub(crate) struct OutageSwitch(watch::Sender<Option<Outage>>);

impl OutageSwitch {
    pub(crate) fn new(initial: Option<Outage>) -> Self {
        Self(watch::Sender::new(initial))
    }

    pub(crate) fn set(&self, outage: Option<Outage>) {
        self.0.send_replace(outage);
    }

    pub(crate) fn get(&self) -> Option<Outage> {
        *self.0.borrow()
    }

    /// A receiver told of every change.
    pub(crate) fn watch(&self) -> watch::Receiver<Option<Outage>> {
        self.0.subscribe()
    }
}
