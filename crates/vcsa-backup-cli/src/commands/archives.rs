//! `archives list` and `archives show`: the backups at a backup location, as the appliance's
//! catalog describes them.

use serde::Serialize;
use vcsa_backup::{ArchiveFilter, BackupLocation, Error, IdKind};

use super::Context;
use crate::cli::{ArchivesCommand, ArchivesListArgs, ArchivesShowArgs, CatalogLocation};
use crate::failure::{ExitCode, Failure, message_stack};
use crate::output;
use crate::secrets;
use crate::views::{ArchiveRow, ArchiveView};

/// Runs `archives ...`.
pub async fn run(ctx: &Context, command: &ArchivesCommand) -> Result<(), Failure> {
    match command {
        ArchivesCommand::List(args) => list(ctx, args).await,
        ArchivesCommand::Show(args) => show(ctx, args).await,
    }
}

#[derive(Serialize)]
struct Archives {
    location: String,
    archives: Vec<ArchiveRow>,
}

async fn list(ctx: &Context, args: &ArchivesListArgs) -> Result<(), Failure> {
    if let Some(name) = &args.system_name {
        IdKind::SystemName.check(name)?;
    }
    let location = location(&args.location)?;
    let mut filter = ArchiveFilter::builder();
    if let Some(since) = args.since {
        filter = filter.since(since);
    }
    if let Some(until) = args.until {
        filter = filter.until(until);
    }
    if let Some(comment) = &args.comment {
        filter = filter.comment_contains(comment.clone());
    }
    if let Some(limit) = args.limit {
        filter = filter.max_results(limit);
    }
    let filter = filter.build()?;
    print_list(ctx, &location, args.system_name.as_deref(), &filter).await
}

/// Prints the archives at `location` that pass `filter`: of `system_name`, or of every system
/// name there; newest first, at most the filter's maximum in all.
pub async fn print_list(
    ctx: &Context,
    location: &BackupLocation,
    system_name: Option<&str>,
    filter: &ArchiveFilter,
) -> Result<(), Failure> {
    let names = match system_name {
        Some(name) => vec![name.trim().to_string()],
        None => ctx
            .client
            .list_system_names(location)
            .await
            .map_err(|e| not_found(e, location, None))?,
    };
    let mut rows = Vec::new();
    for name in &names {
        let archives = ctx
            .client
            .list_archives(location, name, filter)
            .await
            .map_err(|e| not_found(e, location, Some(name)))?;
        rows.extend(archives.iter().map(|a| ArchiveRow::new(name, a)));
    }
    // Newest first across appliances, as the catalog gives each one's.
    rows.sort_by_key(|r| std::cmp::Reverse(r.started_at));
    if let Some(limit) = filter.max_results() {
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    let view = Archives {
        location: location.url().to_string(),
        archives: rows,
    };
    output::print(ctx.output, &view, || {
        if view.archives.is_empty() {
            format!("No backups at {} match.", view.location)
        } else {
            output::fitted_table(
                &ArchiveRow::HEADERS,
                view.archives.iter().map(ArchiveRow::cells),
                &ArchiveRow::FITS,
            )
        }
    })?;
    Ok(())
}

async fn show(ctx: &Context, args: &ArchivesShowArgs) -> Result<(), Failure> {
    let (name, archive) = (args.system_name.trim(), args.archive.trim());
    IdKind::SystemName.check(name)?;
    IdKind::Archive.check(archive)?;
    let location = location(&args.location)?;
    let info = ctx
        .client
        .get_archive(&location, name, archive)
        .await
        .map_err(|e| match e {
            Error::NotFound(e) => Failure::new(
                ExitCode::InvalidInput,
                format!(
                    "there is no backup {archive} of {name} at {}",
                    location.url()
                ),
            )
            .with_details(message_stack(&e))
            .with_hint(format!(
                "`vcsa-backup archives list --location {} --system-name {name}` lists its backups",
                location.url()
            )),
            other => Failure::from(other),
        })?;
    let view = ArchiveView::new(archive, &info);
    output::print(ctx.output, &view, || output::fields(&view.fields()))?;
    Ok(())
}

/// The location and its credentials, checked before anything is sent.
fn location(args: &CatalogLocation) -> Result<BackupLocation, Failure> {
    let mut builder = BackupLocation::builder().location(args.location.clone());
    if let Some(user) = &args.location_user {
        let password =
            secrets::required(&secrets::LOCATION, args.location_password_file.as_deref())?;
        builder = builder.location_credentials(user.clone(), password);
    }
    Ok(builder.build()?)
}

/// A location or system name the catalog does not know.
fn not_found(error: Error, location: &BackupLocation, name: Option<&str>) -> Failure {
    let Error::NotFound(e) = error else {
        return Failure::from(error);
    };
    let (headline, hint) = match name {
        Some(name) => (
            format!("there are no backups of {name} at {}", location.url()),
            format!(
                "`vcsa-backup archives list --location {}` lists the system names there",
                location.url()
            ),
        ),
        None => (
            format!("there are no backups at {}", location.url()),
            "give the root of the location, the folder that holds `vCenter/` (a schedule's \
             location), and check its user and password"
                .to_string(),
        ),
    };
    Failure::new(ExitCode::InvalidInput, headline)
        .with_details(message_stack(&e))
        .with_hint(hint)
}
