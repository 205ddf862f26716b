//! The appliance's layout at a backup location: `<root>/vCenter/sn_<system name>/` holds one
//! folder per backup, `S_<version>_<YYYYMMDD-hhmmss>_` for scheduled ones and `M_...` for
//! manual ones. The catalog lists what is in this layout, and nothing else.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};

use crate::backup::location::canonical_root;
use crate::catalog::archive::ArchiveSummary;
use crate::catalog::name::{ArchiveKind, ArchiveName, is_version};
use crate::error::{BuildError, Field, Problem};
use crate::job::details::{JobDetails, JobKind, newest_first};
use crate::job::id::JobId;

/// Host names: letters, digits, `.`, `-` and `_`, not starting with `.`.
fn is_system_name(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('.')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// Where an appliance's backups go at a location: its system name (its host name) and its
/// version, which name the folders of its backups.
///
/// A manual backup placed with [`manual_backup_location`](Self::manual_backup_location) gets a
/// fresh folder, as the appliance requires, beside the scheduled ones, and the catalog lists it.
/// [`Client::get_backup_layout`](crate::Client::get_backup_layout) finds the system name and
/// version from the appliance itself.
///
/// ```
/// use chrono::NaiveDate;
/// use vcsa_backup::ApplianceLayout;
///
/// let layout = ApplianceLayout::new("vcsa-01.example.com", "8.0.3.00400")?;
/// let at = NaiveDate::from_ymd_opt(2024, 5, 31).unwrap().and_hms_opt(14, 5, 9).unwrap();
/// assert_eq!(
///     layout.manual_backup_location("sftp://nas.example.com/backups/", at),
///     "sftp://nas.example.com/backups/vCenter/sn_vcsa-01.example.com/M_8.0.3.00400_20240531-140509_"
/// );
/// # Ok::<(), vcsa_backup::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ApplianceLayout {
    system_name: String,
    version: String,
}

impl ApplianceLayout {
    /// The layout of an appliance named `system_name` (its host name, as in the catalog) running
    /// `version` (such as `8.0.3.00400`).
    ///
    /// # Errors
    ///
    /// A [`BuildError`] when the name is not a host name or the version holds more
    /// than letters, digits, `.` and `-`.
    pub fn new(
        system_name: impl Into<String>,
        version: impl Into<String>,
    ) -> Result<Self, BuildError> {
        let (system_name, version) = (system_name.into(), version.into());
        let problems: Vec<Problem> = [
            (
                is_system_name(&system_name),
                Field::SystemName,
                &system_name,
                "a system name; system names are the appliance's host name, such as \
                 vcsa-01.example.com",
            ),
            (
                is_version(&version),
                Field::Version,
                &version,
                "an appliance version; give it as the appliance's management interface \
                 shows it, such as 8.0.3.00400",
            ),
        ]
        .into_iter()
        .filter(|(fits, ..)| !fits)
        .map(|(_, field, text, what)| {
            Problem::new(field, format!("\"{}\" is not {what}", text.escape_debug()))
        })
        .collect();
        if problems.is_empty() {
            Ok(Self {
                system_name,
                version,
            })
        } else {
            Err(BuildError::new(problems))
        }
    }

    /// The appliance's system name.
    pub fn system_name(&self) -> &str {
        &self.system_name
    }

    /// The appliance's version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The folder under `root` that holds this appliance's backups:
    /// `<root>/vCenter/sn_<system name>`.
    pub fn system_folder(&self, root: &str) -> String {
        format!("{}/vCenter/sn_{}", canonical_root(root), self.system_name)
    }

    /// The location for a manual backup started at `started_at` (the appliance's local time,
    /// see [`ApplianceTime::local`](crate::ApplianceTime::local)):
    /// `<root>/vCenter/sn_<system name>/M_<version>_<YYYYMMDD-hhmmss>_`. Backups started in
    /// different seconds get different folders.
    pub fn manual_backup_location(&self, root: &str, started_at: NaiveDateTime) -> String {
        let name = ArchiveName::new(ArchiveKind::Manual, self.version.as_str(), started_at);
        format!("{}/{name}", self.system_folder(root))
    }

    /// The layout from the values found, or the problems saying which to give.
    pub(crate) fn resolve(
        system_name: Option<String>,
        version: Option<String>,
    ) -> Result<Self, BuildError> {
        if let (Some(name), Some(version)) = (system_name.as_deref(), version.as_deref()) {
            return Self::new(name, version);
        }
        let mut problems = Vec::new();
        if system_name.is_none() {
            problems.push(Problem::new(
                Field::SystemName,
                "cannot tell the appliance's system name (its job history and the backups at the \
                 location do not say it, and its address is an IP address); give its host name, \
                 as the appliance's management interface shows it",
            ));
        }
        if version.is_none() {
            problems.push(Problem::new(
                Field::Version,
                "cannot tell the appliance's version (no job in its history records one); give \
                 it as the appliance's management interface shows it, such as 8.0.3.00400",
            ));
        }
        Err(BuildError::new(problems))
    }
}

/// The appliance's version, from the newest job that records one.
pub(crate) fn version_in_history(history: &[(JobId, JobDetails)]) -> Option<String> {
    newest_first(history.iter().map(|(id, d)| (id, d)))
        .into_iter()
        .find_map(|(_, d)| d.build.as_ref().map(|b| b.version.clone()))
        .filter(|v| !v.is_empty())
}

/// The system name, from the newest job whose location follows the layout.
pub(crate) fn system_name_in_history(history: &[(JobId, JobDetails)]) -> Option<String> {
    newest_first(history.iter().map(|(id, d)| (id, d)))
        .into_iter()
        .find_map(|(_, d)| system_name_in(&d.location))
}

/// The system name whose scheduled archives at a location started when this appliance's
/// scheduled jobs did (within two minutes); `None` when none or several match.
pub(crate) fn system_name_in_catalog(
    history: &[(JobId, JobDetails)],
    catalog: &[(String, Vec<ArchiveSummary>)],
) -> Option<String> {
    const CLOSE: TimeDelta = TimeDelta::minutes(2);
    let starts: Vec<DateTime<Utc>> = history
        .iter()
        .filter(|(_, d)| d.kind == JobKind::Scheduled)
        .filter_map(|(_, d)| d.started_at)
        .collect();
    let mut matching = catalog.iter().filter(|(_, archives)| {
        archives.iter().any(|a| {
            a.name().is_some_and(|n| n.kind == ArchiveKind::Scheduled)
                && starts.iter().any(|s| (a.started_at - *s).abs() <= CLOSE)
        })
    });
    match (matching.next(), matching.next()) {
        (Some((name, _)), None) => Some(name.clone()),
        _ => None,
    }
}

/// The host of the appliance's address as its system name, when it is a name, not an IP address.
pub(crate) fn host_system_name(host: Option<&str>) -> Option<String> {
    host.filter(|h| h.parse::<std::net::IpAddr>().is_err() && !h.starts_with('['))
        .filter(|h| is_system_name(h))
        .map(str::to_string)
}

/// The system name in a location of the layout: `.../vCenter/sn_<name>/<backup>`.
pub(crate) fn system_name_in(location: &str) -> Option<String> {
    let after = location.split_once("/vCenter/sn_")?.1;
    let name = after.split('/').next()?;
    is_system_name(name).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_names_the_appliance_only_when_it_is_a_name() {
        assert_eq!(
            host_system_name(Some("vcsa.example.com")).as_deref(),
            Some("vcsa.example.com")
        );
        for ip in ["10.0.0.5", "[fd00::5]", "fd00::5"] {
            assert_eq!(host_system_name(Some(ip)), None, "{ip}");
        }
        assert_eq!(host_system_name(None), None);
    }
}
