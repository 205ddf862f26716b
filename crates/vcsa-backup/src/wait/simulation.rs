//! Computes the table of `performance.md` (which says how) and asserts its targets. To refresh
//! it after changing a default: `VCSA_BACKUP_BLESS=1 cargo test -p vcsa-backup --lib wait::simulation`.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;
use vcsa_backup_sim::ProgressCurve;

use super::options::WaitOptions;
use super::poller::{JobSource, Poller};
use super::progress::ProgressAware;
use crate::retry::backoff::{ConstantBackoff, ExponentialBackoff};
use crate::{Error, JobId, JobState, JobStatus, Percent};

const S: fn(u64) -> Duration = Duration::from_secs;

/// How a modelled job's progress moves: its name, the shares of its length spent PENDING and
/// then BLOCKED, and its stretches (share of its length, percentage reached at the end).
type Shape = (&'static str, f64, f64, &'static [(f64, u8)]);

/// The shapes the lag bound is checked on; the table shows the first two.
const SHAPES: [Shape; 7] = [
    ("steady", 0.0, 0.0, &[(1.0, 100)]),
    // A slow start, a stall, a jump, a step back, and an end at 99%.
    (
        "uneven",
        0.0,
        0.0,
        &[
            (0.2, 5),
            (0.1, 5),
            (0.0, 40),
            (0.4, 90),
            (0.05, 80),
            (0.25, 99),
        ],
    ),
    ("jump", 0.0, 0.0, &[(0.4, 20), (0.0, 80), (0.6, 100)]),
    ("stall", 0.0, 0.0, &[(0.3, 50), (0.4, 50), (0.3, 100)]),
    ("backwards", 0.0, 0.0, &[(0.5, 60), (0.05, 30), (0.45, 100)]),
    ("early", 0.0, 0.0, &[(1.0, 60)]),
    ("queued", 0.1, 0.1, &[(0.8, 100)]),
];

/// A job requested at `created`: PENDING, BLOCKED, then running along its curve.
#[derive(Clone)]
struct ModelJob {
    created: Instant,
    created_utc: DateTime<Utc>,
    pending: Duration,
    blocked: Duration,
    curve: Arc<ProgressCurve>,
    reads: Arc<AtomicU32>,
}

impl ModelJob {
    fn new((_, pending, blocked, stretches): Shape, length: Duration) -> Self {
        let part = |share: f64| length.mul_f64(share);
        let curve = stretches
            .iter()
            .fold(ProgressCurve::new(), |curve, &(share, to)| {
                curve.then(part(share), to)
            });
        Self {
            created: Instant::now(),
            created_utc: Utc::now(),
            pending: part(pending),
            blocked: part(blocked),
            curve: Arc::new(curve),
            reads: Arc::new(AtomicU32::new(0)),
        }
    }

    fn end(&self) -> Instant {
        self.created + self.pending + self.blocked + self.curve.duration()
    }
}

impl JobSource for ModelJob {
    async fn get_job(&self, job: &JobId) -> Result<JobStatus, Error> {
        self.reads.fetch_add(1, Ordering::Relaxed);
        let now = Instant::now();
        let started = self.created + self.pending;
        // Like the appliance: NONE while PENDING, stamped with the time it was requested; then
        // INPROGRESS (at 0% while BLOCKED), stamped with its start.
        let (state, since) = if now < started {
            (JobState::NotStarted, Duration::ZERO)
        } else if now < self.end() {
            (JobState::InProgress, self.pending)
        } else {
            (JobState::Succeeded, self.pending)
        };
        let percent = match state {
            JobState::Succeeded => 100,
            _ => self
                .curve
                .percent_after(now.saturating_duration_since(started + self.blocked)),
        };
        Ok(JobStatus {
            id: job.clone(),
            state,
            progress: Percent::new(percent).unwrap_or(Percent::FULL),
            messages: Vec::new(),
            started_at: self.created_utc + chrono::Duration::from_std(since).unwrap_or_default(),
            ended_at: None,
            size_bytes: None,
        })
    }
}

/// Reads made and lag (from the job's end to the read that saw it) for one job.
async fn run(shape: Shape, length: Duration, options: &WaitOptions) -> (u32, Duration) {
    let job = ModelJob::new(shape, length);
    let (reads, end) = (job.reads.clone(), job.end());
    let id = JobId::new("20260101-000000-1");
    let mut poller = Poller::new(job, id, options, options.start());
    let result = poller.until_done().await;
    assert!(
        result.is_ok(),
        "the modelled job did not succeed: {result:?}"
    );
    (reads.load(Ordering::Relaxed), Instant::now() - end)
}

/// Mean reads, mean lag and worst lag over `samples` jobs ending at evenly spread moments
/// after `length` (over a quarter of it, at most 30 seconds), so the figures do not depend on
/// a lucky phase between the job and the schedule.
async fn measure(shape: Shape, length: Duration, options: &WaitOptions, samples: u32) -> Figures {
    let window = (length / 4).min(S(30));
    let (mut reads, mut total_lag, mut worst) = (0u64, Duration::ZERO, Duration::ZERO);
    for sample in 0..samples {
        let end = length + window * (2 * sample + 1) / (2 * samples);
        let (r, lag) = run(shape, end, options).await;
        reads += u64::from(r);
        total_lag += lag;
        worst = worst.max(lag);
    }
    (
        reads as f64 / f64::from(samples),
        total_lag / samples,
        worst,
    )
}

const LENGTHS: [u64; 6] = [10, 60, 600, 3600, 7200, 21_600];
const SAMPLES: u32 = 60;

/// The three schedules compared.
fn policies() -> [(&'static str, WaitOptions); 3] {
    let options = WaitOptions::default().time_limit(S(24 * 3600));
    [
        ("progress-aware", options.clone()),
        (
            "old default",
            options.clone().backoff(ExponentialBackoff::default()),
        ),
        ("every 5 s", options.backoff(ConstantBackoff::new(S(5)))),
    ]
}

/// Mean reads, mean lag and worst lag, as [`measure`] gives them.
type Figures = (f64, Duration, Duration);

/// One row: a job length and shape, and the [`Figures`] of each policy.
type Row = (Duration, &'static str, Vec<Figures>);

/// The table's rows, computed once for all the tests that read them.
fn rows() -> &'static [Row] {
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build();
        runtime.expect("a runtime").block_on(async {
            let mut rows = Vec::new();
            for length in LENGTHS.map(S) {
                for shape in &SHAPES[..2] {
                    let mut figures = Vec::new();
                    for (_, options) in policies() {
                        figures.push(measure(*shape, length, &options, SAMPLES).await);
                    }
                    rows.push((length, shape.0, figures));
                }
            }
            rows
        })
    })
}

/// The figures of the row of `length` and `shape`.
fn row(length: Duration, shape: &str) -> &'static [Figures] {
    let row = rows().iter().find(|(l, s, _)| (*l, *s) == (length, shape));
    &row.expect("a row of the table").2
}

fn label(length: Duration) -> String {
    match length.as_secs() {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s => format!("{} h", s / 3600),
    }
}

/// The markdown table of `performance.md` (its prose is written there, by hand).
fn table() -> String {
    let names = policies().map(|(name, _)| name);
    let mut out = String::from("| job | progress ");
    for name in names {
        let _ = write!(out, "| reads, {name} ");
    }
    for name in names {
        let _ = write!(out, "| lag mean / worst, {name} ");
    }
    out.push_str("|\n|---:|:---|---:|---:|---:|---:|---:|---:|\n");
    for (length, shape, figures) in rows() {
        let _ = write!(out, "| {} | {shape} ", label(*length));
        for (reads, _, _) in figures {
            let _ = write!(out, "| {reads:.0} ");
        }
        for (_, mean, worst) in figures {
            let (mean, worst) = (mean.as_secs_f64(), worst.as_secs_f64());
            let _ = write!(out, "| {mean:.1} s / {worst:.1} s ");
        }
        out.push_str("|\n");
    }
    out
}

/// `doc` with its table (the lines that start with `|`) replaced by `table`.
fn with_table(doc: &str, table: &str) -> String {
    let mut lines = doc.lines();
    let before: Vec<&str> = lines.by_ref().take_while(|l| !l.starts_with('|')).collect();
    let after: Vec<&str> = lines.skip_while(|l| l.starts_with('|')).collect();
    format!("{}\n{table}{}\n", before.join("\n"), after.join("\n"))
}

#[test]
fn the_documented_performance_table_is_what_the_wait_loop_does() {
    let computed = table();
    // Shown with `--nocapture`.
    println!("{computed}");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/wait/performance.md");
    let documented = std::fs::read_to_string(path).unwrap_or_default();
    let current = with_table(&documented, &computed);
    if std::env::var_os("VCSA_BACKUP_BLESS").is_some() {
        std::fs::write(path, &current).expect("write performance.md");
        return;
    }
    assert_eq!(
        documented, current,
        "src/wait/performance.md is stale: refresh it with \
         `VCSA_BACKUP_BLESS=1 cargo test -p vcsa-backup --lib wait::simulation`"
    );
}

#[test]
fn steady_jobs_of_two_hours_and_ten_minutes_meet_their_targets() {
    // Two hours: at most 90 reads, a mean lag of 5 s at most.
    let (reads, mean, _) = row(S(7200), "steady")[0];
    assert!(
        reads <= 90.0 && mean <= S(5),
        "{reads} reads, mean lag {mean:?}"
    );
    // Ten minutes: no more reads than the old default, a mean lag of 5 s at most.
    let ten_minutes = row(S(600), "steady");
    let ((reads, mean, _), (old_reads, _, _)) = (ten_minutes[0], ten_minutes[1]);
    assert!(reads <= old_reads, "{reads} reads against {old_reads}");
    assert!(mean <= S(5), "mean lag {mean:?}");
}

#[tokio::test(start_paused = true)]
async fn steady_jobs_under_five_minutes_are_no_worse_than_under_the_old_default() {
    let [(_, new), (_, old), _] = policies();
    for length in [10, 30, 60, 120, 240, 299].map(S) {
        let ours @ (reads, mean, worst) = measure(SHAPES[0], length, &new, SAMPLES).await;
        let theirs = measure(SHAPES[0], length, &old, SAMPLES).await;
        assert!(
            reads <= theirs.0 && mean <= theirs.1 && worst <= theirs.2,
            "{length:?}: (reads, mean lag, worst lag) {ours:?} against {theirs:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn whatever_the_progress_does_the_lag_stays_within_the_bound() {
    let default = WaitOptions::default().time_limit(S(24 * 3600));
    let tight = default.clone().max_interval(S(10));
    for shape @ (name, ..) in SHAPES {
        for length in LENGTHS.map(S) {
            for sample in 0..6 {
                let length = length + length * sample / 24;
                let (_, lag) = run(shape, length, &default).await;
                // Every job here starts with the wait: the time waited is its length.
                let bound = ProgressAware::lag_bound(length);
                assert!(lag <= bound, "{name}, {length:?}: lag {lag:?} > {bound:?}");
                let (_, lag) = run(shape, length, &tight).await;
                assert!(lag <= S(10), "{name}, {length:?}: lag {lag:?} > 10 s");
            }
        }
    }
}
