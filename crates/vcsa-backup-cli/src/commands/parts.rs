//! `parts`: what a backup can include, and how large each part is.

use serde::Serialize;
use vcsa_backup::{Error, PartId};

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
