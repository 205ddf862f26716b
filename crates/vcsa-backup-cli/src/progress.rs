//! Showing a running job: a progress bar on a terminal, one plain line per change otherwise
//! (logs, cron mail, CI), nothing with `--quiet`. Always on standard error, so standard output
//! holds only the result.

use std::fmt;
use std::io::{IsTerminal, Write};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use vcsa_backup::{JobState, JobStatus, Percent};

use crate::human;

/// How progress is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// An animated bar (standard error is a terminal).
    Bar,
    /// One line per change of state or percentage.
    Lines,
    /// Nothing.
    Silent,
}

impl Mode {
    /// The bar on a terminal, lines otherwise, nothing when `quiet`.
    pub fn detect(quiet: bool) -> Self {
        if quiet {
            Self::Silent
        } else if std::io::stderr().is_terminal() {
            Self::Bar
        } else {
            Self::Lines
        }
    }
}

/// What one update shows, of a backup job, a restore or a reconciliation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    /// What runs, as lines and the bar name it: `job <id>`, `restore`, `reconciliation`.
    pub subject: String,
    /// The state in words: `in progress`, or `not started (blocked)` for a waiting job.
    pub state: String,
    /// How much is done, from 0 to 100.
    pub percent: u8,
    /// Bytes written so far, when the appliance's job details say.
    pub size_bytes: Option<u64>,
    /// How long it has run, by the appliance's clock; `None` when it cannot be told.
    pub elapsed: Option<Duration>,
}

impl Update {
    /// `subject` in `state`, `percent` done; no size nor time.
    pub fn new(subject: impl Into<String>, state: impl fmt::Display, percent: Percent) -> Self {
        Self {
            subject: subject.into(),
            state: state.to_string(),
            percent: percent.value(),
            size_bytes: None,
            elapsed: None,
        }
    }

    /// A backup job's update; `waiting` says why a job that has not started yet waits
    /// (`pending`, `blocked`), from its details.
    pub fn job(
        status: &JobStatus,
        size_bytes: Option<u64>,
        waiting: Option<String>,
        elapsed: Option<Duration>,
    ) -> Self {
        let state = match (&status.state, waiting) {
            (JobState::NotStarted, Some(why)) => format!("{} ({why})", status.state.describe()),
            (state, _) => state.describe().to_string(),
        };
        Self {
            size_bytes,
            elapsed,
            ..Self::new(format!("job {}", status.id), state, status.progress)
        }
    }

    /// `in progress, 1.2 GiB written`: the state and the size, without the percentage.
    fn summary(&self) -> String {
        let mut text = self.state.clone();
        if let Some(bytes) = self.size_bytes {
            text.push_str(&format!(", {} written", human::size(bytes)));
        }
        text
    }

    /// The plain line: `job <id>: in progress 40%, 12s, 1.2 GiB written`, `restore: in
    /// progress 40%`.
    pub fn line(&self) -> String {
        let mut text = format!("{}: {} {}%", self.subject, self.state, self.percent);
        if let Some(elapsed) = self.elapsed {
            text.push_str(&format!(", {}", human::duration(elapsed)));
        }
        if let Some(bytes) = self.size_bytes {
            text.push_str(&format!(", {} written", human::size(bytes)));
        }
        text
    }
}

/// The appliance's clock, read once and running on by this machine's monotonic clock: the
/// time on the appliance now, whatever this machine's own wall clock says.
#[derive(Clone, Copy, Debug)]
pub struct ApplianceClock {
    at: DateTime<Utc>,
    read: std::time::Instant,
}

impl ApplianceClock {
    /// The clock that read `now` on the appliance just now.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            at: now,
            read: std::time::Instant::now(),
        }
    }

    /// The appliance's time now.
    pub fn now(&self) -> DateTime<Utc> {
        self.at + TimeDelta::from_std(self.read.elapsed()).unwrap_or_default()
    }
}

/// How long the job has run, by the appliance's own times only: its end minus its start; for
/// a running job, the appliance's `clock` now minus its start, or else the duration its
/// details give. `None` when none of them says; never negative.
pub fn elapsed(
    status: &JobStatus,
    clock: Option<&ApplianceClock>,
    duration: Option<Duration>,
) -> Option<Duration> {
    let span = match (status.ended_at, clock) {
        (Some(end), _) => end - status.started_at,
        (None, Some(clock)) => clock.now() - status.started_at,
        (None, None) => return duration,
    };
    Some(span.to_std().unwrap_or(Duration::ZERO))
}

/// The display of one job's progress: a backup's, a restore's or a reconciliation's.
pub struct Progress {
    mode: Mode,
    bar: Option<ProgressBar>,
    /// The last update shown as a line, but for its time (lines only).
    last: Option<Update>,
}

impl Progress {
    /// A display in `mode`; nothing is shown before the first update.
    pub fn new(mode: Mode) -> Self {
        Self {
            mode,
            bar: None,
            last: None,
        }
    }

    /// Shows `update`.
    pub fn update(&mut self, update: &Update) {
        match self.mode {
            Mode::Silent => {}
            Mode::Lines => {
                // A line per change of state, percentage or size; the time alone is no change.
                let key = Update {
                    elapsed: None,
                    ..update.clone()
                };
                if self.last.as_ref() != Some(&key) {
                    self.last = Some(key);
                    let mut err = std::io::stderr().lock();
                    let _ = writeln!(err, "{}", update.line());
                }
            }
            Mode::Bar => {
                let bar = self.bar.get_or_insert_with(|| new_bar(update));
                bar.set_position(u64::from(update.percent));
                bar.set_message(update.summary());
            }
        }
    }

    /// Shows the final `update` and leaves it on screen, marked by whether it went `ok`.
    pub fn finish(&mut self, update: &Update, ok: bool) {
        self.update(update);
        if let Some(bar) = self.bar.take() {
            // The job's own duration, not how long this tool happened to watch it.
            if let Some(elapsed) = update.elapsed {
                bar.set_elapsed(elapsed);
            }
            let style = bar.style().tick_chars(if ok { "✔✔" } else { "✘✘" });
            bar.set_style(style);
            bar.finish();
            end_line();
        }
    }

    /// Stops showing progress, leaving what was shown (on an error or an interrupt).
    pub fn abandon(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.abandon();
            end_line();
        }
    }
}

/// indicatif leaves the cursor after the last frame; what follows belongs on the next line.
pub(crate) fn end_line() {
    let _ = writeln!(std::io::stderr());
}

/// What runs (`job <id>`, `restore`; an appliance's name on a fleet's board), bar, percentage, time since the job
/// started, then state and size.
const TEMPLATE: &str =
    "{spinner:.cyan} {prefix} [{bar:30.cyan/blue}] {pos:>3}% {elapsed_precise} {msg}";

/// The look of every bar, one job's or a fleet's.
pub(crate) fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template(TEMPLATE)
        // The template is a constant checked by the tests; fall back to the default style rather
        // than failing a backup over how it is drawn.
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("##-")
}

fn new_bar(first: &Update) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(100), ProgressDrawTarget::stderr())
        .with_style(bar_style())
        .with_prefix(first.subject.clone())
        .with_elapsed(first.elapsed.unwrap_or_default());
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// `job <id> in progress 40%`, and `, 12s` once it ended: a job's state for a plain line. A
/// running job's time is left out: only the appliance's clock could tell it.
pub fn status_line(status: &JobStatus) -> String {
    let mut text = format!(
        "job {} {} {}%",
        status.id,
        status.state.describe(),
        status.progress.value(),
    );
    if let Some(elapsed) = elapsed(status, None, None) {
        text.push_str(&format!(", {}", human::duration(elapsed)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn running_since(started_at: DateTime<Utc>) -> JobStatus {
        serde_json::from_value(serde_json::json!({
            "id": "20250131-020000-24322831",
            "state": "INPROGRESS",
            "progress": 40,
            "messages": [],
            "started_at": started_at,
            "ended_at": null,
        }))
        .unwrap()
    }

    #[test]
    fn a_running_job_s_time_is_the_appliance_s_clock_minus_its_start() {
        // The appliance's clock hours ahead of this machine's, and hours behind.
        for skew in [TimeDelta::hours(5), TimeDelta::hours(-7)] {
            let started = Utc::now() + skew;
            let status = running_since(started);
            let clock = ApplianceClock::new(started + TimeDelta::seconds(90));
            let shown = elapsed(&status, Some(&clock), None).unwrap();
            assert!(
                (90..92).contains(&shown.as_secs()),
                "{skew}: {shown:?}, not the skew"
            );
            // Without the clock: the appliance's own duration, never this machine's clock.
            let duration = Some(Duration::from_secs(30));
            assert_eq!(
                elapsed(&status, None, duration),
                Some(Duration::from_secs(30))
            );
            assert_eq!(elapsed(&status, None, None), None);
        }
        // A clock behind the job's start (the appliance was set back) shows 0s, not less.
        let status = running_since(Utc::now());
        let clock = ApplianceClock::new(Utc::now() - TimeDelta::hours(1));
        assert_eq!(elapsed(&status, Some(&clock), None), Some(Duration::ZERO));
    }

    #[test]
    fn a_backup_s_line_and_a_restore_s_share_one_shape() {
        let status = running_since(Utc::now());
        let mut waiting = status.clone();
        waiting.state = JobState::NotStarted;
        let blocked = Update::job(&waiting, None, Some("blocked".into()), None);
        assert_eq!(
            blocked.line(),
            "job 20250131-020000-24322831: not started (blocked) 40%"
        );
        let written = Update::job(
            &status,
            Some(3 * 1024 * 1024),
            None,
            Some(Duration::from_secs(12)),
        );
        assert_eq!(
            written.line(),
            format!(
                "job 20250131-020000-24322831: in progress 40%, {}, {} written",
                human::duration(Duration::from_secs(12)),
                human::size(3 * 1024 * 1024)
            )
        );
        let restore = Update::new("restore", JobState::InProgress.describe(), status.progress);
        assert_eq!(restore.line(), "restore: in progress 40%");
    }

    #[test]
    fn the_bar_template_is_valid() {
        assert!(ProgressStyle::with_template(TEMPLATE).is_ok());
    }
}
