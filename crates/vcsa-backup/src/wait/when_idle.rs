//! Start a backup when the appliance is free: wait behind the job that is running, then start.

use std::collections::HashSet;
use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use super::deadline::{Deadline, NextPoll};
use super::error::{Blocker, WaitError, WaitErrorKind, WaitSummary};
use super::faults::FaultAction;
use super::options::WaitOptions;
use super::poller::{JobSource, Poller, Step};
use crate::{Error, JobId, JobStatus};

/// A backup started by [`Client::start_backup_when_idle`](crate::Client::start_backup_when_idle)
/// or [`Client::run_schedule_when_idle`](crate::Client::run_schedule_when_idle).
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
/// use vcsa_backup::wait::WaitOptions;
///
/// let nightly = client.run_schedule("default", Some("nightly")).await?;
/// let started = client.start_backup_when_idle(&request, &WaitOptions::default()).await?;
/// println!("started {} after {:?}", started.status.id, started.waited);
/// for blocker in &started.blocked_by {
///     println!("  waited {:?} for {}", blocker.waited, blocker.job);
/// }
/// assert_eq!(started.blocked_by[0].job, nightly.id);
/// assert_ne!(started.status.id, nightly.id);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IdleStart {
    /// The new job's status, as the appliance answered the start.
    pub status: JobStatus,
    /// The jobs that held the start back, in the order they were waited for (empty when the
    /// appliance was free at once).
    pub blocked_by: Vec<Blocker>,
    /// Time from the first attempt to the successful start.
    pub waited: Duration,
}

/// Runs `start` until the appliance accepts it, waiting behind whatever job is running, all
/// within `options`' deadline.
pub(crate) async fn start_when_idle<S, F, Fut>(
    source: S,
    options: &WaitOptions,
    mut start: F,
) -> Result<IdleStart, WaitError>
where
    S: JobSource,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<JobStatus, Error>>,
{
    let deadline = Deadline::new(Instant::now(), options.max_wait);
    let mut blocked_by: Vec<Blocker> = Vec::new();
    // Attempts that found nothing to wait for: they back off like polls do.
    let mut idle_retries: u32 = 0;
    let mut last_attempt = false;
    let mut attempts: u32 = 0;
    let mut retried_expired = false;
    // Jobs known to have ended: not read again when the list still shows them as the newest.
    let mut ended: HashSet<JobId> = HashSet::new();
    loop {
        attempts += 1;
        let refused = match start().await {
            Ok(status) => {
                let waited = deadline.elapsed(Instant::now());
                tracing::info!(job = %status.id, waited_ms = waited.as_millis() as u64, "backup started");
                return Ok(IdleStart {
                    status,
                    blocked_by,
                    waited,
                });
            }
            Err(error @ Error::BackupInProgress { .. }) => error,
            // The client logged in again but did not repeat the start, so nothing started.
            Err(Error::SessionExpired { .. }) if !retried_expired => {
                retried_expired = true;
                continue;
            }
            Err(error) => {
                return Err(WaitError::new(
                    WaitErrorKind::StartFailed(error),
                    None,
                    summary(&deadline, attempts, 0),
                    None,
                )
                .while_starting(blocked_by));
            }
        };
        retried_expired = false;
        if last_attempt {
            return Err(
                deadline_error(&deadline, options, attempts, refused).while_starting(blocked_by)
            );
        }

        let running = match newest_job(&source, options, &deadline, attempts).await {
            Ok(job) => job,
            Err(error) => return Err(error.while_starting(blocked_by)),
        };
        tracing::info!(
            newest_job = running.as_ref().map_or("none", JobId::as_str),
            "a backup or restore is already in progress"
        );

        let mut waited_for_it = false;
        if let Some(job) = running.filter(|job| !ended.contains(job)) {
            match wait_behind(&source, options, &deadline, job.clone()).await {
                Ok(Some(blocker)) => {
                    waited_for_it = true;
                    blocked_by.push(blocker);
                }
                // It had already ended: something else holds the appliance.
                Ok(None) => {}
                Err(error) => {
                    return Err(error
                        .with_total(options.max_wait, deadline.elapsed(Instant::now()))
                        .while_starting(blocked_by));
                }
            }
            ended.insert(job);
        }
        if waited_for_it {
            idle_retries = 0;
            continue;
        }

        // Something we cannot see (a restore, or a job not yet in the list) holds the
        // appliance: try again after the backoff, within the deadline.
        idle_retries += 1;
        let now = Instant::now();
        let delay = options.backoff.delay(idle_retries, deadline.elapsed(now));
        match deadline.next_poll(now, delay) {
            NextPoll::After(delay) => tokio::time::sleep(delay).await,
            NextPoll::LastAt(at) => {
                last_attempt = true;
                tokio::time::sleep_until(at).await;
            }
            NextPoll::Stop => {
                return Err(deadline_error(&deadline, options, attempts, refused)
                    .while_starting(blocked_by));
            }
        }
    }
}

/// Waits, within the deadline, for `job` to end: `Some` if it was running (it blocked the
/// start), `None` if it had already ended.
async fn wait_behind<S: JobSource>(
    source: &S,
    options: &WaitOptions,
    deadline: &Deadline,
    job: JobId,
) -> Result<Option<Blocker>, WaitError> {
    let started = Instant::now();
    let limited = options.clone().max_wait(deadline.remaining(started));
    let mut poller = Poller::new(source.clone(), job.clone(), &limited);
    let mut was_running = false;
    let final_state = loop {
        match poller.step().await {
            Ok(Step::Running(_)) => was_running = true,
            Ok(Step::Ended(status)) => break Some(status.state),
            // The job went away while we waited: the appliance may be free now.
            Err(error) if matches!(error.kind(), WaitErrorKind::PollFailed(Error::NotFound(_))) => {
                was_running = true;
                break None;
            }
            Err(error) => return Err(error),
        }
    };
    Ok(was_running.then(|| Blocker {
        job,
        waited: started.elapsed(),
        final_state,
    }))
}

/// The newest job on the appliance, read with the wait's fault policy and backoff.
async fn newest_job<S: JobSource>(
    source: &S,
    options: &WaitOptions,
    deadline: &Deadline,
    attempts: u32,
) -> Result<Option<JobId>, WaitError> {
    let mut reads: u32 = 0;
    let mut consecutive: u32 = 0;
    loop {
        reads += 1;
        let error = match source.list_jobs().await {
            Ok(jobs) => return Ok(jobs.into_iter().next()),
            Err(error) => error,
        };
        consecutive += 1;
        if options.faults.on_error(&error, consecutive) != FaultAction::Retry {
            return Err(WaitError::new(
                WaitErrorKind::PollFailed(error),
                None,
                summary(deadline, attempts, consecutive),
                None,
            ));
        }
        let now = Instant::now();
        let delay = options.backoff.delay(reads, deadline.elapsed(now));
        match deadline.next_poll(now, delay) {
            NextPoll::After(delay) => {
                tracing::warn!(%error, consecutive_failures = consecutive, "reading the job list failed; retrying");
                tokio::time::sleep(delay).await;
            }
            NextPoll::LastAt(_) | NextPoll::Stop => {
                return Err(deadline_error(deadline, options, attempts, error));
            }
        }
    }
}

/// Start-when-idle counts its attempts to start as its "reads".
fn summary(deadline: &Deadline, attempts: u32, consecutive_failures: u32) -> WaitSummary {
    WaitSummary {
        waited: deadline.elapsed(Instant::now()),
        polls: attempts,
        consecutive_failures,
        ..WaitSummary::default()
    }
}

fn deadline_error(
    deadline: &Deadline,
    options: &WaitOptions,
    attempts: u32,
    last_error: Error,
) -> WaitError {
    WaitError::new(
        WaitErrorKind::DeadlineExceeded {
            max_wait: options.max_wait,
            last_error: Some(last_error),
        },
        None,
        summary(deadline, attempts, 0),
        None,
    )
}
