//! Start a backup even while another one runs, then follow its progress to the end.
//!
//! Against a real appliance:
//!
//! ```text
//! VCSA_URL=https://vcsa.example.com VCSA_USER=administrator@vsphere.local VCSA_PASSWORD=... \
//! VCSA_THUMBPRINT=AB:CD:... BACKUP_LOCATION=sftp://backup.example.com/vcsa/today \
//! BACKUP_USER=backup BACKUP_USER_PASSWORD=... \
//!   cargo run -p vcsa-backup --example wait_when_idle
//! ```
//!
//! Without `VCSA_URL`, it runs against the simulator on loopback, where the nightly schedule is
//! started first so that the new backup has something to wait for.

use std::env;
use std::time::Duration;

use futures_util::StreamExt;
use vcsa_backup::wait::{WaitError, WaitOptions};
use vcsa_backup::{BackupRequest, Client, JobState, Secret};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| env::var(name).ok();
    // Keep the simulator alive for the whole run when there is no real appliance.
    let (client, location, location_password, _simulator) = match var("VCSA_URL") {
        Some(url) => {
            let mut builder = Client::builder(url).credentials(
                var("VCSA_USER").unwrap_or_else(|| "administrator@vsphere.local".into()),
                Secret::new(var("VCSA_PASSWORD").ok_or("set VCSA_PASSWORD")?),
            );
            if let Some(pin) = var("VCSA_THUMBPRINT") {
                builder = builder.pin_thumbprint_sha256(&pin);
            }
            let location = var("BACKUP_LOCATION").ok_or("set BACKUP_LOCATION")?;
            let password = var("BACKUP_USER_PASSWORD").ok_or("set BACKUP_USER_PASSWORD")?;
            (builder.build()?, location, password, None)
        }
        None => {
            let sim = vcsa_backup_sim::Simulator::builder()
                .tls(false)
                .job_duration(Duration::from_secs(8))
                .start()
                .await?;
            println!("no VCSA_URL: using the simulator at {}", sim.url());
            let client = Client::builder(sim.url())
                .credentials(
                    vcsa_backup_sim::DEFAULT_USER,
                    Secret::new(vcsa_backup_sim::DEFAULT_PASSWORD),
                )
                .build()?;
            let nightly = client.run_schedule("default", Some("nightly")).await?;
            println!("the nightly schedule is running as job {}", nightly.id);
            (
                client,
                "sftp://backup.example.com/vcsa/example".into(),
                "s3cret".into(),
                Some(sim),
            )
        }
    };

    let request = BackupRequest::builder()
        .location(location)
        .location_credentials(
            var("BACKUP_USER").unwrap_or_else(|| "backup".into()),
            Secret::new(location_password),
        )
        .comment("started by the wait_when_idle example")
        .build()?;
    let options = WaitOptions::default().time_limit(Duration::from_secs(6 * 3600));

    let started = client.start_backup_when_idle(&request, &options).await?;
    for blocker in &started.blocked_by {
        println!(
            "waited {:.0?} for job {} to end first",
            blocker.waited, blocker.job
        );
    }
    println!("started job {}", started.status.id);

    // Ctrl-C here stops watching, not the backup: it goes on on the appliance.
    let mut updates = client.watch_job(&started.status.id, &options);
    let mut last = None;
    while let Some(update) = updates.next().await {
        match update {
            Ok(status) => {
                let message = status.messages.last().map(ToString::to_string);
                println!(
                    "{:>4} {:<12} {}",
                    status.progress.to_string(),
                    status.state.as_str(),
                    message.unwrap_or_default()
                );
                last = Some(status.state);
            }
            Err(error @ WaitError::TimedOut(_)) => {
                eprintln!("{error}");
                std::process::exit(2);
            }
            Err(error) => return Err(error.into()),
        }
    }
    if last != Some(JobState::Succeeded) {
        std::process::exit(1);
    }
    Ok(())
}
