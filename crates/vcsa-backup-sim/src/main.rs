//! `vcsa-backup-sim`: serve a simulated vCenter Server Appliance backup API.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use vcsa_backup_sim::{
    CatalogExport, DEFAULT_BUILD, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_MAX_SCHEDULES,
    DEFAULT_PASSWORD, DEFAULT_SYSTEM_NAME, DEFAULT_TIME_ZONE, DEFAULT_USER, DEFAULT_VERSION,
    HistoryShape, JobWait, Outage, ReconciliationTiming, RestoreTiming, SeededOutcome, Simulator,
    SimulatorBuilder,
};

/// Serve a simulated vCenter Server Appliance backup API (both the /api and the /rest flavour).
///
/// Prints the URL it serves and, for HTTPS, the SHA-256 thumbprint of its certificate, then
/// serves until interrupted (Ctrl-C). Faults can be injected over HTTP under /__sim (see the
/// crate documentation).
#[derive(Debug, Parser)]
#[command(name = "vcsa-backup-sim", version, about, long_about)]
struct Args {
    /// Address and port to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR:PORT")]
    listen: SocketAddr,

    /// User name that log in accepts [default: administrator@vsphere.local; with
    /// --awaiting-restore: root].
    #[arg(long, env = "VCSA_SIM_USER")]
    user: Option<String>,

    /// Password that log in accepts. Prefer the environment variable to keep it out of the
    /// process list.
    #[arg(long, default_value = DEFAULT_PASSWORD, env = "VCSA_SIM_PASSWORD", hide_default_value = true, hide_env_values = true)]
    password: String,

    /// Serve plain HTTP instead of HTTPS with a fresh self-signed certificate.
    #[arg(long)]
    http: bool,

    /// How long a backup job takes from 0 to 100%, like "30s", "2m" or "500ms".
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration, value_name = "DURATION")]
    job_duration: Duration,

    /// How long every backup job waits as PENDING (job state NONE, not started) before it
    /// starts, like "5s".
    #[arg(long, default_value = "0s", value_parser = humantime::parse_duration, value_name = "DURATION")]
    job_pending: Duration,

    /// How long every backup job then waits as BLOCKED (started, progress 0) before it runs.
    #[arg(long, default_value = "0s", value_parser = humantime::parse_duration, value_name = "DURATION")]
    job_blocked: Duration,

    /// How long a session may stay idle before it expires, like "30m".
    #[arg(long, default_value = "30m", value_parser = humantime::parse_duration, value_name = "DURATION")]
    session_timeout: Duration,

    /// How long a new connection has to send its first request's headers before it is closed
    /// (default 30s).
    #[arg(long, value_parser = humantime::parse_duration, value_name = "DURATION")]
    header_read_timeout: Option<Duration>,

    /// Appliance build number, the last part of job ids (YYYYMMDD-hhmmss-BUILD).
    #[arg(long, default_value = DEFAULT_BUILD)]
    build: String,

    /// Another backup schedule id the appliance has, besides "default" (which always exists);
    /// repeat for more, within --max-schedules. Ids are 1 to 64 letters, digits, '-', '_' or '.'.
    #[arg(long = "schedule", value_name = "ID")]
    schedules: Vec<String>,

    /// How many backup schedules the appliance keeps at most; a create beyond answers
    /// ALREADY_EXISTS, as an appliance whose UI manages one schedule, "default", does.
    #[arg(long, default_value_t = DEFAULT_MAX_SCHEDULES as u16, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    max_schedules: u16,

    /// The appliance's system name (its host name): backups go under
    /// <location>/vCenter/sn_<system name>/.
    #[arg(long, default_value = DEFAULT_SYSTEM_NAME, value_name = "NAME")]
    system_name: String,

    /// The appliance's time zone, an IANA name like Europe/Berlin: schedule times are in it.
    #[arg(long, default_value = DEFAULT_TIME_ZONE, value_name = "ZONE")]
    time_zone: String,

    /// Number of finished jobs to place in the history at start (at most 100000): one per due
    /// run of the "default" schedule (every day at 23:00 in --time-zone), going back from the
    /// simulated time, each with its backup in the appliance's layout at the schedule's location.
    #[arg(long, default_value_t = 0, value_name = "JOBS")]
    history: usize,

    /// The newest due runs of the schedule that have no job in the history: runs it missed.
    #[arg(long, default_value_t = 0, value_name = "RUNS")]
    history_missed: u32,

    /// How the newest job of the history ended.
    #[arg(long, value_enum, default_value_t = SeededOutcome::Succeeded, value_name = "STATE")]
    history_newest: SeededOutcome,

    /// Write the CA certificate (PEM) to this file, for clients to trust (HTTPS only).
    #[arg(long, value_name = "FILE", conflicts_with = "appliances")]
    ca_cert_out: Option<std::path::PathBuf>,

    /// Serve this many appliances, each on its own port of the listen address (whose port must
    /// then be 0), named vcsa-001, vcsa-002...; prints one line per appliance: name, URL and,
    /// for HTTPS, thumbprint.
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    appliances: u16,

    /// The appliance's version, like 8.0.3.00400: it names its backups' folders, and a backup of
    /// a newer version cannot be restored into it.
    #[arg(long, default_value = DEFAULT_VERSION, value_name = "VERSION")]
    appliance_version: String,

    /// An appliance deployed but not configured: it awaits a restore. It serves the restore
    /// operations and refuses the backup ones; its user is "root" unless --user says otherwise
    /// (an appliance's management interface, port 5480, takes root).
    #[arg(long)]
    awaiting_restore: bool,

    /// Know the backups of another simulator's catalog: a file written from its
    /// GET /__sim/catalog, or its URL on this machine (like https://127.0.0.1:50123). Repeat
    /// for more.
    #[arg(long = "import-catalog", value_name = "FILE|URL")]
    import_catalogs: Vec<String>,

    /// How long a restore works, its outage excluded (half before the outage, half after).
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration, value_name = "DURATION")]
    restore_duration: Duration,

    /// How long, in a restore's middle, connections close without an answer.
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration, value_name = "DURATION")]
    restore_no_answer: Duration,

    /// Then how long every session ends right after its log in.
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration, value_name = "DURATION")]
    restore_sessions_refused: Duration,

    /// Then how long every call answers 503.
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration, value_name = "DURATION")]
    restore_unavailable: Duration,

    /// How long a reconciliation job runs.
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration, value_name = "DURATION")]
    reconcile_duration: Duration,

    /// The first N appliances accept connections and never answer (a black hole), as hung
    /// appliances or a firewall that drops packets do. 1 with a single appliance.
    #[arg(long, default_value_t = 0, value_name = "N")]
    black_hole: u16,

    /// The N appliances after those of --black-hole refuse connections (their port is closed).
    #[arg(long, default_value_t = 0, value_name = "N")]
    refuse_connections: u16,

    /// Write an inventory naming every appliance (for `vcsa-backup fleet --inventory`) to this
    /// file; it reads the password from the VCSA_SIM_PASSWORD environment variable. Prints one
    /// line per appliance, as --appliances does.
    #[arg(long, value_name = "FILE")]
    inventory_out: Option<std::path::PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut catalogs = Vec::new();
    for source in &args.import_catalogs {
        let read = if source.starts_with("http://") || source.starts_with("https://") {
            CatalogExport::fetch(source).await
        } else {
            CatalogExport::read(std::path::Path::new(source))
        };
        match read {
            Ok(catalog) => catalogs.push(catalog),
            Err(err) => {
                eprintln!("vcsa-backup-sim: {err}");
                return ExitCode::FAILURE;
            }
        }
    }
    let out = u32::from(args.black_hole) + u32::from(args.refuse_connections);
    if out > u32::from(args.appliances) {
        eprintln!(
            "vcsa-backup-sim: --black-hole {} and --refuse-connections {} name {out} appliances, \
             but --appliances is {}: name at most that many",
            args.black_hole, args.refuse_connections, args.appliances
        );
        return ExitCode::FAILURE;
    }
    let builder = catalogs
        .into_iter()
        .fold(configured(&args), SimulatorBuilder::import_catalog);
    if args.appliances > 1 || args.inventory_out.is_some() {
        return serve_fleet(&args, builder).await;
    }
    let builder = match (args.black_hole, args.refuse_connections) {
        (1, _) => builder.outage(Outage::BlackHole),
        (_, 1) => builder.outage(Outage::Refused),
        _ => builder,
    };
    let sim = match builder.start().await {
        Ok(sim) => sim,
        Err(err) => {
            eprintln!("vcsa-backup-sim: {err}");
            return ExitCode::FAILURE;
        }
    };
    if let (Some(path), Some(pem)) = (&args.ca_cert_out, sim.ca_certificate_pem())
        && let Err(err) = std::fs::write(path, pem)
    {
        eprintln!(
            "vcsa-backup-sim: cannot write the CA certificate to {}: {err}",
            path.display()
        );
        return ExitCode::FAILURE;
    }
    // The first line is the URL, so scripts can read it; the thumbprint follows for HTTPS.
    println!("{}", sim.url());
    if let Some(thumbprint) = sim.thumbprint() {
        println!("SHA-256 thumbprint: {thumbprint}");
    }
    if tokio::signal::ctrl_c().await.is_err() {
        eprintln!("vcsa-backup-sim: cannot listen for Ctrl-C; stopping.");
    }
    sim.shutdown().await;
    ExitCode::SUCCESS
}

/// Every setting of the options but the catalogs and the outages.
fn configured(args: &Args) -> SimulatorBuilder {
    let builder = args
        .schedules
        .iter()
        .fold(Simulator::builder(), |b, id| b.schedule(id.clone()))
        .max_schedules(args.max_schedules.into())
        .listen(args.listen)
        .password(args.password.clone())
        .tls(!args.http)
        .job_duration(args.job_duration)
        .job_wait(JobWait::new(args.job_pending, args.job_blocked))
        .session_idle_timeout(args.session_timeout)
        .header_read_timeout(
            args.header_read_timeout
                .unwrap_or(DEFAULT_HEADER_READ_TIMEOUT),
        )
        .build_number(args.build.clone())
        .history(args.history)
        .history_shape(HistoryShape {
            missed_runs: args.history_missed,
            newest: args.history_newest,
        })
        .system_name(args.system_name.clone())
        .time_zone(args.time_zone.clone())
        .version(args.appliance_version.clone())
        .awaiting_restore(args.awaiting_restore)
        .restore_timing(RestoreTiming {
            duration: args.restore_duration,
            no_answer: args.restore_no_answer,
            sessions_refused: args.restore_sessions_refused,
            unavailable: args.restore_unavailable,
        })
        .reconciliation_timing(ReconciliationTiming {
            duration: args.reconcile_duration,
            ..ReconciliationTiming::default()
        });
    match &args.user {
        Some(user) => builder.user(user),
        None => builder,
    }
}

/// `--appliances N` or `--inventory-out`: many appliances, one line each.
async fn serve_fleet(args: &Args, template: SimulatorBuilder) -> ExitCode {
    if args.appliances > 1 && args.listen.port() != 0 {
        eprintln!(
            "vcsa-backup-sim: --appliances needs port 0 in --listen (each appliance gets its own \
             free port), such as --listen {}:0",
            args.listen.ip()
        );
        return ExitCode::FAILURE;
    }
    let black_holes = usize::from(args.black_hole);
    let refused = black_holes..black_holes + usize::from(args.refuse_connections);
    let fleet = match Simulator::fleet(args.appliances.into())
        .template(template)
        .outage(0..black_holes, Outage::BlackHole)
        .outage(refused, Outage::Refused)
        .start()
        .await
    {
        Ok(fleet) => fleet,
        Err(err) => {
            eprintln!("vcsa-backup-sim: {err}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &args.inventory_out
        && let Err(err) = std::fs::write(
            path,
            fleet.inventory(
                args.user.as_deref().unwrap_or(DEFAULT_USER),
                "VCSA_SIM_PASSWORD",
            ),
        )
    {
        eprintln!(
            "vcsa-backup-sim: cannot write the inventory to {}: {err}",
            path.display()
        );
        return ExitCode::FAILURE;
    }
    {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        for appliance in fleet.appliances() {
            let _ = match appliance.thumbprint() {
                Some(thumbprint) => {
                    writeln!(out, "{} {} {thumbprint}", appliance.name(), appliance.url())
                }
                None => writeln!(out, "{} {}", appliance.name(), appliance.url()),
            };
        }
        let _ = out.flush();
    }
    if tokio::signal::ctrl_c().await.is_err() {
        eprintln!("vcsa-backup-sim: cannot listen for Ctrl-C; stopping.");
    }
    fleet.shutdown().await;
    ExitCode::SUCCESS
}
