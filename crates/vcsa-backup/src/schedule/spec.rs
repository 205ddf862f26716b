//! What a backup schedule should be: checked completely before anything is sent.

use crate::backup::location::{LocationType, check_credentials};
use crate::backup::part::{PartId, check_parts};
use crate::backup::password::check_backup_password;
use crate::catalog::location::check_root;
use crate::error::{BuildError, Field, Problem};
use crate::schedule::update::ScheduleUpdate;
use crate::schedule::{DayOfWeek, Recurrence, Retention, sorted_once};
use vcsa_backup_api::Secret;

/// A checked backup schedule, for [`Client::create_schedule`](crate::Client::create_schedule),
/// [`update_schedule`](crate::Client::update_schedule) and
/// [`apply_schedule`](crate::Client::apply_schedule).
///
/// Built with [`ScheduleSpec::builder`], which checks every setting and reports every problem at
/// once. Left unset, a schedule is enabled, backs up only the parts that are always included,
/// keeps every backup, and has no time of its own (it runs only when asked to, with
/// [`Client::run_schedule`](crate::Client::run_schedule)). `Debug` never shows the passwords.
///
/// ```
/// use vcsa_backup::{DayOfWeek, PartId, ScheduleSpec, Secret};
///
/// let spec = ScheduleSpec::builder()
///     .location("sftp://nas.example.com/backups/vcsa")
///     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
///     .backup_password(Secret::new("Backup-2024!"))
///     .part(PartId::SEAT)
///     .at(23, 30)
///     .days([DayOfWeek::Monday, DayOfWeek::Wednesday, DayOfWeek::Friday])
///     .keep(7)
///     .build()?;
/// assert_eq!(spec.recurrence().unwrap().to_string(), "Monday, Wednesday and Friday at 23:30");
/// assert!(!format!("{spec:?}").contains("Backup-2024!"));
/// # Ok::<(), vcsa_backup::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleSpec {
    pub(crate) location_type: LocationType,
    /// The location always set; the time and days in `recurrence` instead; `enabled` only when
    /// disabled and `parts` only when not empty, so that unset and the default are one value.
    pub(crate) settings: ScheduleUpdate,
    pub(crate) recurrence: Option<Recurrence>,
}

impl ScheduleSpec {
    /// Starts a schedule; [`ScheduleSpecBuilder::build`] checks it.
    pub fn builder() -> ScheduleSpecBuilder {
        ScheduleSpecBuilder::default()
    }

    /// The root of the backup location: the appliance writes each backup under it, in
    /// `vCenter/sn_<system name>/S_<version>_<time>_`.
    pub fn location(&self) -> &str {
        self.settings.location.as_deref().unwrap_or_default()
    }

    /// The protocol, from the location's scheme.
    pub fn location_type(&self) -> LocationType {
        self.location_type
    }

    /// The user name for the location, if one is used.
    pub fn location_user(&self) -> Option<&str> {
        self.settings.location_user.as_deref()
    }

    /// Whether the spec carries the location's password.
    pub fn has_location_password(&self) -> bool {
        self.settings.location_password.is_some()
    }

    /// Whether the backups will be encrypted with a password.
    pub fn is_encrypted(&self) -> bool {
        self.settings.backup_password.is_some()
    }

    /// The optional parts to include, in the order given (`common` is always included).
    pub fn parts(&self) -> &[PartId] {
        self.settings.parts.as_deref().unwrap_or_default()
    }

    /// Whether the schedule runs on its own.
    pub fn is_enabled(&self) -> bool {
        self.settings.enabled.unwrap_or(true)
    }

    /// When it runs; `None`: only when asked to.
    pub fn recurrence(&self) -> Option<&Recurrence> {
        self.recurrence.as_ref()
    }

    /// How many backups it keeps; `None`: all of them.
    pub fn retention(&self) -> Option<Retention> {
        self.settings.retention
    }

    /// Whether the fast database backup is asked for; `None` leaves it to the appliance.
    pub fn fast_backup(&self) -> Option<bool> {
        self.settings.fast_backup
    }
}

/// Collects the settings of a [`ScheduleSpec`]; [`build`](Self::build) checks them all at once.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ScheduleSpecBuilder {
    /// The settings as given, but the two kept below until they are checked: the location
    /// unchecked, the days unsorted, the retention possibly 0.
    given: ScheduleUpdate,
    time: Option<(u32, u32)>,
    backup_password: Option<Secret>,
}

impl ScheduleSpecBuilder {
    /// The root of the backup location, a URL such as `sftp://host/path`,
    /// `nfs://host:/export/path` or `smb://server/share/path`. Schedules have no separate
    /// protocol setting: the scheme says it. A trailing `/` is dropped.
    pub fn location(mut self, location: impl Into<String>) -> Self {
        self.given.location = Some(location.into());
        self
    }

    /// The user name and password for the location (all protocols but NFS).
    pub fn location_credentials(
        mut self,
        user: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        self.given.location_user = Some(user.into());
        self.given.location_password = Some(password.into());
        self
    }

    /// The user name for the location without its password, for a spec that only updates a
    /// schedule and leaves the stored password as it is. Creating a schedule needs the password:
    /// use [`location_credentials`](Self::location_credentials) then.
    pub fn location_user(mut self, user: impl Into<String>) -> Self {
        self.given.location_user = Some(user.into());
        self.given.location_password = None;
        self
    }

    /// Encrypts the backups with this password, checked against the appliance's rules (see
    /// [`BackupPassword`](crate::BackupPassword)).
    pub fn backup_password(mut self, password: impl Into<Secret>) -> Self {
        self.backup_password = Some(password.into());
        self
    }

    /// Adds an optional part, such as [`PartId::SEAT`]; `common` is always backed up.
    pub fn part(mut self, part: impl Into<PartId>) -> Self {
        self.given.parts.get_or_insert_default().push(part.into());
        self
    }

    /// Adds several optional parts. In an update, an empty list removes every optional part.
    pub fn parts(mut self, parts: impl IntoIterator<Item = impl Into<PartId>>) -> Self {
        let given = parts.into_iter().map(Into::into);
        self.given.parts.get_or_insert_default().extend(given);
        self
    }

    /// Whether the schedule runs on its own (default: enabled).
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.given.enabled = Some(enabled);
        self
    }

    /// The time it runs: `hour` 0 to 23 and `minute` 0 to 59 of the appliance's clock, in its
    /// time zone (usually UTC; see [`Client::get_appliance_time`](crate::Client::get_appliance_time)).
    pub fn at(mut self, hour: u32, minute: u32) -> Self {
        self.time = Some((hour, minute));
        self
    }

    /// The days it runs; without any, it runs every day. Needs [`at`](Self::at), except in an
    /// update, which keeps the schedule's time.
    pub fn days(mut self, days: impl IntoIterator<Item = impl Into<DayOfWeek>>) -> Self {
        let given = days.into_iter().map(Into::into);
        self.given.days.get_or_insert_default().extend(given);
        self
    }

    /// Keeps the newest `count` backups of this schedule (at least 1); the appliance removes
    /// older ones in a daily pass at 00:00 UTC. Without it, every backup is kept.
    pub fn keep(mut self, count: u32) -> Self {
        self.given.retention = Some(Retention { max_count: count });
        self
    }

    /// Asks for (or declines) the fast database backup (vSphere 8.0 and later).
    pub fn fast_backup(mut self, fast: bool) -> Self {
        self.given.fast_backup = Some(fast);
        self
    }

    /// Checks every setting and reports every problem at once, for a whole schedule: to create
    /// it, or to apply it with [`Client::apply_schedule`](crate::Client::apply_schedule).
    ///
    /// # Errors
    ///
    /// A [`BuildError`] listing every problem: the location (missing, without a
    /// scheme, a scheme the appliance does not know, no folder), the credentials (for NFS,
    /// empty), the parts (not a part id, listed twice), an hour outside 0-23 or a minute outside
    /// 0-59, days that are not days of the week, listed twice or without a time, a retention
    /// of 0, a backup password that breaks the appliance's rules. Never quotes a password.
    pub fn build(self) -> Result<ScheduleSpec, BuildError> {
        let (location_type, mut settings) = self.check(Need::WholeSchedule)?;
        // `check` refuses a whole schedule without a location, with its problem.
        let Some(location_type) = location_type else {
            return Err(BuildError::new(Vec::new()));
        };
        let days = settings.days.take().unwrap_or_default();
        let time = settings.time.take();
        let recurrence = time.map(|(hour, minute)| Recurrence { hour, minute, days });
        settings.enabled = settings.enabled.filter(|enabled| !enabled);
        settings.parts = settings.parts.filter(|parts| !parts.is_empty());
        Ok(ScheduleSpec {
            location_type,
            settings,
            recurrence,
        })
    }

    /// Checks the settings given, for an update that changes only them
    /// ([`Client::update_schedule`](crate::Client::update_schedule)): the location is optional,
    /// and days may come without a time (the schedule's time is kept), or a time without days
    /// (its days are kept).
    ///
    /// # Errors
    ///
    /// As [`build`](Self::build), and when nothing at all is to change.
    pub fn build_update(self) -> Result<ScheduleUpdate, BuildError> {
        Ok(self.check(Need::Changes)?.1)
    }

    /// The settings given, checked, with the location's protocol when a location is given.
    fn check(self, need: Need) -> Result<(Option<LocationType>, ScheduleUpdate), BuildError> {
        let mut problems = Vec::new();
        let mut settings = self.given;
        let user = settings.location_user.as_deref();
        let password = settings.location_password.as_ref();
        let root = if need == Need::Changes && settings.location.is_none() {
            // The schedule keeps its location; the credentials still get their own checks.
            check_credentials(None, user, password, &mut problems);
            None
        } else {
            check_root(settings.location.as_deref(), user, password, &mut problems)
        };
        check_parts(settings.parts.as_deref().unwrap_or_default(), &mut problems);
        check_days(settings.days.as_deref().unwrap_or_default(), &mut problems);
        settings.time = check_time(self.time, &mut problems);
        if need == Need::WholeSchedule && self.time.is_none() && settings.days.is_some() {
            problems.push(Problem::new(
                Field::Days,
                "days are given but no time of day; set the time the backup runs, such as 23:00",
            ));
        }
        if settings.retention == Some(Retention { max_count: 0 }) {
            problems.push(Problem::new(
                Field::Retention,
                "a schedule must keep at least 1 backup; to keep every backup, set no \
                 retention",
            ));
        }
        settings.backup_password = check_backup_password(self.backup_password, &mut problems);
        if need == Need::Changes && problems.is_empty() && settings == ScheduleUpdate::default() {
            problems.push(Problem::new(
                Field::Schedule,
                "the update changes nothing; give at least one setting to change",
            ));
        }
        if !problems.is_empty() || (need == Need::WholeSchedule && root.is_none()) {
            return Err(BuildError::new(problems));
        }
        let location_type = root.as_ref().map(|r| r.location_type);
        settings.location = root.map(|r| r.url);
        settings.days = settings.days.map(sorted_once);
        Ok((location_type, settings))
    }
}

/// What a build needs: a whole schedule, or only the settings that change.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    WholeSchedule,
    Changes,
}

fn check_days(days: &[DayOfWeek], problems: &mut Vec<Problem>) {
    for (i, day) in days.iter().enumerate() {
        if !day.is_known() {
            problems.push(Problem::new(
                Field::Days,
                format!(
                    "\"{day}\" is not a day of the week; use Monday to Sunday (mon, tue, wed, \
                     thu, fri, sat, sun)"
                ),
            ));
        } else if days[..i].iter().filter(|d| *d == day).count() == 1 {
            // Said once, at its second listing, however often it repeats.
            problems.push(Problem::new(
                Field::Days,
                format!("{} is listed twice; list each day once", day.name()),
            ));
        }
    }
}

fn check_time(time: Option<(u32, u32)>, problems: &mut Vec<Problem>) -> Option<(u8, u8)> {
    let (hour, minute) = time?;
    let h = u8::try_from(hour).ok().filter(|h| *h < 24);
    let m = u8::try_from(minute).ok().filter(|m| *m < 60);
    if h.is_none() {
        problems.push(Problem::new(
            Field::Hour,
            format!("{hour} is not an hour; give 0 to 23 (the appliance's 24-hour clock)"),
        ));
    }
    if m.is_none() {
        problems.push(Problem::new(
            Field::Minute,
            format!("{minute} is not a minute; give 0 to 59"),
        ));
    }
    Some((h?, m?))
}
