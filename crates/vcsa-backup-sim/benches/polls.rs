//! Benchmarks of the simulator, run with `cargo bench -p vcsa-backup-sim --bench polls`.
//!
//! 1. Memory: heap bytes the simulator holds for 10,000 jobs in its history (counted by a
//!    global allocator wrapper, so the figure is exact and independent of the allocator's caching).
//! 2. Status polls per second served on loopback: the simulator runs on its own tokio runtime
//!    (2 worker threads); a separate load generator runtime keeps `CONNECTIONS` keep-alive
//!    connections busy polling one job's status, in each flavour, for `BENCH_SECS` seconds.
//!
//! Loopback only (127.0.0.1, port 0).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, SESSION_HEADER, Simulator};

/// Counts live heap bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const HISTORY: usize = 10_000;
const CONNECTIONS: usize = 16;

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument of `cargo test --benches` is ignored too.
    let secs: u64 = std::env::var("BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);

    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("sim")
        .enable_all()
        .build()
        .expect("server runtime");
    let sim = server_rt
        .block_on(
            Simulator::builder()
                .tls(false)
                .job_duration(Duration::from_secs(3600))
                .start(),
        )
        .expect("simulator starts");
    let control = sim.control();

    // ---- memory with 10,000 jobs in the history
    let before = LIVE.load(Ordering::Relaxed);
    let rss_before = rss_kib();
    control.seed_history(HISTORY);
    let after = LIVE.load(Ordering::Relaxed);
    let per_job = (after - before) as f64 / HISTORY as f64;
    println!(
        "memory: {HISTORY} jobs in history hold {:.2} MiB of heap ({per_job:.0} bytes per job); RSS {} -> {} KiB",
        (after - before) as f64 / (1024.0 * 1024.0),
        rss_before.unwrap_or(0),
        rss_kib().unwrap_or(0),
    );

    // ---- status polls per second, from a separate load generator runtime
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("load")
        .enable_all()
        .build()
        .expect("client runtime");
    let url = sim.url().to_string();
    client_rt.block_on(async move {
        let http = reqwest::Client::builder().pool_max_idle_per_host(CONNECTIONS).build().expect("client");
        let token: String = http
            .post(format!("{url}/api/session"))
            .basic_auth(DEFAULT_USER, Some(DEFAULT_PASSWORD))
            .send()
            .await
            .expect("log in")
            .json()
            .await
            .expect("token");
        let job: serde_json::Value = http
            .post(format!("{url}/api/appliance/recovery/backup/job"))
            .header(SESSION_HEADER, &token)
            .json(&serde_json::json!({
                "parts": ["seat"], "location_type": "SFTP", "location": "sftp://bench.example.com/b"
            }))
            .send()
            .await
            .expect("start a job")
            .json()
            .await
            .expect("job status");
        let id = job["id"].as_str().expect("job id").to_string();

        for flavour in ["api", "rest"] {
            let path = format!("{url}/{flavour}/appliance/recovery/backup/job/{id}");
            let polls = Arc::new(AtomicU64::new(0));
            let errors = Arc::new(AtomicU64::new(0));
            let stop = Arc::new(AtomicBool::new(false));
            let mut workers = Vec::new();
            for _ in 0..CONNECTIONS {
                let (http, path, token) = (http.clone(), path.clone(), token.clone());
                let (polls, errors, stop) = (polls.clone(), errors.clone(), stop.clone());
                workers.push(tokio::spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        let ok = match http.get(&path).header(SESSION_HEADER, &token).send().await {
                            Ok(r) => r.status() == 200 && r.bytes().await.is_ok(),
                            Err(_) => false,
                        };
                        let counter = if ok { &polls } else { &errors };
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                }));
            }
            // Warm up, then measure.
            tokio::time::sleep(Duration::from_millis(500)).await;
            let (start_polls, started) = (polls.load(Ordering::Relaxed), Instant::now());
            tokio::time::sleep(Duration::from_secs(secs)).await;
            let done = polls.load(Ordering::Relaxed) - start_polls;
            let elapsed = started.elapsed().as_secs_f64();
            stop.store(true, Ordering::Relaxed);
            for w in workers {
                let _ = w.await;
            }
            println!(
                "polls: /{flavour} job status, {CONNECTIONS} connections, {HISTORY} jobs in history: {:.0} polls/s over {elapsed:.1} s ({} errors)",
                done as f64 / elapsed,
                errors.load(Ordering::Relaxed),
            );
        }
    });
    server_rt.block_on(sim.shutdown());
}
