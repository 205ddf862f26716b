//! What to back up, where to, and how to protect it: checked completely before anything is sent.

use vcsa_backup_api::Secret;

use crate::backup::location::{self, Checked, LocationType};
use crate::backup::part::{PartId, check_parts};
use crate::backup::password::{BackupPassword, check_backup_password};
use crate::error::{BuildError, Field, Problem};

/// A checked backup request, ready for [`Client::start_backup`](crate::Client::start_backup) or
/// [`Client::validate_backup`](crate::Client::validate_backup).
///
/// Built with [`BackupRequest::builder`]; `Debug` never shows the passwords.
///
/// ```
/// use vcsa_backup::{BackupRequest, LocationType, PartId, Secret};
///
/// let request = BackupRequest::builder()
///     .location("sftp://backup.example.com/vcsa/2024-06-01")
///     .location_credentials("backup", Secret::new("s3cret"))
///     .part(PartId::SEAT)
///     .backup_password(Secret::new("Backup-2024!"))
///     .comment("before the upgrade")
///     .build()?;
/// assert_eq!(request.location_type(), LocationType::Sftp);
/// assert!(!format!("{request:?}").contains("s3cret"));
/// # Ok::<(), vcsa_backup::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct BackupRequest {
    location_type: LocationType,
    location: String,
    pub(crate) parts: Vec<PartId>,
    pub(crate) credentials: Option<(String, Secret)>,
    pub(crate) backup_password: Option<BackupPassword>,
    pub(crate) comment: Option<String>,
    pub(crate) fast_backup: Option<bool>,
}

impl BackupRequest {
    /// Starts a request; [`BackupRequestBuilder::build`] checks it.
    pub fn builder() -> BackupRequestBuilder {
        BackupRequestBuilder::default()
    }

    /// The protocol of the location.
    pub fn location_type(&self) -> LocationType {
        self.location_type
    }

    /// The location, in the form sent to the appliance.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The passwords it carries, for scrubbing from the appliance's answers.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        let location = self.credentials.as_ref().map(|(_, p)| p.expose());
        let backup = self.backup_password.as_ref().map(|p| p.secret().expose());
        location.into_iter().chain(backup).collect()
    }
}

/// Collects the settings of a [`BackupRequest`]; [`build`](Self::build) checks them all at once.
#[derive(Clone, Debug, Default)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct BackupRequestBuilder {
    given: Settings,
    location_type: Option<LocationType>,
    comment: Option<String>,
    fast_backup: Option<bool>,
}

impl BackupRequestBuilder {
    /// Where the backup goes: a URL such as `sftp://host/path`, `nfs://host:/export/path` or
    /// `smb://server/share/path`. The folder must not already hold a backup.
    ///
    /// Without a scheme (`host/path`), [`location_type`](Self::location_type) must be set and its
    /// scheme is added. NFS locations are rewritten to the `nfs://host:/export` form.
    pub fn location(mut self, location: impl Into<String>) -> Self {
        self.given.location = Some(location.into());
        self
    }

    /// The protocol. Optional when the location is a URL (then it must agree with the scheme).
    pub fn location_type(mut self, location_type: LocationType) -> Self {
        self.location_type = Some(location_type);
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

    /// Adds an optional part, such as [`PartId::SEAT`]; `common` is always backed up.
    pub fn part(mut self, part: impl Into<PartId>) -> Self {
        self.given.parts.push(part.into());
        self
    }

    /// Adds several optional parts.
    pub fn parts(mut self, parts: impl IntoIterator<Item = impl Into<PartId>>) -> Self {
        self.given.parts.extend(parts.into_iter().map(Into::into));
        self
    }

    /// Encrypts the backup with this password; checked against the appliance's rules by
    /// [`build`](Self::build) (see [`BackupPassword`]).
    pub fn backup_password(mut self, password: impl Into<Secret>) -> Self {
        self.given.backup_password = Some(password.into());
        self
    }

    /// A comment stored with the backup.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Asks for (or declines) the fast database backup (vSphere 7.0 U2 and later).
    pub fn fast_backup(mut self, fast: bool) -> Self {
        self.fast_backup = Some(fast);
        self
    }

    /// Checks every setting and reports every problem at once.
    ///
    /// # Errors
    ///
    /// A [`BuildError`] listing every problem: no location or one the appliance cannot use, a
    /// location type that disagrees with it, credentials for NFS or empty ones, a part id twice
    /// or malformed, a backup password that breaks the appliance's rules, control characters in
    /// the comment.
    pub fn build(self) -> Result<BackupRequest, BuildError> {
        let mut problems = Vec::new();
        let (checked, backup_password) = self.given.check(self.location_type, &mut problems);
        if let Some(comment) = &self.comment
            && comment
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            problems.push(
                Problem::new(
                    Field::Comment,
                    "the comment contains control characters (such as a carriage return)",
                )
                .with_hint("remove them"),
            );
        }

        match checked {
            Some(checked) if problems.is_empty() => Ok(BackupRequest {
                location_type: checked.location_type,
                location: checked.url,
                parts: self.given.parts,
                credentials: self.given.credentials,
                backup_password,
                comment: self.comment,
                fast_backup: self.fast_backup,
            }),
            _ => Err(BuildError::new(problems)),
        }
    }
}

/// The settings a backup and a restore request share, as their builders collect them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Settings {
    pub(crate) location: Option<String>,
    pub(crate) credentials: Option<(String, Secret)>,
    pub(crate) parts: Vec<PartId>,
    pub(crate) backup_password: Option<Secret>,
}

impl Settings {
    /// Checks them in the order a request reports them, the location as of the type `given` (if
    /// any), adding every problem found to `problems`. Even when the location is refused, its
    /// scheme says which protocol was meant, so the credentials are still checked against it.
    pub(crate) fn check(
        &self,
        given: Option<LocationType>,
        problems: &mut Vec<Problem>,
    ) -> (Option<Checked>, Option<BackupPassword>) {
        let raw = self.location.as_deref().unwrap_or_default();
        let checked = location::check(raw, given)
            .map_err(|found| problems.extend(found))
            .ok();
        let location_type = checked
            .as_ref()
            .map(|c| c.location_type)
            .or(given)
            .or_else(|| location::scheme_type(raw));
        let user = self.credentials.as_ref().map(|(user, _)| user.as_str());
        let password = self.credentials.as_ref().map(|(_, password)| password);
        location::check_credentials(location_type, user, password, problems);
        check_parts(&self.parts, problems);
        let backup_password = check_backup_password(self.backup_password.clone(), problems);
        (checked, backup_password)
    }
}
