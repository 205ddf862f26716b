//! The `/rest` catalog carries the backup server's password in its URL: it goes on the wire,
//! and nowhere else (no log line at any level, no error, no `Debug`).

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vcsa_backup::{ArchiveFilter, BackupLocation, Client, Error, Flavour, Secret};
use vcsa_backup_sim::{ArchiveSeed, DEFAULT_PASSWORD, DEFAULT_USER, Simulator};

use crate::support::capture::{Captured, ask_each_time, capture};

const NAS_PASSWORD: &str = "Nas-Query-Pa55word";
const ROOT: &str = "sftp://nas.example.com/backups";

fn location() -> BackupLocation {
    BackupLocation::builder()
        .location(ROOT)
        .location_credentials("backup", Secret::new(NAS_PASSWORD))
        .build()
        .unwrap()
}

/// Everything an error shows: its text, its `Debug` and every cause.
fn everything(error: &Error) -> String {
    let mut shown = format!("{error} {error:?}");
    let mut cause = std::error::Error::source(error);
    while let Some(c) = cause {
        shown.push_str(&format!(" {c} {c:?}"));
        cause = c.source();
    }
    shown
}

#[test]
fn the_password_goes_in_the_rest_query_and_into_no_log() {
    ask_each_time();
    let captured = Captured::default();
    let subscriber = captured.subscriber(tracing::Level::TRACE);
    // A thread and a runtime of its own, so that the subscriber sees every event of the calls.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || {
        tracing::callsite::rebuild_interest_cache();
        runtime.block_on(catalog_calls());
    });
    let log = captured.text();
    assert!(log.contains("logging in"), "the capture works: {log}");
    assert!(!log.contains(NAS_PASSWORD), "{log}");
    // Each catalog request is logged by its operation's name, in both flavours, never its URL.
    for flavour in ["rest", "api"] {
        for operation in ["list_system_names", "list_archives", "get_archive"] {
            let event = format!("operation=\"{operation}\" flavour=\"{flavour}\" status=200");
            assert!(log.contains(&event), "no {event}: {log}");
        }
    }
    assert!(!log.contains("system-name?"), "{log}");
}

async fn catalog_calls() {
    let sim = Simulator::builder().tls(false).start().await.unwrap();
    sim.control()
        .seed_archive(ArchiveSeed {
            location: ROOT.into(),
            system_name: "vcsa-01.example.com".into(),
            timestamp: "2026-05-01T02:30:00Z".parse().unwrap(),
            scheduled: true,
            ..ArchiveSeed::default()
        })
        .unwrap();
    for flavour in [Flavour::Rest, Flavour::Api] {
        let client = Client::builder(sim.url())
            .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
            .flavour(flavour)
            .build()
            .unwrap();
        let location = location();
        let names = client.list_system_names(&location).await.unwrap();
        let archives = client
            .list_archives(&location, &names[0], &ArchiveFilter::all())
            .await
            .unwrap();
        client
            .get_archive(&location, &names[0], &archives[0].id)
            .await
            .unwrap();
        let missing = client
            .get_archive(&location, &names[0], "S_1.0_20000101-000000_")
            .await
            .unwrap_err();
        assert!(!everything(&missing).contains(NAS_PASSWORD), "{missing:?}");
        assert!(!format!("{client:?} {location:?}").contains(NAS_PASSWORD));
    }
}

/// A server that logs in on `/rest`, then reads the next request and hangs up without
/// answering: the transport error that follows is the one that would name the URL.
async fn hang_up_after_login() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let record = record.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                loop {
                    let Ok(n) = socket.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                    let line = head.lines().next().unwrap_or_default().to_string();
                    record.lock().unwrap().push(line.clone());
                    if !line.starts_with("POST /rest/com/vmware/cis/session") {
                        return; // hang up without an answer
                    }
                    let body = r#"{"value":"token-1"}"#;
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, seen)
}

#[tokio::test]
async fn a_broken_connection_does_not_quote_the_url() {
    let (captured, _guard) = capture(tracing::Level::TRACE);
    let (url, seen) = hang_up_after_login().await;
    let client = Client::builder(url)
        .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
        .flavour(Flavour::Rest)
        .build()
        .unwrap();
    let error = client.list_system_names(&location()).await.unwrap_err();
    assert!(matches!(error, Error::Transient { .. }), "{error:?}");
    assert!(!everything(&error).contains(NAS_PASSWORD), "{error:?}");
    let log = captured.text();
    assert!(log.contains("logging in"), "the capture works: {log}");
    assert!(
        log.contains(r#"operation="list_system_names" flavour="rest" failure="#),
        "the failed request is logged by name: {log}"
    );
    assert!(!log.contains(NAS_PASSWORD), "{log}");
    // It did go on the wire, in the query string, as `/rest` requires.
    let lines = seen.lock().unwrap().clone();
    assert!(
        lines.iter().any(
            |l| l.starts_with("GET /rest/appliance/recovery/backup/system-name?")
                && l.contains(NAS_PASSWORD)
        ),
        "{lines:?}"
    );
}
