//! Fault injection from the library and from the admin endpoint.

use crate::support;

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use support::*;
use vcsa_backup_sim::{ADMIN_PREFIX, EnumField, JobFailure, ProgressCurve, Simulator};

#[tokio::test(start_paused = true)]
async fn next_calls_fail_with_503_in_the_flavour_shape() {
    let h = start(Simulator::builder()).await;
    h.sim.control().fail_next(2);
    let (status, body) = h.get(&format!("{API}/job")).await;
    assert_eq!(
        (status, api_error_type(&body)),
        (503, "SERVICE_UNAVAILABLE")
    );
    let (status, body) = h.get(&format!("{REST}/job")).await;
    assert_eq!(
        (status, rest_error_type(&body)),
        (503, "service_unavailable")
    );
    assert_eq!(h.get(&format!("{API}/job")).await.0, 200);
    assert_eq!(h.sim.control().state().faults.fail_next, 0);

    // Log in counts too.
    h.sim.control().fail_next(1);
    let login = h
        .http
        .post(h.url("/api/session"))
        .basic_auth("administrator@vsphere.local", Some("VMware1!"));
    assert_eq!(send(login).await.0, 503);
}

#[tokio::test(start_paused = true)]
async fn responses_can_be_slowed() {
    let h = start(Simulator::builder()).await;
    h.sim.control().set_response_delay(Duration::from_secs(7));
    let before = tokio::time::Instant::now();
    assert_eq!(h.get(&format!("{API}/parts")).await.0, 200);
    // On the paused clock the delay is simulated time, exact and instant.
    assert!(before.elapsed() >= Duration::from_secs(7));
    h.sim.control().clear_faults();
    let before = tokio::time::Instant::now();
    assert_eq!(h.get(&format!("{API}/parts")).await.0, 200);
    assert!(before.elapsed() < Duration::from_secs(7));
}

#[tokio::test(start_paused = true)]
async fn a_job_fails_at_the_chosen_percentage() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(100))).await;
    h.sim.control().fail_next_job(JobFailure {
        at_percent: 40,
        messages: vec![
            "Disk full on nas.example.com.".into(),
            "No space left.".into(),
        ],
    });
    let id = h.start_backup("sftp://nas.example.com/b/1").await;

    tokio::time::advance(Duration::from_secs(39)).await;
    let (_, job) = h.get(&format!("{API}/job/{id}")).await;
    assert_eq!(
        (job["state"].clone(), job["progress"].clone()),
        (json!("INPROGRESS"), json!(39))
    );

    tokio::time::advance(Duration::from_secs(30)).await;
    let (_, job) = h.get(&format!("{API}/job/{id}")).await;
    assert_eq!(
        (job["state"].clone(), job["progress"].clone()),
        (json!("FAILED"), json!(40))
    );
    let texts: Vec<&str> = job["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["default_message"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        vec!["Disk full on nas.example.com.", "No space left."]
    );

    let (_, details) = h.get(&format!("{API}/job/details?jobs={id}")).await;
    let d = &details[&id];
    assert_eq!(d["status"], "FAILED");
    assert_eq!(d["duration"], 40);
    assert_eq!(d["progress"]["completed"], 40);
    assert!(d["end_time"].is_string());
    assert_eq!(
        d["error"]["messages"][0]["default_message"],
        "Disk full on nas.example.com."
    );

    // The failure was for one job only.
    let next = h.start_backup("sftp://nas.example.com/b/2").await;
    tokio::time::advance(Duration::from_secs(100)).await;
    assert_eq!(
        h.get(&format!("{API}/job/{next}")).await.1["state"],
        "SUCCEEDED"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unreachable_server_fails_the_job_at_once() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(100))).await;
    let id = h.start_backup("sftp://nas.invalid/b").await;
    let (_, job) = h.get(&format!("{API}/job/{id}")).await;
    assert_eq!(job["state"], "FAILED");
    assert!(
        job["messages"][0]["default_message"]
            .as_str()
            .unwrap()
            .contains("nas.invalid")
    );
}

#[tokio::test(start_paused = true)]
async fn enum_values_from_the_future_appear_where_asked() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(100))).await;
    let control = h.sim.control();
    let id = h.start_backup("sftp://nas.example.com/b/1").await;
    control.inject_unknown_enum(EnumField::JobState, "PAUSED");
    control.inject_unknown_enum(EnumField::DetailsStatus, "THROTTLED");
    control.inject_unknown_enum(EnumField::DetailsType, "LOCAL_SNAPSHOT");
    control.inject_unknown_enum(EnumField::ReturnStatus, "PARTIAL");
    control.inject_unknown_enum(EnumField::ErrorType, "QUOTA_EXCEEDED");

    assert_eq!(h.get(&format!("{API}/job/{id}")).await.1["state"], "PAUSED");
    assert_eq!(
        h.get(&format!("{REST}/job/{id}")).await.1["value"]["state"],
        "PAUSED"
    );
    let (_, details) = h.get(&format!("{API}/job/details")).await;
    assert_eq!(
        (details[&id]["status"].clone(), details[&id]["type"].clone()),
        (json!("THROTTLED"), json!("LOCAL_SNAPSHOT"))
    );
    let (_, result) = h
        .post(
            &format!("{API}?action=validate"),
            backup_request("sftp://h/fresh"),
        )
        .await;
    assert_eq!(result["status"], "PARTIAL");

    // Error types change on the wire; the status code stays the real one.
    let (status, err) = h.get(&format!("{API}/job/nope")).await;
    assert_eq!((status, api_error_type(&err)), (404, "QUOTA_EXCEEDED"));
    let (status, err) = h.get(&format!("{REST}/job/nope")).await;
    assert_eq!(
        (status, err["type"].clone()),
        (404, json!("com.vmware.vapi.std.errors.quota_exceeded"))
    );

    control.clear_faults();
    assert_eq!(
        h.get(&format!("{API}/job/{id}")).await.1["state"],
        "INPROGRESS"
    );
}

async fn admin(h: &Harness, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut req = h
        .http
        .request(method, h.url(&format!("{ADMIN_PREFIX}{path}")));
    if let Some(body) = body {
        req = req.json(&body);
    }
    send(req).await
}

#[tokio::test(start_paused = true)]
async fn the_admin_endpoint_offers_the_same_controls() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(100))).await;

    let (status, state) = admin(&h, Method::GET, "/state", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        (state["jobs"].clone(), state["live_sessions"].clone()),
        (json!(0), json!(1))
    );

    let (_, state) = admin(
        &h,
        Method::POST,
        "/faults/fail-next",
        Some(json!({"count": 1})),
    )
    .await;
    assert_eq!(state["faults"]["fail_next"], 1);
    assert_eq!(h.get(&format!("{API}/parts")).await.0, 503);
    assert_eq!(h.get(&format!("{API}/parts")).await.0, 200);

    admin(
        &h,
        Method::POST,
        "/faults/delay",
        Some(json!({"millis": 3000})),
    )
    .await;
    let before = tokio::time::Instant::now();
    h.get(&format!("{API}/parts")).await;
    assert!(before.elapsed() >= Duration::from_secs(3));

    admin(
        &h,
        Method::POST,
        "/faults/job-failure",
        Some(json!({"at_percent": 10, "messages": ["boom"]})),
    )
    .await;
    admin(
        &h,
        Method::POST,
        "/faults/unknown-enum",
        Some(json!({"field": "job_state", "value": "PAUSED"})),
    )
    .await;
    let (_, state) = admin(&h, Method::GET, "/state", None).await;
    assert_eq!(state["faults"]["next_job_failure"]["at_percent"], 10);
    assert_eq!(state["faults"]["unknown_enums"]["job_state"], "PAUSED");

    let (_, state) = admin(&h, Method::DELETE, "/faults", None).await;
    assert_eq!(
        state["faults"],
        json!({
            "fail_next": 0,
            "unavailable_until": null,
            "sessions_refused_until": null,
            "delay_ms": 0,
            "next_job_failure": null,
            "next_job_wait": null,
            "next_job_progress": null,
            "unknown_enums": {}
        })
    );

    let (_, state) = admin(&h, Method::POST, "/history", Some(json!({"count": 25}))).await;
    assert_eq!(state["jobs"], 25);

    admin(
        &h,
        Method::POST,
        "/settings",
        Some(json!({"job_duration_ms": 2000})),
    )
    .await;
    let id = h.start_backup("sftp://nas.example.com/b/1").await;
    tokio::time::advance(Duration::from_secs(2)).await;
    assert_eq!(
        h.get(&format!("{API}/job/{id}")).await.1["state"],
        "SUCCEEDED"
    );

    let (_, state) = admin(&h, Method::POST, "/sessions/expire", None).await;
    assert_eq!(state["live_sessions"], 0);
    assert_eq!(h.get(&format!("{API}/parts")).await.0, 401);

    // Bad admin requests are refused with a reason, not applied.
    let (status, body) = admin(
        &h,
        Method::POST,
        "/faults/fail-next",
        Some(json!({"count": "many"})),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("invalid"));
    let (status, _) = admin(
        &h,
        Method::POST,
        "/faults/unknown-enum",
        Some(json!({"field": "colour", "value": "x"})),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = admin(
        &h,
        Method::POST,
        "/history",
        Some(json!({"count": 10_000_000})),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test(start_paused = true)]
async fn an_outage_answers_503_for_its_span_of_time_then_ends_by_itself() {
    let h = start(Simulator::builder()).await;
    let control = h.sim.control();
    control.fail_next(1);
    control.unavailable_for(Duration::from_secs(120));
    for _ in 0..5 {
        let (status, body) = h.get(&format!("{API}/parts")).await;
        assert_eq!(
            (status, api_error_type(&body)),
            (503, "SERVICE_UNAVAILABLE")
        );
    }
    // Log in fails too, as while the appliance's services restart.
    let login = h
        .http
        .post(h.url("/api/session"))
        .basic_auth("administrator@vsphere.local", Some("VMware1!"));
    assert_eq!(send(login).await.0, 503);

    tokio::time::advance(Duration::from_secs(119)).await;
    assert_eq!(h.get(&format!("{REST}/parts")).await.0, 503);
    assert_eq!(
        control.state().faults.fail_next,
        1,
        "not used up by the outage"
    );
    tokio::time::advance(Duration::from_secs(1)).await;
    // The counted failure comes after the outage, then the appliance answers again.
    assert_eq!(h.get(&format!("{API}/parts")).await.0, 503);
    assert_eq!(h.get(&format!("{API}/parts")).await.0, 200);
}

#[tokio::test(start_paused = true)]
async fn sessions_opened_during_a_refusal_span_end_right_after_log_in() {
    let h = start(Simulator::builder()).await;
    let control = h.sim.control();
    let logins = control.state().logins;
    control.refuse_sessions_for(Duration::from_secs(60));
    // The session held before the span ended at its start.
    assert_eq!(h.get(&format!("{API}/parts")).await.0, 401);

    for _ in 0..3 {
        let token = login_api(&h.http, h.sim.url()).await; // log in succeeds...
        let refused = h
            .http
            .get(h.url(&format!("{API}/parts")))
            .header(vcsa_backup_sim::SESSION_HEADER, &token);
        let (status, body) = send(refused).await; // ...but the session is gone at once
        assert_eq!((status, api_error_type(&body)), (401, "UNAUTHENTICATED"));
        tokio::time::advance(Duration::from_secs(10)).await;
    }
    assert_eq!(control.state().logins, logins + 3);
    assert_eq!(control.state().live_sessions, 0);

    tokio::time::advance(Duration::from_secs(30)).await;
    let token = login_api(&h.http, h.sim.url()).await;
    let accepted = h
        .http
        .get(h.url(&format!("{API}/parts")))
        .header(vcsa_backup_sim::SESSION_HEADER, &token);
    assert_eq!(send(accepted).await.0, 200);
}

#[tokio::test(start_paused = true)]
async fn a_job_follows_the_progress_curve_it_was_given() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(100))).await;
    let s = Duration::from_secs;
    // Steady to 40%, stalls, jumps to 80%, goes back to 60%, and ends there, early.
    h.sim.control().shape_next_job(
        ProgressCurve::new()
            .then(s(40), 40)
            .hold(s(60))
            .then(Duration::ZERO, 80)
            .then(s(20), 60),
    );
    let id = h.start_backup("sftp://nas.example.com/b/curve").await;
    assert_eq!(
        h.sim.control().state().faults.next_job_progress,
        None,
        "used up"
    );
    let progress = |body: &Value| {
        (
            body["state"].as_str().unwrap_or_default().to_string(),
            body["progress"].as_i64().unwrap_or(-1),
        )
    };
    let mut at = 0;
    let mut readings = Vec::new();
    for next in [20u64, 40, 60, 99, 100, 110, 119, 120] {
        tokio::time::advance(s(next - at)).await;
        at = next;
        let (_, body) = h.get(&format!("{API}/job/{id}")).await;
        readings.push((next, progress(&body)));
    }
    let expected: Vec<(u64, (String, i64))> = [
        (20, ("INPROGRESS", 20)),
        (40, ("INPROGRESS", 40)),
        (60, ("INPROGRESS", 40)),
        (99, ("INPROGRESS", 40)),
        (100, ("INPROGRESS", 80)),
        (110, ("INPROGRESS", 70)),
        (119, ("INPROGRESS", 61)),
        (120, ("SUCCEEDED", 100)),
    ]
    .into_iter()
    .map(|(t, (state, p))| (t, (state.to_string(), p)))
    .collect();
    assert_eq!(readings, expected);

    // The next job runs steadily again, over the configured duration.
    let id = h.start_backup("sftp://nas.example.com/b/steady").await;
    tokio::time::advance(s(50)).await;
    assert_eq!(h.get(&format!("{API}/job/{id}")).await.1["progress"], 50);
}

#[tokio::test(start_paused = true)]
async fn the_admin_endpoint_sets_outages_session_refusals_and_progress_curves() {
    let h = start(Simulator::builder()).await;

    let (status, state) = admin(
        &h,
        Method::POST,
        "/faults/unavailable",
        Some(json!({"millis": 30000})),
    )
    .await;
    assert_eq!(status, 200);
    assert!(state["faults"]["unavailable_until"].is_string(), "{state}");
    assert_eq!(h.get(&format!("{API}/parts")).await.0, 503);
    tokio::time::advance(Duration::from_secs(30)).await;
    assert_eq!(h.get(&format!("{API}/parts")).await.0, 200);

    let (_, state) = admin(
        &h,
        Method::POST,
        "/faults/sessions-refused",
        Some(json!({"millis": 30000})),
    )
    .await;
    assert!(
        state["faults"]["sessions_refused_until"].is_string(),
        "{state}"
    );
    assert_eq!(state["live_sessions"], 0);
    let logins = state["logins"].as_u64().unwrap();
    let token = login_api(&h.http, h.sim.url()).await;
    let refused = h
        .http
        .get(h.url(&format!("{API}/parts")))
        .header(vcsa_backup_sim::SESSION_HEADER, &token);
    assert_eq!(send(refused).await.0, 401);
    let (_, state) = admin(&h, Method::GET, "/state", None).await;
    assert_eq!(state["logins"], logins + 1);
    // Every vendor call counts, the refused one included; the admin calls do not.
    let requests = state["requests"].as_u64().unwrap();
    h.get(&format!("{API}/parts")).await;
    admin(&h, Method::GET, "/state", None).await;
    let (_, state) = admin(&h, Method::GET, "/state", None).await;
    assert_eq!(state["requests"], requests + 1);

    let curve = json!({"stretches": [{"over_ms": 10000, "to_percent": 50}, {"over_ms": 0, "to_percent": 90}]});
    let (_, state) = admin(
        &h,
        Method::POST,
        "/faults/job-progress",
        Some(curve.clone()),
    )
    .await;
    assert_eq!(state["faults"]["next_job_progress"], curve);
    let (status, body) = admin(
        &h,
        Method::POST,
        "/faults/job-progress",
        Some(json!({"stretches": [{"over_ms": -1, "to_percent": 50}]})),
    )
    .await;
    assert_eq!(status, 400, "{body}");
}
