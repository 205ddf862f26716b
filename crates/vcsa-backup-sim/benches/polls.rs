//! Benchmarks of the simulator, run with `cargo bench -p vcsa-backup-sim --bench polls`.
//!
//! 1. Memory: heap bytes the simulator holds for 10,000 jobs in its history (counted by a
//!    global allocator wrapper, so the figure is exact and independent of the allocator's
//!    caching), and the process's resident set size.
//! 2. Status polls per second served on loopback to a separate load generator process: this
//!    process runs the simulator (2 tokio worker threads) with the 10,000 jobs; for each flavour
//!    it starts a copy of itself in the load generator role, which keeps `BENCH_CONNECTIONS`
//!    keep-alive connections busy polling one job's status and reports what it counted.
//!
//! Bounded: each load run stops after `BENCH_SECS` seconds (default 5, at most 60) or
//! `BENCH_MAX_POLLS` polls (default 10,000,000), whichever comes first, and is killed if it
//! has not reported 30 s after that. Loopback only (127.0.0.1, port 0).

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Read;
use std::process::{Command, Stdio};
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

/// Set (to the poll URL) in the environment of the load generator process; selects its role.
const ROLE_ENV: &str = "VCSA_SIM_BENCH_LOAD_URL";
/// The session token, passed in the environment rather than on the command line.
const TOKEN_ENV: &str = "VCSA_SIM_BENCH_TOKEN";

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The bounds of one load run, read from the environment (the child inherits them).
struct Bounds {
    secs: u64,
    max_polls: u64,
    connections: usize,
}

impl Bounds {
    fn from_env() -> Self {
        Self {
            secs: env_or("BENCH_SECS", 5u64).clamp(1, 60),
            max_polls: env_or("BENCH_MAX_POLLS", 10_000_000u64).max(1),
            connections: env_or("BENCH_CONNECTIONS", 16usize).clamp(1, 256),
        }
    }
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // `cargo bench` passes `--bench`; arguments are ignored, the role comes from the environment.
    match std::env::var(ROLE_ENV) {
        Ok(url) => load_generator(&url),
        Err(_) => simulator_side(),
    }
}

/// The load generator process: polls `url` from `connections` keep-alive connections, then
/// prints `polls=N errors=N seconds=S` on stdout.
fn load_generator(url: &str) {
    let token = std::env::var(TOKEN_ENV).expect("the session token in the environment");
    let bounds = Bounds::from_env();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("load")
        .enable_all()
        .build()
        .expect("load generator runtime");
    let (polls, errors, seconds) = rt.block_on(async move {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(bounds.connections)
            .build()
            .expect("client");
        let polls = Arc::new(AtomicU64::new(0));
        let errors = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let mut workers = Vec::new();
        for _ in 0..bounds.connections {
            let (http, url, token) = (http.clone(), url.to_string(), token.clone());
            let (polls, errors, stop) = (polls.clone(), errors.clone(), stop.clone());
            workers.push(tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let ok = match http.get(&url).header(SESSION_HEADER, &token).send().await {
                        Ok(r) => r.status() == 200 && r.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    let counter = if ok { &polls } else { &errors };
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            }));
        }
        // Warm up (connections open, caches warm), then measure until the time or count bound.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (start_polls, started) = (polls.load(Ordering::Relaxed), Instant::now());
        let deadline = started + Duration::from_secs(bounds.secs);
        while Instant::now() < deadline
            && polls.load(Ordering::Relaxed) - start_polls < bounds.max_polls
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let done = polls.load(Ordering::Relaxed) - start_polls;
        let seconds = started.elapsed().as_secs_f64();
        stop.store(true, Ordering::Relaxed);
        for w in workers {
            let _ = w.await;
        }
        (done, errors.load(Ordering::Relaxed), seconds)
    });
    println!("polls={polls} errors={errors} seconds={seconds:.3}");
}

/// Runs one load generator process against `url` and returns (polls, errors, seconds).
fn run_load_generator(url: &str, token: &str, bounds: &Bounds) -> (u64, u64, f64) {
    let exe = std::env::current_exe().expect("the bench binary's path");
    let mut child = Command::new(exe)
        .env(ROLE_ENV, url)
        .env(TOKEN_ENV, token)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the load generator process");
    // Warm-up, measurement, then a generous margin before the run counts as hung.
    let limit = Instant::now() + Duration::from_secs(bounds.secs + 30);
    loop {
        match child.try_wait().expect("wait for the load generator") {
            Some(status) => {
                assert!(status.success(), "the load generator failed: {status}");
                break;
            }
            None if Instant::now() >= limit => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the load generator did not finish in time; killed it");
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    let mut out = String::new();
    child
        .stdout
        .take()
        .expect("the load generator's stdout")
        .read_to_string(&mut out)
        .expect("read the load generator's report");
    let field = |name: &str| -> &str {
        out.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name} in the load generator's report: {out:?}"))
    };
    (
        field("polls=").parse().expect("polls"),
        field("errors=").parse().expect("errors"),
        field("seconds=").parse().expect("seconds"),
    )
}

/// The simulator process: measures memory, then serves the load generator processes.
fn simulator_side() {
    let bounds = Bounds::from_env();
    let pid = std::process::id();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("sim")
        .enable_all()
        .build()
        .expect("server runtime");
    let sim = rt
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
    let rss_before = rss_kib(pid);
    control
        .seed_history(HISTORY)
        .expect("a history within the bound");
    let after = LIVE.load(Ordering::Relaxed);
    let per_job = (after - before) as f64 / HISTORY as f64;
    println!(
        "memory: {HISTORY} jobs in history hold {:.2} MiB of heap ({per_job:.0} bytes per job); RSS {} -> {} KiB",
        (after - before) as f64 / (1024.0 * 1024.0),
        rss_before.unwrap_or(0),
        rss_kib(pid).unwrap_or(0),
    );

    // ---- a session and a running job to poll
    let url = sim.url().to_string();
    let (token, id) = rt.block_on(async {
        let http = reqwest::Client::new();
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
        (token, job["id"].as_str().expect("job id").to_string())
    });

    // ---- status polls per second from a separate load generator process, per flavour
    for flavour in ["api", "rest"] {
        let path = format!("{url}/{flavour}/appliance/recovery/backup/job/{id}");
        let (polls, errors, seconds) = run_load_generator(&path, &token, &bounds);
        println!(
            "polls: /{flavour} job status, {} connections from a separate process, {HISTORY} jobs in history: {:.0} polls/s ({polls} polls in {seconds:.1} s, {errors} errors); simulator RSS {} KiB",
            bounds.connections,
            polls as f64 / seconds,
            rss_kib(pid).unwrap_or(0),
        );
    }
    rt.block_on(sim.shutdown());
}
