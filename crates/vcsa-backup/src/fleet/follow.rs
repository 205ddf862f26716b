//! Starting a fleet's backups and following them to their end: groups start as places free,
//! one watch per started backup, every update of every appliance in one stream.

use std::collections::HashMap;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_core::Stream;
use futures_core::stream::BoxStream;
use futures_util::future::{OptionFuture, join_all};
use futures_util::{StreamExt, stream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::client::Client;
use crate::fleet::accounts::{Accounts, while_passing};
use crate::fleet::backup::{BackupPlan, BackupStarted, GroupTooLarge};
use crate::fleet::failure::ApplianceFailure;
use crate::fleet::run::{close, within};
use crate::fleet::{Appliance, Fleet};
use crate::wait::{JobWatch, WaitOptions};
use crate::{BackupRequest, JobDetails, JobId, JobState, JobStatus};

/// One update about one appliance's backup, from [`Fleet::backup_and_follow`].
#[derive(Debug)]
#[non_exhaustive]
pub struct FollowUpdate {
    /// The appliance's name in the inventory.
    pub name: String,
    /// Its base URL.
    pub server: String,
    /// Its group, if it has one.
    pub group: Option<String>,
    /// The backup job, once started.
    pub job: Option<JobId>,
    /// What happened.
    pub event: FollowEvent,
}

/// What a [`FollowUpdate`] says.
#[derive(Debug)]
#[non_exhaustive]
pub enum FollowEvent {
    /// The appliance's first update: its backup started (in its group's window or not), or
    /// why it did not (then also its last).
    Started(Result<BackupStarted, ApplianceFailure>),
    /// The job's state, progress or messages changed; it has not ended.
    Progress(JobStatus),
    /// The appliance's last update: the job's final status, or why following it stopped
    /// before its end (the job may go on on the appliance: nothing cancels it).
    Ended(Result<FollowedJob, ApplianceFailure>),
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

/// The [`Stream`] of [`Fleet::backup_and_follow`]; it ends after every appliance's last update.
///
/// Each appliance's session is closed after its last update. To stop earlier, call
/// [`close`](Self::close); dropping it leaves the sessions still open until they expire.
/// Either way, **the backups go on**.
#[must_use = "a stream does nothing unless polled"]
pub struct FleetFollow {
    /// Every appliance's updates, its start first; groups start as places free.
    updates: BoxStream<'static, FollowUpdate>,
    sessions: Sessions,
}

/// One appliance's updates: its start, then its watch's when it started and is followed.
type Updates = BoxStream<'static, FollowUpdate>;

/// The clients of the appliances being followed whose session may be open, by appliance name.
type Sessions = Arc<Mutex<HashMap<String, Client>>>;

impl FleetFollow {
    /// Stops following and logs out of every session still open, each within a few seconds.
    /// The started backups go on; the groups not started yet do not start.
    pub async fn close(self) {
        // Stop every start and watch first, so no request is under way while the sessions end.
        drop(self.updates);
        let open: Vec<Client> = locked(&self.sessions).drain().map(|(_, c)| c).collect();
        join_all(open.iter().map(close)).await;
    }
}

impl Stream for FleetFollow {
    type Item = FollowUpdate;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<FollowUpdate>> {
        self.updates.poll_next_unpin(cx)
    }
}

impl fmt::Debug for FleetFollow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let open = self.sessions.lock().map_or(0, |s| s.len());
        f.debug_struct("FleetFollow")
            .field("open_sessions", &open)
            .finish_non_exhaustive()
    }
}

impl FollowUpdate {
    fn new(entry: &Appliance, job: Option<&JobId>, event: FollowEvent) -> Self {
        Self {
            name: entry.name.clone(),
            server: entry.server().to_string(),
            group: entry.group.clone(),
            job: job.cloned(),
            event,
        }
    }
}

/// A watch under way, on the appliance's session, holding its place among the backups
/// running at once.
struct Watching {
    entry: Appliance,
    job: JobId,
    client: Client,
    watch: JobWatch,
    sessions: Sessions,
    _place: Option<OwnedSemaphorePermit>,
}

/// The open sessions, even after a panic elsewhere.
fn locked(sessions: &Sessions) -> MutexGuard<'_, HashMap<String, Client>> {
    sessions.lock().unwrap_or_else(|p| p.into_inner())
}

/// Ends the appliance's session and takes it off the open ones. Forgotten only once closed:
/// stopping meanwhile closes it again.
async fn end(sessions: &Sessions, name: &str, client: &Client) {
    close(client).await;
    locked(sessions).remove(name);
}

impl Fleet {
    /// Starts the backups as [`backup`](Self::backup) does and follows every started one to
    /// its end, on the session that started it, as [`Client::watch_job`] does with `options`:
    /// a stream of every appliance's updates, in the order they happen, from
    /// [`FollowEvent::Started`] to [`FollowEvent::Ended`]. With
    /// [`max_running`](BackupPlan::max_running), groups start in the inventory's order as
    /// running backups end.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).paused().run_fleet(2, async |servers| {
    /// use futures_util::StreamExt;
    /// use vcsa_backup::fleet::{Appliance, BackupPlan, FollowEvent, Fleet};
    /// use vcsa_backup::wait::WaitOptions;
    ///
    /// let password = std::env::var("VCSA_PASSWORD")?;
    /// let fleet = Fleet::new(servers.iter().map(|server| {
    ///     Appliance::new(server, server, "administrator@vsphere.local", password.as_str())
    /// }))?;
    /// let plan = BackupPlan::schedules().max_running(1);
    /// let mut updates = fleet.backup_and_follow(&plan, &WaitOptions::default())?;
    /// while let Some(update) = updates.next().await {
    ///     match update.event {
    ///         FollowEvent::Started(Ok(started)) => println!("{}: {} started", update.name, started.job.id),
    ///         FollowEvent::Started(Err(why)) => println!("{}: not started: {why}", update.name),
    ///         FollowEvent::Progress(status) => println!("{}: {}", update.name, status.progress),
    ///         FollowEvent::Ended(Ok(job)) => println!("{}: {}", update.name, job.status.state),
    ///         FollowEvent::Ended(Err(why)) => println!("{}: {why}", update.name),
    ///         _ => {}
    ///     }
    /// }
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// [`GroupTooLarge`] before anything is sent, as for [`backup`](Self::backup).
    pub fn backup_and_follow(
        &self,
        plan: &BackupPlan,
        options: &WaitOptions,
    ) -> Result<FleetFollow, GroupTooLarge> {
        self.run_backups(plan, Some(options.clone()))
    }

    /// Starts the plan's backups group by group, following each started one with `follow` when
    /// given (a backup not followed holds no place).
    pub(crate) fn run_backups(
        &self,
        plan: &BackupPlan,
        follow: Option<WaitOptions>,
    ) -> Result<FleetFollow, GroupTooLarge> {
        self.too_large(plan)?;
        let places = plan.max_running.map(|max| Arc::new(Semaphore::new(max)));
        let slots = Arc::new(Semaphore::new(self.jobs));
        let group = Group {
            fleet: self.clone(),
            plan: Arc::new(plan.clone()),
            accounts: Arc::new(Accounts::default()),
            sessions: Sessions::default(),
            follow,
        };
        let sessions = group.sessions.clone();
        let updates = stream::iter(self.groups())
            // In the inventory's order: a group waits for its places before the next asks.
            .then(move |(_, members)| {
                let (places, slots) = (places.clone(), slots.clone());
                async move {
                    let count = u32::try_from(members.len()).unwrap_or(u32::MAX);
                    // Never closed: waiting cannot fail.
                    let place = places.map(|places| places.acquire_many_owned(count));
                    let place = OptionFuture::from(place).await.and_then(Result::ok);
                    let slot = slots.acquire_many_owned(count).await.ok();
                    (members, place, slot)
                }
            })
            .map(move |(members, place, slot)| group.clone().start(members, place, slot))
            .buffer_unordered(self.jobs)
            .flat_map(stream::iter)
            .flatten_unordered(None)
            .boxed();
        Ok(FleetFollow { updates, sessions })
    }
}

/// What every group of one fleet backup shares.
#[derive(Clone)]
struct Group {
    fleet: Fleet,
    plan: Arc<BackupPlan>,
    accounts: Arc<Accounts>,
    sessions: Sessions,
    follow: Option<WaitOptions>,
}

impl Group {
    /// Starts the backups of one group's `members`: logs in to all, gets each start ready, then
    /// sends the starts together. Each member's updates, a followed backup holding its share of
    /// `place`.
    async fn start(
        self,
        members: Vec<Appliance>,
        mut place: Option<OwnedSemaphorePermit>,
        _slot: Option<OwnedSemaphorePermit>,
    ) -> Vec<Updates> {
        let until = Instant::now() + self.fleet.time_limit;
        // Log in to all first, so the window measures the start requests alone.
        let ready = join_all(members.iter().map(|entry| self.ready(entry, until))).await;
        let requested_at = Utc::now();
        let opened = Instant::now();
        join_all(members.into_iter().zip(ready).map(|(entry, ready)| {
            let place = place.as_mut().and_then(|p| p.split(1));
            self.send(entry, ready, requested_at, opened, place)
        }))
        .await
    }

    /// Sends one member's start, the group's starts going out at `requested_at` (`opened` on
    /// the clock), and follows its backup when it started.
    async fn send(
        &self,
        entry: Appliance,
        ready: Result<(Client, Option<BackupRequest>), ApplianceFailure>,
        requested_at: DateTime<Utc>,
        opened: Instant,
        place: Option<OwnedSemaphorePermit>,
    ) -> Updates {
        let sent = async {
            let (client, request) = ready?;
            // Sent again while the window allows, as `Fleet::backup` says.
            let again = "the start was not taken; sending it again";
            let (until, comment) = (opened + self.plan.window, self.plan.comment.as_deref());
            let job = while_passing(&entry.name, until, again, || async {
                Ok(match &request {
                    None => client.run_schedule(&entry.schedule, comment).await?,
                    Some(request) => client.start_backup(request).await?,
                })
            })
            .await;
            let job = self.end_if_failed(&entry, &client, job).await?;
            Ok((job, client))
        };
        let (first, watching) = match sent.await {
            Ok((job, client)) => {
                let accepted_after = opened.elapsed();
                let id = job.id.clone();
                let watching = match &self.follow {
                    Some(options) => Some(Box::new(Watching {
                        watch: client.watch_job(&id, options),
                        entry: entry.clone(),
                        job: id.clone(),
                        client,
                        sessions: self.sessions.clone(),
                        _place: place,
                    })),
                    None => {
                        end(&self.sessions, &entry.name, &client).await;
                        None
                    }
                };
                let started = BackupStarted {
                    job,
                    requested_at,
                    accepted_after,
                    in_window: accepted_after <= self.plan.window,
                };
                let event = FollowEvent::Started(Ok(started));
                (FollowUpdate::new(&entry, Some(&id), event), watching)
            }
            Err(failure) => {
                let event = FollowEvent::Started(Err(failure));
                (FollowUpdate::new(&entry, None, event), None)
            }
        };
        let watched = stream::unfold(watching, |w| async { watch_next(w?).await });
        stream::iter([first]).chain(watched).boxed()
    }

    /// A session with the appliance and its start ready, before `until`.
    async fn ready(
        &self,
        entry: &Appliance,
        until: Instant,
    ) -> Result<(Client, Option<BackupRequest>), ApplianceFailure> {
        let client = self.fleet.open(entry, &self.accounts, until).await?;
        // Known once open, so that stopping meanwhile still ends the session.
        locked(&self.sessions).insert(entry.name.clone(), client.clone());
        let limit = until.saturating_duration_since(Instant::now());
        let prepare = async { Ok(self.plan.prepare(&client).await?) };
        let prepared = within(until, limit, prepare).await;
        let start = self.end_if_failed(entry, &client, prepared).await?;
        Ok((client, start))
    }

    /// `outcome`, the appliance's session ended first when it is a failure.
    async fn end_if_failed<T>(
        &self,
        entry: &Appliance,
        client: &Client,
        outcome: Result<T, ApplianceFailure>,
    ) -> Result<T, ApplianceFailure> {
        if outcome.is_err() {
            end(&self.sessions, &entry.name, client).await;
        }
        outcome
    }
}

/// The watch's next update, and the watch again unless it was the last; after the last, the
/// session is closed (before the update goes out) and the place given back.
async fn watch_next(mut w: Box<Watching>) -> Option<(FollowUpdate, Option<Box<Watching>>)> {
    let event = match w.watch.next().await {
        Some(Ok(status)) if !status.state.is_terminal() => {
            let update = FollowUpdate::new(&w.entry, Some(&w.job), FollowEvent::Progress(status));
            return Some((update, Some(w)));
        }
        Some(Ok(status)) => {
            let details = details_of(&w.client, &status.id).await.map(Box::new);
            Some(FollowEvent::Ended(Ok(FollowedJob { status, details })))
        }
        Some(Err(e)) => Some(FollowEvent::Ended(Err(ApplianceFailure::Wait(Box::new(e))))),
        // A watch ends only after a final status or an error, both handled above.
        None => None,
    };
    end(&w.sessions, &w.entry.name, &w.client).await;
    event.map(|event| (FollowUpdate::new(&w.entry, Some(&w.job), event), None))
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
