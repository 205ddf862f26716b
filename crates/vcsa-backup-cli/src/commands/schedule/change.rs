//! `schedule create`, `update` and `delete`.

use serde::Serialize;

use super::spec::{Passwords, builder};
use crate::cli::{ScheduleCreateArgs, ScheduleUpdateArgs};
use crate::commands::Context;
use crate::failure::Failure;
use crate::output;

/// Runs `schedule create`: checks every option, creates the schedule, shows it.
pub async fn create(ctx: &Context, args: &ScheduleCreateArgs) -> Result<(), Failure> {
    let id = args.schedule.trim();
    let passwords = Passwords::read(&args.options, Some(&args.location))?;
    // Every problem in the options first, before anything is sent.
    let given = Some(args.options.target.parts.as_slice());
    builder(
        Some(&args.location),
        &args.options,
        passwords.clone(),
        given,
    )
    .build()?;
    if args.options.at.is_none() && !args.run_only {
        return Err(Failure::input(
            format!("schedule \"{id}\" would have no time, so it would never run on its own"),
            "give the time it runs with --at HH:MM, or pass --run-only for a schedule that runs \
             only with `vcsa-backup schedule run`",
        ));
    }
    let parts = crate::commands::parts::chosen(ctx, &args.options.target).await?;
    let spec = builder(Some(&args.location), &args.options, passwords, Some(&parts)).build()?;
    ctx.client
        .create_schedule(id, &spec)
        .await
        .map_err(|e| super::failure(id, e))?;
    super::read::print(ctx, id, Some("Created")).await
}

/// Runs `schedule update`: sends only the options given, shows the schedule.
pub async fn update(ctx: &Context, args: &ScheduleUpdateArgs) -> Result<(), Failure> {
    let id = args.schedule.trim();
    let passwords = Passwords::read(&args.options, args.location.as_deref())?;
    // Without --part, the schedule keeps its parts.
    let target = &args.options.target;
    let parts = if target.parts.is_empty() && !target.no_default_parts {
        None
    } else {
        Some(crate::commands::parts::chosen(ctx, target).await?)
    };
    let update = builder(
        args.location.as_deref(),
        &args.options,
        passwords,
        parts.as_deref(),
    )
    .build_update()?;
    ctx.client
        .update_schedule(id, &update)
        .await
        .map_err(|e| super::failure(id, e))?;
    super::read::print(ctx, id, Some("Updated")).await
}

#[derive(Serialize)]
struct Deleted<'a> {
    deleted: &'a str,
}

/// Runs `schedule delete`: on a terminal, after the administrator confirms; elsewhere only
/// with `--yes`.
pub async fn delete(ctx: &Context, id: &str, yes: bool) -> Result<(), Failure> {
    if !yes
        && !confirmed(&format!(
            "Delete schedule \"{id}\" on {}?",
            ctx.client.base_url()
        ))?
    {
        return Err(Failure::input(
            format!("schedule \"{id}\" was not deleted"),
            "answer y to delete it, or pass --yes",
        ));
    }
    ctx.client
        .delete_schedule(id)
        .await
        .map_err(|e| super::failure(id, e))?;
    output::print(ctx.output, &Deleted { deleted: id }, || {
        format!(
            "Deleted schedule \"{id}\". The backups it made stay at their location \
             (`vcsa-backup archives list` lists them)."
        )
    })?;
    Ok(())
}

/// Asks `question` on the terminal and reads the answer: yes only for `y` or `yes`. Without a
/// terminal to ask on, a failure that says to pass `--yes`.
fn confirmed(question: &str) -> Result<bool, Failure> {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return Err(Failure::input(
            "deleting a schedule needs confirmation, and there is no terminal to ask on",
            "pass --yes to delete it without asking",
        ));
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{question} [y/N] ");
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| {
            Failure::input(
                format!("could not read the answer: {e}"),
                "pass --yes to delete without asking",
            )
        })?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}
