//! Starts whose answer is lost after the appliance did (or did not do) the work, against the
//! simulator in both flavours on tokio's paused clock: each is settled from the appliance's
//! jobs, never sent again, and never starts a second backup.

use crate::support::sim::{LOST, backup_request as request, losing_client as client};

use crate::support::proxy::{Proxy, Replace};

use std::time::Duration;

use vcsa_backup::wait::{WaitError, WaitOptions};
use vcsa_backup::{Client, Error, Flavour, JobId, JobState, RetryAdvice};
use vcsa_backup_sim::{LostOperation, RunningSimulator, Simulator};

const FLAVOURS: [Flavour; 2] = [Flavour::Api, Flavour::Rest];

async fn sim(job_length: Duration) -> RunningSimulator {
    Simulator::builder()
        .tls(false)
        .job_duration(job_length)
        .start_time("2026-05-18T10:00:00Z".parse().unwrap())
        .start()
        .await
        .expect("the simulator starts")
}

fn only_job(sim: &RunningSimulator) -> JobId {
    let ids = sim.control().job_ids();
    assert_eq!(ids.len(), 1, "exactly one backup started: {ids:?}");
    JobId::new(ids[0].clone())
}

/// Follows `job` to its end and says it succeeded.
async fn follows_to_success(client: &Client, job: &JobId) {
    let status = client
        .wait_for_job(job, &WaitOptions::default())
        .await
        .expect("the wait follows the job to its end");
    assert_eq!(status.state, JobState::Succeeded);
}

#[tokio::test(start_paused = true)]
async fn a_backup_whose_answer_is_lost_resolves_to_its_job_and_is_followed() {
    for flavour in FLAVOURS {
        for lost in LOST {
            let sim = sim(Duration::from_secs(300)).await;
            let client = client(sim.url(), flavour);
            client.login().await.unwrap();
            sim.control()
                .lose_answers(LostOperation::StartBackup, lost, 1);

            let job = client
                .start_backup(&request("today"))
                .await
                .unwrap_or_else(|e| panic!("{flavour} {lost:?}: {e}"));

            assert_eq!(job.id, only_job(&sim), "{flavour} {lost:?}");
            follows_to_success(&client, &job.id).await;
            assert_eq!(sim.control().job_ids().len(), 1, "never started twice");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_schedule_run_whose_answer_is_lost_resolves_to_its_job_and_is_followed() {
    for flavour in FLAVOURS {
        for lost in LOST {
            let sim = sim(Duration::from_secs(300)).await;
            let client = client(sim.url(), flavour);
            client.login().await.unwrap();
            sim.control()
                .lose_answers(LostOperation::RunSchedule, lost, 1);

            let job = client
                .run_schedule("default", Some("before the upgrade"))
                .await
                .unwrap_or_else(|e| panic!("{flavour} {lost:?}: {e}"));

            assert_eq!(job.id, only_job(&sim), "{flavour} {lost:?}");
            follows_to_success(&client, &job.id).await;
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_lost_answer_to_a_refused_start_is_a_certain_not_started() {
    for flavour in FLAVOURS {
        for lost in LOST {
            let sim = sim(Duration::from_secs(3600)).await;
            let client = client(sim.url(), flavour);
            let running = client.start_backup(&request("earlier")).await.unwrap();
            // The appliance refuses both (one backup at a time), and the refusals are lost.
            sim.control()
                .lose_answers(LostOperation::StartBackup, lost, 1);
            let backup = client.start_backup(&request("today")).await;
            sim.control()
                .lose_answers(LostOperation::RunSchedule, lost, 1);
            let run = client.run_schedule("default", None).await;

            for (what, result) in [("backup", backup), ("schedule run", run)] {
                let error = result.expect_err("nothing started");
                assert!(
                    matches!(error, Error::Transient { .. }),
                    "{flavour} {lost:?} {what}: the original error, safe to retry: {error}"
                );
                assert_eq!(
                    error.retry_advice(),
                    RetryAdvice::After(RetryAdvice::TRANSIENT_PAUSE)
                );
            }
            assert_eq!(only_job(&sim), running.id, "{flavour} {lost:?}");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn two_runs_that_could_be_the_one_make_the_outcome_unknown() {
    for flavour in FLAVOURS {
        for lost in LOST {
            let sim = sim(Duration::from_secs(10)).await;
            let client = client(sim.url(), flavour);
            // A run of the same schedule that ended moments ago, as a timed run in the same
            // minute would.
            let first = client.run_schedule("default", None).await.unwrap();
            follows_to_success(&client, &first.id).await;
            sim.control()
                .lose_answers(LostOperation::RunSchedule, lost, 1);

            let error = client
                .run_schedule("default", None)
                .await
                .expect_err("not settled by guessing");

            let Error::OutcomeUnknown {
                candidates,
                location,
                ..
            } = &error
            else {
                panic!("{flavour} {lost:?}: {error}");
            };
            assert_eq!(candidates.len(), 2, "{flavour} {lost:?}: {candidates:?}");
            assert!(candidates.contains(&first.id));
            assert!(location.starts_with("sftp://"), "{location}");
            assert_eq!(error.retry_advice(), RetryAdvice::CheckFirst);
            let shown = error.to_string();
            assert!(shown.contains("vcsa-backup list"), "{shown}");
            assert_eq!(
                sim.control().job_ids().len(),
                2,
                "the run was not sent again"
            );
        }
    }
}

#[tokio::test(start_paused = true)]
async fn start_when_idle_follows_a_resolved_start_and_never_starts_a_second_backup() {
    for flavour in FLAVOURS {
        for lost in LOST {
            let sim = sim(Duration::from_secs(300)).await;
            let client = client(sim.url(), flavour);
            client.login().await.unwrap();
            sim.control()
                .lose_answers(LostOperation::StartBackup, lost, 1);

            let started = client
                .start_backup_when_idle(&request("today"), &WaitOptions::default())
                .await
                .unwrap_or_else(|e| panic!("{flavour} {lost:?}: {e}"));
            assert_eq!(started.status.id, only_job(&sim));

            // Behind a running backup, a refusal whose answer is lost is not retried.
            sim.control()
                .lose_answers(LostOperation::StartBackup, lost, 1);
            let error = client
                .start_backup_when_idle(&request("later"), &WaitOptions::default())
                .await
                .expect_err("not started");
            assert!(matches!(error, WaitError::NotStarted(_)), "{error}");
            assert_eq!(sim.control().job_ids().len(), 1, "{flavour} {lost:?}");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn through_a_proxy_that_loses_the_answer_the_start_resolves_to_its_job() {
    for flavour in FLAVOURS {
        for replace in [
            Replace::Drop,
            Replace::Page(502),
            Replace::Page(503),
            Replace::Page(504),
        ] {
            let sim = sim(Duration::from_secs(120)).await;
            let proxy = Proxy::start(sim.url(), replace, false).await;
            let client = client(&proxy.url, flavour);

            let job = client
                .start_backup(&request("today"))
                .await
                .unwrap_or_else(|e| panic!("{flavour} {replace:?}: {e}"));

            assert_eq!(job.id, only_job(&sim));
            assert_eq!(
                proxy
                    .starts_forwarded
                    .load(std::sync::atomic::Ordering::SeqCst),
                1
            );
            follows_to_success(&client, &job.id).await;
        }
    }
}

#[tokio::test(start_paused = true)]
async fn an_appliance_that_cannot_be_read_after_a_lost_answer_makes_the_outcome_unknown() {
    for flavour in FLAVOURS {
        let sim = sim(Duration::from_secs(120)).await;
        let proxy = Proxy::start(sim.url(), Replace::Drop, true).await;
        let client = client(&proxy.url, flavour);

        let began = tokio::time::Instant::now();
        let error = client
            .start_backup(&request("today"))
            .await
            .expect_err("not settled by guessing");

        let Error::OutcomeUnknown { candidates, .. } = &error else {
            panic!("{flavour}: {error}");
        };
        assert!(candidates.is_empty());
        assert_eq!(error.retry_advice(), RetryAdvice::CheckFirst);
        assert!(error.to_string().contains("could not be read"), "{error}");
        assert!(
            began.elapsed() <= Duration::from_secs(31),
            "a short, bounded settling"
        );
        assert_eq!(sim.control().job_ids().len(), 1, "started once, not again");
    }
}
