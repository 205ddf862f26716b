//! `archives list|show`: the backups at a backup location, from the appliance's catalog.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Serialize;
use vcsa_backup::{ArchiveFilter, ArchiveSummary, BackupLocation, Error};

use super::Context;
use crate::cli::{ArchivesCommand, ArchivesListArgs, ArchivesShowArgs, CatalogLocationArgs};
use crate::failure::Failure;
use crate::{human, output, secrets};

/// Runs an `archives` subcommand.
pub async fn run(ctx: &Context, command: &ArchivesCommand) -> Result<(), Failure> {
    match command {
        ArchivesCommand::List(args) => list(ctx, args).await,
        ArchivesCommand::Show(args) => show(ctx, args).await,
    }
}

/// One backup in the catalog.
#[derive(Serialize)]
struct ArchiveRow {
    system_name: String,
    id: String,
    /// `scheduled`, `manual`, or `null` for a folder name outside the appliance's layout.
    kind: Option<&'static str>,
    started_at: DateTime<Utc>,
    version: String,
    comment: String,
}

impl ArchiveRow {
    fn new(system_name: &str, a: &ArchiveSummary) -> Self {
        Self {
            system_name: system_name.to_string(),
            id: a.id.clone(),
            kind: a.name().map(|n| match n.kind {
                vcsa_backup::ArchiveKind::Scheduled => "scheduled",
                _ => "manual",
            }),
            started_at: a.started_at,
            version: a.version.clone(),
            comment: a.comment.clone(),
        }
    }

    const HEADERS: [&'static str; 6] = [
        "SYSTEM NAME",
        "ARCHIVE",
        "KIND",
        "STARTED",
        "VERSION",
        "COMMENT",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.system_name.clone(),
            self.id.clone(),
            self.kind.unwrap_or("-").to_string(),
            human::time(self.started_at),
            self.version.clone(),
            self.comment.clone(),
        ]
    }
}

#[derive(Serialize)]
struct Archives {
    location: String,
    archives: Vec<ArchiveRow>,
}

async fn list(ctx: &Context, args: &ArchivesListArgs) -> Result<(), Failure> {
    let location = location(&args.location)?;
    let mut filter = ArchiveFilter::builder();
    if let Some(since) = &args.since {
        filter = filter.since(parse_time("--since", since, NaiveTime::MIN)?);
    }
    if let Some(until) = &args.until {
        let end_of_day = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN);
        filter = filter.until(parse_time("--until", until, end_of_day)?);
    }
    if let Some(comment) = &args.comment {
        filter = filter.comment_contains(comment.clone());
    }
    if let Some(limit) = args.limit {
        filter = filter.max_results(limit);
    }
    let filter = filter.build()?;
    let names = match &args.system_name {
        Some(name) => vec![name.trim().to_string()],
        None => match ctx.client.list_system_names(&location).await {
            Ok(names) => names,
            Err(e @ Error::NotFound(_)) => return Err(nothing_at(&location, e)),
            Err(e) => return Err(e.into()),
        },
    };
    let mut rows = Vec::new();
    for name in &names {
        let archives = ctx
            .client
            .list_archives(&location, name, &filter)
            .await
            .map_err(|e| match e {
                Error::NotFound(_) => nothing_at(&location, e).with_hint(format!(
                    "no backups of \"{name}\" there: leave out --system-name to list every \
                     appliance's"
                )),
                other => other.into(),
            })?;
        rows.extend(archives.iter().map(|a| ArchiveRow::new(name, a)));
    }
    let doc = Archives {
        location: location.url().to_string(),
        archives: rows,
    };
    output::print(ctx.output, &doc, || {
        if doc.archives.is_empty() {
            format!("No backups at {} match.", doc.location)
        } else {
            output::table(
                &ArchiveRow::HEADERS,
                doc.archives.iter().map(ArchiveRow::cells),
            )
        }
    });
    Ok(())
}

#[derive(Serialize)]
struct ArchiveView {
    system_name: String,
    id: String,
    completed_at: DateTime<Utc>,
    version: String,
    parts: Vec<String>,
    location: String,
    comment: String,
}

async fn show(ctx: &Context, args: &ArchivesShowArgs) -> Result<(), Failure> {
    let location = location(&args.location)?;
    let (name, id) = (args.system_name.trim(), args.archive.trim());
    let info = ctx
        .client
        .get_archive(&location, name, id)
        .await
        .map_err(|e| match e {
            Error::NotFound(_) => Failure::from(e).with_hint(format!(
                "`vcsa-backup archives list --location {} --system-name {name}` lists the backups",
                location.url()
            )),
            other => other.into(),
        })?;
    let view = ArchiveView {
        system_name: info.system_name.clone(),
        id: id.to_string(),
        completed_at: info.completed_at,
        version: info.version.clone(),
        parts: info.parts.iter().map(|p| p.as_str().to_string()).collect(),
        location: info.location.clone(),
        comment: info.comment.clone(),
    };
    output::print(ctx.output, &view, || {
        output::fields(&[
            ("Archive", view.id.clone()),
            ("System name", view.system_name.clone()),
            ("Completed", human::time(view.completed_at)),
            ("Version", view.version.clone()),
            ("Parts", view.parts.join(", ")),
            ("Location", view.location.clone()),
            ("Comment", view.comment.clone()),
        ])
    });
    Ok(())
}

/// The location and its credentials; the password from its file, environment or prompt.
fn location(args: &CatalogLocationArgs) -> Result<BackupLocation, Failure> {
    let mut b = BackupLocation::builder().location(args.location.clone());
    if let Some(user) = &args.location_user {
        let password =
            secrets::required(&secrets::LOCATION, args.location_password_file.as_deref())?;
        b = b.credentials(user.clone(), password);
    }
    Ok(b.build()?)
}

fn nothing_at(location: &BackupLocation, e: Error) -> Failure {
    Failure::from(e).with_hint(format!(
        "the appliance found no backups at {}: check --location (the folder that holds \
         vCenter/) and its credentials",
        location.url()
    ))
}

/// `2025-01-31T02:00:00Z` (RFC 3339), or a date alone at `time` (UTC).
fn parse_time(option: &str, text: &str, time: NaiveTime) -> Result<DateTime<Utc>, Failure> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| d.and_time(time).and_utc())
        .map_err(|_| {
            Failure::input(
                format!(
                    "{option}: \"{}\" is not a date or a time",
                    text.escape_debug()
                ),
                "write a date such as 2025-01-31, or a time such as 2025-01-31T02:00:00Z",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        let end = NaiveTime::from_hms_opt(23, 59, 59).unwrap();
        assert_eq!(
            parse_time("--until", "2025-01-31", end)
                .unwrap()
                .to_rfc3339(),
            "2025-01-31T23:59:59+00:00"
        );
        assert_eq!(
            parse_time("--since", "2025-01-31T04:00:00+02:00", NaiveTime::MIN)
                .unwrap()
                .to_rfc3339(),
            "2025-01-31T02:00:00+00:00"
        );
        assert!(parse_time("--since", "yesterday", NaiveTime::MIN).is_err());
    }
}
