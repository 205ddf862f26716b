//! The command line: every subcommand and option, with the help texts users read.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod archives;
mod backup;
mod fleet_schedule;
mod restore;
mod schedule;
mod settings;

pub use archives::{ArchivesCommand, ArchivesListArgs, ArchivesShowArgs, CatalogLocation};
use backup::BACKUP_EXAMPLES;
pub use backup::{BackupArgs, BackupSettings, LayoutArgs, RequestArgs, StartArgs, TargetArgs};
pub use fleet_schedule::{FleetScheduleApplyArgs, FleetScheduleCommand};
pub use restore::{ReconcileCommand, RecoveryWaitArgs, RestoreArgs, RestoreCommand};
pub use schedule::{
    ScheduleApplyArgs, ScheduleCommand, ScheduleCreateArgs, ScheduleOptions, ScheduleRunArgs,
    ScheduleUpdateArgs, day_word, days, parse_time,
};
use settings::SETTINGS_HELP;

pub(crate) const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the backup job (or the check, or the cancel request) failed; `schedule apply --check`
     found a difference; a backup that cannot be restored here; a restore that failed
  2  invalid input: a wrong option, a refused request, an unknown job, schedule or backup;
     an appliance that does not await the restore asked of it
  3  the deadline given with --deadline passed before the job ended
  4  another backup or restore is already running on the appliance
  5  authentication: wrong user or password, or the user lacks the backup privilege
  6  connection: the appliance could not be reached, timed out, is busy, or its certificate is not trusted
  7  the appliance answered with an unexpected error or an answer that could not be understood
  8  outcome unknown: the answer to a start (or a cancel, a schedule change) was lost and the
     appliance could not say whether it was done; check `vcsa-backup list` before trying again
  74 the result could not be written to standard output (a closed pipe is not an error)
  130 interrupted (Ctrl-C) while following a job; the job goes on on the appliance

Passwords are never taken as plain arguments. The appliance password comes from the
VCSA_PASSWORD environment variable, from --password-file, or from a prompt on the terminal.";

/// Start, follow, list and cancel backups of a vCenter Server Appliance.
///
/// Talks to the appliance's backup API (`/api` from vSphere 7.0 U2, or the older `/rest`).
/// Try `vcsa-backup demo` first: it runs everything against a simulated appliance.
#[derive(Debug, Parser)]
#[command(
    name = "vcsa-backup",
    version,
    after_long_help = format!("{SETTINGS_HELP}\n\n{EXIT_CODES}")
)]
pub struct Cli {
    /// Settings shared by every subcommand.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How to reach and log in to the appliance, and how to print the results.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The appliance: a host name, `host:port`, or a URL such as `https://vcsa.example.com`.
    #[arg(
        long,
        short = 's',
        env = "VCSA_SERVER",
        global = true,
        value_name = "HOST"
    )]
    pub server: Option<String>,

    /// The user to log in as [default: the configuration file's, else
    /// administrator@vsphere.local].
    #[arg(long, short = 'u', env = "VCSA_USER", global = true)]
    pub user: Option<String>,

    /// Read the appliance password from the first line of this file (`-` reads standard input).
    /// Without it, the VCSA_PASSWORD environment variable is used, then the configuration
    /// file's password_file or password_env, or the password is asked for on the terminal.
    #[arg(long, global = true, value_name = "FILE")]
    pub password_file: Option<PathBuf>,

    /// Trust the appliance's certificate when it is signed by this CA (PEM file). The appliance
    /// offers its CA certificates as a zip archive at `https://<appliance>/certs/download.zip`:
    /// unzip it and pass the `.0` file under `certs/lin/` (PEM).
    #[arg(long, env = "VCSA_CA_CERT", global = true, value_name = "PEM_FILE")]
    pub ca_cert: Option<PathBuf>,

    /// Trust the appliance's certificate only if its SHA-256 thumbprint is this one (hex, with or
    /// without colons), as `vcsa-backup trust SERVER` and `openssl x509 -noout -fingerprint
    /// -sha256` show it.
    #[arg(long, env = "VCSA_THUMBPRINT", global = true, value_name = "SHA256")]
    pub thumbprint: Option<String>,

    /// Accept any certificate, without checking it. Anyone on the network path can then read
    /// the password; use --thumbprint or --ca-cert instead where you can.
    // Not a clap conflict: clap counts VCSA_THUMBPRINT as given, and the option wins over it.
    #[arg(long, global = true)]
    pub insecure: bool,

    /// The configuration file naming appliances [default: $XDG_CONFIG_HOME/vcsa-backup/config.toml,
    /// else ~/.config/vcsa-backup/config.toml, when it exists]. Options and environment
    /// variables win over it; `vcsa-backup --help` shows its format.
    #[arg(long, env = "VCSA_CONFIG", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The appliance of the configuration file to use, by its name. Without it, the entry whose
    /// server is --server's is used, or the file's only one when no server is given.
    #[arg(
        long,
        short = 'a',
        env = "VCSA_APPLIANCE",
        global = true,
        value_name = "NAME"
    )]
    pub appliance: Option<String>,

    /// Which flavour of the API to speak: `api` (vSphere 7.0 U2 and later), `rest` (6.5 and
    /// later) or `auto` (try `/api`, fall back to `/rest`).
    #[arg(long, global = true, value_enum, default_value_t = FlavourArg::Auto)]
    pub flavour: FlavourArg,

    /// How to print results: `table` for people, `json` for scripts (stable field names);
    /// `check` also prints `nagios` (a plugin status line) and `prometheus` (text exposition).
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// How long to wait for each answer from the appliance, such as `30s` or `2m`.
    #[arg(long, global = true, value_name = "DURATION", default_value = "60s", value_parser = positive_duration)]
    pub request_timeout: Duration,

    /// Log what the tool does on standard error: `-v` for warnings and steps, `-vv` for requests, `-vvv`
    /// for everything.
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Print only the result and errors: no progress while waiting, no notes on standard
    /// error, no "already matches" from `schedule apply`.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,

    /// Show job times in UTC; without it they are in the appliance's time zone, named.
    #[arg(long, global = true)]
    pub utc: bool,
}

/// The wire flavour chosen on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FlavourArg {
    /// `/api`: vSphere 7.0 Update 2 and later.
    Api,
    /// `/rest`: vSphere 6.5 and later (deprecated by the vendor, still served).
    Rest,
    /// Try `/api` first, fall back to `/rest`.
    Auto,
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people.
    Table,
    /// One JSON document on standard output, with stable field names, for scripts.
    Json,
    /// `check` only: the monitoring plugin convention (Nagios, Icinga), a status line with
    /// performance data.
    Nagios,
    /// `check` only: the Prometheus text exposition format, for node_exporter's textfile
    /// collector.
    Prometheus,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a backup of the appliance; with --wait, follow it to the end.
    ///
    /// Without --part, the backup includes the parts the appliance selects by default
    /// (`vcsa-backup parts` shows them), as its own interface does, and says which on standard
    /// error; --part common (or --no-default-parts) backs up the core configuration only.
    #[command(after_long_help = BACKUP_EXAMPLES)]
    Backup(BackupArgs),
    /// Show the state of one backup job.
    Status(StatusArgs),
    /// List recent backup jobs with their type, status, size, duration and location.
    List(ListArgs),
    /// Ask the appliance to cancel a running backup job.
    Cancel(JobArgs),
    /// Backup schedules defined on the appliance: list, show, create, update, delete, apply, run.
    #[command(subcommand)]
    Schedule(ScheduleCommand),
    /// The backups at a backup location (the appliance's catalog): list them, show one.
    #[command(subcommand)]
    Archives(ArchivesCommand),
    /// List the parts of the appliance that a backup can include, with their estimated sizes.
    Parts,
    /// Check a backup location and its settings without starting a backup.
    Validate(RequestArgs),
    /// Restore a backup into a freshly deployed appliance: validate, start, status, cancel.
    #[command(subcommand, after_long_help = restore::RESTORE_HELP)]
    Restore(RestoreCommand),
    /// Reconcile a restored appliance with its linked partners: start, status.
    #[command(subcommand)]
    Reconcile(ReconcileCommand),
    /// Check backup health for monitoring: exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    #[command(after_long_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Many appliances at once, from an inventory file: back up, check or list them.
    #[command(subcommand, after_long_help = fleet_help())]
    Fleet(FleetCommand),
    /// Run a complete backup against a built-in simulated appliance, to see the tool at work.
    ///
    /// Starts a simulated appliance on 127.0.0.1 (HTTPS with a self-signed certificate), then
    /// lists the parts a backup can include, starts a backup, tries to start a second one to
    /// show the "backup in progress" error and its exit code, follows the first to the end with
    /// a progress bar, shows its details and the job list, creates a nightly backup schedule,
    /// skips the simulated clock three days ahead so that it fires, lists the backups it left
    /// at the location, and says how to point the same commands at a real appliance. Nothing
    /// leaves this machine; global options other than --quiet do not apply.
    #[cfg(feature = "demo")]
    Demo(DemoArgs),
    /// Show the certificate an appliance presents and the lines that pin it, without logging in.
    ///
    /// Reads the certificate with a TLS handshake that stops at it (no password needed, nothing
    /// sent), prints its SHA-256 thumbprint, subject, issuer and validity, and the --thumbprint
    /// option, the VCSA_THUMBPRINT variable and the configuration line that would pin it.
    /// Nothing is trusted or saved: compare the thumbprint with the appliance's own first.
    #[command(after_long_help = TRUST_EXAMPLES)]
    Trust(TrustArgs),
    /// Print a shell completion script, for example
    /// `vcsa-backup completions bash > /etc/bash_completion.d/vcsa-backup`.
    Completions(CompletionsArgs),
    /// Print a manual page, or write every page into a folder.
    ///
    /// For example `vcsa-backup man schedule create | man -l -`, or
    /// `vcsa-backup man --out /usr/local/share/man/man1` for every page.
    Man(ManArgs),
}

const CHECK_HELP: &str = "\
Exit codes of `check` (the monitoring plugin convention, in every output format):
  0  OK        the newest successful backup is recent, nothing else is wrong
  1  WARNING   older than --warn-age, no enabled schedule, or a required schedule disabled
  2  CRITICAL  older than --crit-age, no successful backup, the newest job failed, or a
               required schedule missing
  3  UNKNOWN   the appliance could not be reached or read within --time-limit, or the
               command line is wrong

Examples:
  # Nagios/Icinga:
  vcsa-backup --server vcsa.example.com --password-file /etc/vcsa/monitor.pw check -o nagios
  # Prometheus, through node_exporter's textfile collector (replaced atomically):
  vcsa-backup --server vcsa.example.com --password-file /etc/vcsa/monitor.pw check \\
      -o prometheus --output-file /var/lib/node_exporter/textfile/vcsa.prom";

/// `fleet --help`: the inventory's format in full, then the fleet's exit codes.
pub(crate) fn fleet_help() -> String {
    format!("{}\n\n{FLEET_EXIT_CODES}", crate::inventory::FORMAT)
}

const FLEET_EXIT_CODES: &str = "\
Exit codes: `fleet check` exits with the worst verdict, CRITICAL (2) over WARNING (1) over
UNKNOWN (3) over OK (0). `fleet backup` and `fleet list` exit 0 when every appliance
succeeded, otherwise with the first of these any appliance had: 2 (invalid input, such as a
schedule that does not exist), 5 (authentication), 7 (unexpected answer), 6 (connection),
4 (a backup already running), 3 (accepted outside --window, or, with --wait, still running
when --deadline passed or following it gave up), 1 (with --wait: a backup failed); 130 when
Ctrl-C stopped following (the backups go on). `fleet schedule apply` exits 0 when every
appliance's schedule matches or was made to; with --check, 1 when any differs; otherwise as
`fleet backup`. A bad inventory, an --only that selects nothing, or a group larger than --jobs
or --max-running, exits 2 before anything is sent.

Outages: an appliance that does not answer (no connection, no TLS handshake, no HTTP answer)
fails on its own after --time-limit and never holds up the appliances that share its
account; `fleet check` and `fleet list` end by --deadline (default 50s) whatever happens,
reporting the appliances not read by then. A passing failure (503, a connection reset) is
tried again within the time limit, or within --window for a backup start.";

/// `check`: thresholds and where the result goes.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// WARNING when the newest successful backup is older than this.
    #[arg(long, value_name = "DURATION", default_value = "26h", value_parser = humantime::parse_duration)]
    pub warn_age: Duration,

    /// CRITICAL when the newest successful backup is older than this.
    #[arg(long, value_name = "DURATION", default_value = "50h", value_parser = humantime::parse_duration)]
    pub crit_age: Duration,

    /// A failed newest job is a WARNING, not CRITICAL.
    #[arg(long)]
    pub failed_is_warning: bool,

    /// No enabled backup schedule is fine (backups are started from elsewhere, such as cron).
    #[arg(long)]
    pub no_schedule_ok: bool,

    /// This schedule must exist (CRITICAL otherwise) and be enabled (WARNING otherwise).
    #[arg(long, value_name = "ID")]
    pub require_schedule: Option<String>,

    /// A schedule's run that started no backup within this long of its time (in the appliance's
    /// time zone, by its clock) is missed: a WARNING that names it.
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = humantime::parse_duration)]
    pub missed_run_grace: Duration,

    /// CRITICAL when this many runs in a row were missed (0: missed runs stay a WARNING).
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub crit_missed_runs: u32,

    /// Look for the newest successful scheduled backup in the appliance's catalog at its
    /// location (WARNING when it is not there). The location's password comes from
    /// --location-password-file or VCSA_LOCATION_PASSWORD (none: a location without one).
    #[arg(long)]
    pub verify_archive: bool,

    /// The backup location's password for --verify-archive, on the file's first line.
    #[arg(long, value_name = "FILE", requires = "verify_archive")]
    pub location_password_file: Option<PathBuf>,

    /// Give up (UNKNOWN) after this long, log in included (`fleet check`: for each appliance);
    /// keep it under the monitoring system's own check timeout.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = positive_duration)]
    pub time_limit: Duration,

    /// Write the result to this file instead of standard output, replacing it atomically
    /// (a temporary file in the same folder, then a rename).
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
}

/// `fleet ...`.
#[derive(Debug, Subcommand)]
pub enum FleetCommand {
    /// Start a backup on every appliance (its schedule, `default` unless the inventory says
    /// otherwise); a group's backups all start within --window.
    Backup(FleetBackupArgs),
    /// Check every appliance's backup health, as `check` does for one.
    Check(FleetCheckArgs),
    /// List every appliance: its API flavour and newest job.
    List(FleetListArgs),
    /// Manage every appliance's backup schedule from the inventory.
    #[command(subcommand)]
    Schedule(FleetScheduleCommand),
}

/// What every `fleet` subcommand needs.
#[derive(Debug, Args)]
pub struct FleetArgs {
    /// The inventory file (TOML) naming the appliances.
    #[arg(long, short = 'i', value_name = "FILE")]
    pub inventory: PathBuf,

    /// Only the appliances whose name or group matches this pattern (`*`, `?` and `[abc]` as in
    /// a shell); repeat it or separate patterns with commas. Selecting none is an error.
    #[arg(long, value_name = "PATTERN", value_delimiter = ',')]
    pub only: Vec<String>,

    /// How many appliances to work on at once.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,
}

/// `fleet backup`.
#[derive(Debug, Args)]
pub struct FleetBackupArgs {
    /// The inventory and the concurrency.
    #[command(flatten)]
    pub fleet: FleetArgs,

    /// A group's start requests must all be accepted within this long of each other being
    /// sent (longer than zero); a group larger than --jobs is refused.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = positive_duration)]
    pub window: Duration,

    /// A comment stored with every backup.
    #[arg(long, short = 'c')]
    pub comment: Option<String>,

    /// Follow every backup that started to its end (--jobs appliances at a time), with a
    /// progress bar per appliance on a terminal and a line per change of state otherwise; the
    /// summary then gives each backup's end.
    #[arg(long)]
    pub wait: bool,

    /// With --wait: stop following once this long has passed since the command began (exit
    /// code 3). The summary says which backups had not ended; they go on on the appliances.
    #[arg(long, value_name = "DURATION", value_parser = positive_duration, requires = "wait")]
    pub deadline: Option<Duration>,

    /// With --wait: at most this many backups running at once across the fleet; a group
    /// starts once the running ones leave places for all its appliances (a group larger than
    /// this is refused before anything is sent). Every started backup is followed, whatever
    /// --jobs says.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..), requires = "wait")]
    pub max_running: Option<u16>,
}

/// The longest a fleet check or list may take in all unless told otherwise: below the
/// time-outs of common monitoring systems (a minute).
const FLEET_DEADLINE: &str = "50s";

/// `fleet list`.
#[derive(Debug, Args)]
pub struct FleetListArgs {
    /// The inventory and the concurrency.
    #[command(flatten)]
    pub fleet: FleetArgs,

    /// Stop once this long has passed since the command began: appliances not read by then
    /// are reported as such (exit code 3); those read keep their rows.
    #[arg(long, value_name = "DURATION", default_value = FLEET_DEADLINE, value_parser = positive_duration)]
    pub deadline: Duration,
}

/// `fleet check`.
#[derive(Debug, Args)]
pub struct FleetCheckArgs {
    /// The inventory and the concurrency.
    #[command(flatten)]
    pub fleet: FleetArgs,

    /// The thresholds, as for `check`.
    #[command(flatten)]
    pub check: CheckArgs,

    /// Stop once this long has passed since the command began: appliances not read by then are
    /// UNKNOWN; those read keep their verdicts. Keep it under the monitoring system's own check
    /// timeout. Appliances that do not answer take --time-limit each, --jobs at a time.
    #[arg(long, value_name = "DURATION", default_value = FLEET_DEADLINE, value_parser = positive_duration)]
    pub deadline: Duration,
}

const TRUST_EXAMPLES: &str = "\
Examples:
  # What the appliance presents, and how to pin it:
  vcsa-backup trust vcsa.example.com

  # Once checked, pin it for the commands of this shell:
  export VCSA_THUMBPRINT=AB:CD:...
  vcsa-backup --server vcsa.example.com parts";

/// `trust`.
#[derive(Debug, Args)]
pub struct TrustArgs {
    /// The appliance: a host name, `host:port` or `https://` URL [default: --server, or the
    /// configuration file's appliance].
    // Its own id: `server` is the global --server's.
    #[arg(id = "trust_server", value_name = "SERVER")]
    pub server: Option<String>,
}

/// `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The subcommand whose page to print, such as `schedule create`; none for the main page.
    #[arg(value_name = "SUBCOMMAND", conflicts_with = "out")]
    pub command: Vec<String>,

    /// Write every page, as `NAME.1`, into this folder (created if missing) instead.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `status`: one job, optionally followed.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The job's id, as printed by `backup` or `list` (such as `20250131-020000-24322831`).
    pub job_id: String,

    /// Follow the job to the end, showing its progress, and exit with its outcome.
    #[arg(long, short = 'w')]
    pub wait: bool,

    /// Give up waiting after this long (exit code 3).
    #[arg(long, value_name = "DURATION", value_parser = positive_duration, requires = "wait")]
    pub deadline: Option<Duration>,
}

/// `list`: how many jobs.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Show at most this many jobs, newest first.
    #[arg(long, short = 'n', default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
}

/// A job to act on.
#[derive(Debug, Args)]
pub struct JobArgs {
    /// The job's id, as printed by `backup` or `list`.
    pub job_id: String,
}

/// `demo`.
#[cfg(feature = "demo")]
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How long the simulated backup takes.
    #[arg(long, value_name = "DURATION", default_value = "6s", value_parser = humantime::parse_duration)]
    pub job_duration: Duration,
}

impl FlavourArg {
    /// The flavour to speak, or `None` to let the client find it out.
    pub fn chosen(self) -> Option<vcsa_backup::Flavour> {
        match self {
            Self::Api => Some(vcsa_backup::Flavour::Api),
            Self::Rest => Some(vcsa_backup::Flavour::Rest),
            Self::Auto => None,
        }
    }
}

/// A duration such as `30s` or `2m`, longer than zero: a zero time-out or limit could never be
/// met.
pub fn positive_duration(text: &str) -> Result<Duration, String> {
    match humantime::parse_duration(text) {
        Ok(d) if d.is_zero() => Err(
            "must be longer than zero, since a zero one could never be met; give one such as 30s or 4h"
                .into(),
        ),
        Ok(d) => Ok(d),
        Err(e) => Err(format!("{e}; give a duration such as 30s, 90m or 4h")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn passwords_cannot_be_given_as_arguments() {
        // Every option that takes a value, in every subcommand at every depth.
        fn options_with_values(command: &clap::Command, found: &mut Vec<String>) {
            found.extend(
                command
                    .get_arguments()
                    .filter(|a| a.get_action().takes_values())
                    .map(|a| a.get_id().to_string()),
            );
            for sub in command.get_subcommands() {
                options_with_values(sub, found);
            }
        }
        let mut every_arg = Vec::new();
        options_with_values(&Cli::command(), &mut every_arg);
        assert!(every_arg.iter().any(|id| id == "location_password_file"));
        for id in every_arg {
            assert!(
                !id.contains("password") || id.ends_with("_file"),
                "{id} would put a password on the command line"
            );
        }
    }
}
