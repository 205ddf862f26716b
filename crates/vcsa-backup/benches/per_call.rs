//! The SDK's own cost per call, next to the floor: a bare `reqwest` + `serde_json` call of the
//! same request, against the same loopback simulator, in the same run.
//!
//! `cargo bench -p vcsa-backup --bench per_call`; the ratio of the two `job_status` times is the
//! SDK's overhead (session handling, the generated client, error mapping, domain conversion).

use std::time::Duration;

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use serde::Deserialize;
use vcsa_backup::{Client, Flavour, JobId, Secret};
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};

/// The job status as a hand-written client would decode it: the floor's typed target.
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

fn per_call(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = rt.block_on(async {
        Simulator::builder()
            .tls(false)
            .job_duration(Duration::from_secs(24 * 3600))
            .history(20)
            .start()
            .await
            .unwrap()
    });
    let url = sim.url().to_string();
    let client = Client::builder(&url)
        .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
        .flavour(Flavour::Api)
        .build()
        .unwrap();
    let id: JobId = rt.block_on(client.list_jobs()).unwrap()[0].clone();

    let bare = reqwest::Client::new();
    let token: String = rt.block_on(async {
        bare.post(format!("{url}/api/session"))
            .basic_auth(DEFAULT_USER, Some(DEFAULT_PASSWORD))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    let status_url = format!("{url}/api/appliance/recovery/backup/job/{id}");

    let mut group = c.benchmark_group("job_status");
    group.bench_function("bare reqwest + serde_json", |b| {
        b.to_async(&rt).iter(|| async {
            let response = bare
                .get(&status_url)
                .header("vmware-api-session-id", &token)
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success());
            let bytes = response.bytes().await.unwrap();
            serde_json::from_slice::<BareStatus>(&bytes).unwrap()
        })
    });
    group.bench_function("vcsa-backup Client", |b| {
        b.to_async(&rt)
            .iter(|| async { client.job_status(&id).await.unwrap() })
    });
    group.finish();

    let mut group = c.benchmark_group("job_details_all_20");
    let details_url = format!("{url}/api/appliance/recovery/backup/job/details");
    group.bench_function("bare reqwest + serde_json", |b| {
        b.to_async(&rt).iter(|| async {
            let response = bare
                .get(&details_url)
                .header("vmware-api-session-id", &token)
                .send()
                .await
                .unwrap();
            serde_json::from_slice::<serde_json::Value>(&response.bytes().await.unwrap()).unwrap()
        })
    });
    group.bench_function("vcsa-backup Client", |b| {
        b.to_async(&rt)
            .iter(|| async { client.job_details(None).await.unwrap() })
    });
    group.finish();
    drop(sim);
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(4)).warm_up_time(Duration::from_secs(1));
    targets = per_call
}
criterion_main!(benches);
