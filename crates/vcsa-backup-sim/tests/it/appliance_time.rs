//! The appliance's clock operation, part sizes, and moving the simulator's clock through the
//! control handle and the admin endpoint.

use std::time::Duration;

use serde_json::json;
use vcsa_backup_sim::{DEFAULT_BUILD, Simulator};

use crate::firing::{DAY, create, on_monday, start_alone};
use crate::support::*;

#[tokio::test(start_paused = true)]
async fn the_clock_answers_the_simulated_time_in_both_flavours() {
    let h = start(on_monday()).await;
    let (status, time) = h.get("/api/appliance/system/time").await;
    assert_eq!(status, 200);
    assert_eq!(
        time,
        json!({
            "seconds_since_epoch": 1_779_064_200.0,
            "date": "Mon 05-18-2026",
            "time": "00:30:00",
            "timezone": "UTC",
        })
    );
    tokio::time::advance(Duration::from_millis(90_500)).await;
    let (status, rest) = h.get("/rest/appliance/system/time").await;
    assert_eq!(status, 200);
    assert_eq!(rest["value"]["seconds_since_epoch"], 1_779_064_290.5);
    assert_eq!(rest["value"]["time"], "00:31:30");
    // Without a session, like every operation.
    let (status, _) = send(h.http.get(h.url("/api/appliance/system/time"))).await;
    assert_eq!(status, 401);
}

#[tokio::test(start_paused = true)]
async fn the_time_zone_is_configurable() {
    let h = start(on_monday().time_zone("America/New_York")).await;
    let (_, time) = h.get("/api/appliance/system/time").await;
    assert_eq!(time["timezone"], "America/New_York");
    assert_eq!(time["date"], "Sun 05-17-2026");
    assert_eq!(time["time"], "20:30:00");
    let err = Simulator::builder()
        .tls(false)
        .time_zone("Mars/Olympus_Mons")
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Mars/Olympus_Mons"), "{err}");
    let err = Simulator::builder()
        .tls(false)
        .system_name("bad name")
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("bad name"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn part_sizes_in_both_flavours() {
    let h = start(Simulator::builder()).await;
    let api = "/api/appliance/recovery/backup/parts";
    let rest = "/rest/appliance/recovery/backup/parts";
    for (part, mb) in [("common", 384), ("seat", 2048), ("supervisors", 96)] {
        assert_eq!(h.get(&format!("{api}/{part}")).await, (200, json!(mb)));
        assert_eq!(
            h.get(&format!("{rest}/{part}")).await,
            (200, json!({ "value": mb }))
        );
    }
    let (status, err) = h.get(&format!("{api}/logs")).await;
    assert_eq!((status, api_error_type(&err)), (404, "NOT_FOUND"));
    assert!(error_text(&err).contains("Known parts: common, seat, supervisors"));
    let (status, err) = h.get(&format!("{rest}/logs")).await;
    assert_eq!((status, rest_error_type(&err)), (404, "not_found"));
}

#[tokio::test(start_paused = true)]
async fn moving_the_clock_ahead_fires_what_was_due() {
    let h = start_alone(on_monday().system_name("vcsa-lab.example.com")).await;
    create(
        &h,
        "daily",
        json!({
            "location": "sftp://backup.example.com/lab",
            "recurrence_info": { "hour": 4, "minute": 0 },
        }),
    )
    .await;
    let control = h.sim.control();
    control.advance_clock(2 * DAY);
    assert_eq!(
        control.state().time.to_rfc3339(),
        "2026-05-20T00:30:00+00:00"
    );
    assert_eq!(
        control.job_ids(),
        [
            format!("20260519-040000-{DEFAULT_BUILD}"),
            format!("20260518-040000-{DEFAULT_BUILD}"),
        ]
    );
    // Over HTTP, in milliseconds; the session expired meanwhile, like on a real appliance.
    let (status, state) = send(
        h.http
            .post(h.url("/__sim/clock/advance"))
            .json(&json!({ "millis": 24 * 3600 * 1000 })),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(state["jobs"], 3);
    assert_eq!(state["time"], "2026-05-21T00:30:00Z");
    let (_, names) = h
        .post(
            "/api/appliance/recovery/backup/system-name?action=list",
            json!({ "location": "sftp://backup.example.com/lab" }),
        )
        .await;
    assert_eq!(names, json!(["vcsa-lab.example.com"]));
    assert_eq!(state["archives"], 3);
    let (status, _) = send(h.http.post(h.url("/__sim/clock/advance")).json(&json!({}))).await;
    assert_eq!(status, 400);
}

#[tokio::test(start_paused = true)]
async fn schedules_seeded_through_the_control_handle_and_the_admin_endpoint() {
    let h = start_alone(on_monday()).await;
    let control = h.sim.control();
    control
        .create_schedule(
            "seeded",
            vcsa_backup_sim::ScheduleSpec {
                location: "sftp://backup.example.com/seeded".into(),
                recurrence_info: Some(vcsa_backup_sim::RecurrenceInfo {
                    hour: 1,
                    minute: 0,
                    days: None,
                }),
                ..Default::default()
            },
        )
        .unwrap();
    let err = control
        .create_schedule(
            "seeded",
            vcsa_backup_sim::ScheduleSpec {
                location: "sftp://backup.example.com/seeded".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    let (status, state) = send(h.http.post(h.url("/__sim/schedules")).json(&json!({
        "schedule": "http",
        "spec": { "location": "sftp://backup.example.com/http", "backup_password": "VMware1!" },
    })))
    .await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(state["schedules"], json!(["http", "seeded"]));
    let (status, err) = send(h.http.post(h.url("/__sim/schedules")).json(&json!({
        "schedule": "weak",
        "spec": { "location": "sftp://backup.example.com/weak", "recurrence_info": { "hour": 24, "minute": 0 } },
    })))
    .await;
    assert_eq!(status, 400);
    assert!(err["error"].as_str().unwrap().contains("hour 24"), "{err}");
    let (_, info) = h.get(&format!("{API}/schedules/http")).await;
    assert_eq!(info["location"], "sftp://backup.example.com/http");
    tokio::time::advance(DAY).await;
    assert_eq!(control.job_ids().len(), 1);
}
