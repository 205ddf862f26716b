//! What a health check read from the appliance, which the verdict and the missed runs judge.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::job::{JobDetails, JobId};
use crate::schedule::{Schedule, Zone};

/// What a check read from the appliance.
pub(crate) struct Observation<'a> {
    /// The appliance's clock.
    pub(crate) now: DateTime<Utc>,
    /// The appliance's time zone.
    pub(crate) zone: Zone,
    /// Every job the appliance remembers.
    pub(crate) jobs: &'a BTreeMap<JobId, JobDetails>,
    /// The schedules, or why they could not be read.
    pub(crate) schedules: Result<&'a [Schedule], &'a str>,
}
