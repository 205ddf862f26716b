//! Starts whose answer was lost ([`may_have_started`]): never sent again; the appliance's recent
//! jobs say what happened, and only they do: one job that can be the start's is its job, none
//! means nothing started, anything else is [`Error::OutcomeUnknown`], never a guess.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::time::Instant;

use crate::backup::location::canonical_root;
use crate::client::Client;
use crate::error::Error;
use crate::job::details::{JobDetails, JobKind};
use crate::job::id::JobId;
use crate::job::status::JobStatus;
use crate::retry::backoff::ConstantBackoff;
use crate::retry::faults::{FailureStreak, FaultPolicy, RetryTransient};
use crate::retry::{Deadline, Pace, Stop};

/// How long the reads that settle a lost answer may take, failed reads retried within it.
const SETTLE_WITHIN: Duration = Duration::from_secs(30);
/// The pause between two failed attempts to read the appliance's jobs.
const READ_EVERY: Duration = Duration::from_secs(3);
/// How many of the newest jobs are looked at: a start is among the newest.
const RECENT_JOBS: usize = 32;
/// Leeway before the moment the request was sent: job start times are whole seconds, and the
/// appliance may take a moment to record a job.
const CLOCK_SLACK: Duration = Duration::from_secs(60);

/// The start whose answer was lost, as the appliance's jobs show it.
#[derive(Clone, Copy)]
pub(crate) enum Start<'a> {
    /// A manual backup to this location.
    Backup { location: &'a str },
    /// A run of this schedule.
    Schedule { id: &'a str },
}

/// Whether a failed start may have reached the appliance: a connection that failed after
/// sending (reset, closed, time-out, a cut-off answer) or a gateway page without the API's own
/// error. A refused connection, a failure to connect, and every answer of the API itself are
/// certain: nothing started.
pub(crate) fn may_have_started(error: &Error) -> bool {
    match error {
        Error::Transient {
            source: Some(source),
            ..
        } => source
            .downcast_ref::<reqwest::Error>()
            .is_none_or(|e| !e.is_connect()),
        Error::Transient {
            server: Some(server),
            ..
        } => server.error_type.is_none() && matches!(server.status, Some(502..=504)),
        _ => false,
    }
}

/// What the appliance's jobs say about the start.
enum Found {
    None,
    One(JobStatus),
    Several(Vec<JobId>),
}

impl Client {
    /// Sends a start once; a lost answer is settled by the appliance's jobs, as the module says.
    pub(crate) async fn start_once<F>(&self, start: Start<'_>, send: F) -> Result<JobStatus, Error>
    where
        F: Future<Output = Result<JobStatus, Error>>,
    {
        // Logged in first, so that a failure to log in is never taken for a lost answer.
        self.session().await?;
        let sent = Instant::now();
        let lost = match send.await {
            Err(error) if may_have_started(&error) => error,
            other => return other,
        };
        let operation = match start {
            Start::Backup { .. } => "start a backup",
            Start::Schedule { .. } => "run a backup schedule",
        };
        tracing::warn!(
            operation,
            error = %lost,
            "the answer to the start was lost; reading the appliance's jobs to find out whether it started"
        );
        let found = settle("reading the jobs after a lost answer", || {
            self.find_start(start, sent)
        })
        .await;
        let (location, candidates, reason) = match found {
            Ok((_, Found::One(status))) => {
                tracing::info!(operation, job = %status.id, "the start reached the appliance: following its job");
                return Ok(status);
            }
            Ok((_, Found::None)) => {
                tracing::info!(
                    operation,
                    "no job was started: the start did not reach the appliance"
                );
                return Err(lost.lost_change(None));
            }
            Ok((location, Found::Several(candidates))) => {
                tracing::warn!(
                    operation,
                    candidates = candidates.len(),
                    "several jobs could be the start's: outcome unknown"
                );
                let reason = "more than one recent job could be the one it started".into();
                (location, candidates, reason)
            }
            Err(error) => {
                tracing::warn!(operation, error = %error, "the appliance's jobs could not be read: outcome unknown");
                let location = match start {
                    Start::Backup { location } => canonical_root(location),
                    Start::Schedule { id } => format!("the location of schedule \"{id}\""),
                };
                let reason = format!("the appliance's jobs could not be read ({error})");
                (location, Vec::new(), reason)
            }
        };
        Err(Error::OutcomeUnknown {
            operation,
            location,
            candidates,
            reason,
        })
    }

    /// One reading of the appliance's clock and recent jobs: the jobs the start could have
    /// made, with the location root they were looked for at.
    async fn find_start(&self, start: Start<'_>, sent: Instant) -> Result<(String, Found), Error> {
        let now = self.get_appliance_time().await?.now;
        let root = match start {
            Start::Backup { location } => canonical_root(location),
            Start::Schedule { id } => canonical_root(&self.get_schedule(id).await?.location),
        };
        let since = since(now, sent.elapsed() + CLOCK_SLACK);
        let mut ids = self.list_jobs().await?;
        ids.truncate(RECENT_JOBS);
        let details = self.list_job_details(Some(&ids)).await?;
        // Newest first: the details come sorted by id, oldest first.
        let matching: Vec<JobId> = details
            .into_iter()
            .rev()
            .filter(|(_, job)| could_be(start, &root, job, since))
            .map(|(id, _)| id)
            .collect();
        let found = match matching.len() {
            0 => Found::None,
            1 => Found::One(self.get_job(&matching[0]).await?),
            _ => Found::Several(matching),
        };
        Ok((root, found))
    }
}

/// Reads with `read` until it succeeds, transient failures retried every [`READ_EVERY`] within
/// [`SETTLE_WITHIN`]; the failure that ended the reads otherwise.
pub(crate) async fn settle<T, F, Fut>(what: &str, mut read: F) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>> + Send,
{
    let deadline = Deadline::starting_now(SETTLE_WITHIN);
    let mut pace = Pace::new(deadline, Arc::new(ConstantBackoff::new(READ_EVERY)), None);
    let policy = RetryTransient::default();
    let decide = |error: &Error, streak: &FailureStreak| policy.on_error(error, streak);
    pace.retry_within(what, None, decide, &mut read)
        .await
        .map_err(|(Stop::GaveUp(error) | Stop::OutOfTime(error))| error)
}

/// `now - ago`, saturating at the earliest time.
fn since(now: DateTime<Utc>, ago: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(ago)
        .ok()
        .and_then(|ago| now.checked_sub_signed(ago))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Whether `job` could be the one `start` made: at its location (a manual backup's own folder,
/// unique since it must be empty, where the details' user is optional; a scheduled job below the
/// schedule's root, as the details name no schedule), started since `since` on the appliance's
/// clock (a job not started yet counts).
fn could_be(start: Start<'_>, root: &str, job: &JobDetails, since: DateTime<Utc>) -> bool {
    let location = canonical_root(&job.location);
    let at_location = match start {
        Start::Backup { .. } => location == root,
        Start::Schedule { .. } => {
            job.kind == JobKind::Scheduled
                && location
                    .strip_prefix(root)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        }
    };
    at_location && job.started_at.is_none_or(|at| at >= since)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServerError;

    #[test]
    fn gateway_pages_may_have_started_but_the_apis_own_errors_did_not() {
        let transient = |error_type, status| {
            let server = ServerError {
                status: Some(status),
                ..ServerError::new(error_type, Vec::new())
            };
            Error::transient("the web front end answered", Some(server), None)
        };
        let typed = Some(crate::error::ServerErrorType::ServiceUnavailable);
        for (error, may) in [
            (transient(None, 502), true),
            (transient(None, 503), true),
            (transient(None, 504), true),
            (transient(None, 429), false),
            (transient(typed, 503), false),
            (
                Error::SessionExpired {
                    operation: "start a backup",
                },
                false,
            ),
        ] {
            assert_eq!(may_have_started(&error), may, "{error:?}");
        }
    }

    #[test]
    fn a_clock_far_in_the_past_saturates() {
        let now = DateTime::<Utc>::MIN_UTC;
        assert_eq!(
            since(now, Duration::from_secs(60)),
            DateTime::<Utc>::MIN_UTC
        );
    }
}
