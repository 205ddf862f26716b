//! `fleet schedule apply`: every appliance's schedule made to match the one its inventory
//! declares, by the rules of `schedule apply`, with one row per appliance of what differs.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::ExitCode;

use vcsa_backup::ScheduleSpec;
use vcsa_backup::fleet::Fleet;

use super::{Row, failure, fleet_code, row};
use crate::cli::{FleetScheduleApplyArgs, GlobalArgs, ScheduleOptions, TargetArgs};
use crate::commands::schedule::spec::{Passwords, builder};
use crate::failure::{ExitCode as Code, Failure};
use crate::inventory::{self, DesiredSchedule, Settings};
use crate::output::{self, Shorten};
use crate::views::{Action, DiffView};

/// Runs `fleet schedule apply` over `fleet`, the appliances its inventory selects.
pub(super) async fn apply(
    global: &GlobalArgs,
    fleet: &Fleet,
    settings: &[Settings],
    args: &FleetScheduleApplyArgs,
) -> ExitCode {
    match converge(global, fleet, settings, args).await {
        Ok(code) => code.into(),
        Err(failure) => {
            output::report(global.output, &failure);
            failure.exit_code().into()
        }
    }
}

async fn converge(
    global: &GlobalArgs,
    fleet: &Fleet,
    settings: &[Settings],
    args: &FleetScheduleApplyArgs,
) -> Result<Code, Failure> {
    // Every declared schedule checked, and every password read, before anything is sent.
    let (specs, of) = desired(fleet, settings, &args.fleet.inventory)?;
    let dry_run = args.mode.changes_nothing();
    let options = args.mode.options().dry_run(dry_run);
    // `desired` found a spec for every appliance of the fleet.
    let results = fleet
        .apply_schedules(|a| &specs[&of[a.name()]], &options)
        .await;
    let rows: Vec<Row<DiffView>> = fleet
        .appliances()
        .iter()
        .zip(&results)
        .map(|(entry, m)| match &m.outcome {
            Ok(diff) => {
                let view = DiffView::new(diff, dry_run, None, false);
                let code = match (view.is_blocked(), view.differs()) {
                    (true, _) if !args.mode.check => Code::InvalidInput,
                    (_, true) if args.mode.check => Code::JobFailed,
                    _ => Code::Success,
                };
                row(entry, code, Some(view), None)
            }
            Err(f) => {
                let (code, text) = failure(f);
                row(entry, code, None, Some(text))
            }
        })
        .collect();
    output::print(
        global.output,
        &serde_json::json!({ "dry_run": dry_run, "appliances": &rows }),
        || table(&rows),
    )?;
    // An update cannot remove a setting: the SDK refuses such an apply on its appliance.
    if !dry_run
        && !args.mode.recreate
        && rows.iter().any(|r| r.exit_code == Code::InvalidInput as u8)
    {
        output::say(
            "hint: where the inventory removes a setting an update cannot (the time, the \
             retention, the location user), pass --recreate to delete the schedule and create \
             it again with the table's passwords; --dry-run shows what differs",
        );
    }
    let drifted: Vec<&str> = rows
        .iter()
        .filter(|r| r.result.as_ref().is_some_and(DiffView::differs))
        .map(|r| r.name.as_str())
        .collect();
    if args.mode.check && !drifted.is_empty() {
        let failure = Failure::new(
            Code::JobFailed,
            format!(
                "{} of {} appliance(s) differ from the inventory: {}",
                drifted.len(),
                rows.len(),
                drifted.join(", ")
            ),
        )
        .with_hint("run the same command without --check to apply the inventory")
        .after_result();
        output::report(global.output, &failure);
    }
    Ok(fleet_code(
        rows.iter().filter_map(|r| super::code_of(r.exit_code)),
    ))
}

/// One row per appliance: what applying did, or would do, and what differs.
fn table(rows: &[Row<DiffView>]) -> String {
    output::fitted_table(
        &["APPLIANCE", "GROUP", "SCHEDULE", "RESULT", "WHAT DIFFERS"],
        rows.iter().map(|r| {
            let (schedule, result, differs) = match (&r.result, &r.error) {
                (Some(view), _) => (
                    view.schedule.clone(),
                    result_word(view),
                    view.change_lines().join("; "),
                ),
                (_, error) => (
                    "-".into(),
                    "error".into(),
                    error.clone().unwrap_or_default(),
                ),
            };
            vec![
                r.name.clone(),
                r.group.clone().unwrap_or_else(|| "-".into()),
                schedule,
                result,
                if differs.is_empty() {
                    "-".into()
                } else {
                    differs
                },
            ]
        }),
        &[(4, Shorten::End), (0, Shorten::Middle)],
    )
}

/// What happened to one appliance's schedule, in a word or two.
fn result_word(view: &DiffView) -> String {
    let word = match (view.action, view.dry_run) {
        (Action::Unchanged, _) => "matches",
        (Action::Create, false) => "created",
        (Action::Create, true) => "would create",
        (Action::Update, false) => "updated",
        (Action::Update, true) => "would update",
        (Action::Recreate, false) => "recreated",
        (Action::Recreate, true) => "would recreate",
        (Action::Blocked, _) => "blocked",
        (Action::Other, _) => "differs",
    };
    word.to_string()
}

/// Each declared schedule's spec, by the line that declares it, and which line each appliance
/// of `fleet` takes its schedule from.
type Desired = (BTreeMap<usize, ScheduleSpec>, HashMap<String, usize>);

/// The spec of every schedule the inventory at `path` declares for the appliances of `fleet`
/// (their `settings`, read with the fleet), checked by `schedule apply`'s own reader, with its
/// passwords read; every problem at once.
fn desired(fleet: &Fleet, settings: &[Settings], path: &Path) -> Result<Desired, Failure> {
    let declared: HashMap<&str, &DesiredSchedule> = settings
        .iter()
        .filter_map(|s| Some((s.name.as_str(), s.desired.as_ref()?)))
        .collect();
    let mut problems = Vec::new();
    let mut specs = BTreeMap::new();
    let mut of = HashMap::new();
    let mut undeclared = Vec::new();
    for appliance in fleet.appliances() {
        let Some(schedule) = declared.get(appliance.name()) else {
            undeclared.push(appliance.name().to_string());
            continue;
        };
        of.insert(appliance.name().to_string(), schedule.line);
        if specs.contains_key(&schedule.line) {
            continue;
        }
        match spec(schedule) {
            Ok(spec) => {
                specs.insert(schedule.line, spec);
            }
            Err(found) => problems.extend(
                found
                    .into_iter()
                    .map(|p| format!("{}, line {}: {p}", path.display(), schedule.line)),
            ),
        }
    }
    if !undeclared.is_empty() {
        problems.push(format!(
            "{}: no schedule table for {}; declare one under [defaults.schedule], \
             [groups.NAME.schedule] or the appliance's entry, or leave them out with --only",
            path.display(),
            undeclared.join(", ")
        ));
    }
    if problems.is_empty() {
        Ok((specs, of))
    } else {
        Err(invalid(problems))
    }
}

fn invalid(details: impl IntoIterator<Item = String>) -> Failure {
    Failure::input(
        "the inventory's schedules cannot be applied; nothing was sent",
        "fix the lines named above (`vcsa-backup fleet --help` lists the schedule keys)",
    )
    .with_details(details.into_iter().map(|l| format!("- {l}")))
}

/// The spec of one declared schedule, by `schedule apply`'s reader, or what is wrong with it.
fn spec(desired: &DesiredSchedule) -> Result<ScheduleSpec, Vec<String>> {
    let mut problems = Vec::new();
    let at = desired.at.as_deref().and_then(|at| {
        crate::cli::parse_time(at)
            .map_err(|e| problems.push(format!("at = {at:?}: {e}")))
            .ok()
    });
    for day in &desired.days {
        if let Err(e) = crate::cli::day_word(day) {
            problems.push(format!("days: {e}"));
        }
    }
    let mut read = |source: &Option<inventory::PasswordSource>| {
        source
            .as_ref()
            .and_then(|s| s.read().map_err(|e| problems.push(e)).ok())
    };
    let passwords = Passwords {
        location: read(&desired.location_password),
        backup: read(&desired.backup_password),
    };
    let options = ScheduleOptions {
        target: TargetArgs {
            location_user: desired.location_user.clone(),
            location_password_file: None,
            parts: desired.parts.clone(),
            no_default_parts: false,
            encrypt: false,
            backup_password_file: None,
        },
        at,
        days: desired.days.clone(),
        keep: desired.keep,
        fast: desired.fast == Some(true),
        no_fast: desired.fast == Some(false),
        enable: desired.enabled == Some(true),
        disable: desired.enabled == Some(false),
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    builder(
        Some(&desired.location),
        &options,
        passwords,
        Some(&desired.parts),
    )
    .build()
    .map_err(|e| e.problems().iter().map(ToString::to_string).collect())
}
