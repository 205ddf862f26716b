//! The appliance's catalog operations: the system names at a backup location, their archives,
//! one archive; and placing an archive there for a test.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use url::Url;

use crate::appliance::Appliance;
use crate::catalog::{
    Archive, ArchiveSeed, DEFAULT_MAX_RESULTS, FilterSpec, LayoutFolder, LocationSpec, Origin,
    archive_name, folder_url, is_valid_archive_id, is_valid_system_name, location_key,
    newest_first, parts_held,
};
use crate::error::{VapiError, clip, message};
use crate::parts;

/// One archive in a list (the vendor's `Archive.Summary`): `timestamp` is when it started.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ArchiveSummary {
    archive: String,
    timestamp: DateTime<Utc>,
    version: String,
    comment: String,
}

/// One archive in full (the vendor's `Archive.Info`): `timestamp` is when it completed.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ArchiveInfo {
    timestamp: DateTime<Utc>,
    location: String,
    parts: Vec<String>,
    version: String,
    system_name: String,
    comment: String,
}

/// A location for a message: without user name or password, whatever the caller put in it.
fn shown(location: &str) -> String {
    match Url::parse(location) {
        Ok(mut url) => {
            let _ = url.set_password(None);
            let _ = url.set_username("");
            url.to_string()
        }
        Err(_) => "the location".to_string(),
    }
}

fn location_not_found(location: &str) -> VapiError {
    VapiError::not_found(
        "com.vmware.applmgmt.backup.location.not_found",
        format!(
            "There are no backups at {}: it has no vCenter folder. Check the location (the folder the backups were written to, without /vCenter/...).",
            shown(location)
        ),
    )
}

fn system_name_not_found(location: &str, system_name: &str, known: &[&String]) -> VapiError {
    let known = if known.is_empty() {
        "none".to_string()
    } else {
        known
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    VapiError::not_found(
        "com.vmware.applmgmt.backup.system_name.not_found",
        format!(
            "The location {} holds no backups of the system name '{}'. System names there: {known}.",
            shown(location),
            clip(system_name)
        ),
    )
}

impl Appliance {
    /// The system names at a location, in alphabetical order.
    pub(crate) fn list_system_names(&self, spec: &LocationSpec) -> Result<Vec<String>, VapiError> {
        self.with_system_names(spec, |names| Ok(names.keys().cloned().collect()))
    }

    /// Runs `f` on the system names at a location, each with its archives; NOT_FOUND when the
    /// location holds no backups.
    fn with_system_names<T>(
        &self,
        spec: &LocationSpec,
        f: impl FnOnce(&BTreeMap<String, BTreeMap<String, Archive>>) -> Result<T, VapiError>,
    ) -> Result<T, VapiError> {
        let root = location_key(&spec.location)?;
        let inner = self.lock();
        let names = inner
            .catalog
            .system_names(&root)
            .ok_or_else(|| location_not_found(&spec.location))?;
        f(names)
    }

    /// Runs `f` on the archives of a system name at a location; NOT_FOUND when there are none.
    fn with_archives<T>(
        &self,
        spec: &LocationSpec,
        system_name: &str,
        f: impl FnOnce(&BTreeMap<String, Archive>) -> Result<T, VapiError>,
    ) -> Result<T, VapiError> {
        self.with_system_names(spec, |names| {
            let archives = names.get(system_name).ok_or_else(|| {
                system_name_not_found(
                    &spec.location,
                    system_name,
                    &names.keys().collect::<Vec<_>>(),
                )
            })?;
            f(archives)
        })
    }

    /// The archives of a system name at a location, newest first, filtered.
    pub(crate) fn list_archives(
        &self,
        spec: &LocationSpec,
        system_name: &str,
        filter: &FilterSpec,
    ) -> Result<Vec<ArchiveSummary>, VapiError> {
        let max = filter.max_results.unwrap_or(DEFAULT_MAX_RESULTS);
        if max < 1 {
            return Err(VapiError::invalid_argument(vec![message(
                "com.vmware.applmgmt.backup.archive.max_results",
                format!(
                    "The most results to answer is {max}: ask for at least 1 (leave it out for {DEFAULT_MAX_RESULTS})."
                ),
            )]));
        }
        if let (Some(start), Some(end)) = (filter.start_timestamp, filter.end_timestamp)
            && start > end
        {
            return Err(VapiError::invalid_argument(vec![message(
                "com.vmware.applmgmt.backup.archive.time_range",
                "The start of the time range is after its end: swap them.",
            )]));
        }
        self.with_archives(spec, system_name, |archives| {
            let mut found: Vec<(&String, &Archive)> = archives
                .iter()
                .filter(|(_, a)| filter.start_timestamp.is_none_or(|t| a.started >= t))
                .filter(|(_, a)| filter.end_timestamp.is_none_or(|t| a.started <= t))
                .filter(|(_, a)| {
                    filter
                        .comment_substring
                        .as_deref()
                        .is_none_or(|s| a.comment.contains(s))
                })
                .collect();
            found.sort_by(newest_first);
            let max = usize::try_from(max).unwrap_or(usize::MAX);
            Ok(found
                .into_iter()
                .take(max)
                .map(|(id, a)| ArchiveSummary {
                    archive: id.clone(),
                    timestamp: a.started,
                    version: a.version.clone(),
                    comment: a.comment.clone(),
                })
                .collect())
        })
    }

    /// One archive of a system name at a location.
    pub(crate) fn get_archive(
        &self,
        spec: &LocationSpec,
        system_name: &str,
        archive: &str,
    ) -> Result<ArchiveInfo, VapiError> {
        self.with_archives(spec, system_name, |archives| {
            let a = archives.get(archive).ok_or_else(|| {
                VapiError::not_found(
                    "com.vmware.applmgmt.backup.archive.not_found",
                    format!(
                        "The system name '{system_name}' at {} has no archive '{}'. List the archives to see their ids.",
                        shown(&spec.location),
                        clip(archive)
                    ),
                )
            })?;
            Ok(ArchiveInfo {
                timestamp: a.completed,
                location: folder_url(&spec.location, system_name, archive),
                parts: a.parts.clone(),
                version: a.version.clone(),
                system_name: system_name.to_string(),
                comment: a.comment.clone(),
            })
        })
    }

    /// Places an archive in the catalog; answers its id. Refuses a bad location, system name,
    /// archive id or part, and an archive that already exists.
    pub(crate) fn seed_archive(&self, seed: ArchiveSeed) -> Result<String, String> {
        let root = location_key(&seed.location).map_err(|_| {
            "The location must be a URL with a host, like sftp://backup.example.com/vcsa."
                .to_string()
        })?;
        if !is_valid_system_name(&seed.system_name) {
            return Err(
                "The system name must be 1 to 255 letters, digits, '-', '_' or '.', like vcsa-02.example.com."
                    .to_string(),
            );
        }
        if let Some(unknown) = seed
            .parts
            .iter()
            .flatten()
            .find(|p| parts::find(p).is_none())
        {
            return Err(format!(
                "The part '{}' does not exist; use common, seat or supervisors.",
                clip(unknown)
            ));
        }
        let mut inner = self.lock();
        let version = seed.version.unwrap_or_else(|| inner.config.version.clone());
        let archive = match seed.archive {
            Some(id) if is_valid_archive_id(&id) => id,
            Some(_) => {
                return Err(
                    "The archive id must start with S_ or M_ and then use letters, digits, '-', '_' or '.', like S_8.0.3.00400_20260501-023000_."
                        .to_string(),
                );
            }
            None => archive_name(
                seed.scheduled,
                &version,
                &seed.timestamp.format("%Y%m%d-%H%M%S").to_string(),
            ),
        };
        let folder = LayoutFolder {
            root,
            system_name: seed.system_name,
            archive: archive.clone(),
        };
        if inner.catalog.contains(&folder) || inner.used_folders.contains(&folder.key()) {
            return Err(format!(
                "The archive {archive} already exists there; give another archive id or timestamp."
            ));
        }
        inner.used_folders.insert(folder.key());
        let record = Archive {
            started: seed.timestamp,
            completed: seed.completed.unwrap_or(seed.timestamp).max(seed.timestamp),
            version,
            parts: parts_held(&seed.parts.unwrap_or_default()),
            comment: seed.comment.unwrap_or_default(),
            origin: Origin::default(),
        };
        inner.catalog.insert(&folder, record);
        Ok(archive)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_locations_carry_no_credentials() {
        assert_eq!(
            shown("sftp://bob:s3cret@h/p"),
            "sftp://h/p",
            "user and password are dropped"
        );
        assert_eq!(shown("not a url"), "the location");
    }
}
