//! Schedules and what applying options to one changes.

use chrono::{DateTime, NaiveDateTime, NaiveTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use vcsa_backup::{
    ApplianceTime, Blocker, DayOfWeek, PartId, Retention, Schedule, ScheduleAction, ScheduleChange,
    ScheduleDiff, ScheduleField,
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

    /// The table columns of `schedule list`.
    pub const HEADERS: [&'static str; 7] = [
        "SCHEDULE", "ENABLED", "RUNS", "NEXT RUN", "KEEPS", "PARTS", "LOCATION",
    ];

    /// The table cells of `schedule list`.
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            yes_no(self.enabled),
            self.when.clone(),
            self.next_run_text(),
            keep(self.keep),
            self.parts.join(","),
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
    /// `unchanged`, `create`, `update`, `recreate` or `blocked`.
    pub action: &'static str,
    /// Whether the appliance was changed.
    pub applied: bool,
    /// Whether this was a dry run (`--dry-run` or `--check`).
    pub dry_run: bool,
    /// The settings that differ.
    pub changes: Vec<ChangeView>,
    /// Why an update cannot reach the options (for `blocked`).
    pub blockers: Vec<BlockerView>,
    /// The appliance's time zone, which times are in; `null` when unknown.
    pub time_zone: Option<String>,
    /// Whether passwords were given but not sent (they cannot be compared).
    #[serde(skip)]
    passwords_not_sent: bool,
}

/// One setting that differs.
#[derive(Debug, Serialize)]
pub struct ChangeView {
    /// The setting: `location`, `location_user`, `location_password`, `backup_password`,
    /// `parts`, `enabled`, `time`, `days`, `retention` or `fast_backup`.
    pub setting: String,
    /// Its value on the appliance (`null`: none); absent for a password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<Value>,
    /// Its value in the options; absent for a password (which is sent, never shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired: Option<Value>,
    /// The setting, its value on the appliance and in the options, for people; no values for
    /// a password.
    #[serde(skip)]
    text: (&'static str, Option<(String, String)>),
}

impl ChangeView {
    /// `time: 23:00 -> 01:30`, or `time: 01:30` for a schedule being created.
    fn line(&self, created: bool) -> String {
        match &self.text {
            (setting, None) => format!(
                "{setting}: set (the appliance never returns it, so it is not shown or compared)"
            ),
            (setting, Some((_, desired))) if created => format!("{setting}: {desired}"),
            (setting, Some((current, desired))) => format!("{setting}: {current} -> {desired}"),
        }
    }
}

/// Why an update cannot reach the options.
#[derive(Debug, Serialize)]
pub struct BlockerView {
    /// `cannot_unset` or `needs_location_password`.
    pub reason: &'static str,
    /// The setting concerned, for `cannot_unset`.
    pub setting: Option<String>,
    /// The reason for people, with the option that helps.
    pub message: String,
}

impl DiffView {
    /// The view of `diff`; `passwords_given`: whether the options carried a password.
    pub fn new(
        diff: &ScheduleDiff,
        dry_run: bool,
        clock: Option<&ApplianceTime>,
        passwords_given: bool,
    ) -> Self {
        let zone = clock.map(|c| c.time_zone.as_str());
        let (action, blockers) = match diff.action() {
            ScheduleAction::Unchanged => ("unchanged", Vec::new()),
            ScheduleAction::Create => ("create", Vec::new()),
            ScheduleAction::Update => ("update", Vec::new()),
            ScheduleAction::Recreate => ("recreate", Vec::new()),
            ScheduleAction::Blocked(blockers) => {
                ("blocked", blockers.iter().map(BlockerView::new).collect())
            }
            _ => ("other", Vec::new()),
        };
        let passwords_sent = diff.changes_field(ScheduleField::LocationPassword)
            || diff.changes_field(ScheduleField::BackupPassword);
        Self {
            schedule: diff.schedule().to_string(),
            action,
            applied: diff.is_applied(),
            dry_run,
            changes: diff
                .changes()
                .iter()
                .map(|c| ChangeView::new(c, zone))
                .collect(),
            blockers,
            time_zone: zone.map(str::to_string),
            passwords_not_sent: passwords_given && !passwords_sent && action != "blocked",
        }
    }

    /// Whether the schedule differs from the options (something changed, or would).
    pub fn differs(&self) -> bool {
        self.action != "unchanged"
    }

    /// Whether an update cannot reach the options.
    pub fn is_blocked(&self) -> bool {
        self.action == "blocked"
    }

    /// Whether the only thing missing is the backup server's password, to create the schedule.
    pub fn needs_only_location_password(&self) -> bool {
        self.is_blocked()
            && self
                .blockers
                .iter()
                .all(|b| b.reason == "needs_location_password")
    }

    /// The text for people: a headline, a line per change.
    pub fn text(&self) -> String {
        let id = &self.schedule;
        let n = self.changes.len();
        let settings = if n == 1 { "setting" } else { "settings" };
        let would = if self.dry_run {
            " (dry run: nothing was changed)"
        } else {
            ""
        };
        let mut text = match (self.action, self.dry_run) {
            ("unchanged", _) => format!("Schedule \"{id}\" already matches: no change."),
            ("create", false) => format!("Created schedule \"{id}\" with {n} {settings}:"),
            ("create", true) => {
                format!("Would create schedule \"{id}\" with {n} {settings}{would}:")
            }
            ("update", false) => format!("Updated {n} {settings} of schedule \"{id}\":"),
            ("update", true) => format!("Would update {n} {settings} of schedule \"{id}\"{would}:"),
            ("recreate", false) => format!(
                "Deleted schedule \"{id}\" and created it again with {n} {settings}, since an \
                 update cannot remove a setting:"
            ),
            ("recreate", true) => format!(
                "Would delete schedule \"{id}\" and create it again with {n} {settings}{would}:"
            ),
            ("blocked", _) if self.needs_only_location_password() => format!(
                "Schedule \"{id}\" does not exist; creating it needs the backup server's \
                 password. It would have {n} {settings}:"
            ),
            ("blocked", _) => format!(
                "Schedule \"{id}\" cannot be made to match by an update; these settings differ:"
            ),
            _ => format!("Schedule \"{id}\": {n} {settings} differ:"),
        };
        let created =
            matches!(self.action, "create" | "recreate") || self.needs_only_location_password();
        for change in &self.changes {
            text.push_str("\n  ");
            text.push_str(&change.line(created));
        }
        if self.passwords_not_sent {
            text.push_str(
                "\n(The passwords given were not compared or sent: the appliance never returns \
                 them. --send-passwords replaces the stored ones.)",
            );
        }
        text
    }
}

impl ChangeView {
    fn new(change: &ScheduleChange, zone: Option<&str>) -> Self {
        let setting = change.field();
        let name = serde_json::to_value(setting)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| setting.describe().replace(' ', "_"));
        let (current, desired, shown): (Option<Value>, Option<Value>, (String, String)) =
            match change {
                ScheduleChange::Location { current, desired } => (
                    Some(json!(current)),
                    Some(json!(desired)),
                    (none(current.as_deref()), desired.clone()),
                ),
                ScheduleChange::LocationUser { current, desired } => (
                    Some(json!(current)),
                    Some(json!(desired)),
                    (none(current.as_deref()), none(desired.as_deref())),
                ),
                ScheduleChange::Parts { current, desired } => (
                    Some(json!(part_names(current))),
                    Some(json!(part_names(desired))),
                    (parts_text(current), parts_text(desired)),
                ),
                ScheduleChange::Enabled { current, desired }
                | ScheduleChange::FastBackup { current, desired } => (
                    Some(json!(current)),
                    Some(json!(desired)),
                    (yes_no(*current), yes_no(*desired)),
                ),
                ScheduleChange::Time { current, desired } => (
                    Some(json!(current.map(hh_mm))),
                    Some(json!(desired.map(hh_mm))),
                    (time_text(*current, zone), time_text(*desired, zone)),
                ),
                ScheduleChange::Days { current, desired } => (
                    Some(json!(day_names(current))),
                    Some(json!(day_names(desired))),
                    (days_text(current), days_text(desired)),
                ),
                ScheduleChange::Retention { current, desired } => (
                    Some(json!(current.map(|r| r.max_count))),
                    Some(json!(desired.map(|r| r.max_count))),
                    (retention_text(*current), retention_text(*desired)),
                ),
                // The passwords, and settings a newer SDK compares: no values to show.
                _ => {
                    return Self {
                        setting: name,
                        current: None,
                        desired: None,
                        text: (setting.describe(), None),
                    };
                }
            };
        Self {
            setting: name,
            current,
            desired,
            text: (setting.describe(), Some(shown)),
        }
    }
}

impl BlockerView {
    fn new(blocker: &Blocker) -> Self {
        match blocker {
            Blocker::CannotUnset(field) => Self {
                reason: "cannot_unset",
                setting: Some(field.describe().replace(' ', "_")),
                message: format!(
                    "the options remove the {} ({}), and an update cannot remove a setting",
                    field.describe(),
                    option_for(*field)
                ),
            },
            Blocker::NeedsLocationPassword => Self {
                reason: "needs_location_password",
                setting: Some("location_password".to_string()),
                message: "a new schedule with --location-user needs the backup server's \
                          password (VCSA_LOCATION_PASSWORD or --location-password-file)"
                    .to_string(),
            },
            other => Self {
                reason: "other",
                setting: None,
                message: other.to_string(),
            },
        }
    }
}

/// The option that sets a schedule's setting.
fn option_for(field: ScheduleField) -> &'static str {
    match field {
        ScheduleField::Location => "--location",
        ScheduleField::LocationUser => "--location-user",
        ScheduleField::LocationPassword => "--location-password-file",
        ScheduleField::BackupPassword => "--backup-password-file",
        ScheduleField::Parts => "--part",
        ScheduleField::Enabled => "--enable/--disable",
        ScheduleField::Time => "--at",
        ScheduleField::Days => "--days",
        ScheduleField::Retention => "--keep",
        ScheduleField::FastBackup => "--fast",
        _ => "an option",
    }
}

fn none(value: Option<&str>) -> String {
    value.unwrap_or("none").to_string()
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

fn part_names(parts: &[PartId]) -> Vec<&str> {
    parts.iter().map(PartId::as_str).collect()
}

fn parts_text(parts: &[PartId]) -> String {
    let mut names = vec![PartId::COMMON.as_str()];
    names.extend(part_names(parts).into_iter().filter(|p| *p != "common"));
    names.join(", ")
}

fn day_names(days: &[DayOfWeek]) -> Vec<&str> {
    days.iter().map(DayOfWeek::as_str).collect()
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

fn retention_text(r: Option<Retention>) -> String {
    keep(r.map(|r| r.max_count))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use vcsa_backup::{ApplyOptions, Recurrence, ScheduleSpec};

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
        assert_eq!(view.cells()[2..4], ["only when run", "- (only when run)"]);
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
            view.text(),
            "Schedule \"nightly\" cannot be made to match by an update; these settings differ:\n  \
             time: 23:30 UTC -> 02:00 UTC\n  retention: newest 7 -> all"
        );
        assert_eq!(view.blockers[0].setting.as_deref(), Some("retention"));
        assert!(view.blockers[0].message.contains("--keep"));
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["changes"][0]["setting"], "time");
        assert_eq!(json["changes"][0]["current"], "23:30");
        assert_eq!(json["changes"][1]["desired"], Value::Null);

        let create = ScheduleDiff::between("nightly", None, &spec, ApplyOptions::new());
        let view = DiffView::new(&create, false, None, true);
        let text = view.text();
        assert_eq!(
            text,
            "Created schedule \"nightly\" with 5 settings:\n  \
             location: sftp://nas/backups\n  \
             parts: common, seat\n  \
             time: 02:00\n  \
             days: Mon,Fri\n  \
             backup password: set (the appliance never returns it, so it is not shown or compared)"
        );
        assert!(text.contains("backup password: set"), "{text}");
        assert!(!text.contains("Backup-2024!"));
        let json = serde_json::to_string(&view).unwrap();
        assert!(!json.contains("Backup-2024!"), "{json}");
    }
}
