//! Starting and stopping a simulator: the builder, the listener (HTTPS or plain HTTP) and the
//! handle of a running instance.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use vcsa_backup_api::Secret;

use chrono::{DateTime, Utc};

use crate::appliance::Appliance;
use crate::catalog::is_valid_system_name;
use crate::config::SimConfig;
use crate::connections::{ConnectionLimits, Connections, serve};
use crate::control::Control;
use crate::history::HistoryShape;
use crate::lost_answers::{self, LostAnswer, LostAnswers, LostOperation};
use crate::outage::Outage;
use crate::plan::JobWait;
use crate::recovery::transfer::CatalogExport;
use crate::recovery::{DEFAULT_RESTORE_USER, ReconciliationTiming, RestoreTiming};
use crate::schedules::is_valid_schedule_id;
use crate::{routes, tls};

/// Why a simulator could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The listen address could not be bound (in use, not local, or not permitted).
    #[error(
        "cannot listen on {addr}: {source}. Choose another address or port (port 0 picks a free one)."
    )]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A schedule id given to [`SimulatorBuilder::schedule`] cannot be used.
    #[error(
        "the schedule id {0:?} is not usable: use 1 to 64 letters, digits, '-', '_' or '.' (like \"weekly\")."
    )]
    Schedule(String),
    /// More schedules than [`SimulatorBuilder::max_schedules`] allows: `default` and those given
    /// to [`SimulatorBuilder::schedule`].
    #[error(
        "the appliance would have {asked} schedules (\"default\" and {extra} more), but it keeps at most {cap}: raise the cap (max_schedules, --max-schedules) or ask for fewer."
    )]
    TooManySchedules {
        /// How many it would have.
        asked: usize,
        /// How many besides `default`.
        extra: usize,
        /// The cap.
        cap: usize,
    },
    /// A time zone given to [`SimulatorBuilder::time_zone`] is not in the IANA database.
    #[error("the time zone {0:?} is unknown: use an IANA name like \"UTC\" or \"Europe/Berlin\".")]
    TimeZone(String),
    /// A system name given to [`SimulatorBuilder::system_name`] cannot be used.
    #[error(
        "the system name {0:?} is not usable: use 1 to 255 letters, digits, '-', '_' or '.' (a host name like \"vcsa-01.example.com\")."
    )]
    SystemName(String),
    /// The history given to [`SimulatorBuilder::history`] is longer than the simulator keeps.
    #[error("{0}")]
    History(String),
    /// The self-signed certificate or the TLS configuration could not be made.
    #[error("cannot set up HTTPS ({0}). Start the simulator with plain HTTP instead.")]
    Tls(String),
}

/// Entry point: `Simulator::builder()...start().await`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use vcsa_backup_sim::Simulator;
///
/// let sim = Simulator::builder()
///     .user("backup-admin@vsphere.local")
///     .password("S3cret!pass")
///     .job_duration(Duration::from_secs(5))
///     .start()
///     .await?;
/// assert!(sim.url().starts_with("https://127.0.0.1:"));
/// assert_eq!(sim.thumbprint().map(|t| t.len()), Some(32 * 3 - 1));
/// sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Simulator;

impl Simulator {
    /// A builder with the defaults: HTTPS on `127.0.0.1:0`, user
    /// [`DEFAULT_USER`](crate::config::DEFAULT_USER), password [`DEFAULT_PASSWORD`](crate::config::DEFAULT_PASSWORD),
    /// 30 s jobs, 30 min session idle timeout, only the `default` schedule.
    pub fn builder() -> SimulatorBuilder {
        SimulatorBuilder {
            config: SimConfig::default(),
            tls: true,
            listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            history: 0,
            history_shape: HistoryShape::default(),
            limits: ConnectionLimits::default(),
            time_zone: None,
            lost_answers: BTreeMap::new(),
            user_set: false,
            imports: Vec::new(),
        }
    }
}

/// Settings of a simulator to start; see [`Simulator::builder`].
#[derive(Debug, Clone)]
pub struct SimulatorBuilder {
    config: SimConfig,
    tls: bool,
    listen: SocketAddr,
    history: usize,
    history_shape: HistoryShape,
    limits: ConnectionLimits,
    /// Checked at start.
    time_zone: Option<String>,
    pub(crate) lost_answers: BTreeMap<LostOperation, LostAnswers>,
    /// Whether [`Self::user`] was called (an appliance that awaits a restore defaults to root).
    user_set: bool,
    /// Catalogs of other simulators to know the archives of.
    imports: Vec<CatalogExport>,
}

impl SimulatorBuilder {
    /// From the start, the first `count` calls of `operation` are carried out, then their
    /// answers are lost as `answer` says (see [`Control::lose_answers`]).
    pub fn lose_answers(
        mut self,
        operation: LostOperation,
        answer: LostAnswer,
        count: u32,
    ) -> Self {
        lost_answers::set(&mut self.lost_answers, operation, answer, count);
        self
    }

    /// The user name log in accepts.
    ///
    /// Defaults to [`DEFAULT_USER`](crate::config::DEFAULT_USER), and for an appliance that awaits a
    /// restore to [`DEFAULT_RESTORE_USER`](crate::recovery::DEFAULT_RESTORE_USER).
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.config.user = user.into();
        self.user_set = true;
        self
    }

    /// An appliance deployed but not configured (`true`): it awaits a restore. It serves the
    /// recovery operations (restore validate, start, status, cancel) and refuses the backup
    /// operations with NOT_ALLOWED_IN_CURRENT_STATE; its account defaults to
    /// [`DEFAULT_RESTORE_USER`](crate::recovery::DEFAULT_RESTORE_USER), as an appliance's management
    /// interface (port 5480) takes `root`. A successful restore makes it the backed-up
    /// appliance: its system name, version and schedules. Off by default: a configured
    /// appliance, which refuses a restore.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use vcsa_backup_sim::{RestoreTiming, Simulator};
    ///
    /// let sim = Simulator::builder()
    ///     .tls(false)
    ///     .awaiting_restore(true)
    ///     .restore_timing(RestoreTiming {
    ///         duration: Duration::from_secs(4),
    ///         no_answer: Duration::from_secs(1),
    ///         sessions_refused: Duration::from_secs(1),
    ///         unavailable: Duration::from_secs(1),
    ///     })
    ///     .start()
    ///     .await?;
    /// assert!(sim.control().state().recovery.awaiting_restore);
    /// # Ok(()) }
    /// ```
    pub fn awaiting_restore(mut self, awaiting: bool) -> Self {
        self.config.awaiting_restore = awaiting;
        self
    }

    /// How long a restore works and how long each part of its outage lasts (see
    /// [`RestoreTiming`]).
    pub fn restore_timing(mut self, timing: RestoreTiming) -> Self {
        self.config.restore_timing = timing;
        self
    }

    /// How long a reconciliation job runs and stays visible after it ends.
    pub fn reconciliation_timing(mut self, timing: ReconciliationTiming) -> Self {
        self.config.reconciliation_timing = timing;
        self
    }

    /// The appliance's version, like `8.0.3.00400` ([`DEFAULT_VERSION`](crate::config::DEFAULT_VERSION)): it names its backups' folders,
    /// and a backup of a newer version cannot be restored into it.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.config.version = version.into();
        self
    }

    /// Knows the archives of another simulator's catalog (see [`CatalogExport`]), as if they
    /// lay at their locations: the backups an appliance that awaits a restore can restore.
    /// Call once per catalog.
    pub fn import_catalog(mut self, catalog: CatalogExport) -> Self {
        self.imports.push(catalog);
        self
    }

    /// The password log in accepts.
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.config.password = Secret::new(password.into());
        self
    }

    /// HTTPS with a fresh self-signed certificate (`true`, the default) or plain HTTP.
    pub fn tls(mut self, tls: bool) -> Self {
        self.tls = tls;
        self
    }

    /// The address to listen on; port 0 picks a free port. Defaults to `127.0.0.1:0`.
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    pub(crate) fn listen_addr(&self) -> SocketAddr {
        self.listen
    }

    /// How long a backup job takes to go from 0 to 100%. Zero finishes jobs at once; at most
    /// [`MAX_JOB_DURATION`](crate::limits::MAX_JOB_DURATION).
    pub fn job_duration(mut self, duration: Duration) -> Self {
        self.config.job_duration = duration;
        self
    }

    /// How long every job waits as PENDING (job state `NONE`), then BLOCKED, before it runs.
    /// No wait by default.
    pub fn job_wait(mut self, wait: JobWait) -> Self {
        self.config.job_wait = wait;
        self
    }

    /// How long a session may stay idle before it expires.
    pub fn session_idle_timeout(mut self, idle: Duration) -> Self {
        self.config.session_idle_timeout = idle;
        self
    }

    /// The appliance build number, the last part of job ids.
    pub fn build_number(mut self, build: impl Into<String>) -> Self {
        self.config.build = build.into();
        self
    }

    /// Finished jobs to place in the history before the simulator starts serving: one per due
    /// run of the `default` schedule (every day at 23:00 in the appliance's time zone unless
    /// changed), going back from the simulated time, each with its backup in the appliance's
    /// layout at the schedule's location. More than
    /// [`MAX_HISTORY`](crate::limits::MAX_HISTORY) make [`start`](Self::start) fail.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = vcsa_backup_sim::Simulator::builder()
    ///     .tls(false)
    ///     .start_time("2026-05-18T12:00:00Z".parse()?)
    ///     .history(3)
    ///     .start()
    ///     .await?;
    /// let state = sim.control().state();
    /// assert_eq!((state.jobs, state.archives), (3, 3));
    /// sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn history(mut self, jobs: usize) -> Self {
        self.history = jobs;
        self
    }

    /// How the seeded [`history`](Self::history) ends: due runs the schedule missed before
    /// the simulated time, and how its newest job ended (see [`HistoryShape`]). By default
    /// every run started and succeeded.
    pub fn history_shape(mut self, shape: HistoryShape) -> Self {
        self.history_shape = shape;
        self
    }

    /// Starts the appliance out of service: connections black-holed or refused (see
    /// [`Outage`]) until [`Control::set_outage`] brings it back. The port is bound either way,
    /// so its URL is known.
    pub fn outage(mut self, outage: Outage) -> Self {
        self.config.outage = Some(outage);
        self
    }

    /// How many backup schedules the appliance keeps at most (at least 1): a create beyond it
    /// answers ALREADY_EXISTS, as an appliance whose UI manages one schedule does. Defaults to
    /// [`DEFAULT_MAX_SCHEDULES`](crate::schedules::DEFAULT_MAX_SCHEDULES), `default` alone.
    pub fn max_schedules(mut self, max: usize) -> Self {
        self.config.max_schedules = max.max(1);
        self
    }

    /// How long a new connection has to send its first request's headers (the TLS handshake
    /// included); a connection that has not by then is closed, so clients that send half a
    /// request cannot hold the simulator. The binary uses
    /// [`DEFAULT_HEADER_READ_TIMEOUT`](crate::limits::DEFAULT_HEADER_READ_TIMEOUT).
    ///
    /// None by default: the time-out follows tokio's clock, and a paused clock (as tests use)
    /// jumps to it whenever the simulator waits for a client in another thread or process.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = Some(timeout);
        self
    }

    /// The most client connections served at once (at least 1); further ones wait until one
    /// closes. Defaults to [`DEFAULT_MAX_CONNECTIONS`](crate::limits::DEFAULT_MAX_CONNECTIONS).
    pub fn max_connections(mut self, max: usize) -> Self {
        self.limits.max_connections = max.max(1);
        self
    }

    /// Another backup schedule the appliance has, besides `default` (which always exists):
    /// running it starts a scheduled backup to `sftp://backup.example.com/vcsa/<id>`. Call once
    /// per schedule. Ids are 1 to 64 letters, digits, `-`, `_` or `.`, and the schedules fit
    /// [`max_schedules`](Self::max_schedules); others make [`start`](Self::start) fail.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = vcsa_backup_sim::Simulator::builder()
    ///     .tls(false)
    ///     .max_schedules(2)
    ///     .schedule("weekly")
    ///     .start()
    ///     .await?;
    /// assert_eq!(sim.control().state().schedules, ["default", "weekly"]);
    /// sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn schedule(mut self, id: impl Into<String>) -> Self {
        self.config.schedules.push(id.into());
        self
    }

    /// The appliance's system name, its host name: its backups go under
    /// `<location>/vCenter/sn_<system name>/`. Defaults to
    /// [`DEFAULT_SYSTEM_NAME`](crate::config::DEFAULT_SYSTEM_NAME); 1 to 255 letters, digits, `-`, `_` or
    /// `.`, others make [`start`](Self::start) fail.
    pub fn system_name(mut self, name: impl Into<String>) -> Self {
        self.config.system_name = name.into();
        self
    }

    /// The appliance's time zone, an IANA name like `Europe/Berlin`: schedule times are in it,
    /// and the clock operation names it. Defaults to `UTC`; an unknown name makes
    /// [`start`](Self::start) fail.
    pub fn time_zone(mut self, name: impl Into<String>) -> Self {
        self.time_zone = Some(name.into());
        self
    }

    /// The simulated time at start; it then moves with tokio's clock. Defaults to the real time.
    /// A fixed start makes schedule firings, job ids and backup folder names reproducible.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let monday = "2026-05-18T00:30:00Z".parse()?;
    /// let sim = vcsa_backup_sim::Simulator::builder()
    ///     .tls(false)
    ///     .start_time(monday)
    ///     .time_zone("Europe/Berlin")
    ///     .start()
    ///     .await?;
    /// assert_eq!(sim.control().now().format("%Y-%m-%d").to_string(), "2026-05-18");
    /// sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn start_time(mut self, at: DateTime<Utc>) -> Self {
        self.config.start_time = Some(at);
        self
    }

    /// Binds the address and starts serving on the current tokio runtime.
    pub async fn start(mut self) -> Result<RunningSimulator, StartError> {
        if let Some(name) = &self.time_zone {
            self.config.time_zone = name
                .parse()
                .map_err(|_| StartError::TimeZone(name.clone()))?;
        }
        if !is_valid_system_name(&self.config.system_name) {
            return Err(StartError::SystemName(self.config.system_name.clone()));
        }
        if let Some(bad) = self
            .config
            .schedules
            .iter()
            .find(|id| !is_valid_schedule_id(id))
        {
            return Err(StartError::Schedule(bad.clone()));
        }
        let extra = self.config.schedules.len();
        if extra + 1 > self.config.max_schedules {
            return Err(StartError::TooManySchedules {
                asked: extra + 1,
                extra,
                cap: self.config.max_schedules,
            });
        }
        let listener = TcpListener::bind(self.listen)
            .await
            .map_err(|source| StartError::Bind {
                addr: self.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: self.listen,
            source,
        })?;
        let tls = if self.tls {
            let mut names = vec![
                "localhost".to_string(),
                "127.0.0.1".to_string(),
                "::1".to_string(),
            ];
            if !addr.ip().is_unspecified() && !addr.ip().is_loopback() {
                names.push(addr.ip().to_string());
            }
            Some(tls::generate(names).map_err(|e| StartError::Tls(e.to_string()))?)
        } else {
            None
        };
        if self.config.awaiting_restore && !self.user_set {
            self.config.user = DEFAULT_RESTORE_USER.to_string();
        }
        let appliance = Arc::new(Appliance::new(self.config));
        appliance.update_faults(|f| f.lost_answers = self.lost_answers);
        for catalog in &self.imports {
            appliance.import_catalog(catalog);
        }
        if self.history > 0 {
            appliance
                .seed_history(self.history, self.history_shape)
                .map_err(StartError::History)?;
        }
        let app = routes::router(appliance.clone());
        let (stop_tx, stop_rx) = oneshot::channel();
        let acceptor = tls.as_ref().map(|t| t.acceptor.clone());
        let task = tokio::spawn(serve(
            listener,
            Connections {
                app,
                tls: acceptor,
                limits: self.limits,
                appliance: appliance.clone(),
            },
            stop_rx,
        ));
        let scheme = if tls.is_some() { "https" } else { "http" };
        let host = match addr.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        Ok(RunningSimulator {
            url: format!("{scheme}://{host}:{}", addr.port()),
            addr,
            thumbprint: tls.as_ref().map(|t| t.thumbprint.clone()),
            certificate_pem: tls.as_ref().map(|t| t.server_pem.clone()),
            ca_certificate_pem: tls.map(|t| t.ca_pem),
            control: Control { appliance },
            stop: Some(stop_tx),
            task: Some(task),
        })
    }
}

/// A simulator serving in the background. Dropping it stops the server at once;
/// [`shutdown`](Self::shutdown) lets requests in flight finish first.
#[derive(Debug)]
pub struct RunningSimulator {
    url: String,
    addr: SocketAddr,
    thumbprint: Option<String>,
    certificate_pem: Option<String>,
    ca_certificate_pem: Option<String>,
    control: Control,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningSimulator {
    /// The base URL, like `https://127.0.0.1:50123`: no path, as the client crates expect.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address the simulator listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// For HTTPS, the SHA-256 thumbprint of the server certificate (`AB:CD:...`), to pin it.
    pub fn thumbprint(&self) -> Option<&str> {
        self.thumbprint.as_deref()
    }

    /// For HTTPS, the server certificate (PEM).
    pub fn certificate_pem(&self) -> Option<&str> {
        self.certificate_pem.as_deref()
    }

    /// For HTTPS, the certificate of the CA that signed the server certificate (PEM): add it to
    /// a client's trust store, as administrators do with the appliance's CA.
    pub fn ca_certificate_pem(&self) -> Option<&str> {
        self.ca_certificate_pem.as_deref()
    }

    /// A handle to inject faults and inspect state.
    pub fn control(&self) -> Control {
        self.control.clone()
    }

    /// Stops accepting connections, lets requests in flight finish (up to 5 s), then returns.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningSimulator {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
