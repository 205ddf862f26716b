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
pub use diff::{ApplyOptions, BlockReason, ScheduleAction, ScheduleDiff};
pub use info::{Retention, Schedule};
pub use recurrence::{DayOfWeek, Recurrence};
pub use spec::{ScheduleSpec, ScheduleSpecBuilder};
pub use update::ScheduleUpdate;

/// The items sorted, each once.
pub(crate) fn sorted_once<T: Ord>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let set: std::collections::BTreeSet<T> = items.into_iter().collect();
    set.into_iter().collect()
}
