//! Backup schedules: created, read, changed and deleted through the schedules operations and
//! checked as the appliance checks them. Passwords are kept but never returned.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use url::Url;
use vcsa_backup_api::Secret;
use vcsa_backup_api::enums::ErrorType;
use vcsa_backup_api::types::LocalizableMessage;

use crate::error::{VapiError, clip, message};
use crate::recurrence::{self, DAY_NAMES, Recurrence};
use crate::{parts, validate};

/// The id of the schedule every appliance has.
pub(crate) const DEFAULT_SCHEDULE: &str = "default";
/// When the `default` schedule fires: every day at this hour and minute, in the appliance's
/// time zone.
pub(crate) const DEFAULT_SCHEDULE_AT: (i64, i64) = (23, 0);
/// How many schedules an appliance keeps unless told otherwise: its UI manages one, `default`.
pub const DEFAULT_MAX_SCHEDULES: usize = 1;

/// Whether `id` can name a schedule: 1 to 64 ASCII letters, digits, `-`, `_` or `.`, so it fits
/// in a URL path segment unchanged.
pub(crate) fn is_valid_schedule_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && id != "."
        && id != ".."
}

/// The URL schemes a schedule's location may use: those of the backup location types.
const SCHEMES: [&str; 8] = ["ftp", "ftps", "http", "https", "nfs", "scp", "sftp", "smb"];

/// A backup schedule to create: the vendor's `Schedules.CreateSpec`, as the create operation
/// and the admin endpoint take it.
///
/// Only `location` is required. There is no location type: the URL's scheme says it.
///
/// ```
/// use vcsa_backup_sim::{RecurrenceInfo, RetentionInfo, ScheduleSpec};
///
/// let nightly = ScheduleSpec {
///     location: "sftp://backup.example.com/vcsa".into(),
///     parts: Some(vec!["seat".into()]),
///     recurrence_info: Some(RecurrenceInfo { hour: 2, minute: 30, days: None }),
///     retention_info: Some(RetentionInfo { max_count: 7 }),
///     ..ScheduleSpec::default()
/// };
/// assert_eq!(nightly.enable, None); // unset means enabled
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ScheduleSpec {
    /// Where backups go, like `sftp://backup.example.com/vcsa`; each backup gets its own folder
    /// `<location>/vCenter/sn_<system name>/S_<version>_<YYYYMMDD-hhmmss>_` below it.
    pub location: String,
    /// Optional parts to back up besides `common`; unset: none.
    #[serde(default)]
    pub parts: Option<Vec<String>>,
    /// Encrypts the backups; the appliance's password rules apply. Stored, never returned.
    #[serde(default)]
    pub backup_password: Option<Secret>,
    /// The user on the backup server.
    #[serde(default)]
    pub location_user: Option<String>,
    /// The password on the backup server. Stored, never returned.
    #[serde(default)]
    pub location_password: Option<Secret>,
    /// Whether the schedule fires; unset: enabled.
    #[serde(default)]
    pub enable: Option<bool>,
    /// When it fires; unset: only when run.
    #[serde(default)]
    pub recurrence_info: Option<RecurrenceInfo>,
    /// How many scheduled backups to keep; unset: all of them.
    #[serde(default)]
    pub retention_info: Option<RetentionInfo>,
    /// Whether backups skip the historical data's consistency wait (vSphere 8).
    #[serde(default)]
    pub fast_backup: Option<bool>,
}

/// When a schedule fires (the vendor's `Schedules.RecurrenceInfo`): at `hour`:`minute`
/// (24-hour clock, in the appliance's time zone) on `days` (`MONDAY` .. `SUNDAY`; unset: every
/// day).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecurrenceInfo {
    /// The minute, 0 to 59.
    pub minute: i64,
    /// The hour, 0 to 23.
    pub hour: i64,
    /// The days of the week; unset: every day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<Vec<String>>,
}

/// How many scheduled backups a schedule keeps (the vendor's `Schedules.RetentionInfo`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionInfo {
    /// The number of backups kept, at least 1; older ones are removed by the daily pass at
    /// 00:00 UTC.
    pub max_count: i64,
}

/// The passwords a schedule holds; the vendor's API never returns them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SchedulePasswords {
    /// The password that encrypts the schedule's backups.
    pub backup_password: Option<Secret>,
    /// The password on the backup server.
    pub location_password: Option<Secret>,
}

/// A change to a schedule (the vendor's `Schedules.UpdateSpec`): an unset field keeps its value.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct UpdateSpec {
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    parts: Option<Vec<String>>,
    #[serde(default)]
    backup_password: Option<Secret>,
    #[serde(default)]
    location_user: Option<String>,
    #[serde(default)]
    location_password: Option<Secret>,
    #[serde(default)]
    enable: Option<bool>,
    #[serde(default)]
    recurrence_info: Option<RecurrenceInfo>,
    #[serde(default)]
    retention_info: Option<RetentionInfo>,
    #[serde(default)]
    fast_backup: Option<bool>,
}

/// A schedule as get and list answer it (the vendor's `Schedules.Info`): no passwords. A
/// backup keeps its appliance's schedules in this shape, for a restore.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct ScheduleInfo {
    parts: Vec<String>,
    location: String,
    enable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    location_user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recurrence_info: Option<RecurrenceInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retention_info: Option<RetentionInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fast_backup: Option<bool>,
}

/// A stored schedule: the spec as given (updates merged in) and what was worked out from it.
#[derive(Clone, Debug)]
pub(crate) struct Schedule {
    spec: ScheduleSpec,
    pub(crate) recurrence: Option<Recurrence>,
    /// How many scheduled backups to keep, when limited.
    pub(crate) keep: Option<usize>,
}

impl Schedule {
    /// Checks a spec; every problem at once.
    fn new(spec: ScheduleSpec) -> Result<Self, VapiError> {
        let mut problems = Vec::new();
        check_location(&spec.location, &mut problems);
        for part in spec.parts.iter().flatten() {
            if parts::find(part).is_none() {
                let known: Vec<&str> = parts::PARTS.iter().map(|p| p.id).collect();
                problems.push(problem(
                    "parts.unknown",
                    format!(
                        "The part '{}' does not exist. Known parts: {}.",
                        clip(part),
                        known.join(", ")
                    ),
                ));
            }
        }
        if let Some(password) = &spec.backup_password {
            problems.extend(
                validate::password_problems(password.expose())
                    .into_iter()
                    .map(|p| {
                        problem(
                            "backup_password.invalid",
                            format!("The backup password {p}."),
                        )
                    }),
            );
        }
        let recurrence = spec
            .recurrence_info
            .as_ref()
            .and_then(|r| check_recurrence(r, &mut problems));
        let keep = spec.retention_info.as_ref().and_then(|r| {
            if r.max_count < 1 {
                problems.push(problem(
                    "retention.max_count",
                    format!(
                        "The number of backups to keep is {}: keep at least 1 (leave the retention out to keep every backup).",
                        r.max_count
                    ),
                ));
                None
            } else {
                Some(usize::try_from(r.max_count).unwrap_or(usize::MAX))
            }
        });
        if !problems.is_empty() {
            return Err(VapiError::invalid_argument(problems));
        }
        Ok(Self {
            spec,
            recurrence,
            keep,
        })
    }

    pub(crate) fn location(&self) -> &str {
        &self.spec.location
    }

    pub(crate) fn location_user(&self) -> String {
        self.spec.location_user.clone().unwrap_or_default()
    }

    pub(crate) fn parts(&self) -> Vec<String> {
        self.spec.parts.clone().unwrap_or_default()
    }

    pub(crate) fn fast_backup(&self) -> Option<bool> {
        self.spec.fast_backup
    }

    /// The passwords it keeps (never answered by the vendor's operations).
    pub(crate) fn passwords(&self) -> SchedulePasswords {
        SchedulePasswords {
            backup_password: self.spec.backup_password.clone(),
            location_password: self.spec.location_password.clone(),
        }
    }

    /// Whether it fires on its own: enabled, with a recurrence.
    pub(crate) fn fires(&self) -> Option<&Recurrence> {
        if self.spec.enable.unwrap_or(true) {
            self.recurrence.as_ref()
        } else {
            None
        }
    }

    pub(crate) fn info(&self) -> ScheduleInfo {
        let s = &self.spec;
        ScheduleInfo {
            parts: s.parts.clone().unwrap_or_default(),
            location: s.location.clone(),
            enable: s.enable.unwrap_or(true),
            location_user: s.location_user.clone(),
            recurrence_info: s.recurrence_info.clone(),
            retention_info: s.retention_info.clone(),
            fast_backup: s.fast_backup,
        }
    }

    /// The spec with a change applied: unset fields keep their value.
    fn updated(&self, change: UpdateSpec) -> ScheduleSpec {
        let old = self.spec.clone();
        ScheduleSpec {
            location: change.location.unwrap_or(old.location),
            parts: change.parts.or(old.parts),
            backup_password: change.backup_password.or(old.backup_password),
            location_user: change.location_user.or(old.location_user),
            location_password: change.location_password.or(old.location_password),
            enable: change.enable.or(old.enable),
            recurrence_info: change.recurrence_info.or(old.recurrence_info),
            retention_info: change.retention_info.or(old.retention_info),
            fast_backup: change.fast_backup.or(old.fast_backup),
        }
    }
}

fn already_exists(text: String) -> VapiError {
    VapiError::new(
        ErrorType::AlreadyExists,
        "com.vmware.applmgmt.backup.schedule.already_exists",
        text,
    )
}

fn problem(id: &str, text: String) -> LocalizableMessage {
    message(&format!("com.vmware.applmgmt.backup.schedule.{id}"), text)
}

fn check_location(location: &str, problems: &mut Vec<LocalizableMessage>) {
    match Url::parse(location) {
        Ok(url) if url.host_str().is_some_and(|h| !h.is_empty()) => {
            if !SCHEMES.contains(&url.scheme()) {
                problems.push(problem(
                    "location.scheme",
                    format!(
                        "The location's protocol '{}' is not supported. Use one of: {}.",
                        clip(url.scheme()),
                        SCHEMES.join(", ")
                    ),
                ));
            }
        }
        _ => problems.push(problem(
            "location.invalid",
            "The location must be a URL with a host and a folder, for example sftp://backup.example.com/vcsa."
                .to_string(),
        )),
    }
}

fn check_recurrence(
    r: &RecurrenceInfo,
    problems: &mut Vec<LocalizableMessage>,
) -> Option<Recurrence> {
    let before = problems.len();
    if !(0..=23).contains(&r.hour) {
        problems.push(problem(
            "recurrence.hour",
            format!(
                "The hour {} is not valid: use 0 to 23 (24-hour clock, in the appliance's time zone).",
                r.hour
            ),
        ));
    }
    if !(0..=59).contains(&r.minute) {
        problems.push(problem(
            "recurrence.minute",
            format!("The minute {} is not valid: use 0 to 59.", r.minute),
        ));
    }
    let mut days = Vec::new();
    if let Some(names) = &r.days {
        if names.is_empty() {
            problems.push(problem(
                "recurrence.days.empty",
                "The list of days is empty: name at least one day, or leave the days out to back up every day."
                    .to_string(),
            ));
        }
        for name in names {
            match recurrence::weekday(name) {
                Some(day) => days.push(day),
                None => problems.push(problem(
                    "recurrence.days.unknown",
                    format!(
                        "The day '{}' is not a day of the week. Use {}.",
                        clip(name),
                        DAY_NAMES.join(", ")
                    ),
                )),
            }
        }
    }
    if problems.len() > before {
        return None;
    }
    Some(Recurrence {
        // Both were checked to be in range.
        hour: u32::try_from(r.hour).unwrap_or_default(),
        minute: u32::try_from(r.minute).unwrap_or_default(),
        days: r.days.as_ref().map(|_| days),
    })
}

/// Every schedule of the appliance, by id.
pub(crate) struct Schedules {
    by_id: BTreeMap<String, Schedule>,
    /// How many schedules the appliance keeps at most.
    cap: usize,
}

impl Schedules {
    /// The `default` schedule (every day at [`DEFAULT_SCHEDULE_AT`]) and `extra` ones, as the
    /// builder gives them (enabled, run only when asked); at most `cap` in all.
    pub(crate) fn with_builtin(extra: &[String], cap: usize) -> Self {
        let builtin = |location: String, parts: &[&str], at: Option<(i64, i64)>| {
            Schedule::new(ScheduleSpec {
                location,
                location_user: Some("backup".to_string()),
                parts: Some(parts.iter().map(|p| p.to_string()).collect()),
                enable: Some(true),
                recurrence_info: at.map(|(hour, minute)| RecurrenceInfo {
                    hour,
                    minute,
                    days: None,
                }),
                ..ScheduleSpec::default()
            })
        };
        let mut by_id = BTreeMap::new();
        let default = builtin(
            "sftp://backup.example.com/vcsa/scheduled".to_string(),
            &["common", "seat"],
            Some(DEFAULT_SCHEDULE_AT),
        );
        // Ids are checked at start (`is_valid_schedule_id`): they fit a URL unchanged.
        let extra = extra.iter().map(|id| {
            (
                id.clone(),
                builtin(
                    format!("sftp://backup.example.com/vcsa/{id}"),
                    &["common"],
                    None,
                ),
            )
        });
        for (id, schedule) in std::iter::once((DEFAULT_SCHEDULE.to_string(), default)).chain(extra)
        {
            if let Ok(schedule) = schedule {
                by_id.entry(id).or_insert(schedule);
            }
        }
        Self { by_id, cap }
    }

    pub(crate) fn ids(&self) -> Vec<String> {
        self.by_id.keys().cloned().collect()
    }

    /// Every schedule as a backup keeps it (no passwords).
    pub(crate) fn infos(&self) -> BTreeMap<String, ScheduleInfo> {
        self.by_id
            .iter()
            .map(|(id, s)| (id.clone(), s.info()))
            .collect()
    }

    /// The schedules a backup kept, as a restore brings them back (their passwords were never
    /// kept); none kept: the built-in `default` one. A kept schedule that no longer passes the
    /// checks is left out.
    pub(crate) fn restored(infos: &BTreeMap<String, ScheduleInfo>, cap: usize) -> Self {
        if infos.is_empty() {
            return Self::with_builtin(&[], cap);
        }
        let by_id = infos
            .iter()
            .filter_map(|(id, info)| {
                let spec = ScheduleSpec {
                    location: info.location.clone(),
                    parts: Some(info.parts.clone()),
                    location_user: info.location_user.clone(),
                    enable: Some(info.enable),
                    recurrence_info: info.recurrence_info.clone(),
                    retention_info: info.retention_info.clone(),
                    fast_backup: info.fast_backup,
                    ..ScheduleSpec::default()
                };
                Some((id.clone(), Schedule::new(spec).ok()?))
            })
            .collect();
        Self { by_id, cap }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &Schedule)> {
        self.by_id.iter()
    }

    pub(crate) fn get(&self, id: &str) -> Result<&Schedule, VapiError> {
        self.by_id.get(id).ok_or_else(|| self.not_found(id))
    }

    fn not_found(&self, id: &str) -> VapiError {
        let known: Vec<String> = self.by_id.keys().map(|k| format!("'{k}'")).collect();
        let has = match known.as_slice() {
            [] => "no schedules".to_string(),
            [one] => format!("the schedule {one}"),
            many => format!("the schedules {}", many.join(", ")),
        };
        VapiError::not_found(
            "com.vmware.applmgmt.backup.schedule.not_found",
            format!(
                "The backup schedule '{}' does not exist. The appliance has {has}.",
                clip(id)
            ),
        )
    }

    pub(crate) fn create(&mut self, id: &str, spec: ScheduleSpec) -> Result<(), VapiError> {
        let mut problems = Vec::new();
        if !is_valid_schedule_id(id) {
            problems.push(problem(
                "id.invalid",
                format!(
                    "The schedule id '{}' cannot be used: use 1 to 64 letters, digits, '-', '_' or '.', like \"default\".",
                    clip(id)
                ),
            ));
        }
        let schedule = match Schedule::new(spec) {
            Ok(schedule) => Some(schedule),
            Err(err) => {
                problems.extend(err.messages);
                None
            }
        };
        let Some(schedule) = schedule.filter(|_| problems.is_empty()) else {
            return Err(VapiError::invalid_argument(problems));
        };
        if self.by_id.contains_key(id) {
            return Err(already_exists(format!(
                "The backup schedule '{id}' already exists. Update it, or delete it first."
            )));
        }
        if self.by_id.len() >= self.cap {
            return Err(already_exists(self.full()));
        }
        self.by_id.insert(id.to_string(), schedule);
        Ok(())
    }

    /// Why one more schedule cannot be created: the appliance keeps `cap` at most.
    fn full(&self) -> String {
        let ids: Vec<String> = self.by_id.keys().map(|k| format!("'{k}'")).collect();
        match self.cap {
            1 => format!(
                "Only one backup schedule per appliance can exist, and {} does. Update it, or \
                 delete it first.",
                ids.join(", ")
            ),
            cap => format!(
                "At most {cap} backup schedules per appliance can exist: {}. Update one, or \
                 delete one first.",
                ids.join(", ")
            ),
        }
    }

    pub(crate) fn update(&mut self, id: &str, change: UpdateSpec) -> Result<(), VapiError> {
        let current = self.get(id)?;
        let schedule = Schedule::new(current.updated(change))?;
        self.by_id.insert(id.to_string(), schedule);
        Ok(())
    }

    pub(crate) fn delete(&mut self, id: &str) -> Result<(), VapiError> {
        match self.by_id.remove(id) {
            Some(_) => Ok(()),
            None => Err(self.not_found(id)),
        }
    }
}

#[cfg(test)]
mod tests;
