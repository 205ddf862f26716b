//! The client operation: read what a health check needs, within a hard time limit, and judge it.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{Offset, Utc};

use crate::catalog::BackupLocation;
use crate::catalog::layout::system_name_in;
use crate::client::Client;
use crate::error::Error;
use crate::health::evaluate::evaluate;
use crate::health::observation::Observation;
use crate::health::{HealthPolicy, HealthReport, Reason, ReasonKind, Verdict};
use crate::job::details::newest_first;
use crate::job::{JobDetails, JobId, JobKind, TaskState};
use crate::retry::backoff::ExponentialBackoff;
use crate::retry::faults::FailureStreak;
use crate::retry::{Deadline, Decision, Pace, Stop};
use crate::schedule::Zone;
use crate::wait::HumanDuration;

impl Client {
    /// Checks the appliance's backups against `policy`: reads the appliance's clock, the job
    /// details and the backup schedules, and judges them (see [`HealthReport`]). Schedules that
    /// cannot be read make the check UNKNOWN when the policy judges them.
    ///
    /// Made for monitoring: it gives up after the policy's
    /// [`time_limit`](HealthPolicy::time_limit), tries a read again only after a failure that
    /// may pass (503, a connection reset), and never repeats a refused log in.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).history(3).run(async |sim, client, request| {
    /// use vcsa_backup::health::{HealthPolicy, Verdict};
    ///
    /// // Backups here are started by cron, not by a schedule of the appliance.
    /// let policy = HealthPolicy::default().no_enabled_schedule_is_warning(false);
    /// let report = client.check_backup_health(&policy).await?;
    /// println!("{}: {}", report.verdict, report.summary());
    /// assert_eq!(report.verdict, Verdict::Ok);
    /// let exit_code = report.verdict.exit_code(); // 0 to 3, the monitoring convention
    /// # assert_eq!(exit_code, 0);
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Transient`] when the appliance could not be reached or did not answer within
    /// the time limit; the other errors of a read when the clock or the job details could not
    /// be read. A monitoring check reports every error as UNKNOWN.
    pub async fn check_backup_health(&self, policy: &HealthPolicy) -> Result<HealthReport, Error> {
        let limit = policy.time_limit;
        tokio::time::timeout(limit, self.read_health(policy))
            .await
            .unwrap_or_else(|_| {
                let reason = format!(
                    "the appliance did not answer the health check within its time limit of {}",
                    HumanDuration(limit)
                );
                Err(Error::transient(reason, None, None))
            })
    }

    async fn read_health(&self, policy: &HealthPolicy) -> Result<HealthReport, Error> {
        // Retries end a little before the time limit, so the last failure is reported rather
        // than the limit itself.
        let limit = policy.time_limit;
        let mut pace = Pace::new(
            Deadline::starting_now(limit - limit / 5),
            Arc::new(ExponentialBackoff::new(
                Duration::from_secs(1),
                Duration::from_secs(5),
            )),
            None,
        );
        let time = retried(&mut pace, "reading the clock", || self.get_appliance_time()).await?;
        let jobs = retried(&mut pace, "reading the jobs", || {
            self.list_job_details(None)
        })
        .await?;
        let schedules = retried(&mut pace, "reading the schedules", || self.list_schedules())
            .await
            .map_err(|e| e.to_string());
        let mut report = evaluate(
            policy,
            &Observation {
                now: time.now,
                // An appliance whose time zone cannot be read counts as UTC, as most are.
                zone: time.zone().unwrap_or(Zone::Fixed(Utc.fix())),
                jobs: &jobs,
                schedules: schedules.as_deref().map_err(String::as_str),
            },
        );
        if policy.verify_archive {
            let found = self.archive_at_location(&mut pace, policy, &jobs).await;
            let (verdict, message) = match found {
                Ok(found) => (Verdict::Ok, found),
                Err(why) => (Verdict::Warning, why),
            };
            let reason = Reason::new(verdict, ReasonKind::ArchiveAtLocation, message);
            report.reasons.push(reason);
            report.settle();
        }
        Ok(report)
    }

    /// Whether the catalog lists the newest successful scheduled backup at its location: what
    /// was found (OK), or why it was not (a WARNING).
    async fn archive_at_location(
        &self,
        pace: &mut Pace,
        policy: &HealthPolicy,
        jobs: &BTreeMap<JobId, JobDetails>,
    ) -> Result<String, String> {
        let newest = newest_first(jobs)
            .into_iter()
            .find(|(_, d)| d.state == TaskState::Succeeded && d.kind == JobKind::Scheduled);
        let Some((id, details)) = newest else {
            return Ok("no successful scheduled backup to look for at its location".to_string());
        };
        let (root, name, archive) = archive_of(&details.location).ok_or_else(|| {
            format!(
                "the newest successful scheduled backup, job {id}, went to {}, which is not in \
                 the appliance's folder layout, so the catalog cannot list it",
                details.location
            )
        })?;
        let mut location = BackupLocation::builder().location(root.clone());
        if let Some(password) = policy.location_password.as_ref() {
            location =
                location.location_credentials(details.location_user.clone(), password.clone());
        }
        let location = location
            .build()
            .map_err(|e| format!("the location of job {id} cannot be looked at: {e}"))?;
        let read = retried(pace, "reading the catalog", || {
            self.get_archive(&location, &name, &archive)
        })
        .await;
        match read {
            Ok(_) => Ok(format!(
                "the newest successful scheduled backup, {archive}, is at {root}"
            )),
            Err(Error::NotFound(_)) => Err(format!(
                "the newest successful scheduled backup, job {id}, is not at its location: the \
                 catalog of {root} does not list {archive} of {name}"
            )),
            Err(e) => Err(format!(
                "the newest successful scheduled backup, job {id}, could not be looked for at \
                 {root}: {e}"
            )),
        }
    }
}

/// `op`, tried again after a failure that may pass (an appliance that answered 503, a
/// connection reset) while the pace's deadline allows.
async fn retried<T, F, Fut>(pace: &mut Pace, what: &str, mut op: F) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>> + Send,
{
    let decide = |error: &Error, _: &FailureStreak| match error {
        Error::Transient { .. } => Decision::Retry,
        _ => Decision::GiveUp,
    };
    pace.retry_within(what, None, decide, &mut op)
        .await
        .map_err(|(Stop::GaveUp(e) | Stop::OutOfTime(e))| e)
}

/// The root, system name and archive of a backup folder in the appliance's layout:
/// `<root>/vCenter/sn_<system name>/<archive>`.
fn archive_of(folder: &str) -> Option<(String, String, String)> {
    let (root, _) = folder.split_once("/vCenter/sn_")?;
    let name = system_name_in(folder)?;
    let archive = folder.trim_end_matches('/').rsplit('/').next()?;
    (archive != name && !archive.is_empty()).then(|| (root.to_string(), name, archive.to_string()))
}
