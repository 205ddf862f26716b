//! The binary: `--help` documents every option; it prints its URL and thumbprint and serves.

use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_vcsa-backup-sim");

#[tokio::test]
async fn help_documents_every_option() {
    let out = Command::new(BIN).arg("--help").output().await.unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for option in [
        "--listen",
        "--user",
        "--password",
        "--http",
        "--job-duration",
        "--job-pending",
        "--job-blocked",
        "--session-timeout",
        "--build",
        "--history",
        "--schedule",
        "--ca-cert-out",
        "--help",
        "--version",
    ] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
    assert!(
        !help.contains("VMware1!"),
        "the default password is not shown:\n{help}"
    );
}

/// Starts the binary, reads what it prints, logs in over the printed URL, then stops it.
async fn run_and_log_in(args: &[&str]) -> (String, Option<String>) {
    let mut child = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--user",
            "u@example.com",
            "--password",
            "Pa55word!",
        ])
        .args(args)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines.next_line().await.unwrap().unwrap();
    let second = if url.starts_with("https") {
        lines.next_line().await.unwrap()
    } else {
        None
    };

    let http = reqwest::Client::builder()
        .tls_danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let resp = http
        .post(format!("{url}/rest/com/vmware/cis/session"))
        .basic_auth("u@example.com", Some("Pa55word!"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    child.kill().await.unwrap();
    (url, second)
}

#[tokio::test]
async fn prints_the_url_and_serves_plain_http() {
    let (url, second) = run_and_log_in(&["--http", "--job-duration", "2s"]).await;
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(second, None);
}

#[tokio::test]
async fn serves_the_schedules_it_is_given() {
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--http"])
        .args(["--schedule", "weekly", "--schedule", "monthly"])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines.next_line().await.unwrap().unwrap();
    let state: serde_json::Value = reqwest::get(format!("{url}/__sim/state"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        state["schedules"],
        serde_json::json!(["default", "monthly", "weekly"])
    );
    child.kill().await.unwrap();

    let out = Command::new(BIN)
        .args(["--http", "--schedule", "a b"])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("\"a b\""), "{stderr}");
}

#[tokio::test]
async fn prints_the_thumbprint_for_https() {
    let (url, second) = run_and_log_in(&["--history", "3"]).await;
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let line = second.unwrap();
    let thumbprint = line.strip_prefix("SHA-256 thumbprint: ").unwrap();
    assert_eq!(thumbprint.split(':').count(), 32);
}

#[tokio::test]
async fn bad_options_are_refused() {
    let out = Command::new(BIN)
        .args(["--job-duration", "soon"])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--job-duration"));
}
