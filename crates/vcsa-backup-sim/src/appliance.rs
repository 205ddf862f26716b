//! The simulated appliance: sessions, jobs, schedules, the backup catalog and faults behind one
//! lock, with one method per vendor operation (the schedule, catalog and clock operations live
//! in their own modules). Flavour-free: the routes decide how answers look on the wire.

use std::collections::HashSet;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;
use vcsa_backup_api::enums::{DetailsType, ErrorType, LocationType, ReturnStatus};
use vcsa_backup_api::types::{
    BackupJobStatus, BackupRequest, DetailsInfo, LocalizableMessage, Part, ReturnResult,
};

use crate::catalog::{self, Catalog, Origin, Pending, parts_held};
use crate::clock::Clock;
use crate::config::SimConfig;
use crate::error::{VapiError, message};
use crate::faults::{EnumField, Faults};
use crate::jobs::{Cursor, JobSpec, Jobs};
use crate::outage::OutageSwitch;
use crate::parts;
use crate::password_check::PasswordCheck;
use crate::plan::{JobFailure, JobWait, ProgressCurve, RunPlan};
use crate::recovery::{OutagePhase, Recovery};
use crate::schedules::Schedules;
use crate::sessions::Sessions;
use crate::state::SimState;
use crate::validate;

pub(crate) struct Inner {
    pub(crate) config: SimConfig,
    pub(crate) faults: Faults,
    pub(crate) sessions: Sessions,
    pub(crate) jobs: Jobs,
    /// Folders that already hold a backup (see `validate::folder_key`).
    pub(crate) used_folders: HashSet<String>,
    pub(crate) schedules: Schedules,
    pub(crate) catalog: Catalog,
    /// Every event of the appliance's timeline up to this time has been played (`scheduler`).
    pub(crate) synced_to: DateTime<Utc>,
    /// The next event of the timeline: a schedule firing or the retention pass.
    pub(crate) next_event: Option<DateTime<Utc>>,
    pub(crate) recovery: Recovery,
}

/// One simulated appliance, shared by every connection.
pub(crate) struct Appliance {
    pub(crate) clock: Clock,
    inner: Mutex<Inner>,
    /// Requests to the vendor's paths since the start (the admin paths not counted).
    requests: std::sync::atomic::AtomicU64,
    /// Client connections open now (`server` counts them).
    pub(crate) connections: std::sync::atomic::AtomicUsize,
    /// The outage in force, if any.
    pub(crate) outage: OutageSwitch,
}

/// Hosts under the reserved `.invalid` top-level domain stand for unreachable backup servers.
fn is_unreachable_host(location: &url::Url) -> bool {
    location
        .host_str()
        .is_some_and(|h| h.trim_end_matches('.').ends_with(".invalid"))
}

/// How a backup to an unreachable backup server fails: at once.
pub(crate) fn unreachable_failure(location: &url::Url) -> Option<JobFailure> {
    is_unreachable_host(location).then(|| {
        JobFailure::at(
            0,
            format!(
                "Cannot connect to the backup server {}.",
                location.host_str().unwrap_or_default()
            ),
        )
    })
}

/// The answer to a backup asked for while another holds the appliance.
pub(crate) fn feature_in_use(running: &str) -> VapiError {
    VapiError::new(
        ErrorType::FeatureInUse,
        "com.vmware.applmgmt.backup.job.in_progress",
        format!(
            "A backup or restore is already in progress (job {running}). Wait for it to finish, then try again."
        ),
    )
}

impl Appliance {
    pub(crate) fn new(config: SimConfig) -> Self {
        let clock = Clock::starting_at(config.start_time.unwrap_or_else(Utc::now));
        let outage = OutageSwitch::new(config.outage);
        let schedules = Schedules::with_builtin(&config.schedules, config.max_schedules);
        let recovery = Recovery::new(
            config.awaiting_restore,
            config.restore_timing,
            config.reconciliation_timing,
        );
        let mut inner = Inner {
            config,
            faults: Faults::default(),
            sessions: Sessions::default(),
            jobs: Jobs::default(),
            used_folders: HashSet::new(),
            schedules,
            catalog: Catalog::default(),
            synced_to: clock.utc(clock.now()),
            next_event: None,
            recovery,
        };
        inner.plan_next_event();
        Self {
            clock,
            inner: Mutex::new(inner),
            requests: std::sync::atomic::AtomicU64::new(0),
            connections: std::sync::atomic::AtomicUsize::new(0),
            outage,
        }
    }

    /// The state as of now: every schedule firing and retention pass due has been played.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.lock_at(self.clock.now())
    }

    /// The state as of `now` (see [`Self::lock`]), for operations that act at that instant.
    ///
    /// Even if a panic elsewhere poisoned the lock, the data stays consistent: every update is
    /// a single step.
    pub(crate) fn lock_at(&self, now: Instant) -> MutexGuard<'_, Inner> {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        inner.catch_up(&self.clock, now);
        inner.settle_recovery(now);
        inner
    }

    // ------------------------------------------------------------------ sessions

    pub(crate) fn login(&self, user: &str, password: &str) -> Result<String, VapiError> {
        let mut inner = self.lock();
        let ok_user = user == inner.config.user;
        let ok_password = vcsa_backup_api::Secret::new(password) == inner.config.password;
        if !(ok_user && ok_password) {
            return Err(VapiError::new(
                ErrorType::Unauthenticated,
                "com.vmware.vapi.endpoint.failedToLoginWithCredentials",
                "Authentication failed: the user name or password is incorrect.",
            ));
        }
        let now = self.clock.now();
        let token = inner.sessions.open(user, now).map_err(|_| {
            VapiError::new(
                ErrorType::ServiceUnavailable,
                "com.vmware.vapi.endpoint.session.unavailable",
                "The appliance could not create a session (no randomness available). Try again.",
            )
        })?;
        let outage = inner.recovery.outage(now);
        if inner.faults.refuses_new_sessions(self.clock.utc(now))
            || outage == Some(OutagePhase::SessionsRefused)
        {
            inner.sessions.close(&token);
        }
        Ok(token)
    }

    /// The user of a live session; refreshes its idle timer.
    pub(crate) fn authenticate(&self, token: &str) -> Result<String, VapiError> {
        let mut inner = self.lock();
        let idle = inner.config.session_idle_timeout;
        inner
            .sessions
            .touch(token, self.clock.now(), idle)
            .ok_or_else(VapiError::unauthenticated)
    }

    pub(crate) fn logout(&self, token: &str) -> Result<(), VapiError> {
        if self.lock().sessions.close(token) {
            Ok(())
        } else {
            Err(VapiError::unauthenticated())
        }
    }

    // ------------------------------------------------------------------ jobs

    pub(crate) fn list_jobs(&self) -> Vec<String> {
        self.lock()
            .jobs
            .newest_first()
            .map(|j| j.id.clone())
            .collect()
    }

    fn job_not_found(id: &str) -> VapiError {
        VapiError::not_found(
            "com.vmware.applmgmt.backup.job.not_found",
            format!("The backup job '{id}' does not exist. List the jobs to see which ids exist."),
        )
    }

    pub(crate) fn create_job(
        &self,
        req: &BackupRequest,
        user: &str,
    ) -> Result<BackupJobStatus, VapiError> {
        let location = validate::backup_request(req)?;
        let now = self.clock.now();
        let mut inner = self.lock_at(now);
        if let Some(running) = inner.jobs.active(now) {
            return Err(feature_in_use(&running.id));
        }
        let folder = validate::folder_key(&location);
        if inner.used_folders.contains(&folder) {
            return Err(VapiError::invalid_argument(vec![message(
                "com.vmware.applmgmt.backup.location.not_empty",
                format!(
                    "The folder {} already contains a backup. Back up to an empty folder.",
                    req.location
                ),
            )]));
        }
        let wait = inner.faults.next_job_wait.take();
        let failure = inner
            .faults
            .next_job_failure
            .take()
            .or_else(|| unreachable_failure(&location));
        inner.used_folders.insert(folder);
        let spec = JobSpec {
            kind: DetailsType::Manual,
            location: req.location.clone(),
            location_user: req.location_user.clone().unwrap_or_default(),
            comment: req.comment.clone().unwrap_or_default(),
            fast_backup: req.fast_backup,
            user: user.to_string(),
            total_bytes: parts::backup_bytes(&req.parts),
        };
        let status = inner.start_job(&self.clock, spec, now, failure, wait);
        // A backup into the appliance's layout becomes an archive of the catalog.
        if let Some(folder) = catalog::layout_of(&location) {
            let version = inner.config.version.clone();
            let schedules = inner.schedules.infos();
            inner.catalog.begin(Pending {
                job: status.id.clone(),
                folder,
                version,
                parts: parts_held(&req.parts),
                comment: req.comment.clone().unwrap_or_default(),
                origin: Origin {
                    encryption: req
                        .backup_password
                        .as_ref()
                        .and_then(|p| PasswordCheck::of(p.expose())),
                    schedules,
                },
            });
        }
        Ok(status)
    }

    pub(crate) fn run_schedule(
        &self,
        schedule: &str,
        comment: Option<String>,
        user: &str,
    ) -> Result<BackupJobStatus, VapiError> {
        let now = self.clock.now();
        let mut inner = self.lock_at(now);
        inner.start_scheduled(
            &self.clock,
            schedule,
            comment.unwrap_or_default(),
            user,
            now,
        )
    }

    pub(crate) fn get_job(&self, id: &str) -> Result<BackupJobStatus, VapiError> {
        let inner = self.lock();
        let job = inner.jobs.get(id).ok_or_else(|| Self::job_not_found(id))?;
        Ok(job.status(self.clock.now(), &inner.faults))
    }

    pub(crate) fn cancel_job(&self, id: &str) -> Result<ReturnResult, VapiError> {
        let now = self.clock.now();
        let mut inner = self.lock_at(now);
        let job = inner
            .jobs
            .get_mut(id)
            .ok_or_else(|| Self::job_not_found(id))?;
        let result = if job.cancel(now) {
            (
                ReturnStatus::Ok,
                message(
                    "com.vmware.applmgmt.backup.job.cancel.ok",
                    format!("The backup job {id} is canceled."),
                ),
            )
        } else {
            (
                ReturnStatus::Fail,
                message(
                    "com.vmware.applmgmt.backup.job.cancel.ended",
                    format!("The backup job {id} has already ended; there is nothing to cancel."),
                ),
            )
        };
        Ok(return_result(&inner.faults, result.0, vec![result.1]))
    }

    /// Details of the given jobs, in the order asked, each once.
    pub(crate) fn details(&self, ids: &[String]) -> Result<Vec<(String, DetailsInfo)>, VapiError> {
        let inner = self.lock();
        let now = self.clock.now();
        let mut out: Vec<(String, DetailsInfo)> = Vec::with_capacity(ids.len());
        for id in ids {
            let job = inner.jobs.get(id).ok_or_else(|| Self::job_not_found(id))?;
            if !out.iter().any(|(seen, _)| seen == id) {
                out.push((id.clone(), job.details(now, &inner.faults, &inner.config)));
            }
        }
        Ok(out)
    }

    /// One page of the details of every job, newest first, and where the next page starts:
    /// the whole history is answered a page at a time, so its answer needs little memory.
    pub(crate) fn details_page(
        &self,
        cursor: Cursor,
        max: usize,
    ) -> (Vec<(String, DetailsInfo)>, Cursor) {
        let inner = self.lock();
        let now = self.clock.now();
        let (jobs, next) = inner.jobs.page(cursor, max);
        let page = jobs
            .into_iter()
            .map(|job| {
                (
                    job.id.clone(),
                    job.details(now, &inner.faults, &inner.config),
                )
            })
            .collect();
        (page, next)
    }

    /// One page of job ids, newest first, and where the next page starts.
    pub(crate) fn ids_page(&self, cursor: Cursor, max: usize) -> (Vec<String>, Cursor) {
        let inner = self.lock();
        let (jobs, next) = inner.jobs.page(cursor, max);
        (jobs.into_iter().map(|j| j.id.clone()).collect(), next)
    }

    pub(crate) fn parts(&self) -> Vec<Part> {
        parts::list()
    }

    /// The estimated size of a part in MB.
    pub(crate) fn part_size(&self, id: &str) -> Result<i64, VapiError> {
        parts::size_mb(id).ok_or_else(|| {
            let known: Vec<&str> = parts::PARTS.iter().map(|p| p.id).collect();
            VapiError::not_found(
                "com.vmware.applmgmt.backup.parts.not_found",
                format!(
                    "The part '{}' does not exist. Known parts: {}.",
                    id.chars().take(64).collect::<String>(),
                    known.join(", ")
                ),
            )
        })
    }

    pub(crate) fn validate(&self, req: &BackupRequest) -> Result<ReturnResult, VapiError> {
        let location = validate::backup_request(req)?;
        let inner = self.lock();
        let mut failures = Vec::new();
        let mut warnings = Vec::new();
        if inner
            .used_folders
            .contains(&validate::folder_key(&location))
        {
            failures.push(message(
                "com.vmware.applmgmt.backup.location.not_empty",
                format!(
                    "The folder {} already contains a backup. Choose an empty folder.",
                    req.location
                ),
            ));
        }
        if is_unreachable_host(&location) {
            failures.push(message(
                "com.vmware.applmgmt.backup.location.unreachable",
                format!(
                    "Cannot connect to the backup server {}. Check the address and that the server is running.",
                    location.host_str().unwrap_or_default()
                ),
            ));
        }
        if req.location_type == LocationType::Scp {
            warnings.push(message(
                "com.vmware.applmgmt.backup.location.scp_deprecated",
                "SCP is deprecated on this appliance version; use SFTP instead.",
            ));
        }
        let status = match (failures.is_empty(), warnings.is_empty()) {
            (false, _) => ReturnStatus::Fail,
            (true, false) => ReturnStatus::Warning,
            (true, true) => ReturnStatus::Ok,
        };
        failures.extend(warnings);
        Ok(return_result(&inner.faults, status, failures))
    }

    // ------------------------------------------------------------------ control

    pub(crate) fn snapshot(&self) -> SimState {
        let inner = self.lock();
        let now = self.clock.now();
        SimState {
            jobs: inner.jobs.len(),
            running_job: inner.jobs.active(now).map(|j| j.id.clone()),
            live_sessions: inner.sessions.live(now, inner.config.session_idle_timeout),
            logins: inner.sessions.opened(),
            requests: self.requests.load(std::sync::atomic::Ordering::Relaxed),
            connections: self.connections.load(std::sync::atomic::Ordering::Relaxed),
            outage: self.outage.get(),
            used_folders: inner.used_folders.len(),
            schedules: inner.schedules.ids(),
            archives: inner.catalog.len(),
            recovery: inner.recovery.state(now),
            time: self.clock.utc(now),
            job_wait: inner.config.job_wait.clone(),
            faults: inner.faults.clone(),
        }
    }

    /// Counts one request to a vendor path.
    pub(crate) fn count_request(&self) {
        self.requests
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    pub(crate) fn expire_sessions(&self) {
        self.lock().sessions.expire_all();
    }

    /// The simulated time now.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.utc(self.clock.now())
    }

    /// Moves the simulated clock ahead; the events due meanwhile are played at their times.
    pub(crate) fn advance_clock(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// Runs the retention pass now; answers the archives it removed.
    pub(crate) fn run_retention(&self) -> Vec<String> {
        self.lock().retention_pass()
    }

    pub(crate) fn set_job_duration(&self, duration: Duration) {
        self.lock().config.job_duration = duration;
    }

    pub(crate) fn set_job_wait(&self, wait: JobWait) {
        self.lock().config.job_wait = wait;
    }

    pub(crate) fn set_session_idle_timeout(&self, idle: Duration) {
        self.lock().config.session_idle_timeout = idle;
    }

    pub(crate) fn update_faults(&self, f: impl FnOnce(&mut Faults)) {
        f(&mut self.lock().faults);
    }

    /// Counts one vendor call against `fail_next`; true when this call must fail.
    pub(crate) fn take_injected_failure(&self) -> bool {
        let now = self.clock.utc(self.clock.now());
        self.lock().faults.take_failure(now)
    }
}

impl Inner {
    /// Starts a job at `now` with the appliance's job settings.
    pub(crate) fn start_job(
        &mut self,
        clock: &Clock,
        spec: JobSpec,
        now: Instant,
        failure: Option<JobFailure>,
        wait: Option<JobWait>,
    ) -> BackupJobStatus {
        let wait = wait.unwrap_or_else(|| self.config.job_wait.clone());
        let curve = self.faults.next_job_progress.take();
        let plan = RunPlan {
            curve: curve.unwrap_or_else(|| ProgressCurve::steady(self.config.job_duration)),
            pending: wait.pending(),
            blocked: wait.blocked(),
            failure,
        };
        let build = self.config.build.clone();
        let job = self.jobs.start(spec, now, clock, plan, &build);
        job.status(now, &self.faults)
    }
}

fn return_result(
    faults: &Faults,
    status: ReturnStatus,
    messages: Vec<LocalizableMessage>,
) -> ReturnResult {
    ReturnResult {
        status: match faults.unknown(EnumField::ReturnStatus) {
            Some(v) => ReturnStatus::from(v),
            None => status,
        },
        messages,
    }
}
