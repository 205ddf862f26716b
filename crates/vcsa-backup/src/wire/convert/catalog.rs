//! The catalog: where it looks, which archives it lists, and what it says about them.

use vcsa_backup_api::{Secret, types};

use super::{FromWire, ToWire};
use crate::catalog::archive::{ArchiveInfo, ArchiveSummary};
use crate::catalog::filter::ArchiveFilter;
use crate::catalog::location::BackupLocation;

impl ToWire<types::LocationSpec> for BackupLocation {
    fn to_wire(&self) -> types::LocationSpec {
        types::LocationSpec {
            location: self.url().to_string(),
            location_password: self.password().map(Secret::to_wire),
            location_user: self.user().map(str::to_string),
        }
    }
}

impl ToWire<types::ArchiveFilterSpec> for ArchiveFilter {
    fn to_wire(&self) -> types::ArchiveFilterSpec {
        types::ArchiveFilterSpec {
            comment_substring: self.comment_contains().map(str::to_string),
            end_timestamp: self.until(),
            max_results: self.max_results().map(i64::from),
            start_timestamp: self.since(),
        }
    }
}

impl FromWire<types::ArchiveSummary> for ArchiveSummary {
    fn from_wire(a: types::ArchiveSummary) -> Self {
        Self::new(a.archive, a.timestamp, a.version, a.comment)
    }
}

impl FromWire<types::ArchiveInfo> for ArchiveInfo {
    fn from_wire(a: types::ArchiveInfo) -> Self {
        Self {
            completed_at: a.timestamp,
            location: a.location,
            parts: super::parts(a.parts),
            version: a.version,
            system_name: a.system_name,
            comment: a.comment,
        }
    }
}
