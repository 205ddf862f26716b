//! `restore ...` and `reconcile ...`: restoring a backup into a freshly deployed appliance, and
//! reconciling it with its linked partners afterwards.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};

use super::positive_duration;

pub(crate) const RESTORE_HELP: &str = "\
The appliance to restore into is freshly deployed (stage 1 of the installer done) and awaits a
restore: it serves the recovery API on its management port, 5480, and logs in `root`:
  --server vcsa-new.example.com:5480 --user root

Examples:
  # Is the newest backup of vcsa-01 restorable here?
  vcsa-backup --server vcsa-new:5480 --user root --password-file root.pw restore validate \\
      --location sftp://backup.example.com/vcsa --location-user backup --system-name vcsa-01.example.com

  # Restore it, following the appliance through the restart of its services:
  vcsa-backup --server vcsa-new:5480 --user root --password-file root.pw restore start \\
      --location sftp://backup.example.com/vcsa --location-user backup \\
      --system-name vcsa-01.example.com --backup-password-file backup.pw \\
      --sso-user administrator@vsphere.local --sso-password-file sso.pw --wait

Exit codes: 0 done (validate: restorable); 1 the backup cannot be restored here (validate),
the restore failed, or the cancel was refused; 2 a refused request: the appliance does not
await a restore, no backup at the location, a wrong encryption password or credentials; 3
--deadline passed (the restore goes on); 4 a backup or restore already runs; 5 the log in was
refused; 6 the appliance stayed unreachable for longer than --outage; 8 the start's answer
was lost and its status could not be read.";

/// `restore ...`.
#[derive(Debug, Subcommand)]
pub enum RestoreCommand {
    /// Ask the appliance whether the backup can be restored on it, without restoring.
    Validate(RestoreArgs),
    /// Validate, then start the restore; with --wait, follow it to its end.
    Start(RestoreStartArgs),
    /// Show the restore's state and progress; with --wait, follow it to its end.
    Status(RecoveryWaitArgs),
    /// Ask the appliance to cancel the restore.
    Cancel,
}

/// The backup to restore and the credentials to read it.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup's own folder, such as
    /// `sftp://host/vcsa/vCenter/sn_vcsa-01/S_8.0.3.00400_20250102-101501_`; or, with
    /// --system-name, the root of the backup location (the folder that holds `vCenter/`).
    #[arg(long, short = 'l', value_name = "URL")]
    pub location: String,

    /// Take the backup from the catalog at --location: the system name (host name) of the
    /// appliance it came from.
    #[arg(long, value_name = "NAME")]
    pub system_name: Option<String>,

    /// With --system-name: the backup's id (its folder's name, as `archives list` shows it);
    /// without it, the newest backup.
    #[arg(long, value_name = "ID", requires = "system_name")]
    pub archive: Option<String>,

    /// The user name on the backup server. Its password comes from VCSA_LOCATION_PASSWORD,
    /// from --location-password-file, or is asked for on the terminal.
    #[arg(long, value_name = "USER")]
    pub location_user: Option<String>,

    /// Read the backup server's password from the first line of this file.
    #[arg(long, value_name = "FILE", requires = "location_user")]
    pub location_password_file: Option<PathBuf>,

    /// Read the backup's encryption password from the first line of this file. The
    /// VCSA_BACKUP_PASSWORD environment variable does the same; --encrypted asks for it.
    #[arg(long, value_name = "FILE")]
    pub backup_password_file: Option<PathBuf>,

    /// The backup is encrypted: ask for its password on the terminal.
    #[arg(long, conflicts_with = "backup_password_file")]
    pub encrypted: bool,

    /// The SSO administrator (needed for an embedded or management node). The password comes
    /// from VCSA_SSO_PASSWORD, from --sso-password-file, or is asked for on the terminal.
    #[arg(long, value_name = "USER")]
    pub sso_user: Option<String>,

    /// Read the SSO administrator's password from the first line of this file.
    #[arg(long, value_name = "FILE", requires = "sso_user")]
    pub sso_password_file: Option<PathBuf>,

    /// Restore only this part (vSphere 8.0 Update 3 and later; repeat it or separate with
    /// commas). Without it, every part of the backup.
    #[arg(long = "part", short = 'p', value_name = "PART", value_delimiter = ',')]
    pub parts: Vec<String>,
}

/// `restore start`.
#[derive(Debug, Args)]
pub struct RestoreStartArgs {
    /// The backup and the credentials.
    #[command(flatten)]
    pub restore: RestoreArgs,

    /// Go ahead although validation warned (read the warnings `restore validate` prints
    /// first). Without it, warnings stop the restore.
    #[arg(long)]
    pub ignore_warnings: bool,

    /// How to follow it.
    #[command(flatten)]
    pub wait: RecoveryWaitArgs,
}

/// Following a restore or a reconciliation.
#[derive(Debug, Args)]
pub struct RecoveryWaitArgs {
    /// Follow it to its end, with its progress; the exit code says how it ended.
    #[arg(long)]
    pub wait: bool,

    /// With --wait: ride out the appliance not answering, refusing sessions or answering 503
    /// for this long in a row (its services restart during a restore).
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = positive_duration, requires = "wait")]
    pub outage: Duration,

    /// With --wait: stop following after this long (exit code 3); the job goes on.
    #[arg(long, value_name = "DURATION", value_parser = positive_duration, requires = "wait")]
    pub deadline: Option<Duration>,
}

/// `reconcile ...`.
#[derive(Debug, Subcommand)]
pub enum ReconcileCommand {
    /// Start the reconciliation of a restored appliance with its linked partners; with
    /// --wait, follow it to its end.
    Start(ReconcileStartArgs),
    /// Show the reconciliation job; with --wait, follow it to its end.
    Status(RecoveryWaitArgs),
}

/// `reconcile start`.
#[derive(Debug, Args)]
pub struct ReconcileStartArgs {
    /// The SSO administrator. The password comes from VCSA_SSO_PASSWORD, from
    /// --sso-password-file, or is asked for on the terminal.
    #[arg(long, value_name = "USER")]
    pub sso_user: String,

    /// Read the SSO administrator's password from the first line of this file.
    #[arg(long, value_name = "FILE")]
    pub sso_password_file: Option<PathBuf>,

    /// Go ahead despite warnings.
    #[arg(long)]
    pub ignore_warnings: bool,

    /// How to follow it.
    #[command(flatten)]
    pub wait: RecoveryWaitArgs,
}
