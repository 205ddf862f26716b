//! The backup request of `backup` and `validate`, from the options and the password sources.

use vcsa_backup::BackupRequest;

use crate::cli::RequestArgs;
use crate::failure::Failure;
use crate::secrets;

/// Builds the request; every problem in it is reported at once, before anything is sent.
pub fn build(args: &RequestArgs) -> Result<BackupRequest, Failure> {
    let mut builder = BackupRequest::builder()
        .location(args.location.clone())
        .parts(args.target.parts.iter().cloned());
    // Only when asked: appliances before 7.0 U2 do not know the field.
    if args.fast {
        builder = builder.fast_backup(true);
    }
    if let Some(kind) = args.location_type {
        builder = builder.location_type(kind);
    }
    if let Some(user) = &args.target.location_user {
        let password = secrets::required(
            &secrets::LOCATION,
            args.target.location_password_file.as_deref(),
        )?;
        builder = builder.location_credentials(user.clone(), password);
    }
    if let Some(password) = secrets::optional(
        &secrets::BACKUP,
        args.target.backup_password_file.as_deref(),
        args.target.encrypt,
    )? {
        builder = builder.backup_password(password);
    }
    if let Some(comment) = &args.comment {
        builder = builder.comment(comment.clone());
    }
    Ok(builder.build()?)
}
