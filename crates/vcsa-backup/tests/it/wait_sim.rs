//! Waiting against the simulator, in both wire flavours, on tokio's paused clock: the wait, the
//! watch and start-when-idle end to end, with the simulator's own jobs, sessions and faults.

use std::time::Duration;

use futures_util::StreamExt;
use vcsa_backup::wait::WaitOptions;
use vcsa_backup::{BackupRequest, Client, Flavour, JobState, Secret};
use vcsa_backup_sim::{
    DEFAULT_PASSWORD, DEFAULT_USER, EnumField, JobFailure, RunningSimulator, Simulator,
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

fn client(sim: &RunningSimulator, flavour: Flavour) -> Client {
    Client::builder(sim.url())
        .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
        .flavour(flavour)
        .build()
        .expect("valid settings")
}

fn request(folder: &str) -> BackupRequest {
    BackupRequest::builder()
        .location(format!("sftp://backup.example.com/vcsa/{folder}"))
        .location_credentials("backup", Secret::new("s3cret"))
        .build()
        .expect("a valid request")
}

#[tokio::test(start_paused = true)]
async fn a_backup_is_followed_to_its_end_in_both_flavours() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(&sim, flavour);
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
    let client = client(&sim, Flavour::Api);
    let job = client.start_backup(&request("b")).await.expect("started");

    let error = client
        .wait_for_job(&job.id, &WaitOptions::default())
        .await
        .expect_err("the job fails");

    assert!(error.is_job_failed(), "{error}");
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
    let client = client(&sim, Flavour::Rest);
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
    let client = client(&sim, Flavour::Api);
    let job = client.start_backup(&request("d")).await.expect("started");
    sim.control()
        .inject_unknown_enum(EnumField::JobState, "PAUSED_FOR_SNAPSHOT");

    let mut watch = client.watch_job(&job.id, &WaitOptions::default());
    let first = watch.next().await.expect("an update").expect("no error");
    assert_eq!(first.state, JobState::Unknown("PAUSED_FOR_SNAPSHOT".into()));

    sim.control().clear_faults();
    let status = watch.until_done().await.expect("the backup succeeds");
    assert_eq!(status.state, JobState::Succeeded);
}

#[tokio::test(start_paused = true)]
async fn a_manual_backup_starts_after_the_scheduled_one_in_both_flavours() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(&sim, flavour);
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
