//! `parts`: what a backup can include, and how large each part is.

use serde::Serialize;
use vcsa_backup::Error;

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
    let mut parts = Vec::new();
    for part in ctx.client.list_parts().await? {
        // Appliances before 6.7 have no size estimates: the part is listed without one.
        let size = match ctx.client.get_part_size(&part.id).await {
            Ok(mb) => Some(mb),
            Err(Error::NotFound(_)) => None,
            Err(e) => return Err(e.into()),
        };
        parts.push(PartView::new(&part, size));
    }
    let parts = Parts { parts };
    output::print(ctx.output, &parts, || {
        output::table(&PartView::HEADERS, parts.parts.iter().map(PartView::cells))
    })?;
    Ok(())
}
