//! One DEBUG event per HTTP request (target `vcsa_backup::http`): the operation, the flavour, the
//! status or the transport failure, the duration; never a secret or a URL.

use crate::support::capture::capture;
use crate::support::*;

use serde_json::json;
use tracing::Level;
use vcsa_backup::{Client, Error, Flavour, JobId, Secret};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TARGET: &str = "vcsa_backup::http";
const ID: &str = "20240601-100000-123456";

/// The value of `field` in a formatted event line, without quotes.
fn field<'a>(line: &'a str, field: &str) -> Option<&'a str> {
    let start = line.find(&format!(" {field}="))? + field.len() + 2;
    let rest = &line[start..];
    let value = match rest.strip_prefix('"') {
        Some(quoted) => &quoted[..quoted.find('"')?],
        None => rest.split(' ').next()?,
    };
    Some(value)
}

/// The events' fields that do not depend on timing: operation, flavour, status or failure.
fn summary(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|line| {
            assert!(line.starts_with("DEBUG "), "{line}");
            let ms = field(line, "duration_ms").unwrap_or_else(|| panic!("no duration: {line}"));
            assert!(ms.parse::<u64>().is_ok(), "{line}");
            let outcome = field(line, "status")
                .map(|s| s.to_string())
                .or_else(|| field(line, "failure").map(|f| format!("failed: {f}")))
                .unwrap_or_else(|| panic!("no status or failure: {line}"));
            format!(
                "{} {} {outcome}",
                field(line, "operation").unwrap(),
                field(line, "flavour").unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn each_request_is_one_debug_event_with_its_operation_flavour_and_status() {
    let (captured, _guard) = capture(Level::DEBUG);
    let server = MockServer::start().await;
    mount_login(&server).await;
    Mock::given(method("GET"))
        .and(path(API_JOB))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([ID])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{API_JOB}/{ID}")))
        .respond_with(ResponseTemplate::new(503).set_body_json(error_body(
            Flavour::Api,
            "SERVICE_UNAVAILABLE",
            "Restarting.",
        )))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server, None);
    client.list_jobs().await.unwrap();
    let error = client.get_job(&JobId::new(ID)).await.unwrap_err();
    assert!(matches!(error, Error::Transient { .. }), "{error:?}");
    client.logout().await.unwrap();

    let lines = captured.lines_of(TARGET);
    assert_eq!(
        summary(&lines),
        [
            "login api 201",
            "list_jobs api 200",
            "get_job api 503",
            "logout api 204"
        ],
        "{lines:#?}"
    );
    let log = captured.text();
    for secret in [PASSWORD, "token-1", "Basic ", &server.uri()] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
}

#[tokio::test]
async fn flavour_detection_logs_both_log_ins() {
    let (captured, _guard) = capture(Level::DEBUG);
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>Not Found</html>"))
        .mount(&server)
        .await;
    mount_login(&server).await;
    Mock::given(method("GET"))
        .and(path(REST_JOB))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [ID]})))
        .mount(&server)
        .await;
    client(&server, None).list_jobs().await.unwrap();
    let lines = captured.lines_of(TARGET);
    assert_eq!(
        summary(&lines),
        ["login api 404", "login rest 200", "list_jobs rest 200"],
        "{lines:#?}"
    );
}

#[tokio::test]
async fn a_request_with_no_answer_says_what_failed() {
    let (captured, _guard) = capture(Level::DEBUG);
    // A port that was free a moment ago: nothing listens there now.
    let url = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let client = Client::builder(url)
        .credentials(USER, Secret::new(PASSWORD))
        .flavour(Flavour::Api)
        .build()
        .unwrap();
    let error = client.list_jobs().await.unwrap_err();
    assert!(matches!(error, Error::Transient { .. }), "{error:?}");
    let lines = captured.lines_of(TARGET);
    assert_eq!(summary(&lines), ["login api failed: connect"], "{lines:#?}");
}

#[tokio::test]
async fn without_debug_there_is_no_request_event() {
    let (captured, _guard) = capture(Level::INFO);
    let server = MockServer::start().await;
    mount_login(&server).await;
    client(&server, Flavour::Api).login().await.unwrap();
    assert_eq!(captured.lines_of(TARGET), Vec::<String>::new());
}
