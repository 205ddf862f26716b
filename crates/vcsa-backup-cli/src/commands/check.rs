//! `check`: backup health for monitoring, with the monitoring exit codes in every format.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use vcsa_backup::health::{HealthPolicy, HealthReport};
use vcsa_backup::{Client, Error};

use crate::cli::{CheckArgs, GlobalArgs, OutputFormat};
use crate::health_output::{self, Checked};
use crate::{connect, failure::Failure, output_file, secrets};

/// The policy the options describe, or why they are wrong.
pub fn policy(args: &CheckArgs) -> Result<HealthPolicy, String> {
    let mut policy = HealthPolicy::new(args.warn_age, args.crit_age)
        .map_err(|e| e.to_string())?
        .failed_newest_job_is_critical(!args.failed_is_warning)
        .no_enabled_schedule_is_warning(!args.no_schedule_ok)
        .missed_run_grace(args.missed_run_grace)
        .missed_runs_critical(args.crit_missed_runs)
        .time_limit(args.time_limit);
    if let Some(id) = &args.require_schedule {
        policy = policy.require_schedule(id.clone());
    }
    if args.verify_archive {
        let password = secrets::optional(
            &secrets::LOCATION,
            args.location_password_file.as_deref(),
            false,
        )
        .map_err(|f| failure_text(&f))?;
        policy = policy.verify_archive(password);
    }
    Ok(policy)
}

/// Runs `check`; always answers with a verdict, UNKNOWN when the appliance could not be read.
pub async fn run(global: &GlobalArgs, args: &CheckArgs) -> ExitCode {
    // A file that cannot be replaced is a usage error, found before the appliance is asked.
    if let Some(path) = &args.output_file
        && let Err(why) = output_file::check_target(path)
    {
        let why = format!("--output-file {}: {why}", path.display());
        crate::output::say(&format!("error: {why}"));
        return usage_error(global.output, global.server.as_deref(), None, &why);
    }
    let (appliance, server) = labels(global);
    let (report, read, policy) = match policy(args) {
        Err(why) => {
            crate::output::say(&format!("error: {why}"));
            (unknown(why), false, HealthPolicy::default())
        }
        Ok(policy) => match connect::client(global) {
            Err(failure) => (unknown(failure_text(&failure)), false, policy),
            Ok(client) => {
                let result = check_and_log_out(&client, &policy, args.time_limit).await;
                match result {
                    Ok(report) => (report, true, policy),
                    Err(e) => (unknown(failure_text(&Failure::from(e))), false, policy),
                }
            }
        },
    };
    let checked = Checked {
        appliance: &appliance,
        server: &server,
        report: &report,
        read,
    };
    let text = render(global.output, &checked, &policy);
    emit(args, &text, report.verdict.exit_code())
}

/// The `appliance` and `server` labels: the configuration file's name for the appliance (else
/// its server), and its server's base URL, as `fleet check` labels an inventory's.
fn labels(global: &GlobalArgs) -> (String, String) {
    let Ok((server, chosen)) = connect::server(global) else {
        return (String::new(), String::new());
    };
    let server = vcsa_backup::server_url(&server).unwrap_or(server);
    match chosen {
        Some(chosen) => (chosen.settings.name, server),
        None => (server.clone(), server),
    }
}

/// Checks, then logs out, all within the policy's time limit: appliances allow a limited number
/// of sessions, so this one is given back, but only in what is left of the limit.
async fn check_and_log_out(
    client: &Client,
    policy: &HealthPolicy,
    limit: Duration,
) -> Result<HealthReport, Error> {
    let deadline = tokio::time::Instant::now() + limit;
    let result = client.check_backup_health(policy).await;
    let _ = tokio::time::timeout_at(deadline, client.logout()).await;
    result
}

/// Prints or writes the result; a file that cannot be written is UNKNOWN.
pub fn emit(args: &CheckArgs, text: &str, code: u8) -> ExitCode {
    emit_to(args.output_file.as_deref(), text, code)
}

/// A command line that `check` could not read: UNKNOWN in the format asked for (into the output
/// file when one was named), so the monitoring system sees a verdict and no stale figure
/// survives in the file. The parser's own message goes to standard error.
pub fn usage_error(
    format: OutputFormat,
    server: Option<&str>,
    output_file: Option<&Path>,
    why: &str,
) -> ExitCode {
    let server = server
        .and_then(|server| vcsa_backup::server_url(server).ok())
        .unwrap_or_default();
    let report = unknown(format!("invalid command line: {why}"));
    let checked = Checked {
        appliance: &server,
        server: &server,
        report: &report,
        read: false,
    };
    let text = render(format, &checked, &HealthPolicy::default());
    emit_to(output_file, &text, 3)
}

fn emit_to(output_file: Option<&Path>, text: &str, code: u8) -> ExitCode {
    let written = match output_file {
        Some(path) => output_file::write_atomically(path, text)
            .map_err(|e| format!("could not write {}: {e}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| format!("could not write the result to standard output: {e}"))
        }
    };
    match written {
        Ok(()) => ExitCode::from(code),
        Err(why) => {
            // Standard output may be what failed: say it on standard error too.
            crate::output::say(&format!("VCSA BACKUP UNKNOWN - {why}"));
            if output_file.is_some() {
                // Not `println!`, which panics when standard output fails too.
                let _ = writeln!(std::io::stdout(), "VCSA BACKUP UNKNOWN - {why}");
            }
            ExitCode::from(3)
        }
    }
}

fn render(format: OutputFormat, checked: &Checked<'_>, policy: &HealthPolicy) -> String {
    let report = checked.report;
    let mut text = match format {
        OutputFormat::Table => health_output::table(report),
        OutputFormat::Json => serde_json::to_string_pretty(report)
            .unwrap_or_else(|e| format!("{{\"verdict\": \"UNKNOWN\", \"error\": \"{e}\"}}")),
        OutputFormat::Nagios => health_output::nagios(report, policy),
        OutputFormat::Prometheus => health_output::prometheus(std::slice::from_ref(checked)),
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

fn unknown(reason: String) -> HealthReport {
    HealthReport::unknown(chrono::Utc::now(), reason)
}

/// A failure in one line: its headline and, when it has one, its hint.
pub fn failure_text(failure: &Failure) -> String {
    let (headline, _, hint) = failure.parts();
    match hint {
        Some(hint) => format!("{headline} ({hint})"),
        None => headline.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use vcsa_backup::Secret;
    use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_server_that_hangs_after_log_in_is_given_up_within_the_time_limit_log_out_included() {
        let sim = Simulator::builder().tls(false).start().await.unwrap();
        let client = Client::builder(sim.url())
            .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
            .build()
            .unwrap();
        client.login().await.unwrap();
        // From now on every answer, the log out's included, takes an hour.
        sim.control().set_response_delay(Duration::from_secs(3600));
        let limit = Duration::from_secs(5);
        let policy = HealthPolicy::default().time_limit(limit);
        let within = tokio::time::timeout(limit, check_and_log_out(&client, &policy, limit)).await;
        let error = within
            .expect("the check and its log out end within the time limit")
            .unwrap_err();
        assert!(error.to_string().contains("time limit"), "{error}");
    }
}
