//! `backup`: start a backup (optionally behind a running one) and optionally follow it.

use vcsa_backup::BackupLocation;

use super::Context;
use super::request::Credentials;
use super::start::{Start, start_and_follow};
use crate::cli::{BackupArgs, LayoutArgs};
use crate::failure::Failure;

/// Runs `backup`.
pub async fn run(ctx: &Context, args: &BackupArgs) -> Result<(), Failure> {
    let settings = &args.settings;
    let given = args.destination.location.as_ref();
    let root = args.destination.into.as_ref();
    let credentials =
        Credentials::read(&settings.target, given.or(root).map_or("", String::as_str))?;
    // Every problem in the options is reported before anything is sent: checked here with the
    // parts given, the root standing for the folder --into names under it.
    let target = given.or(root).map_or("", String::as_str);
    super::request::build(
        target,
        settings,
        credentials.clone(),
        &settings.target.parts,
    )?;
    let location = match (given, root) {
        (Some(location), _) => location.clone(),
        (None, Some(root)) => in_layout(ctx, root, &args.layout, &credentials).await?,
        // clap requires one of the two.
        (None, None) => {
            return Err(Failure::input(
                "no location given",
                "give --location URL, or --into ROOT",
            ));
        }
    };
    let parts = super::parts::chosen(ctx, &settings.target).await?;
    let request = super::request::build(&location, settings, credentials, &parts)?;
    start_and_follow(ctx, Start::Backup(&request), &args.start).await
}

/// A fresh folder under `root` for a manual backup, named as the appliance's own interface
/// names it: by its system name, its version and its local time now.
async fn in_layout(
    ctx: &Context,
    root: &str,
    layout: &LayoutArgs,
    credentials: &Credentials,
) -> Result<String, Failure> {
    let mut builder = BackupLocation::builder().location(root);
    if let Some((user, password)) = &credentials.location {
        builder = builder.location_credentials(user.clone(), password.clone());
    }
    let root = builder.build()?;
    let found = ctx
        .client
        .get_backup_layout(
            &root,
            layout.system_name.as_deref(),
            layout.appliance_version.as_deref(),
        )
        .await
        .map_err(|e| match e {
            vcsa_backup::Error::InvalidRequest(_) => Failure::from(e).with_hint(
                "give --system-name and --appliance-version as the appliance's management \
                 interface shows them (needed until the appliance has a job in its history)",
            ),
            e => Failure::from(e),
        })?;
    let now = ctx.client.get_appliance_time().await?;
    let Some(local) = now.local() else {
        return Err(Failure::new(
            crate::failure::ExitCode::Appliance,
            format!(
                "the appliance's clock reads \"{} {}\", which is not a date and time this tool \
                 can read, so the backup's folder cannot be named",
                now.date, now.time
            ),
        )
        .with_hint("give the folder yourself with --location URL"));
    };
    let location = found.manual_backup_location(root.url(), local);
    super::start::notice(ctx, &format!("backing up into {location}"));
    Ok(location)
}
