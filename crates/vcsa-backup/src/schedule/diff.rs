//! The pure half of a declarative apply: what must change to turn the appliance's schedule into
//! the desired one, and whether an update can do it.

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveTime;
use vcsa_backup_api::{Secret, types};

use crate::backup::location;
use crate::backup::part::PartId;
use crate::error::{Field, Problem};
use crate::schedule::DayOfWeek;
use crate::schedule::recurrence::{describe_days, normalize_days};
use crate::schedule::update::{part_ids, recurrence_wire, retention_wire};
use crate::schedule::{Retention, Schedule, ScheduleSpec};

/// How [`Client::apply_schedule`](crate::Client::apply_schedule) may act.
///
/// By default it creates a missing schedule, updates only the settings that differ, never sends
/// the passwords to an existing schedule (they cannot be read back, so they cannot be compared),
/// and refuses to delete and create a schedule again.
///
/// ```
/// use vcsa_backup::ApplyOptions;
///
/// let options = ApplyOptions::new().dry_run(true).allow_recreate(true);
/// assert!(options.is_dry_run() && options.recreate_allowed() && !options.sends_passwords());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ApplyOptions {
    send_passwords: bool,
    allow_recreate: bool,
    dry_run: bool,
}

impl ApplyOptions {
    /// The defaults: see the type's documentation.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also sends the spec's passwords to an existing schedule, replacing the stored ones (for
    /// a changed password). Each apply with this option then counts as a change.
    pub fn send_passwords(mut self, send: bool) -> Self {
        self.send_passwords = send;
        self
    }

    /// Allows deleting the schedule and creating it again when an update cannot reach the spec:
    /// when the spec removes a retention, a time or a location user that the appliance's
    /// schedule has (an update leaves an unset setting as it is). The spec must carry the
    /// passwords, since a new schedule needs them.
    pub fn allow_recreate(mut self, allow: bool) -> Self {
        self.allow_recreate = allow;
        self
    }

    /// Works out the changes and changes nothing.
    pub fn dry_run(mut self, dry_run: bool) -> Self {
        self.dry_run = dry_run;
        self
    }

    /// Whether the passwords are sent to an existing schedule.
    pub fn sends_passwords(&self) -> bool {
        self.send_passwords
    }

    /// Whether a schedule may be deleted and created again.
    pub fn recreate_allowed(&self) -> bool {
        self.allow_recreate
    }

    /// Whether nothing is changed.
    pub fn is_dry_run(&self) -> bool {
        self.dry_run
    }
}

/// A setting of a schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ScheduleField {
    /// The root of the backup location.
    Location,
    /// The user name for the location.
    LocationUser,
    /// The password for the location (never read back).
    LocationPassword,
    /// The password that encrypts the backups (never read back).
    BackupPassword,
    /// The optional parts.
    Parts,
    /// Whether the schedule runs on its own.
    Enabled,
    /// The time of day it runs (or none: only when run).
    Time,
    /// The days it runs.
    Days,
    /// How many backups it keeps.
    Retention,
    /// The fast database backup.
    FastBackup,
}

impl ScheduleField {
    /// The setting in an administrator's words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Location => "location",
            Self::LocationUser => "location user",
            Self::LocationPassword => "location password",
            Self::BackupPassword => "backup password",
            Self::Parts => "parts",
            Self::Enabled => "enabled",
            Self::Time => "time",
            Self::Days => "days",
            Self::Retention => "retention",
            Self::FastBackup => "fast backup",
        }
    }
}

impl ScheduleField {
    /// The setting, as problems name it ([`Problem::field`]).
    pub(crate) fn field(self) -> Field {
        match self {
            Self::Location => Field::Location,
            Self::LocationUser => Field::LocationUser,
            Self::LocationPassword => Field::LocationPassword,
            Self::BackupPassword => Field::BackupPassword,
            Self::Parts => Field::Parts,
            Self::Enabled => Field::Enabled,
            Self::Time => Field::Time,
            Self::Days => Field::Days,
            Self::Retention => Field::Retention,
            Self::FastBackup => Field::FastBackup,
        }
    }
}

impl fmt::Display for ScheduleField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// One setting that differs between the appliance's schedule and the spec, with both values
/// (normalized: see [`ScheduleDiff`]). For a schedule to be created, `current` is the empty
/// value.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "field", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ScheduleChange {
    /// The location's root.
    Location {
        /// On the appliance.
        current: Option<String>,
        /// In the spec.
        desired: String,
    },
    /// The location's user name.
    LocationUser {
        /// On the appliance.
        current: Option<String>,
        /// In the spec.
        desired: Option<String>,
    },
    /// The location's password is sent; it cannot be compared.
    LocationPassword,
    /// The backup password is sent; it cannot be compared.
    BackupPassword,
    /// The optional parts (without `common`, which is always included), sorted.
    Parts {
        /// On the appliance.
        current: Vec<PartId>,
        /// In the spec.
        desired: Vec<PartId>,
    },
    /// Whether it runs on its own.
    Enabled {
        /// On the appliance.
        current: bool,
        /// In the spec.
        desired: bool,
    },
    /// The time of day it runs; `None`: only when run.
    Time {
        /// On the appliance.
        current: Option<NaiveTime>,
        /// In the spec.
        desired: Option<NaiveTime>,
    },
    /// The days it runs, all seven listed when it runs every day.
    Days {
        /// On the appliance.
        current: Vec<DayOfWeek>,
        /// In the spec.
        desired: Vec<DayOfWeek>,
    },
    /// How many backups it keeps; `None`: all.
    Retention {
        /// On the appliance.
        current: Option<Retention>,
        /// In the spec.
        desired: Option<Retention>,
    },
    /// The fast database backup (unset counts as off).
    FastBackup {
        /// On the appliance.
        current: bool,
        /// In the spec.
        desired: bool,
    },
}

impl ScheduleChange {
    /// The setting that changes.
    pub fn field(&self) -> ScheduleField {
        match self {
            Self::Location { .. } => ScheduleField::Location,
            Self::LocationUser { .. } => ScheduleField::LocationUser,
            Self::LocationPassword => ScheduleField::LocationPassword,
            Self::BackupPassword => ScheduleField::BackupPassword,
            Self::Parts { .. } => ScheduleField::Parts,
            Self::Enabled { .. } => ScheduleField::Enabled,
            Self::Time { .. } => ScheduleField::Time,
            Self::Days { .. } => ScheduleField::Days,
            Self::Retention { .. } => ScheduleField::Retention,
            Self::FastBackup { .. } => ScheduleField::FastBackup,
        }
    }

    /// Whether the spec removes a setting the appliance has, which an update cannot do (an
    /// unset setting keeps its value): a location user, a time, a retention.
    pub fn is_removal(&self) -> bool {
        match self {
            Self::LocationUser { current, desired } => current.is_some() && desired.is_none(),
            Self::Time { current, desired } => current.is_some() && desired.is_none(),
            Self::Retention { current, desired } => current.is_some() && desired.is_none(),
            _ => false,
        }
    }
}

impl fmt::Display for ScheduleChange {
    /// `time: 23:00 -> 01:30`; a password: `backup password: sent (cannot be compared)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = self.field();
        let (current, desired) = match self {
            Self::LocationPassword | Self::BackupPassword => {
                return write!(
                    f,
                    "{field}: sent (the appliance never returns it, so it cannot be compared)"
                );
            }
            Self::Location { current, desired } => (
                current.clone().unwrap_or_else(|| "none".into()),
                desired.clone(),
            ),
            Self::LocationUser { current, desired } => (user(current), user(desired)),
            Self::Parts { current, desired } => (parts(current), parts(desired)),
            Self::Enabled { current, desired } | Self::FastBackup { current, desired } => {
                (on_off(*current), on_off(*desired))
            }
            Self::Time { current, desired } => (time(*current), time(*desired)),
            Self::Days { current, desired } => (days(current), days(desired)),
            Self::Retention { current, desired } => (keep(*current), keep(*desired)),
        };
        write!(f, "{field}: {current} -> {desired}")
    }
}

fn user(user: &Option<String>) -> String {
    user.clone().unwrap_or_else(|| "none".into())
}

fn parts(parts: &[PartId]) -> String {
    if parts.is_empty() {
        "common only".into()
    } else {
        let names: Vec<&str> = parts.iter().map(PartId::as_str).collect();
        format!("common, {}", names.join(", "))
    }
}

fn on_off(on: bool) -> String {
    if on { "on" } else { "off" }.into()
}

fn time(time: Option<NaiveTime>) -> String {
    time.map_or_else(
        || "none (only when run)".into(),
        |t| t.format("%H:%M").to_string(),
    )
}

fn days(days: &[DayOfWeek]) -> String {
    describe_days(&days.iter().cloned().collect())
}

fn keep(retention: Option<Retention>) -> String {
    retention.map_or_else(|| "keep all".into(), |r| r.to_string())
}

/// What applying a spec does to a schedule.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "action", content = "blockers", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ScheduleAction {
    /// The schedule already matches the spec: nothing is sent.
    Unchanged,
    /// The schedule does not exist: it is created with every setting of the spec.
    Create,
    /// Only the settings that differ are sent.
    Update,
    /// The schedule is deleted and created again from the spec, because an update cannot remove
    /// a setting (allowed by [`ApplyOptions::allow_recreate`]).
    Recreate,
    /// Nothing can be done without the caller's say; the reasons are listed.
    Blocked(Vec<Blocker>),
}

/// Why a spec cannot be applied as things stand.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "reason", content = "field", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Blocker {
    /// The spec removes this setting, which an update cannot unset; allow recreating the
    /// schedule ([`ApplyOptions::allow_recreate`]).
    CannotUnset(ScheduleField),
    /// The schedule must be created, and the spec names a location user without its password.
    NeedsLocationPassword,
}

impl Blocker {
    /// The blocker as a problem with the spec, named by the setting at fault.
    pub(crate) fn problem(&self) -> Problem {
        let field = match self {
            Self::CannotUnset(field) => field.field(),
            Self::NeedsLocationPassword => Field::LocationPassword,
        };
        Problem::new(field, self.to_string())
    }
}

impl fmt::Display for Blocker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CannotUnset(field) => write!(
                f,
                "the spec removes the {field}, which an update cannot unset (it keeps its \
                 value); allow recreating the schedule, with its passwords"
            ),
            Self::NeedsLocationPassword => f.write_str(
                "the schedule must be created, which needs the location's password as well as \
                 its user; give both",
            ),
        }
    }
}

/// The difference between a backup schedule on the appliance and a [`ScheduleSpec`], and what
/// applying the spec does about it; returned by
/// [`Client::apply_schedule`](crate::Client::apply_schedule). `Display` prints it for an
/// administrator, one change a line.
///
/// Values are compared normalized: no days listed means all seven; `common` is always backed up,
/// so listing it or not is the same; a trailing `/` in the location does not matter; an unset
/// fast backup is off. The passwords are never returned by the appliance, so they are never
/// compared: they are sent when the schedule is created, when the location user changes (a new
/// user needs its password), or when the caller asks ([`ApplyOptions::send_passwords`]).
///
/// An update leaves an unset setting as it is, so a spec that removes a retention, a time or a
/// location user the appliance has cannot be reached by an update:
/// the diff is [`ScheduleAction::Blocked`], or [`ScheduleAction::Recreate`] when the caller
/// allows it. Days are the exception: "every day" is sent as the seven days, which the appliance
/// treats the same.
///
/// ```
/// use vcsa_backup::{ApplyOptions, Retention, Schedule, ScheduleAction, ScheduleDiff, ScheduleSpec};
///
/// let spec = ScheduleSpec::builder()
///     .location("sftp://nas.example.com/backups")
///     .at(23, 0)
///     .keep(7)
///     .build()?;
/// let mut current = Schedule::new("default", "sftp://nas.example.com/backups/");
/// current.recurrence = vcsa_backup::Recurrence::new(23, 0, vcsa_backup::DayOfWeek::WEEK);
/// current.retention = Some(Retention { max_count: 3 });
///
/// let diff = ScheduleDiff::between("default", Some(&current), &spec, ApplyOptions::new());
/// assert_eq!(diff.action(), &ScheduleAction::Update);
/// assert_eq!(diff.to_string(), "schedule \"default\": update 1 setting\n  \
///     retention: keep the newest 3 -> keep the newest 7\n  \
///     (passwords are never returned by the appliance, so they were not compared or sent)");
/// # Ok::<(), vcsa_backup::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ScheduleDiff {
    schedule: String,
    #[serde(flatten)]
    action: ScheduleAction,
    changes: Vec<ScheduleChange>,
    applied: bool,
}

impl ScheduleDiff {
    /// Compares the appliance's schedule `current` (`None`: it does not exist) with `desired`,
    /// and decides what applying the spec with `options` does. Changes nothing.
    pub fn between(
        schedule: impl Into<String>,
        current: Option<&Schedule>,
        desired: &ScheduleSpec,
        options: ApplyOptions,
    ) -> Self {
        let schedule = schedule.into();
        let Some(current) = current else {
            return Self::create(schedule, desired, ScheduleAction::Create);
        };
        let mut changes = compare(current, desired);
        let removals: Vec<ScheduleField> = changes
            .iter()
            .filter(|c| c.is_removal())
            .map(ScheduleChange::field)
            .collect();
        if !removals.is_empty() {
            if options.allow_recreate && creatable(desired) {
                return Self::create(schedule, desired, ScheduleAction::Recreate);
            }
            let mut blockers: Vec<Blocker> =
                removals.into_iter().map(Blocker::CannotUnset).collect();
            if options.allow_recreate {
                blockers.push(Blocker::NeedsLocationPassword);
            }
            return Self {
                schedule,
                action: ScheduleAction::Blocked(blockers),
                changes,
                applied: false,
            };
        }
        let user_changed = changes
            .iter()
            .any(|c| c.field() == ScheduleField::LocationUser);
        if desired.location_password.is_some() && (options.send_passwords || user_changed) {
            changes.push(ScheduleChange::LocationPassword);
        }
        if desired.backup_password.is_some() && options.send_passwords {
            changes.push(ScheduleChange::BackupPassword);
        }
        let action = if changes.is_empty() {
            ScheduleAction::Unchanged
        } else {
            ScheduleAction::Update
        };
        Self {
            schedule,
            action,
            changes,
            applied: false,
        }
    }

    /// Every setting of the spec, as changes from nothing.
    fn create(schedule: String, desired: &ScheduleSpec, action: ScheduleAction) -> Self {
        let nothing = Schedule::new(schedule.as_str(), "");
        let mut changes: Vec<ScheduleChange> = compare(&nothing, desired)
            .into_iter()
            .map(|change| match change {
                ScheduleChange::Location { desired, .. } => ScheduleChange::Location {
                    current: None,
                    desired,
                },
                other => other,
            })
            .collect();
        if desired.location_password.is_some() {
            changes.push(ScheduleChange::LocationPassword);
        }
        if desired.backup_password.is_some() {
            changes.push(ScheduleChange::BackupPassword);
        }
        let action = if creatable(desired) {
            action
        } else {
            ScheduleAction::Blocked(vec![Blocker::NeedsLocationPassword])
        };
        Self {
            schedule,
            action,
            changes,
            applied: false,
        }
    }

    /// The schedule's id.
    pub fn schedule(&self) -> &str {
        &self.schedule
    }

    /// What applying the spec does (or did).
    pub fn action(&self) -> &ScheduleAction {
        &self.action
    }

    /// The settings that differ, in the order of [`ScheduleField`], passwords last.
    pub fn changes(&self) -> &[ScheduleChange] {
        &self.changes
    }

    /// Whether the schedule already matches the spec.
    pub fn is_unchanged(&self) -> bool {
        self.action == ScheduleAction::Unchanged
    }

    /// Whether the changes were made on the appliance (not for a dry run, a blocked apply or an
    /// unchanged schedule).
    pub fn is_applied(&self) -> bool {
        self.applied
    }

    /// Whether a setting differs.
    pub fn changes_field(&self, field: ScheduleField) -> bool {
        self.changes.iter().any(|c| c.field() == field)
    }

    /// The wire form of the update this diff makes: only the settings that differ.
    pub(crate) fn update_wire(&self, desired: &ScheduleSpec) -> types::ScheduleUpdateSpec {
        use ScheduleField as F;
        let has = |field| self.changes_field(field);
        let recurrence = if has(F::Time) || has(F::Days) {
            desired.recurrence.as_ref().map(|r| {
                // Back to every day: the seven days listed reach it whether the appliance
                // replaces the time and days together or keeps days that are not sent.
                let days = if has(F::Days) && r.days.is_empty() {
                    DayOfWeek::WEEK.to_vec()
                } else {
                    r.days.clone()
                };
                recurrence_wire(r.hour, r.minute, &days)
            })
        } else {
            None
        };
        types::ScheduleUpdateSpec {
            backup_password: desired
                .backup_password
                .as_ref()
                .filter(|_| has(F::BackupPassword))
                .map(|p| p.secret().to_wire()),
            enable: has(F::Enabled).then_some(desired.enabled),
            fast_backup: has(F::FastBackup).then_some(desired.fast_backup.unwrap_or(false)),
            location: has(F::Location).then(|| desired.location.clone()),
            location_password: desired
                .location_password
                .as_ref()
                .filter(|_| has(F::LocationPassword))
                .map(Secret::to_wire),
            location_user: desired
                .location_user
                .clone()
                .filter(|_| has(F::LocationUser)),
            parts: has(F::Parts).then(|| types::ScheduleUpdateParts(part_ids(&desired.parts))),
            recurrence_info: recurrence,
            retention_info: desired
                .retention
                .filter(|_| has(F::Retention))
                .map(retention_wire),
        }
    }

    pub(crate) fn mark_applied(mut self) -> Self {
        self.applied = true;
        self
    }
}

impl fmt::Display for ScheduleDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = &self.schedule;
        let n = self.changes.len();
        let settings = if n == 1 { "setting" } else { "settings" };
        match &self.action {
            ScheduleAction::Unchanged => {
                write!(f, "schedule \"{id}\" already matches; nothing to change")?
            }
            ScheduleAction::Create => write!(
                f,
                "schedule \"{id}\" does not exist: create it with {n} {settings}"
            )?,
            ScheduleAction::Update => write!(f, "schedule \"{id}\": update {n} {settings}")?,
            ScheduleAction::Recreate => write!(
                f,
                "schedule \"{id}\": delete it and create it again with {n} {settings}, because \
                 an update cannot remove a setting"
            )?,
            ScheduleAction::Blocked(blockers) => {
                write!(f, "schedule \"{id}\" cannot be brought to the spec")?;
                for blocker in blockers {
                    write!(f, "\n  ! {blocker}")?;
                }
            }
        }
        for change in &self.changes {
            write!(f, "\n  {change}")?;
        }
        if matches!(
            self.action,
            ScheduleAction::Unchanged | ScheduleAction::Update
        ) && !self.changes.iter().any(|c| {
            matches!(
                c,
                ScheduleChange::LocationPassword | ScheduleChange::BackupPassword
            )
        }) {
            f.write_str(
                "\n  (passwords are never returned by the appliance, so they were not compared \
                 or sent)",
            )?;
        }
        Ok(())
    }
}

/// A new schedule with a location user needs its password.
fn creatable(desired: &ScheduleSpec) -> bool {
    desired.location_user.is_none() || desired.location_password.is_some()
}

/// Every setting that differs, normalized, in the order of [`ScheduleField`]; no passwords.
fn compare(current: &Schedule, desired: &ScheduleSpec) -> Vec<ScheduleChange> {
    let mut changes = Vec::new();
    let (have, want) = (
        location::canonical_root(&current.location),
        desired.location.clone(),
    );
    if have != location::canonical_root(&want) {
        changes.push(ScheduleChange::Location {
            current: Some(current.location.clone()),
            desired: want,
        });
    }
    let have_user = current.location_user.clone().filter(|u| !u.is_empty());
    if have_user != desired.location_user {
        changes.push(ScheduleChange::LocationUser {
            current: have_user,
            desired: desired.location_user.clone(),
        });
    }
    let (have, want) = (
        optional_parts(&current.parts),
        optional_parts(&desired.parts),
    );
    if have != want {
        changes.push(ScheduleChange::Parts {
            current: have,
            desired: want,
        });
    }
    if current.enabled != desired.enabled {
        changes.push(ScheduleChange::Enabled {
            current: current.enabled,
            desired: desired.enabled,
        });
    }
    let (have, want) = (current.recurrence.as_ref(), desired.recurrence.as_ref());
    let (have_time, want_time) = (have.map(|r| r.time()), want.map(|r| r.time()));
    if have_time != want_time {
        changes.push(ScheduleChange::Time {
            current: have_time,
            desired: want_time,
        });
    }
    // Days matter only while there is a time; a schedule without one has every day.
    if let Some(want) = want {
        let have_days = have.map_or_else(|| normalize_days(&[]), |r| r.day_set());
        let want_days = want.day_set();
        if have_days != want_days {
            changes.push(ScheduleChange::Days {
                current: have_days.into_iter().collect(),
                desired: want_days.into_iter().collect(),
            });
        }
    }
    if current.retention != desired.retention {
        changes.push(ScheduleChange::Retention {
            current: current.retention,
            desired: desired.retention,
        });
    }
    let (have, want) = (
        current.fast_backup.unwrap_or(false),
        desired.fast_backup.unwrap_or(false),
    );
    if have != want {
        changes.push(ScheduleChange::FastBackup {
            current: have,
            desired: want,
        });
    }
    changes
}

/// The parts besides `common`, which is always included, sorted and once each.
fn optional_parts(parts: &[PartId]) -> Vec<PartId> {
    parts
        .iter()
        .filter(|p| **p != PartId::COMMON)
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::DayOfWeek;
    use crate::schedule::{Recurrence, ScheduleSpecBuilder};
    use DayOfWeek::*;

    const ROOT: &str = "sftp://nas.example.com/backups";

    fn spec() -> ScheduleSpecBuilder {
        ScheduleSpec::builder()
            .location(ROOT)
            .location_credentials("backup", Secret::new("Nas-Pa55word!"))
            .backup_password(Secret::new("Backup-2024!"))
    }

    /// What the appliance holds after creating `spec` (passwords aside).
    fn stored(spec: &ScheduleSpec) -> Schedule {
        let mut parts = vec![PartId::COMMON];
        parts.extend(spec.parts.iter().cloned());
        Schedule {
            id: "default".into(),
            location: spec.location.clone(),
            location_user: spec.location_user.clone(),
            parts,
            enabled: spec.enabled,
            recurrence: spec.recurrence.clone(),
            retention: spec.retention,
            fast_backup: spec.fast_backup,
        }
    }

    fn diff(current: Option<&Schedule>, desired: &ScheduleSpec) -> ScheduleDiff {
        ScheduleDiff::between("default", current, desired, ApplyOptions::new())
    }

    fn fields(diff: &ScheduleDiff) -> Vec<ScheduleField> {
        diff.changes().iter().map(ScheduleChange::field).collect()
    }

    #[test]
    fn a_missing_schedule_is_created_with_every_setting_and_the_passwords() {
        let desired = spec()
            .part("seat")
            .at(23, 0)
            .days([Friday])
            .keep(7)
            .build()
            .unwrap();
        let d = diff(None, &desired);
        assert_eq!(d.action(), &ScheduleAction::Create);
        use ScheduleField as F;
        assert_eq!(
            fields(&d),
            [
                F::Location,
                F::LocationUser,
                F::Parts,
                F::Time,
                F::Days,
                F::Retention,
                F::LocationPassword,
                F::BackupPassword
            ]
        );
        insta::assert_snapshot!(d.to_string(), @r#"
        schedule "default" does not exist: create it with 8 settings
          location: none -> sftp://nas.example.com/backups
          location user: none -> backup
          parts: common only -> common, seat
          time: none (only when run) -> 23:00
          days: every day -> Friday
          retention: keep all -> keep the newest 7
          location password: sent (the appliance never returns it, so it cannot be compared)
          backup password: sent (the appliance never returns it, so it cannot be compared)
        "#);
        assert!(!d.to_string().contains("Pa55word"));
    }

    #[test]
    fn applying_the_same_spec_again_changes_nothing() {
        for desired in [
            spec().build().unwrap(),
            spec().at(0, 0).build().unwrap(),
            spec()
                .part("seat")
                .at(23, 59)
                .days([Sunday, Monday])
                .keep(1)
                .enabled(false)
                .fast_backup(true)
                .build()
                .unwrap(),
        ] {
            let d = diff(Some(&stored(&desired)), &desired);
            assert!(d.is_unchanged(), "{d}");
            assert!(d.changes().is_empty());
        }
    }

    #[test]
    fn normalized_values_compare_equal() {
        let desired = spec().at(2, 30).build().unwrap();
        let mut current = stored(&desired);
        // All seven days listed, `common` listed or not, a trailing slash, the scheme's case,
        // fast backup unset against off, an empty user against none.
        current.recurrence = Recurrence::new(2, 30, DayOfWeek::WEEK);
        current.parts = vec![];
        current.location = "SFTP://nas.example.com/backups/".into();
        assert!(diff(Some(&current), &desired).is_unchanged());

        let desired = spec().part("seat").fast_backup(false).build().unwrap();
        let mut current = stored(&desired);
        current.parts = vec![PartId::SEAT, PartId::COMMON, PartId::SEAT];
        current.fast_backup = None;
        assert!(diff(Some(&current), &desired).is_unchanged());

        let nfs = ScheduleSpec::builder()
            .location("nfs://filer/export/b/")
            .build()
            .unwrap();
        let mut current = stored(&nfs);
        current.location = "nfs://filer:/export/b".into();
        current.location_user = Some(String::new());
        assert!(diff(Some(&current), &nfs).is_unchanged());
    }

    #[test]
    fn only_the_differing_settings_are_updated() {
        let before = spec().at(23, 0).keep(3).build().unwrap();
        let current = stored(&before);
        let after = spec()
            .at(1, 30)
            .days([Monday, Wednesday, Friday])
            .keep(7)
            .part("seat")
            .build()
            .unwrap();
        let d = diff(Some(&current), &after);
        assert_eq!(d.action(), &ScheduleAction::Update);
        insta::assert_snapshot!(d.to_string(), @r#"
        schedule "default": update 4 settings
          parts: common only -> common, seat
          time: 23:00 -> 01:30
          days: every day -> Monday, Wednesday and Friday
          retention: keep the newest 3 -> keep the newest 7
          (passwords are never returned by the appliance, so they were not compared or sent)
        "#);
    }

    #[test]
    fn back_to_every_day_is_an_update_listing_all_seven_days() {
        let current = stored(&spec().at(4, 0).days([Saturday]).build().unwrap());
        let d = diff(Some(&current), &spec().at(4, 0).build().unwrap());
        assert_eq!(d.action(), &ScheduleAction::Update);
        assert_eq!(
            d.changes(),
            [ScheduleChange::Days {
                current: vec![Saturday],
                desired: DayOfWeek::WEEK.to_vec(),
            }]
        );
    }

    #[test]
    fn removals_cannot_converge_by_an_update() {
        let current = stored(&spec().at(23, 0).keep(7).build().unwrap());
        let desired = spec().build().unwrap(); // no time, keep all
        let d = diff(Some(&current), &desired);
        assert_eq!(
            d.action(),
            &ScheduleAction::Blocked(vec![
                Blocker::CannotUnset(ScheduleField::Time),
                Blocker::CannotUnset(ScheduleField::Retention),
            ])
        );
        assert!(!d.is_applied());
        insta::assert_snapshot!(d.to_string(), @r#"
        schedule "default" cannot be brought to the spec
          ! the spec removes the time, which an update cannot unset (it keeps its value); allow recreating the schedule, with its passwords
          ! the spec removes the retention, which an update cannot unset (it keeps its value); allow recreating the schedule, with its passwords
          time: 23:00 -> none (only when run)
          retention: keep the newest 7 -> keep all
        "#);

        let recreate = ApplyOptions::new().allow_recreate(true);
        let d = ScheduleDiff::between("default", Some(&current), &desired, recreate);
        assert_eq!(d.action(), &ScheduleAction::Recreate);
        assert!(d.changes_field(ScheduleField::LocationPassword));
        assert!(d.changes_field(ScheduleField::BackupPassword));
    }

    #[test]
    fn removing_the_location_user_needs_a_recreate_and_the_password_for_it() {
        let current = stored(&spec().build().unwrap());
        let nfs = ScheduleSpec::builder()
            .location("nfs://filer:/export/b")
            .build()
            .unwrap();
        let d = diff(Some(&current), &nfs);
        assert_eq!(
            d.action(),
            &ScheduleAction::Blocked(vec![Blocker::CannotUnset(ScheduleField::LocationUser)])
        );
        let recreate = ApplyOptions::new().allow_recreate(true);
        let d = ScheduleDiff::between("default", Some(&current), &nfs, recreate);
        assert_eq!(
            d.action(),
            &ScheduleAction::Recreate,
            "NFS needs no password"
        );

        // A recreate with a user but without its password cannot be done.
        let mut with_retention = current.clone();
        with_retention.retention = Some(Retention { max_count: 2 });
        let no_password = ScheduleSpec::builder()
            .location(ROOT)
            .location_user("backup")
            .build()
            .unwrap();
        let d = ScheduleDiff::between("default", Some(&with_retention), &no_password, recreate);
        assert_eq!(
            d.action(),
            &ScheduleAction::Blocked(vec![
                Blocker::CannotUnset(ScheduleField::Retention),
                Blocker::NeedsLocationPassword,
            ])
        );
        // Nor can a create.
        let d = diff(None, &no_password);
        assert_eq!(
            d.action(),
            &ScheduleAction::Blocked(vec![Blocker::NeedsLocationPassword])
        );
    }

    #[test]
    fn passwords_are_sent_when_asked_or_with_a_new_user() {
        let desired = spec().build().unwrap();
        let current = stored(&desired);
        let asked = ApplyOptions::new().send_passwords(true);
        let d = ScheduleDiff::between("default", Some(&current), &desired, asked);
        assert_eq!(d.action(), &ScheduleAction::Update);
        assert_eq!(
            d.changes(),
            [
                ScheduleChange::LocationPassword,
                ScheduleChange::BackupPassword
            ]
        );
        assert!(!d.to_string().contains("not compared or sent"));

        let mut other_user = current.clone();
        other_user.location_user = Some("old-backup".into());
        let d = diff(Some(&other_user), &desired);
        assert_eq!(
            fields(&d),
            [ScheduleField::LocationUser, ScheduleField::LocationPassword]
        );

        // Without its password, a new user is still an update; the stored password stays.
        let user_only = ScheduleSpec::builder()
            .location(ROOT)
            .location_user("backup")
            .build()
            .unwrap();
        let d = diff(Some(&other_user), &user_only);
        assert_eq!(fields(&d), [ScheduleField::LocationUser]);
    }

    #[test]
    fn the_remaining_settings() {
        let desired = spec().enabled(false).fast_backup(true).build().unwrap();
        let mut current = stored(&spec().build().unwrap());
        current.location = "sftp://other.example.com/backups".into();
        let d = diff(Some(&current), &desired);
        insta::assert_snapshot!(d.to_string(), @r#"
        schedule "default": update 3 settings
          location: sftp://other.example.com/backups -> sftp://nas.example.com/backups
          enabled: on -> off
          fast backup: off -> on
          (passwords are never returned by the appliance, so they were not compared or sent)
        "#);
        // A schedule that gains a time gains its days with it.
        let d = diff(
            Some(&current),
            &spec().at(6, 0).days([Tuesday]).build().unwrap(),
        );
        assert!(d.changes_field(ScheduleField::Time) && d.changes_field(ScheduleField::Days));
    }

    #[test]
    fn the_diff_serializes_for_machines() {
        let current = stored(&spec().at(23, 0).build().unwrap());
        let d = diff(Some(&current), &spec().at(1, 0).build().unwrap());
        assert_eq!(
            serde_json::to_value(&d).unwrap(),
            serde_json::json!({
                "schedule": "default",
                "action": "update",
                "changes": [{"field": "time", "current": "23:00:00", "desired": "01:00:00"}],
                "applied": false
            })
        );
        let blocked = diff(Some(&current), &spec().build().unwrap());
        assert_eq!(
            serde_json::to_value(&blocked).unwrap()["blockers"],
            serde_json::json!([{"reason": "cannot_unset", "field": "time"}])
        );
    }

    #[test]
    fn an_update_sends_only_what_differs() {
        let before = spec()
            .part("seat")
            .at(23, 0)
            .days([Saturday])
            .keep(3)
            .build()
            .unwrap();
        let current = stored(&before);
        let after = spec().part("seat").at(23, 0).keep(7).build().unwrap();
        let d = diff(Some(&current), &after);
        assert_eq!(
            serde_json::to_value(d.update_wire(&after)).unwrap(),
            serde_json::json!({
                "recurrence_info": {
                    "hour": 23,
                    "minute": 0,
                    "days": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
                },
                "retention_info": {"max_count": 7}
            })
        );
        // A new time alone keeps the desired days, listed as they are.
        let later = spec()
            .part("seat")
            .at(23, 30)
            .days([Saturday])
            .keep(3)
            .build()
            .unwrap();
        let d = diff(Some(&current), &later);
        assert_eq!(
            serde_json::to_value(d.update_wire(&later)).unwrap(),
            serde_json::json!({"recurrence_info": {"hour": 23, "minute": 30, "days": ["SATURDAY"]}})
        );
    }

    #[test]
    fn passwords_go_on_the_wire_only_when_the_diff_says_so() {
        let desired = spec().enabled(false).build().unwrap();
        let current = stored(&spec().build().unwrap());
        let quiet = diff(Some(&current), &desired).update_wire(&desired);
        assert_eq!(
            serde_json::to_value(&quiet).unwrap(),
            serde_json::json!({"enable": false})
        );
        let asked = ScheduleDiff::between(
            "default",
            Some(&current),
            &desired,
            ApplyOptions::new().send_passwords(true),
        )
        .update_wire(&desired);
        assert_eq!(asked.location_password.unwrap().expose(), "Nas-Pa55word!");
        assert_eq!(asked.backup_password.unwrap().expose(), "Backup-2024!");
    }
}
