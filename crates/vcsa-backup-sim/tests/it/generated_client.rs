//! All 20 operations through the client generated from the spec (`vcsa-backup-api`): every
//! success body and every error body the simulator sends decodes into the spec's types, and the
//! client's `/rest` filter rewrite (`filter.jobs.1=...`) is understood.

use std::time::Duration;

use vcsa_backup_api::enums::{
    BackupRestoreProcessState, DetailsStatus, DetailsType, ErrorType, LocationType, RestErrorType,
    ReturnStatus,
};
use vcsa_backup_api::types::{BackupRequest, RestBackupRequestPiece, RunScheduleRequest};
use vcsa_backup_api::{Auth, Client, Error, Secret};
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};

fn request(location: &str) -> BackupRequest {
    BackupRequest {
        parts: vec!["seat".to_string()],
        location_type: LocationType::Sftp,
        location: location.to_string(),
        location_user: Some("backup".to_string()),
        location_password: Some(Secret::new("Secr3t!pw").to_wire()),
        backup_password: Some(Secret::new("VMware1!").to_wire()),
        comment: None,
        fast_backup: Some(true),
    }
}

fn client(url: &str, auth: &Auth) -> Client {
    // No pool: idle connections arm timers the paused clock would jump to.
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    Client::new_with_client(url, http, auth.clone())
}

#[tokio::test(start_paused = true)]
async fn api_flavour_through_the_generated_client() {
    let sim = Simulator::builder()
        .tls(false)
        .job_duration(Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let auth = Auth::with_credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD));
    let c = client(sim.url(), &auth);

    let token = c.create_session().await.unwrap();
    assert_eq!(token.status(), 201);
    auth.set_session(token.into_inner().into_secret());

    let parts = c.list_parts().await.unwrap().into_inner();
    assert_eq!(parts.len(), 3);
    let result = c
        .validate_backup(&request("sftp://nas.example.com/g/1"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(result.status, ReturnStatus::Ok);

    let job = c
        .create_job(&request("sftp://nas.example.com/g/1"))
        .await
        .unwrap();
    assert_eq!(job.status(), 201);
    let id = job.into_inner().id;
    match c
        .run_schedule("default", &RunScheduleRequest::default())
        .await
        .unwrap_err()
    {
        Error::ErrorResponse(e) => {
            assert_eq!(e.status(), 400);
            assert_eq!(e.into_inner().error_type, Some(ErrorType::FeatureInUse));
        }
        other => panic!("{other:?}"),
    }
    tokio::time::advance(Duration::from_secs(30)).await;
    let status = c.get_job(&id).await.unwrap().into_inner();
    assert_eq!(
        (status.state, status.progress),
        (BackupRestoreProcessState::Inprogress, 50)
    );
    let details = c
        .list_job_details(Some(&vec![id.clone()]))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(details[&id].status, DetailsStatus::Running);
    assert_eq!(details[&id].fast_backup, Some(true));
    let cancel = c.cancel_job(&id).await.unwrap().into_inner();
    assert_eq!(cancel.status, ReturnStatus::Ok);

    let scheduled = c
        .run_schedule(
            "default",
            &RunScheduleRequest {
                comment: Some("x".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(scheduled.status(), 200);
    tokio::time::advance(Duration::from_secs(60)).await;
    let all = c.list_job_details(None).await.unwrap().into_inner();
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[&scheduled.into_inner().id].type_,
        DetailsType::Scheduled
    );
    assert_eq!(c.list_jobs().await.unwrap().into_inner().len(), 2);

    match c.get_job("20200101-000000-1").await.unwrap_err() {
        Error::ErrorResponse(e) => assert_eq!(e.into_inner().error_type, Some(ErrorType::NotFound)),
        other => panic!("{other:?}"),
    }
    assert_eq!(c.delete_session().await.unwrap().status(), 204);
    match c.list_jobs().await.unwrap_err() {
        Error::ErrorResponse(e) => {
            assert_eq!(e.status(), 401);
            assert_eq!(e.into_inner().error_type, Some(ErrorType::Unauthenticated));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn rest_flavour_through_the_generated_client() {
    let sim = Simulator::builder()
        .tls(false)
        .job_duration(Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let auth = Auth::with_credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD));
    let c = client(sim.url(), &auth);

    let token = c.rest_create_session().await.unwrap();
    assert_eq!(token.status(), 200);
    auth.set_session(token.into_inner().value.into_secret());

    assert_eq!(
        c.rest_list_parts().await.unwrap().into_inner().value.len(),
        3
    );
    let piece = RestBackupRequestPiece {
        piece: request("sftp://nas.example.com/g/r"),
    };
    let result = c
        .rest_validate_backup(&piece)
        .await
        .unwrap()
        .into_inner()
        .value;
    assert_eq!(result.status, ReturnStatus::Ok);

    let first = c
        .rest_create_job(&piece)
        .await
        .unwrap()
        .into_inner()
        .value
        .id;
    match c.rest_create_job(&piece).await.unwrap_err() {
        Error::ErrorResponse(e) => {
            assert_eq!(e.status(), 400);
            assert_eq!(e.into_inner().type_, RestErrorType::FeatureInUse);
        }
        other => panic!("{other:?}"),
    }
    tokio::time::advance(Duration::from_secs(60)).await;
    let status = c.rest_get_job(&first).await.unwrap().into_inner().value;
    assert_eq!(status.state, BackupRestoreProcessState::Succeeded);
    assert!(status.end_time.is_some());
    let cancel = c.rest_cancel_job(&first).await.unwrap().into_inner().value;
    assert_eq!(cancel.status, ReturnStatus::Fail);

    let second = c
        .rest_run_schedule("default", &RunScheduleRequest::default())
        .await
        .unwrap()
        .into_inner()
        .value
        .id;
    // The client sends filter.jobs and its hook rewrites it to filter.jobs.1=..&filter.jobs.2=..
    let both = c
        .rest_list_job_details(Some(&vec![first.clone(), second.clone()]))
        .await
        .unwrap()
        .into_inner();
    let keys: Vec<&str> = both.value.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, vec![first.as_str(), second.as_str()]);
    let one = c
        .rest_list_job_details(Some(&vec![second.clone()]))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(one.value.len(), 1);
    assert_eq!(one.value[0].value.status, DetailsStatus::Running);
    assert_eq!(
        c.rest_list_job_details(None)
            .await
            .unwrap()
            .into_inner()
            .value
            .len(),
        2
    );
    assert_eq!(
        c.rest_list_jobs().await.unwrap().into_inner().value.0,
        vec![second, first]
    );

    match c
        .rest_run_schedule("hourly", &RunScheduleRequest::default())
        .await
        .unwrap_err()
    {
        Error::ErrorResponse(e) => {
            assert_eq!(e.status(), 404);
            assert_eq!(e.into_inner().type_, RestErrorType::NotFound);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.rest_delete_session().await.unwrap().status(), 200);
    match c.rest_list_jobs().await.unwrap_err() {
        Error::ErrorResponse(e) => assert_eq!(e.into_inner().type_, RestErrorType::Unauthenticated),
        other => panic!("{other:?}"),
    }
}
