//! A program built on `vcsa-backup` as another crate would be, from the crate's docs alone: it
//! connects, backs up and follows the job, meets a busy appliance, keeps one deadline, applies
//! the backup schedule, lists the archives, checks the backups' health and backs up a fleet
//! built in code. One error type (`vcsa_backup::Error`) and `?` throughout.
//!
//! It runs against the in-process simulator (`cargo run -p downstream`); pointed at a real
//! appliance, only `connect`'s address, account and thumbprint change.

use std::time::Duration;

use tokio::time::Instant;
use vcsa_backup::fleet::{Appliance, BackupPlan, Fleet, Trust};
use vcsa_backup::health::HealthPolicy;
use vcsa_backup::wait::WaitOptions;
use vcsa_backup::{
    ApplyOptions, ArchiveFilter, BackupLocation, BackupRequest, Client, Error, JobState,
    RetryAdvice, ScheduleSpec, Secret,
};
use vcsa_backup_sim::{
    DEFAULT_PASSWORD, DEFAULT_SYSTEM_NAME, DEFAULT_USER, DEFAULT_VERSION, Simulator,
};

/// Where the backups go, and the account the appliance writes there with.
const ROOT: &str = "sftp://nas.example.com/backups";
const NAS_USER: &str = "backup";
const NAS_PASSWORD: &str = "Nas-Pa55word!";

#[tokio::main]
async fn main() -> Result<(), Error> {
    // A test double of the appliance, on loopback: a start failure is a broken machine.
    let template = Simulator::builder().job_duration(Duration::from_secs(2));
    let sim = template
        .clone()
        .start()
        .await
        .expect("the simulator starts");
    let fleet_sims = Simulator::fleet(3)
        .template(template)
        .start()
        .await
        .expect("the fleet's simulators start");
    // One deadline for the whole program; each wait gets what is left of it.
    let deadline = Instant::now() + Duration::from_secs(120);

    let client = connect(sim.url(), sim.thumbprint().unwrap_or_default())?;
    back_up(&client, deadline).await?;
    schedule(&client).await?;
    archives(&client).await?;
    health(&client).await?;

    // The fleet's appliances as a program holds them: name, address, pinned thumbprint.
    let servers: Vec<Server> = fleet_sims
        .appliances()
        .iter()
        .map(|a| Server {
            name: a.name().into(),
            url: a.url().into(),
            thumbprint: a.thumbprint().unwrap_or_default().into(),
        })
        .collect();
    fleet(&servers, deadline).await?;
    fleet_sims.shutdown().await;
    sim.shutdown().await;
    Ok(())
}

/// A client that logs in as the appliance's administrator and trusts its certificate by its
/// thumbprint.
fn connect(server: &str, thumbprint: &str) -> Result<Client, Error> {
    Client::builder(server)
        .credentials(DEFAULT_USER, DEFAULT_PASSWORD)
        .pin_thumbprint_sha256(thumbprint)
        .build()
}

/// Waits that end by `deadline`, wherever they start.
fn until(deadline: Instant) -> WaitOptions {
    WaitOptions::default().deadline(deadline)
}

fn request(location: String) -> Result<BackupRequest, Error> {
    let request = BackupRequest::builder()
        .location(location)
        .location_credentials(NAS_USER, NAS_PASSWORD)
        .comment("before the upgrade")
        .build()?;
    Ok(request)
}

/// A backup followed to its end; a second one started while it runs meets a busy appliance,
/// and the error's advice says to start it once the first has ended.
async fn back_up(client: &Client, deadline: Instant) -> Result<(), Error> {
    println!("{} speaks {}", client.base_url(), client.flavour().await?);
    // The first in the appliance's layout (beside its scheduled backups), named as the
    // appliance names its own; the second in a folder of ours.
    let layout = client
        .get_backup_layout(&root()?, Some(DEFAULT_SYSTEM_NAME), Some(DEFAULT_VERSION))
        .await?;
    let now = client.get_appliance_time().await?.local();
    let now = now.expect("the simulator knows its time zone");
    let first = request(layout.manual_backup_location(ROOT, now))?;
    let first = client.start_backup(&first).await?;
    let second = request(format!("{ROOT}/adhoc/before-upgrade"))?;
    let second = match client.start_backup(&second).await {
        Err(busy) if busy.retry_advice() == RetryAdvice::WhenIdle => {
            println!("busy: {}", busy.summary());
            let options = until(deadline);
            client
                .start_backup_when_idle(&second, &options)
                .await?
                .status
        }
        other => other?,
    };
    for job in [first, second] {
        let status = client.watch_job(&job.id, &until(deadline)).await?;
        assert_eq!(status.state, JobState::Succeeded);
        println!(
            "backup {} {} at {}",
            status.id, status.state, status.progress
        );
    }
    Ok(())
}

/// The appliance's `default` schedule made to match: created or changed, then left alone.
async fn schedule(client: &Client) -> Result<(), Error> {
    let spec = ScheduleSpec::builder()
        .location(ROOT)
        .location_credentials(NAS_USER, NAS_PASSWORD)
        .at(23, 0)
        .keep(7)
        .build()?;
    let diff = client
        .apply_schedule("default", &spec, &ApplyOptions::new())
        .await?;
    println!("schedule: {diff}");
    let again = client
        .apply_schedule("default", &spec, &ApplyOptions::new())
        .await?;
    assert!(again.is_unchanged());
    Ok(())
}

/// The location of the backups, to read them.
fn root() -> Result<BackupLocation, Error> {
    let root = BackupLocation::builder()
        .location(ROOT)
        .location_credentials(NAS_USER, NAS_PASSWORD)
        .build()?;
    Ok(root)
}

/// The backups at the location, newest first, of every appliance that writes there.
async fn archives(client: &Client) -> Result<(), Error> {
    let location = root()?;
    let newest = ArchiveFilter::builder().max_results(5).build()?;
    for system in client.list_system_names(&location).await? {
        for archive in client.list_archives(&location, &system, &newest).await? {
            println!("archive {system} {} {}", archive.id, archive.started_at);
        }
    }
    Ok(())
}

/// Whether the newest backup is recent enough, and why not.
async fn health(client: &Client) -> Result<(), Error> {
    let hours = |h: u64| Duration::from_secs(h * 3600);
    let policy = HealthPolicy::new(hours(26), hours(50))?;
    let report = client.check_backup_health(&policy).await?;
    println!("health: {}", report.summary());
    Ok(())
}

/// An appliance of the fleet, as the program's own settings hold it.
struct Server {
    name: String,
    url: String,
    thumbprint: String,
}

/// Every appliance's schedule run together (one SSO domain), each job followed to its end,
/// then every appliance's backups checked.
async fn fleet(servers: &[Server], deadline: Instant) -> Result<(), Error> {
    let appliances = servers.iter().map(|s| {
        let password = Secret::new(DEFAULT_PASSWORD); // from a vault, say
        Appliance::new(&s.name, &s.url, DEFAULT_USER, password)
            .trust(Trust::Thumbprint(s.thumbprint.clone()))
            .group("sso-east")
    });
    let fleet = Fleet::new(appliances)?;
    let plan = BackupPlan::schedules().window(Duration::from_secs(5 * 60));
    let started = fleet.backup(&plan).await?;
    for member in started.groups.iter().flat_map(|group| &group.members) {
        match &member.outcome {
            Ok(backup) => {
                let server = servers.iter().find(|s| s.name == member.name);
                let server = server.expect("a member is one of the servers");
                let client = connect(&server.url, &server.thumbprint)?;
                let status = client.watch_job(&backup.job.id, &until(deadline)).await?;
                println!("{}: backup {} {}", member.name, status.id, status.state);
            }
            Err(failure) => {
                let advice = failure.retry_advice();
                println!("{}: not started ({failure}; {advice:?})", member.name);
            }
        }
    }
    for result in fleet.check(&HealthPolicy::default()).await {
        match result.outcome {
            Ok(report) => println!("{}: {}", result.name, report.summary()),
            Err(failure) => println!("{}: {failure}", result.name),
        }
    }
    Ok(())
}
