//! The client operation: read what a health check needs, within a hard time limit, and judge it.

use chrono::{Offset, Utc};

use crate::client::Client;
use crate::error::Error;
use crate::health::evaluate::{Observation, evaluate};
use crate::health::report::human_duration;
use crate::health::{HealthPolicy, HealthReport};

impl Client {
    /// Checks the appliance's backups against `policy`: reads the job details and judges them
    /// (see [`HealthReport`]), ages measured from the time of the check. Backup schedules are
    /// not read yet ([`HealthReport::schedules`] is `None`).
    ///
    /// Made for monitoring: it gives up after the policy's
    /// [`time_limit`](HealthPolicy::time_limit) (30 s by default), reads each thing once
    /// (none of the patience of [`wait`](crate::wait)), and never repeats a log in that the
    /// appliance refused, since the appliance locks accounts after a few failures.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = vcsa_backup_sim::Simulator::builder().tls(false).history(3).start().await?;
    /// # let client = vcsa_backup::Client::builder(sim.url())
    /// #     .credentials(vcsa_backup_sim::DEFAULT_USER, vcsa_backup::Secret::new(vcsa_backup_sim::DEFAULT_PASSWORD))
    /// #     .build()?;
    /// use vcsa_backup::health::{HealthPolicy, Verdict};
    ///
    /// let report = client.check_backup_health(&HealthPolicy::default()).await?;
    /// println!("{}: {}", report.verdict, report.summary());
    /// assert_eq!(report.verdict, Verdict::Ok);
    /// let exit_code = report.verdict.exit_code(); // 0 to 3, the monitoring convention
    /// # assert_eq!(exit_code, 0);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::Transient`]: the appliance could not be reached, or did not answer within the
    ///   time limit.
    /// - [`Error::NotAuthenticated`], [`Error::NotAuthorized`], [`Error::UntrustedCertificate`],
    ///   [`Error::Server`], [`Error::MalformedResponse`]: the job details could not be read.
    ///
    /// A monitoring check reports every error as UNKNOWN.
    pub async fn check_backup_health(&self, policy: &HealthPolicy) -> Result<HealthReport, Error> {
        let limit = policy.check_time_limit();
        tokio::time::timeout(limit, self.read_health(policy))
            .await
            .unwrap_or_else(|_| {
                Err(Error::Transient {
                    reason: format!(
                        "the appliance did not answer the health check within its time limit \
                         of {}",
                        human_duration(limit)
                    ),
                    server: None,
                    source: None,
                })
            })
    }

    async fn read_health(&self, policy: &HealthPolicy) -> Result<HealthReport, Error> {
        let jobs = self.list_job_details(None).await?;
        // The schedule and clock operations are not in the client yet: the local clock, and
        // no schedules.
        Ok(evaluate(
            policy,
            &Observation {
                now: Utc::now(),
                offset: Utc.fix(),
                jobs: &jobs,
                schedules: None,
            },
        ))
    }
}
