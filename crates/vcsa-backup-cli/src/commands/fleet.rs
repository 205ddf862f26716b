//! `fleet backup | check | list`: many appliances from an inventory, a row and an exit code
//! each, and one exit code for the fleet.

use std::collections::BTreeMap;
use std::process::ExitCode;

use futures_util::StreamExt;

use serde::Serialize;
use tokio::time::Instant;
use vcsa_backup::Error;
use vcsa_backup::fleet::{
    ApplianceFailure, ApplianceResult, Fleet, FleetBackup, FollowEvent, FollowUpdate, FollowedJob,
};
use vcsa_backup::wait::WaitError;

use crate::cli::{FleetArgs, FleetBackupArgs, FleetCommand, FleetScheduleCommand, GlobalArgs};
use crate::failure::{ExitCode as Code, Failure};
use crate::output;
use crate::progress::{Board, Ending, Mode};

mod check;
mod schedule;
mod summary;

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
        FleetCommand::List(a) => a,
        FleetCommand::Schedule(FleetScheduleCommand::Apply(a)) => &a.fleet,
    };
    let fleet = match fleet(global, args) {
        Ok(fleet) => fleet,
        Err(failure) => {
            output::report(global.output, &failure);
            return failure.exit_code().into();
        }
    };
    match command {
        FleetCommand::Backup(a) => backup(global, &fleet, a).await,
        FleetCommand::Check(a) => check::fleet_check(global, &fleet, &a.check).await,
        FleetCommand::List(_) => list(global, &fleet).await,
        FleetCommand::Schedule(FleetScheduleCommand::Apply(a)) => {
            schedule::apply(global, &fleet, a).await
        }
    }
}

fn fleet(global: &GlobalArgs, args: &FleetArgs) -> Result<Fleet, Failure> {
    let fleet = crate::inventory::load(&args.inventory, &args.only).map_err(|e| {
        Failure::input(
            "the inventory is invalid; nothing was sent",
            "fix the entries named above (see `vcsa-backup fleet --help` for the format)",
        )
        .with_details(e.to_string().lines().map(|l| format!("- {l}")))
    })?;
    Ok(fleet
        .jobs(args.jobs.into())
        .request_timeout(global.request_timeout)
        .user_agent(concat!("vcsa-backup-cli/", env!("CARGO_PKG_VERSION"))))
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

#[derive(Serialize)]
struct Started {
    job: String,
    accepted_after_seconds: f64,
    in_window: bool,
    /// With `--wait`: how the backup ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<Ended>,
}

/// How many of a group's backups started (`fleet backup`).
#[derive(Serialize)]
struct GroupStart {
    group: String,
    /// Appliances that accepted their start, in the window or not.
    started: usize,
    appliances: usize,
}

/// How a followed backup ended (`fleet backup --wait`).
#[derive(Serialize)]
struct Ended {
    /// `SUCCEEDED` or `FAILED`; `null` when following stopped before the end.
    state: Option<String>,
    progress: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    /// The failed job's messages, or why following stopped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    messages: Vec<String>,
    #[serde(skip)]
    code: Code,
}

impl Ended {
    /// The words of the summary table and of the plain progress line.
    fn text(&self) -> String {
        match (self.state.as_deref(), self.code) {
            (Some(_), Code::Success) => match self.size_bytes {
                Some(bytes) => format!("succeeded, {} written", crate::human::size(bytes)),
                None => "succeeded".into(),
            },
            (Some(_), _) => format!(
                "FAILED at {}%: {}",
                self.progress.unwrap_or(0),
                self.messages.join("; ")
            ),
            (None, _) => format!("not followed to its end: {}", self.messages.join("; ")),
        }
    }
}

/// How the job of one appliance ended, from the fleet's follow.
fn ended(outcome: Result<FollowedJob, ApplianceFailure>) -> Ended {
    match outcome {
        Ok(job) => {
            let mut messages: Vec<String> = job
                .details
                .as_ref()
                .and_then(|d| d.error.as_ref())
                .map(crate::failure::message_stack)
                .unwrap_or_default();
            if !job.succeeded() {
                for m in &job.status.messages {
                    let text = m.to_string();
                    if !messages.iter().any(|l| l.contains(&text)) {
                        messages.push(text);
                    }
                }
            }
            Ended {
                state: Some(job.status.state.to_string()),
                progress: Some(job.status.progress.value()),
                size_bytes: job.details.as_ref().and_then(|d| d.size_bytes),
                location: job.details.as_ref().map(|d| d.location.clone()),
                messages,
                code: if job.succeeded() {
                    Code::Success
                } else {
                    Code::JobFailed
                },
            }
        }
        Err(f) => {
            let (code, text) = failure(&f);
            Ended {
                state: None,
                progress: None,
                size_bytes: None,
                location: None,
                messages: vec![text],
                code,
            }
        }
    }
}

async fn backup(global: &GlobalArgs, fleet: &Fleet, args: &FleetBackupArgs) -> ExitCode {
    let deadline = args.deadline.map(|d| Instant::now() + d);
    let window = args.window;
    let started = match fleet.backup(window, args.comment.as_deref()).await {
        Ok(started) => started,
        Err(too_large) => {
            let failure = Failure::input(too_large.to_string(), "raise --jobs, or split the group");
            output::report(global.output, &failure);
            return failure.exit_code().into();
        }
    };
    let (mut ends, stop) = if args.wait {
        follow_all(global, fleet, &started, deadline).await
    } else {
        (BTreeMap::new(), Stop::Ended)
    };
    let rows = backup_rows(&started, &mut ends, stop, args.wait);
    let late = rows
        .iter()
        .filter(|r| r.result.as_ref().is_some_and(|s| !s.in_window))
        .count();
    // Groups where some backups started and others did not: those started keep running.
    let groups: Vec<GroupStart> = started
        .groups
        .iter()
        .filter_map(|g| {
            Some(GroupStart {
                group: g.group.clone()?,
                started: g.members.iter().filter(|m| m.outcome.is_ok()).count(),
                appliances: g.members.len(),
            })
        })
        .collect();
    if let Err(failure) = output::print(
        global.output,
        &serde_json::json!({
            "window_seconds": window.as_secs(),
            "groups": &groups,
            "appliances": &rows,
        }),
        || summary::backup_table(&rows, &groups, late, window, args.wait),
    ) {
        output::report(global.output, &failure);
        return failure.exit_code().into();
    }
    if stop == Stop::Interrupted {
        return Code::Interrupted.into();
    }
    fleet_code(rows.iter().filter_map(|r| code_of(r.exit_code))).into()
}

/// One row per appliance of `fleet backup`: its start and, with `--wait`, its end.
fn backup_rows(
    started: &FleetBackup,
    ends: &mut BTreeMap<String, Ended>,
    stop: Stop,
    wait: bool,
) -> Vec<Row<Started>> {
    let mut rows = Vec::new();
    for group in &started.groups {
        for m in &group.members {
            rows.push(match &m.outcome {
                Ok(s) => {
                    let end = ends
                        .remove(&m.name)
                        .or_else(|| wait.then(|| stop.unfinished()));
                    let start = if s.in_window {
                        Code::Success
                    } else {
                        Code::DeadlinePassed
                    };
                    let code = fleet_code([start].into_iter().chain(end.as_ref().map(|e| e.code)));
                    row(
                        m,
                        code,
                        Some(Started {
                            job: s.job.id.to_string(),
                            accepted_after_seconds: s.accepted_after.as_secs_f64(),
                            in_window: s.in_window,
                            end,
                        }),
                        None,
                    )
                }
                Err(f) => {
                    let (code, text) = failure(f);
                    row(m, code, None, Some(text))
                }
            });
        }
    }
    rows
}

/// Why following the fleet's backups stopped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Every followed backup ended (or following it failed on its own).
    Ended,
    /// Ctrl-C.
    Interrupted,
    /// `--deadline` passed.
    DeadlinePassed,
}

impl Stop {
    /// The end of a backup that was still running when following stopped.
    fn unfinished(self) -> Ended {
        let (message, code) = match self {
            Stop::DeadlinePassed => (
                "the deadline passed before it ended; the backup goes on on the appliance",
                Code::DeadlinePassed,
            ),
            Stop::Interrupted | Stop::Ended => (
                "interrupted; the backup goes on on the appliance",
                Code::Interrupted,
            ),
        };
        Ended {
            state: None,
            progress: None,
            size_bytes: None,
            location: None,
            messages: vec![message.into()],
            code,
        }
    }
}

/// Follows every started backup to its end with one display, until `deadline` if one is
/// given; Ctrl-C stops following (the backups go on either way). How each ended, by
/// appliance, and why following stopped.
async fn follow_all(
    global: &GlobalArgs,
    fleet: &Fleet,
    started: &FleetBackup,
    deadline: Option<Instant>,
) -> (BTreeMap<String, Ended>, Stop) {
    let followed: Vec<(String, String)> = started
        .groups
        .iter()
        .flat_map(|g| &g.members)
        .filter_map(|m| Some((m.name.clone(), m.outcome.as_ref().ok()?.job.id.to_string())))
        .collect();
    let mode = Mode::detect(global.quiet);
    if mode != Mode::Silent && !followed.is_empty() {
        crate::output::say(&format!(
            "following {} backup(s) to the end, {} at a time",
            followed.len(),
            fleet.concurrency()
        ));
    }
    let mut board = Board::new(mode, &followed);
    let mut updates = fleet.follow(started, &crate::follow::options(None));
    let mut interrupted = Box::pin(tokio::signal::ctrl_c());
    let mut deadline_passed = Box::pin(async move {
        match deadline {
            Some(at) => tokio::time::sleep_until(at).await,
            None => std::future::pending().await,
        }
    });
    let mut ends = BTreeMap::new();
    let stop = loop {
        tokio::select! {
            update = updates.next() => match update {
                Some(update) => record(&mut board, &mut ends, mode, update),
                None => break Stop::Ended,
            },
            _ = &mut interrupted => break Stop::Interrupted,
            _ = &mut deadline_passed => break Stop::DeadlinePassed,
        }
    };
    board.close();
    // Following stopped early: end the sessions still open (each appliance's ends with its last
    // update otherwise), briefly; the backups go on.
    updates.close().await;
    let why = match stop {
        Stop::Ended => return (ends, stop),
        Stop::Interrupted => "stopped following",
        Stop::DeadlinePassed => "the deadline passed; stopped following",
    };
    crate::output::say(&format!(
        "{why}; the backups go on on the appliances (see them with `vcsa-backup fleet list`)"
    ));
    (ends, stop)
}

/// Shows one appliance's update, and keeps its end.
fn record(board: &mut Board, ends: &mut BTreeMap<String, Ended>, mode: Mode, update: FollowUpdate) {
    match update.event {
        FollowEvent::Progress(status) => board.progress(&update.name, &status),
        FollowEvent::Ended(outcome) => {
            let status = outcome.as_ref().ok().map(|j| j.status.clone());
            let end = ended(outcome);
            let text = match &status {
                Some(status) if end.code == Code::Success => {
                    format!(
                        "{}{}",
                        crate::progress::status_line(status),
                        size_suffix(&end)
                    )
                }
                Some(status) => format!(
                    "{}: {}",
                    crate::progress::status_line(status),
                    end.messages.join("; ")
                ),
                None => format!("job {}: {}", update.job, end.text()),
            };
            board.finish(
                &update.name,
                &Ending {
                    status: status.as_ref(),
                    text: if mode == Mode::Bar {
                        bar_text(&update.job, &end)
                    } else {
                        text
                    },
                    ok: end.code == Code::Success,
                },
            );
            ends.insert(update.name, end);
        }
        _ => {}
    }
}

fn size_suffix(end: &Ended) -> String {
    end.size_bytes
        .map(|b| format!(", {} written", crate::human::size(b)))
        .unwrap_or_default()
}

/// The message of a finished bar: `job <id>: succeeded, 1.2 GiB written`.
fn bar_text(job: &vcsa_backup::JobId, end: &Ended) -> String {
    format!("job {job}: {}", end.text())
}

fn code_of(value: u8) -> Option<Code> {
    PRECEDENCE.into_iter().find(|c| *c as u8 == value)
}

fn row<T: Serialize, R>(
    m: &ApplianceResult<R>,
    code: Code,
    result: Option<T>,
    error: Option<String>,
) -> Row<T> {
    Row {
        name: m.name.clone(),
        server: m.server.clone(),
        group: m.group.clone(),
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
    newest_state: Option<String>,
}

async fn list(global: &GlobalArgs, fleet: &Fleet) -> ExitCode {
    let results = fleet.list().await;
    let rows: Vec<Row<Listed>> = results
        .iter()
        .map(|m| match &m.outcome {
            Ok(state) => row(
                m,
                Code::Success,
                Some(Listed {
                    flavour: state.flavour.to_string(),
                    jobs: state.jobs,
                    newest_job: state.newest_job.as_ref().map(|j| j.id.to_string()),
                    newest_state: state.newest_job.as_ref().map(|j| j.state.to_string()),
                }),
                None,
            ),
            Err(f) => {
                let (code, text) = failure(f);
                row(m, code, None, Some(text))
            }
        })
        .collect();
    if let Err(failure) = output::print(
        global.output,
        &serde_json::json!({ "appliances": &rows }),
        || {
            output::table(
                &["APPLIANCE", "GROUP", "SERVER", "API", "JOBS", "NEWEST JOB"],
                rows.iter().map(|r| match (&r.result, &r.error) {
                    (Some(l), _) => vec![
                        r.name.clone(),
                        r.group.clone().unwrap_or_else(|| "-".into()),
                        r.server.clone(),
                        l.flavour.clone(),
                        l.jobs.to_string(),
                        match (&l.newest_job, &l.newest_state) {
                            (Some(id), Some(state)) => format!("{id} ({state})"),
                            _ => "-".into(),
                        },
                    ],
                    (_, e) => vec![
                        r.name.clone(),
                        r.group.clone().unwrap_or_else(|| "-".into()),
                        r.server.clone(),
                        "-".into(),
                        "-".into(),
                        format!("error: {}", e.clone().unwrap_or_default()),
                    ],
                }),
            )
        },
    ) {
        output::report(global.output, &failure);
        return failure.exit_code().into();
    }
    fleet_code(rows.iter().filter_map(|r| code_of(r.exit_code))).into()
}
