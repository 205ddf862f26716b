//! Backups at a backup location, as the appliance's catalog describes them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use vcsa_backup::{ArchiveInfo, ArchiveKind, ArchiveSummary, PartId};

use crate::human;

/// One line of `archives list`.
#[derive(Debug, Serialize)]
pub struct ArchiveRow {
    /// The appliance it came from (its system name).
    pub system_name: String,
    /// The archive's id: its folder name.
    pub id: String,
    /// `scheduled`, `manual`, or `null` when the folder name is not the appliance's.
    pub kind: Option<&'static str>,
    /// When the backup started.
    pub started_at: DateTime<Utc>,
    /// The version of the appliance it came from.
    pub version: String,
    /// The comment stored with it (empty when none).
    pub comment: String,
}

impl ArchiveRow {
    /// The row for `summary`, a backup of `system_name`.
    pub fn new(system_name: &str, summary: &ArchiveSummary) -> Self {
        Self {
            system_name: system_name.to_string(),
            id: summary.id.clone(),
            kind: summary.name().map(|n| kind(n.kind)),
            started_at: summary.started_at,
            version: summary.version.clone(),
            comment: summary.comment.clone(),
        }
    }

    /// The table columns: the archive's id names its type, version and start
    /// (`M_8.0.3.00400_20240531-140509_`); the JSON output has each on its own.
    pub const HEADERS: [&'static str; 3] = ["SYSTEM NAME", "ARCHIVE", "COMMENT"];

    /// Where the table shortens long cells: the comment at its end, then the system name in
    /// the middle.
    pub const FITS: [(usize, crate::output::Shorten); 2] = [
        (2, crate::output::Shorten::End),
        (0, crate::output::Shorten::Middle),
    ];

    /// The table cells.
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.system_name.clone(),
            self.id.clone(),
            self.comment.clone(),
        ]
    }
}

fn kind(kind: ArchiveKind) -> &'static str {
    match kind {
        ArchiveKind::Scheduled => "scheduled",
        ArchiveKind::Manual => "manual",
        _ => "other",
    }
}

/// `archives show`: one backup.
#[derive(Debug, Serialize)]
pub struct ArchiveView {
    /// The appliance it came from (its system name).
    pub system_name: String,
    /// The archive's id: its folder name.
    pub id: String,
    /// When the backup completed.
    pub completed_at: DateTime<Utc>,
    /// Where it is: its folder's URL.
    pub location: String,
    /// The parts it holds.
    pub parts: Vec<String>,
    /// The version of the appliance it came from.
    pub version: String,
    /// The comment stored with it (empty when none).
    pub comment: String,
}

impl ArchiveView {
    /// The view of `info`, the archive `id`.
    pub fn new(id: &str, info: &ArchiveInfo) -> Self {
        Self {
            system_name: info.system_name.clone(),
            id: id.to_string(),
            completed_at: info.completed_at,
            location: info.location.clone(),
            parts: info
                .parts
                .iter()
                .map(PartId::as_str)
                .map(String::from)
                .collect(),
            version: info.version.clone(),
            comment: info.comment.clone(),
        }
    }

    /// Field and value pairs for a table.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let mut rows = vec![
            ("Archive", self.id.clone()),
            ("System name", self.system_name.clone()),
            ("Completed", human::time(self.completed_at)),
            ("Version", self.version.clone()),
            ("Parts", self.parts.join(", ")),
            ("Location", self.location.clone()),
        ];
        if !self.comment.is_empty() {
            rows.push(("Comment", self.comment.clone()));
        }
        rows
    }
}
