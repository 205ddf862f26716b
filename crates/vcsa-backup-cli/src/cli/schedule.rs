//! `schedule ...`: the appliance's backup schedules, their settings as options.

use clap::{Args, Subcommand};
use vcsa_backup::DayOfWeek;

use super::{StartArgs, TargetArgs};

/// `schedule ...`.
#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// List the appliance's backup schedules, with when each runs next.
    List,
    /// Show one schedule's settings and when it runs next.
    Show(ScheduleIdArgs),
    /// Create a schedule on the appliance.
    ///
    /// An appliance keeps one schedule, `default`: change it with `update` or `apply`, or
    /// delete it first.
    ///
    /// Without --part, the schedule backs up the parts the appliance selects by default
    /// (`vcsa-backup parts` shows them), as its own interface does, and says which on standard
    /// error; --part common (or --no-default-parts) backs up the core configuration only.
    /// Without --at the schedule would never run on its own: that is refused unless --run-only
    /// says so.
    #[command(after_long_help = CREATE_EXAMPLES)]
    Create(ScheduleCreateArgs),
    /// Change some settings of a schedule; every option left out keeps its value.
    ///
    /// Without --part the schedule keeps its parts; --no-default-parts sets them to the core
    /// configuration only. An update cannot remove a setting (the time, the retention, the location user): use
    /// `schedule apply --recreate` for that.
    Update(ScheduleUpdateArgs),
    /// Delete a schedule; the backups it made stay where they are.
    ///
    /// On a terminal, asks for confirmation first; elsewhere (scripts, cron) --yes is needed.
    Delete(ScheduleDeleteArgs),
    /// Make a schedule match the options: create it when it is missing, change only the
    /// settings that differ, or change nothing.
    ///
    /// Exits 0 whether or not something changed; with --check, exits 1 when something would
    /// change (for configuration drift checks). Settings left out take their defaults (no time,
    /// every backup kept, enabled, the parts the appliance selects by default, said on standard
    /// error), as in `schedule create`; --part common (or --no-default-parts) means the core
    /// configuration only.
    #[command(after_long_help = APPLY_EXAMPLES)]
    Apply(ScheduleApplyArgs),
    /// Start a backup now with the settings of a schedule defined on the appliance.
    Run(ScheduleRunArgs),
}

const CREATE_EXAMPLES: &str = "\
Examples:
  # An appliance keeps one schedule, `default`: to create it anew, delete it first (or change
  # it in place with `schedule update default` or `schedule apply default`).
  vcsa-backup schedule delete default --yes

  # Every night at 23:30 (appliance time), keep the newest 7 backups, with statistics:
  vcsa-backup schedule create default --location sftp://backup.example.com/vcsa \\
      --location-user backup --location-password-file /etc/vcsa/sftp.pw \\
      --at 23:30 --part seat --keep 7

  # Then Mondays, Wednesdays and Fridays at 02:00, encrypted:
  vcsa-backup schedule update default --at 2:00 --days mon,wed,fri \\
      --backup-password-file /etc/vcsa/backup.pw";

const APPLY_EXAMPLES: &str = "\
Examples:
  # In configuration management: converge, then check for drift later:
  vcsa-backup schedule apply default --location sftp://backup.example.com/vcsa \\
      --location-user backup --at 23:00 --keep 7
  vcsa-backup schedule apply default --location sftp://backup.example.com/vcsa \\
      --location-user backup --at 23:00 --keep 7 --check   # exits 1 if it differs";

/// A schedule to act on.
#[derive(Debug, Args)]
pub struct ScheduleIdArgs {
    /// The schedule's id (the appliance's own interface manages the one named `default`).
    pub schedule: String,
}

/// `schedule delete`.
#[derive(Debug, Args)]
pub struct ScheduleDeleteArgs {
    /// The schedule's id (the appliance's own interface manages the one named `default`).
    pub schedule: String,

    /// Delete without asking (for scripts; without a terminal, this is required).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// The settings of a schedule, as `create`, `update` and `apply` take them.
#[derive(Debug, Args)]
pub struct ScheduleOptions {
    /// The credentials, parts and encryption.
    #[command(flatten)]
    pub target: TargetArgs,

    /// The time the backup runs, on the appliance's 24-hour clock and in its time zone
    /// (`schedule list` shows the zone), such as `23:30`.
    #[arg(long, value_name = "HH:MM", value_parser = parse_time)]
    pub at: Option<TimeOfDay>,

    /// The days it runs, such as `mon,wed,fri`, a range such as `mon-fri`, `weekdays` or
    /// `weekends`; without it, every day. Needs a time: --at, or in an update the schedule's
    /// own.
    #[arg(long, value_name = "DAYS", value_delimiter = ',', value_parser = day_word)]
    pub days: Vec<String>,

    /// Keep the newest N backups of this schedule; the appliance removes older ones every
    /// day at 00:00 UTC. Without it, every backup is kept.
    #[arg(long, value_name = "N")]
    pub keep: Option<u32>,

    /// Use fast backup (schedules: vSphere 8.0 and later; backup jobs: 7.0 U2).
    #[arg(long, conflicts_with = "no_fast")]
    pub fast: bool,

    /// Do not use fast backup.
    #[arg(long)]
    pub no_fast: bool,

    /// Let the schedule run on its own (the default for a new schedule).
    #[arg(long, conflicts_with = "disable")]
    pub enable: bool,

    /// Keep the schedule, but do not let it run on its own (`schedule run` still runs it).
    #[arg(long)]
    pub disable: bool,
}

impl ScheduleOptions {
    /// `--enable` or `--disable`, when given.
    pub fn enabled(&self) -> Option<bool> {
        match (self.enable, self.disable) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }

    /// `--fast` or `--no-fast`, when given.
    pub fn fast_backup(&self) -> Option<bool> {
        match (self.fast, self.no_fast) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

/// `schedule create`.
#[derive(Debug, Args)]
pub struct ScheduleCreateArgs {
    /// The new schedule's id: letters, digits, `-`, `_` or `.` (`default`, as the appliance's
    /// own interface names its one schedule).
    pub schedule: String,

    /// The root of the backup location, such as `sftp://host/path`, `nfs://host:/export/path`
    /// or `smb://server/share/path`: each backup goes into its own folder under it
    /// (`vCenter/sn_<system name>/S_<version>_<time>_`).
    #[arg(long, short = 'l', value_name = "URL")]
    pub location: String,

    /// The schedule's settings.
    #[command(flatten)]
    pub options: ScheduleOptions,

    /// Create a schedule without a time, which runs only with `vcsa-backup schedule run`.
    #[arg(long, conflicts_with_all = ["at", "days"])]
    pub run_only: bool,
}

/// `schedule update`.
#[derive(Debug, Args)]
pub struct ScheduleUpdateArgs {
    /// The schedule's id.
    pub schedule: String,

    /// A new root for the backup location.
    #[arg(long, short = 'l', value_name = "URL")]
    pub location: Option<String>,

    /// The settings to change.
    #[command(flatten)]
    pub options: ScheduleOptions,
}

/// `schedule apply`.
#[derive(Debug, Args)]
pub struct ScheduleApplyArgs {
    /// The schedule's id.
    pub schedule: String,

    /// The root of the backup location, as for `schedule create`.
    #[arg(long, short = 'l', value_name = "URL")]
    pub location: String,

    /// The schedule's settings.
    #[command(flatten)]
    pub options: ScheduleOptions,

    /// How the apply goes.
    #[command(flatten)]
    pub mode: ApplyMode,
}

/// How `schedule apply` and `fleet schedule apply` go: a dry run, a drift check, a recreate,
/// passwords sent again.
#[derive(Debug, Args)]
pub struct ApplyMode {
    /// Print what would change, and change nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Like --dry-run, and exit 1 when a schedule would change.
    #[arg(long)]
    pub check: bool,

    /// When the desired settings remove one that an update cannot remove (the time, the
    /// retention, the location user), delete the schedule and create it again. Every password
    /// is set anew then: the backup server's and, for encrypted backups, the encryption
    /// password.
    #[arg(long)]
    pub recreate: bool,

    /// Also send the passwords given to an existing schedule, replacing the stored ones. The
    /// appliance never returns them, so they cannot be compared: without this option they are
    /// sent only when the schedule is created or its location user changes.
    #[arg(long)]
    pub send_passwords: bool,
}

impl ApplyMode {
    /// Whether nothing may change (--dry-run or --check).
    pub fn changes_nothing(&self) -> bool {
        self.dry_run || self.check
    }

    /// The SDK's options for a change in this mode (the caller decides about a dry run).
    pub fn options(&self) -> vcsa_backup::ApplyOptions {
        vcsa_backup::ApplyOptions::new()
            .allow_recreate(self.recreate)
            .send_passwords(self.send_passwords)
    }
}

/// `schedule run`.
#[derive(Debug, Args)]
pub struct ScheduleRunArgs {
    /// The schedule's id, as shown in the appliance's management interface (often `default`).
    pub schedule: String,

    /// A comment stored with the backup.
    #[arg(long, short = 'c')]
    pub comment: Option<String>,

    /// How to start and follow it.
    #[command(flatten)]
    pub start: StartArgs,
}

/// A time of day as typed: its range is checked with the rest of the schedule, so that every
/// problem is reported at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeOfDay {
    /// The hour as typed.
    pub hour: u32,
    /// The minute as typed.
    pub minute: u32,
}

/// A day as typed (`mon`, `Monday`), a range of days (`mon-fri`, `fri-mon` across the week's
/// end), `weekdays` or `weekends`. A single word's name is checked with the rest of the
/// schedule; an empty one (`--days ''`, `--days ,,`) or a range whose ends are not days is
/// refused here rather than read as every day.
pub fn day_word(text: &str) -> Result<String, String> {
    let day = text.trim();
    if day.is_empty() {
        return Err(
            "a day is empty; give days such as mon,wed,fri, mon-fri or weekdays, or leave \
             --days out for every day"
                .into(),
        );
    }
    if let Some((from, to)) = day.split_once('-')
        && (DayOfWeek::parse(from).is_none() || DayOfWeek::parse(to).is_none())
    {
        return Err(format!(
            "\"{day}\" is not a range of days; write one as mon-fri, from the first day to the \
             last"
        ));
    }
    Ok(day.to_string())
}

/// The days that `--days` words name, in the order given, each once; a word that is no day
/// goes on as typed, for the schedule's checks to name it.
pub fn days(words: &[String]) -> Vec<DayOfWeek> {
    let mut days: Vec<DayOfWeek> = Vec::new();
    for word in words {
        let named: Vec<DayOfWeek> = match word.to_ascii_lowercase().as_str() {
            "weekdays" => DayOfWeek::WEEK[..5].to_vec(),
            "weekends" => DayOfWeek::WEEK[5..].to_vec(),
            _ => match word
                .split_once('-')
                .map(|(a, b)| (DayOfWeek::parse(a), DayOfWeek::parse(b)))
            {
                Some((Some(from), Some(to))) => range(&from, &to),
                _ => vec![DayOfWeek::parse(word).unwrap_or_else(|| DayOfWeek::from(word.as_str()))],
            },
        };
        for day in named {
            if !days.contains(&day) {
                days.push(day);
            }
        }
    }
    days
}

/// `from` to `to` inclusive, going on past Sunday to Monday when `to` comes first.
fn range(from: &DayOfWeek, to: &DayOfWeek) -> Vec<DayOfWeek> {
    let index = |d: &DayOfWeek| DayOfWeek::WEEK.iter().position(|w| w == d).unwrap_or(0);
    let (start, end) = (index(from), index(to));
    let length = (end + 7 - start) % 7 + 1;
    (0..length)
        .map(|i| DayOfWeek::WEEK[(start + i) % 7].clone())
        .collect()
}

/// `HH:MM` (or `H:MM`): two numbers and a colon.
pub fn parse_time(text: &str) -> Result<TimeOfDay, String> {
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    text.trim()
        .split_once(':')
        .and_then(|(h, m)| {
            Some(TimeOfDay {
                hour: number(h)?,
                minute: number(m)?,
            })
        })
        .ok_or_else(|| {
            "write the time as HH:MM on the appliance's 24-hour clock, such as 23:30".to_string()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_take_names_ranges_and_weekdays_or_weekends() {
        use DayOfWeek::*;
        let cases: &[(&[&str], &[DayOfWeek])] = &[
            (&["mon", "Wednesday", "FRI"], &[Monday, Wednesday, Friday]),
            (
                &["mon-fri"],
                &[Monday, Tuesday, Wednesday, Thursday, Friday],
            ),
            (&["fri-mon"], &[Friday, Saturday, Sunday, Monday]),
            (&["sat-sat"], &[Saturday]),
            (
                &["weekdays"],
                &[Monday, Tuesday, Wednesday, Thursday, Friday],
            ),
            (&["Weekends"], &[Saturday, Sunday]),
            (&["weekends", "sun", "mon"], &[Saturday, Sunday, Monday]),
        ];
        for (words, expected) in cases {
            let words: Vec<String> = words.iter().map(|w| day_word(w).unwrap()).collect();
            assert_eq!(days(&words), *expected, "{words:?}");
        }
        // A word that is no day goes on as typed, for the schedule's checks to name.
        assert_eq!(days(&["funday".to_string()]), [DayOfWeek::from("funday")]);
        for bad in ["", " ", "mon-", "-fri", "mon-funday", "weekdays-fri"] {
            assert!(day_word(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn times_are_two_numbers_whose_range_is_checked_later() {
        let t = |h, m| Ok(TimeOfDay { hour: h, minute: m });
        assert_eq!(parse_time("23:30"), t(23, 30));
        assert_eq!(parse_time("2:05"), t(2, 5));
        assert_eq!(parse_time("24:60"), t(24, 60));
        for bad in [
            "", "7pm", "23", "23:", ":30", "23:30:00", "-1:00", "123:00", "2 :00",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }
}
