//! `schedule run`: start a backup with a schedule's settings.

use crate::cli::ScheduleRunArgs;
use crate::commands::Context;
use crate::commands::start::{Start, start_and_follow};
use crate::failure::Failure;

/// Runs `schedule run`.
pub async fn run(ctx: &Context, args: &ScheduleRunArgs) -> Result<(), Failure> {
    let start = Start::Schedule {
        id: args.schedule.trim(),
        comment: args.comment.as_deref(),
    };
    start_and_follow(ctx, start, &args.start).await
}
