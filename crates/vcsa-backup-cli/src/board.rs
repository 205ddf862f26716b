//! The display of a fleet's backups (`fleet backup --wait`): on a terminal, a row per
//! appliance in the inventory's order and a totals line, condensed to the running backups
//! when the rows do not fit the terminal's height (ended ones then scroll above); off a
//! terminal, one line per change of an appliance's state, then the totals; nothing with
//! `--quiet`. Always on standard error.

use std::fmt;
use std::io::Write;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use vcsa_backup::JobStatus;

use crate::progress::{Mode, bar_style, elapsed, end_line, status_line};

/// Where one appliance's backup stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Not started yet: waiting for its group's turn.
    Waiting,
    /// Started, not ended.
    Running,
    /// Ended `SUCCEEDED`.
    Succeeded,
    /// Not started, or ended `FAILED`.
    Failed,
    /// Following stopped before it ended: how it ends is not known here.
    Unknown,
}

/// How many appliances stand at each stage: the board's totals line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub waiting: usize,
    pub running: usize,
    pub succeeded: usize,
    pub failed: usize,
    pub unknown: usize,
}

impl Totals {
    fn of<'a>(stages: impl IntoIterator<Item = &'a Stage>) -> Self {
        let mut totals = Self::default();
        for stage in stages {
            *match stage {
                Stage::Waiting => &mut totals.waiting,
                Stage::Running => &mut totals.running,
                Stage::Succeeded => &mut totals.succeeded,
                Stage::Failed => &mut totals.failed,
                Stage::Unknown => &mut totals.unknown,
            } += 1;
        }
        totals
    }
}

impl fmt::Display for Totals {
    /// `totals: 2 waiting, 5 running, 40 succeeded, 2 failed, 1 unknown`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "totals: {} waiting, {} running, {} succeeded, {} failed, {} unknown",
            self.waiting, self.running, self.succeeded, self.failed, self.unknown
        )
    }
}

/// The end of one appliance's backup, as the board shows it.
pub struct Ending<'a> {
    /// The job's final status, when it was read.
    pub status: Option<&'a JobStatus>,
    /// What to say: `succeeded, 1.2 GiB written`, `FAILED at 50%: ...`, `not started: ...`.
    pub text: String,
    /// Where it ends.
    pub stage: Stage,
}

/// One appliance's row.
struct Row {
    name: String,
    stage: Stage,
    percent: u8,
    text: String,
    elapsed: Option<Duration>,
}

/// The display of a fleet's backups; see the [module](self) documentation.
pub struct Board {
    mode: Mode,
    rows: Vec<Row>,
    multi: Option<MultiProgress>,
    /// The lines on screen: one per row, or, condensed, as many as fit.
    lines: Vec<ProgressBar>,
    condensed: bool,
    totals: Option<ProgressBar>,
    width: usize,
}

/// Lines kept free below the board: the totals and the cursor's.
const KEPT_FREE: usize = 2;

impl Board {
    /// A board for the appliances `names`, in the inventory's order, all waiting, on standard
    /// error's terminal.
    pub fn new(mode: Mode, names: &[String]) -> Self {
        let height = console::Term::stderr()
            .size_checked()
            .map_or(24, |(rows, _)| usize::from(rows));
        Self::sized(mode, names, height)
    }

    /// A board for a terminal of `height` rows.
    fn sized(mode: Mode, names: &[String], height: usize) -> Self {
        let rows = names
            .iter()
            .map(|name| Row {
                name: name.clone(),
                stage: Stage::Waiting,
                percent: 0,
                text: "waiting for its turn".into(),
                elapsed: None,
            })
            .collect();
        let mut board = Self {
            mode,
            rows,
            multi: None,
            lines: Vec::new(),
            condensed: false,
            totals: None,
            width: names.iter().map(String::len).max().unwrap_or(0),
        };
        if mode == Mode::Bar {
            board.condensed = names.len() + KEPT_FREE > height;
            let shown = if board.condensed {
                height.saturating_sub(KEPT_FREE + 1).max(1)
            } else {
                names.len()
            };
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            board.lines = (0..shown)
                .map(|_| {
                    let line = multi.add(ProgressBar::new(100));
                    line.enable_steady_tick(Duration::from_millis(200));
                    line
                })
                .collect();
            let totals = multi.add(ProgressBar::new(0).with_style(plain("{msg}")));
            totals.enable_steady_tick(Duration::from_millis(200));
            board.totals = Some(totals);
            board.multi = Some(multi);
            board.draw();
        }
        board
    }

    /// How many appliances stand at each stage.
    pub fn totals(&self) -> Totals {
        Totals::of(self.rows.iter().map(|r| &r.stage))
    }

    fn row(&mut self, name: &str) -> Option<&mut Row> {
        self.rows.iter_mut().find(|r| r.name == name)
    }

    /// Shows a running job's `status` on `name`'s row, or a line when its state changed.
    pub fn progress(&mut self, name: &str, status: &JobStatus) {
        let text = format!("job {}: {}", status.id, status.state.describe());
        let Some(row) = self.row(name) else { return };
        let changed = row.stage != Stage::Running || row.text != text;
        row.stage = Stage::Running;
        row.percent = status.progress.value();
        row.elapsed = elapsed(status, None, None);
        row.text = text;
        match self.mode {
            Mode::Lines if changed => say(&format!("{name}: {}", status_line(status))),
            Mode::Bar => self.draw(),
            _ => {}
        }
    }

    /// Shows how `name`'s backup ended (or why it did not start), and leaves it on screen.
    pub fn finish(&mut self, name: &str, ending: &Ending<'_>) {
        let Some(row) = self.row(name) else { return };
        row.stage = ending.stage;
        row.text = ending.text.clone();
        if let Some(status) = ending.status {
            row.percent = status.progress.value();
            row.elapsed = elapsed(status, None, None);
        }
        match self.mode {
            Mode::Silent => {}
            Mode::Lines => say(&format!("{name}: {}", ending.text)),
            Mode::Bar => {
                if self.condensed {
                    // Condensed, an ended backup leaves the board and scrolls above it.
                    if let Some(multi) = &self.multi {
                        let line = format!(
                            "{} {name:<w$} {}",
                            mark(ending.stage),
                            ending.text,
                            w = self.width
                        );
                        let _ = multi.println(line);
                    }
                    self.draw();
                } else if let Some(at) = self.rows.iter().position(|r| r.name == name)
                    && let Some(line) = self.lines.get(at)
                {
                    // Its own line, left as it ended: a success full, a failure where it
                    // stopped, the time frozen.
                    self.show(line, &self.rows[at]);
                    if ending.stage == Stage::Succeeded {
                        line.finish();
                    } else {
                        line.abandon();
                    }
                    self.draw();
                }
            }
        }
    }

    /// Shows every row on its line (condensed: the running ones, as many as fit) and the
    /// totals.
    fn draw(&self) {
        let shown: Vec<&Row> = if self.condensed {
            self.rows
                .iter()
                .filter(|r| r.stage == Stage::Running)
                .collect()
        } else {
            self.rows.iter().collect()
        };
        for (i, line) in self.lines.iter().enumerate() {
            match shown.get(i) {
                // A line left as its backup ended stays so.
                Some(_) if line.is_finished() => {}
                Some(row) => self.show(line, row),
                None => {
                    line.set_style(plain("{msg}"));
                    line.set_prefix("");
                    line.set_message("");
                }
            }
        }
        if let Some(totals) = &self.totals {
            let hidden = shown.len().saturating_sub(self.lines.len());
            let more = if hidden > 0 {
                format!(" ({hidden} more running, not shown)")
            } else {
                String::new()
            };
            totals.set_message(format!("{}{more}", self.totals()));
        }
    }

    fn show(&self, line: &ProgressBar, row: &Row) {
        let style = match row.stage {
            Stage::Waiting => plain("  {prefix} {msg}"),
            Stage::Running => bar_style(),
            ended => plain(&format!(
                "{} {{prefix}} [{{bar:30.cyan/blue}}] {{pos:>3}}% {{elapsed_precise}} {{msg}}",
                mark(ended)
            ))
            .progress_chars("##-"),
        };
        line.set_style(style);
        line.set_prefix(format!("{:<w$}", row.name, w = self.width));
        line.set_position(u64::from(row.percent));
        if let Some(elapsed) = row.elapsed {
            line.set_elapsed(elapsed);
        }
        line.set_message(row.text.clone());
    }

    /// Stops the display, leaving what it shows; off a terminal, says the totals.
    pub fn close(&mut self) {
        match self.mode {
            Mode::Lines => say(&self.totals().to_string()),
            Mode::Bar => {
                self.draw();
                for line in self.lines.drain(..).chain(self.totals.take()) {
                    if !line.is_finished() {
                        line.abandon();
                    }
                }
                self.multi = None;
                end_line();
            }
            Mode::Silent => {}
        }
    }
}

/// The mark of a row that ended.
fn mark(stage: Stage) -> &'static str {
    match stage {
        Stage::Succeeded => "✔",
        Stage::Failed => "✘",
        Stage::Unknown => "?",
        Stage::Waiting | Stage::Running => " ",
    }
}

/// A style from a template this module holds, checked by its tests.
fn plain(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_totals_count_every_stage() {
        let stages = [
            Stage::Waiting,
            Stage::Running,
            Stage::Running,
            Stage::Succeeded,
            Stage::Failed,
            Stage::Unknown,
        ];
        assert_eq!(
            Totals::of(&stages).to_string(),
            "totals: 1 waiting, 2 running, 1 succeeded, 1 failed, 1 unknown"
        );
    }

    #[test]
    fn the_board_s_templates_are_valid() {
        for template in [
            "{msg}",
            "  {prefix} {msg}",
            "✔ {prefix} [{bar:30.cyan/blue}] {pos:>3}% {msg}",
        ] {
            assert!(ProgressStyle::with_template(template).is_ok(), "{template}");
        }
    }

    fn running(id: &str) -> JobStatus {
        serde_json::from_value(serde_json::json!({
            "id": id,
            "state": "INPROGRESS",
            "progress": 40,
            "messages": [],
            "started_at": "2026-12-06T02:00:00Z",
            "ended_at": null,
        }))
        .unwrap()
    }

    #[test]
    fn rows_that_do_not_fit_the_terminal_condense_to_the_running_ones_in_order() {
        // 30 appliances do not fit 24 rows.
        let names: Vec<String> = (1..=30).map(|i| format!("vc-{i:02}")).collect();
        let mut board = Board::sized(Mode::Bar, &names, 24);
        assert!(board.condensed);
        assert_eq!(board.lines.len(), 24 - KEPT_FREE - 1);
        for name in ["vc-07", "vc-03", "vc-29"] {
            board.progress(name, &running("20261206-020000-24322831"));
        }
        let shown: Vec<String> = board
            .lines
            .iter()
            .map(|l| l.prefix().trim().to_string())
            .take(4)
            .collect();
        assert_eq!(shown, ["vc-03", "vc-07", "vc-29", ""]);
        board.finish(
            "vc-07",
            &Ending {
                status: None,
                text: "succeeded".into(),
                stage: Stage::Succeeded,
            },
        );
        assert_eq!(
            board.lines[1].prefix().trim(),
            "vc-29",
            "an ended row leaves"
        );
        let totals = board.totals.as_ref().unwrap().message();
        assert_eq!(
            totals,
            "totals: 27 waiting, 2 running, 1 succeeded, 0 failed, 0 unknown"
        );
        board.close();
    }

    #[test]
    fn a_silent_board_keeps_count() {
        let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let mut board = Board::new(Mode::Silent, &names);
        board.finish(
            "b",
            &Ending {
                status: None,
                text: "not started".into(),
                stage: Stage::Failed,
            },
        );
        assert_eq!(
            board.totals(),
            Totals {
                waiting: 2,
                failed: 1,
                ..Totals::default()
            }
        );
    }
}
