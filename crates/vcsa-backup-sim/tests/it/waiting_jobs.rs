//! Jobs that wait before they run: PENDING (job state NONE), then BLOCKED, then RUNNING, with
//! the optional Details fields each status carries; from the library, over the admin endpoint
//! and through the generated client.

use crate::support;

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use support::*;
use vcsa_backup_api::enums::{BackupRestoreProcessState, DetailsStatus};
use vcsa_backup_api::{Auth, Client, Secret};
use vcsa_backup_sim::{ADMIN_PREFIX, DEFAULT_PASSWORD, DEFAULT_USER, JobWait, Simulator};

/// The optional Details fields whose presence depends on the status.
const STATUS_FIELDS: [&str; 5] = ["duration", "size", "progress", "start_time", "end_time"];

/// Which of [`STATUS_FIELDS`] a details object carries (absent and `null` both count as absent).
fn present(details: &Value) -> Vec<&'static str> {
    STATUS_FIELDS
        .into_iter()
        .filter(|f| details.get(f).is_some_and(|v| !v.is_null()))
        .collect()
}

/// Details of one job in both flavours; asserts they agree on the status and the fields present.
async fn details_both(h: &Harness, id: &str) -> Value {
    let (status, api) = h.get(&format!("{API}/job/details?jobs={id}")).await;
    assert_eq!(status, 200, "{api}");
    let (status, rest) = h
        .get(&format!("{REST}/job/details?filter.jobs.1={id}"))
        .await;
    assert_eq!(status, 200, "{rest}");
    let rest = &rest["value"][0]["value"];
    let api = api[id].clone();
    assert_eq!(api["status"], rest["status"]);
    assert_eq!(present(&api), present(rest));
    api
}

async fn job_state(h: &Harness, id: &str) -> Value {
    let (status, job) = h.get(&format!("{API}/job/{id}")).await;
    assert_eq!(status, 200, "{job}");
    job
}

#[tokio::test(start_paused = true)]
async fn a_job_waits_pending_then_blocked_then_runs() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(100))).await;
    let control = h.sim.control();
    control.delay_next_job(JobWait::new(
        Duration::from_secs(10),
        Duration::from_secs(5),
    ));
    assert_eq!(
        control.state().faults.next_job_wait,
        Some(JobWait {
            pending_ms: 10_000,
            blocked_ms: 5_000
        })
    );

    // Pending: not started (state NONE), none of the five fields in details.
    let (status, created) = h
        .post(
            &format!("{API}/job"),
            backup_request("sftp://nas.example.com/w/1"),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        (created["state"].clone(), created["progress"].clone()),
        (json!("NONE"), json!(0))
    );
    assert!(created.get("end_time").is_none(), "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let requested_at = created["start_time"].clone();
    assert!(requested_at.is_string());
    assert_eq!(control.state().faults.next_job_wait, None);

    let d = details_both(&h, &id).await;
    assert_eq!(d["status"], "PENDING");
    assert_eq!(present(&d), Vec::<&str>::new(), "{d}");
    assert_eq!(d["cancelable"], true);

    // A queued job holds the appliance like a running one.
    assert_eq!(control.state().running_job.as_deref(), Some(id.as_str()));
    let (status, body) = h
        .post(
            &format!("{API}/job"),
            backup_request("sftp://nas.example.com/w/2"),
        )
        .await;
    assert_eq!((status, api_error_type(&body)), (400, "FEATURE_IN_USE"));
    let (status, body) = h
        .post(&format!("{REST}/schedules/default?action=run"), json!({}))
        .await;
    assert_eq!((status, rest_error_type(&body)), (400, "feature_in_use"));

    // Blocked: started (INPROGRESS, progress 0), only start_time in details.
    tokio::time::advance(Duration::from_secs(10)).await;
    let job = job_state(&h, &id).await;
    assert_eq!(
        (job["state"].clone(), job["progress"].clone()),
        (json!("INPROGRESS"), json!(0))
    );
    assert_ne!(
        job["start_time"], requested_at,
        "the start is when it left PENDING"
    );
    let d = details_both(&h, &id).await;
    assert_eq!(d["status"], "BLOCKED");
    assert_eq!(present(&d), vec!["start_time"], "{d}");
    assert_eq!(d["start_time"], job["start_time"]);
    assert_eq!(d["cancelable"], true);

    // Running: progress counts from the end of the wait; no end_time yet.
    tokio::time::advance(Duration::from_secs(5 + 40)).await;
    let job = job_state(&h, &id).await;
    assert_eq!(
        (job["state"].clone(), job["progress"].clone()),
        (json!("INPROGRESS"), json!(40))
    );
    let d = details_both(&h, &id).await;
    assert_eq!(d["status"], "RUNNING");
    assert_eq!(
        present(&d),
        vec!["duration", "size", "progress", "start_time"]
    );
    assert_eq!(d["progress"]["completed"], 40);
    assert_eq!(
        d["duration"], 45,
        "counted from the start, blocked time included"
    );

    // Done: every field, the duration from the start to the end.
    tokio::time::advance(Duration::from_secs(60)).await;
    let job = job_state(&h, &id).await;
    assert_eq!(job["state"], "SUCCEEDED");
    assert!(job["end_time"].is_string());
    let d = details_both(&h, &id).await;
    assert_eq!(d["status"], "SUCCEEDED");
    assert_eq!(present(&d), STATUS_FIELDS.to_vec());
    assert_eq!(d["duration"], 105);
    assert_eq!(d["cancelable"], false);

    // The wait was for one job only.
    let next = h.start_backup("sftp://nas.example.com/w/3").await;
    assert_eq!(job_state(&h, &next).await["state"], "INPROGRESS");
    assert_eq!(details_both(&h, &next).await["status"], "RUNNING");
}

#[tokio::test(start_paused = true)]
async fn a_waiting_job_can_be_cancelled() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(100))).await;
    let control = h.sim.control();

    // Cancelled while pending.
    control.delay_next_job(JobWait::new(Duration::from_secs(60), Duration::ZERO));
    let id = h.start_backup("sftp://nas.example.com/c/1").await;
    tokio::time::advance(Duration::from_secs(3)).await;
    let (status, result) = h
        .call(Method::POST, &format!("{API}/job/{id}?action=cancel"), None)
        .await;
    assert_eq!((status, result["status"].clone()), (200, json!("OK")));
    let job = job_state(&h, &id).await;
    assert_eq!(
        (job["state"].clone(), job["progress"].clone()),
        (json!("FAILED"), json!(0))
    );
    let d = details_both(&h, &id).await;
    assert_eq!(d["status"], "FAILED");
    assert_eq!(present(&d), STATUS_FIELDS.to_vec());
    assert_eq!(d["duration"], 0);
    assert_eq!(d["error"]["error_type"], "CANCELED");
    assert_eq!(control.state().running_job, None);

    // Cancelled while blocked.
    control.delay_next_job(JobWait::new(Duration::ZERO, Duration::from_secs(60)));
    let id = h.start_backup("sftp://nas.example.com/c/2").await;
    assert_eq!(details_both(&h, &id).await["status"], "BLOCKED");
    tokio::time::advance(Duration::from_secs(7)).await;
    let (status, _) = h
        .call(Method::POST, &format!("{REST}/job/{id}/cancel"), None)
        .await;
    assert_eq!(status, 200);
    let d = details_both(&h, &id).await;
    assert_eq!(d["status"], "FAILED");
    assert_eq!(
        (d["duration"].clone(), d["progress"]["completed"].clone()),
        (json!(7), json!(0))
    );
}

#[tokio::test(start_paused = true)]
async fn the_admin_endpoint_delays_the_next_job() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(10))).await;
    let admin = |body: Value| {
        h.http
            .post(h.url(&format!("{ADMIN_PREFIX}/faults/job-wait")))
            .json(&body)
    };
    let (status, state) = send(admin(json!({"pending_ms": 2000, "blocked_ms": 1000}))).await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(
        state["faults"]["next_job_wait"],
        json!({"pending_ms": 2000, "blocked_ms": 1000})
    );

    // A scheduled job waits too; /rest wraps the answer.
    let (status, body) = h
        .post(&format!("{REST}/schedules/default?action=run"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["value"]["state"], "NONE");
    let id = body["value"]["id"].as_str().unwrap().to_string();
    assert_eq!(details_both(&h, &id).await["status"], "PENDING");
    tokio::time::advance(Duration::from_secs(2)).await;
    assert_eq!(details_both(&h, &id).await["status"], "BLOCKED");
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(details_both(&h, &id).await["status"], "RUNNING");

    // Either wait may be left out; bad bodies are refused with a reason.
    let (status, state) = send(admin(json!({"blocked_ms": 500}))).await;
    assert_eq!(status, 200);
    assert_eq!(state["faults"]["next_job_wait"]["pending_ms"], 0);
    for bad in [json!({"pending_ms": "soon"}), json!({"pending_s": 3})] {
        let (status, body) = send(admin(bad.clone())).await;
        assert_eq!(status, 400, "{bad}");
        assert!(
            body["error"].as_str().unwrap().contains("invalid"),
            "{body}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn every_job_can_wait_by_setting() {
    let h = start(
        Simulator::builder()
            .job_duration(Duration::from_secs(10))
            .job_wait(JobWait::new(Duration::from_secs(3), Duration::ZERO)),
    )
    .await;
    let control = h.sim.control();
    for folder in 1..=2 {
        let id = h
            .start_backup(&format!("sftp://nas.example.com/s/{folder}"))
            .await;
        assert_eq!(details_both(&h, &id).await["status"], "PENDING");
        tokio::time::advance(Duration::from_secs(3)).await;
        assert_eq!(details_both(&h, &id).await["status"], "RUNNING");
        tokio::time::advance(Duration::from_secs(10)).await;
    }

    // The setting is not a fault: clearing faults keeps it. The admin endpoint changes it.
    control.clear_faults();
    assert_eq!(
        control.job_wait(),
        JobWait::new(Duration::from_secs(3), Duration::ZERO)
    );
    let (status, state) = send(
        h.http
            .post(h.url(&format!("{ADMIN_PREFIX}/settings")))
            .json(&json!({"job_blocked_ms": 4000})),
    )
    .await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(
        state["job_wait"],
        json!({"pending_ms": 3000, "blocked_ms": 4000})
    );
    let id = h.start_backup("sftp://nas.example.com/s/3").await;
    tokio::time::advance(Duration::from_secs(3)).await;
    assert_eq!(details_both(&h, &id).await["status"], "BLOCKED");
    tokio::time::advance(Duration::from_secs(4)).await;
    assert_eq!(details_both(&h, &id).await["status"], "RUNNING");
    tokio::time::advance(Duration::from_secs(10)).await;

    // The next-job wait overrides the setting for one job.
    control.delay_next_job(JobWait::default());
    let id = h.start_backup("sftp://nas.example.com/s/4").await;
    assert_eq!(details_both(&h, &id).await["status"], "RUNNING");
}

#[tokio::test(start_paused = true)]
async fn pending_and_blocked_details_decode_through_the_generated_client() {
    let sim = Simulator::builder()
        .tls(false)
        .job_duration(Duration::from_secs(30))
        .start()
        .await
        .unwrap();
    let auth = Auth::with_credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD));
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let c = Client::new_with_client(sim.url(), http, auth.clone());
    auth.set_session(c.create_session().await.unwrap().into_inner().into_secret());

    sim.control()
        .delay_next_job(JobWait::new(Duration::from_secs(4), Duration::from_secs(4)));
    let run = c
        .run_schedule("default", &Default::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(run.state, BackupRestoreProcessState::None);
    assert_eq!(run.end_time, None);

    let ids = vec![run.id.clone()];
    let pending = c.list_job_details(Some(&ids)).await.unwrap().into_inner();
    let d = &pending[&run.id];
    assert_eq!(d.status, DetailsStatus::Pending);
    assert_eq!(
        (
            d.duration,
            d.size,
            d.progress.is_none(),
            d.start_time,
            d.end_time
        ),
        (None, None, true, None, None)
    );

    tokio::time::advance(Duration::from_secs(4)).await;
    let blocked = c.rest_get_job(&run.id).await.unwrap().into_inner().value;
    assert_eq!(blocked.state, BackupRestoreProcessState::Inprogress);
    let details = c.list_job_details(Some(&ids)).await.unwrap().into_inner();
    let d = &details[&run.id];
    assert_eq!(d.status, DetailsStatus::Blocked);
    assert_eq!(d.start_time, Some(blocked.start_time));
    assert_eq!(
        (d.duration, d.size, d.progress.is_none(), d.end_time),
        (None, None, true, None)
    );
    sim.shutdown().await;
}
