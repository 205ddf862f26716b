//! Many simulated appliances in one process, each on its own loopback port with its own name,
//! settings, history and faults: for fleet tests and demos without any setup.

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

use crate::outage::Outage;
use crate::server::{RunningSimulator, Simulator, SimulatorBuilder, StartError};

type Customize = dyn Fn(usize, SimulatorBuilder) -> SimulatorBuilder + Send + Sync;

/// Settings of a fleet of simulated appliances to start; see [`Simulator::fleet`].
#[derive(Clone)]
pub struct FleetBuilder {
    count: usize,
    template: SimulatorBuilder,
    prefix: String,
    each: Option<Arc<Customize>>,
    /// Appliances (by index) that start out of service.
    outages: Vec<(Range<usize>, Outage)>,
}

impl std::fmt::Debug for FleetBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FleetBuilder")
            .field("count", &self.count)
            .field("template", &self.template)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl Simulator {
    /// A builder for `count` simulated appliances, each listening on its own port of
    /// `127.0.0.1` (port 0: free ports), named `vcsa-001`, `vcsa-002`... (their system names) Every appliance starts
    /// from the same settings ([`template`](FleetBuilder::template)), which
    /// [`each`](FleetBuilder::each) can vary per appliance.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use vcsa_backup_sim::Simulator;
    ///
    /// let fleet = Simulator::fleet(3)
    ///     .template(Simulator::builder().tls(false))
    ///     // Appliance 0 has no history, 1 has one finished job, 2 has two.
    ///     .each(|i, appliance| appliance.history(i).build_number(format!("2432283{i}")))
    ///     .start()
    ///     .await?;
    /// assert_eq!(fleet.len(), 3);
    /// let second = fleet.get("vcsa-002").unwrap();
    /// assert_eq!(second.control().state().jobs, 1);
    /// second.control().fail_next(1); // faults are per appliance
    /// assert_eq!(fleet.appliances()[0].control().state().faults.fail_next, 0);
    /// assert_ne!(fleet.appliances()[0].url(), second.url());
    /// fleet.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn fleet(count: usize) -> FleetBuilder {
        FleetBuilder {
            count,
            template: Simulator::builder(),
            prefix: "vcsa-".to_string(),
            each: None,
            outages: Vec::new(),
        }
    }
}

impl FleetBuilder {
    /// The settings every appliance starts from (the default: [`Simulator::builder`]). Its
    /// listen address is kept for the IP, with port 0 for each appliance.
    pub fn template(mut self, template: SimulatorBuilder) -> Self {
        self.template = template;
        self
    }

    /// Names are this prefix and a number from 1, padded to three digits (default `vcsa-`).
    pub fn name_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Changes the settings of appliance `i` (from 0) before it starts: its build, history,
    /// password, timings...
    pub fn each(
        mut self,
        customize: impl Fn(usize, SimulatorBuilder) -> SimulatorBuilder + Send + Sync + 'static,
    ) -> Self {
        self.each = Some(Arc::new(customize));
        self
    }

    /// The appliances whose index (from 0) is in `appliances` start out of service as
    /// `outage` says (see [`Outage`]); each one's control handle brings it back. A later call
    /// wins where ranges overlap.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use vcsa_backup_sim::{Outage, Simulator};
    ///
    /// // A site outage: two appliances hang, one refuses connections, one answers.
    /// let fleet = Simulator::fleet(4)
    ///     .template(Simulator::builder().tls(false))
    ///     .outage(0..2, Outage::BlackHole)
    ///     .outage(2..3, Outage::Refused)
    ///     .start()
    ///     .await?;
    /// let outages: Vec<_> = fleet.appliances().iter().map(|a| a.control().state().outage).collect();
    /// assert_eq!(outages, [Some(Outage::BlackHole), Some(Outage::BlackHole), Some(Outage::Refused), None]);
    /// fleet.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn outage(mut self, appliances: Range<usize>, outage: Outage) -> Self {
        self.outages.push((appliances, outage));
        self
    }

    /// Starts every appliance on the current tokio runtime. If one cannot start, those already
    /// started stop again and the error is returned.
    ///
    /// # Errors
    ///
    /// [`StartError`], as for one simulator.
    pub async fn start(self) -> Result<RunningFleet, StartError> {
        let mut appliances = Vec::with_capacity(self.count);
        let width = self.count.to_string().len().max(3);
        for i in 0..self.count {
            let mut addr = self.template.listen_addr();
            addr.set_port(0);
            let name = format!("{}{:0width$}", self.prefix, i + 1);
            // The name is the appliance's host name, so its system name in backup catalogs.
            let mut builder = self.template.clone().listen(addr).system_name(name.clone());
            if let Some(each) = &self.each {
                builder = each(i, builder);
            }
            if let Some((_, outage)) = self.outages.iter().rev().find(|(r, _)| r.contains(&i)) {
                builder = builder.outage(*outage);
            }
            let sim = builder.start().await?;
            appliances.push(FleetAppliance { name, sim });
        }
        Ok(RunningFleet { appliances })
    }
}

/// One appliance of a [`RunningFleet`].
#[derive(Debug)]
pub struct FleetAppliance {
    name: String,
    sim: RunningSimulator,
}

impl FleetAppliance {
    /// Its name, such as `vcsa-007`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its base URL, such as `https://127.0.0.1:50123`.
    pub fn url(&self) -> &str {
        self.sim.url()
    }

    /// For HTTPS, the SHA-256 thumbprint of its certificate.
    pub fn thumbprint(&self) -> Option<&str> {
        self.sim.thumbprint()
    }

    /// Its control handle: faults, state, history.
    pub fn control(&self) -> crate::control::Control {
        self.sim.control()
    }

    /// The simulator serving it.
    pub fn simulator(&self) -> &RunningSimulator {
        &self.sim
    }
}

/// Simulated appliances serving in the background; dropping the fleet stops them all at once.
#[derive(Debug)]
pub struct RunningFleet {
    appliances: Vec<FleetAppliance>,
}

impl RunningFleet {
    /// The appliances, in the order they were started.
    pub fn appliances(&self) -> &[FleetAppliance] {
        &self.appliances
    }

    /// How many appliances there are.
    pub fn len(&self) -> usize {
        self.appliances.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.appliances.is_empty()
    }

    /// The appliance with this name.
    pub fn get(&self, name: &str) -> Option<&FleetAppliance> {
        self.appliances.iter().find(|a| a.name == name)
    }

    /// Stops one appliance for good, as if it were switched off: its address then refuses
    /// connections. Returns whether it was part of the fleet.
    pub async fn stop(&mut self, name: &str) -> bool {
        match self.appliances.iter().position(|a| a.name == name) {
            Some(i) => {
                let gone = self.appliances.remove(i);
                gone.sim.shutdown().await;
                true
            }
            None => false,
        }
    }

    /// An inventory for `vcsa-backup fleet` naming every appliance (server, trust by
    /// thumbprint) with `user` and the password in the environment variable `password_env`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let fleet = vcsa_backup_sim::Simulator::fleet(2).start().await?;
    /// let toml = fleet.inventory(vcsa_backup_sim::DEFAULT_USER, "VCSA_SIM_PASSWORD");
    /// assert!(toml.contains("name = \"vcsa-002\""));
    /// assert!(toml.contains("thumbprint = \""));
    /// # Ok(()) }
    /// ```
    pub fn inventory(&self, user: &str, password_env: &str) -> String {
        let mut out = format!(
            "# {} simulated appliances (vcsa-backup-sim).\n\n[defaults]\nuser = {}\n\
             password_env = {}\n",
            self.appliances.len(),
            quoted(user),
            quoted(password_env)
        );
        for a in &self.appliances {
            let _ = write!(
                out,
                "\n[[appliance]]\nname = {}\nserver = {}\n",
                quoted(&a.name),
                quoted(a.url())
            );
            if let Some(thumbprint) = a.thumbprint() {
                let _ = writeln!(out, "trust = {{ thumbprint = {} }}", quoted(thumbprint));
            }
        }
        out
    }

    /// Stops every appliance, letting requests in flight finish.
    pub async fn shutdown(self) {
        for a in self.appliances {
            a.sim.shutdown().await;
        }
    }
}

/// A TOML basic string: JSON's escapes are TOML's for everything a name or URL can hold.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}
