//! Starting a backup (by request or by a schedule's settings), optionally behind a running one,
//! and following it: what `backup` and `schedule run` share.

use std::time::Instant;

use vcsa_backup::wait::IdleStart;
use vcsa_backup::{BackupRequest, Error, JobStatus};

use super::Context;
use crate::cli::StartArgs;
use crate::failure::Failure;
use crate::follow;
use crate::output;
use crate::progress::Mode;
use crate::views::JobView;

/// What starts the job.
pub enum Start<'a> {
    /// A backup with this request.
    Backup(&'a BackupRequest),
    /// A schedule defined on the appliance.
    Schedule {
        /// The schedule's id.
        id: &'a str,
        /// The comment to store with the backup.
        comment: Option<&'a str>,
    },
}

/// Starts the job as `plan` says, prints it, and follows it when asked.
pub async fn start_and_follow(
    ctx: &Context,
    start: Start<'_>,
    plan: &StartArgs,
) -> Result<(), Failure> {
    let began = Instant::now();
    let remaining = || plan.deadline.map(|d| d.saturating_sub(began.elapsed()));

    let status = match start_once(ctx, &start).await {
        Ok(status) => status,
        Err(Error::BackupInProgress(_)) if plan.when_idle => {
            notice(
                ctx,
                "another backup or restore is running; waiting for it to end before starting",
            );
            let started = start_when_idle(ctx, &start, &follow::options(remaining())).await?;
            for blocker in &started.blocked_by {
                notice(
                    ctx,
                    &format!(
                        "waited {} for job {} to end",
                        crate::human::duration(blocker.waited),
                        blocker.job
                    ),
                );
            }
            started.status
        }
        Err(e) => return Err(start_failure(&start, e)),
    };
    tracing::info!(job = %status.id, "job started");

    if status.state.is_terminal() {
        // Ended as soon as it started (a location the appliance cannot write, say): its end
        // is the outcome, --wait or not.
        let details = follow::details_of(&ctx.client, &status.id).await;
        let followed = follow::Followed { status, details };
        return print_ended(ctx, &followed).await;
    }
    if !plan.wait {
        return print_started(ctx, &status).await;
    }
    notice(
        ctx,
        &format!("started job {}; following it to the end", status.id),
    );
    let followed = follow::follow(
        &ctx.client,
        &status.id,
        &follow::options(remaining()),
        ctx.progress,
    )
    .await?;
    print_ended(ctx, &followed).await
}

/// Prints the job's end, and fails as the job did.
async fn print_ended(ctx: &Context, followed: &follow::Followed) -> Result<(), Failure> {
    let view = JobView::new(&followed.status, followed.details.as_ref());
    let zone = ctx.zone().await;
    output::print(ctx.output, &view, || output::fields(&view.fields(&zone)))?;
    match follow::job_failed(followed) {
        Some(failure) => Err(failure),
        None => Ok(()),
    }
}

fn start_failure(start: &Start<'_>, error: Error) -> Failure {
    match (start, &error) {
        (Start::Schedule { id, .. }, Error::NotFound(_)) => {
            crate::failure::schedule_failure(id, error)
        }
        _ => Failure::from(error),
    }
}

/// One attempt; a session that expired before the appliance accepted the start did nothing, so
/// one more attempt on the fresh session is safe.
async fn start_once(ctx: &Context, start: &Start<'_>) -> Result<JobStatus, Error> {
    let attempt = || async {
        match start {
            Start::Backup(request) => ctx.client.start_backup(request).await,
            Start::Schedule { id, comment } => ctx.client.run_schedule(id, *comment).await,
        }
    };
    match attempt().await {
        Err(Error::SessionExpired { .. }) => attempt().await,
        other => other,
    }
}

async fn start_when_idle(
    ctx: &Context,
    start: &Start<'_>,
    options: &vcsa_backup::wait::WaitOptions,
) -> Result<IdleStart, Failure> {
    let result = match start {
        Start::Backup(request) => ctx.client.start_backup_when_idle(request, options).await,
        Start::Schedule { id, comment } => {
            ctx.client
                .run_schedule_when_idle(id, *comment, options)
                .await
        }
    };
    result.map_err(|e| {
        let id = e
            .job()
            .cloned()
            .unwrap_or_else(|| vcsa_backup::JobId::new("the running job"));
        follow::wait_failure(&id, e, None)
    })
}

async fn print_started(ctx: &Context, status: &JobStatus) -> Result<(), Failure> {
    let view = JobView::new(status, None);
    let zone = ctx.zone().await;
    output::print(ctx.output, &view, || {
        format!(
            "{}\n\nFollow it with: vcsa-backup status {} --wait",
            output::fields(&view.fields(&zone)),
            status.id
        )
    })
}

/// A line for the person watching (standard error), unless progress is silenced.
pub fn notice(ctx: &Context, text: &str) {
    if ctx.progress != Mode::Silent {
        output::say(text);
    }
}
