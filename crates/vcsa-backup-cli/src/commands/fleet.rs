//! `fleet backup | check | list`: many appliances from an inventory, a row and an exit code
//! each, and one exit code for the fleet.

use std::process::ExitCode;

use serde::Serialize;
use vcsa_backup::Error;
use vcsa_backup::fleet::{ApplianceFailure, ApplianceResult, Fleet, Inventory};
use vcsa_backup::health::{HealthReport, Verdict};

use crate::cli::{FleetArgs, FleetCommand, GlobalArgs, OutputFormat};
use crate::commands::check;
use crate::failure::{ExitCode as Code, Failure};
use crate::health_output::{self, Checked};
use crate::output;

/// The exit codes of `fleet backup` and `fleet list`, most telling first (see `fleet --help`).
const PRECEDENCE: [Code; 7] = [
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
    };
    let fleet = match fleet(global, args) {
        Ok(fleet) => fleet,
        Err(failure) => {
            output::report(global.output, &failure);
            return failure.exit_code().into();
        }
    };
    match command {
        FleetCommand::Backup(a) => backup(global, &fleet, a.window, a.comment.as_deref()).await,
        FleetCommand::Check(a) => fleet_check(global, &fleet, &a.check).await,
        FleetCommand::List(_) => list(global, &fleet).await,
    }
}

fn fleet(global: &GlobalArgs, args: &FleetArgs) -> Result<Fleet, Failure> {
    let inventory = Inventory::load(&args.inventory).map_err(|e| {
        Failure::input(
            "the inventory is invalid; nothing was sent",
            "fix the entries named above (see `vcsa-backup fleet --help` for the format)",
        )
        .with_details(e.to_string().lines().map(|l| format!("- {l}")))
    })?;
    Ok(Fleet::new(inventory)
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
        ApplianceFailure::Password { .. } => (Code::InvalidInput, f.to_string()),
        ApplianceFailure::AccountRefused { .. } => (Code::Authentication, f.to_string()),
        ApplianceFailure::TimedOut { .. } => (Code::Connection, f.to_string()),
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
}

async fn backup(
    global: &GlobalArgs,
    fleet: &Fleet,
    window: std::time::Duration,
    comment: Option<&str>,
) -> ExitCode {
    let started = match fleet.backup(window, comment).await {
        Ok(started) => started,
        Err(too_large) => {
            let failure = Failure::input(too_large.to_string(), "raise --jobs, or split the group");
            output::report(global.output, &failure);
            return failure.exit_code().into();
        }
    };
    let mut rows = Vec::new();
    for group in &started.groups {
        for m in &group.members {
            rows.push(match &m.outcome {
                Ok(s) => row(
                    m,
                    if s.in_window {
                        Code::Success
                    } else {
                        Code::DeadlinePassed
                    },
                    Some(Started {
                        job: s.job.id.to_string(),
                        accepted_after_seconds: s.accepted_after.as_secs_f64(),
                        in_window: s.in_window,
                    }),
                    None,
                ),
                Err(f) => {
                    let (code, text) = failure(f);
                    row(m, code, None, Some(text))
                }
            });
        }
    }
    let late = rows
        .iter()
        .filter(|r| r.exit_code == Code::DeadlinePassed as u8)
        .count();
    output::print(
        global.output,
        &serde_json::json!({ "window_seconds": window.as_secs(), "appliances": &rows }),
        || {
            let mut text = output::table(
                &["GROUP", "APPLIANCE", "RESULT"],
                rows.iter().map(|r| {
                    vec![
                        r.group.clone().unwrap_or_else(|| "-".into()),
                        r.name.clone(),
                        match (&r.result, &r.error) {
                            (Some(s), _) if s.in_window => {
                                format!("started {} after {:.1}s", s.job, s.accepted_after_seconds)
                            }
                            (Some(s), _) => format!(
                                "started {} after {:.1}s, OUTSIDE the window",
                                s.job, s.accepted_after_seconds
                            ),
                            (_, Some(e)) => format!("not started: {e}"),
                            _ => String::new(),
                        },
                    ]
                }),
            );
            if late > 0 {
                text.push_str(&format!(
                "\n{late} backup(s) started outside the {}s window keep running; none was cancelled.",
                window.as_secs()
            ));
            }
            text
        },
    );
    fleet_code(rows.iter().filter_map(|r| code_of(r.exit_code))).into()
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

async fn fleet_check(global: &GlobalArgs, fleet: &Fleet, args: &crate::cli::CheckArgs) -> ExitCode {
    let policy = match check::policy(args) {
        Ok(policy) => policy,
        Err(why) => {
            println!("VCSA BACKUP UNKNOWN - {why}");
            return ExitCode::from(3);
        }
    };
    let results = fleet.check(&policy).await;
    let reports: Vec<(String, HealthReport, bool)> = results
        .into_iter()
        .map(|r| match r.outcome {
            Ok(report) => (r.name, report, true),
            Err(f) => (
                r.name,
                HealthReport::unknown(chrono::Utc::now(), failure(&f).1),
                false,
            ),
        })
        .collect();
    let worst = [Verdict::Critical, Verdict::Warning, Verdict::Unknown]
        .into_iter()
        .find(|v| reports.iter().any(|(_, r, _)| r.verdict == *v))
        .unwrap_or(Verdict::Ok);
    let text = match global.output {
        OutputFormat::Prometheus => health_output::prometheus(
            &reports
                .iter()
                .map(|(name, report, read)| Checked {
                    appliance: name,
                    report,
                    read: *read,
                })
                .collect::<Vec<_>>(),
        ),
        OutputFormat::Json => serde_json::to_string_pretty(&serde_json::json!({
            "verdict": worst,
            "appliances": reports.iter().map(|(name, report, _)| serde_json::json!({
                "name": name,
                "exit_code": report.verdict.exit_code(),
                "report": report,
            })).collect::<Vec<_>>(),
        }))
        .unwrap_or_default(),
        OutputFormat::Nagios => {
            let counts: Vec<String> = Verdict::BY_SEVERITY
                .iter()
                .rev()
                .map(|v| {
                    (
                        v,
                        reports.iter().filter(|(_, r, _)| r.verdict == *v).count(),
                    )
                })
                .filter(|(_, n)| *n > 0)
                .map(|(v, n)| format!("{n} {v}"))
                .collect();
            let mut lines = vec![format!(
                "VCSA BACKUP {worst} - {} of {} appliances: {}",
                reports
                    .iter()
                    .filter(|(_, r, _)| r.verdict == worst)
                    .count(),
                reports.len(),
                counts.join(", ")
            )];
            lines.extend(
                reports
                    .iter()
                    .filter(|(_, r, _)| r.verdict != Verdict::Ok)
                    .map(|(name, r, _)| format!("{name}: {} - {}", r.verdict, r.summary())),
            );
            lines.join("\n")
        }
        OutputFormat::Table => output::table(
            &["APPLIANCE", "VERDICT", "SUMMARY"],
            reports
                .iter()
                .map(|(name, r, _)| vec![name.clone(), r.verdict.to_string(), r.summary()]),
        ),
    };
    let text = if text.ends_with('\n') {
        text
    } else {
        format!("{text}\n")
    };
    check::emit(args, &text, worst.exit_code())
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
    output::print(
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
    );
    fleet_code(rows.iter().filter_map(|r| code_of(r.exit_code))).into()
}
