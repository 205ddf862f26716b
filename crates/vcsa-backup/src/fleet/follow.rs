//! Following the backups a fleet started to their end: one watch per appliance, every update
//! of every appliance in one stream.

use std::collections::HashMap;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use futures_core::stream::BoxStream;
use futures_util::StreamExt;
use futures_util::stream::SelectAll;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::client::Client;
use crate::fleet::accounts::Accounts;
use crate::fleet::run::{ApplianceFailure, close};
use crate::fleet::{Appliance, Fleet, FleetBackup};
use crate::wait::{FailureStreak, FaultAction, JobWatch, WaitOptions};
use crate::{JobDetails, JobId, JobState, JobStatus};

/// One update about one appliance's backup, from [`Fleet::follow`].
#[derive(Debug)]
#[non_exhaustive]
pub struct FollowUpdate {
    /// The appliance's name in the inventory.
    pub name: String,
    /// Its base URL.
    pub server: String,
    /// Its group, if it has one.
    pub group: Option<String>,
    /// The backup job followed.
    pub job: JobId,
    /// What happened.
    pub event: FollowEvent,
}

/// What a [`FollowUpdate`] says.
#[derive(Debug)]
#[non_exhaustive]
pub enum FollowEvent {
    /// The job's state, progress or messages changed; it has not ended.
    Progress(JobStatus),
    /// The appliance's last update: the job's final status, or why following it stopped
    /// before its end (the job may go on on the appliance: nothing cancels it).
    Ended(Result<FollowedJob, ApplianceFailure>),
}

impl FollowEvent {
    /// The job's status this update carries: the latest progress, or the final status.
    pub fn status(&self) -> Option<&JobStatus> {
        match self {
            Self::Progress(status) => Some(status),
            Self::Ended(Ok(followed)) => Some(&followed.status),
            Self::Ended(Err(_)) => None,
        }
    }
}

/// A followed job that ended, `SUCCEEDED` or `FAILED`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct FollowedJob {
    /// The final status.
    pub status: JobStatus,
    /// The job's details at the end (size, location, the error of a failed job), when the
    /// appliance gave them: they are read once, and a failed read leaves them out.
    pub details: Option<Box<JobDetails>>,
}

impl FollowedJob {
    /// Whether the job `SUCCEEDED`.
    pub fn succeeded(&self) -> bool {
        self.status.state == JobState::Succeeded
    }
}

/// The updates of every followed appliance, from [`Fleet::follow`]: a [`Stream`] of
/// [`FollowUpdate`]s, in the order they happen, that ends when every appliance's last update
/// went out.
///
/// Each appliance's session is closed after its last update. To stop following earlier (a
/// deadline, Ctrl-C), call [`close`](Self::close): it logs out of every session still open.
/// Dropping it instead stops following too, but leaves those sessions open on the appliances
/// until they expire. Either way, **the backups go on**.
#[must_use = "a stream does nothing unless polled"]
pub struct FleetFollow {
    updates: SelectAll<BoxStream<'static, FollowUpdate>>,
    sessions: Sessions,
}

/// The clients of the appliances being followed whose session may be open, by appliance name.
type Sessions = Arc<Mutex<HashMap<String, Client>>>;

impl FleetFollow {
    /// Stops following and logs out of every session still open, all at once, each within a
    /// few seconds (an appliance that does not answer is not waited for longer). The backups
    /// go on on the appliances; nothing cancels them.
    pub async fn close(self) {
        // Stop every watch first, so no request is under way while the sessions end.
        drop(self.updates);
        let open: Vec<Client> = self
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain()
            .map(|(_, client)| client)
            .collect();
        futures_util::future::join_all(open.iter().map(close)).await;
    }
}

impl Stream for FleetFollow {
    type Item = FollowUpdate;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<FollowUpdate>> {
        self.updates.poll_next_unpin(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.updates.size_hint()
    }
}

impl fmt::Debug for FleetFollow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let open = self.sessions.lock().map_or(0, |s| s.len());
        f.debug_struct("FleetFollow")
            .field("appliances", &self.updates.len())
            .field("open_sessions", &open)
            .finish()
    }
}

/// Where one appliance's following is.
enum Step {
    /// Not begun: waiting for a slot.
    Queued(Box<Queued>),
    /// The watch runs.
    Watching(Box<Watching>),
    /// The last update went out.
    Done,
}

/// Which appliance and job an update is about.
#[derive(Clone)]
struct Who {
    name: String,
    server: String,
    group: Option<String>,
    job: JobId,
}

impl Who {
    fn says(&self, event: FollowEvent) -> FollowUpdate {
        FollowUpdate {
            name: self.name.clone(),
            server: self.server.clone(),
            group: self.group.clone(),
            job: self.job.clone(),
            event,
        }
    }
}

/// What following one appliance starts from.
struct Queued {
    fleet: Fleet,
    entry: Appliance,
    who: Who,
    options: WaitOptions,
    slots: Arc<Semaphore>,
    accounts: Arc<Accounts>,
    sessions: Sessions,
}

/// A watch under way, on the appliance's session, holding a slot.
struct Watching {
    who: Who,
    client: Client,
    watch: JobWatch,
    sessions: Sessions,
    _slot: OwnedSemaphorePermit,
}

impl Watching {
    /// Takes the appliance's session off the open ones, once it is closed.
    fn forget(&self) {
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.who.name);
    }
}

impl Fleet {
    /// Follows every backup of `started` that an appliance accepted (in its window or not) to
    /// its end, on one session per appliance, [`jobs`](Self::jobs) appliances at a time: a
    /// stream of every appliance's updates, in the order they happen.
    ///
    /// Each appliance's job is watched as [`Client::watch_job`] watches one, with `options`
    /// (its deadline runs from when following that appliance begins, its fault policy rides
    /// out transient failures, log-in included), and each appliance's stream ends with one
    /// [`FollowEvent::Ended`]: the final status (`SUCCEEDED` or `FAILED`, with the job's
    /// details), or why following stopped ([`ApplianceFailure::Wait`] for a deadline passed or
    /// reads that failed for too long). One appliance's failure never stops the others. An
    /// account refused as the [module](crate::fleet) documentation says is not tried on the
    /// others that share it. [`FleetFollow::close`] stops following early and logs out of the
    /// sessions still open; **the backups go on** on the appliances.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/doc_fixture.rs")).paused().run_fleet(2, async |servers| {
    /// use std::time::Duration;
    /// use futures_util::StreamExt;
    /// use vcsa_backup::Secret;
    /// use vcsa_backup::fleet::{Appliance, FollowEvent, Fleet};
    /// use vcsa_backup::wait::WaitOptions;
    ///
    /// let password = Secret::new(std::env::var("VCSA_PASSWORD")?);
    /// let fleet = Fleet::new(servers.iter().map(|server| {
    ///     Appliance::new(server, server, "administrator@vsphere.local", password.clone())
    /// }))?;
    /// let started = fleet.backup(Duration::from_secs(5 * 60), None).await?;
    /// let mut updates = fleet.follow(&started, &WaitOptions::default());
    /// while let Some(update) = updates.next().await {
    ///     match update.event {
    ///         FollowEvent::Progress(status) => println!("{}: {}", update.name, status.progress),
    ///         FollowEvent::Ended(Ok(job)) => println!("{}: {}", update.name, job.status.state),
    ///         FollowEvent::Ended(Err(why)) => println!("{}: {why}", update.name),
    ///         _ => {}
    ///     }
    /// }
    /// # Ok(()) })
    /// ```
    pub fn follow(&self, started: &FleetBackup, options: &WaitOptions) -> FleetFollow {
        let slots = Arc::new(Semaphore::new(self.concurrency()));
        let accounts = Arc::new(Accounts::default());
        let sessions = Sessions::default();
        let by_name: HashMap<&str, &Appliance> =
            self.appliances().iter().map(|a| (a.name(), a)).collect();
        let followed = started
            .groups
            .iter()
            .flat_map(|g| &g.members)
            .filter_map(|m| {
                let job = m.outcome.as_ref().ok()?.job.id.clone();
                let entry = *by_name.get(m.name.as_str())?;
                Some(Queued {
                    fleet: self.clone(),
                    entry: entry.clone(),
                    who: Who {
                        name: entry.name.clone(),
                        server: entry.server().to_string(),
                        group: entry.group.clone(),
                        job,
                    },
                    options: options.clone(),
                    slots: slots.clone(),
                    accounts: accounts.clone(),
                    sessions: sessions.clone(),
                })
            })
            .map(|queued| {
                futures_util::stream::unfold(Step::Queued(Box::new(queued)), next).boxed()
            });
        FleetFollow {
            updates: futures_util::stream::select_all(followed),
            sessions,
        }
    }
}

/// The next update of one appliance, and where it leaves its following.
async fn next(step: Step) -> Option<(FollowUpdate, Step)> {
    match step {
        Step::Done => None,
        Step::Queued(queued) => begin(*queued).await,
        Step::Watching(watching) => watch_next(*watching).await,
    }
}

/// The watch's next update; after the last, the session is closed and the slot given back.
async fn watch_next(mut w: Watching) -> Option<(FollowUpdate, Step)> {
    let event = match w.watch.next().await {
        Some(Ok(status)) if !status.state.is_terminal() => {
            let update = w.who.says(FollowEvent::Progress(status));
            return Some((update, Step::Watching(Box::new(w))));
        }
        Some(Ok(status)) => {
            let details = details_of(&w.client, &status.id).await.map(Box::new);
            FollowEvent::Ended(Ok(FollowedJob { status, details }))
        }
        Some(Err(error)) => FollowEvent::Ended(Err(ApplianceFailure::Wait(Box::new(error)))),
        // A watch ends only after a final status or an error, both handled above.
        None => {
            close(&w.client).await;
            w.forget();
            return None;
        }
    };
    // The session is not open any more when the last update goes out. Forgotten only once
    // closed: stopping meanwhile closes it again.
    close(&w.client).await;
    w.forget();
    Some((w.who.says(event), Step::Done))
}

/// Reading the job's details at its end may take this long; they are not worth more.
const DETAILS_LIMIT: Duration = Duration::from_secs(60);

/// The job's details, or `None` when the appliance has none or the read fails: they only add
/// the size, the location and a failed job's error to its status.
async fn details_of(client: &Client, id: &JobId) -> Option<JobDetails> {
    let read = client.list_job_details(Some(std::slice::from_ref(id)));
    match tokio::time::timeout(DETAILS_LIMIT, read).await {
        Ok(Ok(mut map)) => map.remove(id),
        Ok(Err(e)) => {
            tracing::debug!(job = %id, error = %e, "could not read the job's details");
            None
        }
        Err(_) => None,
    }
}

/// Takes a slot, logs in and starts the watch; the first update is the watch's first.
async fn begin(queued: Queued) -> Option<(FollowUpdate, Step)> {
    let Queued {
        fleet,
        entry,
        who,
        options,
        slots,
        accounts,
        sessions,
    } = queued;
    let ended = |failure| Some((who.says(FollowEvent::Ended(Err(failure))), Step::Done));
    // The semaphore is never closed: waiting for a slot cannot fail.
    let slot = match slots.acquire_owned().await {
        Ok(slot) => slot,
        Err(_) => {
            return ended(ApplianceFailure::TimedOut {
                limit: Duration::ZERO,
            });
        }
    };
    let client = match fleet.client(&entry) {
        Ok(client) => client,
        Err(failure) => return ended(failure),
    };
    // Known before the log in, so that stopping meanwhile still ends the session.
    sessions
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(entry.name.clone(), client.clone());
    if let Err(failure) = fleet
        .log_in_shared(&client, &entry, &accounts, fleet.login_time_limit())
        .await
    {
        // The wait's fault policy decides about the log-in as about any read: a transient
        // failure (the appliance's services restart during fast backups) is ridden out by the
        // watch, whose first read logs in again; a refused log-in is never tried again.
        let retry = match &failure {
            ApplianceFailure::Error(error) => {
                options
                    .faults
                    .on_error(error, &FailureStreak::new(1, Duration::ZERO))
                    == FaultAction::Retry
            }
            ApplianceFailure::TimedOut { .. } => true,
            _ => false,
        };
        if !retry {
            sessions
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&entry.name);
            return ended(failure);
        }
        tracing::debug!(appliance = %entry.name, error = %failure, "log in failed; the watch tries again");
    }
    let watching = Watching {
        watch: client.watch_job(&who.job, &options),
        who: who.clone(),
        client,
        sessions,
        _slot: slot,
    };
    Box::pin(watch_next(watching)).await
}
