//! An administrator's daily use against the simulator: nightly backups into the appliance's
//! layout, the parts the appliance selects by default, a start that fails at once.

use crate::support;

use std::time::Duration;

use chrono::{DateTime, Utc};
use support::{Run, Sim};
use vcsa_backup_sim::Simulator;

const DAY: Duration = Duration::from_secs(24 * 3600);
const ROOT: &str = "sftp://backup.example.com/vcsa";
const SFTP_PASSWORD: &str = "Sftp-Pass-123";
const MIB: u64 = 1024 * 1024;

/// Monday 2026-05-18, 10:00 UTC.
fn monday() -> DateTime<Utc> {
    "2026-05-18T10:00:00Z".parse().unwrap()
}

fn sim() -> Sim {
    Sim::start(
        Simulator::builder()
            .tls(false)
            .start_time(monday())
            .system_name("vcsa.example.com")
            .job_duration(Duration::from_millis(500)),
    )
}

fn run(sim: &Sim, args: &[&str]) -> Run {
    Run::of(
        sim.command()
            .env("VCSA_LOCATION_PASSWORD", SFTP_PASSWORD)
            .args(args),
    )
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run}"))
}

/// The nightly cron line of `backup --help`, against the simulator.
fn nightly_backup(sim: &Sim) -> Run {
    run(
        sim,
        &[
            "-o",
            "json",
            "backup",
            "--into",
            ROOT,
            "--location-user",
            "backup",
            "--when-idle",
            "--wait",
        ],
    )
}

#[test]
fn two_nightly_backups_into_a_root_sit_beside_the_scheduled_ones() {
    let sim = sim();
    let created = run(
        &sim,
        &[
            "schedule",
            "create",
            "nightly",
            "--location",
            ROOT,
            "--location-user",
            "backup",
            "--at",
            "02:30",
        ],
    );
    assert_eq!(created.code, 0, "{created}");
    sim.control().advance_clock(DAY);

    let first = nightly_backup(&sim);
    assert_eq!(first.code, 0, "{first}");
    sim.control().advance_clock(DAY);
    let second = nightly_backup(&sim);
    assert_eq!(second.code, 0, "{second}");
    let locations: Vec<String> = [&first, &second]
        .iter()
        .map(|r| json(r)["details"]["location"].as_str().unwrap().to_string())
        .collect();
    for (location, run) in locations.iter().zip([&first, &second]) {
        assert!(
            location.starts_with(&format!(
                "{ROOT}/vCenter/sn_vcsa.example.com/M_8.0.3.00400_"
            )),
            "{location}"
        );
        assert!(
            run.stderr.contains(&format!("backing up into {location}")),
            "{run}"
        );
    }
    assert_ne!(locations[0], locations[1]);

    let listed = run(
        &sim,
        &[
            "-o",
            "json",
            "archives",
            "list",
            "--location",
            ROOT,
            "--location-user",
            "backup",
        ],
    );
    assert_eq!(listed.code, 0, "{listed}");
    let ids: Vec<String> = json(&listed)["archives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    let kinds: Vec<char> = ids.iter().map(|id| id.chars().next().unwrap()).collect();
    // Each night: the schedule's backup at 02:30, then the one from cron.
    assert_eq!(kinds, ['M', 'S', 'M', 'S'], "newest first: {ids:?}");
    for location in &locations {
        assert!(
            ids.iter().any(|id| location.ends_with(&format!("/{id}"))),
            "{location} in {ids:?}"
        );
    }
}
