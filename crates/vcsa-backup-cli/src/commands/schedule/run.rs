//! `schedule run`: start a backup with a schedule's settings.

use crate::cli::ScheduleRunArgs;
use crate::commands::Context;
use crate::commands::start::{Plan, Start, start_and_follow};
use crate::failure::Failure;

/// Runs `schedule run`.
pub async fn run(ctx: &Context, args: &ScheduleRunArgs) -> Result<(), Failure> {
    let start = Start::Schedule {
        id: args.schedule.trim(),
        comment: args.comment.as_deref(),
    };
    let plan = Plan {
        when_idle: args.when_idle,
        wait: args.wait,
        deadline: args.deadline,
    };
    start_and_follow(ctx, start, &plan).await
}
