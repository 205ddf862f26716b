//! `demo`: a tour of the tool against an embedded simulated appliance, showing each step's
//! command line, so a newcomer sees a backup run and learns the commands in one go.

use std::time::Duration;

use vcsa_backup::{
    ArchiveFilter, BackupLocation, BackupRequest, Client, Error, PartId, ScheduleSpec, Secret,
};
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, RunningSimulator, Simulator};

use super::Context;
use crate::cli::{DemoArgs, GlobalArgs, OutputFormat};
use crate::failure::{ExitCode, Failure};
use crate::follow;
use crate::output;
use crate::progress::Mode;
use crate::views::JobView;

/// Runs `demo`.
pub async fn run(global: &GlobalArgs, args: &DemoArgs) -> Result<(), Failure> {
    // Noon today (UTC) on the simulator's clock: the schedule then fires once a day in the
    // three days the tour skips ahead, whenever the demo runs, and never during its first
    // steps; the history holds the last three nights' backups.
    let noon = chrono::Utc::now()
        .date_naive()
        .and_hms_opt(12, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_else(chrono::Utc::now);
    let sim = Simulator::builder()
        .job_duration(args.job_duration)
        .history(3)
        .start_time(noon)
        .start()
        .await
        .map_err(|e| {
            Failure::new(
                ExitCode::Connection,
                format!("could not start the simulated appliance: {e}"),
            )
            .with_hint("the demo listens on 127.0.0.1 on a free port; check that loopback works")
        })?;
    let result = tour(global, &sim).await;
    sim.shutdown().await;
    result
}

async fn tour(global: &GlobalArgs, sim: &RunningSimulator) -> Result<(), Failure> {
    let thumbprint = sim.thumbprint().unwrap_or_default();
    let server = sim.url();
    let client = Client::builder(server)
        .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
        .pin_thumbprint_sha256(thumbprint)
        .build()?;
    let ctx = Context {
        client,
        output: OutputFormat::Table,
        progress: Mode::detect(global.quiet),
        utc: global.utc,
    };
    let prefix = "vcsa-backup --thumbprint \"$THUMBPRINT\"";

    say(&format!(
        "A simulated vCenter Server Appliance is listening on {server}, with a self-signed\n\
         certificate that the tool trusts by its SHA-256 thumbprint. Each step shows the command\n\
         that does the same against any appliance, after:\n\n  \
         export VCSA_SERVER={server}\n  \
         export VCSA_USER={DEFAULT_USER}   # the password is asked for, or set VCSA_PASSWORD\n  \
         THUMBPRINT={thumbprint}"
    ));

    step(1, "What can a backup include?", &format!("{prefix} parts"));
    super::parts::run(&ctx).await?;

    let request = BackupRequest::builder()
        .location("sftp://backup.example.com/vcsa/demo")
        .location_credentials("backup", Secret::new("demo-sftp-password"))
        .part(PartId::SEAT)
        .comment("vcsa-backup demo")
        .build()?;
    step(
        2,
        "Start a backup of the configuration and the historical data (seat)",
        &format!(
            "{prefix} backup --location sftp://backup.example.com/vcsa/demo \\\n      \
             --location-user backup --part seat --comment 'vcsa-backup demo'"
        ),
    );
    let started = ctx.client.start_backup(&request).await?;
    say(&format!("Started job {}.", started.id));

    step(
        3,
        "Meanwhile, try to start a second backup: only one runs at a time",
        &format!("{prefix} backup --location sftp://backup.example.com/vcsa/second"),
    );
    let second = BackupRequest::builder()
        .location("sftp://backup.example.com/vcsa/second")
        .build()?;
    match ctx.client.start_backup(&second).await {
        Err(e @ Error::BackupInProgress(_)) => {
            let failure = Failure::from(e);
            say(&format!(
                "{failure}\n(exit code {}: scripts can tell this case apart and retry later, or \
                 use --when-idle)",
                failure.exit_code() as u8
            ));
        }
        Err(e) => return Err(e.into()),
        Ok(status) => say(&format!(
            "The appliance started a second job ({}): the first had already ended.",
            status.id
        )),
    }

    step(
        4,
        "Follow the first backup to its end",
        &format!("{prefix} status {} --wait", started.id),
    );
    let followed = follow::follow(
        &ctx.client,
        &started.id,
        &follow::options(None),
        ctx.progress,
    )
    .await?;
    let view = JobView::new(&followed.status, followed.details.as_ref());
    let zone = ctx.zone().await;
    output::print(OutputFormat::Table, &view, || {
        output::fields(&view.fields(&zone))
    })?;
    if let Some(failure) = follow::job_failed(&followed) {
        return Err(failure);
    }

    step(5, "Recent jobs on the appliance", &format!("{prefix} list"));
    super::list::run(&ctx, &crate::cli::ListArgs { limit: 5 }).await?;

    schedules(&ctx, sim, prefix).await?;
    let _ = ctx.client.logout().await;

    say(&format!(
        "\nThat was the simulator. Point the same commands at a real appliance:\n\n  \
         export VCSA_SERVER=vcsa.example.com\n  \
         export VCSA_USER={DEFAULT_USER}\n  \
         vcsa-backup trust vcsa.example.com    # its certificate's thumbprint, subject, validity\n  \
         export VCSA_THUMBPRINT=AB:CD:...      # the thumbprint shown, once checked\n  \
         vcsa-backup parts                     # asks for the password\n  \
         vcsa-backup backup --location sftp://backup.example.com/vcsa --location-user backup --wait\n  \
         vcsa-backup schedule list\n\n\
         Or write the appliance once in the configuration file (`vcsa-backup --help` shows how).\n\
         Passwords come from VCSA_PASSWORD, --password-file, the configuration file or the \
         prompt; never from the command line.\n\
         More: vcsa-backup --help, vcsa-backup backup --help, vcsa-backup schedule --help"
    ));
    Ok(())
}

/// Steps 6 to 8: the appliance's schedule set, three days of it on a fast-forwarded clock, and
/// the catalog.
async fn schedules(ctx: &Context, sim: &RunningSimulator, prefix: &str) -> Result<(), Failure> {
    const ROOT: &str = "sftp://backup.example.com/vcsa";
    step(
        6,
        "Set the appliance's backup schedule, \"default\" (it has one): every night at 02:00 \
         (appliance time), keep the newest 7",
        &format!(
            "{prefix} schedule update default --location {ROOT} \\\n      \
             --location-user backup --part seat --at 02:00 --keep 7"
        ),
    );
    let update = ScheduleSpec::builder()
        .location(ROOT)
        .location_credentials("backup", Secret::new("demo-sftp-password"))
        .part(PartId::SEAT)
        .at(2, 0)
        .keep(7)
        .build_update()?;
    ctx.client.update_schedule("default", &update).await?;
    say("Changed schedule \"default\".\n");
    super::schedule::show(ctx, "default").await?;

    step(
        7,
        "Three nights later: the simulator's clock skips ahead 3 days, and the schedule fired \
         each night",
        &format!("{prefix} list --limit 4"),
    );
    sim.control()
        .advance_clock(Duration::from_secs(3 * 24 * 3600));
    super::list::run(ctx, &crate::cli::ListArgs { limit: 4 }).await?;

    step(
        8,
        "The backups it left at the location, as the appliance's catalog lists them",
        &format!("{prefix} archives list --location {ROOT} --location-user backup"),
    );
    let location = BackupLocation::builder()
        .location(ROOT)
        .location_credentials("backup", Secret::new("demo-sftp-password"))
        .build()?;
    super::archives::print_list(ctx, &location, None, &ArchiveFilter::all()).await
}

fn step(n: u8, title: &str, command: &str) {
    say(&format!("\n== {n}. {title}\n$ {command}"));
}

/// The demo's narration goes to standard output, with the results, in order.
fn say(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}
