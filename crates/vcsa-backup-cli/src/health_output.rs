//! Health reports in the monitoring formats: a table line, the Nagios plugin convention, and the
//! Prometheus text exposition format. Shared by `check` and `fleet check`.

use std::sync::atomic::AtomicU64;

use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use vcsa_backup::health::{HealthPolicy, HealthReport, Verdict};

/// One appliance's result: its report, or why it could not be read (UNKNOWN).
pub struct Checked<'a> {
    /// The appliance's name (the `appliance` label).
    pub appliance: &'a str,
    /// The report; an unreadable appliance has an UNKNOWN report whose reason says why.
    pub report: &'a HealthReport,
    /// Whether the appliance could be read at all.
    pub read: bool,
}

/// `OK - the newest successful backup ended 5h 2m ago (job ...)`, then every other reason.
pub fn table(report: &HealthReport) -> String {
    let mut lines = vec![format!("{} - {}", report.verdict, report.summary())];
    lines.extend(
        report
            .reasons
            .iter()
            .filter(|r| r.verdict != report.verdict)
            .map(|r| format!("  {r}")),
    );
    lines.join("\n")
}

/// Text for a monitoring plugin's output, from the appliance's words: one line, and no `|`,
/// which starts the performance data (plugin guidelines).
pub fn plugin_text(text: &str) -> String {
    text.split(['\r', '\n'])
        .filter(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "/")
}

/// The monitoring plugin convention: `VCSA BACKUP OK - text | perfdata`, other reasons after,
/// a line each.
pub fn nagios(report: &HealthReport, policy: &HealthPolicy) -> String {
    let mut line = format!(
        "VCSA BACKUP {} - {}",
        report.verdict,
        plugin_text(&report.summary())
    );
    let mut perf = Vec::new();
    if let Some(last) = &report.last_success {
        if let Some(age) = last.age {
            perf.push(format!(
                "age={}s;{};{}",
                age.as_secs(),
                policy.warn_age().as_secs(),
                policy.crit_age().as_secs()
            ));
        }
        if let Some(size) = last.size_bytes {
            perf.push(format!("size={size}B"));
        }
    }
    if report.verdict != Verdict::Unknown || report.newest_job.is_some() {
        perf.push(format!("failures={}", report.failures_since_success));
    }
    if !perf.is_empty() {
        line.push_str(" | ");
        line.push_str(&perf.join(" "));
    }
    let mut lines = vec![line];
    lines.extend(
        report
            .reasons
            .iter()
            .filter(|r| r.verdict != report.verdict)
            .map(|r| plugin_text(&r.to_string())),
    );
    lines.join("\n")
}

type Labels = Vec<(String, String)>;
type Metric = Family<Labels, Gauge<f64, AtomicU64>>;

/// The classic Prometheus text format (what node_exporter's textfile collector reads): one
/// family per metric, each sample labelled by appliance. An appliance that could not be read
/// has only `vcsa_backup_check_success 0` and its status, so no stale figure survives it.
pub fn prometheus(checked: &[Checked<'_>]) -> String {
    let mut registry = Registry::default();
    let families = Families::register(&mut registry);
    for c in checked {
        families.record(c);
    }
    let mut text = String::new();
    // Writing into a String cannot fail.
    let _ = prometheus_client::encoding::prometheus_text::encode(&mut text, &registry);
    text
}

/// The metric families of [`prometheus`], one per figure of a report.
struct Families {
    success: Metric,
    status: Metric,
    checked_at: Metric,
    last_time: Metric,
    last_age: Metric,
    last_size: Metric,
    last_duration: Metric,
    job_state: Metric,
    job_duration: Metric,
    job_size: Metric,
    failures: Metric,
}

impl Families {
    fn register(registry: &mut Registry) -> Self {
        let mut family = |name: &str, help: &str| {
            let metric = Metric::default();
            registry.register(name, help, metric.clone());
            metric
        };
        Self {
            success: family(
                "vcsa_backup_check_success",
                "Whether the check could read the appliance (1) or not (0)",
            ),
            status: family(
                "vcsa_backup_health_status",
                "The check's verdict: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN",
            ),
            checked_at: family(
                "vcsa_backup_check_timestamp_seconds",
                "When the check ran, by the appliance's clock (Unix time)",
            ),
            last_time: family(
                "vcsa_backup_last_success_timestamp_seconds",
                "When the newest successful backup ended (Unix time)",
            ),
            last_age: family(
                "vcsa_backup_last_success_age_seconds",
                "How long ago the newest successful backup ended, by the appliance's clock",
            ),
            last_size: family(
                "vcsa_backup_last_success_size_bytes",
                "Bytes written by the newest successful backup",
            ),
            last_duration: family(
                "vcsa_backup_last_success_duration_seconds",
                "How long the newest successful backup took",
            ),
            job_state: family(
                "vcsa_backup_last_job_state",
                "The newest job's state: 1 for its state, 0 for the others",
            ),
            job_duration: family(
                "vcsa_backup_last_job_duration_seconds",
                "How long the newest job ran, or has run so far",
            ),
            job_size: family(
                "vcsa_backup_last_job_size_bytes",
                "Bytes the newest job wrote, so far or in all",
            ),
            failures: family(
                "vcsa_backup_failures_since_success",
                "Jobs that failed after the newest successful backup",
            ),
        }
    }

    /// Sets the figures of one appliance's check.
    fn record(&self, c: &Checked<'_>) {
        let labels = || vec![("appliance".to_string(), c.appliance.to_string())];
        let set = |metric: &Metric, value: f64| {
            metric.get_or_create(&labels()).set(value);
        };
        let report = c.report;
        set(&self.success, if c.read { 1.0 } else { 0.0 });
        set(&self.status, f64::from(report.verdict.exit_code()));
        if !c.read {
            return;
        }
        set(&self.checked_at, report.checked_at.timestamp() as f64);
        set(&self.failures, report.failures_since_success as f64);
        if let Some(last) = &report.last_success {
            set(&self.last_time, last.ended_at.timestamp() as f64);
            // A skewed clock gives no age: the metric is left out rather than 0.
            if let Some(age) = last.age {
                set(&self.last_age, age.as_secs_f64());
            }
            if let Some(size) = last.size_bytes {
                set(&self.last_size, size as f64);
            }
            if let Some(d) = last.duration {
                set(&self.last_duration, d.as_secs_f64());
            }
        }
        if let Some(job) = &report.newest_job {
            let known = ["PENDING", "RUNNING", "BLOCKED", "SUCCEEDED", "FAILED"];
            let current = job.status.to_string();
            let mut states: Vec<&str> = known.to_vec();
            if !known.contains(&current.as_str()) {
                states.push(&current);
            }
            for state in states {
                let mut with_state = labels();
                with_state.push(("state".to_string(), state.to_string()));
                self.job_state
                    .get_or_create(&with_state)
                    .set(if state == current { 1.0 } else { 0.0 });
            }
            if let Some(d) = job.duration {
                set(&self.job_duration, d.as_secs_f64());
            }
            if let Some(size) = job.size_bytes {
                set(&self.job_size, size as f64);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plugin_text;

    #[test]
    fn plugin_text_is_one_line_without_a_pipe() {
        assert_eq!(
            plugin_text("vc-1: CRITICAL - disk full | quota\r\n  exceeded\n"),
            "vc-1: CRITICAL - disk full / quota exceeded"
        );
        assert_eq!(plugin_text("plain words"), "plain words");
    }
}
