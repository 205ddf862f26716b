//! The summary table of `fleet backup`.

use super::{GroupStart, Row, Started};
use crate::board::Totals;
use crate::output::{self, Shorten};

/// The most characters of a message in a table's cell; JSON has the whole message.
pub(super) const MESSAGE_ROOM: usize = 72;

/// The summary table of `fleet backup`, in the inventory's order (long messages shortened,
/// whole in JSON), what it leaves running, and with `--wait` the `totals`.
pub(super) fn backup_table(
    rows: &[Row<Started>],
    groups: &[GroupStart],
    late: usize,
    window: std::time::Duration,
    totals: Option<Totals>,
) -> String {
    let wait = totals.is_some();
    let mut headers = vec!["GROUP", "APPLIANCE", "RESULT"];
    if wait {
        headers.push("END");
    }
    let mut text = output::table(
        &headers,
        rows.iter().map(|r| {
            let mut cells = vec![
                r.group.clone().unwrap_or_else(|| "-".into()),
                r.name.clone(),
                match (&r.result, &r.error) {
                    (Some(s), _) if s.in_window => {
                        format!("started {} after {:.1}s", s.job, s.accepted_after_seconds)
                    }
                    (Some(s), _) => format!(
                        "started {} after {:.1}s, OUTSIDE the window",
                        s.job, s.accepted_after_seconds
                    ),
                    (_, Some(e)) => {
                        output::shorten(&format!("not started: {e}"), MESSAGE_ROOM, Shorten::End)
                    }
                    _ => String::new(),
                },
            ];
            if wait {
                cells.push(r.result.as_ref().and_then(|s| s.end.as_ref()).map_or_else(
                    || "-".into(),
                    |e| output::shorten(&e.text(), MESSAGE_ROOM, Shorten::End),
                ));
            }
            cells
        }),
    );
    if late > 0 {
        text.push_str(&format!(
            "\n{late} backup(s) started outside the {}s window keep running; none was canceled.",
            window.as_secs()
        ));
    }
    for g in groups
        .iter()
        .filter(|g| g.started > 0 && g.started < g.appliances)
    {
        text.push_str(&format!(
            "\nGroup {}: {} of {} backups started; those keep running, none was canceled.",
            g.group, g.started, g.appliances
        ));
    }
    if let Some(totals) = totals {
        text.push_str(&format!("\n{totals}"));
    }
    text
}
