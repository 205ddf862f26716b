//! [`JobWatch`]: a job's status updates as a [`Stream`], which can also be awaited to the end.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use std::sync::Arc;

use futures_core::Stream;
use tokio::sync::Mutex;
use tracing::{Instrument, Span};

use super::error::WaitError;
use super::poller::{JobSource, Poller, Step};
use crate::{Client, JobState, JobStatus, Message, Percent};

type StepFuture = Pin<Box<dyn Future<Output = Result<Step, WaitError>> + Send>>;

/// What makes an update worth reporting.
#[derive(Debug, PartialEq)]
struct Seen {
    state: JobState,
    progress: Percent,
    messages: Vec<Message>,
}

impl Seen {
    fn of(status: &JobStatus) -> Self {
        Self {
            state: status.state.clone(),
            progress: status.progress,
            messages: status.messages.clone(),
        }
    }
}

/// The stream behind [`JobWatch`], over any [`JobSource`].
pub(crate) struct Watch<S: JobSource> {
    // Shared with the read under way, so the stream can be turned into `until_done` at any time.
    poller: Arc<Mutex<Poller<S>>>,
    span: Span,
    in_flight: Option<StepFuture>,
    seen: Option<Seen>,
    ended: bool,
}

impl<S: JobSource> Watch<S> {
    pub(crate) fn new(poller: Poller<S>) -> Self {
        Self {
            span: poller.span().clone(),
            poller: Arc::new(Mutex::new(poller)),
            in_flight: None,
            seen: None,
            ended: false,
        }
    }

    pub(crate) async fn until_done(mut self) -> Result<JobStatus, WaitError> {
        let span = self.span.clone();
        async move {
            if let Some(step) = self.in_flight.take() {
                match step.await? {
                    Step::Ended(status) => return self.poller.lock().await.finish(status),
                    Step::Running(_) => {}
                }
            }
            self.poller.lock().await.until_done().await
        }
        .instrument(span)
        .await
    }
}

impl<S: JobSource> Stream for Watch<S> {
    type Item = Result<JobStatus, WaitError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.ended {
                return Poll::Ready(None);
            }
            let step = this.in_flight.get_or_insert_with(|| {
                let poller = this.poller.clone();
                Box::pin(
                    async move { poller.lock().await.step().await }.instrument(this.span.clone()),
                )
            });
            let result = ready!(step.as_mut().poll(cx));
            this.in_flight = None;
            match result {
                Ok(Step::Ended(status)) => {
                    this.ended = true;
                    return Poll::Ready(Some(Ok(status)));
                }
                Ok(Step::Running(status)) => {
                    let seen = Seen::of(&status);
                    if this.seen.as_ref() != Some(&seen) {
                        this.seen = Some(seen);
                        return Poll::Ready(Some(Ok(status)));
                    }
                }
                Err(error) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}

/// A backup job's status updates, from [`Client::watch_job`].
///
/// As a [`Stream`] it yields the first status read, then every status whose state, progress or
/// messages differ from the one before, and ends after the job's final status (`SUCCEEDED` or
/// `FAILED`: check [`JobStatus::state`]) or after an error (deadline passed, job not found,
/// too many failed reads...). Reads between updates follow the wait's backoff; a state this SDK
/// does not know is reported like any other and the watch goes on.
///
/// [`until_done`](Self::until_done) waits for the end from wherever the stream is, with the
/// same policies and deadline, and turns a `FAILED` job into a [`WaitError`].
///
/// **Dropping a watch stops the polling, not the backup**: the job keeps running on the
/// appliance. To stop the backup itself, call [`Client::cancel_job`] with its id.
///
/// ```
/// # use std::time::Duration;
/// # use vcsa_backup::{BackupRequest, Client, Secret};
/// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
/// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
/// # runtime.block_on(async {
/// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(120)).start().await?;
/// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
/// # let request = BackupRequest::builder()
/// #     .location("sftp://nas.example.com/backups/vcsa")
/// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
/// #     .build()?;
/// use futures_util::StreamExt;
/// use vcsa_backup::JobState;
/// use vcsa_backup::wait::WaitOptions;
///
/// let job = client.start_backup(&request).await?;
/// let mut updates = client.watch_job(&job.id, &WaitOptions::default());
/// let mut last = None;
/// while let Some(update) = updates.next().await {
///     let status = update?;
///     println!("{:>4} {}", status.progress.to_string(), status.state);
///     last = Some(status.state);
/// }
/// assert_eq!(last, Some(JobState::Succeeded));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct JobWatch {
    inner: Watch<Client>,
}

impl JobWatch {
    pub(crate) fn new(poller: Poller<Client>) -> Self {
        Self {
            inner: Watch::new(poller),
        }
    }

    /// Waits until the job ends: its final status if it succeeded, otherwise a [`WaitError`]
    /// ([`WaitErrorKind::JobFailed`](super::WaitErrorKind::JobFailed) with its messages, the
    /// deadline, or a read that failed for good).
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use vcsa_backup::{BackupRequest, Client, Secret};
    /// # use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
    /// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
    /// # runtime.block_on(async {
    /// # let sim = Simulator::builder().tls(false).job_duration(Duration::from_secs(120)).start().await?;
    /// # let client = Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD)).build()?;
    /// # let request = BackupRequest::builder()
    /// #     .location("sftp://nas.example.com/backups/vcsa")
    /// #     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    /// #     .build()?;
    /// use futures_util::StreamExt;
    /// use vcsa_backup::wait::WaitOptions;
    ///
    /// let job = client.start_backup(&request).await?;
    /// let mut updates = client.watch_job(&job.id, &WaitOptions::default());
    /// // Show the first update, then just wait for the end.
    /// if let Some(first) = updates.next().await {
    ///     println!("{} is {}", job.id, first?.state);
    /// }
    /// let status = updates.until_done().await?;
    /// assert_eq!(status.progress.value(), 100);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn until_done(self) -> Result<JobStatus, WaitError> {
        self.inner.until_done().await
    }
}

impl Stream for JobWatch {
    type Item = Result<JobStatus, WaitError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.inner).poll_next(cx)
    }
}

impl std::fmt::Debug for JobWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The poller is busy while a read is under way; the job id is also in the span.
        let poller = self.inner.poller.try_lock().ok();
        f.debug_struct("JobWatch")
            .field("job", &poller.as_ref().map(|p| p.job().clone()))
            .field("summary", &poller.as_ref().map(|p| p.summary()))
            .field("ended", &self.inner.ended)
            .finish_non_exhaustive()
    }
}
