//! A backup location's root and its credentials, as the catalog and schedules take them.

use crate::backup::location::{self, LocationType, check_credentials};
use crate::error::{BuildError, Field, Problem};
use crate::macros::setters;
use vcsa_backup_api::Secret;

/// The root of a backup location and the credentials to read it: where the catalog looks
/// ([`Client::list_system_names`](crate::Client::list_system_names),
/// [`list_archives`](crate::Client::list_archives), [`get_archive`](crate::Client::get_archive)).
///
/// The root is the folder that holds `vCenter/`, the same as a schedule's location. It must be a
/// URL with its scheme (`sftp://`, `nfs://`...). `Debug` never shows the password.
///
/// ```
/// use vcsa_backup::{BackupLocation, LocationType, Secret};
///
/// let location = BackupLocation::builder()
///     .location("sftp://nas.example.com/backups/")
///     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
///     .build()?;
/// assert_eq!(location.url(), "sftp://nas.example.com/backups");
/// assert_eq!(location.location_type(), LocationType::Sftp);
/// assert!(!format!("{location:?}").contains("Nas-Pa55word!"));
///
/// let error = BackupLocation::builder().location("nas.example.com/backups").build().unwrap_err();
/// assert!(error.to_string().contains("sftp://"));
/// # Ok::<(), vcsa_backup::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct BackupLocation {
    location_type: LocationType,
    url: String,
    credentials: Option<(String, Secret)>,
}

impl BackupLocation {
    /// Starts a location; [`BackupLocationBuilder::build`] checks it.
    pub fn builder() -> BackupLocationBuilder {
        BackupLocationBuilder::default()
    }

    /// The root URL, in the appliance's form, without a trailing `/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The protocol, from the URL's scheme.
    pub fn location_type(&self) -> LocationType {
        self.location_type
    }

    /// The user name for the location, if one is used.
    pub fn user(&self) -> Option<&str> {
        self.credentials.as_ref().map(|(user, _)| user.as_str())
    }

    pub(crate) fn password(&self) -> Option<&Secret> {
        self.credentials.as_ref().map(|(_, password)| password)
    }
}

/// Collects a [`BackupLocation`]; [`build`](Self::build) checks it, reporting every problem at once.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct BackupLocationBuilder {
    location: Option<String>,
    user: Option<String>,
    password: Option<Secret>,
}

impl BackupLocationBuilder {
    setters! {
        /// The root URL, such as `sftp://nas.example.com/backups` or `nfs://filer:/export/backups`.
        location(location: impl Into<String>) => Some;
    }

    /// The user name and password of the backup server (all protocols but NFS).
    pub fn location_credentials(
        mut self,
        user: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        self.user = Some(user.into());
        self.password = Some(password.into());
        self
    }

    /// Checks the location and credentials.
    ///
    /// # Errors
    ///
    /// A [`BuildError`] listing every problem: no location, a location without a
    /// scheme or with one the appliance does not know, credentials for NFS, an empty user name
    /// or password.
    pub fn build(self) -> Result<BackupLocation, BuildError> {
        let mut problems = Vec::new();
        let root = check_root(
            self.location.as_deref(),
            self.user.as_deref(),
            self.password.as_ref(),
            &mut problems,
        );
        match root {
            Some(root) if problems.is_empty() => Ok(BackupLocation {
                location_type: root.location_type,
                url: root.url,
                credentials: self.user.zip(self.password),
            }),
            _ => Err(BuildError::new(problems)),
        }
    }
}

/// Checks a root location (a URL with its scheme; a trailing `/` is dropped) and the credentials
/// that go with it, adding every problem found to `problems`.
pub(crate) fn check_root(
    raw: Option<&str>,
    user: Option<&str>,
    password: Option<&Secret>,
    problems: &mut Vec<Problem>,
) -> Option<location::Checked> {
    let raw = raw.map(str::trim).unwrap_or_default();
    let checked = if raw.is_empty() {
        problems.push(Problem::new(
            Field::Location,
            "no backup location given; set one such as sftp://backup.example.com/vcsa",
        ));
        None
    } else if !raw.contains("://") {
        // Schedules and the catalog have no separate protocol setting: the scheme says it.
        problems.push(Problem::new(
            Field::Location,
            format!("\"{raw}\" does not say its protocol; write it as a URL such as sftp://{raw}"),
        ));
        None
    } else {
        location::check(raw, None)
            .map_err(|found| problems.extend(found))
            .ok()
    };
    let location_type = checked
        .as_ref()
        .map(|c| c.location_type)
        .or_else(|| location::scheme_type(raw));
    check_credentials(location_type, user, password, problems);
    checked.map(|c| location::Checked {
        url: location::canonical_root(&c.url),
        ..c
    })
}
