//! `Client::wait_for_job` against a scripted appliance on loopback, on tokio's paused clock.

use crate::support::wait as wait_support;

use std::future::IntoFuture;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use vcsa_backup::wait::{
    Backoff, ExponentialBackoff, FailureStreak, FaultAction, FaultPolicy, PollContext,
    RetryTransient, WaitError, WaitOptions,
};
use vcsa_backup::{Error, JobId, JobState};
use wait_support::*;

/// The reads of the job's status in a log, without the log in and the one read of its details
/// (which these appliances do not have).
fn job_reads(log: &[String]) -> impl Iterator<Item = &String> {
    log.iter().skip(1).filter(|line| !line.contains("/details"))
}

fn job_id() -> JobId {
    JobId::new(JOB)
}

/// The scripted jobs here give no useful start time: their schedules are those of plain
/// exponential backoff, the default's fallback. The default schedule, which follows progress,
/// is tested against the simulator (`wait_sim`) and the model (`wait::simulation`).
fn options() -> WaitOptions {
    WaitOptions::default().backoff(ExponentialBackoff::default())
}

/// A scripted appliance whose job runs from the first read for `length`, then succeeds.
async fn job_appliance(length: Duration) -> Appliance {
    let path = job_path(JOB);
    Appliance::start(move |call| {
        call.is("GET", &path)
            .then(|| timed_job(JOB, call.at, Duration::ZERO, length))
    })
    .await
}

/// The clock time of each read of the job, as the log writes it.
fn read_times(log: &[String]) -> Vec<&str> {
    job_reads(log)
        .map(|l| l.split_whitespace().next().unwrap_or_default())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn the_poll_schedule_of_a_two_minute_job_follows_the_backoff() {
    let appliance = job_appliance(secs(120)).await;
    let client = appliance.client();

    let status = client
        .wait_for_job(&job_id(), &options())
        .await
        .expect("the job succeeds");

    assert_eq!(status.state, JobState::Succeeded);
    assert_eq!(status.progress.value(), 100);
    insta::assert_yaml_snapshot!(appliance.log());

    // The logged times are the backoff's delays added up: the schedule is the policy's, not an
    // artefact of the clock.
    let backoff = ExponentialBackoff::default();
    let log = appliance.log();
    let mut at = Duration::ZERO;
    for (n, logged) in read_times(&log).into_iter().enumerate() {
        assert_eq!(logged, format!("{:.3}", at.as_secs_f64()), "poll {n}");
        at += backoff.delay(&PollContext::new(n as u32 + 1, at));
    }
}

#[tokio::test(start_paused = true)]
async fn a_failed_job_ends_the_wait_with_its_final_status_and_messages() {
    let path = job_path(JOB);
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path).then(|| {
            if call.at < secs(4) {
                job(JOB, "INPROGRESS", 30, &[])
            } else {
                job(
                    JOB,
                    "FAILED",
                    30,
                    &[
                        "Backup job failed.",
                        "Could not write to sftp://nas.example.com/backups: permission denied.",
                    ],
                )
            }
        })
    })
    .await;

    let error = appliance
        .client()
        .wait_for_job(&job_id(), &options())
        .await
        .expect_err("the job failed");

    assert_eq!(error.job(), Some(&job_id()));
    let rendered = error.to_string();
    let WaitError::JobFailed(failed) = error else {
        panic!("expected the job's failure, got {error:?}");
    };
    assert_eq!(failed.status.state, JobState::Failed);
    assert_eq!(failed.status.messages.len(), 2);
    assert_eq!(failed.summary.polls, 5);
    insta::assert_snapshot!(rendered, @"backup job 20260522-061503-24322831 FAILED: Backup job failed. Could not write to sftp://nas.example.com/backups: permission denied. (seen after 5 reads over 5.3s). Its details (`list_job_details`) and the appliance's backup log say more.");
}

#[tokio::test(start_paused = true)]
async fn at_the_deadline_the_wait_polls_one_last_time_then_reports_what_it_saw() {
    let path = job_path(JOB);
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path)
            .then(|| job(JOB, "INPROGRESS", 42, &[]))
    })
    .await;
    let options = options().time_limit(secs(60));

    let error = appliance
        .client()
        .wait_for_job(&job_id(), &options)
        .await
        .expect_err("the job never ends");

    let rendered = error.to_string();
    let WaitError::TimedOut(timed_out) = error else {
        panic!("expected the deadline, got {error:?}");
    };
    let log = appliance.log();
    // The delay before the last read would have crossed the deadline: the read is at 60 s
    // exactly, and there is none after it.
    assert!(
        log.last()
            .is_some_and(|l| l.trim_start().starts_with("60.000 s")),
        "{log:#?}"
    );
    assert_eq!(timed_out.summary.waited, secs(60));
    assert_eq!(timed_out.summary.polls as usize, job_reads(&log).count());
    let last = timed_out.last_status.as_ref().map(|s| s.progress.value());
    assert_eq!(last, Some(42));
    insta::assert_yaml_snapshot!(log);
    insta::assert_snapshot!(rendered, @"gave up waiting for backup job 20260522-061503-24322831 when the limit of 1m 0s was reached, after 16 reads over 1m 0s; last seen INPROGRESS at 42%. The job is still running on the appliance: wait again with a longer limit, or cancel it (`cancel_job`).");
}

#[tokio::test(start_paused = true)]
async fn two_waits_share_one_absolute_deadline() {
    let path = job_path(JOB);
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path)
            .then(|| job(JOB, "INPROGRESS", 42, &[]))
    })
    .await;
    let client = appliance.client();
    let deadline = tokio::time::Instant::now() + secs(60);
    let options = options().deadline(deadline);

    let shorter = options.clone().time_limit(secs(20));
    let first = client.wait_for_job(&job_id(), &shorter).await;
    assert!(matches!(first, Err(WaitError::TimedOut(_))));
    let second = client.wait_for_job(&job_id(), &options).await;

    let Err(WaitError::TimedOut(timed_out)) = second else {
        panic!("expected the deadline, got {second:?}");
    };
    // The second wait began 20 s in and ended at the shared deadline, not 60 s after its start.
    assert_eq!(tokio::time::Instant::now(), deadline);
    assert_eq!(timed_out.summary.waited, secs(40));
    // A deadline already passed still reads once, at once.
    let late = client.wait_for_job(&job_id(), &options).await;
    assert!(matches!(late, Err(WaitError::TimedOut(_))));
    assert_eq!(tokio::time::Instant::now(), deadline);
}

#[tokio::test(start_paused = true)]
async fn transient_failures_are_retried_on_the_same_schedule_and_the_wait_goes_on() {
    let path = job_path(JOB);
    let mut reads = 0;
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path).then(|| {
            reads += 1;
            match reads {
                2 => error(503, "SERVICE_UNAVAILABLE", "The service is starting."),
                3 => error(504, "TIMED_OUT", "The operation timed out."),
                // A gateway's answer: the vAPI error shape without an error type.
                4 => Reply::json(502, serde_json::json!({"messages": []})),
                // The appliance's reverse proxy while the API service restarts.
                5 => Reply::text(
                    503,
                    "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
                ),
                1 | 6 => job(JOB, "INPROGRESS", 50, &[]),
                _ => job(JOB, "SUCCEEDED", 100, &[]),
            }
        })
    })
    .await;

    let status = appliance
        .client()
        .wait_for_job(&job_id(), &options())
        .await
        .expect("the wait survives four transient failures");

    assert_eq!(status.state, JobState::Succeeded);
    insta::assert_yaml_snapshot!(appliance.log());
}

#[tokio::test(start_paused = true)]
async fn transient_failures_for_longer_than_the_policy_allows_end_the_wait() {
    let path = job_path(JOB);
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path).then(|| {
            if call.at.is_zero() {
                job(JOB, "INPROGRESS", 10, &[])
            } else {
                error(
                    503,
                    "SERVICE_UNAVAILABLE",
                    "The appliance management service is down.",
                )
            }
        })
    })
    .await;
    let options = options().fault_policy(RetryTransient::new(secs(5)));

    let error = appliance
        .client()
        .wait_for_job(&job_id(), &options)
        .await
        .expect_err("the appliance stays down");

    let rendered = error.to_string();
    let WaitError::ReadFailed(failed) = error else {
        panic!("expected a failed read, got {error:?}");
    };
    assert!(
        matches!(failed.error, Error::Transient { .. }),
        "{failed:?}"
    );
    // One good read, then failures at 1, 2.2, 3.64 and 5.37 s (the first 4.4 s after the
    // first), and at 7.44 s, 6.4 s after it: past the limit of 5 s.
    assert_eq!(failed.summary.polls, 6);
    assert_eq!(failed.summary.consecutive_failures, 5);
    assert_eq!(failed.summary.failed_polls, 5);
    insta::assert_snapshot!(rendered, @"stopped waiting for backup job 20260522-061503-24322831 after 6 reads over 7.4s (5 failed in a row); last seen INPROGRESS at 10%: the appliance is busy, starting up or did not finish in time (The appliance management service is down.); this is usually temporary, try again in a moment");
}

#[tokio::test(start_paused = true)]
async fn an_undecodable_answer_ends_the_wait_at_once() {
    let path = job_path(JOB);
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path)
            .then(|| Reply::text(200, "<html><body>Welcome to the portal</body></html>"))
    })
    .await;

    let error = appliance
        .client()
        .wait_for_job(&job_id(), &options())
        .await
        .expect_err("an answer that is not a job status");

    let WaitError::ReadFailed(failed) = error else {
        panic!("expected a failed read, got {error:?}");
    };
    assert!(
        matches!(failed.error, Error::MalformedResponse { .. }),
        "{failed:?}"
    );
    assert_eq!(failed.summary.polls, 1, "not retried");
    assert_eq!(appliance.log().len(), 2, "one log-in, one read");
}

#[tokio::test(start_paused = true)]
async fn an_expired_session_is_renewed_and_the_wait_goes_on() {
    let appliance = job_appliance(secs(10)).await;
    let expire = appliance.clone();
    tokio::spawn(async move {
        tokio::time::sleep(secs(3)).await;
        expire.expire_sessions();
    });

    let status = appliance
        .client()
        .wait_for_job(&job_id(), &options())
        .await
        .expect("the wait survives the session's expiry");

    assert_eq!(status.state, JobState::Succeeded);
    assert_eq!(appliance.count("POST", "/api/session"), 2);
    insta::assert_yaml_snapshot!(appliance.log());
}

#[tokio::test(start_paused = true)]
async fn refused_credentials_mid_wait_end_the_wait_at_once() {
    let path = job_path(JOB);
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path)
            .then(|| job(JOB, "INPROGRESS", 5, &[]))
    })
    .await;
    let admin = appliance.clone();
    tokio::spawn(async move {
        tokio::time::sleep(secs(3)).await;
        admin.expire_sessions();
        admin.refuse_logins();
    });

    let error = appliance
        .client()
        .wait_for_job(&job_id(), &options())
        .await
        .expect_err("the new log-in is refused");

    let rendered = error.to_string();
    assert!(
        matches!(&error, WaitError::ReadFailed(failed) if matches!(failed.error, Error::NotAuthenticated { .. })),
        "{error:?}"
    );
    assert!(!rendered.contains(PASSWORD) && !rendered.contains("session-token"));
    insta::assert_yaml_snapshot!(appliance.log());
    insta::assert_snapshot!(rendered, @r#"stopped waiting for backup job 20260522-061503-24322831 after 4 reads over 3.6s (1 failed); last seen INPROGRESS at 5%: not logged in: the appliance refused the log in of "administrator@vsphere.local" (Authentication required.); check the user name and password, and that the account is not locked"#);
}

#[tokio::test(start_paused = true)]
async fn an_unknown_state_counts_as_running() {
    let path = job_path(JOB);
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path).then(|| match call.at.as_secs() {
            0..2 => job(JOB, "INPROGRESS", 20, &[]),
            2..6 => job(JOB, "PAUSED_FOR_SNAPSHOT", 20, &[]),
            _ => job(JOB, "SUCCEEDED", 100, &[]),
        })
    })
    .await;

    let status = appliance
        .client()
        .wait_for_job(&job_id(), &options())
        .await
        .expect("an unknown state is not an error");

    assert_eq!(status.state, JobState::Succeeded);
    assert!(
        appliance
            .log()
            .iter()
            .any(|l| l.contains("PAUSED_FOR_SNAPSHOT"))
    );
}

#[tokio::test(start_paused = true)]
async fn a_job_that_does_not_exist_ends_the_wait_at_once() {
    let appliance = Appliance::start(|_| None).await; // every job path answers NOT_FOUND

    let error = appliance
        .client()
        .wait_for_job(&JobId::new("20260101-000000-1"), &options())
        .await
        .expect_err("no such job");

    let rendered = error.to_string();
    let WaitError::ReadFailed(failed) = error else {
        panic!("expected a failed read, got {error:?}");
    };
    assert!(matches!(failed.error, Error::NotFound(_)), "{failed:?}");
    assert_eq!(failed.summary.polls, 1);
    assert_eq!(appliance.log().len(), 2, "one log-in, one read, no retry");
    insta::assert_snapshot!(rendered, @r#"stopped waiting for backup job 20260101-000000-1 after 1 read (1 failed): the appliance has no such job or schedule (No such resource.); check the job id against the appliance's list of jobs, or the schedule id (appliances have one, usually "default")"#);
}

#[tokio::test(start_paused = true)]
async fn missing_rights_end_the_wait_at_once() {
    let path = job_path(JOB);
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path).then(|| {
            error(
                403,
                "UNAUTHORIZED",
                "Permission to perform this operation was denied.",
            )
        })
    })
    .await;

    let error = appliance
        .client()
        .wait_for_job(&job_id(), &options())
        .await
        .expect_err("no rights");

    let WaitError::ReadFailed(failed) = error else {
        panic!("expected a failed read, got {error:?}");
    };
    assert!(
        matches!(failed.error, Error::NotAuthorized(_)),
        "{failed:?}"
    );
    assert_eq!(failed.summary.polls, 1);
}

/// A backoff that counts how often it is asked, to show a replacement policy is honoured.
#[derive(Debug, Default)]
struct EveryTenSeconds(Arc<AtomicU32>);

impl Backoff for EveryTenSeconds {
    fn delay(&self, _poll: &PollContext) -> Duration {
        self.0.fetch_add(1, Ordering::Relaxed);
        secs(10)
    }
}

#[tokio::test(start_paused = true)]
async fn a_replacement_backoff_sets_the_schedule() {
    let appliance = job_appliance(secs(35)).await;
    let asked = Arc::new(AtomicU32::new(0));
    let options = options().backoff(EveryTenSeconds(asked.clone()));

    appliance
        .client()
        .wait_for_job(&job_id(), &options)
        .await
        .expect("the job succeeds");

    let log = appliance.log();
    let times = read_times(&log);
    assert_eq!(times, ["0.000", "10.000", "20.000", "30.000", "40.000"]);
    assert_eq!(asked.load(Ordering::Relaxed), 4);
}

/// Waits can be spawned on a multi-threaded runtime.
#[test]
fn the_futures_and_the_watch_are_send() {
    fn send<T: Send>(_: &T) {}
    let client = vcsa_backup::Client::builder("https://vcsa.example.com")
        .build()
        .expect("a client");
    let request = vcsa_backup::BackupRequest::builder()
        .location("sftp://nas.example.com/backups/vcsa")
        .location_credentials("backup", vcsa_backup::Secret::new("Nas-Pa55word!"))
        .build()
        .expect("a request");
    let options = WaitOptions::default();
    send(&client.wait_for_job(&job_id(), &options));
    send(&client.watch_job(&job_id(), &options));
    send(&client.watch_job(&job_id(), &options).into_future());
    send(&client.start_backup_when_idle(&request, &options));
    send(&client.run_schedule_when_idle("default", None, &options));
}

#[tokio::test(start_paused = true)]
async fn a_job_that_stops_moving_is_reported_as_stalled_but_a_slow_one_is_not() {
    let path = job_path(JOB);
    // Moves every 100 s up to 40%, then never again.
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path).then(|| {
            let step = (call.at.as_secs() / 100).min(4);
            job(JOB, "INPROGRESS", (step * 10) as u8, &[])
        })
    })
    .await;
    let options = options().stall_timeout(secs(120));

    let error = appliance
        .client()
        .wait_for_job(&job_id(), &options)
        .await
        .expect_err("the job stalls at 40%");

    let rendered = error.to_string();
    let WaitError::Stalled(stalled) = error else {
        panic!("expected a stall, got {error:?}");
    };
    // 40% was first seen at the first read after 400 s; the stall is noticed at the first read
    // after 120 more seconds.
    let unchanged_for = stalled.unchanged_for;
    assert!(
        unchanged_for >= secs(120) && unchanged_for < secs(150),
        "{unchanged_for:?}"
    );
    assert_eq!(stalled.last_status.progress.value(), 40);
    insta::assert_snapshot!(rendered, @"gave up waiting for backup job 20260522-061503-24322831: it has stayed INPROGRESS at 40% for 2m 0s (the stall limit is 2m 0s), after 33 reads over 9m 4s. The job is still running on the appliance: look at it there (its details and the backup log), then wait again or cancel it (`cancel_job`).");
}

#[tokio::test(start_paused = true)]
async fn a_zero_limit_reads_once() {
    let path = job_path(JOB);
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path)
            .then(|| job(JOB, "INPROGRESS", 70, &[]))
    })
    .await;

    let error = appliance
        .client()
        .wait_for_job(&job_id(), &options().time_limit(Duration::ZERO))
        .await
        .expect_err("no time to wait");

    let WaitError::TimedOut(timed_out) = error else {
        panic!("expected the deadline, got {error:?}");
    };
    assert_eq!(timed_out.summary.polls, 1);
    assert_eq!(appliance.count("GET", &job_path(JOB)), 1);
}

#[tokio::test(start_paused = true)]
async fn the_longest_interval_caps_the_schedule_and_an_endless_limit_is_none() {
    let appliance = job_appliance(secs(12)).await;
    // A limit too large for the clock means no limit, rather than a panic.
    let options = options()
        .backoff(EveryTenSeconds::default())
        .max_interval(secs(4))
        .time_limit(Duration::MAX);

    appliance
        .client()
        .wait_for_job(&job_id(), &options)
        .await
        .expect("the job succeeds");

    let log = appliance.log();
    let times = read_times(&log);
    assert_eq!(times, ["0.000", "4.000", "8.000", "12.000"]);
}

/// The default fault policy on the errors reads end in: what passes by itself (a session
/// refused right after a log in among them) is retried for a span of time, not a count; a
/// refused log in, and every other permanent failure, ends the wait at once.
#[tokio::test(start_paused = true)]
async fn only_failures_that_pass_by_themselves_are_retried_for_the_span_of_time() {
    use FaultAction::{GiveUp, Retry};
    // The last part of the job id says how the appliance answers.
    let appliance = Appliance::start(|call| match call.path.rsplit('-').next()? {
        "503" => Some(error(
            503,
            "SERVICE_UNAVAILABLE",
            "The service is starting.",
        )),
        "401" => Some(error(401, "UNAUTHENTICATED", "The session was refused.")),
        "403" => Some(error(403, "UNAUTHORIZED", "Permission denied.")),
        "500" => Some(error(500, "ERROR", "An internal error.")),
        "200" => Some(Reply::text(200, "<html><body>A portal</body></html>")),
        _ => None,
    })
    .await;
    let client = appliance.client();
    for (answer, limit, (n, failing_for), action) in [
        ("503", 60, (1, 0), Retry),
        ("503", 60, (500, 59), Retry),
        ("503", 60, (2, 60), GiveUp),
        ("503", 0, (1, 0), GiveUp),
        ("401", 300, (1, 0), Retry),
        ("403", 300, (1, 0), GiveUp),
        ("500", 300, (1, 0), GiveUp),
        ("200", 300, (1, 0), GiveUp),
        ("404", 300, (1, 0), GiveUp),
    ] {
        let job = JobId::new(format!("20260101-000000-{answer}"));
        let error = client.get_job(&job).await.expect_err("a failed read");
        let streak = FailureStreak::new(n, secs(failing_for));
        let policy = RetryTransient::new(secs(limit));
        assert_eq!(policy.on_error(&error, &streak), action, "{error:?}");
    }
    appliance.expire_sessions();
    appliance.refuse_logins();
    let refused = client
        .get_job(&job_id())
        .await
        .expect_err("a refused log in");
    let streak = FailureStreak::new(1, Duration::ZERO);
    assert_eq!(
        RetryTransient::default().on_error(&refused, &streak),
        GiveUp
    );
}
