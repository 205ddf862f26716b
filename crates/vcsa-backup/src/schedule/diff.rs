//! The pure half of a declarative apply: what must change to turn the appliance's schedule into
//! the desired one, and whether an update can do it.

use std::fmt;

use crate::backup::location;
use crate::backup::part::PartId;
use crate::error::{Field, Problem};
use crate::schedule::DayOfWeek;
use crate::schedule::change::{ScheduleChange, SettingValue};
use crate::schedule::{Recurrence, Retention, Schedule, ScheduleSpec, ScheduleUpdate, sorted_once};

/// How [`Client::apply_schedule`](crate::Client::apply_schedule) may act.
///
/// By default it never sends the passwords to an existing schedule (see [`ScheduleDiff`]) and
/// refuses to delete and create a schedule again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ApplyOptions {
    pub(crate) send_passwords: bool,
    pub(crate) allow_recreate: bool,
    pub(crate) dry_run: bool,
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

    /// Allows deleting the schedule and creating it again when an update cannot reach the spec
    /// (see [`ScheduleDiff`]). The spec must carry the passwords, since a new schedule needs them.
    pub fn allow_recreate(mut self, allow: bool) -> Self {
        self.allow_recreate = allow;
        self
    }

    /// Works out the changes and changes nothing.
    pub fn dry_run(mut self, dry_run: bool) -> Self {
        self.dry_run = dry_run;
        self
    }
}

/// What applying a spec does to a schedule.
///
/// ```
/// use vcsa_backup::{BlockReason, ScheduleAction};
///
/// assert_eq!(ScheduleAction::Update.to_string(), "update");
/// let blocked = ScheduleAction::Blocked(vec![BlockReason::NeedsLocationPassword]);
/// assert!(blocked.to_string().starts_with("blocked: the schedule must be created"));
/// ```
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
    Blocked(Vec<BlockReason>),
}

/// The action's word, as serialized (`unchanged`, `create`, `update`, `recreate`, `blocked`);
/// a blocked action lists its reasons after a colon.
impl fmt::Display for ScheduleAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unchanged => f.write_str("unchanged"),
            Self::Create => f.write_str("create"),
            Self::Update => f.write_str("update"),
            Self::Recreate => f.write_str("recreate"),
            Self::Blocked(blockers) => {
                f.write_str("blocked")?;
                for (n, blocker) in blockers.iter().enumerate() {
                    f.write_str(if n == 0 { ": " } else { "; " })?;
                    write!(f, "{blocker}")?;
                }
                Ok(())
            }
        }
    }
}

/// Why a spec cannot be applied as things stand.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "reason", content = "field", rename_all = "snake_case")]
#[non_exhaustive]
pub enum BlockReason {
    /// The spec removes this setting, which an update cannot unset; allow recreating the
    /// schedule ([`ApplyOptions::allow_recreate`]).
    CannotUnset(Field),
    /// The schedule must be created, and the spec names a location user without its password.
    NeedsLocationPassword,
}

impl BlockReason {
    /// The blocker as a problem with the spec, named by the setting at fault.
    pub(crate) fn problem(&self) -> Problem {
        let field = match self {
            Self::CannotUnset(field) => *field,
            Self::NeedsLocationPassword => Field::LocationPassword,
        };
        Problem::new(field, self.to_string())
    }
}

impl fmt::Display for BlockReason {
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
/// location user the appliance has cannot be reached by an update: the diff is
/// [`ScheduleAction::Blocked`], or [`ScheduleAction::Recreate`] when the caller allows it. Days
/// are the exception: "every day" is sent as the seven days, which the appliance treats the same.
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
        // A setting the spec removes, which an update cannot (an unset setting keeps its value).
        let mut blockers: Vec<BlockReason> = changes
            .iter()
            .filter(|c| !c.current.is_none() && c.desired.is_none())
            .map(|c| BlockReason::CannotUnset(c.field))
            .collect();
        if !blockers.is_empty() {
            if options.allow_recreate && creatable(desired) {
                return Self::create(schedule, desired, ScheduleAction::Recreate);
            }
            if options.allow_recreate {
                blockers.push(BlockReason::NeedsLocationPassword);
            }
            return Self::new(schedule, ScheduleAction::Blocked(blockers), changes);
        }
        let user_changed = changes.iter().any(|c| c.field == Field::LocationUser);
        if desired.has_location_password() && (options.send_passwords || user_changed) {
            changes.push(ScheduleChange::secret(Field::LocationPassword));
        }
        if desired.is_encrypted() && options.send_passwords {
            changes.push(ScheduleChange::secret(Field::BackupPassword));
        }
        let action = if changes.is_empty() {
            ScheduleAction::Unchanged
        } else {
            ScheduleAction::Update
        };
        Self::new(schedule, action, changes)
    }

    fn new(schedule: String, action: ScheduleAction, changes: Vec<ScheduleChange>) -> Self {
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
        let mut changes = compare(&nothing, desired);
        for change in changes.iter_mut().filter(|c| c.field == Field::Location) {
            change.current = SettingValue::None;
        }
        if desired.has_location_password() {
            changes.push(ScheduleChange::secret(Field::LocationPassword));
        }
        if desired.is_encrypted() {
            changes.push(ScheduleChange::secret(Field::BackupPassword));
        }
        let action = if creatable(desired) {
            action
        } else {
            ScheduleAction::Blocked(vec![BlockReason::NeedsLocationPassword])
        };
        Self::new(schedule, action, changes)
    }

    /// The schedule's id.
    pub fn schedule(&self) -> &str {
        &self.schedule
    }

    /// What applying the spec does (or did).
    pub fn action(&self) -> &ScheduleAction {
        &self.action
    }

    /// The settings that differ: the location, its user, the parts, enabled, the time, the
    /// days, the retention, the fast backup, then the passwords.
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
    pub fn changes_field(&self, field: Field) -> bool {
        self.changes.iter().any(|c| c.field == field)
    }

    /// The update this diff makes: only the settings that differ, the passwords only when the
    /// diff sends them. A new time or new days send both (the appliance replaces them together);
    /// back to every day, the seven days are listed, which reaches it whether the appliance
    /// replaces the days or keeps days that are not sent.
    pub fn update(&self, desired: &ScheduleSpec) -> ScheduleUpdate {
        use Field as F;
        let has = |field| self.changes_field(field);
        let given = &desired.settings;
        let recurrence = desired
            .recurrence()
            .filter(|_| has(F::Time) || has(F::Days));
        ScheduleUpdate {
            location: given.location.clone().filter(|_| has(F::Location)),
            location_user: given.location_user.clone().filter(|_| has(F::LocationUser)),
            location_password: given
                .location_password
                .clone()
                .filter(|_| has(F::LocationPassword)),
            backup_password: given
                .backup_password
                .clone()
                .filter(|_| has(F::BackupPassword)),
            parts: has(F::Parts).then(|| desired.parts().to_vec()),
            enabled: has(F::Enabled).then_some(desired.is_enabled()),
            time: recurrence.map(|r| (r.hour, r.minute)),
            days: recurrence.map(|r| {
                if has(F::Days) && r.days.is_empty() {
                    DayOfWeek::WEEK.to_vec()
                } else {
                    r.days.clone()
                }
            }),
            retention: given.retention.filter(|_| has(F::Retention)),
            fast_backup: has(F::FastBackup).then_some(desired.fast_backup().unwrap_or(false)),
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
        ) && !self.changes.iter().any(|c| c.desired.is_secret())
        {
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
    desired.location_user().is_none() || desired.has_location_password()
}

/// Every setting that differs, normalized, in the order of [`ScheduleDiff::changes`]; no
/// passwords.
fn compare(current: &Schedule, desired: &ScheduleSpec) -> Vec<ScheduleChange> {
    use SettingValue as V;
    let text = |t: Option<&str>| t.map_or(V::None, |t| V::Text(t.to_string()));
    let time = |r: Option<&Recurrence>| r.map_or(V::None, |r| V::Time(r.time()));
    let count = |r: Option<Retention>| r.map_or(V::None, |r| V::Count(r.max_count));
    let same_root =
        location::canonical_root(&current.location) == location::canonical_root(desired.location());
    // Locations are compared by their canonical root, but shown as given.
    let root = |l: &str| text(Some(l).filter(|_| !same_root));
    let parts = |p: &[PartId]| V::Parts(optional_parts(p));
    let fast = |f: Option<bool>| V::Flag(f.unwrap_or(false));
    let (have, want) = (current.recurrence.as_ref(), desired.recurrence());
    // Days matter only while there is a time; a schedule without one has every day.
    let days = |r: Option<&Recurrence>| {
        let days = r.map_or_else(|| DayOfWeek::WEEK.into(), Recurrence::day_set);
        want.map_or(V::None, |_| V::Days(days.into_iter().collect()))
    };
    let user = current.location_user.as_deref().filter(|u| !u.is_empty());
    let settings = [
        (
            Field::Location,
            root(&current.location),
            root(desired.location()),
        ),
        (
            Field::LocationUser,
            text(user),
            text(desired.location_user()),
        ),
        (Field::Parts, parts(&current.parts), parts(desired.parts())),
        (
            Field::Enabled,
            V::Flag(current.enabled),
            V::Flag(desired.is_enabled()),
        ),
        (Field::Time, time(have), time(want)),
        (Field::Days, days(have), days(want)),
        (
            Field::Retention,
            count(current.retention),
            count(desired.retention()),
        ),
        (
            Field::FastBackup,
            fast(current.fast_backup),
            fast(desired.fast_backup()),
        ),
    ];
    settings
        .into_iter()
        .filter(|(_, current, desired)| current != desired)
        .map(|(field, current, desired)| ScheduleChange::new(field, current, desired))
        .collect()
}

/// The parts besides `common`, which is always included, sorted and once each.
fn optional_parts(parts: &[PartId]) -> Vec<PartId> {
    sorted_once(parts.iter().filter(|p| **p != PartId::COMMON).cloned())
}
