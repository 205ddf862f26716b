//! `vcsa-backup`: start, follow, list and cancel vCenter Server Appliance backups from a shell,
//! cron or CI. See `vcsa-backup --help`, and `vcsa-backup demo` for a tour against a simulated
//! appliance.

#![warn(missing_docs)]

mod board;
mod certificate;
mod cli;
mod commands;
mod config;
mod config_path;
mod connect;
mod failure;
mod files;
mod follow;
mod health_output;
mod human;
mod inventory;
mod output;
mod output_file;
mod progress;
mod secrets;
mod views;

use std::io::IsTerminal;

use clap::Parser;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use cli::{Cli, Command, GlobalArgs, OutputFormat};
use commands::Context;
use failure::{ExitCode, Failure};

fn main() -> std::process::ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => return usage_error(&e),
        Err(e) => e.exit(),
    };
    init_logging(cli.global.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            output::say(&format!("error: could not start the async runtime: {e}"));
            return ExitCode::Appliance.into();
        }
    };
    if let Command::Check(args) = &cli.command {
        return runtime.block_on(commands::check::run(&cli.global, args));
    }
    if let Command::Fleet(fleet) = &cli.command {
        return runtime.block_on(commands::fleet::run(&cli.global, fleet));
    }
    match runtime.block_on(run(&cli)) {
        Ok(()) => ExitCode::Success.into(),
        Err(failure) => {
            output::report(cli.global.output, &failure);
            failure.exit_code().into()
        }
    }
}

/// A command line that could not be read. `check` speaks the monitoring convention, so its usage
/// errors are UNKNOWN (3), in the output format asked for; the other commands exit 2.
fn usage_error(e: &clap::Error) -> std::process::ExitCode {
    use clap::CommandFactory;
    // What could be read of the command line, to tell `check` from the rest by its parsed
    // subcommand (not by a word that may be a value) and to find its output options.
    let read = Cli::command()
        .ignore_errors(true)
        .try_get_matches_from(std::env::args_os());
    let Ok(read) = read else { e.exit() };
    let Some(("check", check)) = read.subcommand() else {
        e.exit()
    };
    let _ = e.print();
    commands::check::usage_error(
        read.get_one::<OutputFormat>("output")
            .copied()
            .unwrap_or(OutputFormat::Nagios),
        read.get_one::<String>("server").map(String::as_str),
        check
            .get_one::<std::path::PathBuf>("output_file")
            .map(std::path::PathBuf::as_path),
        &e.kind().to_string(),
    )
}

/// No logs by default: failures are reported once, as the command's error, in plain words.
/// `-v`: warnings and steps (`info`); `-vv`: also one line per request (the SDK's `debug`
/// events, target `vcsa_backup::http`); `-vvv`: everything, the HTTP libraries' own logs too.
/// Below `-vvv` the libraries underneath say only warnings: their `debug` lines would bury the
/// requests.
fn init_logging(verbose: u8) {
    let (ours, theirs) = match verbose {
        0 => (LevelFilter::OFF, LevelFilter::OFF),
        1 => (LevelFilter::INFO, LevelFilter::WARN),
        2 => (LevelFilter::DEBUG, LevelFilter::WARN),
        _ => (LevelFilter::TRACE, LevelFilter::TRACE),
    };
    // Every crate of this workspace: vcsa_backup, vcsa_backup_api, vcsa_backup_cli, the
    // simulator of `demo`.
    let filter = Targets::new()
        .with_target("vcsa_backup", ours)
        .with_default(theirs);
    // Colours only on a terminal, and not when NO_COLOR is set: a log file or a CI log gets
    // plain text.
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // Logs share standard error with the progress display; standard output stays for results.
    let _ = tracing_subscriber::fmt()
        .with_max_level(ours)
        .with_ansi(colour)
        .with_writer(std::io::stderr)
        .with_target(verbose >= 2)
        .finish()
        .with(filter)
        .try_init();
}

async fn run(cli: &Cli) -> Result<(), Failure> {
    match &cli.command {
        #[cfg(feature = "demo")]
        Command::Demo(args) => commands::demo::run(&cli.global, args).await,
        Command::Trust(args) => commands::trust::run(&cli.global, args).await,
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            // Into memory first: the generator panics when its writer fails.
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut command, "vcsa-backup", &mut script);
            output::write(String::from_utf8_lossy(&script).trim_end())
        }
        Command::Man(args) => commands::man::run(args),
        _ if matches!(
            cli.global.output,
            OutputFormat::Nagios | OutputFormat::Prometheus
        ) =>
        {
            Err(Failure::input(
                "--output nagios and --output prometheus are for `check` and `fleet check`",
                "use --output table or --output json",
            ))
        }
        command => {
            let ctx = context(&cli.global)?;
            let result = on_appliance(&ctx, command).await;
            // Appliances allow a limited number of sessions: give this one back.
            if let Err(e) = ctx.client.logout().await {
                tracing::debug!(error = %e, "logging out failed");
            }
            result
        }
    }
}

/// The subcommands that talk to the appliance.
async fn on_appliance(ctx: &Context, command: &Command) -> Result<(), Failure> {
    match command {
        Command::Backup(args) => commands::backup::run(ctx, args).await,
        Command::Status(args) => commands::status::run(ctx, args).await,
        Command::List(args) => commands::list::run(ctx, args).await,
        Command::Cancel(args) => commands::cancel::run(ctx, args).await,
        Command::Schedule(command) => commands::schedule::run(ctx, command).await,
        Command::Archives(command) => commands::archives::run(ctx, command).await,
        Command::Parts => commands::parts::run(ctx).await,
        Command::Validate(args) => commands::validate::run(ctx, args).await,
        Command::Restore(command) => commands::restore::run(ctx, command).await,
        Command::Reconcile(command) => commands::reconcile::run(ctx, command).await,
        // Handled by `main` and `run`: they have their own exit codes, or need no appliance.
        Command::Check(_) | Command::Fleet(_) => Ok(()),
        #[cfg(feature = "demo")]
        Command::Demo(_) => Ok(()),
        Command::Completions(_) | Command::Trust(_) | Command::Man(_) => Ok(()),
    }
}

fn context(global: &GlobalArgs) -> Result<Context, Failure> {
    Ok(Context {
        client: connect::client(global)?,
        output: global.output,
        progress: progress::Mode::detect(global.quiet),
        utc: global.utc,
    })
}
