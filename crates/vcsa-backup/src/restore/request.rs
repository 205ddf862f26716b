//! What to restore, and the credentials to read it: checked completely before anything is sent.

use vcsa_backup_api::Secret;

use crate::backup::location::LocationType;
use crate::backup::part::PartId;
use crate::backup::password::BackupPassword;
use crate::backup::request::Settings;
use crate::catalog::BackupLocation;
use crate::error::{BuildError, Field, Problem};
use crate::segment::IdKind;

/// A checked restore request, ready for [`Client::validate_restore`](crate::Client::validate_restore)
/// or [`Client::start_restore`](crate::Client::start_restore).
///
/// The backup is named by its own folder (`<root>/vCenter/sn_<system name>/<archive>`), given
/// as a URL or found in the catalog with [`RestoreRequestBuilder::archive`]. The location, its
/// credentials and the encryption password follow a [`BackupRequest`](crate::BackupRequest)'s
/// rules. `Debug` never shows the passwords.
///
/// ```
/// use vcsa_backup::{BackupLocation, RestoreRequest, Secret};
///
/// let root = BackupLocation::builder()
///     .location("sftp://nas.example.com/backups")
///     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
///     .build()?;
/// let request = RestoreRequest::builder()
///     .archive(&root, "vcsa-01.example.com", "S_8.0.3.00400_20250102-101501_")
///     .sso_admin("administrator@vsphere.local", Secret::new("Sup3r-Secret!"))
///     .build()?;
/// assert_eq!(
///     request.location(),
///     "sftp://nas.example.com/backups/vCenter/sn_vcsa-01.example.com/S_8.0.3.00400_20250102-101501_"
/// );
/// assert!(!format!("{request:?}").contains("Sup3r-Secret!"));
/// # Ok::<(), vcsa_backup::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RestoreRequest {
    pub(crate) location_type: LocationType,
    location: String,
    pub(crate) credentials: Option<(String, Secret)>,
    pub(crate) backup_password: Option<BackupPassword>,
    pub(crate) sso_admin: Option<(String, Secret)>,
    pub(crate) parts: Vec<PartId>,
    pub(crate) ignore_warnings: bool,
}

impl RestoreRequest {
    /// Starts a request; [`RestoreRequestBuilder::build`] checks it.
    pub fn builder() -> RestoreRequestBuilder {
        RestoreRequestBuilder::default()
    }

    /// The backup's folder, in the form sent to the appliance.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The SSO administrator's user name, if given.
    pub fn sso_admin_user(&self) -> Option<&str> {
        self.sso_admin.as_ref().map(|(user, _)| user.as_str())
    }

    /// The passwords it carries, for scrubbing from the appliance's answers.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        let location = self.credentials.as_ref().map(|(_, p)| p.expose());
        let backup = self.backup_password.as_ref().map(|p| p.secret().expose());
        let sso = self.sso_admin.as_ref().map(|(_, p)| p.expose());
        location.into_iter().chain(backup).chain(sso).collect()
    }
}

/// Collects the settings of a [`RestoreRequest`]; [`build`](Self::build) checks them all at once.
#[derive(Clone, Debug, Default)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct RestoreRequestBuilder {
    given: Settings,
    archive: Option<(String, String)>,
    sso_admin: Option<(String, Secret)>,
    ignore_warnings: bool,
}

impl RestoreRequestBuilder {
    /// The backup's own folder, as a URL such as
    /// `sftp://host/backups/vCenter/sn_vcsa-01/S_8.0.3.00400_20250102-101501_`.
    pub fn location(mut self, location: impl Into<String>) -> Self {
        self.given.location = Some(location.into());
        self
    }

    /// The backup `archive` (a folder name from [`Client::list_archives`](crate::Client::list_archives))
    /// of the appliance `system_name` under the catalog's `root`, with the root's credentials.
    pub fn archive(
        mut self,
        root: &BackupLocation,
        system_name: impl Into<String>,
        archive: impl Into<String>,
    ) -> Self {
        let (system_name, archive) = (system_name.into(), archive.into());
        self.given.location = Some(format!("{}/vCenter/sn_{system_name}/{archive}", root.url()));
        self.archive = Some((system_name, archive));
        self.given.credentials = root
            .user()
            .map(str::to_string)
            .zip(root.password().cloned());
        self
    }

    /// The user name and password for the location (all protocols but NFS).
    pub fn location_credentials(
        mut self,
        user: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        self.given.credentials = Some((user.into(), password.into()));
        self
    }

    /// The password the backup was encrypted with.
    pub fn backup_password(mut self, password: impl Into<Secret>) -> Self {
        self.given.backup_password = Some(password.into());
        self
    }

    /// The SSO administrator's user name and password: needed when the vCenter is an embedded
    /// or management node ([`RestoreCheck::sso_login_required`](crate::RestoreCheck::sso_login_required) says so).
    pub fn sso_admin(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.sso_admin = Some((user.into(), password.into()));
        self
    }

    /// Restores only these parts (vSphere 8.0 Update 3 and later; only parts the appliance
    /// lists as standalone).
    pub fn parts(mut self, parts: impl IntoIterator<Item = impl Into<PartId>>) -> Self {
        self.given.parts.extend(parts.into_iter().map(Into::into));
        self
    }

    /// Goes ahead with the restore despite validation warnings. An explicit choice, to make
    /// after [`Client::validate_restore`](crate::Client::validate_restore) warned and the
    /// warnings were read: without it, warnings fail the restore.
    pub fn ignore_warnings(mut self) -> Self {
        self.ignore_warnings = true;
        self
    }

    /// Checks every setting and reports every problem at once.
    ///
    /// # Errors
    ///
    /// A [`BuildError`] listing every problem: no location or one the appliance cannot use,
    /// a system name or archive that cannot be one, credentials for NFS or empty ones, a part
    /// id twice or malformed, an encryption password that breaks the appliance's rules, an
    /// empty SSO user name.
    pub fn build(self) -> Result<RestoreRequest, BuildError> {
        let mut problems = Vec::new();
        if let Some((system_name, archive)) = &self.archive {
            problems.extend(IdKind::SystemName.problem(system_name));
            problems.extend(IdKind::Archive.problem(archive));
        }
        let (checked, backup_password) = self.given.check(None, &mut problems);
        if let Some((user, _)) = &self.sso_admin
            && user.trim().is_empty()
        {
            problems.push(
                Problem::new(Field::SsoUser, "the SSO administrator's user name is empty")
                    .with_hint("give one, such as administrator@vsphere.local"),
            );
        }
        match checked {
            Some(checked) if problems.is_empty() => Ok(RestoreRequest {
                location_type: checked.location_type,
                location: checked.url,
                credentials: self.given.credentials,
                backup_password,
                sso_admin: self.sso_admin,
                parts: self.given.parts,
                ignore_warnings: self.ignore_warnings,
            }),
            _ => Err(BuildError::new(problems)),
        }
    }
}
