//! Outages of a whole appliance: a black hole accepts connections and never answers; a refused
//! appliance closes its port. Set at start, per appliance of a fleet, or at run time.

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::process::Stdio;
use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::Command;
use vcsa_backup_sim::{Outage, Simulator};

use crate::support::*;

const GET_PARTS: &[u8] =
    b"GET /api/appliance/recovery/backup/parts HTTP/1.1\r\nhost: localhost\r\n\r\n";

/// What the server sends on `stream` within `wait` of simulated time: `None` when nothing
/// comes, an empty answer when it closes the connection.
async fn answer(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut buf = vec![0; 4096];
    let read = tokio::time::timeout(wait, stream.read(&mut buf))
        .await
        .ok()?;
    let n = read.unwrap_or(0);
    Some(String::from_utf8_lossy(&buf[..n]).into_owned())
}

/// Connects until the accept loop has taken in the change: `refused` says which outcome to wait for.
async fn connect_until(addr: SocketAddr, refused: bool) -> Option<TcpStream> {
    for _ in 0..100 {
        match TcpStream::connect(addr).await {
            Ok(stream) if !refused => return Some(stream),
            Err(e) if refused && e.kind() == ErrorKind::ConnectionRefused => return None,
            _ => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
    panic!(
        "the simulator at {addr} never became {}",
        if refused { "refused" } else { "reachable" }
    );
}

#[tokio::test(start_paused = true)]
async fn a_black_hole_accepts_connections_and_never_answers() {
    let h = start_without_login(Simulator::builder().outage(Outage::BlackHole)).await;
    let control = h.sim.control();
    assert_eq!(control.state().outage, Some(Outage::BlackHole));
    let mut hung = TcpStream::connect(h.sim.addr()).await.unwrap();
    hung.write_all(GET_PARTS).await.unwrap();
    assert_eq!(answer(&mut hung, Duration::from_secs(600)).await, None);

    // Back in service: the held connection closes, new ones are answered.
    control.set_outage(None);
    assert_eq!(
        answer(&mut hung, Duration::from_secs(600)).await.as_deref(),
        Some("")
    );
    let mut fresh = TcpStream::connect(h.sim.addr()).await.unwrap();
    fresh.write_all(GET_PARTS).await.unwrap();
    let first = answer(&mut fresh, Duration::from_secs(60)).await.unwrap();
    assert!(first.starts_with("HTTP/1.1 401"), "{first}");

    // At run time, a connection opened before gets no answer either, until the outage ends.
    control.set_outage(Some(Outage::BlackHole));
    fresh.write_all(GET_PARTS).await.unwrap();
    assert_eq!(answer(&mut fresh, Duration::from_secs(600)).await, None);
    control.set_outage(None);
    assert_eq!(
        answer(&mut fresh, Duration::from_secs(600))
            .await
            .as_deref(),
        Some("")
    );
}

#[tokio::test(start_paused = true)]
async fn a_refused_appliance_closes_its_port_and_opens_it_again() {
    let h = start_without_login(Simulator::builder().outage(Outage::Refused)).await;
    let addr = h.sim.addr();
    connect_until(addr, true).await;
    let control = h.sim.control();
    control.set_outage(None);
    let mut back = connect_until(addr, false).await.unwrap();
    back.write_all(GET_PARTS).await.unwrap();
    let first = answer(&mut back, Duration::from_secs(60)).await.unwrap();
    assert!(first.starts_with("HTTP/1.1 401"), "{first}");

    // At run time: new connections are refused, and one opened before closes at its next
    // request without an answer.
    control.set_outage(Some(Outage::Refused));
    connect_until(addr, true).await;
    back.write_all(GET_PARTS).await.unwrap();
    assert_eq!(
        answer(&mut back, Duration::from_secs(60)).await.as_deref(),
        Some("")
    );
    control.set_outage(None);
    connect_until(addr, false).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn the_admin_endpoint_sets_an_outage() {
    let h = start_without_login(Simulator::builder()).await;
    let (status, state) = send(
        h.http
            .post(h.url("/__sim/outage"))
            .json(&json!({ "outage": "refused" })),
    )
    .await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(state["outage"], "refused");
    connect_until(h.sim.addr(), true).await;
    h.sim.control().set_outage(None);
    connect_until(h.sim.addr(), false).await;
    let (status, state) = send(
        h.http
            .post(h.url("/__sim/outage"))
            .json(&json!({ "outage": "off" })),
    )
    .await;
    assert_eq!(status, 400, "{state}");
    assert_eq!(h.sim.control().state().outage, None);
}

#[tokio::test]
async fn the_binary_puts_the_first_appliances_out_of_service() {
    let bin = env!("CARGO_BIN_EXE_vcsa-backup-sim");
    let mut child = Command::new(bin)
        .args(["--listen", "127.0.0.1:0", "--http", "--appliances", "3"])
        .args(["--black-hole", "1", "--refuse-connections", "1"])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut urls = Vec::new();
    for _ in 0..3 {
        let line = lines.next_line().await.unwrap().unwrap();
        urls.push(line.split(' ').nth(1).unwrap().to_string());
    }
    let state = |url: &str| {
        let url = format!("{url}/__sim/state");
        async move { reqwest::get(url).await }
    };
    let refused = state(&urls[1]).await.unwrap_err();
    assert!(refused.is_connect(), "{refused}");
    let answered: serde_json::Value = state(&urls[2]).await.unwrap().json().await.unwrap();
    assert_eq!(answered["outage"], serde_json::Value::Null);
    let hung = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap()
        .get(format!("{}/__sim/state", urls[0]))
        .send()
        .await
        .unwrap_err();
    assert!(hung.is_timeout(), "{hung}");
    child.kill().await.unwrap();

    let out = Command::new(bin)
        .args(["--http", "--black-hole", "2"])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--appliances is 1"), "{stderr}");
}
