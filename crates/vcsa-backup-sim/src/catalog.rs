//! The backup catalog: which backups a backup location holds, under which system names.
//!
//! The appliance's layout at a location is `<location>/vCenter/sn_<system name>/<archive>`, where
//! an archive folder is `S_<version>_<YYYYMMDD-hhmmss>_` for a scheduled backup and `M_...` for
//! a manual one. A backup written into that layout becomes an archive when it succeeds.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use url::Url;
use vcsa_backup_api::Secret;

use crate::error::{VapiError, message};
use crate::parts;
use crate::password_check::PasswordCheck;
use crate::schedules::ScheduleInfo;
use crate::validate::folder_key;

/// The folder under a location that holds every system name's folder.
const VCENTER: &str = "vCenter";
/// The prefix of a system name's folder.
const SYSTEM_NAME_PREFIX: &str = "sn_";
/// The prefix of a scheduled backup's folder.
pub(crate) const SCHEDULED_PREFIX: &str = "S_";
/// The prefix of a manual backup's folder.
pub(crate) const MANUAL_PREFIX: &str = "M_";
/// How many archives a list answers when the filter does not say.
pub(crate) const DEFAULT_MAX_RESULTS: i64 = 128;

/// Whether `name` can be a system name: a host name's characters (1 to 255 letters, digits,
/// `-`, `_` or `.`), so it fits a folder and a URL path segment unchanged.
pub(crate) fn is_valid_system_name(name: &str) -> bool {
    (1..=255).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && name != "."
        && name != ".."
}

/// Whether `id` can be an archive folder: `S_` or `M_` and then the characters of a system
/// name (up to 255).
pub(crate) fn is_valid_archive_id(id: &str) -> bool {
    (id.starts_with(SCHEDULED_PREFIX) || id.starts_with(MANUAL_PREFIX)) && is_valid_system_name(id)
}

/// A backup folder inside the appliance's layout at a location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LayoutFolder {
    /// The location the catalog is asked about, as `validate::folder_key` reduces it.
    pub(crate) root: String,
    pub(crate) system_name: String,
    pub(crate) archive: String,
}

impl LayoutFolder {
    /// The folder as `validate::folder_key` reduces its URL.
    pub(crate) fn key(&self) -> String {
        folder_key_in(&self.root, &self.system_name, &self.archive)
    }
}

fn folder_key_in(root: &str, system_name: &str, archive: &str) -> String {
    format!("{root}/{VCENTER}/{SYSTEM_NAME_PREFIX}{system_name}/{archive}")
}

/// Where `location` sits in the layout, when it names an archive folder
/// (`.../vCenter/sn_<name>/S_...` or `M_...`, a trailing `/` allowed).
pub(crate) fn layout_of(location: &Url) -> Option<LayoutFolder> {
    let mut segments: Vec<&str> = location.path_segments()?.collect();
    if segments.last() == Some(&"") {
        segments.pop();
    }
    let [parents @ .., vcenter, system_name, archive] = segments.as_slice() else {
        return None;
    };
    let system_name = system_name.strip_prefix(SYSTEM_NAME_PREFIX)?;
    if *vcenter != VCENTER || !is_valid_system_name(system_name) || !is_valid_archive_id(archive) {
        return None;
    }
    let mut root = location.clone();
    root.set_path(&format!("/{}", parents.join("/")));
    Some(LayoutFolder {
        root: folder_key(&root),
        system_name: system_name.to_string(),
        archive: archive.to_string(),
    })
}

/// The URL of an archive folder under a location as the caller spelled it (without a query or
/// fragment, which name no folder).
pub(crate) fn folder_url(location: &str, system_name: &str, archive: &str) -> String {
    let folder = location.split(['?', '#']).next().unwrap_or_default();
    format!(
        "{}/{VCENTER}/{SYSTEM_NAME_PREFIX}{system_name}/{archive}",
        folder.trim_end_matches('/')
    )
}

/// How an appliance names its scheduled backups' folders: its system name, its version and its
/// time zone (the folder's stamp is the start in that zone).
#[derive(Clone, Debug)]
pub(crate) struct FolderNaming {
    pub(crate) system_name: String,
    pub(crate) version: String,
    pub(crate) zone: Tz,
}

impl FolderNaming {
    /// `S_<version>_<YYYYMMDD-hhmmss>_` of a scheduled backup started at `started`.
    pub(crate) fn scheduled_archive(&self, started: DateTime<Utc>) -> String {
        let stamp = started.with_timezone(&self.zone).format("%Y%m%d-%H%M%S");
        archive_name(true, &self.version, &stamp.to_string())
    }
}

/// The parts a backup holds: `common` always, then the optional ones asked for, in the order
/// the parts operation lists them.
pub(crate) fn parts_held(asked: &[String]) -> Vec<String> {
    parts::PARTS
        .iter()
        .filter(|p| p.id == parts::COMMON || asked.iter().any(|a| a == p.id))
        .map(|p| p.id.to_string())
        .collect()
}

/// One backup in the catalog.
#[derive(Clone, Debug)]
pub(crate) struct Archive {
    pub(crate) started: DateTime<Utc>,
    pub(crate) completed: DateTime<Utc>,
    pub(crate) version: String,
    pub(crate) parts: Vec<String>,
    pub(crate) comment: String,
    pub(crate) origin: Origin,
}

/// What a backup holds of the appliance it came from, for a restore: the check data of its
/// encryption password and the appliance's schedules.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Origin {
    /// Unset: the backup is not encrypted.
    #[serde(default)]
    pub(crate) encryption: Option<PasswordCheck>,
    /// The appliance's schedules when the backup was written (no passwords).
    #[serde(default)]
    pub(crate) schedules: BTreeMap<String, ScheduleInfo>,
}

/// What a backup being written will be once it succeeds.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    pub(crate) job: String,
    pub(crate) folder: LayoutFolder,
    pub(crate) version: String,
    pub(crate) parts: Vec<String>,
    pub(crate) comment: String,
    pub(crate) origin: Origin,
}

/// How a job that writes a backup stands.
pub(crate) enum Outcome {
    /// Still writing.
    Running,
    /// Done: the archive exists, with these start and end times.
    Succeeded {
        started: DateTime<Utc>,
        completed: DateTime<Utc>,
    },
    /// Failed or cancelled: no archive.
    Failed,
}

/// Every location the appliance has written to or been told about.
#[derive(Default)]
pub(crate) struct Catalog {
    /// Location key -> system name -> archive id -> archive.
    locations: BTreeMap<String, BTreeMap<String, BTreeMap<String, Archive>>>,
    /// Backups being written into the layout.
    pending: Vec<Pending>,
}

impl Catalog {
    /// A backup starts writing into `pending.folder`: its system name's folder exists from now
    /// on; the archive appears when the job succeeds (see [`Self::settle`]).
    pub(crate) fn begin(&mut self, pending: Pending) {
        self.locations
            .entry(pending.folder.root.clone())
            .or_default()
            .entry(pending.folder.system_name.clone())
            .or_default();
        self.pending.push(pending);
    }

    pub(crate) fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Turns the backups whose jobs have ended into archives (succeeded) or nothing (failed).
    pub(crate) fn settle(&mut self, outcome: impl Fn(&str) -> Outcome) {
        let pending = std::mem::take(&mut self.pending);
        for p in pending {
            match outcome(&p.job) {
                Outcome::Running => self.pending.push(p),
                Outcome::Failed => {}
                Outcome::Succeeded { started, completed } => {
                    let archive = Archive {
                        started,
                        completed,
                        version: p.version,
                        parts: p.parts,
                        comment: p.comment,
                        origin: p.origin,
                    };
                    self.insert(&p.folder, archive);
                }
            }
        }
    }

    pub(crate) fn insert(&mut self, folder: &LayoutFolder, archive: Archive) {
        self.locations
            .entry(folder.root.clone())
            .or_default()
            .entry(folder.system_name.clone())
            .or_default()
            .insert(folder.archive.clone(), archive);
    }

    pub(crate) fn contains(&self, folder: &LayoutFolder) -> bool {
        self.get(folder).is_some()
    }

    pub(crate) fn get(&self, folder: &LayoutFolder) -> Option<&Archive> {
        self.archives(&folder.root, &folder.system_name)?
            .get(&folder.archive)
    }

    /// Every archive with its folder.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (LayoutFolder, &Archive)> {
        self.locations.iter().flat_map(|(root, names)| {
            names.iter().flat_map(move |(system_name, archives)| {
                archives.iter().map(move |(archive, record)| {
                    (
                        LayoutFolder {
                            root: root.clone(),
                            system_name: system_name.clone(),
                            archive: archive.clone(),
                        },
                        record,
                    )
                })
            })
        })
    }

    fn archives(&self, root: &str, system_name: &str) -> Option<&BTreeMap<String, Archive>> {
        self.system_names(root)?.get(system_name)
    }

    /// The system names at a location key, each with its archives by id.
    pub(crate) fn system_names(
        &self,
        root: &str,
    ) -> Option<&BTreeMap<String, BTreeMap<String, Archive>>> {
        self.locations.get(root)
    }

    /// Every archive, for the state snapshot.
    pub(crate) fn len(&self) -> usize {
        self.locations
            .values()
            .flat_map(BTreeMap::values)
            .map(BTreeMap::len)
            .sum()
    }

    /// Keeps the newest `keep` scheduled archives of `system_name` at `root` and removes the
    /// older ones; manual archives stay. Answers the folders removed.
    pub(crate) fn prune(
        &mut self,
        root: &str,
        system_name: &str,
        keep: usize,
    ) -> Vec<LayoutFolder> {
        let Some(archives) = self
            .locations
            .get_mut(root)
            .and_then(|names| names.get_mut(system_name))
        else {
            return Vec::new();
        };
        let mut scheduled: Vec<(&String, &Archive)> = archives
            .iter()
            .filter(|(id, _)| id.starts_with(SCHEDULED_PREFIX))
            .collect();
        scheduled.sort_by(newest_first);
        let doomed: Vec<String> = scheduled
            .into_iter()
            .skip(keep)
            .map(|(id, _)| id.clone())
            .collect();
        doomed
            .into_iter()
            .map(|archive| {
                archives.remove(&archive);
                LayoutFolder {
                    root: root.to_string(),
                    system_name: system_name.to_string(),
                    archive,
                }
            })
            .collect()
    }
}

/// Newest start first; the archive id breaks ties, so the order is stable.
pub(crate) fn newest_first(a: &(&String, &Archive), b: &(&String, &Archive)) -> std::cmp::Ordering {
    b.1.started.cmp(&a.1.started).then_with(|| b.0.cmp(a.0))
}

// ---------------------------------------------------------------------- the wire

/// A backup location and how to log in to it (the vendor's `LocationSpec`).
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct LocationSpec {
    pub(crate) location: String,
    #[serde(default)]
    #[allow(dead_code)]
    // Accepted like the appliance does; the simulated servers need no log in.
    pub(crate) location_user: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    pub(crate) location_password: Option<Secret>,
}

/// Which archives a list answers (the vendor's `Archive.FilterSpec`); every field optional.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct FilterSpec {
    #[serde(default)]
    pub(crate) start_timestamp: Option<DateTime<Utc>>,
    #[serde(default)]
    pub(crate) end_timestamp: Option<DateTime<Utc>>,
    #[serde(default)]
    pub(crate) comment_substring: Option<String>,
    #[serde(default)]
    pub(crate) max_results: Option<i64>,
}

/// An archive to place in the catalog through the control handle or the admin endpoint, as if
/// a backup had been written there (by this appliance or another).
///
/// ```
/// use vcsa_backup_sim::ArchiveSeed;
///
/// let seed: ArchiveSeed = serde_json::from_value(serde_json::json!({
///     "location": "sftp://backup.example.com/vcsa",
///     "system_name": "vcsa-02.example.com",
///     "timestamp": "2026-05-01T02:30:00Z",
///     "scheduled": true,
///     "comment": "before the upgrade",
/// }))
/// .unwrap();
/// assert_eq!(seed.version, None); // the simulated appliance's version
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveSeed {
    /// The backup location (the catalog's root), like `sftp://backup.example.com/vcsa`.
    pub location: String,
    /// The system name the backup belongs to (an appliance's host name).
    pub system_name: String,
    /// When the backup started.
    pub timestamp: DateTime<Utc>,
    /// When it completed; its start when unset.
    #[serde(default)]
    pub completed: Option<DateTime<Utc>>,
    /// A scheduled (`S_` folder) rather than a manual (`M_`) backup, when `archive` is unset.
    #[serde(default)]
    pub scheduled: bool,
    /// The archive id (folder name), `S_...` or `M_...`; unset: `S_<version>_<YYYYMMDD-hhmmss>_`
    /// (or `M_`) from the version and the start (UTC).
    #[serde(default)]
    pub archive: Option<String>,
    /// The appliance version the backup came from; unset: the simulated appliance's.
    #[serde(default)]
    pub version: Option<String>,
    /// The parts it holds (`common` is always added); unset: `common` only.
    #[serde(default)]
    pub parts: Option<Vec<String>>,
    /// Its comment; unset: none.
    #[serde(default)]
    pub comment: Option<String>,
}

/// The name of a backup folder: `S_<version>_<YYYYMMDD-hhmmss>_` or `M_...`.
pub(crate) fn archive_name(scheduled: bool, version: &str, stamp: &str) -> String {
    let prefix = if scheduled {
        SCHEDULED_PREFIX
    } else {
        MANUAL_PREFIX
    };
    format!("{prefix}{version}_{stamp}_")
}

/// A location as the catalog operations take it, reduced to its key; INVALID_ARGUMENT when it
/// is not a URL with a host.
pub(crate) fn location_key(location: &str) -> Result<String, VapiError> {
    match Url::parse(location) {
        Ok(url) if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(folder_key(&url)),
        _ => Err(VapiError::invalid_argument(vec![message(
            "com.vmware.applmgmt.backup.location.invalid",
            "The location must be a URL with a host and a folder, for example sftp://backup.example.com/vcsa.",
        )])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn layout_folders_are_recognised() {
        let f = layout_of(&url(
            "sftp://Backup.example.com/vcsa/vCenter/sn_vcsa.example.com/S_8.0.3.00400_20260518-023000_/",
        ))
        .unwrap();
        assert_eq!(f.root, "sftp://backup.example.com/vcsa");
        assert_eq!(f.system_name, "vcsa.example.com");
        assert_eq!(f.archive, "S_8.0.3.00400_20260518-023000_");
        assert!(f.archive.starts_with(SCHEDULED_PREFIX));
        assert_eq!(
            f.key(),
            folder_key(&url(
                "sftp://backup.example.com/vcsa/vCenter/sn_vcsa.example.com/S_8.0.3.00400_20260518-023000_"
            ))
        );
        // At the top of the server, and NFS with its ':' before the export.
        let top = layout_of(&url("nfs://10.0.0.5:/vCenter/sn_a/M_1_2_")).unwrap();
        assert_eq!(top.root, "nfs://10.0.0.5");
        assert!(top.archive.starts_with(MANUAL_PREFIX));
        // Outside the layout.
        for other in [
            "sftp://h/vcsa/backup1",
            "sftp://h/vCenter/sn_a",
            "sftp://h/vCenter/a/S_1_",
            "sftp://h/vcenter/sn_a/S_1_",
            "sftp://h/vCenter/sn_a/X_1_",
            "sftp://h/vCenter/sn_a%20b/S_1_",
            "sftp://h/vCenter/sn_/S_1_",
        ] {
            assert_eq!(layout_of(&url(other)), None, "{other}");
        }
    }

    #[test]
    fn folder_urls_keep_the_spelling_and_drop_query_and_fragment() {
        assert_eq!(
            folder_url("nfs://10.0.0.5:/export/", "a", "S_1_"),
            "nfs://10.0.0.5:/export/vCenter/sn_a/S_1_"
        );
        assert_eq!(
            folder_url("sftp://h/p?x=1#y", "a", "M_1_"),
            "sftp://h/p/vCenter/sn_a/M_1_"
        );
    }

    #[test]
    fn parts_held_always_include_common_in_list_order() {
        assert_eq!(parts_held(&[]), ["common"]);
        assert_eq!(
            parts_held(&["supervisors".into(), "seat".into(), "common".into()]),
            ["common", "seat", "supervisors"]
        );
    }
}
