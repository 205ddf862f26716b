//! `parts`: what a backup can include.

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
    let parts = Parts {
        parts: ctx
            .client
            .list_parts()
            .await?
            .iter()
            .map(PartView::from)
            .collect(),
    };
    output::print(ctx.output, &parts, || {
        output::table(&PartView::HEADERS, parts.parts.iter().map(PartView::cells))
    });
    Ok(())
}
