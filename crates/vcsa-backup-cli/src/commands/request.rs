//! The backup request of `backup` and `validate`, from the options and the password sources.

use vcsa_backup::{BackupRequest, Secret};

use crate::cli::{BackupSettings, TargetArgs};
use crate::failure::Failure;
use crate::secrets;

/// The passwords a backup request needs, read once from their safe sources.
#[derive(Clone)]
pub struct Credentials {
    /// The backup server's user and password, when `--location-user` is given.
    pub location: Option<(String, Secret)>,
    /// The encryption password, when one is given or asked for.
    pub backup: Option<Secret>,
}

impl Credentials {
    /// Reads the passwords `target` calls for, asking on the terminal for those not given
    /// (naming the user on the backup server at `location`).
    pub fn read(target: &TargetArgs, location: &str) -> Result<Self, Failure> {
        let location = match &target.location_user {
            Some(user) => Some((
                user.clone(),
                secrets::required_for(
                    &secrets::LOCATION,
                    target.location_password_file.as_deref(),
                    Some(&secrets::account(user, location)),
                )?,
            )),
            None => None,
        };
        let backup = secrets::optional(
            &secrets::BACKUP,
            target.backup_password_file.as_deref(),
            target.encrypt,
        )?;
        Ok(Self { location, backup })
    }
}

/// Builds the request to `location` with `parts`; every problem in it is reported at once,
/// before anything is sent.
pub fn build(
    location: &str,
    settings: &BackupSettings,
    credentials: Credentials,
    parts: &[String],
) -> Result<BackupRequest, Failure> {
    let mut builder = BackupRequest::builder()
        .location(location)
        .parts(parts.iter().cloned());
    // Only when asked: appliances before 8.0 do not know the field.
    if settings.fast {
        builder = builder.fast_backup(true);
    }
    if let Some(kind) = settings.location_type {
        builder = builder.location_type(kind);
    }
    if let Some((user, password)) = credentials.location {
        builder = builder.location_credentials(user, password);
    }
    if let Some(password) = credentials.backup {
        builder = builder.backup_password(password);
    }
    if let Some(comment) = &settings.comment {
        builder = builder.comment(comment.clone());
    }
    Ok(builder.build()?)
}
