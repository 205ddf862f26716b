//! The client: one set of operations over both flavours, with sessions handled for the caller.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use progenitor_client::{Error as WireError, ResponseValue};
use vcsa_backup_api::status::capture_status;
use vcsa_backup_api::{Auth, types};

use vcsa_backup_api::Secret;

use crate::backup::part::Part;
use crate::backup::request::BackupRequest;
use crate::error::{Error, Problem, ServerError};
use crate::job::details::JobDetails;
use crate::job::id::JobId;
use crate::job::status::{JobStatus, Outcome};
use crate::message::Message;
use crate::wire::classify::{self, Body, IntoServerError};
use crate::wire::convert::IntoDomain;
use crate::wire::flavour::Flavour;

pub(crate) mod builder;

pub use builder::{ClientBuilder, DEFAULT_TIMEOUT};

/// A client for one appliance's backup API.
///
/// Cheap to clone and share across tasks: clones share one session. It logs in on first use,
/// sends the session with every call, and when the appliance says the session has expired it logs
/// in again once and repeats the call, if the call only reads. Calls that start or cancel work
/// are never repeated behind the caller's back: they fail with [`Error::SessionExpired`] instead,
/// after a new session has been opened.
///
/// ```
/// use vcsa_backup::{BackupRequest, Client, Secret};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sim = vcsa_backup_sim::Simulator::builder().tls(false).start().await?;
/// # let base_url = sim.url(); // such as "https://vcsa.example.com"
/// let client = Client::builder(base_url)
///     .credentials("administrator@vsphere.local", Secret::new("VMware1!"))
///     .build()?;
/// let request = BackupRequest::builder()
///     .location("sftp://backup.example.com/vcsa/today")
///     .location_credentials("backup", Secret::new("s3cret"))
///     .build()?;
/// let job = client.start_backup(&request).await?;
/// println!("{}: {} ({})", job.id, job.state, job.progress);
///
/// // Clones share the session; the client can move into other tasks.
/// let other = client.clone();
/// let status = tokio::spawn(async move { other.get_job(&job.id).await }).await??;
/// println!("{}: {}", status.id, status.state);
/// client.logout().await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    api: vcsa_backup_api::Client,
    auth: Auth,
    http: reqwest::Client,
    base_url: String,
    user: Option<String>,
    /// Kept beside `auth` too: detection logs in without the generated client.
    password: Option<Secret>,
    configured: Flavour,
    resolved: OnceLock<Flavour>,
    /// Held while logging in, so that tasks whose sessions expire together log in once.
    login: tokio::sync::Mutex<()>,
    /// Counts log-ins; a task that saw the session fail under an older count need not log in.
    epoch: AtomicU64,
}

/// Whether an operation may be sent again after a new log in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// It only reads (or only checks): sending it twice changes nothing.
    Yes,
    /// It starts or stops work: never sent twice without the caller's say.
    No,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("user", &self.inner.user)
            .field("flavour", &self.flavour_if_known())
            .field("logged_in", &self.inner.auth.session().is_some())
            .finish()
    }
}

impl Client {
    /// Starts building a client for the appliance at `base_url`, such as
    /// `https://vcsa.example.com` (no path: the client adds `/api` or `/rest`).
    ///
    /// ```
    /// use vcsa_backup::{Client, Error, Secret};
    ///
    /// let client = Client::builder("https://vcsa.example.com")
    ///     .credentials("administrator@vsphere.local", Secret::new("VMware1!"))
    ///     .build()?;
    /// // Every settings problem is reported at once, before anything is sent.
    /// let Err(Error::Configuration { problems }) = Client::builder("vcsa.example.com/api")
    ///     .credentials("", Secret::new(""))
    ///     .build()
    /// else {
    ///     panic!("expected a configuration error");
    /// };
    /// assert_eq!(problems.len(), 3);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    pub(crate) fn from_parts(
        base_url: String,
        http: reqwest::Client,
        credentials: Option<(String, Secret)>,
        flavour: Flavour,
    ) -> Self {
        let auth = Auth::new();
        let user = credentials.as_ref().map(|(u, _)| u.clone());
        let password = credentials.as_ref().map(|(_, p)| p.clone());
        if let Some((user, password)) = credentials {
            auth.set_credentials(user, password);
        }
        let resolved = OnceLock::new();
        if flavour != Flavour::Auto {
            let _ = resolved.set(flavour);
        }
        Self {
            inner: Arc::new(Inner {
                api: vcsa_backup_api::Client::new_with_client(
                    &base_url,
                    http.clone(),
                    auth.clone(),
                ),
                auth,
                http,
                base_url,
                user,
                password,
                configured: flavour,
                resolved,
                login: tokio::sync::Mutex::new(()),
                epoch: AtomicU64::new(0),
            }),
        }
    }

    /// The appliance's address, as configured.
    ///
    /// ```
    /// use vcsa_backup::{Client, Flavour};
    ///
    /// let client = Client::builder("https://vcsa.example.com/").flavour(Flavour::Rest).build()?;
    /// assert_eq!(client.base_url(), "https://vcsa.example.com");
    /// assert_eq!(client.configured_flavour(), Flavour::Rest);
    /// assert_eq!(client.flavour_if_known(), Some(Flavour::Rest)); // no detection needed
    /// # Ok::<(), vcsa_backup::Error>(())
    /// ```
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The flavour asked for when the client was built (possibly [`Flavour::Auto`]).
    pub fn configured_flavour(&self) -> Flavour {
        self.inner.configured
    }

    /// The flavour in use, if already known (always, unless [`Flavour::Auto`] has not yet
    /// detected it).
    pub fn flavour_if_known(&self) -> Option<Flavour> {
        self.inner.resolved.get().copied()
    }

    /// The flavour in use: [`Flavour::Api`] or [`Flavour::Rest`], never `Auto`. With
    /// [`Flavour::Auto`], the first call detects it by logging in.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = vcsa_backup_sim::Simulator::builder().tls(false).start().await?;
    /// # let client = vcsa_backup::Client::builder(sim.url())
    /// #     .credentials(vcsa_backup_sim::DEFAULT_USER, vcsa_backup::Secret::new(vcsa_backup_sim::DEFAULT_PASSWORD))
    /// #     .build()?;
    /// use vcsa_backup::Flavour;
    ///
    /// assert_eq!(client.flavour_if_known(), None); // Auto, not detected yet
    /// let flavour = client.flavour().await?; // logs in on /api, or falls back to /rest
    /// assert_eq!(flavour, Flavour::Api);
    /// assert_eq!(client.flavour_if_known(), Some(Flavour::Api));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// Those of [`login`](Self::login), when detection is needed.
    pub async fn flavour(&self) -> Result<Flavour, Error> {
        match self.flavour_if_known() {
            Some(flavour) => Ok(flavour),
            None => self.session().await.map(|(flavour, _)| flavour),
        }
    }

    /// Logs in now, replacing any current session. Calls log in by themselves when needed, so
    /// this is only for checking credentials early.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = vcsa_backup_sim::Simulator::builder().tls(false).start().await?;
    /// # let client = vcsa_backup::Client::builder(sim.url())
    /// #     .credentials(vcsa_backup_sim::DEFAULT_USER, vcsa_backup::Secret::new(vcsa_backup_sim::DEFAULT_PASSWORD))
    /// #     .build()?;
    /// use vcsa_backup::Error;
    ///
    /// // Check the credentials before a long script starts working.
    /// match client.login().await {
    ///     Ok(()) => println!("logged in"),
    ///     Err(e @ Error::NotAuthenticated { .. }) => return Err(format!("fix the credentials: {e}").into()),
    ///     Err(e) => return Err(e.into()),
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::NotAuthenticated`]: no credentials were given, or the appliance refused them.
    /// - [`Error::Transient`], [`Error::UntrustedCertificate`]: the appliance could not be reached
    ///   or trusted.
    /// - [`Error::Server`], [`Error::MalformedResponse`]: anything else the appliance answered.
    pub async fn login(&self) -> Result<(), Error> {
        let _guard = self.inner.login.lock().await;
        self.log_in_locked().await?;
        self.inner.epoch.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    /// Ends the session on the appliance. Does nothing when there is none; a session the
    /// appliance has already forgotten counts as ended.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = vcsa_backup_sim::Simulator::builder().tls(false).start().await?;
    /// # let client = vcsa_backup::Client::builder(sim.url())
    /// #     .credentials(vcsa_backup_sim::DEFAULT_USER, vcsa_backup::Secret::new(vcsa_backup_sim::DEFAULT_PASSWORD))
    /// #     .build()?;
    /// client.list_jobs().await?; // logs in
    /// client.logout().await?; // ends the session on the appliance
    /// client.logout().await?; // nothing left to end: does nothing
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Transient`], [`Error::UntrustedCertificate`], [`Error::Server`],
    /// [`Error::MalformedResponse`]; the session is then kept, so log out can be tried again.
    pub async fn logout(&self) -> Result<(), Error> {
        let _guard = self.inner.login.lock().await;
        let (Some(flavour), Some(_)) = (self.flavour_if_known(), self.inner.auth.session()) else {
            return Ok(());
        };
        let api = &self.inner.api;
        let result = match flavour {
            Flavour::Rest => wire(api.rest_delete_session(), Body::Quotable).await,
            _ => wire(api.delete_session(), Body::Quotable).await,
        };
        match result {
            Ok(()) | Err(Error::NotAuthenticated { .. }) => {
                tracing::debug!(%flavour, "logged out");
                self.inner.auth.clear_session();
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Starts a backup. Never repeated by the client: a backup runs at most once per call.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = vcsa_backup_sim::Simulator::builder().tls(false).start().await?;
    /// # let client = vcsa_backup::Client::builder(sim.url())
    /// #     .credentials(vcsa_backup_sim::DEFAULT_USER, vcsa_backup::Secret::new(vcsa_backup_sim::DEFAULT_PASSWORD))
    /// #     .build()?;
    /// # let request = vcsa_backup::BackupRequest::builder()
    /// #     .location("sftp://backup.example.com/vcsa/today")
    /// #     .location_credentials("backup", vcsa_backup::Secret::new("s3cret"))
    /// #     .build()?;
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
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: the appliance refused the request (a bad location or
    ///   password, or a folder that already holds a backup).
    /// - [`Error::BackupInProgress`]: another backup or restore is running; wait and retry.
    /// - [`Error::SessionExpired`]: the session expired first; nothing started, call again.
    /// - [`Error::NotAuthenticated`], [`Error::NotAuthorized`], [`Error::Transient`],
    ///   [`Error::UntrustedCertificate`], [`Error::Server`], [`Error::MalformedResponse`].
    pub async fn start_backup(&self, request: &BackupRequest) -> Result<JobStatus, Error> {
        let api = &self.inner.api;
        let body = request.to_wire();
        let piece = types::RestBackupRequestPiece {
            piece: body.clone(),
        };
        let (body, piece) = (&body, &piece);
        self.call("start a backup", Repeat::No, |flavour| async move {
            match flavour {
                Flavour::Rest => wire(api.rest_create_job(piece), Body::Quotable)
                    .await
                    .map(|v| v.value.into_domain()),
                _ => wire(api.create_job(body), Body::Quotable)
                    .await
                    .map(IntoDomain::into_domain),
            }
        })
        .await
    }

    /// The status of one job: state, progress and messages.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = vcsa_backup_sim::Simulator::builder().tls(false).start().await?;
    /// # let client = vcsa_backup::Client::builder(sim.url())
    /// #     .credentials(vcsa_backup_sim::DEFAULT_USER, vcsa_backup::Secret::new(vcsa_backup_sim::DEFAULT_PASSWORD))
    /// #     .build()?;
    /// # let request = vcsa_backup::BackupRequest::builder()
    /// #     .location("sftp://backup.example.com/vcsa/today")
    /// #     .location_credentials("backup", vcsa_backup::Secret::new("s3cret"))
    /// #     .build()?;
    /// let job = client.start_backup(&request).await?;
    /// let status = client.get_job(&job.id).await?;
    /// println!("{}: {} {}", status.id, status.state, status.progress);
    /// for message in &status.messages {
    ///     println!("  {message}");
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::NotFound`]: no job has this id.
    /// - [`Error::NotAuthenticated`], [`Error::NotAuthorized`], [`Error::Transient`],
    ///   [`Error::UntrustedCertificate`], [`Error::Server`], [`Error::MalformedResponse`].
    pub async fn get_job(&self, id: &JobId) -> Result<JobStatus, Error> {
        let api = &self.inner.api;
        self.call("get a job's status", Repeat::Yes, |flavour| async move {
            match flavour {
                Flavour::Rest => wire(api.rest_get_job(id.as_str()), Body::Quotable)
                    .await
                    .map(|v| v.value.into_domain()),
                _ => wire(api.get_job(id.as_str()), Body::Quotable)
                    .await
                    .map(IntoDomain::into_domain),
            }
        })
        .await
    }

    /// The ids of current and past backup jobs, newest first.
    ///
    /// Ids of the documented form are sorted by their start time; if the appliance sends any
    /// other id, its own order (documented as newest first) is kept.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = vcsa_backup_sim::Simulator::builder().tls(false).start().await?;
    /// # let client = vcsa_backup::Client::builder(sim.url())
    /// #     .credentials(vcsa_backup_sim::DEFAULT_USER, vcsa_backup::Secret::new(vcsa_backup_sim::DEFAULT_PASSWORD))
    /// #     .build()?;
    /// # let request = vcsa_backup::BackupRequest::builder()
    /// #     .location("sftp://backup.example.com/vcsa/today")
    /// #     .location_credentials("backup", vcsa_backup::Secret::new("s3cret"))
    /// #     .build()?;
    /// let job = client.start_backup(&request).await?;
    /// let jobs = client.list_jobs().await?;
    /// assert_eq!(jobs.first(), Some(&job.id), "newest first");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotAuthenticated`], [`Error::NotAuthorized`], [`Error::Transient`],
    /// [`Error::UntrustedCertificate`], [`Error::Server`], [`Error::MalformedResponse`].
    pub async fn list_jobs(&self) -> Result<Vec<JobId>, Error> {
        let api = &self.inner.api;
        let ids: Vec<String> = self
            .call("list jobs", Repeat::Yes, |flavour| async move {
                match flavour {
                    Flavour::Rest => wire(api.rest_list_jobs(), Body::Quotable)
                        .await
                        .map(|v| v.value.0),
                    _ => wire(api.list_jobs(), Body::Quotable).await.map(|v| v.0),
                }
            })
            .await?;
        let mut ids: Vec<JobId> = ids.into_iter().map(JobId::new).collect();
        if ids.iter().all(JobId::is_time_stamped) {
            ids.sort_by(|a, b| b.cmp(a));
        }
        Ok(ids)
    }

    /// Details of the given jobs, or of every job with `None`, keyed by job id; the same from
    /// both flavours. An empty list asks for nothing and sends nothing.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = vcsa_backup_sim::Simulator::builder().tls(false).start().await?;
    /// # let client = vcsa_backup::Client::builder(sim.url())
    /// #     .credentials(vcsa_backup_sim::DEFAULT_USER, vcsa_backup::Secret::new(vcsa_backup_sim::DEFAULT_PASSWORD))
    /// #     .build()?;
    /// # let request = vcsa_backup::BackupRequest::builder()
    /// #     .location("sftp://backup.example.com/vcsa/today")
    /// #     .location_credentials("backup", vcsa_backup::Secret::new("s3cret"))
    /// #     .build()?;
    /// let job = client.start_backup(&request).await?;
    /// // One job; `None` asks for every job the appliance remembers.
    /// let details = client.list_job_details(Some(std::slice::from_ref(&job.id))).await?;
    /// let info = &details[&job.id];
    /// println!("{} to {} ({}, started by {})", info.status, info.location, info.description, info.kind);
    /// let all = client.list_job_details(None).await?;
    /// assert!(all.contains_key(&job.id));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::NotFound`]: a listed job does not exist (on appliances that say so).
    /// - [`Error::MalformedResponse`]: a negative size, duration or progress figure.
    /// - [`Error::NotAuthenticated`], [`Error::NotAuthorized`], [`Error::Transient`],
    ///   [`Error::UntrustedCertificate`], [`Error::Server`].
    pub async fn list_job_details(
        &self,
        jobs: Option<&[JobId]>,
    ) -> Result<BTreeMap<JobId, JobDetails>, Error> {
        if jobs.is_some_and(<[JobId]>::is_empty) {
            return Ok(BTreeMap::new());
        }
        let filter: Option<Vec<String>> =
            jobs.map(|ids| ids.iter().map(|id| id.as_str().to_string()).collect());
        let api = &self.inner.api;
        let filter = filter.as_ref();
        let entries: Vec<(String, types::DetailsInfo)> = self
            .call("get job details", Repeat::Yes, |flavour| async move {
                match flavour {
                    Flavour::Rest => wire(api.rest_list_job_details(filter), Body::Quotable)
                        .await
                        .map(|v| v.value.into_iter().map(|e| (e.key, e.value)).collect()),
                    _ => wire(api.list_job_details(filter), Body::Quotable)
                        .await
                        .map(|v| v.0.into_iter().collect()),
                }
            })
            .await?;
        entries
            .into_iter()
            .map(|(id, info)| {
                let details =
                    JobDetails::from_wire(info).map_err(|reason| Error::MalformedResponse {
                        status: None,
                        reason: format!("details of job {id}: {reason}"),
                        excerpt: String::new(),
                    })?;
                Ok((JobId::new(id), details))
            })
            .collect()
    }

    /// Asks the appliance to cancel a job; the outcome says whether it agreed. Not repeated
    /// after a session expiry.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = vcsa_backup_sim::Simulator::builder().tls(false).start().await?;
    /// # let client = vcsa_backup::Client::builder(sim.url())
    /// #     .credentials(vcsa_backup_sim::DEFAULT_USER, vcsa_backup::Secret::new(vcsa_backup_sim::DEFAULT_PASSWORD))
    /// #     .build()?;
    /// # let request = vcsa_backup::BackupRequest::builder()
    /// #     .location("sftp://backup.example.com/vcsa/today")
    /// #     .location_credentials("backup", vcsa_backup::Secret::new("s3cret"))
    /// #     .build()?;
    /// let job = client.start_backup(&request).await?;
    /// let outcome = client.cancel_job(&job.id).await?;
    /// if outcome.is_accepted() {
    ///     println!("cancelling {}", job.id);
    /// } else {
    ///     println!("the appliance would not cancel it: {:?}", outcome.messages);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::NotFound`]: no job has this id.
    /// - [`Error::SessionExpired`]: the session expired first; nothing was cancelled.
    /// - [`Error::NotAuthenticated`], [`Error::NotAuthorized`], [`Error::Transient`],
    ///   [`Error::UntrustedCertificate`], [`Error::Server`], [`Error::MalformedResponse`].
    pub async fn cancel_job(&self, id: &JobId) -> Result<Outcome, Error> {
        let api = &self.inner.api;
        self.call("cancel a job", Repeat::No, |flavour| async move {
            match flavour {
                Flavour::Rest => wire(api.rest_cancel_job(id.as_str()), Body::Quotable)
                    .await
                    .map(|v| v.value.into_domain()),
                _ => wire(api.cancel_job(id.as_str()), Body::Quotable)
                    .await
                    .map(IntoDomain::into_domain),
            }
        })
        .await
    }

    /// Runs a backup schedule now (usually the schedule `default`), with an optional comment.
    /// Never repeated by the client.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = vcsa_backup_sim::Simulator::builder().tls(false).start().await?;
    /// # let client = vcsa_backup::Client::builder(sim.url())
    /// #     .credentials(vcsa_backup_sim::DEFAULT_USER, vcsa_backup::Secret::new(vcsa_backup_sim::DEFAULT_PASSWORD))
    /// #     .build()?;
    /// let job = client.run_schedule("default", Some("before the upgrade")).await?;
    /// println!("the schedule runs as job {}", job.id);
    ///
    /// // A bad id is refused before anything is sent.
    /// let error = client.run_schedule("", None).await.unwrap_err();
    /// assert!(matches!(error, vcsa_backup::Error::InvalidRequest(_)));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: the schedule id is empty or holds `/`, `?` or `#`, or
    ///   the comment holds control characters (nothing is sent).
    /// - [`Error::NotFound`]: no schedule has this id.
    /// - [`Error::BackupInProgress`]: another backup or restore is running; wait and retry.
    /// - [`Error::SessionExpired`]: the session expired first; nothing started, call again.
    /// - [`Error::NotAuthenticated`], [`Error::NotAuthorized`], [`Error::Transient`],
    ///   [`Error::UntrustedCertificate`], [`Error::Server`], [`Error::MalformedResponse`].
    pub async fn run_schedule(
        &self,
        schedule: &str,
        comment: Option<&str>,
    ) -> Result<JobStatus, Error> {
        let mut problems = Vec::new();
        if schedule.trim().is_empty() || schedule.contains(['/', '?', '#']) {
            problems.push(Problem::new(
                "schedule",
                format!("\"{schedule}\" is not a schedule id; the usual one is \"default\""),
            ));
        }
        if comment.is_some_and(|c| c.chars().any(|c| c.is_control() && c != '\n' && c != '\t')) {
            problems.push(Problem::new(
                "comment",
                "the comment contains control characters (such as a carriage return); remove them",
            ));
        }
        if !problems.is_empty() {
            return Err(Error::problems_found(problems));
        }
        let api = &self.inner.api;
        let body = types::RunScheduleRequest {
            comment: comment.map(str::to_string),
        };
        let body = &body;
        self.call("run a backup schedule", Repeat::No, |flavour| async move {
            match flavour {
                Flavour::Rest => wire(api.rest_run_schedule(schedule, body), Body::Quotable)
                    .await
                    .map(|v| v.value.into_domain()),
                _ => wire(api.run_schedule(schedule, body), Body::Quotable)
                    .await
                    .map(IntoDomain::into_domain),
            }
        })
        .await
    }

    /// The parts of the appliance a backup can include, with which are included by default.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = vcsa_backup_sim::Simulator::builder().tls(false).start().await?;
    /// # let client = vcsa_backup::Client::builder(sim.url())
    /// #     .credentials(vcsa_backup_sim::DEFAULT_USER, vcsa_backup::Secret::new(vcsa_backup_sim::DEFAULT_PASSWORD))
    /// #     .build()?;
    /// use vcsa_backup::PartId;
    ///
    /// let parts = client.list_parts().await?;
    /// for part in &parts {
    ///     println!("{:<12} {} (default: {})", part.id, part.name, part.selected_by_default);
    /// }
    /// assert!(parts.iter().any(|p| p.id == PartId::SEAT));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotAuthenticated`], [`Error::NotAuthorized`], [`Error::Transient`],
    /// [`Error::UntrustedCertificate`], [`Error::Server`], [`Error::MalformedResponse`].
    pub async fn list_parts(&self) -> Result<Vec<Part>, Error> {
        let api = &self.inner.api;
        let parts: Vec<types::Part> = self
            .call("list parts", Repeat::Yes, |flavour| async move {
                match flavour {
                    Flavour::Rest => wire(api.rest_list_parts(), Body::Quotable)
                        .await
                        .map(|v| v.value.0),
                    _ => wire(api.list_parts(), Body::Quotable).await.map(|v| v.0),
                }
            })
            .await?;
        Ok(parts.into_iter().map(IntoDomain::into_domain).collect())
    }

    /// Asks the appliance to check a request without starting a backup: it can reach the
    /// location, log in there, and the folder holds no backup yet. Repeated after a session
    /// expiry, since it changes nothing.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = vcsa_backup_sim::Simulator::builder().tls(false).start().await?;
    /// # let client = vcsa_backup::Client::builder(sim.url())
    /// #     .credentials(vcsa_backup_sim::DEFAULT_USER, vcsa_backup::Secret::new(vcsa_backup_sim::DEFAULT_PASSWORD))
    /// #     .build()?;
    /// # let request = vcsa_backup::BackupRequest::builder()
    /// #     .location("sftp://backup.example.com/vcsa/today")
    /// #     .location_credentials("backup", vcsa_backup::Secret::new("s3cret"))
    /// #     .build()?;
    /// let check = client.validate_backup(&request).await?;
    /// if check.is_accepted() {
    ///     client.start_backup(&request).await?;
    /// } else {
    ///     for message in &check.messages {
    ///         eprintln!("{}: {message}", check.status);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: the appliance refused the request outright.
    /// - [`Error::NotAuthenticated`], [`Error::NotAuthorized`], [`Error::Transient`],
    ///   [`Error::UntrustedCertificate`], [`Error::Server`], [`Error::MalformedResponse`].
    pub async fn validate_backup(&self, request: &BackupRequest) -> Result<Outcome, Error> {
        let api = &self.inner.api;
        let body = request.to_wire();
        let piece = types::RestBackupRequestPiece {
            piece: body.clone(),
        };
        let (body, piece) = (&body, &piece);
        self.call(
            "validate a backup request",
            Repeat::Yes,
            |flavour| async move {
                match flavour {
                    Flavour::Rest => wire(api.rest_validate_backup(piece), Body::Quotable)
                        .await
                        .map(|v| v.value.into_domain()),
                    _ => wire(api.validate_backup(body), Body::Quotable)
                        .await
                        .map(IntoDomain::into_domain),
                }
            },
        )
        .await
    }

    /// Runs one operation with a session, logging in again once if the session has expired.
    async fn call<T, F, Fut>(
        &self,
        operation: &'static str,
        repeat: Repeat,
        send: F,
    ) -> Result<T, Error>
    where
        F: Fn(Flavour) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let (flavour, epoch) = self.session().await?;
        match send(flavour).await {
            Err(Error::NotAuthenticated { .. }) => {
                tracing::info!(
                    operation,
                    "the appliance says the session expired; logging in again"
                );
                self.relogin(epoch).await?;
                match repeat {
                    Repeat::No => {
                        tracing::warn!(
                            operation,
                            "not repeated after the session expired: it changes something"
                        );
                        Err(Error::SessionExpired { operation })
                    }
                    Repeat::Yes => match send(flavour).await {
                        Err(Error::NotAuthenticated { server, .. }) => {
                            Err(Error::NotAuthenticated {
                                reason: crate::error::FRESH_SESSION_REFUSED.into(),
                                server,
                            })
                        }
                        other => other,
                    },
                }
            }
            other => other,
        }
    }

    /// The flavour and the log-in count of a live session, logging in if there is none.
    async fn session(&self) -> Result<(Flavour, u64), Error> {
        let epoch = self.inner.epoch.load(Ordering::SeqCst);
        if let Some(flavour) = self.flavour_if_known()
            && self.inner.auth.session().is_some()
        {
            return Ok((flavour, epoch));
        }
        self.relogin(epoch).await
    }

    /// Logs in, unless another task has done so since log-in count `seen`.
    async fn relogin(&self, seen: u64) -> Result<(Flavour, u64), Error> {
        let _guard = self.inner.login.lock().await;
        let now = self.inner.epoch.load(Ordering::SeqCst);
        if now != seen
            && self.inner.auth.session().is_some()
            && let Some(flavour) = self.flavour_if_known()
        {
            return Ok((flavour, now));
        }
        let flavour = self.log_in_locked().await?;
        Ok((flavour, self.inner.epoch.fetch_add(1, Ordering::SeqCst) + 1))
    }

    /// Logs in (detecting the flavour first if needed). Call with the log-in lock held.
    async fn log_in_locked(&self) -> Result<Flavour, Error> {
        let Some(user) = self.inner.user.as_deref() else {
            return Err(Error::NotAuthenticated {
                reason: "no credentials were given to the client; set them with \
                         ClientBuilder::credentials"
                    .into(),
                server: None,
            });
        };
        self.inner.auth.clear_session();
        let flavour = match self.flavour_if_known() {
            Some(flavour) => flavour,
            None => match self.detect().await? {
                Detected::Api(token) => {
                    tracing::info!(user, "the appliance speaks /api; logged in");
                    self.inner.auth.set_session(token);
                    let _ = self.inner.resolved.set(Flavour::Api);
                    return Ok(Flavour::Api);
                }
                Detected::Rest => {
                    tracing::info!(
                        "the appliance has no /api (before vSphere 7.0 U2); using /rest"
                    );
                    let _ = self.inner.resolved.set(Flavour::Rest);
                    Flavour::Rest
                }
            },
        };
        tracing::debug!(user, %flavour, "logging in");
        let api = &self.inner.api;
        let token = match flavour {
            Flavour::Rest => wire(api.rest_create_session(), Body::Secret)
                .await
                .map(|v| v.value),
            _ => wire(api.create_session(), Body::Secret).await,
        }
        .map_err(|e| refused_log_in(e, user))?;
        self.inner.auth.set_session(token);
        Ok(flavour)
    }

    /// Logs in on `/api`; an appliance without it (before 7.0 U2) answers 404, so speaks `/rest`.
    ///
    /// Sent directly rather than through the generated client, because detection needs the
    /// status code even when the body is an HTML page the generated error type cannot hold.
    async fn detect(&self) -> Result<Detected, Error> {
        let password = self
            .inner
            .password
            .clone()
            .unwrap_or_else(|| Secret::new(""));
        let response = self
            .inner
            .http
            .post(format!("{}/api/session", self.inner.base_url))
            .basic_auth(
                self.inner.user.as_deref().unwrap_or_default(),
                Some(password.expose()),
            )
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(classify::from_transport)?;
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            return Err(classify::redirected(status, response.headers()));
        }
        let bytes = response.bytes().await.map_err(|e| Error::Transient {
            reason: "the connection broke while the appliance's answer was being read".into(),
            server: None,
            source: Some(Box::new(e)),
        })?;
        match status {
            200 | 201 => serde_json::from_slice::<Secret>(&bytes)
                .map(Detected::Api)
                .map_err(|e| classify::from_undecodable(Some(status), &bytes, &e, Body::Secret)),
            404 | 405 | 501 => Ok(Detected::Rest),
            _ => {
                let server = classify::decode_error_body(&bytes, false)
                    .map(|mut s| {
                        s.status = Some(status);
                        s
                    })
                    .unwrap_or_else(|| ServerError {
                        error_type: None,
                        messages: vec![Message::new(
                            format!("http.status.{status}"),
                            format!("HTTP {status}"),
                        )],
                        data: None,
                        status: Some(status),
                    });
                Err(refused_log_in(
                    classify::from_server(server),
                    self.inner.user.as_deref().unwrap_or_default(),
                ))
            }
        }
    }
}

enum Detected {
    Api(Secret),
    Rest,
}

/// Says which user the appliance refused, when it refused the log in itself.
fn refused_log_in(error: Error, user: &str) -> Error {
    match error {
        Error::NotAuthenticated { server, .. } => Error::NotAuthenticated {
            reason: format!("the appliance refused the log in of \"{user}\""),
            server,
        },
        other => other,
    }
}

/// Awaits a generated call and converts its failure, keeping the HTTP status of an answer whose
/// body could not be decoded (the generated error drops it).
async fn wire<T, E: IntoServerError>(
    call: impl Future<Output = Result<ResponseValue<T>, WireError<E>>>,
    body: Body,
) -> Result<T, Error> {
    match capture_status(call).await {
        (Ok(value), _) => Ok(value.into_inner()),
        (Err(e), status) => Err(classify::from_wire(e, status.map(|s| s.as_u16()), body).await),
    }
}

// Shared across tasks is the point of the client: keep it so.
const _: () = {
    const fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<Client>();
};
