//! Backups at a location, as the catalog describes them.

use chrono::{DateTime, Utc};

use crate::backup::part::PartId;
use crate::catalog::name::ArchiveName;

/// One backup in the catalog, from [`Client::list_archives`](crate::Client::list_archives).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ArchiveSummary {
    /// The archive's id: its folder name, such as `S_8.0.3.00400_20240531-230000_`.
    pub id: String,
    /// When the backup started.
    pub started_at: DateTime<Utc>,
    /// The version of the appliance it came from.
    pub version: String,
    /// The comment stored with it (empty when none).
    pub comment: String,
}

impl ArchiveSummary {
    pub(crate) fn new(
        id: impl Into<String>,
        started_at: DateTime<Utc>,
        version: impl Into<String>,
        comment: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            started_at,
            version: version.into(),
            comment: comment.into(),
        }
    }

    /// The id read as a folder name of the appliance's layout (scheduled or manual, version,
    /// time), as [`ArchiveName::parse`] reads it; `None` when it is not one.
    pub fn name(&self) -> Option<ArchiveName> {
        ArchiveName::parse(&self.id)
    }
}

/// Everything the catalog records about one backup, from
/// [`Client::get_archive`](crate::Client::get_archive).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ArchiveInfo {
    /// When the backup completed.
    pub completed_at: DateTime<Utc>,
    /// Where the backup is (its folder's URL).
    pub location: String,
    /// The parts it holds.
    pub parts: Vec<PartId>,
    /// The version of the appliance it came from.
    pub version: String,
    /// The system name of the appliance it came from.
    pub system_name: String,
    /// The comment stored with it (empty when none).
    pub comment: String,
}
