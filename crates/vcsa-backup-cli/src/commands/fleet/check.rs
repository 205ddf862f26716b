//! `fleet check`: every appliance's backup health, and one verdict for the fleet.

use std::process::ExitCode;

use vcsa_backup::fleet::Fleet;
use vcsa_backup::health::{HealthPolicy, HealthReport, Verdict};

use super::failure;
use crate::cli::{GlobalArgs, OutputFormat};
use crate::commands::check;
use crate::health_output::{self, Checked};
use crate::output::{self, Shorten};

/// At most this many appliances are named in the Nagios status line for each verdict.
const NAMED: usize = 5;

/// One appliance's check, in the inventory's order.
struct Row {
    name: String,
    server: String,
    report: HealthReport,
    read: bool,
}

impl Row {
    fn checked(&self) -> Checked<'_> {
        Checked {
            appliance: &self.name,
            server: &self.server,
            report: &self.report,
            read: self.read,
        }
    }
}

pub(super) async fn fleet_check(
    global: &GlobalArgs,
    fleet: &Fleet,
    args: &crate::cli::CheckArgs,
) -> ExitCode {
    let policy = match check::policy(args) {
        Ok(policy) => policy,
        Err(why) => {
            let _ = crate::output::write(&format!("VCSA BACKUP UNKNOWN - {why}"));
            return ExitCode::from(3);
        }
    };
    let rows: Vec<Row> = fleet
        .check(&policy)
        .await
        .into_iter()
        .map(|r| {
            let (report, read) = match r.outcome {
                Ok(report) => (report, true),
                Err(f) => (
                    HealthReport::unknown(chrono::Utc::now(), failure(&f).1),
                    false,
                ),
            };
            Row {
                name: r.name,
                server: r.server,
                report,
                read,
            }
        })
        .collect();
    let worst = rows
        .iter()
        .map(|r| r.report.verdict)
        .max()
        .unwrap_or(Verdict::Ok);
    let text = render(global.output, &rows, worst, &policy);
    let text = if text.ends_with('\n') {
        text
    } else {
        format!("{text}\n")
    };
    check::emit(args, &text, worst.exit_code())
}

fn render(format: OutputFormat, rows: &[Row], worst: Verdict, policy: &HealthPolicy) -> String {
    match format {
        OutputFormat::Prometheus => {
            health_output::prometheus(&rows.iter().map(Row::checked).collect::<Vec<_>>())
        }
        OutputFormat::Json => serde_json::to_string_pretty(&serde_json::json!({
            "verdict": worst,
            "appliances": rows.iter().map(|r| serde_json::json!({
                "name": r.name,
                "server": r.server,
                "exit_code": r.report.verdict.exit_code(),
                "report": r.report,
            })).collect::<Vec<_>>(),
        }))
        .unwrap_or_default(),
        OutputFormat::Nagios => nagios(rows, worst, policy),
        // Full messages are in the JSON; a table keeps 80 columns.
        OutputFormat::Table => output::fitted_table(
            &["APPLIANCE", "VERDICT", "SUMMARY"],
            rows.iter().map(|r| {
                vec![
                    r.name.clone(),
                    r.report.verdict.to_string(),
                    r.report.summary(),
                ]
            }),
            &[(2, Shorten::End)],
        ),
    }
}

/// The monitoring plugin convention: the worst verdict, the count of each with the appliances
/// that have the worse ones, and every appliance's performance data; then a line per appliance
/// that is not OK.
fn nagios(rows: &[Row], worst: Verdict, policy: &HealthPolicy) -> String {
    // Most severe first, then the others, each with its count.
    let mut verdicts: Vec<Verdict> = rows.iter().map(|r| r.report.verdict).collect();
    verdicts.sort_by_key(|v| std::cmp::Reverse(*v));
    verdicts.dedup();
    let counts: Vec<String> = verdicts
        .iter()
        .map(|&verdict| {
            let names: Vec<&str> = rows
                .iter()
                .filter(|r| r.report.verdict == verdict)
                .map(|r| r.name.as_str())
                .collect();
            if verdict == Verdict::Ok {
                return format!("{} OK", names.len());
            }
            let shown = names[..names.len().min(NAMED)].join(", ");
            let more = names.len().saturating_sub(NAMED);
            if more > 0 {
                format!("{} {verdict} ({shown} and {more} more)", names.len())
            } else {
                format!("{} {verdict} ({shown})", names.len())
            }
        })
        .collect();
    let perf: Vec<String> = rows
        .iter()
        .flat_map(|r| health_output::perfdata(&r.report, policy, &format!("{}::", r.name)))
        .collect();
    let mut line = health_output::plugin_text(&format!(
        "VCSA BACKUP {worst} - {} appliances: {}",
        rows.len(),
        counts.join(", ")
    ));
    if !perf.is_empty() {
        line.push_str(" | ");
        line.push_str(&perf.join(" "));
    }
    let mut lines = vec![line];
    lines.extend(
        rows.iter()
            .filter(|r| r.report.verdict != Verdict::Ok)
            .map(|r| {
                health_output::plugin_text(&format!(
                    "{}: {} - {}",
                    r.name,
                    r.report.verdict,
                    r.report.summary()
                ))
            }),
    );
    lines.join("\n")
}
