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

/// `Field   value` lines, values aligned.
pub fn fields(pairs: &[(&str, String)]) -> String {
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    pairs
        .iter()
        .map(|(k, v)| format!("{k:<width$}  {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

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
    fn fields_are_aligned() {
        let text = fields(&[("Job", "x".into()), ("Progress", "5%".into())]);
        assert_eq!(text, "Job       x\nProgress  5%");
    }
}
