//! Health reports in the monitoring formats: a table line, the Nagios plugin convention, and the
//! Prometheus text exposition format. Shared by `check` and `fleet check`.

use std::sync::atomic::AtomicU64;

use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use vcsa_backup::TaskState;
use vcsa_backup::health::{HealthPolicy, HealthReport, NewestJob, Verdict};

/// One appliance's result: its report, or why it could not be read (UNKNOWN).
pub struct Checked<'a> {
    /// The appliance's name (the `appliance` label): its name in the inventory or the
    /// configuration file, else its server.
    pub appliance: &'a str,
    /// The appliance's base URL (the `server` label).
    pub server: &'a str,
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
    let perf = perfdata(report, policy, "");
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

/// The performance data of one report (plugin guidelines: `label=value[unit];warn;crit`): the
/// age of the newest success with the policy's thresholds, its size, the failures since. With a
/// `prefix` (`vc1::`), the labels are quoted, and quotes and `=` in it replaced, as the
/// guidelines require.
pub fn perfdata(report: &HealthReport, policy: &HealthPolicy, prefix: &str) -> Vec<String> {
    let label = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("'{}{name}'", prefix.replace(['\'', '='], "_"))
        }
    };
    let mut perf = Vec::new();
    if let Some(last) = &report.last_success {
        if let Some(age) = last.age {
            perf.push(format!(
                "{}={}s;{};{}",
                label("age"),
                age.as_secs(),
                policy.warn_age().as_secs(),
                policy.crit_age().as_secs()
            ));
        }
        if let Some(size) = last.size_bytes {
            perf.push(format!("{}={size}B", label("size")));
        }
    }
    if report.verdict != Verdict::Unknown || report.newest_job.is_some() {
        perf.push(format!(
            "{}={}",
            label("failures"),
            report.failures_since_success
        ));
    }
    perf
}

/// A job's state in words, as the `state` label of `vcsa_backup_last_job_state` gives it:
/// `pending`, `running`, `blocked`, `succeeded`, `failed`, `canceled`; a state this tool does not
/// know, as the appliance sent it.
fn state_word(job: &NewestJob) -> String {
    match &job.state {
        _ if job.canceled => "canceled".to_string(),
        TaskState::Pending => "pending".to_string(),
        TaskState::Running => "running".to_string(),
        TaskState::Blocked => "blocked".to_string(),
        TaskState::Succeeded => "succeeded".to_string(),
        TaskState::Failed => "failed".to_string(),
        other => other.to_string(),
    }
}

/// The states every newest job is reported against (1 for its own, 0 for the others).
const STATES: [&str; 6] = [
    "blocked",
    "canceled",
    "failed",
    "pending",
    "running",
    "succeeded",
];

type Labels = Vec<(String, String)>;
type Metric = Family<Labels, Gauge<f64, AtomicU64>>;

/// The classic Prometheus text format (what node_exporter's textfile collector reads): one
/// family per metric, each sample labelled by `appliance` and `server`. An appliance that could
/// not be read has only `vcsa_backup_check_success 0` and its status, so no stale figure
/// survives it.
///
/// The same appliances give the same lines in the same order: in each family, the appliances
/// in the order given (the inventory's), and one appliance's samples sorted.
pub fn prometheus(checked: &[Checked<'_>]) -> String {
    // The client library keeps samples in a hash map: each appliance is encoded alone, then the
    // families are put together in order.
    let encoded: Vec<Vec<Block>> = checked
        .iter()
        .map(|c| {
            let mut registry = Registry::default();
            Families::register(&mut registry).record(c);
            let mut text = String::new();
            // Writing into a String cannot fail.
            let _ = prometheus_client::encoding::prometheus_text::encode(&mut text, &registry);
            blocks(&text)
        })
        .collect();
    let Some(first) = encoded.first() else {
        let mut registry = Registry::default();
        Families::register(&mut registry);
        let mut text = String::new();
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut text, &registry);
        return text;
    };
    let mut text = String::new();
    for (i, block) in first.iter().enumerate() {
        let samples: Vec<&str> = encoded
            .iter()
            .filter_map(|blocks| blocks.get(i))
            .flat_map(|b| b.samples.iter().map(String::as_str))
            .collect();
        // A family without samples says nothing: leave it out, as a single appliance's does.
        if samples.is_empty() && !block.header.is_empty() {
            continue;
        }
        for line in block.header.iter().map(String::as_str).chain(samples) {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

/// One family of the text format: its `#` lines, then its samples, sorted.
struct Block {
    header: Vec<String>,
    samples: Vec<String>,
}

/// The families of one encoding, in order.
fn blocks(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for line in text.lines() {
        let starts_family = line.starts_with("# HELP ")
            || (line.starts_with('#') && blocks.last().is_none_or(|b| !b.samples.is_empty()));
        if starts_family || blocks.is_empty() {
            blocks.push(Block {
                header: Vec::new(),
                samples: Vec::new(),
            });
        }
        let block = blocks.last_mut().expect("pushed above");
        if line.starts_with('#') {
            block.header.push(line.to_string());
        } else {
            block.samples.push(line.to_string());
        }
    }
    for block in &mut blocks {
        block.samples.sort();
    }
    blocks
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
        let labels = || {
            vec![
                ("appliance".to_string(), c.appliance.to_string()),
                ("server".to_string(), c.server.to_string()),
            ]
        };
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
            let current = state_word(job);
            let mut states: Vec<&str> = STATES.to_vec();
            if !STATES.contains(&current.as_str()) {
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
