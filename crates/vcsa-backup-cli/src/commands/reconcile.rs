//! `reconcile start|status`: the reconciliation of a restored appliance with its linked
//! partners.

use vcsa_backup::Reconciliation;

use super::Context;
use super::restore::{ended, show_end, sso_password, wait_options};
use crate::cli::{ReconcileCommand, RecoveryWaitArgs};
use crate::failure::Failure;
use crate::output;
use crate::progress::{Progress, Update};

/// Runs `reconcile ...`.
pub async fn run(ctx: &Context, command: &ReconcileCommand) -> Result<(), Failure> {
    match command {
        ReconcileCommand::Start(args) => {
            let password = sso_password(args.sso_password_file.as_deref())?;
            let job = ctx
                .client
                .start_reconciliation(Some((&args.sso_user, &password)), args.ignore_warnings)
                .await?;
            if args.wait.wait {
                follow(ctx, &args.wait).await
            } else {
                print(ctx, Some(&job))
            }
        }
        ReconcileCommand::Status(args) if args.wait => follow(ctx, args).await,
        ReconcileCommand::Status(_) => {
            print(ctx, ctx.client.reconciliation_status().await?.as_ref())
        }
    }
}

/// The job, or that none runs (the appliance shows none before a start, nor once one ended).
fn print(ctx: &Context, job: Option<&Reconciliation>) -> Result<(), Failure> {
    output::print(ctx.output, &job, || match job {
        None => "No reconciliation job is running (none started, or the last one ended).".into(),
        Some(job) => {
            let mut text = format!("Reconciliation: {} {}", job.state, job.progress);
            if let Some(error) = &job.error {
                text.push_str(&format!("\n  error: {error}"));
            }
            for message in &job.messages {
                text.push_str(&format!("\n  {message}"));
            }
            text
        }
    })
}

async fn follow(ctx: &Context, args: &RecoveryWaitArgs) -> Result<(), Failure> {
    let update = |job: &Reconciliation| Update::new("reconciliation", &job.state, job.progress);
    let mut progress = Progress::new(ctx.progress);
    let result = ctx
        .client
        .wait_for_reconciliation(&wait_options(args), |job| progress.update(&update(job)))
        .await;
    show_end(&mut progress, &result, update);
    let job = ended("reconciliation", result, |job| print(ctx, Some(job)))?;
    print(ctx, Some(&job))
}
