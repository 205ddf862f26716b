//! Start when idle: `Client::start_backup_when_idle` and `Client::run_schedule_when_idle`
//! against a scripted appliance on loopback, on tokio's paused clock.

use crate::support::wait as wait_support;

use std::time::Duration;

use serde_json::json;
use vcsa_backup::wait::{ExponentialBackoff, NotStartedReason, WaitError, WaitOptions};
use vcsa_backup::{BackupRequest, Error, JobId, JobState, Secret};
use wait_support::*;

/// Plain backoff: the scripted jobs give no useful start time (see `wait.rs`).
fn options() -> WaitOptions {
    WaitOptions::default().backoff(ExponentialBackoff::default())
}

fn request() -> BackupRequest {
    BackupRequest::builder()
        .location("sftp://nas.example.com/backups/vcsa-2026-05-22")
        .location_credentials("backup", Secret::new("Nas-Pa55word!"))
        .build()
        .expect("a valid request")
}

fn in_use() -> Reply {
    error(
        400,
        "FEATURE_IN_USE",
        "A backup or restore is already in progress.",
    )
}

/// The answer to a successful start: 201 for a new backup, 200 for a schedule run.
fn started(status: u16) -> Reply {
    let mut reply = job(NEW_JOB, "INPROGRESS", 0, &[]);
    reply.status = status;
    reply
}

fn job_list() -> Reply {
    Reply::json(200, json!([JOB, OLDER_JOB]))
}

/// An appliance where job `JOB` runs until `ends` and refuses any other backup until then.
fn busy_until(
    ends: Duration,
    start_path: &'static str,
) -> impl FnMut(&Call) -> Option<Reply> + Send {
    let running = job_path(JOB);
    move |call| {
        if call.is("POST", start_path) {
            let status = if start_path == JOBS_PATH { 201 } else { 200 };
            Some(if call.at < ends {
                in_use()
            } else {
                started(status)
            })
        } else if call.is("GET", JOBS_PATH) {
            Some(job_list())
        } else if call.is("GET", &running) {
            Some(timed_job(JOB, call.at, Duration::ZERO, ends))
        } else {
            None
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_backup_waits_behind_the_running_job_then_starts() {
    let appliance = Appliance::start(busy_until(Duration::from_secs(90), JOBS_PATH)).await;

    let started = appliance
        .client()
        .start_backup_when_idle(&request(), &options())
        .await
        .expect("the backup starts once the running job ended");

    assert_eq!(started.status.id, JobId::new(NEW_JOB));
    assert_eq!(started.blocked_by.len(), 1);
    let blocker = &started.blocked_by[0];
    assert_eq!(blocker.job, JobId::new(JOB));
    assert_eq!(blocker.final_state, Some(JobState::Succeeded));
    assert!(
        blocker.waited >= Duration::from_secs(90),
        "{:?}",
        blocker.waited
    );
    assert_eq!(started.waited, blocker.waited);
    assert_eq!(appliance.count("POST", JOBS_PATH), 2);
    insta::assert_yaml_snapshot!(appliance.log());
}

#[tokio::test(start_paused = true)]
async fn a_free_appliance_starts_the_backup_at_once() {
    let appliance = Appliance::start(busy_until(Duration::ZERO, JOBS_PATH)).await;

    let started = appliance
        .client()
        .start_backup_when_idle(&request(), &options())
        .await
        .expect("the backup starts");

    assert!(started.blocked_by.is_empty());
    assert_eq!(started.waited, Duration::ZERO);
    assert_eq!(
        appliance.log().len(),
        2,
        "a log-in and the start, nothing else"
    );
}

#[tokio::test(start_paused = true)]
async fn a_schedule_runs_behind_the_running_job() {
    const SCHEDULE: &str = "/api/appliance/recovery/backup/schedules/default";
    let appliance = Appliance::start(busy_until(Duration::from_secs(30), SCHEDULE)).await;

    let started = appliance
        .client()
        .run_schedule_when_idle("default", Some("after the nightly job"), &options())
        .await
        .expect("the schedule runs once the running job ended");

    assert_eq!(started.status.id, JobId::new(NEW_JOB));
    assert_eq!(
        started
            .blocked_by
            .iter()
            .map(|b| b.job.clone())
            .collect::<Vec<_>>(),
        [JobId::new(JOB)]
    );
    assert_eq!(appliance.count("POST", SCHEDULE), 2);
}

#[tokio::test(start_paused = true)]
async fn the_deadline_covers_the_wait_behind_the_running_job() {
    let appliance = Appliance::start(busy_until(Duration::from_secs(3600), JOBS_PATH)).await;
    let options = options().time_limit(Duration::from_secs(120));

    let error = appliance
        .client()
        .start_backup_when_idle(&request(), &options)
        .await
        .expect_err("the running job outlasts the limit");

    assert_eq!(error.job(), Some(&JobId::new(JOB)));
    let rendered = error.to_string();
    let WaitError::NotStarted(not_started) = error else {
        panic!("expected nothing started, got {error:?}");
    };
    let NotStartedReason::WaitFailed(WaitError::TimedOut(timed_out)) = &not_started.reason else {
        panic!("expected the deadline while waiting, got {not_started:?}");
    };
    // The wait behind the running job had the whole limit, and used it.
    assert_eq!(timed_out.time_limit, Duration::from_secs(120));
    assert_eq!(timed_out.summary.waited, Duration::from_secs(120));
    assert_eq!(not_started.waited, Duration::from_secs(120));
    assert_eq!(appliance.count("POST", JOBS_PATH), 1, "nothing was started");
    insta::assert_snapshot!(rendered, @"gave up waiting for backup job 20260522-061503-24322831 when the limit of 2m 0s was reached, after 19 reads over 2m 0s; last seen INPROGRESS at 3%. The job is still running on the appliance: wait again with a longer limit, or cancel it (`cancel_job`). That job was blocking the new backup: nothing was started.");
}

#[tokio::test(start_paused = true)]
async fn an_invisible_blocker_is_retried_with_backoff() {
    // A restore holds the appliance for 5 seconds; the newest backup job ended long ago.
    let appliance = Appliance::start(move |call| {
        if call.is("POST", JOBS_PATH) {
            Some(if call.at < Duration::from_secs(5) {
                in_use()
            } else {
                started(201)
            })
        } else if call.is("GET", JOBS_PATH) {
            Some(Reply::json(200, json!([OLDER_JOB])))
        } else if call.is("GET", &job_path(OLDER_JOB)) {
            Some(job(OLDER_JOB, "SUCCEEDED", 100, &[]))
        } else {
            None
        }
    })
    .await;

    let started = appliance
        .client()
        .start_backup_when_idle(&request(), &options())
        .await
        .expect("the backup starts once the restore ended");

    assert!(
        started.blocked_by.is_empty(),
        "a finished job blocked nothing"
    );
    assert_eq!(started.status.id, JobId::new(NEW_JOB));
    insta::assert_yaml_snapshot!(appliance.log());
}

#[tokio::test(start_paused = true)]
async fn a_refusal_for_another_reason_ends_at_once() {
    let appliance = Appliance::start(|call| {
        call.is("POST", JOBS_PATH).then(|| {
            error(
                400,
                "INVALID_ARGUMENT",
                "The destination folder already contains a backup.",
            )
        })
    })
    .await;

    let error = appliance
        .client()
        .start_backup_when_idle(&request(), &options())
        .await
        .expect_err("the request is refused");

    assert!(
        matches!(&error, WaitError::NotStarted(n) if matches!(n.reason, NotStartedReason::Refused(Error::InvalidRequest(_)))),
        "{error:?}"
    );
    assert_eq!(appliance.count("POST", JOBS_PATH), 1);
    insta::assert_snapshot!(error.to_string(), @"the appliance refused to start the backup: the appliance refused the request as invalid (The destination folder already contains a backup.); fix the request as the messages say, then send it again; retrying it unchanged will fail the same way");
}

#[tokio::test(start_paused = true)]
async fn a_start_refused_for_an_expired_session_is_tried_again_at_once() {
    let appliance = Appliance::start(busy_until(Duration::ZERO, JOBS_PATH)).await;
    let client = appliance.client();
    client.login().await.expect("log in");
    appliance.expire_sessions();

    let started = client
        .start_backup_when_idle(&request(), &options())
        .await
        .expect("the backup starts with the renewed session");

    assert_eq!(started.status.id, JobId::new(NEW_JOB));
    insta::assert_yaml_snapshot!(appliance.log());
}

#[tokio::test(start_paused = true)]
async fn a_job_list_that_cannot_be_read_ends_the_attempt() {
    let appliance = Appliance::start(|call| {
        if call.is("POST", JOBS_PATH) {
            Some(in_use())
        } else if call.is("GET", JOBS_PATH) {
            Some(error(
                403,
                "UNAUTHORIZED",
                "Permission to list backup jobs was denied.",
            ))
        } else {
            None
        }
    })
    .await;

    let error = appliance
        .client()
        .start_backup_when_idle(&request(), &options())
        .await
        .expect_err("the job list is forbidden");

    assert!(
        matches!(&error, WaitError::NotStarted(n) if matches!(n.reason, NotStartedReason::JobListUnreadable(Error::NotAuthorized(_)))),
        "{error:?}"
    );
    assert_eq!(error.job(), None);
    insta::assert_snapshot!(error.to_string(), @"could not read the appliance's job list to find the job that blocks the new backup: the user is not allowed to do this (Permission to list backup jobs was denied.); use an account with the backup privilege; nothing was started.");
}

#[tokio::test(start_paused = true)]
async fn the_job_list_is_read_again_after_transient_failures() {
    let mut list_reads = 0;
    let appliance = Appliance::start(move |call| {
        if call.is("POST", JOBS_PATH) {
            Some(if call.at < Duration::from_secs(20) {
                in_use()
            } else {
                started(201)
            })
        } else if call.is("GET", JOBS_PATH) {
            list_reads += 1;
            Some(if list_reads <= 2 {
                error(503, "SERVICE_UNAVAILABLE", "The service is restarting.")
            } else {
                job_list()
            })
        } else if call.is("GET", &job_path(JOB)) {
            Some(timed_job(
                JOB,
                call.at,
                Duration::ZERO,
                Duration::from_secs(20),
            ))
        } else {
            None
        }
    })
    .await;

    let started = appliance
        .client()
        .start_backup_when_idle(&request(), &options())
        .await
        .expect("the list is read once the service is back");

    assert_eq!(started.blocked_by.len(), 1);
    assert_eq!(appliance.count("GET", JOBS_PATH), 3);
}
