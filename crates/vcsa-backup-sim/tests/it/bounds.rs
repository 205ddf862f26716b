//! What keeps the simulator from being exhausted: a bounded history answered a page at a
//! time, a time-out for clients that send half a request, a limit on connections, and bodies
//! that must be JSON.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;
use vcsa_backup_sim::{MAX_HISTORY, Simulator, StartError};

use crate::support::{API, REST, api_error_type, backup_request, rest_error_type, send, start};

/// A connection that sends the start of a request's headers and never the end.
async fn half_sent(addr: std::net::SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /api/appliance/recovery/backup/parts HTTP/1.1\r\nHost: sim\r\n")
        .await
        .unwrap();
    stream
}

/// Whether the simulator closed the connection (end of file or reset) within a minute.
async fn closed(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 64];
    let read = tokio::time::timeout(Duration::from_secs(60), stream.read(&mut buf)).await;
    matches!(read, Ok(Ok(0) | Err(_)))
}

#[tokio::test(start_paused = true)]
async fn the_history_keeps_at_most_max_history_jobs_in_total() {
    let refused = Simulator::builder()
        .tls(false)
        .history(MAX_HISTORY + 1)
        .start()
        .await;
    assert!(
        matches!(&refused, Err(StartError::History(m)) if m.contains("at most")),
        "{refused:?}"
    );

    let h = start(Simulator::builder().history(3)).await;
    let control = h.sim.control();
    let err = control.seed_history(MAX_HISTORY - 2).unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("Ask for at most {}", MAX_HISTORY - 3)),
        "{err}"
    );
    let (status, body) = send(
        h.http
            .post(h.url("/__sim/history"))
            .json(&json!({"count": MAX_HISTORY - 2})),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(control.state().jobs, 3, "nothing was added");

    control.seed_history(MAX_HISTORY - 3).unwrap();
    assert_eq!(control.state().jobs, MAX_HISTORY);
    let (status, _) = send(
        h.http
            .post(h.url("/__sim/history"))
            .json(&json!({"count": 1})),
    )
    .await;
    assert_eq!(status, 400, "a full history takes no more");
}

#[tokio::test(start_paused = true)]
async fn every_jobs_details_are_answered_page_by_page_newest_first() {
    // More jobs than three pages, and a live one.
    let h = start(Simulator::builder().history(700)).await;
    let live = h.start_backup("sftp://nas.example.com/b/live").await;
    let ids = h.sim.control().job_ids();
    assert_eq!(ids.len(), 701);
    assert_eq!(ids[0], live);

    let (status, rest) = h.get(&format!("{REST}/job/details")).await;
    assert_eq!(status, 200);
    let keys: Vec<&str> = rest["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ids, "/rest: every job once, newest first");
    assert_eq!(rest["value"][0]["value"]["status"], "RUNNING");

    let (status, api) = h.get(&format!("{API}/job/details")).await;
    assert_eq!(status, 200);
    let api = api.as_object().unwrap();
    assert_eq!(api.len(), 701);
    assert!(ids.iter().all(|id| api.contains_key(id)));
    assert_eq!(api[&ids[700]]["status"], "SUCCEEDED");

    let (_, rest_ids) = h.get(&format!("{REST}/job")).await;
    assert_eq!(rest_ids["value"], json!(ids));
}

#[tokio::test(start_paused = true)]
async fn an_empty_history_answers_empty_lists() {
    let h = start(Simulator::builder()).await;
    assert_eq!(h.get(&format!("{API}/job/details")).await, (200, json!({})));
    assert_eq!(
        h.get(&format!("{REST}/job/details")).await,
        (200, json!({"value": []}))
    );
    assert_eq!(h.get(&format!("{API}/job")).await, (200, json!([])));
}

#[tokio::test(start_paused = true)]
async fn a_half_sent_request_is_closed_after_the_header_read_timeout() {
    let h = start(Simulator::builder().header_read_timeout(Duration::from_secs(10))).await;
    let mut stream = half_sent(h.sim.addr()).await;
    let mut buf = [0u8; 64];
    let early = tokio::time::timeout(Duration::from_secs(9), stream.read(&mut buf)).await;
    assert!(early.is_err(), "still open before the time-out: {early:?}");
    let started = Instant::now();
    assert!(closed(&mut stream).await);
    assert!(started.elapsed() <= Duration::from_secs(1));
    let (status, _) = h.get(&format!("{API}/parts")).await;
    assert_eq!(status, 200, "the simulator still serves");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_simulator_answers_while_many_half_sent_requests_are_held() {
    let h = start(Simulator::builder()).await;
    let mut held = Vec::new();
    for _ in 0..100 {
        held.push(half_sent(h.sim.addr()).await);
    }
    let (status, parts) = h.get(&format!("{API}/parts")).await;
    assert_eq!(status, 200, "{parts}");
    for stream in &held {
        let mut buf = [0u8; 8];
        assert!(
            matches!(stream.try_read(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "the half-sent connections are still held (the time-out is 30 s)"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn connections_beyond_the_limit_wait_for_a_slow_one_to_be_closed() {
    let h = start(
        Simulator::builder()
            .max_connections(3)
            .header_read_timeout(Duration::from_secs(10)),
    )
    .await;
    let control = h.sim.control();
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(half_sent(h.sim.addr()).await);
    }
    while control.state().connections < 3 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let started = Instant::now();
    let (status, _) = h.get(&format!("{API}/parts")).await;
    assert_eq!(status, 200);
    assert!(
        started.elapsed() >= Duration::from_secs(9),
        "served only once the half-sent connections were closed: {:?}",
        started.elapsed()
    );
    for stream in &mut held {
        assert!(closed(stream).await);
    }
    assert!(control.state().connections <= 3);
}

#[tokio::test(start_paused = true)]
async fn a_body_that_is_not_json_is_refused_with_415_in_the_flavours_shape() {
    let h = start(Simulator::builder()).await;
    let body = backup_request("sftp://nas.example.com/b/plain").to_string();
    for (path, error_type) in [
        (format!("{API}/job"), api_error_type as fn(&Value) -> &str),
        (format!("{REST}/job"), rest_error_type),
    ] {
        let (status, err) = send(
            h.req(Method::POST, &path)
                .header("content-type", "text/plain")
                .body(body.clone()),
        )
        .await;
        assert_eq!(status, 415, "{path}: {err}");
        assert_eq!(
            error_type(&err).to_ascii_lowercase(),
            "invalid_argument",
            "{err}"
        );
    }
    assert_eq!(h.sim.control().state().jobs, 0, "nothing was started");

    let (status, err) = send(
        h.req(Method::POST, &format!("{API}/job"))
            .header("content-type", "application/json; charset=utf-8")
            .body(body),
    )
    .await;
    assert_eq!(status, 201, "JSON with a charset is JSON: {err}");
}
