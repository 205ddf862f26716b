//! `status`: one job's state and details, optionally followed to the end.

use vcsa_backup::{IdKind, JobId};

use super::Context;
use crate::cli::StatusArgs;
use crate::failure::Failure;
use crate::follow::{self, Followed};
use crate::output;
use crate::views::JobView;

/// Runs `status`.
pub async fn run(ctx: &Context, args: &StatusArgs) -> Result<(), Failure> {
    let id = JobId::new(args.job_id.trim());
    IdKind::Job.check(id.as_str())?;
    let followed = if args.wait {
        follow::follow(
            &ctx.client,
            &id,
            &follow::options(args.deadline),
            ctx.progress,
        )
        .await?
    } else {
        let status = ctx.client.get_job(&id).await?;
        let details = follow::details_of(&ctx.client, &id).await;
        Followed { status, details }
    };
    let view = JobView::new(&followed.status, followed.details.as_ref());
    let zone = ctx.zone().await;
    output::print(ctx.output, &view, || output::fields(&view.fields(&zone)))?;
    // A failed job is reported by its exit code only when the user waited for the outcome;
    // reading the status of an old failed job is itself a success.
    match follow::job_failed(&followed) {
        Some(failure) if args.wait => Err(failure),
        _ => Ok(()),
    }
}
