//! Schedules and what applying options to one changes.

use chrono::{DateTime, NaiveDateTime, NaiveTime, Utc};
use serde::Serialize;
use vcsa_backup::{
    ApplianceTime, BlockReason, DayOfWeek, Field, PartId, Schedule, ScheduleAction, ScheduleChange,
    ScheduleDiff, SettingValue,
};

use crate::human;

/// One schedule, with when it runs next by the appliance's clock.
#[derive(Debug, Serialize)]
pub struct ScheduleView {
    /// The schedule's id.
    pub id: String,
    /// Whether it runs on its own.
    pub enabled: bool,
    /// The root of the backup location.
    pub location: String,
    /// The user on the backup server; `null` when none.
    pub location_user: Option<String>,
    /// The parts backed up, `common` first.
    pub parts: Vec<String>,
    /// `HH:MM` on the appliance's clock; `null`: it runs only when asked to.
    pub time: Option<String>,
    /// The days it runs (`MONDAY`..), all seven for every day; empty without a time.
    pub days: Vec<String>,
    /// The appliance's time zone, which `time` is in; `null` when its clock could not be read.
    pub time_zone: Option<String>,
    /// How many backups it keeps; `null`: all of them.
    pub keep: Option<u32>,
    /// Whether fast backup is asked for; `null` when the appliance does not say.
    pub fast_backup: Option<bool>,
    /// When it runs next; `null` when it is disabled, has no time, or the clock is unknown.
    pub next_run: Option<DateTime<Utc>>,
    /// The same in the appliance's local time, `YYYY-MM-DDTHH:MM:SS`.
    pub next_run_local: Option<NaiveDateTime>,
    /// When it runs, in words (`every day at 23:30`), for tables.
    #[serde(skip)]
    when: String,
}

impl ScheduleView {
    /// The view of `schedule`, its next run computed from the appliance's `clock`.
    pub fn new(schedule: &Schedule, clock: Option<&ApplianceTime>) -> Self {
        let next_run = schedule
            .recurrence
            .as_ref()
            .filter(|_| schedule.enabled)
            .and_then(|r| clock?.next_run(r));
        let mut parts = vec![PartId::COMMON.as_str().to_string()];
        parts.extend(
            schedule
                .parts
                .iter()
                .filter(|p| **p != PartId::COMMON)
                .map(|p| p.as_str().to_string()),
        );
        Self {
            id: schedule.id.clone(),
            enabled: schedule.enabled,
            location: schedule.location.clone(),
            location_user: schedule.location_user.clone().filter(|u| !u.is_empty()),
            parts,
            time: schedule
                .recurrence
                .as_ref()
                .map(|r| r.time().format("%H:%M").to_string()),
            days: schedule
                .recurrence
                .as_ref()
                .map(|r| r.day_set().iter().map(|d| d.as_str().to_string()).collect())
                .unwrap_or_default(),
            time_zone: clock.map(|c| c.time_zone.clone()),
            keep: schedule.retention.map(|r| r.max_count),
            fast_backup: schedule.fast_backup,
            next_run,
            next_run_local: next_run.and_then(|t| clock?.to_local(t)),
            when: match &schedule.recurrence {
                Some(r) => format!("{r}{}", zone_suffix(clock)),
                None => "only when run".to_string(),
            },
        }
    }

    /// The next run for a table: local time and zone, and UTC when the zone is another.
    fn next_run_text(&self) -> String {
        match (self.next_run, self.next_run_local, &self.time_zone) {
            (Some(utc), Some(local), Some(zone)) => local_and_utc(local, zone, utc),
            _ if !self.enabled => "- (disabled)".to_string(),
            _ if self.time.is_none() => "- (only when run)".to_string(),
            _ => "-".to_string(),
        }
    }

    /// Field and value pairs for `schedule show`.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let mut rows = vec![
            ("Schedule", self.id.clone()),
            ("Enabled", yes_no(self.enabled)),
            ("Runs", self.when.clone()),
            ("Next run", self.next_run_text()),
            ("Keeps", keep(self.keep)),
            ("Location", self.location.clone()),
        ];
        if let Some(user) = &self.location_user {
            rows.push(("Location user", user.clone()));
        }
        rows.push(("Parts", self.parts.join(", ")));
        if let Some(fast) = self.fast_backup {
            rows.push(("Fast backup", yes_no(fast)));
        }
        rows
    }

    /// The table columns of `schedule list`; `schedule show` and the JSON output add the
    /// days, the parts and the next run in UTC.
    pub const HEADERS: [&'static str; 6] = [
        "SCHEDULE", "ENABLED", "RUNS", "NEXT RUN", "KEEPS", "LOCATION",
    ];

    /// Where the table shortens long cells: the location in the middle, then the id.
    pub const FITS: [(usize, crate::output::Shorten); 2] = [
        (5, crate::output::Shorten::Middle),
        (0, crate::output::Shorten::Middle),
    ];

    /// The table cells of `schedule list`.
    pub fn cells(&self) -> Vec<String> {
        let next_run = match (self.next_run_local, &self.time_zone) {
            (Some(local), Some(zone)) => format!("{} {zone}", local.format("%Y-%m-%d %H:%M")),
            _ if !self.enabled => "- (disabled)".to_string(),
            _ => "-".to_string(),
        };
        vec![
            self.id.clone(),
            yes_no(self.enabled),
            match &self.time {
                Some(time) if self.days.is_empty() || self.days.len() == 7 => {
                    format!("daily {time}")
                }
                Some(time) => {
                    let days: Vec<DayOfWeek> = self
                        .days
                        .iter()
                        .map(|d| DayOfWeek::from(d.as_str()))
                        .collect();
                    format!("{} {time}", days_text(&days))
                }
                None => "run only".to_string(),
            },
            next_run,
            // The newest N, or all.
            self.keep
                .map_or_else(|| "all".to_string(), |n| n.to_string()),
            self.location.clone(),
        ]
    }
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

fn keep(count: Option<u32>) -> String {
    match count {
        Some(1) => "newest 1".to_string(),
        Some(n) => format!("newest {n}"),
        None => "all".to_string(),
    }
}

/// ` (UTC)`: the zone a time of day is in, when known.
fn zone_suffix(clock: Option<&ApplianceTime>) -> String {
    clock.map_or_else(String::new, |c| format!(" ({})", c.time_zone))
}

/// `2024-06-01 23:30 UTC`, or `2024-06-01 23:30 Europe/Berlin (21:30 UTC)`.
fn local_and_utc(local: NaiveDateTime, zone: &str, utc: DateTime<Utc>) -> String {
    let shown = format!("{} {zone}", local.format("%Y-%m-%d %H:%M"));
    if local == utc.naive_utc() {
        shown
    } else {
        format!("{shown} ({})", human::time(utc))
    }
}

/// What applying options to a schedule changes (or would change, or cannot).
#[derive(Debug, Serialize)]
pub struct DiffView {
    /// The schedule's id.
    pub schedule: String,
    /// What applying the options does (or did).
    pub action: Action,
    /// Whether the appliance was changed.
    pub applied: bool,
    /// Whether this was a dry run (`--dry-run` or `--check`).
    pub dry_run: bool,
    /// The settings that differ: `setting`, its `current` and `desired` values (none for a
    /// password).
    pub changes: Vec<ScheduleChange>,
    /// Why an update cannot reach the options (for `blocked`).
    pub blockers: Vec<BlockerView>,
    /// The appliance's time zone, which times are in; `null` when unknown.
    pub time_zone: Option<String>,
    /// Whether passwords were given but not sent (they cannot be compared).
    #[serde(skip)]
    passwords_not_sent: bool,
}

/// What applying the options to a schedule does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// It already matches: nothing is sent.
    Unchanged,
    /// It does not exist: it is created.
    Create,
    /// The settings that differ are sent.
    Update,
    /// It is deleted and created again.
    Recreate,
    /// An update cannot reach the options (see the blockers).
    Blocked,
    /// An action of a newer SDK.
    Other,
}

/// Why an update cannot reach the options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The options remove a setting, which an update cannot do.
    CannotUnset,
    /// A new schedule needs the backup server's password.
    NeedsLocationPassword,
    /// A reason of a newer SDK.
    Other,
}

/// Why an update cannot reach the options.
#[derive(Debug, Serialize)]
pub struct BlockerView {
    /// Why.
    pub reason: Reason,
    /// The setting concerned, for `cannot_unset`.
    pub setting: Option<String>,
    /// The reason for people, with the option that helps.
    pub message: String,
}

impl DiffView {
    /// The view of `diff`; `passwords_given`: whether the options carried a password; `clock`:
    /// the appliance's, whose time zone the times are in.
    pub fn new(
        diff: &ScheduleDiff,
        dry_run: bool,
        clock: Option<&ApplianceTime>,
        passwords_given: bool,
    ) -> Self {
        let zone = clock.map(|c| c.time_zone.as_str());
        let (action, blockers) = match diff.action() {
            ScheduleAction::Unchanged => (Action::Unchanged, Vec::new()),
            ScheduleAction::Create => (Action::Create, Vec::new()),
            ScheduleAction::Update => (Action::Update, Vec::new()),
            ScheduleAction::Recreate => (Action::Recreate, Vec::new()),
            ScheduleAction::Blocked(blockers) => (
                Action::Blocked,
                blockers.iter().map(BlockerView::new).collect(),
            ),
            _ => (Action::Other, Vec::new()),
        };
        let passwords_sent = diff.changes().iter().any(|c| c.desired.is_secret());
        Self {
            schedule: diff.schedule().to_string(),
            action,
            applied: diff.is_applied(),
            dry_run,
            changes: diff.changes().to_vec(),
            blockers,
            time_zone: zone.map(str::to_string),
            passwords_not_sent: passwords_given && !passwords_sent && action != Action::Blocked,
        }
    }

    /// Whether the schedule differs from the options (something changed, or would).
    pub fn differs(&self) -> bool {
        self.action != Action::Unchanged
    }

    /// Whether an update cannot reach the options.
    pub fn is_blocked(&self) -> bool {
        self.action == Action::Blocked
    }

    /// Whether the only thing missing is the backup server's password, to create the schedule.
    pub fn needs_only_location_password(&self) -> bool {
        self.is_blocked()
            && self
                .blockers
                .iter()
                .all(|b| b.reason == Reason::NeedsLocationPassword)
    }

    /// One line per setting that differs, for people: `time of day: 23:00 UTC -> 01:30 UTC`.
    pub fn change_lines(&self) -> Vec<String> {
        let created = matches!(self.action, Action::Create | Action::Recreate)
            || self.needs_only_location_password();
        let zone = self.time_zone.as_deref();
        self.changes
            .iter()
            .map(|change| line(change, zone, created))
            .collect()
    }

    /// The text for people: a headline, a line per change; `quiet` leaves out the note about
    /// passwords not compared.
    pub fn text(&self, quiet: bool) -> String {
        let id = &self.schedule;
        let n = self.changes.len();
        let settings = if n == 1 { "setting" } else { "settings" };
        let would = if self.dry_run {
            " (dry run: nothing was changed)"
        } else {
            ""
        };
        let mut text = match (self.action, self.dry_run) {
            (Action::Unchanged, _) => format!("Schedule \"{id}\" already matches: no change."),
            (Action::Create, false) => format!("Created schedule \"{id}\" with {n} {settings}:"),
            (Action::Create, true) => {
                format!("Would create schedule \"{id}\" with {n} {settings}{would}:")
            }
            (Action::Update, false) => format!("Updated {n} {settings} of schedule \"{id}\":"),
            (Action::Update, true) => {
                format!("Would update {n} {settings} of schedule \"{id}\"{would}:")
            }
            (Action::Recreate, false) => format!(
                "Deleted schedule \"{id}\" and created it again with {n} {settings}, since an \
                 update cannot remove a setting:"
            ),
            (Action::Recreate, true) => format!(
                "Would delete schedule \"{id}\" and create it again with {n} {settings}{would}:"
            ),
            (Action::Blocked, _) if self.needs_only_location_password() => format!(
                "Schedule \"{id}\" does not exist; creating it needs the backup server's \
                 password. It would have {n} {settings}:"
            ),
            (Action::Blocked, _) => format!(
                "Schedule \"{id}\" cannot be made to match by an update; these settings differ:"
            ),
            _ => format!("Schedule \"{id}\": {n} {settings} differ:"),
        };
        for change in self.change_lines() {
            text.push_str("\n  ");
            text.push_str(&change);
        }
        if self.passwords_not_sent && !quiet {
            text.push_str(
                "\n(The passwords given were not compared or sent: the appliance never returns \
                 them. --send-passwords replaces the stored ones.)",
            );
        }
        text
    }
}

/// `time of day: 23:00 UTC -> 01:30 UTC`, or `time of day: 01:30 UTC` for a schedule being
/// created; a password is said to be set, never shown.
fn line(change: &ScheduleChange, zone: Option<&str>, created: bool) -> String {
    let setting = change.field;
    if change.desired.is_secret() {
        return format!(
            "{setting}: set (the appliance never returns it, so it is not shown or compared)"
        );
    }
    let desired = value_text(&change.desired, setting, zone);
    if created {
        format!("{setting}: {desired}")
    } else {
        let current = value_text(&change.current, setting, zone);
        format!("{setting}: {current} -> {desired}")
    }
}

/// A value as the tables show it: times with their zone, `yes`/`no`, `newest 7`, `Mon,Fri`.
fn value_text(value: &SettingValue, field: Field, zone: Option<&str>) -> String {
    match value {
        SettingValue::Time(t) => time_text(Some(*t), zone),
        SettingValue::None if field == Field::Time => time_text(None, zone),
        SettingValue::None if field == Field::Retention => keep(None),
        SettingValue::Flag(on) => yes_no(*on),
        SettingValue::Days(days) => days_text(days),
        SettingValue::Count(n) => keep(Some(*n)),
        other => other.describe(field),
    }
}

/// A setting's name as the JSON gives it, such as `location_user`.
fn setting_name(field: Field) -> Option<String> {
    serde_json::to_value(field)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
}

impl BlockerView {
    fn new(blocker: &BlockReason) -> Self {
        match blocker {
            BlockReason::CannotUnset(field) => Self {
                reason: Reason::CannotUnset,
                setting: setting_name(*field),
                message: format!(
                    "the options remove the {} ({}), and an update cannot remove a setting",
                    field.describe(),
                    option_for(*field)
                ),
            },
            BlockReason::NeedsLocationPassword => Self {
                reason: Reason::NeedsLocationPassword,
                setting: Some("location_password".to_string()),
                message: "a new schedule with --location-user needs the backup server's \
                          password (VCSA_LOCATION_PASSWORD or --location-password-file)"
                    .to_string(),
            },
            other => Self {
                reason: Reason::Other,
                setting: None,
                message: other.to_string(),
            },
        }
    }
}

/// The option that sets a schedule's setting.
fn option_for(field: Field) -> &'static str {
    match field {
        Field::Location => "--location",
        Field::LocationUser => "--location-user",
        Field::LocationPassword => "--location-password-file",
        Field::BackupPassword => "--backup-password-file",
        Field::Parts => "--part",
        Field::Enabled => "--enable/--disable",
        Field::Time => "--at",
        Field::Days => "--days",
        Field::Retention => "--keep",
        Field::FastBackup => "--fast",
        _ => "an option",
    }
}

fn hh_mm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn time_text(t: Option<NaiveTime>, zone: Option<&str>) -> String {
    match (t, zone) {
        (Some(t), Some(zone)) => format!("{} {zone}", hh_mm(t)),
        (Some(t), None) => hh_mm(t),
        (None, _) => "none (only when run)".to_string(),
    }
}

fn days_text(days: &[DayOfWeek]) -> String {
    if DayOfWeek::WEEK.iter().all(|d| days.contains(d)) {
        return "every day".to_string();
    }
    days.iter()
        .map(|d| d.name().get(..3).unwrap_or(d.name()).to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use vcsa_backup::{ApplyOptions, Recurrence, Retention, ScheduleSpec};

    fn clock(zone: &str, local: (&str, &str)) -> ApplianceTime {
        ApplianceTime::new(
            Utc.with_ymd_and_hms(2026, 5, 18, 10, 0, 0).unwrap(),
            zone,
            local.0,
            local.1,
        )
    }

    fn nightly() -> Schedule {
        let mut s = Schedule::new("nightly", "sftp://nas/backups");
        s.parts = vec![PartId::COMMON, PartId::SEAT];
        s.recurrence = Recurrence::new(23, 30, [DayOfWeek::Monday, DayOfWeek::Friday]);
        s.retention = Some(Retention { max_count: 7 });
        s
    }

    #[test]
    fn a_schedule_with_its_next_run_in_the_appliance_zone() {
        // 2026-05-18 is a Monday; Berlin is 2 hours ahead of UTC in May.
        let berlin = clock("Europe/Berlin", ("Mon 05-18-2026", "12:00:00"));
        let view = ScheduleView::new(&nightly(), Some(&berlin));
        assert_eq!(view.time.as_deref(), Some("23:30"));
        assert_eq!(view.days, ["MONDAY", "FRIDAY"]);
        assert_eq!(
            view.next_run,
            Some(Utc.with_ymd_and_hms(2026, 5, 18, 21, 30, 0).unwrap())
        );
        assert_eq!(
            view.fields()[2..4],
            [
                (
                    "Runs",
                    "Monday and Friday at 23:30 (Europe/Berlin)".to_string()
                ),
                (
                    "Next run",
                    "2026-05-18 23:30 Europe/Berlin (2026-05-18 21:30:00 UTC)".to_string()
                ),
            ]
        );
        assert_eq!(view.parts, ["common", "seat"]);
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["next_run"], "2026-05-18T21:30:00Z");
        assert_eq!(json["next_run_local"], "2026-05-18T23:30:00");
        assert_eq!(json["keep"], 7);
    }

    #[test]
    fn disabled_or_timeless_schedules_have_no_next_run() {
        let utc = clock("UTC", ("Mon 05-18-2026", "10:00:00"));
        let mut s = nightly();
        s.enabled = false;
        let view = ScheduleView::new(&s, Some(&utc));
        assert_eq!(view.next_run, None);
        assert_eq!(view.cells()[3], "- (disabled)");
        let view = ScheduleView::new(&Schedule::new("manual", "nfs://f:/b"), Some(&utc));
        assert_eq!(view.cells()[2..4], ["run only", "-"]);
        assert_eq!(
            ScheduleView::new(&nightly(), Some(&utc)).cells()[2],
            "Mon,Fri 23:30"
        );
        assert!(view.days.is_empty());
        let view = ScheduleView::new(&nightly(), None);
        assert_eq!(view.cells()[3], "-", "the clock could not be read");
        assert_eq!(
            ScheduleView::new(&nightly(), Some(&utc)).cells()[3],
            "2026-05-18 23:30 UTC"
        );
    }

    #[test]
    fn a_diff_names_settings_and_shows_no_password() {
        let spec = ScheduleSpec::builder()
            .location("sftp://nas/backups")
            .part("seat")
            .at(2, 0)
            .days([DayOfWeek::Monday, DayOfWeek::Friday])
            .backup_password(vcsa_backup::Secret::new("Backup-2024!"))
            .build()
            .unwrap();
        let diff = ScheduleDiff::between("nightly", Some(&nightly()), &spec, ApplyOptions::new());
        let utc = clock("UTC", ("Mon 05-18-2026", "10:00:00"));
        let view = DiffView::new(&diff, true, Some(&utc), true);
        assert!(view.differs() && view.is_blocked());
        assert_eq!(
            view.text(false),
            "Schedule \"nightly\" cannot be made to match by an update; these settings differ:\n  \
             time of day: 23:30 UTC -> 02:00 UTC\n  retention: newest 7 -> all"
        );
        assert_eq!(view.blockers[0].setting.as_deref(), Some("retention"));
        assert!(view.blockers[0].message.contains("--keep"));
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["changes"][0]["setting"], "time");
        assert_eq!(json["changes"][0]["current"], "23:30");
        assert_eq!(json["changes"][1]["desired"], serde_json::Value::Null);

        let create = ScheduleDiff::between("nightly", None, &spec, ApplyOptions::new());
        let view = DiffView::new(&create, false, None, true);
        let text = view.text(false);
        assert_eq!(
            text,
            "Created schedule \"nightly\" with 5 settings:\n  \
             backup location: sftp://nas/backups\n  \
             parts: common, seat\n  \
             time of day: 02:00\n  \
             days: Mon,Fri\n  \
             backup encryption password: set (the appliance never returns it, so it is not shown or compared)"
        );
        assert!(text.contains("backup encryption password: set"), "{text}");
        assert!(!text.contains("Backup-2024!"));
        let json = serde_json::to_string(&view).unwrap();
        assert!(!json.contains("Backup-2024!"), "{json}");
    }
}
