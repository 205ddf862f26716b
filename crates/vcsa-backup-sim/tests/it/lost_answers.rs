//! Answers lost after the work is done: dropped connections, a proxy's 502, 503 and 504 pages
//! and answers that never come, per operation, from the builder, the control handle and the
//! admin endpoint.

use crate::support;

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use support::*;
use vcsa_backup_sim::{ADMIN_PREFIX, HANG, LostAnswer, LostOperation, Simulator};

/// Starts a backup and answers the status and body as text, or `None` when no answer came.
async fn start_raw(h: &Harness, path: &str, location: &str) -> Option<(u16, String)> {
    let response = h
        .req(Method::POST, path)
        .json(&backup_request(location))
        .send()
        .await
        .ok()?;
    let status = response.status().as_u16();
    Some((status, response.text().await.ok()?))
}

#[tokio::test(start_paused = true)]
async fn a_start_whose_answer_is_dropped_still_starts_the_backup() {
    let h = start(Simulator::builder()).await;
    h.sim
        .control()
        .lose_answers(LostOperation::StartBackup, LostAnswer::Dropped, 1);

    let answer = start_raw(&h, &format!("{API}/job"), "sftp://nas.example.com/b/1").await;

    assert_eq!(answer, None, "the connection closed without an answer");
    let state = h.sim.control().state();
    assert_eq!(state.jobs, 1, "the backup started");
    assert!(state.running_job.is_some());
    assert!(
        state.faults.lost_answers.is_empty(),
        "the one loss is used up"
    );
    // The next start is answered (and refused: one backup at a time).
    let (status, _) = start_raw(&h, &format!("{API}/job"), "sftp://nas.example.com/b/2")
        .await
        .expect("an answer");
    assert_eq!(status, 400);
}

#[tokio::test(start_paused = true)]
async fn a_proxy_answers_its_own_page_in_both_flavours_after_the_work() {
    let cases = [
        (LostAnswer::BadGateway, 502),
        (LostAnswer::ServiceUnavailable, 503),
        (LostAnswer::GatewayTimeout, 504),
    ];
    for (flavour, prefix) in [("api", API), ("rest", REST)] {
        for (answer, code) in cases {
            let h = start(Simulator::builder().job_duration(Duration::ZERO)).await;
            h.sim
                .control()
                .lose_answers(LostOperation::StartBackup, answer, 1);
            let body = if flavour == "rest" {
                json!({ "piece": backup_request("sftp://nas.example.com/b/1") })
            } else {
                backup_request("sftp://nas.example.com/b/1")
            };
            let response = h
                .req(Method::POST, &format!("{prefix}/job"))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), code, "{flavour}");
            assert_eq!(response.headers()["content-type"], "text/html");
            let page = response.text().await.unwrap();
            assert!(page.contains(&format!("<title>{code} ")), "{page}");
            assert_eq!(
                h.sim.control().state().jobs,
                1,
                "{flavour} {code}: it started"
            );
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_schedule_run_loses_its_answer_only_for_the_count_set_by_the_builder() {
    let h = start(
        Simulator::builder()
            .job_duration(Duration::ZERO)
            .lose_answers(LostOperation::RunSchedule, LostAnswer::BadGateway, 2),
    )
    .await;
    let run = format!("{API}/schedules/default?action=run");
    // Other operations keep their answers.
    assert_eq!(h.get(&format!("{API}/job")).await.0, 200);
    for _ in 0..2 {
        let status = h.req(Method::POST, &run).send().await.unwrap().status();
        assert_eq!(status, 502);
    }
    let (status, body) = send(h.req(Method::POST, &run)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(h.sim.control().state().jobs, 3, "every run started");
}

#[tokio::test(start_paused = true)]
async fn an_answer_that_never_comes_outlasts_the_clients_time_out() {
    let h = start(Simulator::builder()).await;
    h.sim
        .control()
        .lose_answers(LostOperation::StartBackup, LostAnswer::Hang, 1);
    let began = tokio::time::Instant::now();
    let error = h
        .req(Method::POST, &format!("{API}/job"))
        .json(&backup_request("sftp://nas.example.com/b/1"))
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(began.elapsed() < HANG);
    assert_eq!(h.sim.control().state().jobs, 1, "the backup started");
}

#[tokio::test(start_paused = true)]
async fn the_admin_endpoint_sets_lost_answers_for_any_operation_and_clearing_ends_them() {
    let h = start(Simulator::builder()).await;
    let set = |body| {
        h.http
            .post(h.url(&format!("{ADMIN_PREFIX}/faults/lost-answers")))
            .json(&body)
    };
    let (status, state) = send(set(
        json!({"operation": "any", "answer": "gateway_timeout", "count": 5}),
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(state["faults"]["lost_answers"]["any"]["count"], 5);
    let parts = h.req(Method::GET, &format!("{API}/parts")).send().await;
    assert_eq!(parts.unwrap().status(), 504);

    let (status, body) = send(set(json!({"operation": "start_backup", "answer": "lost"}))).await;
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().contains("bad_gateway"),
        "{body}"
    );

    send(h.http.delete(h.url(&format!("{ADMIN_PREFIX}/faults")))).await;
    assert_eq!(h.get(&format!("{API}/parts")).await.0, 200);
}
