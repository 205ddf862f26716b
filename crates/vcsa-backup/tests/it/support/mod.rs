//! Shared helpers: a scripted loopback server (wiremock) and clients pointed at it.
#![allow(dead_code)]

use serde_json::{Value, json};
use vcsa_backup::{Client, Error, Flavour, Secret};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const USER: &str = "administrator@vsphere.local";
pub const PASSWORD: &str = "Sup3r-Secret!";
pub const API_JOB: &str = "/api/appliance/recovery/backup/job";
pub const REST_JOB: &str = "/rest/appliance/recovery/backup/job";

/// A client speaking `flavour`, or finding it out with `None`.
pub fn client(server: &MockServer, flavour: impl Into<Option<Flavour>>) -> Client {
    let builder = Client::builder(server.uri()).credentials(USER, Secret::new(PASSWORD));
    match flavour.into() {
        Some(flavour) => builder.flavour(flavour),
        None => builder,
    }
    .build()
    .unwrap()
}

/// Log in answers tokens `token-1`, `token-2`... in both flavours.
pub async fn mount_login(server: &MockServer) {
    struct Tokens(std::sync::atomic::AtomicUsize, bool);
    impl wiremock::Respond for Tokens {
        fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
            let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            let token = format!("token-{n}");
            if self.1 {
                ResponseTemplate::new(200).set_body_json(json!({ "value": token }))
            } else {
                ResponseTemplate::new(201).set_body_json(json!(token))
            }
        }
    }
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(Tokens(0.into(), false))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/rest/com/vmware/cis/session"))
        .respond_with(Tokens(0.into(), true))
        .mount(server)
        .await;
}

pub fn job_status_json(id: &str) -> Value {
    json!({
        "id": id,
        "state": "INPROGRESS",
        "progress": 42,
        "messages": [{"id": "m.1", "default_message": "Backing up.", "args": []}],
        "start_time": "2024-06-01T10:00:00.000Z"
    })
}

/// An error body in the flavour's shape.
pub fn error_body(flavour: Flavour, error_type: &str, text: &str) -> Value {
    let messages = json!([
        {"id": "err.top", "default_message": text, "args": []},
        {"id": "err.cause", "default_message": "The underlying cause", "args": ["x"]}
    ]);
    match flavour {
        Flavour::Rest => json!({
            "type": format!("com.vmware.vapi.std.errors.{}", error_type.to_lowercase()),
            "value": {"messages": messages}
        }),
        _ => json!({"error_type": error_type, "messages": messages}),
    }
}

/// The variant's name, for tables of expectations.
pub fn kind(error: &Error) -> &'static str {
    match error {
        Error::BackupInProgress(_) => "BackupInProgress",
        Error::NotFound(_) => "NotFound",
        Error::NotAuthenticated { .. } => "NotAuthenticated",
        Error::SessionExpired { .. } => "SessionExpired",
        Error::NotAuthorized(_) => "NotAuthorized",
        Error::InvalidRequest(_) => "InvalidRequest",
        Error::Transient { .. } => "Transient",
        Error::UntrustedCertificate { .. } => "UntrustedCertificate",
        Error::Server(_) => "Server",
        Error::MalformedResponse { .. } => "MalformedResponse",
        Error::Configuration { .. } => "Configuration",
        _ => "other",
    }
}

pub async fn requests_to(server: &MockServer, verb: &str, to: &str) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.method.as_str() == verb && r.url.path() == to)
        .collect()
}

pub mod capture;
pub mod proxy;
pub mod sim;
pub mod wait;

pub const API_SCHEDULE: &str = "/api/appliance/recovery/backup/schedules/default";

/// A server holding schedule `default` as `current` (its `/api` JSON) that takes updates, and
/// a client speaking `/api` to it.
pub async fn schedule_server(current: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    mount_login(&server).await;
    Mock::given(method("GET"))
        .and(path(API_SCHEDULE))
        .respond_with(ResponseTemplate::new(200).set_body_json(current))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(API_SCHEDULE))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server, Flavour::Api);
    (server, client)
}

/// The body of `update` as the client sends it to a schedule that is `current`.
pub async fn sent_update(update: &vcsa_backup::ScheduleUpdate, current: Value) -> Value {
    let (server, client) = schedule_server(current).await;
    client.update_schedule("default", update).await.unwrap();
    let sent = requests_to(&server, "PATCH", API_SCHEDULE).await;
    assert_eq!(sent.len(), 1);
    serde_json::from_slice(&sent[0].body).unwrap()
}
