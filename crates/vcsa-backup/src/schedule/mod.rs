//! Backup schedules: what the appliance runs on its own, checked before it is sent, and compared
//! with what the appliance has for a declarative apply.

pub(crate) mod change;
pub(crate) mod clock;
pub(crate) mod diff;
pub(crate) mod info;
pub(crate) mod recurrence;
pub(crate) mod spec;
pub(crate) mod update;

pub use change::{ScheduleChange, SettingValue};
pub use clock::ApplianceTime;
pub(crate) use clock::Zone;
pub use diff::{ApplyOptions, Blocker, ScheduleAction, ScheduleDiff};
pub use info::{Retention, Schedule};
pub use recurrence::{DayOfWeek, Recurrence};
pub use spec::{ScheduleSpec, ScheduleSpecBuilder};
pub use update::ScheduleUpdate;

use crate::error::{Field, Problem};

/// Checks a schedule id before it goes into a URL path: not empty, no `/`, `?`, `#`, spaces or
/// control characters.
pub(crate) fn check_id(id: &str) -> Option<Problem> {
    let bad = id.trim().is_empty()
        || id
            .chars()
            .any(|c| matches!(c, '/' | '?' | '#' | '%') || c.is_whitespace() || c.is_control());
    bad.then(|| {
        Problem::new(
            Field::Schedule,
            format!(
                "\"{}\" is not a schedule id; ids are words such as \"default\" (the one the \
                 appliance's own interface manages)",
                id.escape_debug()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn schedule_ids() {
        for good in ["default", "nightly-2", "a.b_c"] {
            assert!(super::check_id(good).is_none(), "{good}");
        }
        for bad in ["", " ", "a/b", "a?b", "a#b", "a b", "a\nb", "50%"] {
            let problem = super::check_id(bad).unwrap();
            assert_eq!(problem.field, super::Field::Schedule);
        }
    }
}
