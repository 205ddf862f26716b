//! `restore validate|start|status|cancel`: a backup restored into a freshly deployed appliance.
//! Also the following of a restore or a reconciliation, which `reconcile` shares.

use vcsa_backup::wait::{RecoveryWaitError, WaitOptions};
use vcsa_backup::{
    ArchiveFilter, BackupLocation, Error, Message, OutcomeStatus, RestoreCheck, RestoreRequest,
    RestoreStatus, Secret,
};

use super::Context;
use crate::cli::{RecoveryWaitArgs, RestoreArgs, RestoreCommand};
use crate::failure::{ExitCode, Failure};
use crate::output;
use crate::progress::{Progress, Update};
use crate::secrets::{self, PasswordSpec};
use crate::views::OutcomeView;

/// The SSO administrator's password, for a restore or a reconciliation.
pub const SSO: PasswordSpec = PasswordSpec {
    what: "the SSO administrator's password",
    env: "VCSA_SSO_PASSWORD",
    file_option: "--sso-password-file",
    prompt: "SSO administrator password: ",
};

/// Runs `restore ...`.
pub async fn run(ctx: &Context, command: &RestoreCommand) -> Result<(), Failure> {
    match command {
        RestoreCommand::Validate(args) => {
            let request = request(ctx, args, false).await?;
            let check = ctx.client.validate_restore(&request).await?;
            print_check(ctx, &request, &check)?;
            applicable(&check)
        }
        RestoreCommand::Start(args) => {
            let request = request(ctx, &args.restore, args.ignore_warnings).await?;
            let check = ctx.client.validate_restore(&request).await?;
            if !check.applicable {
                print_check(ctx, &request, &check)?;
                return applicable(&check);
            }
            if check.sso_login_required && request.sso_admin_user().is_none() {
                return Err(Failure::input(
                    "this backup needs the SSO administrator's credentials to be restored",
                    "pass --sso-user (its password from --sso-password-file, VCSA_SSO_PASSWORD \
                     or the prompt)",
                ));
            }
            let status = ctx.client.start_restore(&request).await?;
            if args.wait.wait {
                follow_restore(ctx, &args.wait).await
            } else {
                print_status(ctx, &status)
            }
        }
        RestoreCommand::Status(args) if args.wait => follow_restore(ctx, args).await,
        RestoreCommand::Status(_) => print_status(ctx, &ctx.client.restore_status().await?),
        RestoreCommand::Cancel => {
            let outcome = ctx.client.cancel_restore().await?;
            let view = OutcomeView::new(&outcome, None);
            output::print(ctx.output, &view, || {
                view.text(match outcome.status {
                    OutcomeStatus::Ok => "Cancel requested for the restore.".into(),
                    OutcomeStatus::Warning => {
                        "Cancel requested for the restore, with warnings:".into()
                    }
                    _ => "The appliance did not cancel the restore:".into(),
                })
            })?;
            if outcome.is_accepted() {
                Ok(())
            } else {
                Err(
                    Failure::new(ExitCode::JobFailed, "the restore was not cancelled")
                        .with_hint(
                            "`vcsa-backup restore status` shows whether it has ended already",
                        )
                        .after_result(),
                )
            }
        }
    }
}

/// The request, from the options and the password sources; the newest archive of
/// --system-name read from the catalog when --archive is not given.
async fn request(
    ctx: &Context,
    args: &RestoreArgs,
    ignore_warnings: bool,
) -> Result<RestoreRequest, Failure> {
    let location_password = match &args.location_user {
        Some(_) => Some(secrets::required(
            &secrets::LOCATION,
            args.location_password_file.as_deref(),
        )?),
        None => None,
    };
    let credentials = args.location_user.clone().zip(location_password);
    let mut builder = RestoreRequest::builder();
    match &args.system_name {
        Some(system_name) => {
            let mut root = BackupLocation::builder().location(args.location.clone());
            if let Some((user, password)) = credentials {
                root = root.location_credentials(user, password);
            }
            let root = root.build()?;
            let archive = match &args.archive {
                Some(archive) => archive.clone(),
                None => newest(ctx, &root, system_name).await?,
            };
            builder = builder.archive(&root, system_name.clone(), archive);
        }
        None => {
            builder = builder.location(args.location.clone());
            if let Some((user, password)) = credentials {
                builder = builder.location_credentials(user, password);
            }
        }
    }
    if let Some(password) = secrets::optional(
        &secrets::BACKUP,
        args.backup_password_file.as_deref(),
        args.encrypted,
    )? {
        builder = builder.backup_password(password);
    }
    if let Some(user) = &args.sso_user {
        builder = builder.sso_admin(
            user.clone(),
            sso_password(args.sso_password_file.as_deref())?,
        );
    }
    if !args.parts.is_empty() {
        builder = builder.parts(args.parts.iter().cloned());
    }
    if ignore_warnings {
        builder = builder.ignore_warnings();
    }
    Ok(builder.build()?)
}

/// The SSO administrator's password, from its file, the environment or the prompt.
pub fn sso_password(file: Option<&std::path::Path>) -> Result<Secret, Failure> {
    secrets::required(&SSO, file)
}

/// The newest backup of `system_name` at `root`, by the appliance's catalog.
async fn newest(
    ctx: &Context,
    root: &BackupLocation,
    system_name: &str,
) -> Result<String, Failure> {
    let newest = ArchiveFilter::builder().max_results(1).build()?;
    match ctx.client.list_archives(root, system_name, &newest).await {
        Ok(archives) => archives.into_iter().next().map(|a| a.id).ok_or_else(|| {
            Failure::input(
                format!("there is no backup of {system_name} at {}", root.url()),
                "`vcsa-backup archives list` shows the backups at a location",
            )
        }),
        Err(Error::NotAllowedInCurrentState(_)) => Err(Failure::input(
            "this appliance cannot read the backup catalog before it is restored",
            "name the backup with --archive (`vcsa-backup archives list` on a configured \
             appliance shows them), or give its folder's URL as --location",
        )),
        Err(error) => Err(error.into()),
    }
}

fn print_check(
    ctx: &Context,
    request: &RestoreRequest,
    check: &RestoreCheck,
) -> Result<(), Failure> {
    output::print(ctx.output, check, || {
        let verdict = if check.applicable {
            "can be restored here"
        } else {
            "cannot be restored here"
        };
        let mut text = format!(
            "The backup at {} {verdict}.\n  from:     {} {}\n  taken at: {}\n  comment:  {}\n  parts:    {}\n  SSO log in required: {}",
            request.location(),
            check.system_name,
            check.version,
            check.taken_at,
            check.comment,
            check
                .parts
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if check.sso_login_required {
                "yes"
            } else {
                "no"
            },
        );
        append_messages(&mut text, &check.messages);
        text
    })
}

fn applicable(check: &RestoreCheck) -> Result<(), Failure> {
    if check.applicable {
        Ok(())
    } else {
        Err(Failure::new(
            ExitCode::JobFailed,
            "the backup cannot be restored on this appliance",
        )
        .with_hint(
            "the appliance's messages above say why (a newer version, another deployment type)",
        )
        .after_result())
    }
}

fn print_status(ctx: &Context, status: &RestoreStatus) -> Result<(), Failure> {
    output::print(ctx.output, status, || {
        let mut text = format!("Restore: {} {}", status.state.describe(), status.progress);
        append_messages(&mut text, &status.messages);
        text
    })
}

fn append_messages(text: &mut String, messages: &[Message]) {
    for message in messages {
        text.push_str(&format!("\n  {message}"));
    }
}

async fn follow_restore(ctx: &Context, args: &RecoveryWaitArgs) -> Result<(), Failure> {
    let update = |s: &RestoreStatus| Update::new("restore", s.state.describe(), s.progress);
    let mut progress = Progress::new(ctx.progress);
    let result = ctx
        .client
        .wait_for_restore(&wait_options(args), |s| progress.update(&update(s)))
        .await;
    show_end(&mut progress, &result, update);
    let status = ended("restore", result, |s| print_status(ctx, s))?;
    print_status(ctx, &status)
}

/// Leaves how a wait ended on `progress`: the last status, marked as gone well or failed, or
/// what was shown when the following stopped before the end.
pub fn show_end<T>(
    progress: &mut Progress,
    result: &Result<T, RecoveryWaitError<T>>,
    update: impl Fn(&T) -> Update,
) {
    match result {
        Ok(last) => progress.finish(&update(last), true),
        Err(RecoveryWaitError::Failed { last, .. }) => progress.finish(&update(last), false),
        Err(_) => progress.abandon(),
    }
}

/// The options of a wait by the command's `--outage` and `--deadline`.
pub fn wait_options(args: &RecoveryWaitArgs) -> WaitOptions {
    let options = WaitOptions::for_restore(args.outage);
    match args.deadline {
        Some(deadline) => options.time_limit(deadline),
        None => options,
    }
}

/// How a wait ended, as the command's result or failure; `print` shows a final status.
pub fn ended<T>(
    what: &str,
    result: Result<T, RecoveryWaitError<T>>,
    print: impl Fn(&T) -> Result<(), Failure>,
) -> Result<T, Failure> {
    match result {
        Ok(status) => Ok(status),
        Err(RecoveryWaitError::Failed { last, .. }) => {
            print(&last)?;
            Err(
                Failure::new(ExitCode::JobFailed, format!("the {what} failed"))
                    .with_hint("its messages above say why")
                    .after_result(),
            )
        }
        Err(RecoveryWaitError::TimedOut { .. }) => Err(Failure::new(
            ExitCode::DeadlinePassed,
            format!("the deadline passed before the {what} ended; it goes on on the appliance"),
        )
        .with_hint(format!(
            "`vcsa-backup {what} status --wait` follows it again"
        ))),
        Err(RecoveryWaitError::ReadFailed { error, .. }) => {
            Err(Failure::from(error).with_details([format!(
                "(stopped following the {what}; it may go on on the appliance)"
            )]))
        }
        Err(other) => Err(Failure::new(ExitCode::Appliance, other.to_string())),
    }
}
