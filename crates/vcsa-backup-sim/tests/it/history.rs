//! A seeded history agrees with the appliance's world: one job per due run of the `default`
//! schedule (every day at 23:00 in the appliance's time zone), going back from its clock, each
//! with its backup in the layout at the schedule's location; shapes make the other states.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use vcsa_backup_sim::{
    DEFAULT_BUILD, DEFAULT_SYSTEM_NAME, HistoryShape, MAX_SEEDED_ARCHIVES, SeededOutcome, Simulator,
};

use crate::support::*;

const SCHEDULED: &str = "sftp://backup.example.com/vcsa/scheduled";

/// Monday 2026-05-18, 12:00 UTC: 14:00 in Berlin, where 23:00 is 21:00 UTC.
fn noon() -> DateTime<Utc> {
    "2026-05-18T12:00:00Z".parse().unwrap()
}

fn folder(stamp: &str) -> String {
    format!("{SCHEDULED}/vCenter/sn_{DEFAULT_SYSTEM_NAME}/S_8.0.3.00400_{stamp}_")
}

/// The jobs' details, newest first, as `(id, status, location)`.
async fn details(h: &Harness) -> Vec<(String, String, String)> {
    let (_, details) = h.get(&format!("{API}/job/details")).await;
    let mut jobs: Vec<(String, String, String)> = details
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, d)| {
            assert_eq!(d["type"], "SCHEDULED", "{d}");
            let text = |key: &str| d[key].as_str().unwrap().to_string();
            (id.clone(), text("status"), text("location"))
        })
        .collect();
    jobs.sort();
    jobs.reverse();
    jobs
}

async fn archives(h: &Harness) -> Vec<Value> {
    let (status, list) = h
        .post(
            &format!("{API}/system-name/{DEFAULT_SYSTEM_NAME}/archives?action=list"),
            json!({ "loc_spec": { "location": SCHEDULED }, "filter_spec": {} }),
        )
        .await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

#[tokio::test(start_paused = true)]
async fn a_seeded_history_follows_the_default_schedule_into_the_layout() {
    let h = start(
        Simulator::builder()
            .start_time(noon())
            .time_zone("Europe/Berlin")
            .history(3),
    )
    .await;
    let id = |utc: &str| format!("{utc}-{DEFAULT_BUILD}");
    let ok = "SUCCEEDED".to_string();
    assert_eq!(
        details(&h).await,
        [
            (id("20260517-210000"), ok.clone(), folder("20260517-230000")),
            (id("20260516-210000"), ok.clone(), folder("20260516-230000")),
            (id("20260515-210000"), ok.clone(), folder("20260515-230000")),
        ]
    );
    let listed = archives(&h).await;
    let names: Vec<&str> = listed
        .iter()
        .map(|a| a["archive"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "S_8.0.3.00400_20260517-230000_",
            "S_8.0.3.00400_20260516-230000_",
            "S_8.0.3.00400_20260515-230000_",
        ]
    );
    assert_eq!(listed[0]["timestamp"], "2026-05-17T21:00:00Z");

    // More, through the control handle: older than every job there.
    h.sim.control().seed_history(1).unwrap();
    assert_eq!(h.sim.control().job_ids()[3], id("20260514-210000"));
    assert_eq!(h.sim.control().state().archives, 4);
}

#[tokio::test(start_paused = true)]
async fn missed_runs_and_a_failed_or_canceled_newest_job() {
    let shaped = |missed_runs, newest| {
        Simulator::builder()
            .start_time(noon())
            .history(2)
            .history_shape(HistoryShape {
                missed_runs,
                newest,
            })
    };
    // Two runs missed (the 16th and 17th at 23:00 UTC): the newest job is three days old.
    let h = start(shaped(2, SeededOutcome::Succeeded)).await;
    let jobs = details(&h).await;
    let ids: Vec<&str> = jobs.iter().map(|j| j.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            format!("20260515-230000-{DEFAULT_BUILD}"),
            format!("20260514-230000-{DEFAULT_BUILD}"),
        ]
    );
    assert_eq!(h.sim.control().state().archives, 2);

    for (newest, status, error) in [
        (SeededOutcome::Failed, "FAILED", "ERROR"),
        (SeededOutcome::Canceled, "FAILED", "CANCELED"),
    ] {
        let h = start(shaped(0, newest)).await;
        let (_, all) = h.get(&format!("{API}/job/details")).await;
        let newest_id = format!("20260517-230000-{DEFAULT_BUILD}");
        let job = &all[&newest_id];
        assert_eq!(job["status"], status, "{job}");
        assert_eq!(job["error"]["error_type"], error, "{job}");
        let older = &all[&format!("20260516-230000-{DEFAULT_BUILD}")];
        assert_eq!(older["status"], "SUCCEEDED");
        assert_eq!(
            h.sim.control().state().archives,
            1,
            "no backup of {newest:?}"
        );
    }

    // Over the admin endpoint, the same shape.
    let h = start(Simulator::builder().start_time(noon())).await;
    let (status, state) = send(h.http.post(h.url("/__sim/history")).json(&json!({
        "count": 2, "missed_runs": 1, "newest": "failed",
    })))
    .await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(
        (state["jobs"].clone(), state["archives"].clone()),
        (json!(2), json!(1))
    );
    assert_eq!(
        h.sim.control().job_ids()[0],
        format!("20260516-230000-{DEFAULT_BUILD}")
    );
}

#[tokio::test(start_paused = true)]
async fn without_a_schedule_that_fires_the_history_is_hourly() {
    let h = start(Simulator::builder().start_time(noon())).await;
    let control = h.sim.control();
    let (status, _) = h
        .call(
            reqwest::Method::PATCH,
            &format!("{API}/schedules/default"),
            Some(json!({ "enable": false })),
        )
        .await;
    assert_eq!(status, 204);
    control.seed_history(2).unwrap();
    assert_eq!(
        control.job_ids(),
        [
            format!("20260518-110000-{DEFAULT_BUILD}"),
            format!("20260518-100000-{DEFAULT_BUILD}"),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_run_too_recent_to_be_over_is_not_seeded() {
    // 23:05: tonight's run started five minutes ago; a seeded job has ended.
    let late = "2026-05-18T23:05:00Z".parse().unwrap();
    let h = start(Simulator::builder().start_time(late).history(1)).await;
    assert_eq!(
        h.sim.control().job_ids(),
        [format!("20260517-230000-{DEFAULT_BUILD}")]
    );
}

#[tokio::test(start_paused = true)]
async fn only_the_newest_seeded_jobs_keep_their_backups() {
    let h = start(
        Simulator::builder()
            .start_time(noon())
            .history(MAX_SEEDED_ARCHIVES + 2),
    )
    .await;
    let state = h.sim.control().state();
    assert_eq!(
        (state.jobs, state.archives),
        (MAX_SEEDED_ARCHIVES + 2, MAX_SEEDED_ARCHIVES)
    );
    let listed = archives(&h).await;
    assert_eq!(listed[0]["archive"], "S_8.0.3.00400_20260517-230000_");
}
