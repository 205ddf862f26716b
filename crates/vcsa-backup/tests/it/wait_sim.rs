//! Waiting against the simulator, in both wire flavours, on tokio's paused clock: the wait, the
//! watch and start-when-idle end to end, with the simulator's own jobs, sessions and faults.

use crate::support::sim::{backup_request as request, sim_client as client};

use std::time::Duration;

use futures_util::StreamExt;
use tokio::time::Instant;
use vcsa_backup::wait::{ProgressAware, WaitError, WaitOptions};
use vcsa_backup::{Client, Error, Flavour, JobState, Secret};
use vcsa_backup_sim::{
    DEFAULT_USER, EnumField, JobFailure, JobWait, ProgressCurve, RunningSimulator, Simulator,
};

const JOB_LENGTH: Duration = Duration::from_secs(600);

async fn sim() -> RunningSimulator {
    Simulator::builder()
        .tls(false)
        .job_duration(JOB_LENGTH)
        .start()
        .await
        .expect("the simulator starts")
}

#[tokio::test(start_paused = true)]
async fn a_backup_is_followed_to_its_end_in_both_flavours() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(sim.url(), flavour);
        let job = client.start_backup(&request("a")).await.expect("started");
        let started = tokio::time::Instant::now();

        let status = client
            .wait_for_job(&job.id, &WaitOptions::default())
            .await
            .expect("the backup succeeds");

        assert_eq!(status.state, JobState::Succeeded, "{flavour}");
        assert_eq!(status.id, job.id);
        // Seen ending within one longest delay of its end.
        let waited = started.elapsed();
        assert!(
            waited >= JOB_LENGTH && waited <= JOB_LENGTH + Duration::from_secs(30),
            "{flavour}: {waited:?}"
        );
        sim.shutdown().await;
    }
}

#[tokio::test(start_paused = true)]
async fn a_failing_backup_reports_the_appliance_messages() {
    let sim = sim().await;
    sim.control().fail_next_job(JobFailure::at(
        40,
        "The backup server ran out of disk space.",
    ));
    let client = client(sim.url(), Flavour::Api);
    let job = client.start_backup(&request("b")).await.expect("started");

    let error = client
        .wait_for_job(&job.id, &WaitOptions::default())
        .await
        .expect_err("the job fails");

    assert!(matches!(error, WaitError::JobFailed(_)), "{error}");
    assert!(
        error
            .to_string()
            .contains("The backup server ran out of disk space."),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn faults_and_an_expired_session_mid_wait_do_not_end_it() {
    let sim = sim().await;
    let client = client(sim.url(), Flavour::Rest);
    let job = client.start_backup(&request("c")).await.expect("started");
    let control = sim.control();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        control.fail_next(3);
        tokio::time::sleep(Duration::from_secs(120)).await;
        control.expire_sessions();
    });

    let status = client
        .wait_for_job(&job.id, &WaitOptions::default())
        .await
        .expect("the wait survives both");

    assert_eq!(status.state, JobState::Succeeded);
}

#[tokio::test(start_paused = true)]
async fn a_state_from_a_newer_appliance_shows_in_the_watch_and_the_wait_goes_on() {
    let sim = sim().await;
    let client = client(sim.url(), Flavour::Api);
    let job = client.start_backup(&request("d")).await.expect("started");
    sim.control()
        .inject_unknown_enum(EnumField::JobState, "PAUSED_FOR_SNAPSHOT");

    let mut watch = client.watch_job(&job.id, &WaitOptions::default());
    let first = watch.next().await.expect("an update").expect("no error");
    assert_eq!(first.state, JobState::Unknown("PAUSED_FOR_SNAPSHOT".into()));

    sim.control().clear_faults();
    let status = watch.await.expect("the backup succeeds");
    assert_eq!(status.state, JobState::Succeeded);
}

#[tokio::test(start_paused = true)]
async fn a_manual_backup_starts_after_the_scheduled_one_in_both_flavours() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(sim.url(), flavour);
        let scheduled = client
            .run_schedule("default", Some("nightly"))
            .await
            .expect("the schedule runs");

        let started = client
            .start_backup_when_idle(&request("e"), &WaitOptions::default())
            .await
            .expect("the manual backup starts after the scheduled one");

        assert_eq!(started.blocked_by.len(), 1, "{flavour}");
        assert_eq!(started.blocked_by[0].job, scheduled.id, "{flavour}");
        assert_eq!(started.blocked_by[0].final_state, Some(JobState::Succeeded));
        assert!(
            started.waited >= JOB_LENGTH,
            "{flavour}: {:?}",
            started.waited
        );
        assert_ne!(started.status.id, scheduled.id);
        assert!(!started.status.state.is_terminal());
        sim.shutdown().await;
    }
}

/// Runs `fault` on the simulator `after` this long, in the background.
fn later(
    sim: &RunningSimulator,
    after: Duration,
    fault: impl FnOnce(&vcsa_backup_sim::Control) + Send + 'static,
) {
    let control = sim.control();
    tokio::spawn(async move {
        tokio::time::sleep(after).await;
        fault(&control);
    });
}

#[tokio::test(start_paused = true)]
async fn a_two_minute_503_storm_in_the_middle_of_a_job_ends_in_succeeded() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(sim.url(), flavour);
        let job = client
            .start_backup(&request("storm"))
            .await
            .expect("started");
        // Every call, log-in included, answers 503 from 3 to 5 minutes into the job.
        later(&sim, Duration::from_secs(180), |c| {
            c.unavailable_for(Duration::from_secs(120))
        });

        let status = client
            .wait_for_job(&job.id, &WaitOptions::default())
            .await
            .expect("the wait rides out the storm");

        assert_eq!(status.state, JobState::Succeeded, "{flavour}");
        assert_eq!(status.id, job.id);
        let state = sim.control().state();
        assert_eq!(state.jobs, 1, "{flavour}: no backup was started twice");
        assert!(
            state.faults.unavailable_until.is_some(),
            "the storm happened"
        );
        sim.shutdown().await;
    }
}

#[tokio::test(start_paused = true)]
async fn a_two_minute_storm_of_refused_sessions_in_the_middle_of_a_job_ends_in_succeeded() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(sim.url(), flavour);
        let job = client
            .start_backup(&request("sessions"))
            .await
            .expect("started");
        let logins = sim.control().state().logins;
        // From 3 to 5 minutes into the job, every session ends right after its log-in.
        later(&sim, Duration::from_secs(180), |c| {
            c.refuse_sessions_for(Duration::from_secs(120))
        });

        let status = client
            .wait_for_job(&job.id, &WaitOptions::default())
            .await
            .expect("a session refused right after log-in is not a wrong password");

        assert_eq!(status.state, JobState::Succeeded, "{flavour}");
        let state = sim.control().state();
        assert_eq!(state.jobs, 1, "{flavour}: no backup was started twice");
        // A log-in for every read in the storm, and one more after it.
        assert!(
            state.logins >= logins + 3,
            "{flavour}: {} log-ins",
            state.logins - logins
        );
        sim.shutdown().await;
    }
}

#[tokio::test(start_paused = true)]
async fn an_outage_longer_than_the_fault_policy_allows_ends_the_wait_but_never_past_the_deadline() {
    let sim = sim().await;
    let client = client(sim.url(), Flavour::Api);
    let job = client
        .start_backup(&request("outage"))
        .await
        .expect("started");
    sim.control().unavailable_for(Duration::from_secs(3600));
    let started = Instant::now();

    let error = client
        .wait_for_job(&job.id, &WaitOptions::default())
        .await
        .expect_err("the appliance stays down");

    // Transient failures are ridden out for 5 minutes in a row, then the wait ends.
    let WaitError::ReadFailed(failed) = &error else {
        panic!("expected a failed read, got {error:?}");
    };
    assert!(matches!(failed.error, Error::Transient { .. }), "{error}");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(300) && waited <= Duration::from_secs(330),
        "{waited:?}"
    );

    // With a shorter deadline, the deadline wins: the last read is at it.
    let started = Instant::now();
    let options = WaitOptions::default().time_limit(Duration::from_secs(100));
    let error = client
        .wait_for_job(&job.id, &options)
        .await
        .expect_err("the appliance stays down");
    let WaitError::TimedOut(timed_out) = &error else {
        panic!("expected the deadline, got {error:?}");
    };
    assert!(timed_out.last_error.is_some(), "{error}");
    assert_eq!(started.elapsed(), Duration::from_secs(100));
}

#[tokio::test(start_paused = true)]
async fn a_log_in_the_appliance_refuses_is_never_retried() {
    let sim = sim().await;
    let owner = client(sim.url(), Flavour::Api);
    let job = owner
        .start_backup(&request("refused"))
        .await
        .expect("started");
    let logins = sim.control().state().logins;
    let intruder = Client::builder(sim.url())
        .credentials(DEFAULT_USER, Secret::new("not-the-password"))
        .flavour(Flavour::Api)
        .build()
        .expect("valid settings");
    let started = Instant::now();

    let error = intruder
        .wait_for_job(&job.id, &WaitOptions::default())
        .await
        .expect_err("the log-in is refused");

    let WaitError::ReadFailed(failed) = &error else {
        panic!("expected a failed read, got {error:?}");
    };
    assert!(
        matches!(failed.error, Error::NotAuthenticated { .. }),
        "{error}"
    );
    assert_eq!(
        failed.summary.polls, 1,
        "one read, one log-in attempt, no retry"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(sim.control().state().logins, logins);
}

/// Follows a job shaped by `curve` (after `wait` as PENDING, then BLOCKED) with the default
/// options; the lag (from the job's end to the wait's return) and the job's length.
async fn lag_of(curve: ProgressCurve, wait: JobWait) -> (Duration, Duration) {
    let sim = sim().await;
    let waits = Duration::from_millis(wait.pending_ms + wait.blocked_ms);
    let length = waits + curve.duration();
    sim.control().shape_next_job(curve);
    sim.control().delay_next_job(wait);
    let client = client(sim.url(), Flavour::Api);
    let started = Instant::now();
    let job = client
        .start_backup(&request("shaped"))
        .await
        .expect("started");
    let status = client
        .wait_for_job(&job.id, &WaitOptions::default())
        .await
        .expect("the job succeeds");
    assert_eq!(status.state, JobState::Succeeded);
    sim.shutdown().await;
    (started.elapsed().saturating_sub(length), length)
}

#[tokio::test(start_paused = true)]
async fn the_default_schedule_follows_progress_whatever_its_shape() {
    let s = Duration::from_secs;
    let none = JobWait::default;
    // Steady: seen ending within seconds, even after two hours.
    let (lag, _) = lag_of(ProgressCurve::steady(s(7200)), none()).await;
    assert!(lag <= s(10), "steady: {lag:?}");
    let shapes = [
        (
            "stall",
            ProgressCurve::new()
                .then(s(1200), 40)
                .hold(s(1200))
                .then(s(1200), 100),
            none(),
        ),
        (
            "jump",
            ProgressCurve::new()
                .then(s(1800), 20)
                .then(s(0), 90)
                .then(s(600), 100),
            none(),
        ),
        (
            "back",
            ProgressCurve::new()
                .then(s(1800), 70)
                .then(s(60), 30)
                .then(s(1800), 100),
            none(),
        ),
        ("early", ProgressCurve::new().then(s(3600), 55), none()),
        (
            "queued",
            ProgressCurve::steady(s(600)),
            JobWait::new(s(300), s(120)),
        ),
    ];
    for (name, curve, wait) in shapes {
        let (lag, length) = lag_of(curve, wait).await;
        // The wait began with the job: the time waited is the job's length.
        assert!(
            lag <= ProgressAware::lag_bound(length),
            "{name}: {lag:?} after {length:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn the_watch_updates_carry_the_bytes_written_in_both_flavours() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(sim.url(), flavour);
        let job = client.start_backup(&request("s")).await.expect("started");
        assert_eq!(job.size_bytes, None, "a start reads no details");

        let mut watch = client.watch_job(&job.id, &WaitOptions::default());
        let mut sizes = Vec::new();
        while let Some(update) = watch.next().await {
            sizes.push(
                update
                    .expect("no error")
                    .size_bytes
                    .expect("{flavour}: a size"),
            );
        }
        assert!(sizes.is_sorted(), "{flavour}: {sizes:?}");
        let details = client.get_job_details(&job.id).await.unwrap();
        assert_eq!(sizes.last().copied(), details.size_bytes, "{flavour}");
        assert!(sizes.last() > sizes.first(), "{flavour}: {sizes:?}");
    }
}
