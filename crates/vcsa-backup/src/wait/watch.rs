//! [`JobWatch`]: a job's status updates as a [`Stream`], which can also be awaited to the end.
//!
//! No lock: the poller moves into the future of the read under way and comes back out with its
//! result, so whoever holds the watch holds the poller (the pattern of google-cloud-rust's
//! long-running operations).

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::WaitOptions;
use super::poller::{Poller, Step};
use crate::error::WaitError;
use crate::{Client, JobId, JobState, JobStatus, Message, Percent};

type Read = Pin<Box<dyn Future<Output = (Poller<Client>, Result<Step, WaitError>)> + Send>>;

/// Where the watch is: holding the poller between reads, or a read under way that holds it.
enum State {
    Idle(Box<Poller<Client>>),
    Reading(Read),
    /// Only while a poll moves from one state to the other.
    Moving,
}

/// A backup job's status updates, from [`Client::watch_job`].
///
/// As a [`Stream`] it yields the first status read, then every status whose state, progress or
/// messages differ from the one before, and ends after the job's final status (`SUCCEEDED` or
/// `FAILED`: check [`JobStatus::state`]) or after an error (deadline passed, job not found,
/// failed reads for too long...). Reads between updates follow the wait's schedule; a state
/// this SDK does not know is reported like any other and the watch goes on.
///
/// Awaiting it (`.await`, at any point: before, during or after the stream) waits for the end
/// on the same schedule and deadline, as [`Client::wait_for_job`] does. After the job's final
/// status it answers without reading again; after an error it goes on from where that error
/// left the wait (past the deadline it answers at once).
///
/// **Dropping a watch stops the polling, not the backup** (cancel that with
/// [`Client::cancel_job`]).
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).paused().job_secs(120).run(async |sim, client, request| {
/// use futures_util::StreamExt;
/// use vcsa_backup::JobState;
/// use vcsa_backup::wait::WaitOptions;
///
/// let job = client.start_backup(&request).await?;
/// let mut updates = client.watch_job(&job.id, &WaitOptions::default());
/// // Show the first update...
/// if let Some(first) = updates.next().await {
///     println!("{:>4} {}", first?.progress.to_string(), job.id);
/// }
/// // ...then just wait for the end.
/// let status = updates.await?;
/// assert_eq!(status.state, JobState::Succeeded);
/// # Ok(()) })
/// ```
pub struct JobWatch {
    job: JobId,
    state: State,
    /// The state, progress and messages last reported: an update differs in one of them.
    seen: Option<(JobState, Percent, Vec<Message>)>,
    ended: bool,
}

impl JobWatch {
    pub(crate) fn new(client: &Client, job: &JobId, options: &WaitOptions) -> Self {
        let poller = Poller::new(client.clone(), job.clone(), options, options.start());
        Self {
            job: job.clone(),
            state: State::Idle(Box::new(poller)),
            seen: None,
            ended: false,
        }
    }

    /// Waits for the end, continuing the same schedule: a read under way is finished first.
    async fn until_done(self) -> Result<JobStatus, WaitError> {
        let mut poller = match self.state {
            State::Idle(poller) => *poller,
            State::Reading(read) => {
                // An end read here is reported again, without reading, by the poller.
                let (poller, step) = read.await;
                step?;
                poller
            }
            State::Moving => unreachable!("a watch is never left between states"),
        };
        poller.until_done().await
    }
}

impl Stream for JobWatch {
    type Item = Result<JobStatus, WaitError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is `Unpin`.
        let this = self.get_mut();
        loop {
            if this.ended {
                return Poll::Ready(None);
            }
            let mut read: Read = match std::mem::replace(&mut this.state, State::Moving) {
                State::Idle(mut poller) => Box::pin(async move {
                    let step = poller.step().await;
                    (*poller, step)
                }),
                State::Reading(read) => read,
                State::Moving => unreachable!("a watch is never left between states"),
            };
            let (poller, step) = match read.as_mut().poll(cx) {
                Poll::Pending => {
                    this.state = State::Reading(read);
                    return Poll::Pending;
                }
                Poll::Ready(done) => done,
            };
            this.state = State::Idle(Box::new(poller));
            let status = match step {
                Ok(Step::Running(status)) => status,
                Ok(Step::Ended(status)) => {
                    this.ended = true;
                    status
                }
                Err(error) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(error)));
                }
            };
            let seen = (
                status.state.clone(),
                status.progress,
                status.messages.clone(),
            );
            if this.ended || this.seen.as_ref() != Some(&seen) {
                this.seen = Some(seen);
                return Poll::Ready(Some(Ok(status)));
            }
        }
    }
}

impl IntoFuture for JobWatch {
    type Output = Result<JobStatus, WaitError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.until_done())
    }
}

impl std::fmt::Debug for JobWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobWatch")
            .field("job", &self.job)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}
