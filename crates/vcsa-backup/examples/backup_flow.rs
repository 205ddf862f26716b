//! A whole backup: log in, check the request, start it, follow it to the end with
//! `Client::watch_job`, read its details, log out.
//!
//! Against a real appliance:
//!
//! ```text
//! VCSA_URL=https://vcsa.example.com VCSA_USER=administrator@vsphere.local VCSA_PASSWORD=... \
//! VCSA_THUMBPRINT=AB:CD:... BACKUP_LOCATION=sftp://backup.example.com/vcsa/today \
//! BACKUP_USER=backup BACKUP_USER_PASSWORD=... BACKUP_PASSWORD=... \
//!   cargo run -p vcsa-backup --example backup_flow
//! ```
//!
//! Without `VCSA_URL`, it runs against the simulator on loopback, so it works out of the box.

use std::env;
use std::time::Duration;

use futures_util::StreamExt;
use vcsa_backup::wait::{WaitError, WaitOptions};
use vcsa_backup::{BackupRequest, Client, Error, JobState, PartId, Secret};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| env::var(name).ok();
    // Keep the simulator alive for the whole run when there is no real appliance.
    let (client, location, _simulator) = match var("VCSA_URL") {
        Some(url) => {
            let mut builder = Client::builder(url).credentials(
                var("VCSA_USER").unwrap_or_else(|| "administrator@vsphere.local".into()),
                Secret::new(var("VCSA_PASSWORD").ok_or("set VCSA_PASSWORD")?),
            );
            if let Some(pin) = var("VCSA_THUMBPRINT") {
                builder = builder.pin_thumbprint_sha256(&pin);
            }
            let location = var("BACKUP_LOCATION").ok_or("set BACKUP_LOCATION")?;
            (builder.build()?, location, None)
        }
        None => {
            let sim = vcsa_backup_sim::Simulator::builder()
                .job_duration(Duration::from_secs(3))
                .start()
                .await?;
            println!("no VCSA_URL: using the simulator at {}", sim.url());
            let client = Client::builder(sim.url())
                .credentials(
                    vcsa_backup_sim::DEFAULT_USER,
                    Secret::new(vcsa_backup_sim::DEFAULT_PASSWORD),
                )
                .pin_thumbprint_sha256(sim.thumbprint().ok_or("the simulator has no certificate")?)
                .build()?;
            (
                client,
                "sftp://backup.example.com/vcsa/example".to_string(),
                Some(sim),
            )
        }
    };

    println!("speaking {}", client.flavour().await?);
    for part in client.list_parts().await? {
        println!(
            "part {:<12} {} (default: {})",
            part.id, part.name, part.selected_by_default
        );
    }

    let mut request = BackupRequest::builder()
        .location(location)
        .part(PartId::SEAT)
        .backup_password(Secret::new(
            var("BACKUP_PASSWORD").unwrap_or_else(|| "Example-Backup-1".into()),
        ))
        .comment("vcsa-backup example");
    if let Some(user) = var("BACKUP_USER") {
        let password = var("BACKUP_USER_PASSWORD").ok_or("set BACKUP_USER_PASSWORD")?;
        request = request.location_credentials(user, Secret::new(password));
    }
    // Every problem with the request is reported here, before anything is sent.
    let request = request.build()?;

    let check = client.validate_backup(&request).await?;
    println!("validation: {}", check.status);
    for message in &check.messages {
        println!("  {message}");
    }
    if !check.is_accepted() {
        return Err("the appliance refused the backup request".into());
    }

    let job = match client.start_backup(&request).await {
        Ok(job) => job,
        Err(Error::BackupInProgress(detail)) => {
            println!("another backup or restore is running, try later: {detail}");
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    println!("started job {} at {}", job.id, job.started_at);

    // Follow it to the end. The watch reads rarely while the job's end is far and closely near
    // it, survives expired sessions and outages of a few minutes, and gives up at the deadline (the backup
    // goes on on the appliance then; `cancel_job` stops it). Without progress lines,
    // `client.wait_for_job(&job.id, &options)` does the same in one call.
    let options = WaitOptions::default().time_limit(Duration::from_secs(4 * 3600));
    let mut updates = client.watch_job(&job.id, &options);
    let mut status = job;
    while let Some(update) = updates.next().await {
        match update {
            Ok(update) => {
                println!("  {} {}", update.state, update.progress);
                status = update;
            }
            Err(error @ WaitError::TimedOut(_)) => {
                eprintln!("{error}");
                client.logout().await?;
                std::process::exit(2);
            }
            Err(error) => return Err(error.into()),
        }
    }

    let info = client.get_job_details(&status.id).await?;
    println!(
        "job {}: {} to {}, {} bytes in {} s",
        status.id,
        info.state,
        info.location,
        info.size_bytes.unwrap_or(0),
        info.duration.map_or(0, |d| d.as_secs())
    );
    client.logout().await?;

    match status.state {
        JobState::Succeeded => Ok(()),
        _ => Err(format!("the backup ended {}", status.state).into()),
    }
}
