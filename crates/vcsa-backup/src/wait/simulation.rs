//! The performance table of the module documentation, computed by running the real wait loop
//! against simulated jobs on tokio's paused clock, and checked against `performance.md`.
//!
//! To refresh the table after changing a default:
//! `VCSA_BACKUP_BLESS=1 cargo test -p vcsa-backup --lib wait::simulation`.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use chrono::Utc;
use tokio::time::Instant;

use super::backoff::ConstantBackoff;
use super::options::WaitOptions;
use super::poller::{JobSource, Poller};
use crate::{Error, JobId, JobState, JobStatus, Percent};

/// A job that runs for `length` from `started`, answering reads at once.
#[derive(Clone)]
struct SimulatedJob {
    started: Instant,
    length: Duration,
    reads: Arc<AtomicU32>,
}

impl JobSource for SimulatedJob {
    async fn get_job(&self, job: &JobId) -> Result<JobStatus, Error> {
        self.reads.fetch_add(1, Ordering::Relaxed);
        let elapsed = self.started.elapsed();
        let done = elapsed >= self.length;
        let percent = (elapsed.as_secs_f64() / self.length.as_secs_f64() * 100.0).min(100.0);
        Ok(JobStatus {
            id: job.clone(),
            state: if done {
                JobState::Succeeded
            } else {
                JobState::InProgress
            },
            progress: Percent::new(percent as u8).unwrap_or(Percent::FULL),
            messages: Vec::new(),
            started_at: Utc::now(),
            ended_at: None,
        })
    }

    async fn list_jobs(&self) -> Result<Vec<JobId>, Error> {
        Ok(Vec::new())
    }
}

/// Reads made and lag (wait's return minus the job's end) for one job under `options`.
async fn run(length: Duration, options: &WaitOptions) -> (u32, Duration) {
    let job = SimulatedJob {
        started: Instant::now(),
        length,
        reads: Arc::new(AtomicU32::new(0)),
    };
    let reads = job.reads.clone();
    let mut poller = Poller::new(job, JobId::new("20260101-000000-1"), options);
    let result = poller.until_done().await;
    assert!(result.is_ok(), "simulated job did not succeed: {result:?}");
    let lag = poller.summary().waited.saturating_sub(length);
    (reads.load(Ordering::Relaxed), lag)
}

/// Mean reads, mean lag and worst lag over jobs ending at 60 evenly spread moments after
/// `length` (over a quarter of it, at most 30 seconds: one longest delay), so the figures do not
/// depend on a lucky phase between the job and the schedule.
async fn measure(length: Duration, options: &WaitOptions) -> (f64, Duration, Duration) {
    const SAMPLES: u32 = 60;
    let window = (length / 4).min(Duration::from_secs(30));
    let (mut reads, mut total_lag, mut worst) = (0u64, Duration::ZERO, Duration::ZERO);
    for sample in 0..SAMPLES {
        let end = length + window * (2 * sample + 1) / (2 * SAMPLES);
        let (r, lag) = run(end, options).await;
        reads += u64::from(r);
        total_lag += lag;
        worst = worst.max(lag);
    }
    (
        reads as f64 / f64::from(SAMPLES),
        total_lag / SAMPLES,
        worst,
    )
}

fn label(length: Duration) -> String {
    let secs = length.as_secs();
    match secs {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s => format!("{} h", s / 3600),
    }
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// The markdown of `performance.md`.
async fn table() -> String {
    let lengths = [10, 30, 60, 300, 900, 1800, 3600, 7200, 21600].map(Duration::from_secs);
    let default = WaitOptions::default().max_wait(Duration::from_secs(24 * 3600));
    let fixed = default
        .clone()
        .backoff(ConstantBackoff::new(Duration::from_secs(5)));
    let mut out = String::from(
        "# Performance\n\
         \n\
         Reads of the job's status, and lag (time from the job's end to the wait's return), \
         under the default options and under the fixed 5-second loop scripts use today. \
         Computed by running this module's wait loop against simulated jobs on tokio's paused \
         clock, with answers taking no time; each row averages 60 jobs ending at evenly spread \
         moments just after the length shown (spread over a quarter of it, at most 30 seconds). \
         `src/wait/simulation.rs` computes the table and checks that this copy is current.\n\
         \n\
         | job length | reads, default | reads, every 5 s | lag mean / worst, default | lag mean / worst, every 5 s |\n\
         |---:|---:|---:|---:|---:|\n",
    );
    for length in lengths {
        let (reads, mean, worst) = measure(length, &default).await;
        let (f_reads, f_mean, f_worst) = measure(length, &fixed).await;
        let _ = writeln!(
            out,
            "| {} | {reads:.0} | {f_reads:.0} | {} / {} | {} / {} |",
            label(length),
            secs(mean),
            secs(worst),
            secs(f_mean),
            secs(f_worst),
        );
    }
    out.push_str(
        "\nOn a job of 15 minutes or more the default makes a quarter of the fixed loop's \
         requests or fewer (a sixth on a six-hour backup); the price is a lag of at most 30 \
         seconds, 15 on average, which nobody notices at the end of a backup that ran that \
         long. Short jobs are still seen ending within seconds: the delays start at 1 second \
         and grow by a fifth at a time, so the worst lag stays under about a quarter of the \
         job's length. By design, very short jobs (10 to 30 seconds) are therefore read about as \
         often as by the fixed 5-second loop, or more often: a few extra requests buy a quick \
         answer.\n",
    );
    out
}

#[test]
fn the_documented_performance_table_is_what_the_wait_loop_does() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime");
    let computed = runtime.block_on(table());
    // Shown with `--nocapture`.
    println!("{computed}");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/wait/performance.md");
    if std::env::var_os("VCSA_BACKUP_BLESS").is_some() {
        std::fs::write(path, &computed).expect("write performance.md");
        return;
    }
    let documented = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(
        documented, computed,
        "src/wait/performance.md is stale: refresh it with \
         `VCSA_BACKUP_BLESS=1 cargo test -p vcsa-backup --lib wait::simulation`"
    );
}
