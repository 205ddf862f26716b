//! `cancel`: ask the appliance to stop a running job.

use vcsa_backup::{IdKind, JobId, OutcomeStatus};

use super::Context;
use crate::cli::JobArgs;
use crate::failure::{ExitCode, Failure};
use crate::output;
use crate::views::OutcomeView;

/// Runs `cancel`.
pub async fn run(ctx: &Context, args: &JobArgs) -> Result<(), Failure> {
    let id = JobId::new(args.job_id.trim());
    IdKind::Job.check(id.as_str())?;
    let outcome = ctx.client.cancel_job(&id).await?;
    let view = OutcomeView::new(&outcome, Some(&id));
    output::print(ctx.output, &view, || {
        view.text(match outcome.status {
            OutcomeStatus::Ok => format!("Cancel requested for job {id}."),
            OutcomeStatus::Warning => format!("Cancel requested for job {id}, with warnings:"),
            _ => format!("The appliance did not cancel job {id}:"),
        })
    })?;
    if outcome.is_accepted() {
        Ok(())
    } else {
        Err(
            Failure::new(ExitCode::JobFailed, format!("job {id} was not canceled"))
                .with_hint(format!(
                    "check its state with `vcsa-backup status {id}`: it may have ended already"
                ))
                .after_result(),
        )
    }
}
