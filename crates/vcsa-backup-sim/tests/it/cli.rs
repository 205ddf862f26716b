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
        "--system-name",
        "--time-zone",
        "--ca-cert-out",
        "--appliances",
        "--inventory-out",
        "--appliance-version",
        "--awaiting-restore",
        "--import-catalog",
        "--restore-duration",
        "--restore-no-answer",
        "--restore-sessions-refused",
        "--restore-unavailable",
        "--reconcile-duration",
        "--max-schedules",
        "--history-missed",
        "--history-newest",
        "--black-hole",
        "--refuse-connections",
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
        .args(["--max-schedules", "3"])
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

    // Beyond the cap (one schedule unless raised), the simulator does not start.
    let out = Command::new(BIN)
        .args(["--http", "--schedule", "weekly"])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("2 schedules")
            && stderr.contains("at most 1")
            && stderr.contains("--max-schedules"),
        "{stderr}"
    );
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

#[tokio::test]
async fn serves_many_appliances_and_writes_their_inventory() {
    let dir = std::env::temp_dir().join(format!("vcsa-sim-fleet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let inventory = dir.join("fleet.toml");
    let mut child = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--http",
            "--appliances",
            "3",
            "--history",
            "2",
        ])
        .arg("--inventory-out")
        .arg(&inventory)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let http = reqwest::Client::new();
    let mut urls = Vec::new();
    for expected in ["vcsa-001", "vcsa-002", "vcsa-003"] {
        let line = lines.next_line().await.unwrap().unwrap();
        let (name, url) = line.split_once(' ').unwrap();
        assert_eq!(name, expected);
        let token: String = http
            .post(format!("{url}/api/session"))
            .basic_auth(
                vcsa_backup_sim::DEFAULT_USER,
                Some(vcsa_backup_sim::DEFAULT_PASSWORD),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let jobs: Vec<String> = http
            .get(format!("{url}/api/appliance/recovery/backup/job"))
            .header("vmware-api-session-id", token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(jobs.len(), 2, "{name}");
        urls.push(url.to_string());
    }
    assert_eq!(
        urls.iter().collect::<std::collections::HashSet<_>>().len(),
        3
    );
    let written = std::fs::read_to_string(&inventory).unwrap();
    for url in &urls {
        assert!(
            written.contains(&format!("server = \"{url}\"")),
            "{written}"
        );
    }
    assert!(written.contains("password_env = \"VCSA_SIM_PASSWORD\""));
    child.kill().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn many_appliances_need_port_zero() {
    let out = Command::new(BIN)
        .args(["--listen", "127.0.0.1:9", "--http", "--appliances", "2"])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("--appliances needs port 0"), "{stderr}");
}

#[tokio::test]
async fn awaits_a_restore_knowing_another_simulators_catalog() {
    let a = vcsa_backup_sim::Simulator::builder()
        .job_duration(std::time::Duration::ZERO)
        .start()
        .await
        .unwrap();
    a.control()
        .seed_archive(vcsa_backup_sim::ArchiveSeed {
            location: "sftp://nas.example.com/vcsa".into(),
            system_name: "vcsa-a.example.com".into(),
            timestamp: "2026-05-18T02:00:00Z".parse().unwrap(),
            ..Default::default()
        })
        .unwrap();
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--http", "--awaiting-restore"])
        .args(["--import-catalog", a.url()])
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
    assert_eq!(state["archives"], 1);
    assert_eq!(state["recovery"]["awaiting_restore"], true);
    let login = reqwest::Client::new()
        .post(format!("{url}/api/session"))
        .basic_auth("root", Some(vcsa_backup_sim::DEFAULT_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 201, "root logs in");
    child.kill().await.unwrap();

    let out = Command::new(BIN)
        .args([
            "--http",
            "--awaiting-restore",
            "--import-catalog",
            "/nonexistent/catalog.json",
        ])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot read the catalog file /nonexistent/catalog.json"),
        "{stderr}"
    );
}
