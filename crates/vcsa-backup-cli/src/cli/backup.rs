//! `backup` and `validate`: where a backup goes, what it holds, and how it is started and
//! followed.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::positive_duration;

pub(super) const BACKUP_EXAMPLES: &str = "\
Examples:
  # Back up to an SFTP server and wait for the end, asking for both passwords:
  vcsa-backup --server vcsa.example.com backup --location sftp://backup.example.com/vcsa \\
      --location-user backup --wait

  # In cron, every night: each backup in a fresh folder under the root, beside the
  # scheduled ones; passwords from files, encrypted, behind a scheduled backup if one runs:
  vcsa-backup --server vcsa.example.com --password-file /etc/vcsa/admin.pw -q backup \\
      --into nfs://10.0.0.5:/export/vcsa --backup-password-file /etc/vcsa/backup.pw \\
      --when-idle --wait --deadline 4h";

/// Where and what to back up, for `validate`.
#[derive(Debug, Args)]
pub struct RequestArgs {
    /// Where the backup would go: `sftp://host/path`, `ftp://`, `ftps://`, `http://`,
    /// `https://`, `scp://`, `smb://server/share/path` or `nfs://host:/export/path`.
    #[arg(long, short = 'l', value_name = "URL")]
    pub location: String,

    /// What to back up, and how.
    #[command(flatten)]
    pub settings: BackupSettings,
}

/// The settings of a backup besides its location: shared by `backup` and `validate`.
#[derive(Debug, Args)]
pub struct BackupSettings {
    /// The protocol, when the location has no scheme (otherwise it is taken from the URL).
    #[arg(long, value_enum)]
    pub location_type: Option<vcsa_backup::LocationType>,

    /// The credentials, parts and encryption.
    #[command(flatten)]
    pub target: TargetArgs,

    /// A comment stored with the backup.
    #[arg(long, short = 'c')]
    pub comment: Option<String>,

    /// Use fast backup (backup jobs: vSphere 7.0 U2 and later; schedules: 8.0): quicker, with a short interruption of the
    /// vCenter services.
    #[arg(long)]
    pub fast: bool,
}

/// Where `backup` writes: exactly at a location, or in a fresh folder under a root.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct Destination {
    /// Back up exactly into this folder: `sftp://host/path`, `ftp://`, `ftps://`, `http://`,
    /// `https://`, `scp://`, `smb://server/share/path` or `nfs://host:/export/path`. The
    /// folder must not already hold a backup: for a backup every night, use --into.
    #[arg(long, short = 'l', value_name = "URL")]
    pub location: Option<String>,

    /// Back up into a fresh folder under this root, in the appliance's layout, as its own
    /// interface does: `ROOT/vCenter/sn_<system name>/M_<version>_<YYYYMMDD-hhmmss>_` (the
    /// appliance's local time). Scheduled backups with this root go beside them, and
    /// `vcsa-backup archives list --location ROOT` lists them all.
    #[arg(long, value_name = "ROOT")]
    pub into: Option<String>,
}

/// How `--into` names the folder, when the appliance's history cannot say.
#[derive(Debug, Args)]
pub struct LayoutArgs {
    /// With --into: the appliance's system name (its host name, as its management interface
    /// shows it). Found in the job history or at the root when left out.
    #[arg(long, value_name = "NAME", conflicts_with = "location")]
    pub system_name: Option<String>,

    /// With --into: the appliance's version, such as `8.0.3.00400`. Found in the job history
    /// when left out.
    #[arg(long, value_name = "VERSION", conflicts_with = "location")]
    pub appliance_version: Option<String>,
}

/// The backup server's credentials, the parts and the encryption: shared by `backup`,
/// `validate` and the schedule commands.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// The user name on the backup server. Its password comes from VCSA_LOCATION_PASSWORD,
    /// from --location-password-file, or is asked for on the terminal.
    #[arg(long, value_name = "USER")]
    pub location_user: Option<String>,

    /// Read the backup server's password from the first line of this file.
    #[arg(long, value_name = "FILE", requires = "location_user")]
    pub location_password_file: Option<PathBuf>,

    /// A part to back up besides the core configuration, such as `seat` (statistics, events
    /// and tasks) or `supervisors`; repeat it or separate with commas. `vcsa-backup parts`
    /// lists them; `--part common` alone means the core configuration only. The command's
    /// description says what it sends without it.
    #[arg(long = "part", short = 'p', value_name = "PART", value_delimiter = ',', value_parser = part_name)]
    pub parts: Vec<String>,

    /// The core configuration only, without the parts the appliance selects by default (the
    /// same as `--part common`).
    #[arg(long, conflicts_with = "parts")]
    pub no_default_parts: bool,

    /// Encrypt the backups, asking for the encryption password on the terminal. It is needed
    /// again to restore: keep it safe.
    #[arg(long, conflicts_with = "backup_password_file")]
    pub encrypt: bool,

    /// Encrypt the backups with the password on the first line of this file. The
    /// VCSA_BACKUP_PASSWORD environment variable does the same.
    #[arg(long, value_name = "FILE")]
    pub backup_password_file: Option<PathBuf>,
}

/// `backup`: a request plus how to follow it.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to back up.
    #[command(flatten)]
    pub destination: Destination,

    /// How `--into` names the folder.
    #[command(flatten)]
    pub layout: LayoutArgs,

    /// What to back up, and how.
    #[command(flatten)]
    pub settings: BackupSettings,

    /// How to start and follow it.
    #[command(flatten)]
    pub start: StartArgs,
}

/// How `backup` and `schedule run` start a job and follow it.
#[derive(Debug, Args)]
pub struct StartArgs {
    /// Follow the job to the end, showing its progress, and exit with its outcome.
    #[arg(long, short = 'w')]
    pub wait: bool,

    /// If another backup or restore is running, wait for it to end, then start this one
    /// (instead of failing with exit code 4).
    #[arg(long)]
    pub when_idle: bool,

    /// Give up waiting after this long, such as `90m` or `4h` (exit code 3). The job itself
    /// goes on: cancel it with `vcsa-backup cancel`.
    #[arg(long, value_name = "DURATION", value_parser = positive_duration)]
    pub deadline: Option<Duration>,
}

/// A part's id, such as `seat`: an empty one (`--part ''`, `--part ,,`) is refused rather than
/// read as no part at all.
fn part_name(text: &str) -> Result<String, String> {
    let part = text.trim();
    if part.is_empty() {
        return Err(
            "a part's name is empty; give parts such as `seat` (`vcsa-backup parts` lists \
             them), or leave --part out for the core configuration only"
                .into(),
        );
    }
    Ok(part.to_string())
}
