//! The advice an error gives about calling again, met through the client against the
//! simulator: a lost answer to a change is never "try again", a wait that ran out of time is,
//! and every error converts into `Error` with `?`, keeping its advice; and the advice of every
//! kind of error, a wait's endings among them (against a scripted appliance), each in a table.

use crate::support::sim::{LOST, backup_request as request, losing_client as client};

use std::time::Duration;

use RetryAdvice::{Never, Now, WhenIdle};
use vcsa_backup::wait::{RecoveryWaitError, WaitError, WaitOptions, WaitSummary};
use vcsa_backup::{
    Client, Error, Field, Flavour, InvalidRequest, JobId, Message, Problem, RetryAdvice,
    ServerError, ServerErrorType,
};
use vcsa_backup_sim::{JobFailure, LostOperation, Simulator};

/// The appliance's answer of `error_type`, with one message.
fn said(error_type: Option<ServerErrorType>) -> ServerError {
    ServerError::new(error_type, vec![Message::new("x", "What went wrong")])
}

fn recovery(error: RecoveryWaitError<Vec<Message>>) -> Error {
    Error::RecoveryWait(Box::new(error))
}

fn recovery_read_failed(error: Error) -> Error {
    recovery(RecoveryWaitError::ReadFailed {
        last: None,
        error,
        summary: WaitSummary::default(),
    })
}

/// The advice of every kind of error a caller can build, a recovery wait's endings among them
/// (whose advice `Error` takes from them); each says what to do, but a recovery wait's, whose
/// summary says it. The kinds only the client builds are met through it: in `errors.rs`,
/// `lost_answers.rs`, `simulator.rs`, `tls.rs`, and below.
#[test]
fn every_error_kind_has_its_advice() {
    let server = |error_type| Error::Server(said(Some(error_type)));
    let restore_failed = recovery(RecoveryWaitError::Failed {
        last: vec![Message::new("x", "The restore failed")],
        summary: WaitSummary::default(),
    });
    let problems = vec![Problem::new(Field::Location, "missing")];
    let cases = [
        (Error::BackupInProgress(said(None)), WhenIdle),
        (Error::NotFound(said(None)), Never),
        (Error::NotAuthorized(said(None)), Never),
        (Error::NotAllowedInCurrentState(said(None)), Never),
        (
            Error::InvalidRequest(InvalidRequest::Problems(problems)),
            Never,
        ),
        (
            Error::InvalidRequest(InvalidRequest::Rejected(said(None))),
            Never,
        ),
        (server(ServerErrorType::ResourceInUse), WhenIdle),
        (server(ServerErrorType::ConcurrentChange), WhenIdle),
        (server(ServerErrorType::AlreadyExists), Never),
        (Error::Server(said(None)), Never),
        (restore_failed, Never),
        (
            recovery(RecoveryWaitError::TimedOut {
                last: None,
                error: Some(Error::BackupInProgress(said(None))),
                summary: WaitSummary::default(),
            }),
            Now,
        ),
        (
            recovery_read_failed(Error::BackupInProgress(said(None))),
            WhenIdle,
        ),
        (
            recovery_read_failed(Error::NotAuthorized(said(None))),
            Never,
        ),
    ];
    for (error, advice) in cases {
        assert_eq!(error.retry_advice(), advice, "{error:?}");
        let said_in_summary = matches!(&error, Error::RecoveryWait(_));
        assert_eq!(error.hint().is_none(), said_in_summary, "{error:?}");
    }
}

#[test]
fn a_failed_restores_messages_and_a_failed_reads_are_the_appliances_messages() {
    let restore_failed = recovery(RecoveryWaitError::Failed {
        last: vec![Message::new("x", "The restore failed")],
        summary: WaitSummary::default(),
    });
    assert_eq!(restore_failed.appliance_messages().len(), 1);
    let read = recovery_read_failed(Error::NotFound(said(None)));
    assert_eq!(read.appliance_messages(), said(None).messages);
    let timed_out = |error| {
        recovery(RecoveryWaitError::TimedOut {
            last: None,
            error,
            summary: WaitSummary::default(),
        })
    };
    let outage = timed_out(Some(Error::NotFound(said(None))));
    assert_eq!(outage.appliance_messages(), said(None).messages);
    assert!(timed_out(None).appliance_messages().is_empty());
}

#[tokio::test]
async fn wrong_client_settings_and_no_credentials_are_never_retried_as_they_are() {
    let settings = Client::builder("ftp://vcsa.example.com")
        .build()
        .unwrap_err();
    assert!(
        matches!(settings, Error::Configuration { .. }),
        "{settings:?}"
    );
    let anonymous = Client::builder("http://127.0.0.1:9").build().unwrap();
    let refused = anonymous.list_parts().await.unwrap_err();
    assert!(
        matches!(refused, Error::NotAuthenticated { .. }),
        "before sending: {refused:?}"
    );
    for error in [settings, refused] {
        assert_eq!(error.retry_advice(), Never, "{error:?}");
        assert!(error.hint().is_some());
        assert!(error.appliance_messages().is_empty());
    }
}

#[tokio::test(start_paused = true)]
async fn a_failed_job_and_a_job_that_cannot_be_read_need_a_person() {
    let sim = Simulator::builder()
        .tls(false)
        .start()
        .await
        .expect("the simulator starts");
    sim.control().fail_next_job(JobFailure::at(
        40,
        "The backup server ran out of disk space.",
    ));
    let client = client(sim.url(), Flavour::Api);
    let job = client.start_backup(&request("today")).await.unwrap();
    let options = WaitOptions::default();

    let failed = Error::from(client.wait_for_job(&job.id, &options).await.unwrap_err());
    let Error::Wait(WaitError::JobFailed(status)) = &failed else {
        panic!("{failed:?}");
    };
    assert_eq!(failed.retry_advice(), Never);
    assert!(failed.hint().is_some());
    assert_eq!(failed.appliance_messages(), status.status.messages);

    let missing = JobId::new("20260101-000000-1");
    let unread = Error::from(client.wait_for_job(&missing, &options).await.unwrap_err());
    let Error::Wait(WaitError::ReadFailed(read)) = &unread else {
        panic!("{unread:?}");
    };
    assert!(matches!(read.error, Error::NotFound(_)), "{unread:?}");
    assert_eq!(unread.retry_advice(), Never);
    assert!(unread.hint().is_none(), "its summary says what to do");
    assert_eq!(unread.appliance_messages(), read.error.appliance_messages());
    assert!(!unread.appliance_messages().is_empty());
    sim.shutdown().await;
}

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

/// A wait's endings, met against a scripted appliance: the advice of each (a failed read and a
/// start that did not happen take their cause's), and a hint but where the summary says it.
#[tokio::test(start_paused = true)]
async fn every_wait_ending_has_its_advice() {
    use crate::support::wait::{Appliance, Call, JOB, JOBS_PATH, Reply, error, job, job_path};
    use vcsa_backup::wait::{ExponentialBackoff, NotStartedReason as Why};

    type Script = Box<dyn FnMut(&Call) -> Option<Reply> + Send>;
    type Expected = fn(&Why) -> bool;
    fn in_use() -> Reply {
        error(400, "FEATURE_IN_USE", "A backup is already running.")
    }
    fn denied() -> Reply {
        error(403, "UNAUTHORIZED", "Permission denied.")
    }
    fn unavailable() -> Reply {
        error(503, "SERVICE_UNAVAILABLE", "The service is starting.")
    }
    fn stuck() -> Reply {
        job(JOB, "INPROGRESS", 10, &[])
    }
    let running = job_path(JOB);
    // Refuses every start as busy; lists `jobs`; answers the running job's reads with `read`.
    let busy = |jobs: Vec<&'static str>, read: fn() -> Reply| -> Script {
        let running = running.clone();
        Box::new(move |call: &Call| {
            if call.is("POST", JOBS_PATH) {
                Some(in_use())
            } else if call.is("GET", JOBS_PATH) {
                Some(Reply::json(200, serde_json::json!(jobs)))
            } else {
                call.is("GET", &running).then(read)
            }
        })
    };
    let when_idle: Vec<(Script, Expected, RetryAdvice)> = vec![
        (
            Box::new(move |call: &Call| {
                call.is("POST", JOBS_PATH)
                    .then(|| error(404, "NOT_FOUND", "No such location."))
            }),
            |why| matches!(why, Why::Refused(Error::NotFound(_))),
            Never,
        ),
        (
            busy(vec![], stuck),
            |why| matches!(why, Why::TimedOut(Error::BackupInProgress(_))),
            WhenIdle,
        ),
        (
            busy(vec![JOB], stuck),
            |why| matches!(why, Why::WaitFailed(WaitError::TimedOut(_))),
            WhenIdle,
        ),
        (
            busy(vec![JOB], denied),
            |why| matches!(why, Why::WaitFailed(WaitError::ReadFailed(_))),
            Never,
        ),
        (
            Box::new(move |call: &Call| {
                if call.is("POST", JOBS_PATH) {
                    Some(in_use())
                } else {
                    call.is("GET", JOBS_PATH).then(unavailable)
                }
            }),
            |why| matches!(why, Why::JobListUnreadable(Error::Transient { .. })),
            RetryAdvice::After(RetryAdvice::TRANSIENT_PAUSE),
        ),
    ];
    let options = WaitOptions::default()
        .backoff(ExponentialBackoff::default())
        .time_limit(Duration::from_secs(120));
    for (script, expected, advice) in when_idle {
        let appliance = Appliance::start(script).await;
        let ending = appliance
            .client()
            .start_backup_when_idle(&request("today"), &options)
            .await
            .unwrap_err();
        let WaitError::NotStarted(not_started) = &ending else {
            panic!("{ending:?}");
        };
        assert!(expected(&not_started.reason), "{ending:?}");
        let error = Error::from(ending);
        assert_eq!(error.retry_advice(), advice, "{error:?}");
        assert!(error.hint().is_none(), "its summary says what to do");
    }

    let waits: Vec<(Script, RetryAdvice)> = vec![
        (busy(vec![], stuck), Never),
        (
            busy(vec![], unavailable),
            RetryAdvice::After(RetryAdvice::TRANSIENT_PAUSE),
        ),
    ];
    // Past the fault policy's five minutes of failed reads.
    let options = options
        .time_limit(Duration::from_secs(600))
        .stall_timeout(Duration::from_secs(60));
    for (script, advice) in waits {
        let appliance = Appliance::start(script).await;
        let ending = appliance
            .client()
            .wait_for_job(&JobId::new(JOB), &options)
            .await;
        let error = Error::from(ending.unwrap_err());
        assert!(
            matches!(
                &error,
                Error::Wait(WaitError::Stalled(_) | WaitError::ReadFailed(_))
            ),
            "{error:?}"
        );
        assert_eq!(error.retry_advice(), advice, "{error:?}");
        let stalled = matches!(&error, Error::Wait(WaitError::Stalled(_)));
        assert_eq!(error.hint().is_some(), stalled, "{error:?}");
    }
}
