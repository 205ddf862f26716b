//! Retention: the daily pass at 00:00 UTC keeps each schedule's newest `max_count` scheduled
//! backups at its location and removes the older ones; manual backups and other appliances'
//! backups stay.

use std::time::Duration;

use serde_json::json;
use vcsa_backup_sim::{ArchiveSeed, DEFAULT_SYSTEM_NAME};

use crate::firing::{DAY, create, monday, on_monday, start_alone};
use crate::support::*;

const LOCATION: &str = "sftp://backup.example.com/kept";

async fn archive_ids(h: &Harness, system_name: &str) -> Vec<String> {
    let (status, archives) = h
        .post(
            &format!("{API}/system-name/{system_name}/archives?action=list"),
            json!({ "loc_spec": { "location": LOCATION }, "filter_spec": {} }),
        )
        .await;
    assert_eq!(status, 200, "{archives}");
    archives
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["archive"].as_str().unwrap().to_string())
        .collect()
}

fn scheduled(day: u32) -> String {
    format!("S_8.0.3.00400_202605{day:02}-010000_")
}

#[tokio::test(start_paused = true)]
async fn the_midnight_pass_keeps_the_newest_scheduled_backups() {
    let h = start_alone(on_monday()).await;
    let control = h.sim.control();
    // A manual backup of this appliance and a scheduled one of another, at the same location.
    let manual = control
        .seed_archive(ArchiveSeed {
            location: LOCATION.into(),
            system_name: DEFAULT_SYSTEM_NAME.into(),
            timestamp: monday() - chrono::Duration::days(30),
            comment: Some("before the upgrade".into()),
            ..ArchiveSeed::default()
        })
        .unwrap();
    assert!(
        manual.starts_with("M_8.0.3.00400_20260418-003000_"),
        "{manual}"
    );
    let other = control
        .seed_archive(ArchiveSeed {
            location: LOCATION.into(),
            system_name: "vcsa-02.example.com".into(),
            timestamp: monday() - chrono::Duration::days(30),
            scheduled: true,
            ..ArchiveSeed::default()
        })
        .unwrap();
    create(
        &h,
        "kept",
        json!({
            "location": LOCATION,
            "recurrence_info": { "hour": 1, "minute": 0 },
            "retention_info": { "max_count": 2 },
        }),
    )
    .await;

    // Monday to Wednesday 12:00: three backups, the pass at 00:00 found at most two.
    tokio::time::advance(2 * DAY + Duration::from_secs(11 * 3600 + 1800)).await;
    assert_eq!(
        archive_ids(&h, DEFAULT_SYSTEM_NAME).await,
        [scheduled(20), scheduled(19), scheduled(18), manual.clone()],
        "max_count + 1 exist until the next pass"
    );
    // Thursday 00:30, after the pass at 00:00: the oldest scheduled one went; the manual one
    // stays.
    tokio::time::advance(Duration::from_secs(12 * 3600 + 1800)).await;
    assert_eq!(
        archive_ids(&h, DEFAULT_SYSTEM_NAME).await,
        [scheduled(20), scheduled(19), manual.clone()]
    );
    // A week on: still the newest two (plus the one since midnight's pass).
    tokio::time::advance(7 * DAY + Duration::from_secs(3600)).await;
    assert_eq!(
        archive_ids(&h, DEFAULT_SYSTEM_NAME).await,
        [scheduled(28), scheduled(27), scheduled(26), manual]
    );
    assert_eq!(archive_ids(&h, "vcsa-02.example.com").await, [other]);
    // A removed backup's folder is free again.
    let (status, body) = h
        .post(
            &format!("{API}/job"),
            backup_request(&format!(
                "{LOCATION}/vCenter/sn_{DEFAULT_SYSTEM_NAME}/{}",
                scheduled(18)
            )),
        )
        .await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test(start_paused = true)]
async fn the_pass_runs_on_request_and_without_retention_keeps_everything() {
    let h = start_alone(on_monday()).await;
    let control = h.sim.control();
    for day in 1..=5 {
        control
            .seed_archive(ArchiveSeed {
                location: LOCATION.into(),
                system_name: DEFAULT_SYSTEM_NAME.into(),
                timestamp: monday() - chrono::Duration::days(day),
                scheduled: true,
                ..ArchiveSeed::default()
            })
            .unwrap();
    }
    create(&h, "all", json!({ "location": LOCATION })).await;
    assert_eq!(control.run_retention(), Vec::<String>::new());
    assert_eq!(archive_ids(&h, DEFAULT_SYSTEM_NAME).await.len(), 5);

    // Retention set, and the pass asked for now (the control handle, then the admin endpoint).
    h.call(
        reqwest::Method::PATCH,
        &format!("{API}/schedules/all"),
        Some(json!({ "retention_info": { "max_count": 3 } })),
    )
    .await;
    let removed = control.run_retention();
    assert_eq!(
        removed,
        [
            "S_8.0.3.00400_20260514-003000_",
            "S_8.0.3.00400_20260513-003000_"
        ]
    );
    h.call(
        reqwest::Method::PATCH,
        &format!("{API}/schedules/all"),
        Some(json!({ "retention_info": { "max_count": 1 } })),
    )
    .await;
    let (status, state) = send(h.http.post(h.url("/__sim/retention"))).await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(state["archives"], 1);
    assert_eq!(
        archive_ids(&h, DEFAULT_SYSTEM_NAME).await,
        ["S_8.0.3.00400_20260517-003000_"]
    );
}
