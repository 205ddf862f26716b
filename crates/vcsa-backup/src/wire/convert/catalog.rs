//! The catalog: where it looks, which archives it lists, and what it says about them.

use vcsa_backup_api::{Secret, types};

use super::{IntoDomain, ToWire};
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

impl IntoDomain<ArchiveSummary> for types::ArchiveSummary {
    fn into_domain(self) -> ArchiveSummary {
        ArchiveSummary::new(self.archive, self.timestamp, self.version, self.comment)
    }
}

impl IntoDomain<ArchiveInfo> for types::ArchiveInfo {
    fn into_domain(self) -> ArchiveInfo {
        ArchiveInfo {
            completed_at: self.timestamp,
            location: self.location,
            parts: super::parts(self.parts),
            version: self.version,
            system_name: self.system_name,
            comment: self.comment,
        }
    }
}
