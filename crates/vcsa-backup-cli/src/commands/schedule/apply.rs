//! `schedule apply`: make a schedule match the options, changing only what differs.

use vcsa_backup::{ApplyOptions, ScheduleAction, ScheduleField};

use super::spec::{Passwords, builder};
use crate::cli::ScheduleApplyArgs;
use crate::commands::Context;
use crate::failure::{ExitCode, Failure};
use crate::output;
use crate::views::DiffView;

/// Runs `schedule apply`.
pub async fn run(ctx: &Context, args: &ScheduleApplyArgs) -> Result<(), Failure> {
    let id = args.schedule.trim();
    let passwords = Passwords::read(&args.options)?;
    let passwords_given = passwords.any();
    let spec = builder(Some(&args.location), &args.options, passwords).build()?;
    let dry_run = args.dry_run || args.check;
    let options = ApplyOptions::new()
        .allow_recreate(args.recreate)
        .send_passwords(args.send_passwords);
    // A dry run first: when an update cannot reach the options, the SDK refuses to apply, and
    // the diff is what tells the administrator why.
    let plan = ctx
        .client
        .apply_schedule(id, &spec, options.dry_run(true))
        .await
        .map_err(|e| super::failure(id, e))?;
    let changes = matches!(
        plan.action(),
        ScheduleAction::Create | ScheduleAction::Update | ScheduleAction::Recreate
    );
    let diff = if dry_run || !changes {
        plan
    } else {
        ctx.client
            .apply_schedule(id, &spec, options)
            .await
            .map_err(|e| super::failure(id, e))?
    };
    // Times are in the appliance's time zone: worth a read of its clock when one changes.
    let clock = if diff.changes_field(ScheduleField::Time) {
        super::clock(ctx).await
    } else {
        None
    };
    let view = DiffView::new(&diff, dry_run, clock.as_ref(), passwords_given);
    output::print(ctx.output, &view, || view.text());

    if view.is_blocked() {
        let code = if args.check {
            ExitCode::JobFailed
        } else {
            ExitCode::InvalidInput
        };
        let hint = if args.recreate {
            "give the backup server's password too (VCSA_LOCATION_PASSWORD or \
             --location-password-file), since the schedule is created anew"
        } else {
            "pass --recreate to delete the schedule and create it again from the options; \
             every password is then set anew, so give them (--location-password-file, and \
             --backup-password-file for encrypted backups)"
        };
        return Err(Failure::new(
            code,
            format!("schedule \"{id}\" cannot be made to match the options by an update"),
        )
        .with_details(view.blockers.iter().map(|b| format!("- {}", b.message)))
        .with_hint(hint)
        .after_result());
    }
    if args.check && view.differs() {
        return Err(Failure::new(
            ExitCode::JobFailed,
            format!("schedule \"{id}\" differs from the options"),
        )
        .with_hint("run the same command without --check to apply them")
        .after_result());
    }
    Ok(())
}
