//! An inventory's `schedule` setting: the id of the schedule `fleet backup` runs, or a table
//! declaring that schedule's settings for `fleet schedule apply`.

use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;
use vcsa_backup::fleet::DEFAULT_SCHEDULE;

use super::Reader;
use super::sources::PasswordSource;

/// A schedule table as written: the keys of `schedule apply`'s options.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    id: Option<String>,
    location: Option<String>,
    location_user: Option<String>,
    location_password_file: Option<PathBuf>,
    location_password_env: Option<String>,
    backup_password_file: Option<PathBuf>,
    backup_password_env: Option<String>,
    parts: Option<Vec<String>>,
    at: Option<String>,
    days: Option<String>,
    keep: Option<u32>,
    fast: Option<bool>,
    enabled: Option<bool>,
}

/// The schedule an appliance should have, as its inventory declares it: the settings are
/// checked by the schedule's own rules when they are applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesiredSchedule {
    /// Where it is declared: its line in the inventory.
    pub line: usize,
    /// The root of the backup location.
    pub location: String,
    /// The user on the backup server.
    pub location_user: Option<String>,
    /// Where the backup server's password comes from.
    pub location_password: Option<PasswordSource>,
    /// Where the encryption password comes from.
    pub backup_password: Option<PasswordSource>,
    /// The parts besides the core configuration (none: the core configuration only).
    pub parts: Vec<String>,
    /// The time, `HH:MM` as written.
    pub at: Option<String>,
    /// The days, as `--days` takes them.
    pub days: Vec<String>,
    /// How many backups to keep.
    pub keep: Option<u32>,
    /// Fast backup.
    pub fast: Option<bool>,
    /// Whether it runs on its own.
    pub enabled: Option<bool>,
}

const HOW: &str = "see the schedule keys in `vcsa-backup fleet --help`";

impl Reader<'_> {
    /// The schedule id and, for a table, the declared schedule (`None` after a problem).
    pub(super) fn schedule(
        &mut self,
        raw: Option<&Spanned<toml::Value>>,
        entry: Option<&str>,
    ) -> (String, Option<DesiredSchedule>) {
        let Some(raw) = raw else {
            return (DEFAULT_SCHEDULE.into(), None);
        };
        let table = match raw.get_ref() {
            toml::Value::String(id) => return (id.trim().to_string(), None),
            toml::Value::Table(_) => raw.get_ref().clone().try_into::<Table>(),
            _ => {
                self.problem(
                    raw,
                    entry,
                    format!(
                        "schedule must be a schedule's id, such as schedule = \"default\", or a \
                         table of its settings; {HOW}"
                    ),
                );
                return (DEFAULT_SCHEDULE.into(), None);
            }
        };
        let table = match table {
            Ok(table) => table,
            Err(e) => {
                let message = e.message().trim_end().to_string();
                self.problem(raw, entry, format!("schedule: {message}; {HOW}"));
                return (DEFAULT_SCHEDULE.into(), None);
            }
        };
        let id = table
            .id
            .as_deref()
            .map_or(DEFAULT_SCHEDULE, str::trim)
            .to_string();
        let before = self.problems.len();
        let Some(location) = table.location.filter(|l| !l.trim().is_empty()) else {
            self.problem(
                raw,
                entry,
                "the schedule has no location; add location = \"sftp://host/path\" (the root \
                 the appliance backs up into)",
            );
            return (id, None);
        };
        // A table's values carry no place of their own: each is said at the table's line.
        let span = raw.span();
        let mut source = |file: Option<PathBuf>, env: Option<String>, prefix| {
            let file = file.map(|f| Spanned::new(span.clone(), f));
            let env = env.map(|e| Spanned::new(span.clone(), e));
            self.source_of(&file, &env, entry, prefix)
                .map(|(source, _)| source)
        };
        let location_password = source(
            table.location_password_file,
            table.location_password_env,
            "location_",
        );
        let backup_password = source(
            table.backup_password_file,
            table.backup_password_env,
            "backup_",
        );
        if self.problems.len() > before {
            return (id, None);
        }
        let days = table.days.map_or_else(Vec::new, |days| {
            days.split(',').map(|d| d.trim().to_string()).collect()
        });
        let desired = DesiredSchedule {
            line: self.line(raw),
            location,
            location_user: table.location_user,
            location_password,
            backup_password,
            parts: table.parts.unwrap_or_default(),
            at: table.at,
            days,
            keep: table.keep,
            fast: table.fast,
            enabled: table.enabled,
        };
        (id, Some(desired))
    }
}
