//! Writing results to standard output: aligned tables for people, one JSON document for scripts.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::failure::{ExitCode, Failure, StoppedJob};

/// Columns without borders, like `ps` or `kubectl get`.
pub fn table(headers: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(headers.iter().copied());
    for row in rows {
        table.add_row(row);
    }
    // comfy-table pads every line to the table's width and indents by one space; trim both so
    // the output reads like other command-line tools and diffs cleanly.
    table
        .lines()
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The width tables fit in: a terminal's classic 80 columns.
pub const WIDTH: usize = 80;

/// The narrowest a shortened column gets, so that what is left still reads.
const NARROWEST: usize = 12;

/// Where a cell too long for its column loses characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shorten {
    /// In the middle, keeping both ends (locations: the server and the folder).
    Middle,
    /// At the end (descriptions, comments).
    End,
}

/// [`table`], within [`WIDTH`] columns: the columns of `fits` are shortened, in their order,
/// each to no less than a dozen characters, until the table fits. The full values stay in the
/// JSON output and in `show`.
pub fn fitted_table(
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
    fits: &[(usize, Shorten)],
) -> String {
    let mut rows: Vec<Vec<String>> = rows.into_iter().collect();
    let width = |column: usize, rows: &[Vec<String>]| {
        rows.iter()
            .filter_map(|r| r.get(column))
            .map(|c| c.chars().count())
            .chain([headers.get(column).map_or(0, |h| h.chars().count())])
            .max()
            .unwrap_or(0)
    };
    for &(column, how) in fits {
        let total: usize = (0..headers.len()).map(|c| width(c, &rows)).sum::<usize>()
            + 2 * headers.len().saturating_sub(1);
        let Some(over) = total.checked_sub(WIDTH).filter(|o| *o > 0) else {
            break;
        };
        let room = width(column, &rows).saturating_sub(over).max(NARROWEST);
        for row in &mut rows {
            if let Some(cell) = row.get_mut(column) {
                *cell = shorten(cell, room, how);
            }
        }
    }
    table(headers, rows)
}

/// `text` in at most `room` characters, with `…` where it was cut.
pub fn shorten(text: &str, room: usize, how: Shorten) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= room || room < 2 {
        return text.to_string();
    }
    let kept = room - 1;
    match how {
        Shorten::End => chars[..kept].iter().chain(['…'].iter()).collect(),
        Shorten::Middle => {
            let head = kept.div_ceil(2);
            let tail = kept - head;
            chars[..head]
                .iter()
                .chain(['…'].iter())
                .chain(chars[chars.len() - tail..].iter())
                .collect()
        }
    }
}

pub use crate::human::fields;

/// Prints `json` as pretty JSON, or `text` for a table, on standard output.
pub fn print<T: Serialize>(
    format: OutputFormat,
    json: &T,
    text: impl FnOnce() -> String,
) -> Result<(), Failure> {
    let rendered = match format {
        OutputFormat::Json => match serde_json::to_string_pretty(json) {
            Ok(s) => s,
            // The views hold only strings, numbers and times: this cannot fail in practice, and
            // if it did the script should see invalid output, not a panic.
            Err(e) => format!("{{\"error\": {{\"message\": \"could not encode output: {e}\"}}}}"),
        },
        OutputFormat::Table | OutputFormat::Nagios | OutputFormat::Prometheus => text(),
    };
    write(&rendered)
}

/// Writes `text` and a line end to standard output: every result goes out through here. A
/// write that fails is the command's failure, so a full disk never looks like success; a
/// closed pipe (`| head`) is not, as the reader has what it wanted.
pub fn write(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Failure::new(
            ExitCode::Output,
            format!("could not write the result to standard output: {e}"),
        )
        .with_hint(
            "send standard output somewhere it can be written; what the command changed on \
             the appliance stays changed (`vcsa-backup list` shows the jobs started)",
        )),
        _ => Ok(()),
    }
}

/// Writes `text` and a line end to standard error, for the person watching. Unlike `eprintln!`,
/// a closed or failing standard error is no panic: the line is lost, the command goes on.
pub fn say(text: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{text}");
}

/// The failure for scripts reading JSON: `{"error": {"exit_code", "kind", "message", ...}}`.
#[derive(Serialize)]
struct ErrorDocument<'a> {
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    exit_code: u8,
    kind: &'static str,
    message: &'a str,
    details: &'a [String],
    hint: Option<&'a str>,
    /// The job the command stopped following, when that is how it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    job: Option<&'a StoppedJob>,
}

/// Reports `failure`: always as text on standard error; with JSON output also as a JSON document
/// on standard output when there is no result there, so a script always reads one document.
pub fn report(format: OutputFormat, failure: &Failure) {
    say(&failure.to_string());
    if format == OutputFormat::Json && !failure.result_printed() {
        let (headline, details, hint) = failure.parts();
        let doc = ErrorDocument {
            error: ErrorBody {
                exit_code: failure.exit_code() as u8,
                kind: failure.exit_code().kind(),
                message: headline,
                details,
                hint,
                job: failure.job(),
            },
        };
        // Standard output may be what failed: the text above already told standard error.
        let _ = print(format, &doc, String::new);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_no_borders_and_no_trailing_spaces() {
        let text = table(
            &["JOB", "STATUS"],
            [
                vec!["a".to_string(), "SUCCEEDED".to_string()],
                vec!["longer-id".to_string(), "-".to_string()],
            ],
        );
        assert_eq!(
            text,
            "JOB        STATUS\na          SUCCEEDED\nlonger-id  -"
        );
    }

    #[test]
    fn long_cells_are_shortened_until_the_table_fits() {
        let location = format!("sftp://backup.example.com/{}/vcsa", "deep/".repeat(20));
        let text = fitted_table(
            &["JOB", "LOCATION"],
            [vec![
                "20250131-020000-24322831".to_string(),
                location.clone(),
            ]],
            &[(1, Shorten::Middle)],
        );
        for line in text.lines() {
            assert!(line.chars().count() <= WIDTH, "{line}");
        }
        let shown = text.lines().nth(1).unwrap().split("  ").last().unwrap();
        assert!(shown.starts_with("sftp://backup.example.com/") && shown.ends_with("/vcsa"));
        assert!(shown.contains('…'), "{shown}");
        // A table that fits is left alone.
        let short = fitted_table(&["A"], [vec!["b".to_string()]], &[(0, Shorten::End)]);
        assert_eq!(short, "A\nb");
        assert_eq!(shorten("abcdefgh", 5, Shorten::End), "abcd…");
        assert_eq!(shorten("abcdefgh", 5, Shorten::Middle), "ab…gh");
    }

    #[test]
    fn fields_are_aligned() {
        let text = fields(&[("Job", "x".into()), ("Progress", "5%".into())]);
        assert_eq!(text, "Job       x\nProgress  5%");
    }
}
