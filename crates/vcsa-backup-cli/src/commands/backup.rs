//! `backup`: start a backup (optionally behind a running one) and optionally follow it.

use super::Context;
use super::start::{Plan, Start, start_and_follow};
use crate::cli::BackupArgs;
use crate::failure::Failure;

/// Runs `backup`.
pub async fn run(ctx: &Context, args: &BackupArgs) -> Result<(), Failure> {
    let request = super::request::build(&args.request)?;
    let plan = Plan {
        when_idle: args.when_idle,
        wait: args.wait,
        deadline: args.deadline,
    };
    start_and_follow(ctx, Start::Backup(&request), &plan).await
}
