//! [`WaitError`]: why a wait ended without a successful job, with what it saw on the way.

use std::fmt;
use std::time::Duration;

use crate::{Error, JobId, JobState, JobStatus};

/// Counters of one wait, for messages and logs.
///
/// ```
/// # use std::time::Duration;
/// # use vcsa_backup::{BackupRequest, Client, Secret};
/// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, JobFailure, Simulator};
/// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
/// # runtime.block_on(async {
/// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(600)).start().await?;
/// # sim.control().fail_next_job(JobFailure::at(40, "The backup server ran out of space."));
/// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
/// # let request = BackupRequest::builder()
/// #     .location("sftp://nas.example.com/backups/vcsa")
/// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
/// #     .build()?;
/// use vcsa_backup::wait::WaitOptions;
///
/// let job = client.start_backup(&request).await?;
/// let error = client.wait_for_job(&job.id, &WaitOptions::default()).await.unwrap_err();
/// let summary = error.summary();
/// println!("{} reads over {:?}, {} failed", summary.polls, summary.waited, summary.failed_polls);
/// assert!(summary.polls > 1);
/// assert_eq!(summary.consecutive_failures, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitSummary {
    /// Time from the start of the wait to its end.
    pub waited: Duration,
    /// Reads of the job's status, failed ones included.
    pub polls: u32,
    /// Reads that failed.
    pub failed_polls: u32,
    /// Failed reads in a row at the end of the wait.
    pub consecutive_failures: u32,
}

/// A job that kept a new backup from starting, and how long it was waited for.
///
/// ```
/// # use std::time::Duration;
/// # use vcsa_backup::{BackupRequest, Client, Secret};
/// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
/// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
/// # runtime.block_on(async {
/// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(600)).start().await?;
/// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
/// # let request = BackupRequest::builder()
/// #     .location("sftp://nas.example.com/backups/vcsa")
/// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
/// #     .build()?;
/// use vcsa_backup::JobState;
/// use vcsa_backup::wait::WaitOptions;
///
/// let nightly = client.run_schedule("default", None).await?;
/// let started = client.start_backup_when_idle(&request, &WaitOptions::default()).await?;
/// let blocker = &started.blocked_by[0];
/// assert_eq!(blocker.job, nightly.id);
/// assert_eq!(blocker.final_state, Some(JobState::Succeeded));
/// println!("waited {:?} for {}", blocker.waited, blocker.job);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Blocker {
    /// The job that was running (the newest in the appliance's job list).
    pub job: JobId,
    /// How long the wait for this job took.
    pub waited: Duration,
    /// Its state at the end of that wait (`None` if it could no longer be read, e.g. it was
    /// removed from the appliance's list).
    pub final_state: Option<JobState>,
}

/// Why a wait ended without a successful job. See [`WaitError::kind`].
///
/// ```
/// # use std::time::Duration;
/// # use vcsa_backup::{BackupRequest, Client, Secret};
/// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
/// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
/// # runtime.block_on(async {
/// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(600)).start().await?;
/// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
/// # let request = BackupRequest::builder()
/// #     .location("sftp://nas.example.com/backups/vcsa")
/// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
/// #     .build()?;
/// use std::time::Duration;
/// use vcsa_backup::wait::{WaitErrorKind, WaitOptions};
///
/// let job = client.start_backup(&request).await?;
/// let options = WaitOptions::default().max_wait(Duration::from_secs(60));
/// match client.wait_for_job(&job.id, &options).await {
///     Ok(status) => println!("{} succeeded", status.id),
///     Err(e) => match e.kind() {
///         WaitErrorKind::JobFailed => eprintln!("the backup failed: {e}"),
///         WaitErrorKind::DeadlineExceeded { max_wait, .. } => {
///             assert_eq!(*max_wait, Duration::from_secs(60));
///             eprintln!("still running after {max_wait:?}; waiting again later")
///         }
///         WaitErrorKind::Stalled { unchanged_for, .. } => eprintln!("stuck for {unchanged_for:?}"),
///         WaitErrorKind::PollFailed(cause) => eprintln!("could not read the job: {cause}"),
///         other => eprintln!("{other:?}"),
///     },
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[non_exhaustive]
#[derive(Debug)]
pub enum WaitErrorKind {
    /// The job ended in `FAILED`; [`WaitError::last_status`] holds its final status and messages.
    JobFailed,
    /// The deadline passed while the job was still running; the job goes on on the appliance.
    DeadlineExceeded {
        /// The limit the wait was given.
        max_wait: Duration,
        /// The error of the last read, if it failed.
        last_error: Option<Error>,
    },
    /// Neither the job's state nor its progress changed for longer than
    /// [`WaitOptions::stall_timeout`](super::WaitOptions::stall_timeout); the job goes on on the
    /// appliance.
    Stalled {
        /// The limit the wait was given.
        limit: Duration,
        /// How long the state and progress had been the same when the wait gave up.
        unchanged_for: Duration,
    },
    /// Reading the job's status (or the job list) failed in a way the fault policy does not
    /// retry (`NotFound`, `NotAuthorized`, credentials refused), or transient
    /// failures went on for longer than it allows.
    PollFailed(Error),
    /// The appliance refused to start the new backup for a reason other than a backup in
    /// progress (start-when-idle only).
    StartFailed(Error),
}

/// A wait that did not end with a successful job.
///
/// It says what happened ([`kind`](Self::kind)), which job was waited on, what the last status
/// read was, how long the wait took and how many reads it made ([`summary`](Self::summary)), and
/// for start-when-idle which jobs held the start back ([`blocked_by`](Self::blocked_by)).
/// `Display` writes all of it in one paragraph an administrator can act on.
///
/// ```
/// # use std::time::Duration;
/// # use vcsa_backup::{BackupRequest, Client, Secret};
/// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, JobFailure, Simulator};
/// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
/// # runtime.block_on(async {
/// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(600)).start().await?;
/// # sim.control().fail_next_job(JobFailure::at(40, "The backup server ran out of space."));
/// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
/// # let request = BackupRequest::builder()
/// #     .location("sftp://nas.example.com/backups/vcsa")
/// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
/// #     .build()?;
/// use vcsa_backup::wait::WaitOptions;
///
/// let job = client.start_backup(&request).await?;
/// let error = client.wait_for_job(&job.id, &WaitOptions::default()).await.unwrap_err();
/// assert!(error.is_job_failed());
/// assert_eq!(error.job(), Some(&job.id));
/// // One paragraph: what happened, what the job said, where to look next.
/// eprintln!("{error}");
/// assert!(error.to_string().contains("ran out of space"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct WaitError(Box<Details>);

// Boxed: a wait's error is rare, and a small `Result` keeps every poll's happy path cheap.
#[derive(Debug)]
struct Details {
    kind: WaitErrorKind,
    job: Option<JobId>,
    summary: WaitSummary,
    last_status: Option<JobStatus>,
    blocked_by: Vec<Blocker>,
    /// The wait was part of start-when-idle: nothing was started.
    starting: bool,
}

impl WaitError {
    pub(crate) fn new(
        kind: WaitErrorKind,
        job: Option<JobId>,
        summary: WaitSummary,
        last_status: Option<JobStatus>,
    ) -> Self {
        Self(Box::new(Details {
            kind,
            job,
            summary,
            last_status,
            blocked_by: Vec::new(),
            starting: false,
        }))
    }

    /// Reports the whole start-when-idle's limit and time rather than those of the wait on one
    /// blocking job.
    pub(crate) fn with_total(mut self, total_max_wait: Duration, total_waited: Duration) -> Self {
        if let WaitErrorKind::DeadlineExceeded { max_wait, .. } = &mut self.0.kind {
            *max_wait = total_max_wait;
        }
        self.0.summary.waited = total_waited;
        self
    }

    /// Marks the error as the end of a start-when-idle, after waiting for `blocked_by`.
    pub(crate) fn while_starting(mut self, blocked_by: Vec<Blocker>) -> Self {
        self.0.blocked_by = blocked_by;
        self.0.starting = true;
        self
    }

    /// What ended the wait.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use vcsa_backup::{BackupRequest, Client, Secret};
    /// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, JobFailure, Simulator};
    /// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
    /// # runtime.block_on(async {
    /// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(600)).start().await?;
    /// # sim.control().fail_next_job(JobFailure::at(40, "The backup server ran out of space."));
    /// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
    /// # let request = BackupRequest::builder()
    /// #     .location("sftp://nas.example.com/backups/vcsa")
    /// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    /// #     .build()?;
    /// use vcsa_backup::wait::WaitOptions;
    ///
    /// let job = client.start_backup(&request).await?;
    /// let error = client.wait_for_job(&job.id, &WaitOptions::default()).await.unwrap_err();
    /// assert!(matches!(error.kind(), vcsa_backup::wait::WaitErrorKind::JobFailed));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kind(&self) -> &WaitErrorKind {
        &self.0.kind
    }

    /// The same, by value (to take the inner [`Error`] out).
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use vcsa_backup::{BackupRequest, Client, Secret};
    /// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
    /// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
    /// # runtime.block_on(async {
    /// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(600)).start().await?;
    /// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
    /// # let request = BackupRequest::builder()
    /// #     .location("sftp://nas.example.com/backups/vcsa")
    /// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    /// #     .build()?;
    /// use vcsa_backup::wait::{WaitErrorKind, WaitOptions};
    ///
    /// let missing = vcsa_backup::JobId::new("20240101-000000-1");
    /// let error = client.wait_for_job(&missing, &WaitOptions::default()).await.unwrap_err();
    /// let WaitErrorKind::PollFailed(cause) = error.into_kind() else { panic!() };
    /// assert!(matches!(cause, vcsa_backup::Error::NotFound(_)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_kind(self) -> WaitErrorKind {
        self.0.kind
    }

    /// The job the wait was on (for start-when-idle: the job that blocked the start), if any.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use vcsa_backup::{BackupRequest, Client, Secret};
    /// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, JobFailure, Simulator};
    /// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
    /// # runtime.block_on(async {
    /// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(600)).start().await?;
    /// # sim.control().fail_next_job(JobFailure::at(40, "The backup server ran out of space."));
    /// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
    /// # let request = BackupRequest::builder()
    /// #     .location("sftp://nas.example.com/backups/vcsa")
    /// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    /// #     .build()?;
    /// use vcsa_backup::wait::WaitOptions;
    ///
    /// let job = client.start_backup(&request).await?;
    /// let error = client.wait_for_job(&job.id, &WaitOptions::default()).await.unwrap_err();
    /// assert_eq!(error.job(), Some(&job.id));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn job(&self) -> Option<&JobId> {
        self.0.job.as_ref()
    }

    /// The last status read: the final one for [`WaitErrorKind::JobFailed`].
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use vcsa_backup::{BackupRequest, Client, Secret};
    /// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, JobFailure, Simulator};
    /// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
    /// # runtime.block_on(async {
    /// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(600)).start().await?;
    /// # sim.control().fail_next_job(JobFailure::at(40, "The backup server ran out of space."));
    /// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
    /// # let request = BackupRequest::builder()
    /// #     .location("sftp://nas.example.com/backups/vcsa")
    /// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    /// #     .build()?;
    /// use vcsa_backup::wait::WaitOptions;
    ///
    /// let job = client.start_backup(&request).await?;
    /// let error = client.wait_for_job(&job.id, &WaitOptions::default()).await.unwrap_err();
    /// let last = error.last_status().expect("the final status");
    /// assert_eq!(last.state, vcsa_backup::JobState::Failed);
    /// for message in &last.messages {
    ///     eprintln!("  {message}");
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn last_status(&self) -> Option<&JobStatus> {
        self.0.last_status.as_ref()
    }

    /// How long the wait took and how many reads it made.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use vcsa_backup::{BackupRequest, Client, Secret};
    /// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, JobFailure, Simulator};
    /// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
    /// # runtime.block_on(async {
    /// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(600)).start().await?;
    /// # sim.control().fail_next_job(JobFailure::at(40, "The backup server ran out of space."));
    /// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
    /// # let request = BackupRequest::builder()
    /// #     .location("sftp://nas.example.com/backups/vcsa")
    /// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    /// #     .build()?;
    /// use vcsa_backup::wait::WaitOptions;
    ///
    /// let job = client.start_backup(&request).await?;
    /// let error = client.wait_for_job(&job.id, &WaitOptions::default()).await.unwrap_err();
    /// println!("gave up after {} reads over {:?}", error.summary().polls, error.summary().waited);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn summary(&self) -> &WaitSummary {
        &self.0.summary
    }

    /// For start-when-idle: the jobs that were waited for before the wait ended.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use vcsa_backup::{BackupRequest, Client, Secret};
    /// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
    /// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
    /// # runtime.block_on(async {
    /// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(600)).start().await?;
    /// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
    /// # let request = BackupRequest::builder()
    /// #     .location("sftp://nas.example.com/backups/vcsa")
    /// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    /// #     .build()?;
    /// use std::time::Duration;
    /// use vcsa_backup::wait::WaitOptions;
    ///
    /// let nightly = client.run_schedule("default", None).await?;
    /// // Too short a limit: the nightly backup is still running when it passes.
    /// let options = WaitOptions::default().max_wait(Duration::from_secs(30));
    /// let error = client.start_backup_when_idle(&request, &options).await.unwrap_err();
    /// assert!(error.is_deadline_exceeded());
    /// // The job still blocking the start is `job()`; `blocked_by` lists those that had ended.
    /// assert_eq!(error.job(), Some(&nightly.id));
    /// assert!(error.blocked_by().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn blocked_by(&self) -> &[Blocker] {
        &self.0.blocked_by
    }

    /// Whether the job itself failed (as opposed to the wait).
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use vcsa_backup::{BackupRequest, Client, Secret};
    /// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, JobFailure, Simulator};
    /// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
    /// # runtime.block_on(async {
    /// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(600)).start().await?;
    /// # sim.control().fail_next_job(JobFailure::at(40, "The backup server ran out of space."));
    /// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
    /// # let request = BackupRequest::builder()
    /// #     .location("sftp://nas.example.com/backups/vcsa")
    /// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    /// #     .build()?;
    /// use vcsa_backup::wait::WaitOptions;
    ///
    /// let job = client.start_backup(&request).await?;
    /// let error = client.wait_for_job(&job.id, &WaitOptions::default()).await.unwrap_err();
    /// assert!(error.is_job_failed());
    /// assert!(!error.is_deadline_exceeded() && !error.is_stalled());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_job_failed(&self) -> bool {
        matches!(self.0.kind, WaitErrorKind::JobFailed)
    }

    /// Whether the job stalled (see [`WaitOptions::stall_timeout`](super::WaitOptions::stall_timeout)).
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use vcsa_backup::{BackupRequest, Client, Secret};
    /// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
    /// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
    /// # runtime.block_on(async {
    /// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(600)).start().await?;
    /// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
    /// # let request = BackupRequest::builder()
    /// #     .location("sftp://nas.example.com/backups/vcsa")
    /// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    /// #     .build()?;
    /// use std::time::Duration;
    /// use vcsa_backup::wait::WaitOptions;
    ///
    /// // A job that has not moved for 10 minutes is reported, not waited on for hours.
    /// let options = WaitOptions::default().stall_timeout(Duration::from_secs(600));
    /// let job = client.start_backup(&request).await?;
    /// match client.wait_for_job(&job.id, &options).await {
    ///     Err(e) if e.is_stalled() => eprintln!("look at the appliance: {e}"),
    ///     Err(e) => eprintln!("{e}"),
    ///     Ok(status) => println!("{} done", status.id),
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_stalled(&self) -> bool {
        matches!(self.0.kind, WaitErrorKind::Stalled { .. })
    }

    /// Whether the deadline passed.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use vcsa_backup::{BackupRequest, Client, Secret};
    /// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
    /// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
    /// # runtime.block_on(async {
    /// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(600)).start().await?;
    /// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
    /// # let request = BackupRequest::builder()
    /// #     .location("sftp://nas.example.com/backups/vcsa")
    /// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    /// #     .build()?;
    /// use std::time::Duration;
    /// use vcsa_backup::wait::WaitOptions;
    ///
    /// let job = client.start_backup(&request).await?;
    /// let options = WaitOptions::default().max_wait(Duration::from_secs(60));
    /// let error = client.wait_for_job(&job.id, &options).await.unwrap_err();
    /// assert!(error.is_deadline_exceeded()); // the 10-minute job goes on on the appliance
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_deadline_exceeded(&self) -> bool {
        matches!(self.0.kind, WaitErrorKind::DeadlineExceeded { .. })
    }

    fn job_name(&self) -> String {
        self.0.job.as_ref().map_or_else(
            || "the running job".to_string(),
            |job| format!("backup job {job}"),
        )
    }

    /// `5 reads over 12.3s (2 failed, the last 2 in a row)`.
    fn write_counts(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0.summary;
        write!(f, "{} read{}", s.polls, if s.polls == 1 { "" } else { "s" })?;
        if !s.waited.is_zero() {
            write!(f, " over {}", HumanDuration(s.waited))?;
        }
        match (s.failed_polls, s.consecutive_failures) {
            (0, _) => Ok(()),
            (failed, last) if last > 1 && last == failed => {
                write!(f, " ({failed} failed in a row)")
            }
            (failed, last) if last > 1 => write!(f, " ({failed} failed, the last {last} in a row)"),
            (failed, _) => write!(f, " ({failed} failed)"),
        }
    }

    fn write_last_status(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.last_status() {
            Some(status) => write!(
                f,
                "last seen {} at {}",
                status.state.as_wire(),
                status.progress
            ),
            None => f.write_str("its status could not be read even once"),
        }
    }

    fn write_blockers(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.blocked_by.is_empty() {
            return Ok(());
        }
        f.write_str(" Waited first for ")?;
        for (n, blocker) in self.0.blocked_by.iter().enumerate() {
            if n > 0 {
                f.write_str(", then ")?;
            }
            write!(f, "job {} ({}", blocker.job, HumanDuration(blocker.waited))?;
            if let Some(state) = &blocker.final_state {
                write!(f, ", ended {}", state.as_wire())?;
            }
            f.write_str(")")?;
        }
        f.write_str(".")
    }
}

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let job = self.job_name();
        match &self.0.kind {
            WaitErrorKind::JobFailed => {
                write!(f, "{job} FAILED")?;
                let messages = self.last_status().map(|s| s.messages.as_slice());
                if let Some(messages) = messages.filter(|m| !m.is_empty()) {
                    f.write_str(": ")?;
                    write_messages(f, messages)?;
                } else {
                    f.write_str(" without a message from the appliance")?;
                }
                f.write_str(" (seen after ")?;
                self.write_counts(f)?;
                f.write_str(
                    "). Its details (`list_job_details`) and the appliance's backup log say more.",
                )?;
            }
            WaitErrorKind::DeadlineExceeded {
                max_wait,
                last_error,
            } if self.0.starting && self.0.job.is_none() => {
                write!(
                    f,
                    "gave up starting the backup when the limit of {} was reached, after {} \
                     attempt{}",
                    HumanDuration(*max_wait),
                    self.0.summary.polls,
                    if self.0.summary.polls == 1 { "" } else { "s" }
                )?;
                if let Some(error) = last_error {
                    write!(f, "; the last answer was: {error}")?;
                }
                f.write_str(". Nothing was started; try again later, or with a longer limit.")?;
            }
            WaitErrorKind::DeadlineExceeded {
                max_wait,
                last_error,
            } => {
                write!(
                    f,
                    "gave up waiting for {job} when the limit of {} was reached, after ",
                    HumanDuration(*max_wait)
                )?;
                self.write_counts(f)?;
                f.write_str("; ")?;
                self.write_last_status(f)?;
                if let Some(error) = last_error {
                    write!(f, ", and the last read failed: {error}")?;
                }
                f.write_str(
                    ". The job is still running on the appliance: wait again with a longer \
                     limit, or cancel it (`cancel_job`).",
                )?;
            }
            WaitErrorKind::Stalled {
                limit,
                unchanged_for,
            } => {
                write!(f, "gave up waiting for {job}: ")?;
                match self.last_status() {
                    Some(status) => write!(
                        f,
                        "it has stayed {} at {}",
                        status.state.as_wire(),
                        status.progress
                    )?,
                    None => f.write_str("it has not changed")?,
                }
                write!(
                    f,
                    " for {} (the stall limit is {}), after ",
                    HumanDuration(*unchanged_for),
                    HumanDuration(*limit)
                )?;
                self.write_counts(f)?;
                f.write_str(
                    ". The job is still running on the appliance: look at it there (its details \
                     and the backup log), then wait again or cancel it (`cancel_job`).",
                )?;
            }
            WaitErrorKind::PollFailed(error) if self.0.job.is_none() => {
                write!(
                    f,
                    "could not read the appliance's job list to find the job that blocks the new \
                     backup: {error}"
                )?;
                if self.0.summary.consecutive_failures > 1 {
                    write!(
                        f,
                        " ({} failed reads in a row)",
                        self.0.summary.consecutive_failures
                    )?;
                }
            }
            WaitErrorKind::PollFailed(error) => {
                write!(f, "stopped waiting for {job} after ")?;
                self.write_counts(f)?;
                if self.0.last_status.is_some() {
                    f.write_str("; ")?;
                    self.write_last_status(f)?;
                }
                write!(f, ": {error}")?;
            }
            WaitErrorKind::StartFailed(error) => {
                write!(f, "the appliance refused to start the backup: {error}")?;
            }
        }
        if self.0.starting {
            match (&self.0.kind, &self.0.job) {
                (WaitErrorKind::StartFailed(_) | WaitErrorKind::DeadlineExceeded { .. }, None) => {}
                (_, Some(_)) => {
                    f.write_str(" That job was blocking the new backup: nothing was started.")?
                }
                (_, None) => f.write_str("; nothing was started.")?,
            }
        }
        self.write_blockers(f)
    }
}

impl std::error::Error for WaitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.kind {
            WaitErrorKind::PollFailed(error) | WaitErrorKind::StartFailed(error) => Some(error),
            WaitErrorKind::DeadlineExceeded {
                last_error: Some(error),
                ..
            } => Some(error),
            _ => None,
        }
    }
}

/// Messages as one sentence sequence: `First. Second.`, or `first; second` without full stops.
fn write_messages(f: &mut fmt::Formatter<'_>, messages: &[crate::Message]) -> fmt::Result {
    for (n, message) in messages.iter().enumerate() {
        if n > 0 {
            let previous = messages[n - 1].to_string();
            f.write_str(if previous.ends_with(['.', '!', '?']) {
                " "
            } else {
                "; "
            })?;
        }
        write!(f, "{message}")?;
    }
    Ok(())
}

/// A duration as a person reads it: `850ms`, `4.5s`, `12m 5s`, `2h 0m 14s`.
pub(crate) struct HumanDuration(pub(crate) Duration);

impl fmt::Display for HumanDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d < Duration::from_secs(1) {
            return write!(f, "{}ms", d.as_millis());
        }
        if d < Duration::from_secs(60) {
            let tenths = d.as_millis() / 100;
            return if tenths.is_multiple_of(10) {
                write!(f, "{}s", tenths / 10)
            } else {
                write!(f, "{}.{}s", tenths / 10, tenths % 10)
            };
        }
        let secs = d.as_secs();
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        if h > 0 {
            write!(f, "{h}h {m}m {s}s")
        } else {
            write!(f, "{m}m {s}s")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::HumanDuration;
    use std::time::Duration;

    #[test]
    fn durations_read_like_a_person_writes_them() {
        let h = |ms| HumanDuration(Duration::from_millis(ms)).to_string();
        assert_eq!(h(0), "0ms");
        assert_eq!(h(850), "850ms");
        assert_eq!(h(1000), "1s");
        assert_eq!(h(4_560), "4.5s");
        assert_eq!(h(59_999), "59.9s");
        assert_eq!(h(60_000), "1m 0s");
        assert_eq!(h(725_000), "12m 5s");
        assert_eq!(h(7_214_000), "2h 0m 14s");
        assert_eq!(h(u64::MAX), "5124095576030h 25m 51s");
    }
}
