//! `fleet check`: every appliance's backup health, and one verdict for the fleet.

use std::collections::BTreeMap;
use std::process::ExitCode;

use vcsa_backup::fleet::Fleet;
use vcsa_backup::health::{HealthReport, Verdict};

use super::failure;
use crate::cli::{GlobalArgs, OutputFormat};
use crate::commands::check;
use crate::health_output::{self, Checked};
use crate::output;

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
    let worst = reports
        .iter()
        .map(|(_, r, _)| r.verdict)
        .max()
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
        OutputFormat::Nagios => nagios(&reports, worst),
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

/// The monitoring plugin convention: the worst verdict and the count of each, then a line per
/// appliance that is not OK.
fn nagios(reports: &[(String, HealthReport, bool)], worst: Verdict) -> String {
    let mut by_verdict: BTreeMap<Verdict, usize> = BTreeMap::new();
    for (_, r, _) in reports {
        *by_verdict.entry(r.verdict).or_default() += 1;
    }
    // Most severe first.
    let counts: Vec<String> = by_verdict
        .iter()
        .rev()
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
            .map(|(name, r, _)| {
                health_output::plugin_text(&format!("{name}: {} - {}", r.verdict, r.summary()))
            }),
    );
    lines.join("\n")
}
