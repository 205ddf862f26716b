//! Every error kind from both body shapes, classification by type before status, malformed
//! answers, flavour detection and session logging, against scripted loopback servers: answers
//! the simulator never gives (gateway pages, wrong shapes, a session refused right after log in,
//! known session tokens). Session expiry, re-login and log out are tested against the simulator
//! in `simulator.rs`.

use crate::support;

use serde_json::json;
use support::*;
use vcsa_backup::{Error, Flavour, JobId, JobKind, RetryAdvice, ServerErrorType, TaskState};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "20240601-100000-24322831";

/// The advice after a transient failure of a read, or of a start known not to have happened.
const AFTER_A_PAUSE: RetryAdvice = RetryAdvice::After(RetryAdvice::TRANSIENT_PAUSE);

/// Serves `body` for job status in the flavour, after a working log in.
async fn job_status_answering(flavour: Flavour, body: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    mount_login(&server).await;
    let prefix = if flavour == Flavour::Rest {
        REST_JOB
    } else {
        API_JOB
    };
    Mock::given(method("GET"))
        .and(path(format!("{prefix}/{ID}")))
        .respond_with(body)
        .mount(&server)
        .await;
    client(&server, flavour)
        .get_job(&JobId::new(ID))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn every_error_kind_from_both_body_shapes() {
    let table = [
        (
            "FEATURE_IN_USE",
            400,
            "BackupInProgress",
            RetryAdvice::WhenIdle,
        ),
        ("NOT_FOUND", 404, "NotFound", RetryAdvice::Never),
        ("UNAUTHORIZED", 403, "NotAuthorized", RetryAdvice::Never),
        (
            "INVALID_ARGUMENT",
            400,
            "InvalidRequest",
            RetryAdvice::Never,
        ),
        ("SERVICE_UNAVAILABLE", 503, "Transient", AFTER_A_PAUSE),
        ("TIMED_OUT", 504, "Transient", AFTER_A_PAUSE),
        ("RESOURCE_BUSY", 400, "Transient", AFTER_A_PAUSE),
        ("ALREADY_EXISTS", 400, "Server", RetryAdvice::Never),
        ("INTERNAL_SERVER_ERROR", 500, "Server", RetryAdvice::Never),
        ("ERROR", 500, "Server", RetryAdvice::Never),
        ("BRAND_NEW_ERROR", 400, "Server", RetryAdvice::Never),
        // Read again after a fresh log in, refused again: the log in worked, so services
        // restarting (or a proxy dropping the session header); after a pause.
        ("UNAUTHENTICATED", 401, "NotAuthenticated", AFTER_A_PAUSE),
    ];
    let mut rendered = String::new();
    for (error_type, status, expected, advice) in table {
        let mut shown = Vec::new();
        for flavour in [Flavour::Api, Flavour::Rest] {
            let body = error_body(flavour, error_type, "What went wrong");
            let error =
                job_status_answering(flavour, ResponseTemplate::new(status).set_body_json(body))
                    .await;
            assert_eq!(
                kind(&error),
                expected,
                "{error_type} in {flavour}: {error:?}"
            );
            assert_eq!(error.retry_advice(), advice, "{error_type}");
            let server = error
                .server_error()
                .expect("the appliance's report is kept");
            assert_eq!(
                server.error_type,
                Some(ServerErrorType::from(error_type)),
                "{flavour}"
            );
            assert_eq!(server.messages.len(), 2);
            assert_eq!(server.status, Some(status));
            shown.push(error.to_string());
        }
        assert_eq!(
            shown[0], shown[1],
            "both flavours render {error_type} alike"
        );
        rendered.push_str(&format!(
            "{error_type} ({status}) -> {expected}\n  {}\n",
            shown[0]
        ));
    }
    insta::assert_snapshot!("errors_by_type", rendered);
}

/// Every type the spec knows is the same known type in either flavour's spelling; a `/rest`
/// type from outside the standard errors is kept whole.
#[tokio::test]
async fn both_flavours_give_the_same_type() {
    use vcsa_backup_api::enums::{ErrorType, RestErrorType};
    assert_eq!(ErrorType::KNOWN.len(), ServerErrorType::KNOWN.len());
    let type_of = async |flavour, body| {
        let answer = ResponseTemplate::new(400).set_body_json(body);
        let error = job_status_answering(flavour, answer).await;
        error.server_error().unwrap().error_type.clone().unwrap()
    };
    for known in ErrorType::KNOWN {
        let rest = format!(
            "com.vmware.vapi.std.errors.{}",
            known.as_str().to_lowercase()
        );
        assert!(RestErrorType::from(rest).is_known(), "{known}");
        for flavour in [Flavour::Api, Flavour::Rest] {
            let t = type_of(flavour, error_body(flavour, known.as_str(), "Wrong")).await;
            assert!(t.is_known(), "{flavour}: {t}");
            assert_eq!(t.as_str(), known.as_str(), "{flavour}");
        }
    }
    let foreign = json!({"type": "com.acme.oops", "value": {"messages": []}});
    assert_eq!(
        type_of(Flavour::Rest, foreign).await,
        ServerErrorType::Unknown("com.acme.oops".into())
    );
}

#[tokio::test]
async fn the_type_wins_over_the_status() {
    // A 400 is "already running" or "invalid" depending on the type, never on the status.
    for (error_type, expected) in [
        ("FEATURE_IN_USE", "BackupInProgress"),
        ("INVALID_ARGUMENT", "InvalidRequest"),
    ] {
        let body = error_body(Flavour::Api, error_type, "x");
        let error =
            job_status_answering(Flavour::Api, ResponseTemplate::new(400).set_body_json(body))
                .await;
        assert_eq!(kind(&error), expected);
    }
    // Some /rest servers send a generic error as 400: still a server error, not invalid input.
    let body = error_body(Flavour::Rest, "ERROR", "x");
    let error = job_status_answering(
        Flavour::Rest,
        ResponseTemplate::new(400).set_body_json(body),
    )
    .await;
    assert_eq!(kind(&error), "Server");
}

#[tokio::test]
async fn the_status_decides_only_when_the_body_names_no_type() {
    for (status, expected) in [
        (400, "InvalidRequest"),
        (403, "NotAuthorized"),
        (404, "NotFound"),
        (409, "Server"),
        (503, "Transient"),
        (504, "Transient"),
        (500, "Server"),
    ] {
        let body =
            json!({"messages": [{"id": "m", "default_message": "No type here.", "args": []}]});
        let error = job_status_answering(
            Flavour::Api,
            ResponseTemplate::new(status).set_body_json(body),
        )
        .await;
        assert_eq!(kind(&error), expected, "{status}: {error:?}");
        assert_eq!(error.server_error().unwrap().error_type, None);
        assert!(error.to_string().contains("No type here."), "{error}");
    }
}

#[tokio::test]
async fn malformed_answers_are_typed_errors() {
    let huge = format!("[{}]", "\"x\",".repeat(500_000) + "1");
    let cases = [
        (
            "not JSON",
            ResponseTemplate::new(200).set_body_string("<html><body>Gateway</body></html>"),
        ),
        (
            "truncated",
            ResponseTemplate::new(200)
                .set_body_string(r#"{"id": "20240601-100000-1", "state": "INPR"#),
        ),
        (
            "wrong shape",
            ResponseTemplate::new(200).set_body_json(json!({"id": 5})),
        ),
        ("empty", ResponseTemplate::new(200)),
        (
            "oversized",
            ResponseTemplate::new(200).set_body_string(huge),
        ),
    ];
    let mut rendered = String::new();
    for (name, template) in cases {
        for flavour in [Flavour::Api, Flavour::Rest] {
            let error = job_status_answering(flavour, template.clone()).await;
            let Error::MalformedResponse {
                excerpt, status, ..
            } = &error
            else {
                panic!("{name} in {flavour}: {error:?}");
            };
            // A success answer: the generated client does not keep its status.
            assert_eq!(*status, None, "{name} in {flavour}");
            assert!(
                excerpt.chars().count() <= 161,
                "{name}: excerpt stays short"
            );
            assert_eq!(error.retry_advice(), RetryAdvice::Never);
            if flavour == Flavour::Api {
                rendered.push_str(&format!("{name}:\n  {error}\n"));
            }
        }
    }
    insta::assert_snapshot!("malformed_answers", rendered);
}

#[tokio::test]
async fn gateway_pages_are_transient_with_their_status_and_excerpt() {
    for status in [502, 503, 504] {
        for flavour in [Flavour::Api, Flavour::Rest] {
            let page = format!("<html><body><h1>{status}</h1>Upstream unavailable</body></html>");
            let error =
                job_status_answering(flavour, ResponseTemplate::new(status).set_body_string(page))
                    .await;
            assert_eq!(
                kind(&error),
                "Transient",
                "{status} in {flavour}: {error:?}"
            );
            assert_eq!(error.retry_advice(), AFTER_A_PAUSE);
            let server = error
                .server_error()
                .expect("the page is kept as the report");
            assert_eq!(server.status, Some(status));
            assert_eq!(server.error_type, None);
            let shown = error.to_string();
            assert!(shown.contains(&format!("HTTP {status}")), "{shown}");
            assert!(
                shown.contains("Upstream unavailable"),
                "excerpt kept: {shown}"
            );
        }
    }
    let error = job_status_answering(
        Flavour::Api,
        ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>"),
    )
    .await;
    insta::assert_snapshot!("gateway_page", error.to_string());
}

#[tokio::test]
async fn statuses_the_spec_does_not_list_are_classified() {
    let server = MockServer::start().await;
    mount_login(&server).await;
    // A redirect (here from a plain-HTTP front door) is not followed: the base URL is wrong.
    Mock::given(method("GET"))
        .and(path(API_JOB))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            "https://vcsa.example.com/api/appliance/recovery/backup/job",
        ))
        .mount(&server)
        .await;
    // A 2xx the operation does not document is not silently accepted.
    Mock::given(method("GET"))
        .and(path(format!("{API_JOB}/{ID}")))
        .respond_with(ResponseTemplate::new(202).set_body_json(job_status_json(ID)))
        .mount(&server)
        .await;
    let client = client(&server, Flavour::Api);
    let error = client.list_jobs().await.unwrap_err();
    assert_eq!(kind(&error), "Configuration", "{error:?}");
    assert!(
        error
            .to_string()
            .contains("redirect (HTTP 302) to https://vcsa.example.com/"),
        "{error}"
    );
    assert_eq!(
        requests_to(&server, "GET", API_JOB).await.len(),
        1,
        "not followed"
    );

    let error = client.get_job(&JobId::new(ID)).await.unwrap_err();
    let Error::MalformedResponse { status, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*status, Some(202));
}

#[tokio::test]
async fn auto_falls_back_to_rest_when_api_is_missing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>Not Found</html>"))
        .mount(&server)
        .await;
    mount_login(&server).await; // the /api mock above has priority: it was mounted first
    Mock::given(method("GET"))
        .and(path(REST_JOB))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [ID]})))
        .mount(&server)
        .await;
    let client = client(&server, None);
    assert_eq!(client.list_jobs().await.unwrap(), [JobId::new(ID)]);
    assert_eq!(client.flavour().await.unwrap(), Flavour::Rest);
    let probe = requests_to(&server, "POST", "/api/session").await;
    assert_eq!(probe.len(), 1, "detected once");
    assert!(
        probe[0]
            .headers
            .get("authorization")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("Basic ")
    );
    client.list_jobs().await.unwrap();
    assert_eq!(
        requests_to(&server, "POST", "/api/session").await.len(),
        1,
        "and only once"
    );
}

#[tokio::test]
async fn detection_classifies_failures_by_status() {
    for (status, expected) in [
        (503, "Transient"),
        (401, "NotAuthenticated"),
        (500, "Server"),
        (301, "Configuration"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/session"))
            .respond_with(ResponseTemplate::new(status).set_body_string("<html>down</html>"))
            .mount(&server)
            .await;
        let error = client(&server, None).list_jobs().await.unwrap_err();
        assert_eq!(kind(&error), expected, "{status}: {error:?}");
    }
}

#[tokio::test]
async fn a_malformed_log_in_answer_never_shows_the_token() {
    for (flavour, at, status) in [
        (Flavour::Api, "/api/session", 201),
        (Flavour::Rest, "/rest/com/vmware/cis/session", 200),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(at))
            .respond_with(
                ResponseTemplate::new(status).set_body_json(json!({"token": "tok-abc-123"})),
            )
            .mount(&server)
            .await;
        for client_flavour in [Some(flavour), None] {
            if client_flavour.is_none() && flavour == Flavour::Rest {
                continue;
            }
            let error = client(&server, client_flavour)
                .list_jobs()
                .await
                .unwrap_err();
            assert_eq!(kind(&error), "MalformedResponse", "{error:?}");
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("tok-abc-123"), "{shown}");
            assert!(shown.contains("withheld"), "{shown}");
        }
    }
}

#[tokio::test]
async fn negative_figures_in_details_are_malformed_and_progress_is_clamped() {
    let server = MockServer::start().await;
    mount_login(&server).await;
    let details = json!({
        "location": "sftp://h/b", "location_user": "u", "type": "MANUAL", "messages": [],
        "description": {"id": "d", "default_message": "Backup", "args": []},
        "service": "s", "operation": "o", "status": "RUNNING", "cancelable": true,
        "size": -5
    });
    Mock::given(method("GET"))
        .and(path(format!("{API_JOB}/details")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ ID: details })))
        .mount(&server)
        .await;
    let mut over = job_status_json(ID);
    over["progress"] = json!(250);
    Mock::given(method("GET"))
        .and(path(format!("{API_JOB}/{ID}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(over))
        .mount(&server)
        .await;
    let client = client(&server, Flavour::Api);
    let error = client.list_job_details(None).await.unwrap_err();
    assert!(error.to_string().contains("size is negative"), "{error}");
    assert_eq!(
        client
            .get_job(&JobId::new(ID))
            .await
            .unwrap()
            .progress
            .value(),
        100
    );
}

#[tokio::test]
async fn unknown_task_statuses_are_kept_and_new_job_kinds_known() {
    let server = MockServer::start().await;
    mount_login(&server).await;
    let details = json!({
        "location": "sftp://h/b", "location_user": "u", "type": "LOCAL_BACKUP", "messages": [],
        "description": {"id": "d", "default_message": "Backup", "args": []},
        "service": "s", "operation": "o", "status": "PAUSED", "cancelable": true
    });
    Mock::given(method("GET"))
        .and(path(format!("{API_JOB}/details")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ ID: details })))
        .mount(&server)
        .await;
    let client = client(&server, Flavour::Api);
    let details = client.list_job_details(None).await.unwrap();
    let details = &details[&JobId::new(ID)];
    assert_eq!(details.state, TaskState::Unknown("PAUSED".into()));
    assert_eq!(details.kind, JobKind::LocalBackup);
}

#[tokio::test]
async fn an_unreachable_appliance_is_transient_and_says_why() {
    // Bind then drop a listener: the port is known to be closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = vcsa_backup::Client::builder(format!("http://127.0.0.1:{port}"))
        .credentials(USER, vcsa_backup::Secret::new(PASSWORD))
        .build()
        .unwrap();
    let error = client.list_jobs().await.unwrap_err();
    assert_eq!(kind(&error), "Transient", "{error:?}");
    assert_eq!(error.retry_advice(), AFTER_A_PAUSE);
    let shown = error.to_string();
    assert!(
        shown.starts_with("the appliance could not be reached ("),
        "{shown}"
    );
    assert!(shown.to_lowercase().contains("refused"), "{shown}");
    assert!(std::error::Error::source(&error).is_some());
}

#[tokio::test]
async fn session_events_are_logged_without_secrets() {
    let (captured, _guard) = crate::support::capture::capture(tracing::Level::DEBUG);

    let server = MockServer::start().await;
    mount_login(&server).await;
    Mock::given(method("GET"))
        .and(path(API_JOB))
        .respond_with(ResponseTemplate::new(401).set_body_json(error_body(
            Flavour::Api,
            "UNAUTHENTICATED",
            "Expired.",
        )))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(API_JOB))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([ID])))
        .mount(&server)
        .await;
    client(&server, None).list_jobs().await.unwrap();

    let log = captured.text();
    assert!(log.contains("the appliance speaks /api"), "{log}");
    assert!(log.contains("session expired; logging in again"), "{log}");
    assert!(log.contains(USER), "{log}");
    for secret in [PASSWORD, "token-1", "token-2"] {
        assert!(
            !log.contains(secret),
            "{secret} leaked into the log:\n{log}"
        );
    }
}
