//! `backup`: start a backup (optionally behind a running one) and optionally follow it.

use super::Context;
use super::start::{Start, start_and_follow};
use crate::cli::BackupArgs;
use crate::failure::Failure;

/// Runs `backup`.
pub async fn run(ctx: &Context, args: &BackupArgs) -> Result<(), Failure> {
    let request = super::request::build(&args.request)?;
    start_and_follow(ctx, Start::Backup(&request), &args.start).await
}
