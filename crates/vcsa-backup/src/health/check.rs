//! The client operation: read what a health check needs, within a hard time limit, and judge it.

use chrono::{Offset, Utc};

use crate::client::Client;
use crate::error::Error;
use crate::health::evaluate::{Observation, evaluate};
use crate::health::{HealthPolicy, HealthReport};
use crate::schedule::Zone;
use crate::wait::HumanDuration;

impl Client {
    /// Checks the appliance's backups against `policy`: reads the appliance's clock, the job
    /// details and the backup schedules, and judges them (see [`HealthReport`]). Ages are
    /// measured by the appliance's clock; schedules that cannot be read make the check UNKNOWN
    /// when the policy judges them, unless something certainly wrong makes it worse.
    ///
    /// Made for monitoring: it gives up after the policy's
    /// [`time_limit`](HealthPolicy::time_limit) (30 s by default), reads each thing once
    /// (none of the patience of [`wait`](crate::wait)), and never repeats a log in that the
    /// appliance refused, since the appliance locks accounts after a few failures.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/doc_fixture.rs")).history(3).run(async |sim, client, request| {
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
    /// - [`Error::Transient`]: the appliance could not be reached, or did not answer within the
    ///   time limit.
    /// - [`Error::NotAuthenticated`], [`Error::NotAuthorized`], [`Error::UntrustedCertificate`],
    ///   [`Error::Server`], [`Error::MalformedResponse`]: the clock or the job details could not
    ///   be read.
    ///
    /// A monitoring check reports every error as UNKNOWN.
    pub async fn check_backup_health(&self, policy: &HealthPolicy) -> Result<HealthReport, Error> {
        let limit = policy.check_time_limit();
        tokio::time::timeout(limit, self.read_health(policy))
            .await
            .unwrap_or_else(|_| {
                Err(Error::Transient {
                    change: None,
                    reason: format!(
                        "the appliance did not answer the health check within its time limit \
                         of {}",
                        HumanDuration(limit)
                    ),
                    server: None,
                    source: None,
                })
            })
    }

    async fn read_health(&self, policy: &HealthPolicy) -> Result<HealthReport, Error> {
        let time = self.get_appliance_time().await?;
        let jobs = self.list_job_details(None).await?;
        let schedules = self.list_schedules().await.map_err(|e| e.to_string());
        Ok(evaluate(
            policy,
            &Observation {
                now: time.now,
                // An appliance whose time zone cannot be read counts as UTC, as most are.
                zone: time.zone().unwrap_or(Zone::Fixed(Utc.fix())),
                jobs: &jobs,
                schedules: Some(schedules.as_deref().map_err(Clone::clone)),
            },
        ))
    }
}
