//! What a health check holds against the appliance's backups.

use crate::macros::setters;
use crate::wait::HumanDuration;
use std::time::Duration;
use vcsa_backup_api::Secret;

/// The thresholds of a backup health check.
///
/// The defaults suit a daily backup: WARNING when the newest successful backup is older than
/// 26 hours (one missed day, with two hours of slack), CRITICAL beyond 50 hours; each setter
/// gives its own default.
///
/// ```
/// use std::time::Duration;
/// use vcsa_backup::health::HealthPolicy;
///
/// let hour = Duration::from_secs(3600);
/// let policy = HealthPolicy::new(8 * hour, 24 * hour)? // backups every few hours
///     .failed_newest_job_is_critical(false) // a failure is a WARNING until the age says more
///     .require_schedule("default")
///     .missed_run_grace(2 * hour) // a run may start up to two hours late
///     .missed_runs_critical(3); // CRITICAL at the third missed run in a row
/// assert_eq!(policy.warn_age(), 8 * hour);
///
/// // The warning age cannot be the longer one.
/// assert!(HealthPolicy::new(24 * hour, 8 * hour).is_err());
/// # Ok::<(), vcsa_backup::health::PolicyError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HealthPolicy {
    #[serde(rename = "warn_age_seconds", serialize_with = "seconds")]
    pub(crate) warn_age: Duration,
    #[serde(rename = "crit_age_seconds", serialize_with = "seconds")]
    pub(crate) crit_age: Duration,
    pub(crate) failed_newest_job_is_critical: bool,
    pub(crate) no_enabled_schedule_is_warning: bool,
    pub(crate) required_schedule: Option<String>,
    #[serde(rename = "missed_run_grace_seconds", serialize_with = "seconds")]
    pub(crate) missed_run_grace: Duration,
    pub(crate) missed_runs_critical: u32,
    pub(crate) verify_archive: bool,
    #[serde(skip)]
    pub(crate) location_password: Option<Secret>,
    #[serde(rename = "time_limit_seconds", serialize_with = "seconds")]
    pub(crate) time_limit: Duration,
}

fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_secs())
}

/// How late a schedule's run may start by default before it counts as missed.
pub const DEFAULT_MISSED_RUN_GRACE: Duration = Duration::from_secs(3600);
/// How many missed runs in a row are CRITICAL by default (one is a WARNING).
pub const DEFAULT_MISSED_RUNS_CRITICAL: u32 = 2;
/// How long a check may take by default: well under the 60 s monitoring systems allow a check.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(30);

impl Default for HealthPolicy {
    fn default() -> Self {
        Self {
            // A day and two hours, then two days and two hours.
            warn_age: Duration::from_secs(26 * 3600),
            crit_age: Duration::from_secs(50 * 3600),
            failed_newest_job_is_critical: true,
            no_enabled_schedule_is_warning: true,
            required_schedule: None,
            missed_run_grace: DEFAULT_MISSED_RUN_GRACE,
            missed_runs_critical: DEFAULT_MISSED_RUNS_CRITICAL,
            verify_archive: false,
            location_password: None,
            time_limit: DEFAULT_TIME_LIMIT,
        }
    }
}

impl HealthPolicy {
    /// A policy with these ages of the newest successful backup: older than `warn_age` is a
    /// WARNING, older than `crit_age` CRITICAL. The other settings keep their defaults.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] when an age is zero or the warning age is longer than the critical one.
    pub fn new(warn_age: Duration, crit_age: Duration) -> Result<Self, PolicyError> {
        if warn_age.is_zero() || crit_age.is_zero() {
            return Err(PolicyError::ZeroAge);
        }
        if warn_age > crit_age {
            return Err(PolicyError::WarnAfterCrit { warn_age, crit_age });
        }
        Ok(Self {
            warn_age,
            crit_age,
            ..Self::default()
        })
    }

    setters! {
        /// Whether a failed newest job makes the check CRITICAL (`true`, the default) or a
        /// WARNING.
        failed_newest_job_is_critical(failed_newest_job_is_critical: bool);

        /// Whether an appliance without an enabled backup schedule that has a time to run at is
        /// a WARNING (`true`, the default). Turn it off where backups are started from outside,
        /// such as by cron.
        no_enabled_schedule_is_warning(no_enabled_schedule_is_warning: bool);

        /// Requires the schedule with this id (usually `default`): CRITICAL when it does not
        /// exist, WARNING when it is disabled.
        require_schedule(required_schedule: impl Into<String>) => Some;

        /// How late an enabled schedule's run may start (by the appliance's clock, in its time
        /// zone) before it counts as missed: a WARNING that names it (default one hour,
        /// [`DEFAULT_MISSED_RUN_GRACE`]). Runs due before the oldest scheduled job on record are
        /// not judged: nothing says the schedule existed then.
        missed_run_grace(missed_run_grace: Duration);

        /// How many missed runs in a row make the check CRITICAL (default 2,
        /// [`DEFAULT_MISSED_RUNS_CRITICAL`]); fewer are a WARNING. Zero keeps missed runs a
        /// WARNING however many there are.
        missed_runs_critical(missed_runs_critical: u32);
    }

    /// Looks for the newest successful scheduled backup in the appliance's catalog at its
    /// location, with the location's user from the job and this password (`None` for a
    /// location without one): a backup the catalog does not list, or a catalog that cannot be
    /// read, is a WARNING. The password never appears in the report or in `Debug`.
    #[must_use]
    pub fn verify_archive(mut self, location_password: Option<Secret>) -> Self {
        self.verify_archive = true;
        self.location_password = location_password;
        self
    }

    /// How long the whole check may take, log in included (default 30 s,
    /// [`DEFAULT_TIME_LIMIT`]); a zero limit is taken as the default.
    #[must_use]
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = Some(limit)
            .filter(|l| !l.is_zero())
            .unwrap_or(DEFAULT_TIME_LIMIT);
        self
    }

    /// Older than this, the newest successful backup is a WARNING.
    pub fn warn_age(&self) -> Duration {
        self.warn_age
    }

    /// Older than this, the newest successful backup is CRITICAL.
    pub fn crit_age(&self) -> Duration {
        self.crit_age
    }
}

/// Why a [`HealthPolicy`] could not be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// An age of zero would make every backup too old.
    #[error("the warning and critical ages must be longer than zero, such as 26h and 50h")]
    ZeroAge,
    /// The warning age is longer than the critical age, so the warning would never show.
    #[error(
        "the warning age ({}) is longer than the critical age ({}); give a warning age no \
         longer than the critical one, such as 26h and 50h",
        HumanDuration(*warn_age),
        HumanDuration(*crit_age)
    )]
    WarnAfterCrit {
        /// The warning age asked for.
        warn_age: Duration,
        /// The critical age asked for.
        crit_age: Duration,
    },
}

/// [`Error::InvalidRequest`](crate::Error::InvalidRequest) about the ages, so that `?` works in
/// a function returning [`Error`](crate::Error).
impl From<PolicyError> for crate::Error {
    fn from(error: PolicyError) -> Self {
        let problem = crate::Problem::new(crate::Field::BackupAge, error.to_string());
        Self::problems_found(vec![problem])
    }
}
