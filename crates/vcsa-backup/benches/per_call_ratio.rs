//! The SDK's cost per call relative to the floor (bare `reqwest` + `serde_json`), measured so
//! that a busy machine does not skew it.
//!
//! - `cargo bench -p vcsa-backup --bench per_call_ratio`: both variants in alternating rounds
//!   against one loopback simulator; prints the median time per call of each and their ratio.
//! - `... --bench per_call_ratio -- bare 2000` (or `sdk 2000`, or `setup 0`): one variant only,
//!   for `valgrind --tool=callgrind`; instructions per call are
//!   `(total(variant, n) - total(setup, 0)) / n`, which does not depend on machine load.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use vcsa_backup::{Client, Flavour, JobId, Secret};
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};

/// The job status as a hand-written client would decode it.
#[derive(Deserialize)]
#[allow(dead_code)]
struct BareStatus {
    id: String,
    state: String,
    progress: i64,
    messages: Vec<BareMessage>,
    start_time: DateTime<Utc>,
    end_time: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BareMessage {
    id: String,
    default_message: String,
    args: Vec<String>,
}

struct Setup {
    client: Client,
    id: JobId,
    bare: reqwest::Client,
    token: String,
    status_url: String,
}

async fn setup(url: &str) -> Setup {
    let client = Client::builder(url)
        .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
        .flavour(Flavour::Api)
        .build()
        .unwrap();
    let id = client.list_jobs().await.unwrap()[0].clone();
    let bare = reqwest::Client::new();
    let token: String = bare
        .post(format!("{url}/api/session"))
        .basic_auth(DEFAULT_USER, Some(DEFAULT_PASSWORD))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let status_url = format!("{url}/api/appliance/recovery/backup/job/{id}");
    Setup {
        client,
        id,
        bare,
        token,
        status_url,
    }
}

async fn bare_call(s: &Setup) {
    let response = s
        .bare
        .get(&s.status_url)
        .header("vmware-api-session-id", &s.token)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let bytes = response.bytes().await.unwrap();
    std::hint::black_box(serde_json::from_slice::<BareStatus>(&bytes).unwrap());
}

async fn sdk_call(s: &Setup) {
    std::hint::black_box(s.client.get_job(&s.id).await.unwrap());
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let mode = args.first().map(String::as_str).unwrap_or("interleaved");
    let n: u32 = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(200);

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let sim = Simulator::builder()
            .tls(false)
            .job_duration(Duration::from_secs(24 * 3600))
            .history(20)
            .start()
            .await
            .unwrap();
        let s = setup(sim.url()).await;
        // Warm both paths (connections, first allocations) in every mode, setup included.
        bare_call(&s).await;
        sdk_call(&s).await;
        match mode {
            "setup" => {}
            "bare" => {
                for _ in 0..n {
                    bare_call(&s).await;
                }
            }
            "sdk" => {
                for _ in 0..n {
                    sdk_call(&s).await;
                }
            }
            _ => {
                let rounds = 30;
                let (mut bare, mut sdk) = (Vec::new(), Vec::new());
                for _ in 0..rounds {
                    let t = Instant::now();
                    for _ in 0..n {
                        bare_call(&s).await;
                    }
                    bare.push(t.elapsed() / n);
                    let t = Instant::now();
                    for _ in 0..n {
                        sdk_call(&s).await;
                    }
                    sdk.push(t.elapsed() / n);
                }
                let (b, k) = (median(bare), median(sdk));
                println!(
                    "get_job per call, median of {rounds} alternating rounds of {n}: \
                     bare reqwest+serde_json {b:?}, vcsa-backup {k:?}, ratio {:.2}",
                    k.as_secs_f64() / b.as_secs_f64()
                );
            }
        }
        sim.shutdown().await;
    });
}
