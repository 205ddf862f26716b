//! The control handle: fault injection and inspection from the library, the same controls the
//! admin endpoint (`/__sim/...`) offers over HTTP.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::appliance::Appliance;
use crate::catalog::ArchiveSeed;
use crate::faults::{EnumField, Faults, until};
use crate::history::HistoryShape;
use crate::lost_answers::{LostAnswer, LostOperation, set};
use crate::outage::Outage;
use crate::plan::{JobFailure, JobWait, ProgressCurve};
use crate::recovery::transfer::CatalogExport;
use crate::schedules::{SchedulePasswords, ScheduleSpec};
use crate::state::SimState;

/// Controls a running simulator: inject faults, expire sessions, seed history, inspect state.
///
/// Cheap to clone; every clone controls the same simulator.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use vcsa_backup_sim::{EnumField, JobFailure, JobWait, ProgressCurve, Simulator};
///
/// let sim = Simulator::builder().tls(false).start().await?;
/// let control = sim.control();
/// control.fail_next(2); // the next two vendor calls answer 503
/// control.unavailable_for(Duration::from_secs(120)); // and every call for two minutes
/// control.refuse_sessions_for(Duration::from_secs(120)); // sessions end right after log in
/// control.fail_next_job(JobFailure::at(40, "The backup server ran out of space."));
/// // Stalls at 50% for ten minutes before it goes on.
/// let s = Duration::from_secs;
/// control.shape_next_job(ProgressCurve::new().then(s(300), 50).hold(s(600)).then(s(300), 100));
/// // PENDING (state NONE) for 5 s, then BLOCKED for 2 s, then running.
/// control.delay_next_job(JobWait::new(Duration::from_secs(5), Duration::from_secs(2)));
/// control.inject_unknown_enum(EnumField::JobState, "PAUSED");
/// control.set_response_delay(Duration::from_millis(10));
/// assert_eq!(control.state().faults.fail_next, 2);
/// assert!(control.state().faults.unavailable_until.is_some());
/// control.clear_faults();
/// assert_eq!(control.state().faults, Default::default());
/// sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Control {
    pub(crate) appliance: Arc<Appliance>,
}

impl std::fmt::Debug for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control").finish_non_exhaustive()
    }
}

impl Control {
    /// The archives of this simulator's catalog, to give to another one
    /// (`SimulatorBuilder::import_catalog`, or
    /// [`Self::import_catalog`]).
    pub fn export_catalog(&self) -> CatalogExport {
        self.appliance.export_catalog()
    }

    /// Knows the archives of another simulator's catalog from now on (an archive already known
    /// at the same folder is replaced); answers how many were read.
    pub fn import_catalog(&self, catalog: &CatalogExport) -> usize {
        self.appliance.import_catalog(catalog)
    }

    /// The current state: jobs, running job, live sessions and faults in force.
    pub fn state(&self) -> SimState {
        self.appliance.snapshot()
    }

    /// Job ids, newest first (what the list operation answers).
    pub fn job_ids(&self) -> Vec<String> {
        self.appliance.list_jobs()
    }

    /// The next `count` vendor API calls (log in included) answer 503 SERVICE_UNAVAILABLE.
    pub fn fail_next(&self, count: u32) {
        self.appliance.update_faults(|f| f.fail_next = count);
    }

    /// Every vendor API call (log in included) answers 503 SERVICE_UNAVAILABLE for the next
    /// `span` of simulated time, as while the appliance's services restart. Calls counted by
    /// [`fail_next`](Self::fail_next) are not used up meanwhile.
    ///
    /// The span starts now on tokio's clock as the caller sees it: when the simulator runs
    /// on a paused clock, call this from its runtime.
    pub fn unavailable_for(&self, span: Duration) {
        let until = until(self.now(), span);
        self.appliance
            .update_faults(|f| f.unavailable_until = Some(until));
    }

    /// Ends every session now, and every session opened in the next `span` of simulated time
    /// right after its log in: the log in succeeds, the first call with the new session answers
    /// 401 UNAUTHENTICATED. What a client sees while the appliance's services restart over and
    /// over. The span starts now, as for [`unavailable_for`](Self::unavailable_for).
    pub fn refuse_sessions_for(&self, span: Duration) {
        let until = until(self.now(), span);
        self.appliance
            .update_faults(|f| f.sessions_refused_until = Some(until));
        self.appliance.expire_sessions();
    }

    /// The next backup job started (manual or scheduled) moves its progress along `curve`
    /// once running, and ends where the curve ends, instead of running steadily for the job
    /// duration.
    pub fn shape_next_job(&self, curve: ProgressCurve) {
        self.appliance
            .update_faults(|f| f.next_job_progress = Some(curve));
    }

    /// Every vendor API answer is held back by `delay` (simulated time: instant on a paused clock).
    pub fn set_response_delay(&self, delay: Duration) {
        let millis = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.appliance.update_faults(|f| f.delay_ms = millis);
    }

    /// The next backup job started (manual or scheduled) fails when it reaches the given percentage.
    pub fn fail_next_job(&self, failure: JobFailure) {
        self.appliance
            .update_faults(|f| f.next_job_failure = Some(failure));
    }

    /// The next backup job started (manual or scheduled) first waits as PENDING, then as
    /// BLOCKED, before it runs. While it waits it still counts as the backup in progress:
    /// starting another answers FEATURE_IN_USE.
    pub fn delay_next_job(&self, wait: JobWait) {
        self.appliance
            .update_faults(|f| f.next_job_wait = Some(wait));
    }

    /// Every response carries `value`, a value no client knows, in place of `field`'s real value.
    pub fn inject_unknown_enum(&self, field: EnumField, value: impl Into<String>) {
        let value = value.into();
        self.appliance.update_faults(|f| {
            f.unknown_enums.insert(field, value);
        });
    }

    /// Takes the appliance out of service as `outage` says, or back into service (`None`):
    /// connections black-holed or refused, per appliance, until changed again. Not a fault:
    /// [`clear_faults`](Self::clear_faults) keeps it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use vcsa_backup_sim::{Outage, Simulator};
    ///
    /// let sim = Simulator::builder().tls(false).start().await?;
    /// sim.control().set_outage(Some(Outage::Refused));
    /// assert!(tokio::net::TcpStream::connect(sim.addr()).await.is_err());
    /// sim.control().set_outage(None);
    /// assert_eq!(sim.control().state().outage, None);
    /// sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn set_outage(&self, outage: Option<Outage>) {
        self.appliance.outage.set(outage);
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        self.appliance.update_faults(|f| *f = Faults::default());
    }

    /// Ends every session now, as if each had been idle too long.
    pub fn expire_sessions(&self) {
        self.appliance.expire_sessions();
    }

    /// Adds `count` finished scheduled jobs to the history, older than every job already
    /// there: one per due run of the `default` schedule (one an hour without one that fires),
    /// each with its backup in the catalog. Refused when the history would then hold more than
    /// [`MAX_HISTORY`](crate::limits::MAX_HISTORY) jobs (live ones included).
    pub fn seed_history(&self, count: usize) -> Result<(), ControlError> {
        self.seed_history_shaped(count, HistoryShape::default())
    }

    /// As [`seed_history`](Self::seed_history), with the runs the schedule missed and the
    /// newest job's end as `shape` says.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use vcsa_backup_sim::{HistoryShape, SeededOutcome, Simulator};
    ///
    /// let sim = Simulator::builder().tls(false).start().await?;
    /// let shape = HistoryShape { missed_runs: 1, newest: SeededOutcome::Failed };
    /// sim.control().seed_history_shaped(3, shape)?;
    /// let state = sim.control().state();
    /// assert_eq!(state.jobs, 3);
    /// assert_eq!(state.archives, 2, "the failed job left no backup");
    /// sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn seed_history_shaped(
        &self,
        count: usize,
        shape: HistoryShape,
    ) -> Result<(), ControlError> {
        self.appliance
            .seed_history(count, shape)
            .map_err(ControlError)
    }

    /// How long jobs started from now on take to reach 100% (at most
    /// [`MAX_JOB_DURATION`](crate::limits::MAX_JOB_DURATION)).
    pub fn set_job_duration(&self, duration: Duration) {
        self.appliance.set_job_duration(duration);
    }

    /// How long every job started from now on waits as PENDING, then BLOCKED, before it runs
    /// ([`delay_next_job`](Self::delay_next_job) overrides it for one job).
    pub fn set_job_wait(&self, wait: JobWait) {
        self.appliance.set_job_wait(wait);
    }

    /// How long every job waits before it runs (see [`set_job_wait`](Self::set_job_wait)).
    pub fn job_wait(&self) -> JobWait {
        self.appliance.lock().config.job_wait.clone()
    }

    /// How long a session may stay idle before it expires.
    pub fn set_session_idle_timeout(&self, idle: Duration) {
        self.appliance.set_session_idle_timeout(idle);
    }
}

/// Why the control handle refused a request: what is wrong and what to do instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ControlError(String);

/// Schedules, the backup catalog and the clock.
impl Control {
    /// Creates a backup schedule as the create operation does, with the same checks (every
    /// problem at once in the error).
    pub fn create_schedule(&self, id: &str, spec: ScheduleSpec) -> Result<(), ControlError> {
        self.appliance.create_schedule(id, spec).map_err(|err| {
            ControlError(
                err.messages
                    .into_iter()
                    .map(|m| m.default_message)
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
    }

    /// The passwords a schedule holds (the vendor's API never returns them); `None` when the
    /// schedule does not exist.
    pub fn schedule_passwords(&self, id: &str) -> Option<SchedulePasswords> {
        self.appliance.schedule_passwords(id)
    }

    /// Places a backup in the catalog, as if it had been written there; answers its archive id.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use vcsa_backup_sim::{ArchiveSeed, Simulator};
    ///
    /// let sim = Simulator::builder().tls(false).start().await?;
    /// let id = sim.control().seed_archive(ArchiveSeed {
    ///     location: "sftp://backup.example.com/vcsa".into(),
    ///     system_name: "vcsa-02.example.com".into(),
    ///     timestamp: "2026-05-01T02:30:00Z".parse()?,
    ///     scheduled: true,
    ///     ..ArchiveSeed::default()
    /// })?;
    /// assert_eq!(id, "S_8.0.3.00400_20260501-023000_");
    /// sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn seed_archive(&self, seed: ArchiveSeed) -> Result<String, ControlError> {
        self.appliance.seed_archive(seed).map_err(ControlError)
    }

    /// Runs the retention pass now (it also runs every day at 00:00 UTC): each schedule with a
    /// retention count keeps its newest scheduled backups. Answers the archives removed.
    pub fn run_retention(&self) -> Vec<String> {
        self.appliance.run_retention()
    }

    /// Moves the simulated clock ahead by `by` (at most 100 years in all): what was due
    /// meanwhile (schedule firings, retention passes, job progress) happens at its own time.
    /// On a paused tokio clock, `tokio::time::advance` does the same.
    pub fn advance_clock(&self, by: Duration) {
        self.appliance.advance_clock(by);
    }

    /// The simulated time now.
    pub fn now(&self) -> DateTime<Utc> {
        self.appliance.now()
    }
}

impl Control {
    /// The next `count` calls of `operation` are carried out, then their answers are lost as
    /// `answer` says.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use vcsa_backup_sim::{LostAnswer, LostOperation, Simulator};
    ///
    /// let sim = Simulator::builder().tls(false).start().await?;
    /// // The next backup starts, but the client sees a proxy's 504 instead of its job.
    /// sim.control().lose_answers(LostOperation::StartBackup, LostAnswer::GatewayTimeout, 1);
    /// assert_eq!(sim.control().state().faults.lost_answers[&LostOperation::StartBackup].count, 1);
    /// sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn lose_answers(&self, operation: LostOperation, answer: LostAnswer, count: u32) {
        self.appliance
            .update_faults(|f| set(&mut f.lost_answers, operation, answer, count));
    }
}
