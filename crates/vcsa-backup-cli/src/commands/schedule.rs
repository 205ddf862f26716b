//! `schedule ...`: list, show, create, update, delete, apply and run the appliance's backup
//! schedules.

mod apply;
mod change;
mod read;
mod run;
pub(crate) mod spec;

pub use read::show;

use vcsa_backup::{ApplianceTime, IdKind};

use super::Context;
use crate::cli::ScheduleCommand;
use crate::failure::Failure;

/// Runs `schedule ...`.
pub async fn run(ctx: &Context, command: &ScheduleCommand) -> Result<(), Failure> {
    // The id first: one that would leave its URL segment is refused before anything is sent.
    let id = match command {
        ScheduleCommand::List => None,
        ScheduleCommand::Show(args) => Some(&args.schedule),
        ScheduleCommand::Delete(args) => Some(&args.schedule),
        ScheduleCommand::Create(args) => Some(&args.schedule),
        ScheduleCommand::Update(args) => Some(&args.schedule),
        ScheduleCommand::Apply(args) => Some(&args.schedule),
        ScheduleCommand::Run(args) => Some(&args.schedule),
    };
    if let Some(id) = id {
        IdKind::Schedule.check(id.trim())?;
    }
    match command {
        ScheduleCommand::List => read::list(ctx).await,
        ScheduleCommand::Show(args) => read::show(ctx, args.schedule.trim()).await,
        ScheduleCommand::Create(args) => change::create(ctx, args).await,
        ScheduleCommand::Update(args) => change::update(ctx, args).await,
        ScheduleCommand::Delete(args) => change::delete(ctx, args.schedule.trim(), args.yes).await,
        ScheduleCommand::Apply(args) => apply::run(ctx, args).await,
        ScheduleCommand::Run(args) => run::run(ctx, args).await,
    }
}

/// The appliance's clock, for next runs and time zones. A failure to read it costs only those,
/// so it is logged and the command goes on.
async fn clock(ctx: &Context) -> Option<ApplianceTime> {
    match ctx.client.get_appliance_time().await {
        Ok(time) => Some(time),
        Err(e) => {
            tracing::info!(error = %e, "could not read the appliance's clock");
            None
        }
    }
}

/// A failure about schedule `id`, with the words for a missing or existing one.
pub(crate) use crate::failure::schedule_failure as failure;
