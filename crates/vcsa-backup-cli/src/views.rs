//! What each command prints, in one shape for JSON (stable field names for scripts) and one for
//! tables (for people). The SDK's types are mapped here so that a change in the SDK does not
//! silently change what scripts read.

use chrono::{DateTime, Utc};
use serde::Serialize;
use vcsa_backup::{JobDetails, JobId, JobStatus, Message, Outcome, Part};

use crate::human;
use crate::output;

mod archive;
mod schedule;

pub use archive::{ArchiveRow, ArchiveView};
pub use schedule::{Action, DiffView, ScheduleView};

/// A message from the appliance.
#[derive(Debug, Serialize)]
pub struct MessageView {
    /// The message's id in the appliance's catalogue.
    pub id: String,
    /// The English text.
    pub text: String,
}

impl From<&Message> for MessageView {
    fn from(m: &Message) -> Self {
        Self {
            id: m.id.clone(),
            text: m.to_string(),
        }
    }
}

fn messages(list: &[Message]) -> Vec<MessageView> {
    list.iter().map(MessageView::from).collect()
}

/// One job: its status, and its details when the appliance gave them.
#[derive(Debug, Serialize)]
pub struct JobView {
    /// The job's id.
    pub id: String,
    /// `NONE`, `INPROGRESS`, `SUCCEEDED`, `FAILED` or a newer value, as the appliance sends it.
    pub state: String,
    /// Percent done, 0 to 100.
    pub progress: u8,
    /// When the job started.
    pub started_at: DateTime<Utc>,
    /// When the job ended; `null` while it runs.
    pub ended_at: Option<DateTime<Utc>>,
    /// The appliance's messages about the job.
    pub messages: Vec<MessageView>,
    /// The job's details; `null` when the appliance had none.
    pub details: Option<DetailsView>,
    /// The state in words (`in progress`), for tables.
    #[serde(skip)]
    pub state_words: String,
}

impl JobView {
    /// The view of `status`, with `details` when known.
    pub fn new(status: &JobStatus, details: Option<&JobDetails>) -> Self {
        Self {
            id: status.id.to_string(),
            state: status.state.as_str().to_string(),
            progress: status.progress.value(),
            started_at: status.started_at,
            ended_at: status.ended_at,
            messages: messages(&status.messages),
            details: details.map(DetailsView::from),
            state_words: status.state.describe().to_string(),
        }
    }

    /// Field and value pairs for a table, times in `zone`.
    pub fn fields(&self, zone: &human::Zone) -> Vec<(&'static str, String)> {
        let mut rows = vec![
            ("Job", self.id.clone()),
            ("State", self.state_words.clone()),
            ("Progress", format!("{}%", self.progress)),
            ("Started", zone.time(self.started_at)),
        ];
        if let Some(ended) = self.ended_at {
            rows.push(("Ended", zone.time(ended)));
        }
        if let Some(d) = &self.details {
            rows.push(("Type", d.kind.clone()));
            if let Some(s) = d.duration_seconds {
                rows.push(("Duration", human::seconds(s)));
            }
            if let Some(b) = d.size_bytes {
                rows.push(("Size", human::size(b)));
            }
            rows.push(("Location", d.location.clone()));
            if !d.location_user.is_empty() {
                rows.push(("Location user", d.location_user.clone()));
            }
            if let Some(user) = &d.started_by {
                rows.push(("Started by", user.clone()));
            }
            if let Some(version) = &d.appliance_version {
                rows.push(("Appliance", version.clone()));
            }
            for m in &d.error {
                rows.push(("Error", m.text.clone()));
            }
        }
        for m in &self.messages {
            // A failed job often repeats its error among its messages: show it once.
            if !rows.iter().any(|(k, v)| *k == "Error" && *v == m.text) {
                rows.push(("Message", m.text.clone()));
            }
        }
        rows
    }
}

/// A job's details: what it is, where it writes, how much and how long.
#[derive(Debug, Serialize)]
pub struct DetailsView {
    /// `MANUAL`, `SCHEDULED` or a newer value.
    #[serde(rename = "type")]
    pub kind: String,
    /// `PENDING`, `RUNNING`, `BLOCKED`, `SUCCEEDED`, `FAILED` or a newer value.
    pub status: String,
    /// Where the backup goes.
    pub location: String,
    /// The user on the backup server (empty when none).
    pub location_user: String,
    /// Bytes written so far.
    pub size_bytes: Option<u64>,
    /// Seconds the job has run.
    pub duration_seconds: Option<i64>,
    /// Who started the job.
    pub started_by: Option<String>,
    /// The appliance's version, such as `vCenter Server 8.0 Update 3 (8.0.3.00400, build 24322831)`.
    pub appliance_version: Option<String>,
    /// Whether the job can still be canceled.
    pub cancelable: bool,
    /// Why the job failed: the appliance's message stack.
    pub error: Vec<MessageView>,
}

impl From<&JobDetails> for DetailsView {
    fn from(d: &JobDetails) -> Self {
        Self {
            kind: d.kind.as_str().to_string(),
            status: d.state.as_str().to_string(),
            location: d.location.clone(),
            location_user: d.location_user.clone(),
            size_bytes: d.size_bytes,
            duration_seconds: d.duration.and_then(|t| i64::try_from(t.as_secs()).ok()),
            started_by: d.user.clone(),
            appliance_version: d.build.as_ref().map(|b| {
                format!(
                    "{} ({}, build {})",
                    b.version_name, b.version, b.build_number
                )
            }),
            cancelable: d.cancelable,
            error: d
                .error
                .as_ref()
                .map(|e| messages(&e.messages))
                .unwrap_or_default(),
        }
    }
}

/// One line of `list`.
#[derive(Debug, Serialize)]
pub struct ListRow {
    /// The job's id.
    pub id: String,
    /// `MANUAL`, `SCHEDULED`..., `null` when the appliance gave no details.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `RUNNING`, `SUCCEEDED`, `FAILED`..., `null` when the appliance gave no details.
    pub status: Option<String>,
    /// Bytes written.
    pub size_bytes: Option<u64>,
    /// Seconds the job ran.
    pub duration_seconds: Option<i64>,
    /// When the job started.
    pub started_at: Option<DateTime<Utc>>,
    /// Where the backup went.
    pub location: Option<String>,
}

impl ListRow {
    /// The row for `id`, with its details when the appliance gave them.
    pub fn new(id: &JobId, details: Option<&JobDetails>) -> Self {
        Self {
            id: id.to_string(),
            kind: details.map(|d| d.kind.as_str().to_string()),
            status: details.map(|d| d.state.as_str().to_string()),
            size_bytes: details.and_then(|d| d.size_bytes),
            duration_seconds: details
                .and_then(|d| d.duration.and_then(|t| i64::try_from(t.as_secs()).ok())),
            started_at: details
                .and_then(|d| d.started_at)
                .or_else(|| id.started_at()),
            location: details.map(|d| d.location.clone()),
        }
    }

    /// The table columns. The start time is in the job's id (and in the JSON output); the
    /// location, the last column, is shortened to fit 80 columns.
    pub const HEADERS: [&'static str; 6] = ["JOB", "TYPE", "STATUS", "SIZE", "TOOK", "LOCATION"];

    /// Where the table shortens long cells.
    pub const FITS: [(usize, output::Shorten); 1] = [(5, output::Shorten::Middle)];

    /// The table cells, `-` where unknown.
    pub fn cells(&self) -> Vec<String> {
        let dash = || "-".to_string();
        vec![
            self.id.clone(),
            self.kind.clone().unwrap_or_else(dash),
            self.status.clone().unwrap_or_else(dash),
            self.size_bytes.map(human::size).unwrap_or_else(dash),
            self.duration_seconds
                .map(human::seconds)
                .unwrap_or_else(dash),
            self.location.clone().unwrap_or_else(dash),
        ]
    }
}

/// One part a backup can include.
#[derive(Debug, Serialize)]
pub struct PartView {
    /// The id to pass to `--part`.
    pub id: String,
    /// The part's name.
    pub name: String,
    /// What it holds.
    pub description: String,
    /// Whether the appliance includes it unless told otherwise.
    pub selected_by_default: bool,
    /// Whether it may be left out.
    pub optional: bool,
    /// The appliance's estimate of the part's size in a backup, in MiB (the appliance's "MB");
    /// `null` when the appliance gives none.
    pub estimated_size_mb: Option<u64>,
}

impl PartView {
    /// The view of `p`, with the appliance's estimate of its size.
    pub fn new(p: &Part, estimated_size_mb: Option<u64>) -> Self {
        Self {
            id: p.id.as_str().to_string(),
            name: p.name.to_string(),
            description: p.description.to_string(),
            selected_by_default: p.selected_by_default,
            optional: p.optional,
            estimated_size_mb,
        }
    }

    /// The table columns.
    pub const HEADERS: [&'static str; 5] = ["PART", "DEFAULT", "OPTIONAL", "SIZE", "DESCRIPTION"];

    /// Where the table shortens long cells (the JSON output has the whole description).
    pub const FITS: [(usize, output::Shorten); 1] = [(4, output::Shorten::End)];

    /// The table cells.
    pub fn cells(&self) -> Vec<String> {
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
        vec![
            self.id.clone(),
            yes_no(self.selected_by_default),
            yes_no(self.optional),
            self.estimated_size_mb
                .map(|mb| human::size(mb.saturating_mul(1024 * 1024)))
                .unwrap_or_else(|| "-".to_string()),
            format!("{}: {}", self.name, self.description),
        ]
    }
}

/// The appliance's verdict on a cancel request or a check.
#[derive(Debug, Serialize)]
pub struct OutcomeView {
    /// The job, for a cancel request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// `OK`, `WARNING`, `FAIL` or a newer value.
    pub status: String,
    /// Why.
    pub messages: Vec<MessageView>,
}

impl OutcomeView {
    /// The view of `outcome`, for `job` when it is about one.
    pub fn new(outcome: &Outcome, job: Option<&JobId>) -> Self {
        Self {
            job_id: job.map(ToString::to_string),
            status: outcome.status.to_string(),
            messages: messages(&outcome.messages),
        }
    }

    /// `headline`, then the appliance's messages, one per indented line.
    pub fn text(&self, headline: String) -> String {
        self.messages
            .iter()
            .fold(headline, |text, m| text + "\n  " + &m.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_without_details_shows_dashes_and_the_start_from_its_id() {
        let row = ListRow::new(&JobId::new("20250131-020007-24322831"), None);
        assert_eq!(
            row.cells(),
            ["20250131-020007-24322831", "-", "-", "-", "-", "-"]
        );
        let json = serde_json::to_value(&row).unwrap();
        assert_eq!(json["type"], serde_json::Value::Null);
        assert_eq!(json["started_at"], "2025-01-31T02:00:07Z");
    }

    #[test]
    fn an_opaque_id_has_no_start_time() {
        let row = ListRow::new(&JobId::new("restore-7"), None);
        assert_eq!(row.started_at, None);
    }
}
