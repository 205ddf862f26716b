//! `schedule list|show|create|update|delete|apply`: the appliance's backup schedules.

use chrono::{DateTime, Utc};
use serde::Serialize;
use vcsa_backup::{
    ApplianceTime, ApplyOptions, DayOfWeek, Schedule, ScheduleAction, ScheduleDiff, ScheduleSpec,
    ScheduleSpecBuilder,
};

use super::Context;
use crate::cli::{ScheduleApplyArgs, ScheduleCommand, ScheduleSettings, ScheduleWriteArgs};
use crate::failure::{ExitCode, Failure};
use crate::{human, output, secrets};

/// Runs a `schedule` subcommand.
pub async fn run(ctx: &Context, command: &ScheduleCommand) -> Result<(), Failure> {
    match command {
        ScheduleCommand::List => list(ctx).await,
        ScheduleCommand::Show(args) => show(ctx, args.schedule.trim()).await,
        ScheduleCommand::Create(args) => create(ctx, args).await,
        ScheduleCommand::Update(args) => update(ctx, args).await,
        ScheduleCommand::Delete(args) => delete(ctx, args.schedule.trim()).await,
        ScheduleCommand::Apply(args) => apply(ctx, args).await,
        ScheduleCommand::Run(args) => super::schedule::run(ctx, args).await,
    }
}

/// One schedule, for scripts (stable names) and people.
#[derive(Debug, Serialize)]
struct ScheduleView {
    id: String,
    enabled: bool,
    location: String,
    location_user: Option<String>,
    /// Every part backed up, `common` included.
    parts: Vec<String>,
    /// `HH:MM` in the appliance's time zone; `null`: it runs only when asked to.
    at: Option<String>,
    /// `MONDAY`..`SUNDAY`; empty: every day.
    days: Vec<String>,
    /// How many backups it keeps; `null`: all.
    keep: Option<u32>,
    fast_backup: Option<bool>,
    /// The appliance's time zone, which `at` is in.
    time_zone: String,
    /// When it runs next (UTC); `null` when disabled or without a time.
    next_run: Option<DateTime<Utc>>,
    #[serde(skip)]
    runs: String,
}

impl ScheduleView {
    fn new(s: &Schedule, time: &ApplianceTime) -> Self {
        let r = s.recurrence.as_ref();
        let runs = match r {
            Some(r) => format!("{r} {}", time.time_zone),
            None => "only when run".into(),
        };
        Self {
            id: s.id.clone(),
            enabled: s.enabled,
            location: s.location.clone(),
            location_user: s.location_user.clone().filter(|u| !u.is_empty()),
            parts: s.parts.iter().map(|p| p.as_str().to_string()).collect(),
            at: r.map(|r| format!("{:02}:{:02}", r.hour, r.minute)),
            days: r
                .map(|r| r.days.iter().map(|d| d.as_str().to_string()).collect())
                .unwrap_or_default(),
            keep: s.retention.map(|r| r.max_count),
            fast_backup: s.fast_backup,
            time_zone: time.time_zone.clone(),
            next_run: r.filter(|_| s.enabled).and_then(|r| time.next_run(r)),
            runs,
        }
    }

    const HEADERS: [&'static str; 7] = [
        "SCHEDULE", "ENABLED", "RUNS", "NEXT RUN", "LOCATION", "PARTS", "KEEP",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            if self.enabled { "yes" } else { "no" }.into(),
            self.runs.clone(),
            self.next_run.map_or_else(|| "-".into(), human::time),
            self.location.clone(),
            self.parts.join(","),
            self.keep.map_or_else(|| "all".into(), |k| k.to_string()),
        ]
    }

    fn fields(&self) -> Vec<(&'static str, String)> {
        let mut rows = vec![
            ("Schedule", self.id.clone()),
            ("Enabled", if self.enabled { "yes" } else { "no" }.into()),
            ("Runs", self.runs.clone()),
            (
                "Next run",
                self.next_run.map_or_else(|| "-".into(), human::time),
            ),
            ("Location", self.location.clone()),
        ];
        if let Some(user) = &self.location_user {
            rows.push(("Location user", user.clone()));
        }
        rows.push(("Parts", self.parts.join(", ")));
        rows.push((
            "Keep",
            self.keep
                .map_or_else(|| "all backups".into(), |k| format!("the newest {k}")),
        ));
        if self.fast_backup == Some(true) {
            rows.push(("Fast backup", "yes".into()));
        }
        rows
    }
}

#[derive(Serialize)]
struct Schedules {
    schedules: Vec<ScheduleView>,
}

async fn list(ctx: &Context) -> Result<(), Failure> {
    let time = ctx.client.get_appliance_time().await?;
    let schedules = Schedules {
        schedules: ctx
            .client
            .list_schedules()
            .await?
            .iter()
            .map(|s| ScheduleView::new(s, &time))
            .collect(),
    };
    output::print(ctx.output, &schedules, || {
        if schedules.schedules.is_empty() {
            "The appliance has no backup schedule.".into()
        } else {
            output::table(
                &ScheduleView::HEADERS,
                schedules.schedules.iter().map(ScheduleView::cells),
            )
        }
    });
    Ok(())
}

async fn show(ctx: &Context, id: &str) -> Result<(), Failure> {
    let schedule = ctx.client.get_schedule(id).await.map_err(not_found(id))?;
    let time = ctx.client.get_appliance_time().await?;
    let view = ScheduleView::new(&schedule, &time);
    output::print(ctx.output, &view, || output::fields(&view.fields()));
    Ok(())
}

async fn create(ctx: &Context, args: &ScheduleWriteArgs) -> Result<(), Failure> {
    let id = args.schedule.trim();
    let spec = settings(&args.settings)?.build()?;
    ctx.client.create_schedule(id, &spec).await?;
    show(ctx, id).await
}

async fn update(ctx: &Context, args: &ScheduleWriteArgs) -> Result<(), Failure> {
    let id = args.schedule.trim();
    let update = settings(&args.settings)?.build_update()?;
    ctx.client
        .update_schedule(id, &update)
        .await
        .map_err(not_found(id))?;
    show(ctx, id).await
}

async fn delete(ctx: &Context, id: &str) -> Result<(), Failure> {
    ctx.client
        .delete_schedule(id)
        .await
        .map_err(not_found(id))?;
    #[derive(Serialize)]
    struct Deleted<'a> {
        deleted: &'a str,
    }
    output::print(ctx.output, &Deleted { deleted: id }, || {
        format!("Deleted schedule {id}; the backups it made stay at their location.")
    });
    Ok(())
}

/// A diff for scripts: the action, and each change with both values in words.
#[derive(Serialize)]
struct DiffView {
    schedule: String,
    action: &'static str,
    applied: bool,
    changes: Vec<ChangeView>,
    blockers: Vec<String>,
    time_zone: String,
}

#[derive(Serialize)]
struct ChangeView {
    setting: String,
    current: String,
    desired: String,
}

impl DiffView {
    fn new(diff: &ScheduleDiff, time_zone: &str) -> Self {
        let (action, blockers) = match diff.action() {
            ScheduleAction::Unchanged => ("unchanged", Vec::new()),
            ScheduleAction::Create => ("create", Vec::new()),
            ScheduleAction::Update => ("update", Vec::new()),
            ScheduleAction::Recreate => ("recreate", Vec::new()),
            ScheduleAction::Blocked(b) => ("blocked", b.iter().map(|b| b.to_string()).collect()),
            _ => ("other", Vec::new()),
        };
        Self {
            schedule: diff.schedule().to_string(),
            action,
            applied: diff.is_applied(),
            changes: diff
                .changes()
                .iter()
                .map(|c| {
                    let (current, desired) = c.values();
                    ChangeView {
                        setting: c.field().to_string(),
                        current,
                        desired,
                    }
                })
                .collect(),
            blockers,
            time_zone: time_zone.to_string(),
        }
    }
}

async fn apply(ctx: &Context, args: &ScheduleApplyArgs) -> Result<(), Failure> {
    let id = args.schedule.trim();
    let spec = settings(&args.settings)?.build()?;
    let options = ApplyOptions::new()
        .send_passwords(args.send_passwords)
        .allow_recreate(args.recreate);
    let time_zone = ctx.client.get_appliance_time().await?.time_zone;
    // Plan first: a plan that cannot be carried out is shown with its reasons.
    let plan = ctx
        .client
        .apply_schedule(id, &spec, options.dry_run(true))
        .await?;
    let blocked = matches!(plan.action(), ScheduleAction::Blocked(_));
    let diff = if args.dry_run || args.check || blocked || plan.is_unchanged() {
        plan
    } else {
        ctx.client.apply_schedule(id, &spec, options).await?
    };
    let view = DiffView::new(&diff, &time_zone);
    output::print(ctx.output, &view, || {
        let mut text = diff.to_string();
        if diff.changes_field(vcsa_backup::ScheduleField::Time) {
            text.push_str(&format!(
                "\n(times are in the appliance's time zone, {time_zone})"
            ));
        }
        if args.dry_run || args.check {
            text.push_str("\n(dry run: nothing was changed)");
        }
        text
    });
    if blocked {
        return Err(Failure::new(
            ExitCode::InvalidInput,
            format!("schedule {id} cannot be brought to these settings by an update"),
        )
        .with_hint("add --recreate to delete and create it again (its backups stay)")
        .after_result());
    }
    if args.check && !diff.is_unchanged() {
        return Err(Failure::new(
            ExitCode::JobFailed,
            format!("schedule {id} differs from these settings"),
        )
        .with_hint("run the same command without --check to apply them")
        .after_result());
    }
    Ok(())
}

/// The options as a schedule builder; the passwords from their files, environment or prompt.
fn settings(s: &ScheduleSettings) -> Result<ScheduleSpecBuilder, Failure> {
    let mut b = ScheduleSpec::builder();
    if let Some(location) = &s.location {
        b = b.location(location.clone());
    }
    if let Some(user) = &s.location_user {
        let password = secrets::required(&secrets::LOCATION, s.location_password_file.as_deref())?;
        b = b.location_credentials(user.clone(), password);
    }
    let parts: Vec<String> = s
        .parts
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if !parts.is_empty() {
        b = b.parts(parts);
    }
    if let Some(at) = &s.at {
        let (hour, minute) = parse_at(at)?;
        b = b.at(hour, minute);
    }
    if !s.days.is_empty() {
        // A word that is no day goes to the SDK as it is, which names it in its problem.
        b = b.days(
            s.days
                .iter()
                .map(|d| DayOfWeek::parse(d).unwrap_or_else(|| DayOfWeek::from(d.trim()))),
        );
    }
    if let Some(keep) = s.keep {
        b = b.keep(keep);
    }
    if s.fast {
        b = b.fast_backup(true);
    }
    if s.enable {
        b = b.enabled(true);
    }
    if s.disable {
        b = b.enabled(false);
    }
    if let Some(password) = secrets::optional(
        &secrets::BACKUP,
        s.backup_password_file.as_deref(),
        s.encrypt,
    )? {
        b = b.backup_password(password);
    }
    Ok(b)
}

/// `HH:MM` as hour and minute; their ranges are the SDK's to check.
fn parse_at(text: &str) -> Result<(u32, u32), Failure> {
    let parsed = text.trim().split_once(':').and_then(|(h, m)| {
        let digits =
            |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
        (digits(h) && digits(m)).then(|| Some((h.parse().ok()?, m.parse().ok()?)))?
    });
    parsed.ok_or_else(|| {
        Failure::input(
            format!("--at: \"{}\" is not a time of day", text.escape_debug()),
            "write it as HH:MM on a 24-hour clock, such as 23:30",
        )
    })
}

/// A schedule that does not exist, named.
fn not_found(id: &str) -> impl FnOnce(vcsa_backup::Error) -> Failure + '_ {
    move |e| match e {
        vcsa_backup::Error::NotFound(_) => Failure::from(e).with_hint(format!(
            "the appliance has no schedule \"{id}\": `vcsa-backup schedule list` shows them"
        )),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day() {
        assert_eq!(parse_at("23:30").unwrap(), (23, 30));
        assert_eq!(parse_at(" 7:05 ").unwrap(), (7, 5));
        assert_eq!(parse_at("24:60").unwrap(), (24, 60), "ranges are the SDK's");
        for bad in [
            "", "23", "23:", ":30", "2330", "a:b", "123:00", "-1:00", "23:30:00",
        ] {
            let failure = parse_at(bad).unwrap_err();
            assert_eq!(failure.exit_code(), ExitCode::InvalidInput, "{bad}");
        }
    }
}
