//! `fleet backup | check | list`: many appliances from an inventory, a row and an exit code
//! each, and one exit code for the fleet.

use std::process::ExitCode;

use serde::Serialize;
use tokio::time::Instant;
use vcsa_backup::Error;
use vcsa_backup::fleet::{Appliance, ApplianceFailure, Fleet};
use vcsa_backup::wait::WaitError;

use crate::cli::{FleetArgs, FleetCommand, FleetScheduleCommand, GlobalArgs};
use crate::failure::{ExitCode as Code, Failure};
use crate::output::{self, Shorten};

mod backup;
mod check;
mod schedule;
mod summary;

use backup::{GroupStart, Started};

/// The exit codes of `fleet backup` and `fleet list`, most telling first (see `fleet --help`).
const PRECEDENCE: [Code; 8] = [
    Code::Interrupted,
    Code::InvalidInput,
    Code::Authentication,
    Code::Appliance,
    Code::Connection,
    Code::BackupInProgress,
    Code::DeadlinePassed,
    Code::JobFailed,
];

/// Runs a `fleet` subcommand.
pub async fn run(global: &GlobalArgs, command: &FleetCommand) -> ExitCode {
    let args = match command {
        FleetCommand::Backup(a) => &a.fleet,
        FleetCommand::Check(a) => &a.fleet,
        FleetCommand::List(a) => &a.fleet,
        FleetCommand::Schedule(FleetScheduleCommand::Apply(a)) => &a.fleet,
    };
    let (fleet, settings) = match fleet(global, args).await {
        Ok(loaded) => loaded,
        Err(failure) => {
            output::report(global.output, &failure);
            return failure.exit_code().into();
        }
    };
    let fleet = match command {
        FleetCommand::Check(a) => fleet.deadline(Instant::now() + a.deadline),
        FleetCommand::List(a) => fleet.deadline(Instant::now() + a.deadline),
        FleetCommand::Backup(_) | FleetCommand::Schedule(_) => fleet,
    };
    match command {
        FleetCommand::Backup(a) => backup::backup(global, &fleet, a).await,
        FleetCommand::Check(a) => check::fleet_check(global, &fleet, &a.check).await,
        FleetCommand::List(_) => list(global, &fleet).await,
        FleetCommand::Schedule(FleetScheduleCommand::Apply(a)) => {
            schedule::apply(global, &fleet, &settings, a).await
        }
    }
}

/// The fleet the inventory declares, and the chosen appliances' settings it was built from.
async fn fleet(
    global: &GlobalArgs,
    args: &FleetArgs,
) -> Result<(Fleet, Vec<crate::inventory::Settings>), Failure> {
    // The inventory and the password and CA files it names are read off the async threads.
    let (path, only) = (args.inventory.clone(), args.only.clone());
    let loaded = tokio::task::spawn_blocking(move || crate::inventory::load(&path, &only))
        .await
        .map_err(|_| {
            Failure::input(
                "the inventory could not be read; nothing was sent",
                "run the command again",
            )
        })?;
    let (fleet, settings) = loaded.map_err(|e| {
        Failure::input(
            "the inventory is invalid; nothing was sent",
            "fix the entries named above (see `vcsa-backup fleet --help` for the format)",
        )
        .with_details(e.to_string().lines().map(|l| format!("- {l}")))
    })?;
    let fleet = fleet
        .jobs(args.jobs.into())
        .request_timeout(global.request_timeout)
        .user_agent(concat!("vcsa-backup-cli/", env!("CARGO_PKG_VERSION")));
    Ok((fleet, settings))
}

/// One appliance's row, for the table and for JSON.
#[derive(Serialize)]
struct Row<T: Serialize> {
    name: String,
    server: String,
    group: Option<String>,
    exit_code: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The exit code and words of an appliance's failure.
fn failure(f: &ApplianceFailure) -> (Code, String) {
    match f {
        ApplianceFailure::Error(e) => (code_for(e), e.to_string()),
        ApplianceFailure::AccountRefused { .. } => (Code::Authentication, f.to_string()),
        ApplianceFailure::TimedOut { .. } => (Code::Connection, f.to_string()),
        ApplianceFailure::DeadlinePassed { .. } => (Code::DeadlinePassed, f.to_string()),
        ApplianceFailure::Wait(e) => (wait_code(e), f.to_string()),
        _ => (Code::Appliance, f.to_string()),
    }
}

/// The exit code of an SDK error, as the single-appliance commands use it.
fn code_for(e: &Error) -> Code {
    match e {
        Error::BackupInProgress(_) => Code::BackupInProgress,
        Error::NotFound(_) | Error::InvalidRequest(_) | Error::Configuration { .. } => {
            Code::InvalidInput
        }
        Error::NotAuthenticated { .. } | Error::NotAuthorized(_) => Code::Authentication,
        Error::Transient { .. }
        | Error::SessionExpired { .. }
        | Error::UntrustedCertificate { .. } => Code::Connection,
        _ => Code::Appliance,
    }
}

/// The exit code of a wait that stopped before the job ended, as `backup --wait` has it.
fn wait_code(e: &WaitError) -> Code {
    match e {
        WaitError::TimedOut(_) | WaitError::Stalled(_) => Code::DeadlinePassed,
        WaitError::JobFailed(_) => Code::JobFailed,
        WaitError::ReadFailed(failed) => code_for(&failed.error),
        _ => Code::Appliance,
    }
}

fn fleet_code(codes: impl IntoIterator<Item = Code>) -> Code {
    let codes: Vec<Code> = codes.into_iter().collect();
    PRECEDENCE
        .into_iter()
        .find(|c| codes.contains(c))
        .unwrap_or(Code::Success)
}

fn code_of(value: u8) -> Option<Code> {
    PRECEDENCE.into_iter().find(|c| *c as u8 == value)
}

fn row<T: Serialize>(
    entry: &Appliance,
    code: Code,
    result: Option<T>,
    error: Option<String>,
) -> Row<T> {
    Row {
        name: entry.name().to_string(),
        server: entry.server().to_string(),
        group: entry.group_name().map(str::to_string),
        exit_code: code as u8,
        result,
        error,
    }
}

#[derive(Serialize)]
struct Listed {
    flavour: String,
    jobs: usize,
    newest_job: Option<String>,
    /// The newest job's state as the appliance sends it (`NONE`, `INPROGRESS`...).
    newest_state: Option<String>,
    /// The same in words, for the table.
    #[serde(skip)]
    newest_words: Option<String>,
}

async fn list(global: &GlobalArgs, fleet: &Fleet) -> ExitCode {
    let results = fleet.list().await;
    let rows: Vec<Row<Listed>> = fleet
        .appliances()
        .iter()
        .zip(&results)
        .map(|(entry, m)| match &m.outcome {
            Ok(state) => row(
                entry,
                Code::Success,
                Some(Listed {
                    flavour: state.flavour.to_string(),
                    jobs: state.jobs,
                    newest_job: state.newest_job.as_ref().map(|j| j.id.to_string()),
                    newest_state: state.newest_job.as_ref().map(|j| j.state.to_string()),
                    newest_words: state
                        .newest_job
                        .as_ref()
                        .map(|j| j.state.describe().to_string()),
                }),
                None,
            ),
            Err(f) => {
                let (code, text) = failure(f);
                row(entry, code, None, Some(text))
            }
        })
        .collect();
    if let Err(failure) = output::print(
        global.output,
        &serde_json::json!({ "appliances": &rows }),
        || list_table(&rows),
    ) {
        output::report(global.output, &failure);
        return failure.exit_code().into();
    }
    fleet_code(rows.iter().filter_map(|r| code_of(r.exit_code))).into()
}

/// The table of `fleet list`, in the inventory's order: the state in words, long errors
/// shortened (whole in JSON).
fn list_table(rows: &[Row<Listed>]) -> String {
    output::table(
        &["APPLIANCE", "GROUP", "SERVER", "API", "JOBS", "NEWEST JOB"],
        rows.iter().map(|r| {
            let mut cells = vec![
                r.name.clone(),
                r.group.clone().unwrap_or_else(|| "-".into()),
                r.server.clone(),
            ];
            cells.extend(match (&r.result, &r.error) {
                (Some(l), _) => [
                    l.flavour.clone(),
                    l.jobs.to_string(),
                    match (&l.newest_job, &l.newest_words) {
                        (Some(id), Some(state)) => format!("{id} ({state})"),
                        _ => "-".into(),
                    },
                ],
                (_, e) => [
                    "-".into(),
                    "-".into(),
                    output::shorten(
                        &format!("error: {}", e.clone().unwrap_or_default()),
                        summary::MESSAGE_ROOM,
                        Shorten::End,
                    ),
                ],
            });
            cells
        }),
    )
}
