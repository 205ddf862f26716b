//! Backup jobs as a caller sees them: ids, statuses, outcomes and details.

pub(crate) mod details;
pub(crate) mod id;
pub(crate) mod status;

pub use details::{BuildInfo, JobDetails, JobKind, Target, TaskProgress, TaskState};
pub use id::JobId;
pub use status::{JobState, JobStatus, Outcome, OutcomeStatus, Percent};
