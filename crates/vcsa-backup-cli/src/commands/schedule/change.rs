//! `schedule create`, `update` and `delete`.

use serde::Serialize;

use super::spec::{Passwords, builder};
use crate::cli::{ScheduleCreateArgs, ScheduleUpdateArgs};
use crate::commands::Context;
use crate::failure::Failure;
use crate::output;

/// Runs `schedule create`: checks every option, creates the schedule, shows it.
pub async fn create(ctx: &Context, args: &ScheduleCreateArgs) -> Result<(), Failure> {
    let id = args.schedule.trim();
    let passwords = Passwords::read(&args.options)?;
    let spec = builder(Some(&args.location), &args.options, passwords).build()?;
    ctx.client
        .create_schedule(id, &spec)
        .await
        .map_err(|e| super::failure(id, e))?;
    super::read::print(ctx, id, Some("Created")).await
}

/// Runs `schedule update`: sends only the options given, shows the schedule.
pub async fn update(ctx: &Context, args: &ScheduleUpdateArgs) -> Result<(), Failure> {
    let id = args.schedule.trim();
    let passwords = Passwords::read(&args.options)?;
    let update = builder(args.location.as_deref(), &args.options, passwords).build_update()?;
    ctx.client
        .update_schedule(id, &update)
        .await
        .map_err(|e| super::failure(id, e))?;
    super::read::print(ctx, id, Some("Updated")).await
}

#[derive(Serialize)]
struct Deleted<'a> {
    deleted: &'a str,
}

/// Runs `schedule delete`.
pub async fn delete(ctx: &Context, id: &str) -> Result<(), Failure> {
    ctx.client
        .delete_schedule(id)
        .await
        .map_err(|e| super::failure(id, e))?;
    output::print(ctx.output, &Deleted { deleted: id }, || {
        format!(
            "Deleted schedule \"{id}\". The backups it made stay at their location \
             (`vcsa-backup archives list` lists them)."
        )
    })?;
    Ok(())
}
