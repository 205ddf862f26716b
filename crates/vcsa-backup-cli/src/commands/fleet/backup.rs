//! `fleet backup`: the backups started, with `--wait` followed to their end on one board, and
//! the summary of each appliance's start and end.

use std::collections::HashMap;
use std::process::ExitCode;

use futures_util::StreamExt;
use serde::Serialize;
use tokio::time::Instant;
use vcsa_backup::fleet::{
    Appliance, ApplianceFailure, BackupPlan, BackupStarted, Fleet, FleetBackup, FollowEvent,
    FollowUpdate, FollowedJob, GroupLimit, GroupTooLarge,
};

use super::{Row, code_of, failure, fleet_code, row, summary};
use crate::board::{Board, Ending, Stage, Totals};
use crate::cli::{FleetBackupArgs, GlobalArgs};
use crate::failure::{ExitCode as Code, Failure};
use crate::output;
use crate::progress::Mode;

#[derive(Serialize)]
pub(super) struct Started {
    pub(super) job: String,
    pub(super) accepted_after_seconds: f64,
    pub(super) in_window: bool,
    /// With `--wait`: how the backup ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) end: Option<Ended>,
}

/// How many of a group's backups started (`fleet backup`).
#[derive(Serialize)]
pub(super) struct GroupStart {
    pub(super) group: String,
    /// Appliances that accepted their start, in the window or not.
    pub(super) started: usize,
    pub(super) appliances: usize,
}

/// How a followed backup ended (`fleet backup --wait`).
#[derive(Serialize)]
pub(super) struct Ended {
    /// `SUCCEEDED` or `FAILED`; `null` when following stopped before the end.
    pub(super) state: Option<String>,
    pub(super) progress: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) size_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) location: Option<String>,
    /// The failed job's messages, or why following stopped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) messages: Vec<String>,
    #[serde(skip)]
    pub(super) code: Code,
}

impl Ended {
    /// The words of the summary table and of the plain progress line.
    pub(super) fn text(&self) -> String {
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

pub(super) async fn backup(global: &GlobalArgs, fleet: &Fleet, args: &FleetBackupArgs) -> ExitCode {
    let deadline = args.deadline.map(|d| Instant::now() + d);
    let window = args.window;
    let mut plan = BackupPlan::schedules().window(window);
    if let Some(comment) = &args.comment {
        plan = plan.comment(comment.clone());
    }
    if let Some(max) = args.max_running {
        plan = plan.max_running(max.into());
    }
    let outcome = if args.wait {
        follow_all(global, fleet, &plan, args, deadline).await
    } else {
        fleet
            .backup(&plan)
            .await
            .map(|started| (starts(started), HashMap::new(), Stop::Ended))
    };
    let (mut started, mut ends, stop) = match outcome {
        Ok(outcome) => outcome,
        Err(too_large) => {
            let failure = Failure::input(too_large.to_string(), too_large_hint(&too_large));
            output::report(global.output, &failure);
            return failure.exit_code().into();
        }
    };
    let rows: Vec<Row<Started>> = fleet
        .appliances()
        .iter()
        .map(|entry| {
            let start = started.remove(entry.name());
            backup_row(entry, start, ends.remove(entry.name()), stop, args.wait)
        })
        .collect();
    let late = rows
        .iter()
        .filter(|r| r.result.as_ref().is_some_and(|s| !s.in_window))
        .count();
    let groups = group_starts(&rows);
    let totals = args.wait.then(|| totals_of(&rows));
    if let Err(failure) = output::print(
        global.output,
        &serde_json::json!({
            "window_seconds": window.as_secs(),
            "groups": &groups,
            "appliances": &rows,
        }),
        || summary::backup_table(&rows, &groups, late, window, totals),
    ) {
        output::report(global.output, &failure);
        return failure.exit_code().into();
    }
    if stop == Stop::Interrupted {
        return Code::Interrupted.into();
    }
    fleet_code(rows.iter().filter_map(|r| code_of(r.exit_code))).into()
}

/// What to do about a group too large to start together.
fn too_large_hint(too_large: &GroupTooLarge) -> &'static str {
    match too_large.limit {
        GroupLimit::MaxRunning(_) => "raise --max-running, or split the group",
        _ => "raise --jobs, or split the group",
    }
}

/// Each appliance's start, by name.
type Starts = HashMap<String, Result<BackupStarted, ApplianceFailure>>;

/// The starts of a fleet backup, by appliance.
fn starts(started: FleetBackup) -> Starts {
    started
        .groups
        .into_iter()
        .flat_map(|g| g.members)
        .map(|m| (m.name, m.outcome))
        .collect()
}

/// Groups where some backups started and others did not: those started keep running.
fn group_starts(rows: &[Row<Started>]) -> Vec<GroupStart> {
    let mut groups: Vec<GroupStart> = Vec::new();
    for row in rows {
        let Some(group) = &row.group else { continue };
        let index = match groups.iter().position(|g| &g.group == group) {
            Some(index) => index,
            None => {
                groups.push(GroupStart {
                    group: group.clone(),
                    started: 0,
                    appliances: 0,
                });
                groups.len() - 1
            }
        };
        groups[index].appliances += 1;
        groups[index].started += usize::from(row.result.is_some());
    }
    groups
}

/// Where every appliance's backup stands at the end, as the board counts them.
fn totals_of(rows: &[Row<Started>]) -> Totals {
    let mut totals = Totals::default();
    for row in rows {
        let end = row.result.as_ref().and_then(|s| s.end.as_ref());
        match (&row.result, end) {
            (None, _)
                if row.exit_code == Code::Interrupted as u8
                    || row.exit_code == Code::DeadlinePassed as u8 =>
            {
                totals.waiting += 1;
            }
            (None, _) => totals.failed += 1,
            (Some(_), Some(end)) => match stage_of(end) {
                Stage::Succeeded => totals.succeeded += 1,
                Stage::Failed => totals.failed += 1,
                _ => totals.unknown += 1,
            },
            (Some(_), None) => totals.running += 1,
        }
    }
    totals
}

/// One appliance's row of `fleet backup`: its start and, with `--wait`, its end.
fn backup_row(
    entry: &Appliance,
    start: Option<Result<BackupStarted, ApplianceFailure>>,
    end: Option<Ended>,
    stop: Stop,
    wait: bool,
) -> Row<Started> {
    match start {
        Some(Ok(s)) => {
            let end = end.or_else(|| wait.then(|| stop.unfinished()));
            let start = if s.in_window {
                Code::Success
            } else {
                Code::DeadlinePassed
            };
            let code = fleet_code([start].into_iter().chain(end.as_ref().map(|e| e.code)));
            let started = Started {
                job: s.job.id.to_string(),
                accepted_after_seconds: s.accepted_after.as_secs_f64(),
                in_window: s.in_window,
                end,
            };
            row(entry, code, Some(started), None)
        }
        Some(Err(f)) => {
            let (code, text) = failure(&f);
            row(entry, code, None, Some(text))
        }
        // Its group's turn never came.
        None => {
            let (why, code) = stop.before_its_turn();
            row(entry, code, None, Some(why.into()))
        }
    }
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

    /// Why a backup whose group's turn never came did not start.
    fn before_its_turn(self) -> (&'static str, Code) {
        match self {
            Stop::DeadlinePassed => (
                "not started: the deadline passed before its turn (--max-running)",
                Code::DeadlinePassed,
            ),
            Stop::Interrupted | Stop::Ended => (
                "not started: interrupted before its turn (--max-running)",
                Code::Interrupted,
            ),
        }
    }
}

/// Starts the plan's backups and follows every started one to its end with one display,
/// until `deadline` if one is given; Ctrl-C stops (the backups started go on either way, the
/// groups not started yet do not start). Each appliance's start and end, by name, and why
/// following stopped.
async fn follow_all(
    global: &GlobalArgs,
    fleet: &Fleet,
    plan: &BackupPlan,
    args: &FleetBackupArgs,
    deadline: Option<Instant>,
) -> Result<(Starts, HashMap<String, Ended>, Stop), GroupTooLarge> {
    let mut updates = fleet.backup_and_follow(plan, &crate::follow::options(None))?;
    let names: Vec<String> = fleet
        .appliances()
        .iter()
        .map(|a| a.name().to_string())
        .collect();
    let mode = Mode::detect(global.quiet);
    if mode != Mode::Silent {
        let running = match args.max_running {
            Some(max) => format!("at most {max} running at once"),
            None => format!("{} started at a time", args.fleet.jobs),
        };
        crate::output::say(&format!(
            "backing up {} appliance(s), {running}, each followed to its end",
            names.len()
        ));
    }
    let mut board = Board::new(mode, &names);
    let mut interrupted = Box::pin(tokio::signal::ctrl_c());
    let mut deadline_passed = Box::pin(async move {
        match deadline {
            Some(at) => tokio::time::sleep_until(at).await,
            None => std::future::pending().await,
        }
    });
    let mut starts = Starts::new();
    let mut ends = HashMap::new();
    let stop = loop {
        tokio::select! {
            update = updates.next() => match update {
                Some(update) => record(&mut board, &mut starts, &mut ends, mode, update),
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
        Stop::Ended => return Ok((starts, ends, stop)),
        Stop::Interrupted => "stopped following",
        Stop::DeadlinePassed => "the deadline passed; stopped following",
    };
    crate::output::say(&format!(
        "{why}; the backups go on on the appliances (see them with `vcsa-backup fleet list`)"
    ));
    Ok((starts, ends, stop))
}

/// Where an end leaves an appliance on the board.
fn stage_of(end: &Ended) -> Stage {
    match (end.state.as_deref(), end.code) {
        (Some(_), Code::Success) => Stage::Succeeded,
        (Some(_), _) => Stage::Failed,
        (None, _) => Stage::Unknown,
    }
}

/// Shows one appliance's update, and keeps its start and its end.
fn record(
    board: &mut Board,
    starts: &mut Starts,
    ends: &mut HashMap<String, Ended>,
    mode: Mode,
    update: FollowUpdate,
) {
    match update.event {
        FollowEvent::Started(Ok(started)) => {
            board.progress(&update.name, &started.job);
            starts.insert(update.name, Ok(started));
        }
        FollowEvent::Started(Err(f)) => {
            let ending = Ending {
                status: None,
                text: format!("not started: {}", failure(&f).1),
                stage: Stage::Failed,
            };
            board.finish(&update.name, &ending);
            starts.insert(update.name, Err(f));
        }
        FollowEvent::Progress(status) => board.progress(&update.name, &status),
        FollowEvent::Ended(outcome) => {
            let status = outcome.as_ref().ok().map(|j| j.status.clone());
            let end = ended(outcome);
            let job = update.job.map(|j| j.to_string()).unwrap_or_default();
            let text = match &status {
                _ if mode == Mode::Bar => format!("job {job}: {}", end.text()),
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
                None => format!("job {job}: {}", end.text()),
            };
            let ending = Ending {
                status: status.as_ref(),
                text,
                stage: stage_of(&end),
            };
            board.finish(&update.name, &ending);
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
