//! Following a job to its end with the SDK's watch, feeding the progress display, and turning
//! how the wait ended into the command's outcome.

use std::time::Duration;

use futures_util::{FutureExt, StreamExt};
use vcsa_backup::wait::{NotStartedReason, WaitError, WaitOptions};
use vcsa_backup::{Client, JobDetails, JobId, JobState, JobStatus, TaskState};

use crate::failure::{ExitCode, Failure};
use crate::progress::{ApplianceClock, Mode, Progress, Update, elapsed};

/// How a followed job ended.
pub struct Followed {
    /// The final status (`SUCCEEDED` or `FAILED`).
    pub status: JobStatus,
    /// The job's details at the end, when the appliance gave them.
    pub details: Option<JobDetails>,
}

/// Wait options for `--deadline` (the SDK's defaults otherwise: 12 hours, reads that follow the
/// job's progress).
pub fn options(deadline: Option<Duration>) -> WaitOptions {
    let options = WaitOptions::default();
    match deadline {
        Some(d) => options.time_limit(d),
        None => options,
    }
}

/// Why a job has not started, when its details say it waits.
fn waiting(status: &TaskState) -> Option<String> {
    match status {
        TaskState::Pending | TaskState::Blocked => Some(status.as_str().to_lowercase()),
        _ => None,
    }
}

/// The job's details, or `None` when the appliance has none or the read fails: they only add
/// the size and location to what the status says, so a failed read is logged, not fatal.
pub async fn details_of(client: &Client, id: &JobId) -> Option<JobDetails> {
    match client.get_job_details(id).await {
        Ok(details) => Some(details),
        Err(e) => {
            tracing::debug!(job = %id, error = %e, "could not read the job's details");
            None
        }
    }
}

/// Follows `id` until it ends, showing progress in `mode`. Ctrl-C stops following (the job goes
/// on) and reports how to pick it up again.
pub async fn follow(
    client: &Client,
    id: &JobId,
    options: &WaitOptions,
    mode: Mode,
) -> Result<Followed, Failure> {
    let mut progress = Progress::new(mode);
    // Once per follow: a running job's time is the appliance's clock minus its start, never
    // this machine's clock minus the appliance's.
    let clock = match client.get_appliance_time().await {
        Ok(time) => Some(ApplianceClock::new(time.now)),
        Err(e) => {
            tracing::info!(error = %e, "could not read the appliance's clock");
            None
        }
    };
    // The last status read, for a failure that ends the following before the job's end.
    let mut last: Option<JobStatus> = None;
    let mut watch = client.watch_job(id, options);
    let mut interrupted = Box::pin(tokio::signal::ctrl_c());
    // Polling once installs the handler now, before the first frame is drawn, so a Ctrl-C the
    // user sees take effect is never the default (killing, silent) one.
    if (&mut interrupted).now_or_never().is_some() {
        return Err(interrupted_failure(id));
    }
    loop {
        let next = tokio::select! {
            next = watch.next() => next,
            _ = &mut interrupted => {
                progress.abandon();
                return Err(interrupted_failure(id));
            }
        };
        match next {
            Some(Ok(status)) => {
                let details = details_of(client, id).await;
                let update = Update::job(
                    &status,
                    details.as_ref().and_then(|d| d.size_bytes),
                    details.as_ref().and_then(|d| waiting(&d.state)),
                    elapsed(
                        &status,
                        clock.as_ref(),
                        details.as_ref().and_then(|d| d.duration),
                    ),
                );
                if status.state.is_terminal() {
                    progress.finish(&update, status.state == JobState::Succeeded);
                    return Ok(Followed { status, details });
                }
                progress.update(&update);
                last = Some(status);
            }
            Some(Err(error)) => {
                progress.abandon();
                return Err(wait_failure(id, error, last.as_ref()));
            }
            None => {
                // The watch ends only after a final status or an error, both handled above.
                progress.abandon();
                return Err(Failure::new(
                    ExitCode::Appliance,
                    format!("stopped hearing about job {id} before it ended"),
                )
                .while_following(id, last.as_ref()));
            }
        }
    }
}

fn interrupted_failure(id: &JobId) -> Failure {
    Failure::new(
        ExitCode::Interrupted,
        format!("stopped following job {id}; the job goes on on the appliance"),
    )
    .with_hint(format!(
        "follow it again with `vcsa-backup status {id} --wait`, or stop it with `vcsa-backup \
         cancel {id}`"
    ))
}

/// The failure for a wait on `id` that ended without a final status; `seen` is the last status
/// the caller read, for when the error carries none. A wait that gave up on a job it had
/// followed names the job, where it was, and how to follow or cancel it.
pub fn wait_failure(id: &JobId, error: WaitError, seen: Option<&JobStatus>) -> Failure {
    let said = error.to_string();
    let job = error.job().cloned().unwrap_or_else(|| id.clone());
    match error {
        WaitError::TimedOut(timed_out) => {
            let waited_ms = timed_out.summary.waited.as_millis() as u64;
            tracing::info!(job = %job, waited_ms, "deadline passed");
            let failure = Failure::deadline(&job, timed_out.last_status.as_ref().or(seen));
            match timed_out.last_error {
                Some(e) => failure.with_details([format!(
                    "the last read failed: {}",
                    Failure::from(e).parts().0
                )]),
                None => failure,
            }
        }
        WaitError::ReadFailed(failed) => {
            let last = failed.last_status.as_ref().or(seen);
            let cause = Failure::from(failed.error);
            // An unknown job was never followed: the cause says to check the id.
            if last.is_none() && cause.exit_code() == ExitCode::InvalidInput {
                return cause;
            }
            cause.stopped_following(&job, last)
        }
        WaitError::Stalled(stalled) => Failure::new(ExitCode::Appliance, said)
            .while_following(&job, Some(&stalled.last_status)),
        WaitError::JobFailed(_) => {
            Failure::new(ExitCode::JobFailed, format!("backup job {job} failed"))
        }
        WaitError::NotStarted(not_started) => match not_started.reason {
            NotStartedReason::Refused(e) | NotStartedReason::JobListUnreadable(e) => {
                Failure::from(e)
            }
            // Nothing was started, and the appliance stayed busy with work not in its job
            // list: there is no job to name.
            NotStartedReason::TimedOut(_) => Failure::new(ExitCode::DeadlinePassed, said),
            NotStartedReason::WaitFailed(inner) => wait_failure(&job, inner, None),
            _ => Failure::new(ExitCode::Appliance, said),
        },
        _ => Failure::new(ExitCode::Appliance, said),
    }
}

/// The failure for a job that ended `FAILED`, with its messages and error stack.
pub fn job_failed(followed: &Followed) -> Option<Failure> {
    if followed.status.state != JobState::Failed {
        return None;
    }
    let id = &followed.status.id;
    let mut lines: Vec<String> = Vec::new();
    if let Some(error) = followed.details.as_ref().and_then(|d| d.error.as_ref()) {
        lines.extend(crate::failure::message_stack(error));
    }
    for m in &followed.status.messages {
        let text = m.to_string();
        if !lines.iter().any(|l| l.contains(&text)) {
            lines.push(format!("job message: {text}"));
        }
    }
    Some(
        Failure::new(ExitCode::JobFailed, format!("backup job {id} failed"))
            .with_details(lines)
            .with_hint(
                "fix the cause above (space, permissions or reachability of the location are the \
                 usual ones), then start a new backup into an empty folder",
            )
            // Every caller prints the job's final view first.
            .after_result(),
    )
}
