//! The operations, one method each: a [`Twins`](crate::wire::dispatch::Twins) pair sent by
//! [`Client::call`](super::Client) with a session, and the answer converted into domain types.

use std::collections::BTreeMap;

use vcsa_backup_api::types;

use crate::backup::part::Part;
use crate::backup::request::BackupRequest;
use crate::client::Client;
use crate::client::resolve::Start;
use crate::error::{Error, Field, Problem};
use crate::job::details::JobDetails;
use crate::job::id::JobId;
use crate::job::status::{JobStatus, Outcome};
use crate::message::Message;
use crate::segment::IdKind;
use crate::server_error::{ServerError, ServerErrorType};
use crate::wire::convert::IntoDomain;
use crate::wire::convert::job::job_details;
use crate::wire::twins::{
    CancelJob, GetJob, ListJobDetails, ListJobs, ListParts, RunSchedule, StartBackup,
    ValidateBackup,
};

impl Client {
    /// Starts a backup. Never repeated by the client: a backup runs at most once per call.
    ///
    /// When the answer is lost after the request may have reached the appliance (the
    /// connection dropped, a proxy answered 502, 503 or 504, the time-out passed), the client
    /// reads the appliance's recent jobs (for up to 30 seconds) to find out: it answers the job
    /// at this location that started meanwhile, or the original error when there is none
    /// (nothing started, safe to retry), or [`Error::OutcomeUnknown`].
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// use vcsa_backup::{Error, JobState};
    ///
    /// match client.start_backup(&request).await {
    ///     Ok(job) => {
    ///         assert_eq!(job.state, JobState::InProgress);
    ///         println!("started {} at {}", job.id, job.started_at);
    ///     }
    ///     Err(Error::BackupInProgress(e)) => println!("another backup is running, try later: {e}"),
    ///     Err(e) => return Err(e.into()),
    /// }
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: the appliance refused the request (a bad location or
    ///   password, or a folder that already holds a backup).
    /// - [`Error::BackupInProgress`]: another backup or restore is running; wait and retry.
    /// - [`Error::OutcomeUnknown`]: the answer was lost and the appliance's jobs could not say
    ///   whether the backup started; check them before trying again.
    /// - And [those of every call](Client#errors-of-every-call).
    pub async fn start_backup(&self, request: &BackupRequest) -> Result<JobStatus, Error> {
        let start = Start::Backup {
            location: request.location(),
        };
        self.start_once(start, self.call_into(&StartBackup(request)))
            .await
    }

    /// The status of one job: state, progress and messages.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// let job = client.start_backup(&request).await?;
    /// assert_eq!(client.list_jobs().await?.first(), Some(&job.id), "newest first");
    /// let status = client.get_job(&job.id).await?;
    /// println!("{}: {} {}", status.id, status.state, status.progress);
    /// for message in &status.messages {
    ///     println!("  {message}");
    /// }
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::NotFound`]: no job has this id.
    /// - And [those of every call](Client#errors-of-every-call).
    pub async fn get_job(&self, id: &JobId) -> Result<JobStatus, Error> {
        IdKind::Job.check(id.as_str())?;
        // Not through `call_into`: this is the path benches/per_call_ratio.rs measures, kept as is.
        self.call(&GetJob(id)).await.map(IntoDomain::into_domain)
    }

    /// The ids of current and past backup jobs, newest first.
    ///
    /// Ids of the documented form are sorted by their start time; if the appliance sends any
    /// other id, its own order (documented as newest first) is kept. Example: under
    /// [`get_job`](Self::get_job).
    ///
    /// # Errors
    ///
    /// Those of [every call](Client#errors-of-every-call).
    pub async fn list_jobs(&self) -> Result<Vec<JobId>, Error> {
        let ids = self.call(&ListJobs).await?.0;
        let mut ids: Vec<JobId> = ids.into_iter().map(JobId::new).collect();
        if ids.iter().all(JobId::is_time_stamped) {
            ids.sort_by(|a, b| b.cmp(a));
        }
        Ok(ids)
    }

    /// The details of one job.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// let job = client.start_backup(&request).await?;
    /// let info = client.get_job_details(&job.id).await?;
    /// println!("{} to {} ({}, started by {})", info.state, info.location, info.description, info.kind);
    ///
    /// // `None` asks for every job the appliance remembers.
    /// let all = client.list_job_details(None).await?;
    /// assert!(all.contains_key(&job.id));
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::NotFound`]: no job has this id.
    /// - Those of [`list_job_details`](Self::list_job_details).
    pub async fn get_job_details(&self, id: &JobId) -> Result<JobDetails, Error> {
        let mut details = self
            .list_job_details(Some(std::slice::from_ref(id)))
            .await?;
        details.remove(id).ok_or_else(|| {
            Error::NotFound(ServerError::new(
                Some(ServerErrorType::NotFound),
                vec![Message::new(
                    "vcsa_backup.job.not_found",
                    format!("The appliance has no job {id}."),
                )],
            ))
        })
    }

    /// Details of the given jobs, or of every job with `None`, keyed by job id; the same from
    /// both flavours. An empty list asks for nothing and sends nothing. Example: under
    /// [`get_job_details`](Self::get_job_details).
    ///
    /// # Errors
    ///
    /// - [`Error::NotFound`]: a listed job does not exist (on appliances that say so).
    /// - [`Error::MalformedResponse`]: a negative size, duration or progress figure.
    /// - And [those of every call](Client#errors-of-every-call).
    pub async fn list_job_details(
        &self,
        jobs: Option<&[JobId]>,
    ) -> Result<BTreeMap<JobId, JobDetails>, Error> {
        if jobs.is_some_and(<[JobId]>::is_empty) {
            return Ok(BTreeMap::new());
        }
        let filter = jobs.map(|ids| ids.iter().map(|id| id.as_str().to_string()).collect());
        let details = self.call(&ListJobDetails(filter)).await?.0;
        details
            .into_iter()
            .map(|(id, info)| {
                let details = job_details(info)
                    .map_err(|reason| Error::malformed(format!("details of job {id}: {reason}")))?;
                Ok((JobId::new(id), details))
            })
            .collect()
    }

    /// Asks the appliance to cancel a job; the outcome says whether it agreed.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// let job = client.start_backup(&request).await?;
    /// let outcome = client.cancel_job(&job.id).await?;
    /// if outcome.is_accepted() {
    ///     println!("cancelling {}", job.id);
    /// } else {
    ///     println!("the appliance would not cancel it: {:?}", outcome.messages);
    /// }
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::NotFound`]: no job has this id.
    /// - And [those of every call](Client#errors-of-every-call).
    pub async fn cancel_job(&self, id: &JobId) -> Result<Outcome, Error> {
        IdKind::Job.check(id.as_str())?;
        self.call_into(&CancelJob(id)).await
    }

    /// Runs a backup schedule now (usually the schedule `default`), with an optional comment.
    /// Never repeated by the client. A lost answer is settled as for
    /// [`start_backup`](Self::start_backup), by the scheduled jobs below the schedule's location
    /// that started meanwhile.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// let job = client.run_schedule("default", Some("before the upgrade")).await?;
    /// println!("the schedule runs as job {}", job.id);
    ///
    /// // A bad id is refused before anything is sent.
    /// let error = client.run_schedule("", None).await.unwrap_err();
    /// assert!(matches!(error, vcsa_backup::Error::InvalidRequest(_)));
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: the schedule id is empty or holds `/`, `?` or `#`, or
    ///   the comment holds control characters (nothing is sent).
    /// - [`Error::NotFound`]: no schedule has this id.
    /// - [`Error::BackupInProgress`]: another backup or restore is running; wait and retry.
    /// - [`Error::OutcomeUnknown`]: the answer was lost and the appliance's jobs could not say
    ///   whether the schedule ran; check them before trying again.
    /// - And [those of every call](Client#errors-of-every-call).
    pub async fn run_schedule(
        &self,
        schedule: &str,
        comment: Option<&str>,
    ) -> Result<JobStatus, Error> {
        let mut problems: Vec<Problem> = IdKind::Schedule.problem(schedule).into_iter().collect();
        if comment.is_some_and(|c| c.chars().any(|c| c.is_control() && c != '\n' && c != '\t')) {
            problems.push(
                Problem::new(
                    Field::Comment,
                    "the comment contains control characters (such as a carriage return)",
                )
                .with_hint("remove them"),
            );
        }
        if !problems.is_empty() {
            return Err(Error::problems_found(problems));
        }
        let body = types::RunScheduleRequest {
            comment: comment.map(str::to_string),
        };
        let run = RunSchedule { schedule, body };
        self.start_once(Start::Schedule { id: schedule }, self.call_into(&run))
            .await
    }

    /// The parts of the appliance a backup can include, with which are included by default.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// use vcsa_backup::PartId;
    ///
    /// let parts = client.list_parts().await?;
    /// for part in &parts {
    ///     println!("{:<12} {} (default: {})", part.id, part.name, part.selected_by_default);
    /// }
    /// assert!(parts.iter().any(|p| p.id == PartId::SEAT));
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// Those of [every call](Client#errors-of-every-call).
    pub async fn list_parts(&self) -> Result<Vec<Part>, Error> {
        let parts = self.call(&ListParts).await?.0;
        Ok(parts.into_iter().map(IntoDomain::into_domain).collect())
    }

    /// Asks the appliance to check a request without starting a backup: it can reach the
    /// location, log in there, and the folder holds no backup yet.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// let check = client.validate_backup(&request).await?;
    /// if check.is_accepted() {
    ///     client.start_backup(&request).await?;
    /// } else {
    ///     for message in &check.messages {
    ///         eprintln!("{}: {message}", check.status);
    ///     }
    /// }
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: the appliance refused the request outright.
    /// - And [those of every call](Client#errors-of-every-call).
    pub async fn validate_backup(&self, request: &BackupRequest) -> Result<Outcome, Error> {
        self.call_into(&ValidateBackup(request)).await
    }
}
