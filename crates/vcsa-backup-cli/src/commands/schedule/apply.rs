//! `schedule apply`: make a schedule match the options, changing only what differs.

use vcsa_backup::{ApplyOptions, BlockReason, Field, ScheduleAction, ScheduleDiff, ScheduleSpec};

use super::spec::{Passwords, builder};
use crate::cli::{OutputFormat, ScheduleApplyArgs};
use crate::commands::Context;
use crate::failure::{ExitCode, Failure};
use crate::output;
use crate::progress::Mode;
use crate::views::DiffView;

/// Runs `schedule apply`.
pub async fn run(ctx: &Context, args: &ScheduleApplyArgs) -> Result<(), Failure> {
    let id = args.schedule.trim();
    let dry_run = args.mode.changes_nothing();
    let options = args.mode.options();
    // Every problem in the options first, before anything is sent.
    let given = Some(args.options.target.parts.as_slice());
    builder(
        Some(&args.location),
        &args.options,
        Passwords::given(&args.options)?,
        given,
    )
    .build()?;
    let parts = crate::commands::parts::chosen(ctx, &args.options.target).await?;
    let (spec, plan, passwords_given) = plan(ctx, args, options, &parts).await?;
    let changes = matches!(
        plan.action(),
        ScheduleAction::Create | ScheduleAction::Update | ScheduleAction::Recreate
    );
    let diff = if dry_run || !changes {
        plan
    } else {
        ctx.client
            .apply_schedule(id, &spec, &options)
            .await
            .map_err(|e| super::failure(id, e))?
    };
    // Times are in the appliance's time zone: worth a read of its clock when one changes.
    let clock = if diff.changes_field(Field::Time) {
        super::clock(ctx).await
    } else {
        None
    };
    let view = DiffView::new(&diff, dry_run, clock.as_ref(), passwords_given);
    // Quiet: no word when nothing differs, so cron mails only a change.
    let quiet = ctx.progress == Mode::Silent;
    if ctx.output == OutputFormat::Json || !quiet || view.differs() {
        output::print(ctx.output, &view, || view.text(quiet))?;
    }
    outcome(id, args, &view)
}

/// The spec of the options and what applying it would do, as a dry run, with whether any
/// password was given. Passwords in files or the environment are used as given; asking for the
/// backup server's (or failing without a terminal) waits until the plan shows that this run
/// sends it, which a dry run, a drift check or an update that keeps the location's user never
/// does.
async fn plan(
    ctx: &Context,
    args: &ScheduleApplyArgs,
    options: ApplyOptions,
    parts: &[String],
) -> Result<(ScheduleSpec, ScheduleDiff, bool), Failure> {
    let id = args.schedule.trim();
    let passwords = Passwords::given(&args.options)?;
    let mut passwords_given = passwords.any();
    let location_given = passwords.location.is_some();
    let spec_of =
        |passwords| builder(Some(&args.location), &args.options, passwords, Some(parts)).build();
    let mut spec = spec_of(passwords)?;
    // A dry run first: when an update cannot reach the options, the SDK refuses to apply, and
    // the diff is what tells the administrator why.
    let plan_for = async |spec: &ScheduleSpec| {
        ctx.client
            .apply_schedule(id, spec, &options.dry_run(true))
            .await
            .map_err(|e| super::failure(id, e))
    };
    let mut plan = plan_for(&spec).await?;
    let dry_run = args.mode.changes_nothing();
    if !dry_run
        && !location_given
        && args.options.target.location_user.is_some()
        && sends_location_password(&plan, args.mode.send_passwords)
    {
        passwords_given = true;
        spec = spec_of(Passwords::read(&args.options, Some(&args.location))?)?;
        plan = plan_for(&spec).await?;
    }
    Ok((spec, plan, passwords_given))
}

/// How the command ends, once the diff is printed: blocked, differing under `--check`, or fine.
fn outcome(id: &str, args: &ScheduleApplyArgs, view: &DiffView) -> Result<(), Failure> {
    if view.is_blocked() {
        let code = if args.mode.check {
            ExitCode::JobFailed
        } else {
            ExitCode::InvalidInput
        };
        if view.needs_only_location_password() {
            return Err(Failure::new(
                code,
                format!("schedule \"{id}\" does not exist, and creating it needs the backup server's password"),
            )
            .with_hint("set VCSA_LOCATION_PASSWORD or pass --location-password-file FILE")
            .after_result());
        }
        let hint = if args.mode.recreate {
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
    if args.mode.check && view.differs() {
        return Err(Failure::new(
            ExitCode::JobFailed,
            format!("schedule \"{id}\" differs from the options"),
        )
        .with_hint("run the same command without --check to apply them")
        .after_result());
    }
    Ok(())
}

/// Whether applying `plan` sends the backup server's password: to create the schedule (anew or
/// not), for a new location user, or when the caller asks.
fn sends_location_password(plan: &ScheduleDiff, send_passwords: bool) -> bool {
    send_passwords
        || plan.changes_field(Field::LocationUser)
        || match plan.action() {
            ScheduleAction::Create | ScheduleAction::Recreate => true,
            ScheduleAction::Blocked(blockers) => {
                blockers.contains(&BlockReason::NeedsLocationPassword)
            }
            _ => false,
        }
}
