//! `validate`: let the appliance check a backup location and settings without backing up.

use vcsa_backup::OutcomeStatus;

use super::Context;
use crate::cli::RequestArgs;
use crate::failure::{ExitCode, Failure};
use crate::output;
use crate::views::OutcomeView;

/// Runs `validate`.
pub async fn run(ctx: &Context, args: &RequestArgs) -> Result<(), Failure> {
    let settings = &args.settings;
    let credentials = super::request::Credentials::read(&settings.target, &args.location)?;
    let request = super::request::build(
        &args.location,
        settings,
        credentials,
        &settings.target.parts,
    )?;
    let outcome = ctx.client.validate_backup(&request).await?;
    let view = OutcomeView::new(&outcome, None);
    output::print(ctx.output, &view, || {
        view.text(match outcome.status {
            OutcomeStatus::Ok => format!("The appliance can back up to {}.", request.location()),
            OutcomeStatus::Warning => format!(
                "The appliance can back up to {}, with warnings:",
                request.location()
            ),
            _ => format!("The appliance cannot back up to {}:", request.location()),
        })
    })?;
    if outcome.is_accepted() {
        Ok(())
    } else {
        Err(Failure::new(ExitCode::JobFailed, "the check failed")
            .with_hint("fix what the appliance reported above, then check again")
            .after_result())
    }
}
