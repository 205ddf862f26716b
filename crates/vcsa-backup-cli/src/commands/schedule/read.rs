//! `schedule list` and `schedule show`.

use serde::Serialize;

use crate::commands::Context;
use crate::failure::Failure;
use crate::output;
use crate::views::ScheduleView;

#[derive(Serialize)]
struct Schedules {
    schedules: Vec<ScheduleView>,
}

/// Runs `schedule list`.
pub async fn list(ctx: &Context) -> Result<(), Failure> {
    let clock = super::clock(ctx).await;
    let schedules = ctx.client.list_schedules().await?;
    let view = Schedules {
        schedules: schedules
            .iter()
            .map(|s| ScheduleView::new(s, clock.as_ref()))
            .collect(),
    };
    output::print(ctx.output, &view, || {
        if view.schedules.is_empty() {
            "No backup schedules on the appliance.".to_string()
        } else {
            output::fitted_table(
                &ScheduleView::HEADERS,
                view.schedules.iter().map(ScheduleView::cells),
                &ScheduleView::FITS,
            )
        }
    })?;
    Ok(())
}

/// Runs `schedule show`.
pub async fn show(ctx: &Context, id: &str) -> Result<(), Failure> {
    print(ctx, id, None).await
}

/// The schedule as the appliance has it, after a line saying what was `done` to it, if anything.
pub(super) async fn print(ctx: &Context, id: &str, done: Option<&str>) -> Result<(), Failure> {
    let clock = super::clock(ctx).await;
    let schedule = ctx
        .client
        .get_schedule(id)
        .await
        .map_err(|e| super::failure(id, e))?;
    let view = ScheduleView::new(&schedule, clock.as_ref());
    output::print(ctx.output, &view, || {
        let fields = output::fields(&view.fields());
        match done {
            Some(done) => format!("{done} schedule \"{id}\".\n\n{fields}"),
            None => fields,
        }
    })?;
    Ok(())
}
