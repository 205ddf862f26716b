//! The summary table of `fleet backup`.

use super::{Ended, GroupStart, Row, Started};
use crate::output;

/// The summary table of `fleet backup`, and what it leaves running.
pub(super) fn backup_table(
    rows: &[Row<Started>],
    groups: &[GroupStart],
    late: usize,
    window: std::time::Duration,
    wait: bool,
) -> String {
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
                    (_, Some(e)) => format!("not started: {e}"),
                    _ => String::new(),
                },
            ];
            if wait {
                cells.push(
                    r.result
                        .as_ref()
                        .and_then(|s| s.end.as_ref())
                        .map_or_else(|| "-".into(), Ended::text),
                );
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
    text
}
