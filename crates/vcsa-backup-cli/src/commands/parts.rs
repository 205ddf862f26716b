//! `parts`: what a backup can include, and how large each part is.

use serde::Serialize;

use super::Context;
use crate::failure::Failure;
use crate::output;
use crate::views::PartView;

#[derive(Serialize)]
struct Parts {
    parts: Vec<PartView>,
}

/// Runs `parts`.
pub async fn run(ctx: &Context) -> Result<(), Failure> {
    let mut views = Vec::new();
    for part in ctx.client.list_parts().await? {
        // An appliance that cannot estimate one part still lists the others.
        let size = match ctx.client.get_part_size(&part.id).await {
            Ok(size) => Some(size),
            Err(e @ (vcsa_backup::Error::NotFound(_) | vcsa_backup::Error::Server(_))) => {
                tracing::info!(part = %part.id, error = %e, "no size estimate for the part");
                None
            }
            Err(e) => return Err(e.into()),
        };
        views.push(PartView::new(&part, size));
    }
    let parts = Parts { parts: views };
    output::print(ctx.output, &parts, || {
        output::table(&PartView::HEADERS, parts.parts.iter().map(PartView::cells))
    });
    Ok(())
}
