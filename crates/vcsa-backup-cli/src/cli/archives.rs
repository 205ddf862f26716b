//! `archives ...`: the backup catalog at a backup location.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use clap::{Args, Subcommand};

/// `archives ...`.
#[derive(Debug, Subcommand)]
pub enum ArchivesCommand {
    /// List the backups at a location, newest first: every appliance's, or one's.
    #[command(after_long_help = LIST_EXAMPLES)]
    List(ArchivesListArgs),
    /// Show one backup at a location: when it completed, its parts, version and comment.
    Show(ArchivesShowArgs),
}

const LIST_EXAMPLES: &str = "\
Examples:
  # Every backup at the location, of every appliance that writes there:
  vcsa-backup archives list --location sftp://backup.example.com/vcsa --location-user backup

  # The newest 5 backups of one appliance taken in May 2024, before an upgrade:
  vcsa-backup archives list --location nfs://10.0.0.5:/export/vcsa \\
      --system-name vcsa.example.com --since 2024-05-01 --until 2024-05-31 \\
      --comment upgrade --limit 5";

/// Where the catalog is read: the root of a backup location and its credentials.
#[derive(Debug, Args)]
pub struct CatalogLocation {
    /// The root of the backup location, as a schedule's: the folder that holds `vCenter/`,
    /// such as `sftp://backup.example.com/vcsa`. The appliance reads it, not this tool.
    #[arg(long, short = 'l', value_name = "URL")]
    pub location: String,

    /// The user name on the backup server. Its password comes from VCSA_LOCATION_PASSWORD,
    /// from --location-password-file, or is asked for on the terminal.
    #[arg(long, value_name = "USER")]
    pub location_user: Option<String>,

    /// Read the backup server's password from the first line of this file.
    #[arg(long, value_name = "FILE", requires = "location_user")]
    pub location_password_file: Option<PathBuf>,
}

/// `archives list`.
#[derive(Debug, Args)]
pub struct ArchivesListArgs {
    /// The backup location.
    #[command(flatten)]
    pub location: CatalogLocation,

    /// Only the backups of this appliance: its system name (its host name), as the location's
    /// `vCenter/sn_<system name>` folder names it. Without it, every appliance's.
    #[arg(long, value_name = "NAME")]
    pub system_name: Option<String>,

    /// Only backups taken on or after this time: `2024-05-31`, `2024-05-31 23:00` (UTC), or
    /// RFC 3339 such as `2024-05-31T23:00:00+02:00`.
    #[arg(long, value_name = "TIME", value_parser = parse_since)]
    pub since: Option<DateTime<Utc>>,

    /// Only backups taken on or before this time; a date alone means the end of that day (UTC).
    #[arg(long, value_name = "TIME", value_parser = parse_until)]
    pub until: Option<DateTime<Utc>>,

    /// Only backups whose comment contains this text.
    #[arg(long, short = 'c', value_name = "TEXT")]
    pub comment: Option<String>,

    /// Show at most this many backups, newest first (the appliance's own limit is 128 per
    /// appliance).
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<u32>,
}

/// `archives show`.
#[derive(Debug, Args)]
pub struct ArchivesShowArgs {
    /// The backup location.
    #[command(flatten)]
    pub location: CatalogLocation,

    /// The appliance's system name, as `archives list` shows it.
    pub system_name: String,

    /// The backup's id: its folder name, as `archives list` shows it
    /// (such as `S_8.0.3.00400_20240531-230000_`).
    pub archive: String,
}

/// The start of a period: a date means its first second.
fn parse_since(text: &str) -> Result<DateTime<Utc>, String> {
    parse_time(text, false)
}

/// The end of a period: a date means its last second.
fn parse_until(text: &str) -> Result<DateTime<Utc>, String> {
    parse_time(text, true)
}

fn parse_time(text: &str, end_of_day: bool) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(t.and_utc());
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let time = if end_of_day {
            date.and_hms_opt(23, 59, 59)
        } else {
            date.and_hms_opt(0, 0, 0)
        };
        if let Some(t) = time {
            return Ok(t.and_utc());
        }
    }
    Err(
        "write a date such as 2024-05-31, a date and time in UTC such as \"2024-05-31 23:00\", \
         or RFC 3339 such as 2024-05-31T23:00:00+02:00"
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_as_dates_utc_or_rfc3339() {
        let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(parse_since("2024-05-31"), Ok(utc("2024-05-31T00:00:00Z")));
        assert_eq!(parse_until("2024-05-31"), Ok(utc("2024-05-31T23:59:59Z")));
        assert_eq!(
            parse_since("2024-05-31 23:00"),
            Ok(utc("2024-05-31T23:00:00Z"))
        );
        assert_eq!(
            parse_until("2024-05-31T23:00:00+02:00"),
            Ok(utc("2024-05-31T21:00:00Z"))
        );
        for bad in ["", "yesterday", "2024-13-01", "31.05.2024"] {
            assert!(parse_since(bad).is_err(), "{bad}");
        }
    }
}
