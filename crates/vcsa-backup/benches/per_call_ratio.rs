//! The SDK's cost per call relative to the floor (bare `reqwest` + `serde_json` doing the same
//! `get_job`: GET the job's status with the session header, decode the JSON), measured with the
//! server in another process so that its work is not counted, and without a `tracing`
//! subscriber (the SDK's events must cost next to nothing then).
//!
//! The server is the `vcsa-backup-sim` binary, started by each run as a child process on
//! 127.0.0.1, port 0 (`--http`; it prints its URL on its first line). The bench finds it next to
//! itself (`target/release/vcsa-backup-sim`), or at `$VCSA_BACKUP_SIM`; build it first:
//!
//! ```text
//! cargo build --release -p vcsa-backup-sim --bin vcsa-backup-sim
//! ```
//!
//! Modes (`cargo bench -p vcsa-backup --bench per_call_ratio -- MODE [N]`):
//!
//! - `callgrind [N]` (N defaults to 2000): runs this binary three times under
//!   `valgrind --tool=callgrind` (`setup 0`, `floor N`, `sdk N`) and prints the instructions per
//!   call of each variant, `(total(variant, N) - total(setup, 0)) / N`, and their ratio. The
//!   figure does not depend on machine load; this is the one to compare.
//! - `floor N`, `sdk N`, `setup 0`: one variant alone, for running under valgrind by hand
//!   (`valgrind --tool=callgrind target/release/deps/per_call_ratio-HASH sdk 2000`, then
//!   `callgrind_annotate` on its output). Every mode does the same set-up, including 20 warm-up
//!   calls of each variant, so `setup 0` is what the other two cost besides their N calls.
//! - no mode, or `interleaved [N]` (N defaults to 200): wall-clock time, both variants in 30
//!   alternating rounds of N calls; prints the median time per call of each and their ratio.
//!   Depends on the machine's load; never asserted anywhere.
//!
//! `bare` is accepted as another name for `floor`. Results and what changed them:
//! `benches/README.md`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use vcsa_backup::{Client, Flavour, JobId, Secret};
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER};

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

/// The simulator, running as a child process until dropped.
struct Server {
    child: Child,
    // Kept open so that the simulator never writes into a closed pipe.
    _stdout: BufReader<ChildStdout>,
    url: String,
}

impl Server {
    fn start() -> Self {
        let binary = simulator_binary();
        let mut child = Command::new(&binary)
            .args(["--http", "--listen", "127.0.0.1:0"])
            .args(["--job-duration", "24h", "--history", "20"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut url = String::new();
        stdout.read_line(&mut url).expect("the simulator's URL");
        let url = url.trim().to_string();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "the simulator printed {url:?}, not its URL"
        );
        Self {
            child,
            _stdout: stdout,
            url,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `$VCSA_BACKUP_SIM`, or `vcsa-backup-sim` in the profile directory this bench was built into.
fn simulator_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("VCSA_BACKUP_SIM") {
        return path.into();
    }
    let exe = std::env::current_exe().expect("the bench's own path");
    // target/release/deps/per_call_ratio-HASH -> target/release/vcsa-backup-sim
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the bench runs from target/<profile>/deps");
    let binary = profile_dir.join(format!("vcsa-backup-sim{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build --release -p vcsa-backup-sim --bin vcsa-backup-sim` \
         first, or set VCSA_BACKUP_SIM to the simulator's path",
        binary.display()
    );
    binary
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

/// Calls of each variant before measuring, in every mode.
const WARM_UP: u32 = 20;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Runs `setup 0`, `floor n` and `sdk n` under callgrind and prints instructions per call.
fn callgrind(n: u32) {
    let exe = std::env::current_exe().expect("the bench's own path");
    let dir = std::env::temp_dir().join(format!("per_call_ratio.{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory for callgrind's output");
    let total = |mode: &str, n: u32| -> u64 {
        let out = dir.join(format!("callgrind.out.{mode}"));
        let status = Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", out.display()))
            .arg(&exe)
            .args([mode, &n.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("valgrind (is it installed?)");
        assert!(status.success(), "valgrind {mode} {n}: {status}");
        let text = std::fs::read_to_string(&out).expect("callgrind's output");
        text.lines()
            .find_map(|line| {
                line.strip_prefix("summary:")
                    .or(line.strip_prefix("totals:"))
            })
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .expect("a summary line in callgrind's output")
    };
    let base = total("setup", 0);
    let per_call = |mode: &str| (total(mode, n).saturating_sub(base)) as f64 / f64::from(n);
    let floor = per_call("floor");
    let sdk = per_call("sdk");
    println!(
        "get_job instructions per call (callgrind, {n} calls, set-up {base} subtracted): \
         floor (reqwest + serde_json) {floor:.0}, vcsa-backup {sdk:.0}, ratio {:.3}",
        sdk / floor
    );
    println!("callgrind outputs: {}", dir.display());
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let mode = args.first().map(String::as_str).unwrap_or("interleaved");
    if mode == "callgrind" {
        callgrind(args.get(1).and_then(|n| n.parse().ok()).unwrap_or(2000));
        return;
    }
    let n: u32 = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(200);

    let server = Server::start();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let s = setup(&server.url).await;
        // Warm both paths (connections, first allocations, pools) in every mode, setup
        // included, so that the subtraction removes all of it.
        for _ in 0..WARM_UP {
            bare_call(&s).await;
            sdk_call(&s).await;
        }
        match mode {
            "setup" => {}
            "floor" | "bare" => {
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
    });
    drop(server);
}
