//! Running an operation on every appliance of an inventory (check, list, apply schedules):
//! bounded concurrency, one session per appliance, every failure isolated.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::OptionFuture;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::client::Client;
use crate::error::Error;
use crate::fleet::accounts::Accounts;
use crate::fleet::appliance::{self, Access, Appliance, FleetError, Trust};
use crate::fleet::failure::{ApplianceFailure, ApplianceResult};
use crate::health::{HealthPolicy, HealthReport};
use crate::job::JobStatus;
use crate::macros::setters;
use crate::schedule::{ApplyOptions, ScheduleDiff, ScheduleSpec};
use crate::wire::flavour::Flavour;

/// How many appliances a fleet works on at once unless told otherwise.
pub const DEFAULT_JOBS: usize = 8;

/// How long a fleet's check, list or schedule apply may take in all, from its start, unless
/// given a [`Fleet::deadline`]: below the time-outs of common monitoring systems (a minute), so
/// that an outage shows as UNKNOWN appliances rather than a check that never reports.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(50);

/// Logging out is a courtesy (appliances limit sessions); it must not hold up the results.
const LOGOUT_LIMIT: Duration = Duration::from_secs(5);

/// Appliances, and how to work on them. See the [module](crate::fleet) documentation.
#[derive(Clone, Debug)]
pub struct Fleet {
    appliances: Arc<[Appliance]>,
    pub(crate) jobs: usize,
    request_timeout: Duration,
    pub(crate) time_limit: Duration,
    deadline: Option<Instant>,
    user_agent: Option<String>,
}

/// What `list` finds on an appliance.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ApplianceState {
    /// The API flavour it speaks.
    pub flavour: Flavour,
    /// Its newest job, if it has any.
    pub newest_job: Option<JobStatus>,
    /// How many jobs it remembers.
    pub jobs: usize,
}

impl Fleet {
    /// A fleet of `appliances`, worked on [`DEFAULT_JOBS`] at a time, with the default
    /// time-outs.
    ///
    /// # Errors
    ///
    /// [`FleetError`], naming every problem, when there is no appliance, two share a name or a
    /// server, or a setting would be refused when the fleet reaches the appliance. Nothing is
    /// sent.
    pub fn new(appliances: impl IntoIterator<Item = Appliance>) -> Result<Self, FleetError> {
        let appliances: Arc<[Appliance]> = appliances.into_iter().collect();
        appliance::check(&appliances)?;
        Ok(Self {
            appliances,
            jobs: DEFAULT_JOBS,
            request_timeout: crate::client::builder::DEFAULT_REQUEST_TIMEOUT,
            time_limit: crate::health::DEFAULT_TIME_LIMIT,
            deadline: None,
            user_agent: None,
        })
    }

    /// How many appliances to work on at once (at least one). A group backed up together must
    /// fit: see [`backup`](Self::backup).
    #[must_use]
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.jobs = jobs.max(1);
        self
    }

    setters! {
        /// How long one request may take (see
        /// [`ClientBuilder::request_timeout`](crate::ClientBuilder::request_timeout)).
        request_timeout(request_timeout: Duration);

        /// How long [`list`](Self::list) may spend on one appliance, and logging in to one may
        /// take before a backup (default 30 s).
        time_limit(time_limit: Duration);

        /// When [`check`](Self::check), [`list`](Self::list) and
        /// [`apply_schedules`](Self::apply_schedules) end, whatever happens (default
        /// [`DEFAULT_DEADLINE`] after each call starts): the appliances not done by then end
        /// with [`ApplianceFailure::DeadlinePassed`]. A `tokio::time::Instant` or a
        /// `std::time::Instant`.
        deadline(deadline: impl Into<Instant>) => Some;

        /// The `User-Agent` of every request (of the clients the fleet builds).
        user_agent(user_agent: impl Into<String>) => Some;
    }

    /// The appliances, in the order given.
    pub fn appliances(&self) -> &[Appliance] {
        &self.appliances
    }

    /// Checks every appliance's backup health (see [`Client::check_backup_health`]), each
    /// within the policy's time limit. Results in the appliances' order.
    pub async fn check(&self, policy: &HealthPolicy) -> Vec<ApplianceResult<HealthReport>> {
        self.on_each(policy.time_limit, |client, _| async move {
            client.check_backup_health(policy).await
        })
        .await
    }

    /// Lists every appliance: its flavour, its newest job and how many it remembers. Results in
    /// the appliances' order.
    pub async fn list(&self) -> Vec<ApplianceResult<ApplianceState>> {
        self.on_each(self.time_limit, |client, _| async move {
            let jobs = client.list_jobs().await?;
            let newest = jobs.first().map(|id| client.get_job(id));
            let newest_job = OptionFuture::from(newest).await.transpose()?;
            Ok(ApplianceState {
                flavour: client.flavour().await?,
                newest_job,
                jobs: jobs.len(),
            })
        })
        .await
    }

    /// Makes each appliance's schedule (the one [`Appliance::schedule`] names) match the spec
    /// `desired` gives for it, as [`Client::apply_schedule`](crate::Client::apply_schedule)
    /// does for one appliance. Each appliance within the fleet's time limit; results in the
    /// appliances' order.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run_fleet(2, async |servers| {
    /// use vcsa_backup::fleet::{Appliance, Fleet};
    /// use vcsa_backup::{ApplyOptions, ScheduleSpec, Secret};
    ///
    /// let password = Secret::new(std::env::var("VCSA_PASSWORD")?);
    /// let fleet = Fleet::new(servers.iter().enumerate().map(|(i, server)| {
    ///     Appliance::new(format!("vc-{i}"), server, "administrator@vsphere.local", password.clone())
    /// }))?;
    /// let nightly = ScheduleSpec::builder()
    ///     .location("sftp://nas.example.com/backups/vcsa")
    ///     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    ///     .at(23, 0)
    ///     .keep(7)
    ///     .build()?;
    /// // What would change, then the change, then nothing left to change.
    /// let plan = fleet.apply_schedules(|_| &nightly, &ApplyOptions::new().dry_run(true)).await;
    /// assert!(plan.iter().all(|r| r.outcome.as_ref().is_ok_and(|d| !d.is_applied())));
    /// let done = fleet.apply_schedules(|_| &nightly, &ApplyOptions::new()).await;
    /// assert!(done.iter().all(|r| r.outcome.as_ref().is_ok_and(|d| d.is_applied())), "{done:?}");
    /// let again = fleet.apply_schedules(|_| &nightly, &ApplyOptions::new().dry_run(true)).await;
    /// assert!(again.iter().all(|r| r.outcome.as_ref().is_ok_and(|d| d.is_unchanged())), "{again:?}");
    /// # Ok(()) })
    /// ```
    pub async fn apply_schedules<'s>(
        &self,
        desired: impl Fn(&Appliance) -> &'s ScheduleSpec,
        options: &ApplyOptions,
    ) -> Vec<ApplianceResult<ScheduleDiff>> {
        self.on_each(self.time_limit, |client, appliance| {
            let (id, spec) = (appliance.schedule.clone(), desired(appliance));
            async move { client.apply_schedule(&id, spec, options).await }
        })
        .await
    }

    /// Runs `op` on every appliance with a logged-in client, `jobs` at a time, each within
    /// `limit` (log in included) and all within the fleet's deadline; results in the
    /// appliances' order.
    pub(crate) async fn on_each<T, F, Fut>(&self, limit: Duration, op: F) -> Vec<ApplianceResult<T>>
    where
        F: Fn(Client, &Appliance) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let slots = Semaphore::new(self.jobs);
        let accounts = Accounts::default();
        let start = Instant::now();
        let end = self.deadline.unwrap_or(start + DEFAULT_DEADLINE);
        let allowed = end.saturating_duration_since(start);
        let (slots, accounts, op) = (&slots, &accounts, &op);
        let runs = self.appliances.iter().map(|entry| async move {
            let run = async {
                let _slot = slots.acquire().await;
                let until = Instant::now() + limit;
                let client = self.open(entry, accounts, until).await?;
                let read = async { Ok(op(client.clone(), entry).await?) };
                let outcome = within(until, limit, read).await;
                close(&client).await;
                outcome
            };
            let passed = Err(ApplianceFailure::DeadlinePassed { allowed });
            let outcome = tokio::time::timeout_at(end, run).await.unwrap_or(passed);
            result(entry, outcome)
        });
        futures_util::future::join_all(runs).await
    }

    /// A client for the appliance, logged in before `until`, unless its account is known to
    /// be refused.
    pub(crate) async fn open(
        &self,
        entry: &Appliance,
        accounts: &Accounts,
        until: Instant,
    ) -> Result<Client, ApplianceFailure> {
        let client = match &entry.access {
            Access::Client(client) => client.clone(),
            Access::LogIn {
                server,
                user,
                password,
                trust,
            } => {
                let mut builder = Client::builder(server.as_str())
                    .credentials(user.clone(), password.clone())
                    .request_timeout(self.request_timeout);
                if let Some(agent) = &self.user_agent {
                    builder = builder.user_agent(agent.clone());
                }
                builder = match trust {
                    Trust::System => builder,
                    Trust::Thumbprint(thumbprint) => builder.pin_thumbprint_sha256(thumbprint),
                    Trust::CaPem(pem) => builder.add_root_certificate_pem(pem),
                };
                builder.build()?
            }
        };
        let limit = until.saturating_duration_since(Instant::now());
        within(until, limit, accounts.log_in(&client, entry, until)).await?;
        Ok(client)
    }
}

pub(crate) fn result<T>(
    entry: &Appliance,
    outcome: Result<T, ApplianceFailure>,
) -> ApplianceResult<T> {
    ApplianceResult {
        name: entry.name.clone(),
        server: entry.server().to_string(),
        group: entry.group.clone(),
        outcome,
    }
}

/// `op`, or [`ApplianceFailure::TimedOut`] after `limit` once `until` passes.
pub(crate) async fn within<T>(
    until: Instant,
    limit: Duration,
    op: impl Future<Output = Result<T, ApplianceFailure>>,
) -> Result<T, ApplianceFailure> {
    let timed_out = Err(ApplianceFailure::TimedOut { limit });
    tokio::time::timeout_at(until, op)
        .await
        .unwrap_or(timed_out)
}

/// Ends the session, briefly: a failure changes nothing for the result.
pub(crate) async fn close(client: &Client) {
    if let Ok(Err(e)) = tokio::time::timeout(LOGOUT_LIMIT, client.logout()).await {
        tracing::debug!(error = %e, "logging out failed");
    }
}
