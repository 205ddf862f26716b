//! `parts`: what a backup can include, and how large each part is.

use serde::Serialize;
use vcsa_backup::PartId;

use super::Context;
use crate::cli::TargetArgs;
use crate::failure::Failure;
use crate::output;
use crate::views::PartView;

#[derive(Serialize)]
struct Parts {
    parts: Vec<PartView>,
}

/// Runs `parts`.
pub async fn run(ctx: &Context) -> Result<(), Failure> {
    // Appliances before 6.7 have no size estimates: a part is listed without one.
    let sizes = ctx.client.list_part_sizes().await?;
    let parts = ctx.client.list_parts().await?;
    let parts = Parts {
        parts: parts
            .iter()
            .map(|part| PartView::new(part, sizes.get(&part.id).map(|bytes| bytes >> 20)))
            .collect(),
    };
    output::print(ctx.output, &parts, || {
        output::fitted_table(
            &PartView::HEADERS,
            parts.parts.iter().map(PartView::cells),
            &PartView::FITS,
        )
    })?;
    Ok(())
}

/// The parts a backup or schedule sends: those given with `--part`; the core configuration
/// alone with `--no-default-parts`; otherwise those the appliance selects by default, as its
/// own interface does. Says which on standard error, unless quiet.
pub async fn chosen(ctx: &Context, target: &TargetArgs) -> Result<Vec<String>, Failure> {
    let (parts, why) = if !target.parts.is_empty() {
        (target.parts.clone(), "as given")
    } else if target.no_default_parts {
        (
            vec![PartId::COMMON.as_str().to_string()],
            "--no-default-parts",
        )
    } else {
        let defaults = ctx
            .client
            .list_parts()
            .await?
            .into_iter()
            .filter(|p| p.selected_by_default)
            .map(|p| p.id.as_str().to_string())
            .collect();
        (
            defaults,
            "the appliance's default; --part common for the core configuration only",
        )
    };
    super::start::notice(ctx, &format!("parts: {} ({why})", parts.join(", ")));
    Ok(parts)
}
