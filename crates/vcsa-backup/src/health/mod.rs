//! Backup health for monitoring: is the newest successful backup recent enough, did the newest
//! job fail, will a schedule run the next one?
//!
//! [`HealthPolicy`] holds the thresholds; [`HealthReport`] is what a check found, with a
//! [`Verdict`] in the monitoring convention (OK, WARNING, CRITICAL, UNKNOWN) and the reasons for
//! it. Ages are judged by the appliance's own clock, so a monitoring host whose clock drifts
//! does not raise false alarms.

mod check;
mod evaluate;
mod missed;
mod observation;
mod policy;
mod report;
mod verdict;

pub use policy::{
    DEFAULT_MISSED_RUN_GRACE, DEFAULT_MISSED_RUNS_CRITICAL, DEFAULT_TIME_LIMIT, HealthPolicy,
    PolicyError,
};
pub use report::{HealthReport, LastSuccess, NewestJob, Reason, ReasonKind, ScheduleHealth};
pub use verdict::Verdict;
