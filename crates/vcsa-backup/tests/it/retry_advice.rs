//! The advice an error gives about calling again, met through the client against the
//! simulator: a lost answer to a change is never "try again", a wait that ran out of time is,
//! and every error converts into `Error` with `?`, keeping its advice.

use crate::support::sim::{LOST, backup_request as request, losing_client as client};

use std::time::Duration;

use vcsa_backup::wait::{WaitError, WaitOptions};
use vcsa_backup::{Client, Error, Flavour, JobId, RetryAdvice};
use vcsa_backup_sim::{LostOperation, Simulator};

#[tokio::test(start_paused = true)]
async fn a_change_whose_answer_was_lost_is_checked_before_it_is_sent_again() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        for lost in LOST {
            let sim = Simulator::builder()
                .tls(false)
                .job_duration(Duration::from_secs(3600))
                .start()
                .await
                .expect("the simulator starts");
            let client = client(sim.url(), flavour);
            let job = client.start_backup(&request("today")).await.unwrap();
            sim.control()
                .lose_answers(LostOperation::CancelJob, lost, 1);

            let error = client.cancel_job(&job.id).await.unwrap_err();

            assert_eq!(
                error.retry_advice(),
                RetryAdvice::CheckFirst,
                "{flavour} {lost:?}: {error:?}"
            );
            let hint = error.hint().expect("a hint");
            assert!(
                hint.contains("check whether it did \"cancel a job\""),
                "{hint}"
            );
            assert!(error.to_string().ends_with(hint.as_ref()), "{error}");
            sim.shutdown().await;
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_read_that_fails_is_advised_after_a_pause_and_a_refused_connection_too() {
    // Bind then drop a listener: the port is known to be closed, so nothing was sent.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client(&format!("http://127.0.0.1:{port}"), Flavour::Api);
    let read = client.list_jobs().await.unwrap_err();
    let start = client.start_backup(&request("today")).await.unwrap_err();
    for error in [read, start] {
        assert_eq!(
            error.retry_advice(),
            RetryAdvice::After(RetryAdvice::TRANSIENT_PAUSE),
            "{error:?}"
        );
    }
}

/// A wait and a start, each `?`-converted into `Error`.
async fn back_up_twice_and_wait(client: &Client, limit: Duration) -> Result<JobId, Error> {
    let job = client.start_backup(&request("first")).await?;
    let waited = client
        .wait_for_job(&job.id, &WaitOptions::default().time_limit(limit))
        .await;
    if let Err(WaitError::TimedOut(_)) = &waited {
        client.start_backup(&request("second")).await?;
    }
    waited?;
    Ok(job.id)
}

#[tokio::test(start_paused = true)]
async fn a_busy_appliance_is_advised_when_idle_and_a_wait_out_of_time_now() {
    let sim = Simulator::builder()
        .tls(false)
        .job_duration(Duration::from_secs(600))
        .start()
        .await
        .expect("the simulator starts");
    let client = client(sim.url(), Flavour::Api);

    let busy = back_up_twice_and_wait(&client, Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(matches!(busy, Error::BackupInProgress(_)), "{busy:?}");
    assert_eq!(busy.retry_advice(), RetryAdvice::WhenIdle);

    let running = sim.control().job_ids();
    let job = JobId::new(running[0].clone());
    let options = WaitOptions::default().time_limit(Duration::from_secs(30));
    let timed_out = Error::from(client.wait_for_job(&job, &options).await.unwrap_err());
    let Error::Wait(WaitError::TimedOut(_)) = &timed_out else {
        panic!("{timed_out:?}");
    };
    assert_eq!(timed_out.retry_advice(), RetryAdvice::Now);
    let hint = timed_out.hint().expect("what to do");
    assert!(hint.contains("wait again with a longer limit"), "{hint}");
    assert!(
        timed_out.summary().starts_with("gave up waiting"),
        "{timed_out}"
    );
    assert_eq!(
        timed_out.to_string(),
        format!("{}. {hint}", timed_out.summary()),
        "a wait's error reads as it did on its own"
    );
    sim.shutdown().await;
}

#[cfg(feature = "fleet")]
#[test]
fn a_fleet_failure_gives_its_advice_and_the_error_of_its_wait() {
    use vcsa_backup::fleet::ApplianceFailure;

    let refused = ApplianceFailure::AccountRefused {
        user: "administrator@vsphere.local".into(),
        refused_by: vec!["vc1".into(), "vc2".into()],
    };
    assert_eq!(refused.retry_advice(), RetryAdvice::Never);
    assert!(refused.error().is_none());
    let timed_out = ApplianceFailure::TimedOut {
        limit: Duration::from_secs(60),
    };
    assert_eq!(timed_out.retry_advice(), RetryAdvice::CheckFirst);
    let invalid = ApplianceFailure::Error(Error::from(
        vcsa_backup::BackupRequest::builder().build().unwrap_err(),
    ));
    assert_eq!(invalid.retry_advice(), RetryAdvice::Never);
    assert!(invalid.error().is_some());
}
