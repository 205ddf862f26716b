//! `Client::watch_job`: the stream of status updates, against a scripted appliance on loopback,
//! on tokio's paused clock.

use crate::support::wait as wait_support;

use std::time::Duration;

use futures_util::{FutureExt, StreamExt};
use vcsa_backup::wait::{ExponentialBackoff, WaitError, WaitOptions};
use vcsa_backup::{Error, JobId, JobState, JobStatus};
use wait_support::*;

fn job_id() -> JobId {
    JobId::new(JOB)
}

/// Plain backoff: the scripted jobs give no useful start time (see `wait.rs`).
fn options() -> WaitOptions {
    WaitOptions::default().backoff(ExponentialBackoff::default())
}

/// A job whose progress moves in steps of 25% every 20 seconds and which ends at 80 seconds.
fn stepped(call: &Call, last_state: &'static str) -> Reply {
    let step = call.at.as_secs() / 20;
    if step >= 4 {
        job(JOB, last_state, 100, &["Backup job ended."])
    } else {
        job(JOB, "INPROGRESS", (step * 25) as u8, &[])
    }
}

fn line(status: &JobStatus) -> String {
    format!("{} {}", status.state.as_str(), status.progress)
}

#[tokio::test(start_paused = true)]
async fn the_stream_yields_changes_only_and_ends_after_the_final_status() {
    let path = job_path(JOB);
    let appliance =
        Appliance::start(move |call| call.is("GET", &path).then(|| stepped(call, "SUCCEEDED")))
            .await;
    let client = appliance.client();

    let updates: Vec<String> = client
        .watch_job(&job_id(), &options())
        .map(|update| line(&update.expect("no error")))
        .collect()
        .await;

    assert_eq!(
        updates,
        [
            "INPROGRESS 0%",
            "INPROGRESS 25%",
            "INPROGRESS 50%",
            "INPROGRESS 75%",
            "SUCCEEDED 100%"
        ]
    );
    // Many more reads than updates: unchanged statuses are not repeated.
    let reads = appliance.count("GET", &job_path(JOB));
    assert!(reads > updates.len() + 5, "{reads} reads");
}

#[tokio::test(start_paused = true)]
async fn a_failed_job_is_the_last_item_and_awaiting_the_watch_makes_it_an_error() {
    let path = job_path(JOB);
    let appliance =
        Appliance::start(move |call| call.is("GET", &path).then(|| stepped(call, "FAILED"))).await;
    let client = appliance.client();

    let updates: Vec<JobStatus> = client
        .watch_job(&job_id(), &options())
        .map(|update| update.expect("a failed job is an update, not an error"))
        .collect()
        .await;
    assert_eq!(
        updates.last().map(|s| s.state.clone()),
        Some(JobState::Failed)
    );

    let error = client
        .watch_job(&job_id(), &options())
        .await
        .expect_err("the job failed");
    let WaitError::JobFailed(failed) = error else {
        panic!("expected the job's failure, got {error:?}");
    };
    assert_eq!(failed.status.messages.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_unknown_state_is_reported_and_the_watch_goes_on() {
    let path = job_path(JOB);
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path).then(|| match call.at.as_secs() {
            0..3 => job(JOB, "INPROGRESS", 10, &[]),
            3..10 => job(JOB, "PAUSED_FOR_SNAPSHOT", 10, &[]),
            _ => job(JOB, "SUCCEEDED", 100, &[]),
        })
    })
    .await;

    let states: Vec<JobState> = appliance
        .client()
        .watch_job(&job_id(), &options())
        .map(|update| update.expect("no error").state)
        .collect()
        .await;

    assert_eq!(
        states,
        [
            JobState::InProgress,
            JobState::Unknown("PAUSED_FOR_SNAPSHOT".into()),
            JobState::Succeeded
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn dropping_the_stream_stops_polling() {
    let path = job_path(JOB);
    let appliance =
        Appliance::start(move |call| call.is("GET", &path).then(|| stepped(call, "SUCCEEDED")))
            .await;
    let client = appliance.client();

    let mut watch = client.watch_job(&job_id(), &options());
    let first = watch.next().await.expect("an update").expect("no error");
    let second = watch.next().await.expect("an update").expect("no error");
    assert_eq!(
        (line(&first), line(&second)),
        ("INPROGRESS 0%".into(), "INPROGRESS 25%".into())
    );
    drop(watch);
    let reads = appliance.log().len();

    tokio::time::sleep(Duration::from_secs(600)).await;

    assert_eq!(
        appliance.log().len(),
        reads,
        "no read after the watch was dropped"
    );
}

#[tokio::test(start_paused = true)]
async fn awaiting_the_watch_continues_the_same_schedule_from_where_the_stream_stopped() {
    let path = job_path(JOB);
    let appliance =
        Appliance::start(move |call| call.is("GET", &path).then(|| stepped(call, "SUCCEEDED")))
            .await;
    let client = appliance.client();

    let mut watch = client.watch_job(&job_id(), &options());
    let _ = watch.next().await;
    let _ = watch.next().await;
    let status = watch.await.expect("the job succeeds");
    assert_eq!(status.state, JobState::Succeeded);

    // The same reads as a plain wait: the schedule did not restart when the stream was left.
    let watched = appliance.log();
    let again = Appliance::start(move |call| {
        call.is("GET", &job_path(JOB))
            .then(|| stepped(call, "SUCCEEDED"))
    })
    .await;
    again
        .client()
        .wait_for_job(&job_id(), &options())
        .await
        .expect("the job succeeds");
    assert_eq!(watched, again.log());
    insta::assert_yaml_snapshot!(watched);
}

#[tokio::test(start_paused = true)]
async fn an_error_is_the_last_item() {
    let appliance = Appliance::start(|_| None).await; // NOT_FOUND for every job

    let items: Vec<_> = appliance
        .client()
        .watch_job(&JobId::new("20260101-000000-1"), &options())
        .collect()
        .await;

    assert_eq!(items.len(), 1);
    let Some(Err(error)) = items.into_iter().next() else {
        panic!("expected one error");
    };
    assert!(
        matches!(&error, WaitError::ReadFailed(failed) if matches!(failed.error, Error::NotFound(_))),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_deadline_of_a_watch_runs_from_its_creation() {
    let path = job_path(JOB);
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path)
            .then(|| job(JOB, "INPROGRESS", 3, &[]))
    })
    .await;

    let items: Vec<_> = appliance
        .client()
        .watch_job(&job_id(), &options().time_limit(Duration::from_secs(20)))
        .collect()
        .await;

    assert_eq!(items.len(), 2, "the first status, then the deadline");
    let Some(Err(error)) = items.last() else {
        panic!("expected the deadline error last");
    };
    let WaitError::TimedOut(timed_out) = error else {
        panic!("expected the deadline, got {error:?}");
    };
    assert_eq!(timed_out.summary.waited, Duration::from_secs(20));
}

#[tokio::test(start_paused = true)]
async fn awaiting_the_watch_after_the_stream_ended_answers_without_reading_again() {
    let path = job_path(JOB);
    let appliance =
        Appliance::start(move |call| call.is("GET", &path).then(|| stepped(call, "SUCCEEDED")))
            .await;
    let client = appliance.client();

    let mut watch = client.watch_job(&job_id(), &options());
    while watch.next().await.is_some() {}
    let reads = appliance.log().len();

    let status = watch.await.expect("the job succeeded");
    assert_eq!(status.state, JobState::Succeeded);
    assert_eq!(appliance.log().len(), reads);
}

#[tokio::test(start_paused = true)]
async fn awaiting_the_watch_after_the_deadline_answers_without_reading_again() {
    let path = job_path(JOB);
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path)
            .then(|| job(JOB, "INPROGRESS", 3, &[]))
    })
    .await;

    let mut watch = appliance
        .client()
        .watch_job(&job_id(), &options().time_limit(Duration::from_secs(20)));
    while watch.next().await.is_some() {}
    let reads = appliance.log().len();

    let error = watch.await.expect_err("the deadline has passed");
    assert!(matches!(error, WaitError::TimedOut(_)), "{error:?}");
    assert_eq!(appliance.log().len(), reads);
}

#[tokio::test(start_paused = true)]
async fn awaiting_a_watch_in_the_middle_of_a_read_finishes_that_read() {
    let path = job_path(JOB);
    let appliance =
        Appliance::start(move |call| call.is("GET", &path).then(|| stepped(call, "SUCCEEDED")))
            .await;
    let client = appliance.client();

    let mut watch = client.watch_job(&job_id(), &options());
    let _ = watch.next().await;
    // Start the next read, and leave it under way.
    assert!(watch.next().now_or_never().is_none());
    let status = watch.await.expect("the job succeeds");
    assert_eq!(status.state, JobState::Succeeded);
    // The reads of a plain wait: nothing read twice, nothing skipped.
    assert_eq!(appliance.count("GET", &job_path(JOB)), 17);
}
