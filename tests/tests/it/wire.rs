//! The exact request the generated client sends for each of the 20 operations, captured by a
//! loopback server and snapshotted (`snapshots/it__wire__<operationId>.snap`).
//!
//! The server answers each call with a valid instance of the operation's success schema, built
//! from the spec, so every test also proves the success status and body decode. Secrets are
//! checked on the wire first, then redacted: the snapshot shows where they went, never what they were.

use std::collections::BTreeMap;
use std::fmt::Debug;

use serde::Serialize;
use serde_json::Value;
use vcsa_backup_api::hooks::BASIC_AUTH_OPERATIONS;
use vcsa_backup_api::{Client, Error, ResponseValue, enums, types};
use vcsa_backup_tests::recorder::{Canned, Recorded, Recorder};
use vcsa_backup_tests::secrets::{self, BACKUP_PASSWORD, LOCATION_PASSWORD, SESSION_TOKEN};
use vcsa_backup_tests::{harness, instance, spec};

const JOB_A: &str = "20180531-155107-8217864";
const JOB_B: &str = "20180530-020000-8217864";
const REDACTED: &str = "[redacted]";

/// What a snapshot shows of one request. `host` is left out: it carries the server's random port.
#[derive(Serialize)]
struct WireSnapshot {
    method: String,
    target: String,
    headers: BTreeMap<String, String>,
    body: Option<Value>,
}

/// Runs `call` against a loopback server answering the operation's documented success, checks
/// the request against the spec and the secrets, and snapshots it.
async fn exchange<T, E, F>(op_id: &str, call: F) -> Recorded
where
    T: Serialize,
    E: Debug,
    F: AsyncFnOnce(&Client) -> Result<ResponseValue<T>, Error<E>>,
{
    let doc = spec::load();
    let op = spec::operations(&doc)
        .into_iter()
        .find(|op| op.id == op_id)
        .unwrap_or_else(|| panic!("no operation {op_id} in the spec"));
    let (status, schema) = op
        .responses(&doc)
        .into_iter()
        .find(|(status, _)| spec::is_success_status(status))
        .map(|(status, response)| (status, spec::response_schema_name(response)))
        .expect("every operation documents a success");
    let status: u16 = status.parse().expect("a concrete success status");
    let canned = match &schema {
        Some(name) => Canned::json(status, instance::of(&doc, name)),
        None => Canned::empty(status),
    };
    let server = Recorder::start(canned.clone()).await;

    let answer = call(&harness::client(server.base_url()))
        .await
        .unwrap_or_else(|e| {
            panic!("{op_id}: the documented success {status} was not accepted: {e:?}")
        });
    assert_eq!(answer.status().as_u16(), status);
    if let Some(body) = &canned.body {
        let sent: Value = serde_json::from_str(body).expect("canned JSON");
        let decoded = serde_json::to_value(answer.into_inner()).expect("re-encode the answer");
        assert_eq!(
            decoded, sent,
            "{op_id}: the decoded answer lost or changed a field"
        );
    }

    let request = server.single();
    assert_eq!(request.method, op.method, "{op_id}: method");
    spec::assert_matches_template(&op.path, &request.path_and_query);
    snapshot(op_id, &request);
    request
}

/// Checks that the credentials the operation needs went on the wire and no others did, then
/// snapshots the request with every secret replaced by `[redacted]`.
fn snapshot(op_id: &str, request: &Recorded) {
    let mut headers: BTreeMap<String, String> = request
        .headers
        .iter()
        .filter(|(name, _)| name != "host")
        .cloned()
        .collect();
    assert_eq!(
        headers.len(),
        request.headers.len() - 1,
        "{op_id}: a header was sent twice"
    );

    // progenitor adds an `api-version` header of its own to every request; the appliance documents
    // no such header, and the hooks remove it (names arrive lower-case).
    assert!(
        !headers.contains_key("api-version"),
        "{op_id}: the undocumented api-version header was sent"
    );

    let session_header = vcsa_backup_api::hooks::SESSION_HEADER;
    let session = session_header.as_str();
    if BASIC_AUTH_OPERATIONS.contains(&op_id) {
        assert_eq!(
            headers.get("authorization").map(String::as_str),
            Some(secrets::basic_authorization().as_str()),
            "{op_id}: log in must send the credentials through HTTP Basic"
        );
        assert!(
            !headers.contains_key(session),
            "{op_id}: log in must not send a session"
        );
        headers.insert("authorization".into(), format!("Basic {REDACTED}"));
    } else {
        assert_eq!(
            headers.get(session).map(String::as_str),
            Some(SESSION_TOKEN),
            "{op_id}: the session token must be sent"
        );
        assert!(
            !headers.contains_key("authorization"),
            "{op_id}: the password must only travel on log in"
        );
        headers.insert(session.into(), REDACTED.into());
    }

    let body = if request.body.is_empty() {
        None
    } else {
        assert_eq!(
            headers.get("content-type").map(String::as_str),
            Some("application/json"),
            "{op_id}: a body is JSON"
        );
        let mut body: Value = serde_json::from_slice(&request.body)
            .unwrap_or_else(|e| panic!("{op_id}: the body is not JSON: {e}"));
        redact_passwords(&mut body);
        Some(body)
    };

    let snapshot = WireSnapshot {
        method: request.method.clone(),
        target: request.path_and_query.clone(),
        headers,
        body,
    };
    let text = serde_json::to_string(&snapshot).expect("snapshot serializes");
    for secret in secrets::all() {
        assert!(
            !text.contains(&secret),
            "{op_id}: a secret survived redaction"
        );
    }
    insta::assert_yaml_snapshot!(op_id, snapshot);
}

/// Replaces the two password fields of a backup request, after checking they carry the real value.
fn redact_passwords(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                let expected = match key.as_str() {
                    "backup_password" => Some(BACKUP_PASSWORD),
                    "location_password" => Some(LOCATION_PASSWORD),
                    _ => None,
                };
                match expected {
                    Some(expected) => {
                        assert_eq!(
                            field.as_str(),
                            Some(expected),
                            "{key} must carry the real password"
                        );
                        *field = Value::String(REDACTED.into());
                    }
                    None => redact_passwords(field),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_passwords),
        _ => {}
    }
}

fn backup_request() -> types::BackupRequest {
    types::BackupRequest {
        parts: vec!["seat".into()],
        backup_password: Some(BACKUP_PASSWORD.into()),
        location_type: enums::LocationType::Sftp,
        location: "sftp://10.0.0.5/backups/vcsa".into(),
        location_user: Some("backup".into()),
        location_password: Some(LOCATION_PASSWORD.into()),
        comment: Some("before upgrade".into()),
        fast_backup: Some(true),
    }
}

fn two_jobs() -> Vec<String> {
    vec![JOB_A.to_string(), JOB_B.to_string()]
}

fn body_json(request: &Recorded) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

// ------------------------------------------------------------------------------------ /api

#[tokio::test]
async fn create_session() {
    let request = exchange("create_session", async |c| c.create_session().await).await;
    assert!(request.body.is_empty(), "log in sends no body");
}

#[tokio::test]
async fn delete_session() {
    exchange("delete_session", async |c| c.delete_session().await).await;
}

#[tokio::test]
async fn list_jobs() {
    exchange("list_jobs", async |c| c.list_jobs().await).await;
}

#[tokio::test]
async fn create_job() {
    let request = exchange("create_job", async |c| {
        c.create_job(&backup_request()).await
    })
    .await;
    assert_eq!(body_json(&request)["location_type"], "SFTP");
}

#[tokio::test]
async fn get_job() {
    let request = exchange("get_job", async |c| c.get_job(JOB_A).await).await;
    assert!(request.path_and_query.ends_with(JOB_A));
}

#[tokio::test]
async fn cancel_job() {
    let request = exchange("cancel_job", async |c| c.cancel_job(JOB_A).await).await;
    assert_eq!(
        request.path_and_query,
        format!("/api/appliance/recovery/backup/job/{JOB_A}?action=cancel")
    );
}

#[tokio::test]
async fn list_job_details() {
    let jobs = two_jobs();
    let request = exchange("list_job_details", async |c| {
        c.list_job_details(Some(&jobs)).await
    })
    .await;
    assert_eq!(
        request.path_and_query,
        format!("/api/appliance/recovery/backup/job/details?jobs={JOB_A}&jobs={JOB_B}")
    );
}

#[tokio::test]
async fn run_schedule() {
    let body = types::RunScheduleRequest {
        comment: Some("before upgrade".into()),
    };
    let request = exchange("run_schedule", async |c| {
        c.run_schedule("default", &body).await
    })
    .await;
    assert_eq!(
        request.path_and_query,
        "/api/appliance/recovery/backup/schedules/default?action=run"
    );
}

#[tokio::test]
async fn list_parts() {
    exchange("list_parts", async |c| c.list_parts().await).await;
}

#[tokio::test]
async fn validate_backup() {
    let request = exchange("validate_backup", async |c| {
        c.validate_backup(&backup_request()).await
    })
    .await;
    assert!(
        body_json(&request).get("piece").is_none(),
        "/api sends the request unwrapped"
    );
}

// ------------------------------------------------------------------------------------ /rest

#[tokio::test]
async fn rest_create_session() {
    let request = exchange("rest_create_session", async |c| {
        c.rest_create_session().await
    })
    .await;
    assert!(request.body.is_empty(), "log in sends no body");
}

#[tokio::test]
async fn rest_delete_session() {
    exchange("rest_delete_session", async |c| {
        c.rest_delete_session().await
    })
    .await;
}

#[tokio::test]
async fn rest_list_jobs() {
    exchange("rest_list_jobs", async |c| c.rest_list_jobs().await).await;
}

#[tokio::test]
async fn rest_create_job() {
    let piece = types::RestBackupRequestPiece {
        piece: backup_request(),
    };
    let request = exchange("rest_create_job", async |c| c.rest_create_job(&piece).await).await;
    assert_eq!(body_json(&request)["piece"]["location_type"], "SFTP");
}

#[tokio::test]
async fn rest_get_job() {
    let request = exchange("rest_get_job", async |c| c.rest_get_job(JOB_A).await).await;
    assert!(request.path_and_query.ends_with(JOB_A));
}

#[tokio::test]
async fn rest_cancel_job() {
    let request = exchange("rest_cancel_job", async |c| c.rest_cancel_job(JOB_A).await).await;
    assert_eq!(
        request.path_and_query,
        format!("/rest/appliance/recovery/backup/job/{JOB_A}/cancel")
    );
}

#[tokio::test]
async fn rest_list_job_details() {
    let jobs = two_jobs();
    let request = exchange("rest_list_job_details", async |c| {
        c.rest_list_job_details(Some(&jobs)).await
    })
    .await;
    assert_eq!(
        request.path_and_query,
        format!(
            "/rest/appliance/recovery/backup/job/details?filter.jobs.1={JOB_A}&filter.jobs.2={JOB_B}"
        ),
        "the documented indexed filter form"
    );
}

#[tokio::test]
async fn rest_list_job_details_without_filter_sends_no_query() {
    let server = Recorder::start(Canned::json(200, serde_json::json!({"value": []}))).await;
    let details = harness::client(server.base_url())
        .rest_list_job_details(None)
        .await
        .expect("an empty list decodes")
        .into_inner();
    assert!(details.value.is_empty());
    assert_eq!(
        server.single().path_and_query,
        "/rest/appliance/recovery/backup/job/details"
    );
}

#[tokio::test]
async fn rest_run_schedule() {
    let body = types::RunScheduleRequest {
        comment: Some("before upgrade".into()),
    };
    let request = exchange("rest_run_schedule", async |c| {
        c.rest_run_schedule("default", &body).await
    })
    .await;
    assert_eq!(
        body_json(&request),
        serde_json::json!({"comment": "before upgrade"}),
        "not wrapped"
    );
}

#[tokio::test]
async fn rest_list_parts() {
    exchange("rest_list_parts", async |c| c.rest_list_parts().await).await;
}

#[tokio::test]
async fn rest_validate_backup() {
    let piece = types::RestBackupRequestPiece {
        piece: backup_request(),
    };
    exchange("rest_validate_backup", async |c| {
        c.rest_validate_backup(&piece).await
    })
    .await;
}

/// Every operation of the spec has its wire test above: a new operation must get one.
#[test]
fn every_operation_has_a_wire_snapshot() {
    let doc = spec::load();
    let dir = spec::workspace_root().join("tests/tests/it/snapshots");
    for op in spec::operations(&doc) {
        let file = dir.join(format!("it__wire__{}.snap", op.id));
        assert!(
            file.exists(),
            "{} has no wire snapshot ({})",
            op.id,
            file.display()
        );
    }
}

/// An id is one path segment, whatever it contains: it cannot reach another resource or add a query.
#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = Recorder::start(Canned::json(
        200,
        serde_json::json!({"status": "OK", "messages": []}),
    ))
    .await;
    let client = harness::client(server.base_url());
    client
        .cancel_job("../parts?x=1 2")
        .await
        .expect("the canned answer decodes");
    assert_eq!(
        server.single().path_and_query,
        "/api/appliance/recovery/backup/job/..%2Fparts%3Fx=1%202?action=cancel"
    );
}

/// Job ids in the details filter are form-encoded, and the `/rest` rewrite keeps that encoding.
#[tokio::test]
async fn filter_values_are_form_encoded_in_both_forms() {
    let jobs = vec!["a&b=c".to_string(), "d e".to_string()];
    let server = Recorder::start(Canned::json(200, serde_json::json!({}))).await;
    harness::client(server.base_url())
        .list_job_details(Some(&jobs))
        .await
        .expect("an empty map decodes");
    assert_eq!(
        server.single().path_and_query,
        "/api/appliance/recovery/backup/job/details?jobs=a%26b%3Dc&jobs=d+e"
    );

    let server = Recorder::start(Canned::json(200, serde_json::json!({"value": []}))).await;
    harness::client(server.base_url())
        .rest_list_job_details(Some(&jobs))
        .await
        .expect("an empty list decodes");
    assert_eq!(
        server.single().path_and_query,
        "/rest/appliance/recovery/backup/job/details?filter.jobs.1=a%26b%3Dc&filter.jobs.2=d+e"
    );
}

/// The success codes differ per flavour (201 vs 200 on log in); a code the spec does not
/// document for the operation is not taken for success.
#[tokio::test]
async fn an_undocumented_success_status_is_not_accepted() {
    let server = Recorder::start(Canned::json(200, serde_json::json!("a-token"))).await;
    let result = harness::client(server.base_url()).create_session().await;
    match result {
        Err(Error::UnexpectedResponse(response)) => assert_eq!(response.status().as_u16(), 200),
        other => panic!("/api log in answers 201; 200 must not pass: {other:?}"),
    }
}
