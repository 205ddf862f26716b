//! Every operation, in both flavours, against the simulator on loopback; sessions and errors as
//! a real appliance produces them.

use std::time::Duration;

use vcsa_backup::{
    BackupRequest, Client, Error, Flavour, InvalidRequest, JobId, JobKind, JobState, OutcomeStatus,
    PartId, RetryAdvice, Secret, ServerErrorType,
};
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, EnumField, RunningSimulator, Simulator};

/// The advice after a transient failure of a read, or of a start known not to have happened.
const AFTER_A_PAUSE: RetryAdvice = RetryAdvice::After(RetryAdvice::TRANSIENT_PAUSE);

async fn sim() -> RunningSimulator {
    Simulator::builder()
        .tls(false)
        // Long enough that a started job is still running when the test looks at it.
        .job_duration(Duration::from_secs(3600))
        .start()
        .await
        .expect("simulator starts")
}

/// A client speaking `flavour`, or finding it out with `None`.
fn client(sim: &RunningSimulator, flavour: impl Into<Option<Flavour>>) -> Client {
    let builder =
        Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD));
    match flavour.into() {
        Some(flavour) => builder.flavour(flavour),
        None => builder,
    }
    .build()
    .expect("valid settings")
}

fn request(folder: &str) -> BackupRequest {
    BackupRequest::builder()
        .location(format!("sftp://backup.example.com/vcsa/{folder}"))
        .location_credentials("backup", Secret::new("s3cret"))
        .part(PartId::SEAT)
        .backup_password(Secret::new("Backup-2024!"))
        .comment("from the SDK tests")
        .build()
        .expect("valid request")
}

#[tokio::test]
async fn every_operation_in_both_flavours() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(&sim, flavour);

        let parts = client.list_parts().await.unwrap();
        let ids: Vec<_> = parts.iter().map(|p| p.id.clone()).collect();
        assert!(
            ids.contains(&PartId::COMMON) && ids.contains(&PartId::SEAT),
            "{ids:?}"
        );

        let outcome = client.validate_backup(&request("a")).await.unwrap();
        assert_eq!(outcome.status, OutcomeStatus::Ok, "{flavour}: {outcome:?}");

        let job = client.start_backup(&request("a")).await.unwrap();
        assert!(job.id.is_time_stamped(), "{flavour}: {:?}", job.id);
        assert!(!job.state.is_terminal());
        assert_eq!(job.ended_at, None);

        let status = client.get_job(&job.id).await.unwrap();
        assert_eq!(status.id, job.id);

        let listed = client.list_jobs().await.unwrap();
        assert_eq!(listed.first(), Some(&job.id));

        let info = client.get_job_details(&job.id).await.unwrap();
        assert_eq!(info.kind, JobKind::Manual);
        assert_eq!(info.location, "sftp://backup.example.com/vcsa/a");
        assert!(
            client
                .list_job_details(None)
                .await
                .unwrap()
                .contains_key(&job.id)
        );
        assert!(client.list_job_details(Some(&[])).await.unwrap().is_empty());
        let unknown = JobId::new("20200101-000000-1");
        assert!(matches!(
            client.get_job_details(&unknown).await,
            Err(Error::NotFound(_))
        ));

        let sizes = client.list_part_sizes().await.unwrap();
        assert_eq!(sizes.keys().cloned().collect::<Vec<_>>(), {
            let mut ids = ids.clone();
            ids.sort();
            ids
        });
        let seat = client.get_part_size(&PartId::SEAT).await.unwrap();
        assert_eq!(sizes[&PartId::SEAT], seat);
        assert_eq!(seat % (1 << 20), 0, "{flavour}: megabytes in bytes");

        let cancelled = client.cancel_job(&job.id).await.unwrap();
        assert!(cancelled.is_accepted(), "{flavour}: {cancelled:?}");
        let after = client.get_job(&job.id).await.unwrap();
        assert_eq!(after.state, JobState::Failed, "{flavour}");

        let scheduled = client
            .run_schedule("default", Some("nightly, early"))
            .await
            .unwrap();
        assert_ne!(scheduled.id, job.id);
        let scheduled_info = client.get_job_details(&scheduled.id).await.unwrap();
        assert_eq!(scheduled_info.kind, JobKind::Scheduled);

        assert_eq!(client.flavour().await.unwrap(), flavour);
        client.logout().await.unwrap();
        assert_eq!(sim.control().state().live_sessions, 0, "{flavour}");
        // A call after log out logs in again by itself.
        client.list_jobs().await.unwrap();
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn job_details_are_the_same_from_both_flavours() {
    let sim = Simulator::builder()
        .tls(false)
        .history(4)
        .start()
        .await
        .unwrap();
    let api = client(&sim, Flavour::Api)
        .list_job_details(None)
        .await
        .unwrap();
    let rest = client(&sim, Flavour::Rest)
        .list_job_details(None)
        .await
        .unwrap();
    assert_eq!(api.len(), 4);
    assert_eq!(api, rest);
    let ids: Vec<JobId> = api.keys().cloned().collect();
    let some = client(&sim, Flavour::Rest)
        .list_job_details(Some(&ids[..2]))
        .await
        .unwrap();
    assert_eq!(
        some.keys().collect::<Vec<_>>(),
        ids[..2].iter().collect::<Vec<_>>()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn list_jobs_is_newest_first() {
    let sim = Simulator::builder()
        .tls(false)
        .history(5)
        .start()
        .await
        .unwrap();
    for flavour in [Flavour::Api, Flavour::Rest] {
        let ids = client(&sim, flavour).list_jobs().await.unwrap();
        assert_eq!(ids.len(), 5);
        let times: Vec<_> = ids.iter().map(|id| id.started_at().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "{flavour}: {ids:?}");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn auto_detects_api_on_a_current_appliance() {
    let sim = sim().await;
    let client = client(&sim, None);
    assert_eq!(client.flavour_if_known(), None);
    client.list_jobs().await.unwrap();
    assert_eq!(client.flavour_if_known(), Some(Flavour::Api));
    // Detection logged in: exactly one session exists.
    assert_eq!(sim.control().state().live_sessions, 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn reads_survive_a_session_expiring_mid_sequence() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(&sim, flavour);
        let job = client.start_backup(&request("x")).await.unwrap();
        client.get_job(&job.id).await.unwrap();
        sim.control().expire_sessions();
        assert_eq!(sim.control().state().live_sessions, 0);
        // Each read re-logs in transparently.
        assert_eq!(client.get_job(&job.id).await.unwrap().id, job.id);
        client.list_parts().await.unwrap();
        sim.control().expire_sessions();
        client.list_job_details(None).await.unwrap();
        client.validate_backup(&request("y")).await.unwrap();
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn a_start_is_not_repeated_after_the_session_expired() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(&sim, flavour);
        client.list_jobs().await.unwrap();
        sim.control().expire_sessions();

        let error = client.start_backup(&request("once")).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::SessionExpired {
                    operation: "start a backup",
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(error.retry_advice(), RetryAdvice::Now);
        assert_eq!(
            sim.control().state().jobs,
            0,
            "{flavour}: nothing was started"
        );
        assert_eq!(
            sim.control().state().live_sessions,
            1,
            "a new session is open"
        );

        // Calling again, as the error invites, starts exactly one backup.
        client.start_backup(&request("once")).await.unwrap();
        assert_eq!(sim.control().state().jobs, 1);

        sim.control().expire_sessions();
        let error = client.run_schedule("default", None).await.unwrap_err();
        assert!(matches!(error, Error::SessionExpired { .. }), "{error:?}");
        assert_eq!(sim.control().state().jobs, 1, "{flavour}: no schedule run");

        // Nor is a cancel: the job goes on.
        let running = sim.control().state().running_job.expect("a job runs");
        sim.control().expire_sessions();
        let error = client
            .cancel_job(&JobId::new(running.clone()))
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::SessionExpired {
                    operation: "cancel a job",
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(sim.control().state().running_job, Some(running));
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn a_read_is_repeated_with_the_new_session() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(&sim, flavour);
        let job = client.start_backup(&request("r")).await.unwrap();
        sim.control().expire_sessions();
        // The simulator refuses the old token, so only a repeat with the new session succeeds.
        let status = client.get_job(&job.id).await.unwrap();
        assert_eq!(status.id, job.id, "{flavour}");
        assert_eq!(sim.control().state().live_sessions, 1, "{flavour}");
        assert_eq!(
            sim.control().state().jobs,
            1,
            "{flavour}: nothing else done"
        );
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn logout_ends_the_session_and_tolerates_an_expired_one() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(&sim, flavour);

        // No session yet: nothing is sent (the one failure armed below would be used up).
        sim.control().fail_next(1);
        client.logout().await.unwrap();
        assert_eq!(
            sim.control().state().faults.fail_next,
            1,
            "{flavour}: sent nothing"
        );
        sim.control().clear_faults();

        client.list_jobs().await.unwrap();
        assert_eq!(sim.control().state().live_sessions, 1);
        client.logout().await.unwrap();
        assert_eq!(
            sim.control().state().live_sessions,
            0,
            "{flavour}: ended on the appliance"
        );
        assert!(!format!("{client:?}").contains("token"));

        // A session the appliance has already forgotten counts as ended.
        client.list_jobs().await.unwrap();
        sim.control().expire_sessions();
        client.logout().await.unwrap();
        assert!(
            format!("{client:?}").contains("logged_in: false"),
            "{client:?}"
        );

        // A failed log out keeps the session, so it can be tried again.
        client.list_jobs().await.unwrap();
        sim.control().fail_next(1);
        let error = client.logout().await.unwrap_err();
        assert_eq!(error.retry_advice(), AFTER_A_PAUSE, "{error:?}");
        assert_eq!(sim.control().state().live_sessions, 1);
        client.logout().await.unwrap();
        assert_eq!(sim.control().state().live_sessions, 0, "{flavour}");
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn clones_share_one_session_and_log_in_once_after_expiry() {
    let sim = sim().await;
    let client = client(&sim, Flavour::Api);
    client.list_jobs().await.unwrap();
    sim.control().expire_sessions();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.list_parts().await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(sim.control().state().live_sessions, 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn errors_from_the_appliance_in_both_flavours() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(&sim, flavour);

        let first = client.start_backup(&request("first")).await.unwrap();
        let busy = client.start_backup(&request("second")).await.unwrap_err();
        let Error::BackupInProgress(server) = &busy else {
            panic!("{flavour}: {busy:?}");
        };
        assert_eq!(server.error_type, Some(ServerErrorType::FeatureInUse));
        assert_eq!(busy.retry_advice(), RetryAdvice::WhenIdle);
        assert!(busy.to_string().contains(first.id.as_str()), "{busy}");

        let missing = client
            .get_job(&JobId::new("20200101-000000-1"))
            .await
            .unwrap_err();
        assert!(
            matches!(missing, Error::NotFound(_)),
            "{flavour}: {missing:?}"
        );
        assert_eq!(missing.retry_advice(), RetryAdvice::Never);

        client.cancel_job(&first.id).await.unwrap();
        let reused = client.start_backup(&request("first")).await.unwrap_err();
        let Error::InvalidRequest(InvalidRequest::Rejected(server)) = &reused else {
            panic!("{flavour}: {reused:?}");
        };
        assert_eq!(server.error_type, Some(ServerErrorType::InvalidArgument));
        assert!(
            reused.to_string().contains("already contains a backup"),
            "{reused}"
        );

        sim.control().fail_next(1);
        let transient = client.list_jobs().await.unwrap_err();
        assert!(
            matches!(transient, Error::Transient { .. }),
            "{flavour}: {transient:?}"
        );
        assert_eq!(
            transient.server_error().and_then(|s| s.error_type.clone()),
            Some(ServerErrorType::ServiceUnavailable)
        );
        assert_eq!(transient.retry_advice(), AFTER_A_PAUSE);
        client.list_jobs().await.unwrap();
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn wrong_credentials_are_not_authenticated_and_never_echoed() {
    for flavour in [Some(Flavour::Api), Some(Flavour::Rest), None] {
        let sim = sim().await;
        let builder =
            Client::builder(sim.url()).credentials(DEFAULT_USER, Secret::new("Wr0ng-Passw0rd"));
        let client = match flavour {
            Some(flavour) => builder.flavour(flavour),
            None => builder,
        }
        .build()
        .unwrap();
        let error = client.list_jobs().await.unwrap_err();
        assert!(
            matches!(error, Error::NotAuthenticated { .. }),
            "{flavour:?}: {error:?}"
        );
        let shown = format!("{error} {error:?} {client:?}");
        assert!(shown.contains(DEFAULT_USER), "{shown}");
        assert!(!shown.contains("Wr0ng-Passw0rd"), "{shown}");
        assert_eq!(error.retry_advice(), RetryAdvice::Never);
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn no_credentials_is_reported_before_sending() {
    let sim = sim().await;
    let client = Client::builder(sim.url()).build().unwrap();
    let error = client.list_parts().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::NotAuthenticated {
                reason: vcsa_backup::AuthFailure::NoCredentials,
                ..
            }
        ),
        "{error:?}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn unknown_enum_values_are_kept() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(&sim, flavour);
        let job = client.start_backup(&request("enum")).await.unwrap();
        sim.control()
            .inject_unknown_enum(EnumField::JobState, "PAUSED");
        let status = client.get_job(&job.id).await.unwrap();
        assert_eq!(status.state, JobState::Unknown("PAUSED".into()));
        assert!(!status.state.is_terminal());
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn invalid_requests_are_refused_before_sending() {
    let sim = sim().await;
    let client = client(&sim, Flavour::Api);
    let error = client.run_schedule("", Some("x")).await.unwrap_err();
    assert_eq!(error.problems()[0].field, vcsa_backup::Field::Schedule);
    assert_eq!(
        sim.control().state().live_sessions,
        0,
        "nothing was sent, not even a log in"
    );
    sim.shutdown().await;
}
