//! `list`: recent jobs, newest first, with their details.

use serde::Serialize;

use super::Context;
use crate::cli::ListArgs;
use crate::failure::Failure;
use crate::output;
use crate::views::ListRow;

#[derive(Serialize)]
struct Jobs {
    jobs: Vec<ListRow>,
}

/// Runs `list`.
pub async fn run(ctx: &Context, args: &ListArgs) -> Result<(), Failure> {
    let mut ids = ctx.client.list_jobs().await?;
    ids.truncate(usize::try_from(args.limit).unwrap_or(usize::MAX));
    let mut details = ctx.client.list_job_details(Some(&ids)).await?;
    let jobs = Jobs {
        jobs: ids
            .iter()
            .map(|id| ListRow::new(id, details.remove(id).as_ref()))
            .collect(),
    };
    output::print(ctx.output, &jobs, || {
        if jobs.jobs.is_empty() {
            "No backup jobs on the appliance yet.".to_string()
        } else {
            output::fitted_table(
                &ListRow::HEADERS,
                jobs.jobs.iter().map(ListRow::cells),
                &ListRow::FITS,
            )
        }
    })?;
    Ok(())
}
