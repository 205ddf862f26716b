//! The exact request the generated client sends for each of the 54 operations, captured by a
//! loopback mock server (wiremock) and snapshotted (`snapshots/it__wire__<operationId>.snap`).
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
use vcsa_backup_tests::secrets::{
    self, BACKUP_PASSWORD, LOCATION_PASSWORD, SESSION_TOKEN, SSO_PASSWORD,
};
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

    let request = server.single().await;
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
        target: redact_query_passwords(op_id, &request.path_and_query),
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

/// Replaces the value of every `*.location_password` query parameter (the `/rest` catalog sends its
/// LocationSpec in the query string) with `[redacted]`, after checking it carries the real
/// location password; everything else of the target is kept as sent.
fn redact_query_passwords(op_id: &str, target: &str) -> String {
    let Some((path, query)) = target.split_once('?') else {
        return target.to_string();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|raw| {
            let (key, value) = url::form_urlencoded::parse(raw.as_bytes())
                .next()
                .unwrap_or_else(|| panic!("{op_id}: an empty query pair in {target:?}"));
            if !key.ends_with("password") {
                return raw.to_string();
            }
            assert!(
                key.ends_with(".location_password"),
                "{op_id}: an unexpected password parameter {key}"
            );
            assert_eq!(
                value, LOCATION_PASSWORD,
                "{op_id}: {key} must carry the real password"
            );
            format!("{key}={REDACTED}")
        })
        .collect();
    format!("{path}?{}", pairs.join("&"))
}

/// Replaces the password fields of a backup, restore or reconciliation request, after checking they carry the real value.
fn redact_passwords(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                let expected = match key.as_str() {
                    "backup_password" => Some(BACKUP_PASSWORD),
                    "location_password" => Some(LOCATION_PASSWORD),
                    "sso_admin_user_password" => Some(SSO_PASSWORD),
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
        server.single().await.path_and_query,
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

// ------------------------------------------------------ part sizes, schedules, catalog, clock

const SYSTEM_NAME: &str = "vcsa-01.example.com";
const ARCHIVE: &str = "M_8.0.3.00400_20250102-101501_";
const LOCATION: &str = "sftp://10.0.0.5/backups/vcsa";

fn create_spec() -> types::ScheduleCreateSpec {
    types::ScheduleCreateSpec {
        parts: vec!["seat".into()],
        backup_password: Some(BACKUP_PASSWORD.into()),
        location: LOCATION.into(),
        location_user: Some("backup".into()),
        location_password: Some(LOCATION_PASSWORD.into()),
        enable: Some(true),
        recurrence_info: Some(types::RecurrenceInfo {
            minute: 30,
            hour: 2,
            days: vec![enums::DayOfWeek::Monday, enums::DayOfWeek::Friday],
        }),
        retention_info: Some(types::RetentionInfo { max_count: 7 }),
        fast_backup: Some(false),
    }
}

/// Only what changes: the parts (to none at all), the time and the location password.
fn update_spec() -> types::ScheduleUpdateSpec {
    types::ScheduleUpdateSpec {
        parts: Some(types::ScheduleUpdateParts(vec![])),
        location_password: Some(LOCATION_PASSWORD.into()),
        recurrence_info: Some(types::RecurrenceInfo {
            minute: 0,
            hour: 23,
            days: vec![],
        }),
        ..types::ScheduleUpdateSpec::default()
    }
}

fn location_spec() -> types::LocationSpec {
    types::LocationSpec {
        location: LOCATION.into(),
        location_user: Some("backup".into()),
        location_password: Some(LOCATION_PASSWORD.into()),
    }
}

fn filter_spec() -> types::ArchiveFilterSpec {
    types::ArchiveFilterSpec {
        start_timestamp: Some("2025-01-01T00:00:00Z".parse().expect("a date-time")),
        end_timestamp: Some("2025-01-31T23:59:59Z".parse().expect("a date-time")),
        comment_substring: Some("before upgrade".into()),
        max_results: Some(10),
    }
}

/// A `/rest` catalog query parameter takes the wire's secret type, made from the caller's `Secret`.
fn location_password() -> vcsa_backup_api::WireSecret {
    vcsa_backup_api::Secret::new(LOCATION_PASSWORD).to_wire()
}

#[tokio::test]
async fn get_part_size() {
    let request = exchange("get_part_size", async |c| c.get_part_size("seat").await).await;
    assert_eq!(
        request.path_and_query,
        "/api/appliance/recovery/backup/parts/seat"
    );
}

#[tokio::test]
async fn list_schedules() {
    exchange("list_schedules", async |c| c.list_schedules().await).await;
}

#[tokio::test]
async fn create_schedule() {
    let body = types::CreateScheduleRequest {
        schedule: "default".into(),
        spec: create_spec(),
    };
    let request = exchange("create_schedule", async |c| c.create_schedule(&body).await).await;
    assert_eq!(
        request.path_and_query, "/api/appliance/recovery/backup/schedules",
        "/api puts the schedule id in the body"
    );
    assert_eq!(body_json(&request)["schedule"], "default");
    assert_eq!(body_json(&request)["spec"]["location"], LOCATION);
}

#[tokio::test]
async fn get_schedule() {
    let request = exchange("get_schedule", async |c| c.get_schedule("default").await).await;
    assert!(request.path_and_query.ends_with("/schedules/default"));
}

#[tokio::test]
async fn update_schedule() {
    let request = exchange("update_schedule", async |c| {
        c.update_schedule("default", &update_spec()).await
    })
    .await;
    assert_eq!(request.method, "PATCH");
    let body = body_json(&request);
    assert!(body.get("spec").is_none(), "/api sends the UpdateSpec bare");
    assert_eq!(
        body["parts"],
        serde_json::json!([]),
        "an empty parts list is sent: it removes every optional part"
    );
    assert!(
        body.get("location").is_none() && body.get("enable").is_none(),
        "unset fields are left out, so they keep their value"
    );
}

#[tokio::test]
async fn delete_schedule() {
    exchange("delete_schedule", async |c| {
        c.delete_schedule("default").await
    })
    .await;
}

#[tokio::test]
async fn list_system_names() {
    let request = exchange("list_system_names", async |c| {
        c.list_system_names(&location_spec()).await
    })
    .await;
    assert_eq!(
        request.path_and_query, "/api/appliance/recovery/backup/system-name?action=list",
        "/api carries the location password in the body, never in the URL"
    );
    assert_eq!(
        body_json(&request)["location"],
        LOCATION,
        "a bare LocationSpec"
    );
}

#[tokio::test]
async fn list_archives() {
    let body = types::ListArchivesRequest {
        loc_spec: location_spec(),
        filter_spec: filter_spec(),
    };
    let request = exchange("list_archives", async |c| {
        c.list_archives(SYSTEM_NAME, &body).await
    })
    .await;
    assert_eq!(
        request.path_and_query,
        format!("/api/appliance/recovery/backup/system-name/{SYSTEM_NAME}/archives?action=list")
    );
}

/// Both body members are required: no filter is `"filter_spec": {}`.
#[tokio::test]
async fn list_archives_without_a_filter_sends_an_empty_filter_spec() {
    let server = Recorder::start(Canned::json(200, serde_json::json!([]))).await;
    let body = types::ListArchivesRequest {
        loc_spec: types::LocationSpec {
            location: LOCATION.into(),
            location_user: None,
            location_password: None,
        },
        filter_spec: types::ArchiveFilterSpec::default(),
    };
    harness::client(server.base_url())
        .list_archives(SYSTEM_NAME, &body)
        .await
        .expect("an empty list decodes");
    assert_eq!(
        body_json(&server.single().await),
        serde_json::json!({"loc_spec": {"location": LOCATION}, "filter_spec": {}})
    );
}

#[tokio::test]
async fn get_archive() {
    let request = exchange("get_archive", async |c| {
        c.get_archive(SYSTEM_NAME, ARCHIVE, &location_spec()).await
    })
    .await;
    assert_eq!(
        request.path_and_query,
        format!(
            "/api/appliance/recovery/backup/system-name/{SYSTEM_NAME}/archives/{ARCHIVE}?action=get"
        )
    );
}

#[tokio::test]
async fn get_appliance_time() {
    let request = exchange("get_appliance_time", async |c| c.get_appliance_time().await).await;
    assert_eq!(request.path_and_query, "/api/appliance/system/time");
}

#[tokio::test]
async fn rest_get_part_size() {
    let request = exchange("rest_get_part_size", async |c| {
        c.rest_get_part_size("seat").await
    })
    .await;
    assert_eq!(
        request.path_and_query,
        "/rest/appliance/recovery/backup/parts/seat"
    );
}

#[tokio::test]
async fn rest_list_schedules() {
    exchange("rest_list_schedules", async |c| {
        c.rest_list_schedules().await
    })
    .await;
}

#[tokio::test]
async fn rest_create_schedule() {
    let body = types::RestCreateScheduleRequest {
        spec: create_spec(),
    };
    let request = exchange("rest_create_schedule", async |c| {
        c.rest_create_schedule("default", &body).await
    })
    .await;
    assert_eq!(
        request.path_and_query, "/rest/appliance/recovery/backup/schedules/default",
        "/rest puts the schedule id in the path"
    );
    assert!(body_json(&request).get("schedule").is_none());
}

#[tokio::test]
async fn rest_get_schedule() {
    exchange("rest_get_schedule", async |c| {
        c.rest_get_schedule("default").await
    })
    .await;
}

#[tokio::test]
async fn rest_update_schedule() {
    let body = types::RestUpdateScheduleRequest {
        spec: update_spec(),
    };
    let request = exchange("rest_update_schedule", async |c| {
        c.rest_update_schedule("default", &body).await
    })
    .await;
    assert_eq!(request.method, "PUT");
    assert_eq!(
        request.path_and_query,
        "/rest/appliance/recovery/backup/schedules/update/default"
    );
    assert_eq!(body_json(&request)["spec"]["parts"], serde_json::json!([]));
}

#[tokio::test]
async fn rest_delete_schedule() {
    exchange("rest_delete_schedule", async |c| {
        c.rest_delete_schedule("default").await
    })
    .await;
}

#[tokio::test]
async fn rest_list_system_names() {
    let password = location_password();
    let request = exchange("rest_list_system_names", async |c| {
        c.rest_list_system_names(LOCATION, Some(&password), Some("backup"))
            .await
    })
    .await;
    assert!(request.body.is_empty(), "a GET without a body");
    assert_eq!(
        request.path_and_query,
        format!(
            "/rest/appliance/recovery/backup/system-name?loc_spec.location=sftp%3A%2F%2F10.0.0.5%2Fbackups%2Fvcsa&loc_spec.location_password={}&loc_spec.location_user=backup",
            secrets::form_encoded(LOCATION_PASSWORD)
        ),
        "the LocationSpec as dotted query parameters, the password form-encoded"
    );
}

#[tokio::test]
async fn rest_list_archives() {
    let password = location_password();
    let filter = filter_spec();
    let request = exchange("rest_list_archives", async |c| {
        c.rest_list_archives(
            SYSTEM_NAME,
            filter.comment_substring.as_deref(),
            filter.end_timestamp.as_ref(),
            filter.max_results,
            filter.start_timestamp.as_ref(),
            LOCATION,
            Some(&password),
            Some("backup"),
        )
        .await
    })
    .await;
    let keys: Vec<String> = url::form_urlencoded::parse(
        request
            .path_and_query
            .split_once('?')
            .expect("a query")
            .1
            .as_bytes(),
    )
    .map(|(key, _)| key.into_owned())
    .collect();
    assert_eq!(
        keys,
        [
            "filter_spec.comment_substring",
            "filter_spec.end_timestamp",
            "filter_spec.max_results",
            "filter_spec.start_timestamp",
            "loc_spec.location",
            "loc_spec.location_password",
            "loc_spec.location_user",
        ]
    );
}

#[tokio::test]
async fn rest_list_archives_without_a_filter_sends_only_the_location() {
    let server = Recorder::start(Canned::json(200, serde_json::json!({"value": []}))).await;
    harness::client(server.base_url())
        .rest_list_archives(SYSTEM_NAME, None, None, None, None, LOCATION, None, None)
        .await
        .expect("an empty list decodes");
    assert_eq!(
        server.single().await.path_and_query,
        format!(
            "/rest/appliance/recovery/backup/system-name/{SYSTEM_NAME}/archives?loc_spec.location=sftp%3A%2F%2F10.0.0.5%2Fbackups%2Fvcsa"
        )
    );
}

#[tokio::test]
async fn rest_get_archive() {
    let password = location_password();
    let request = exchange("rest_get_archive", async |c| {
        c.rest_get_archive(SYSTEM_NAME, ARCHIVE, LOCATION, Some(&password), None)
            .await
    })
    .await;
    assert!(
        request.path_and_query.contains(
            "?spec.location=sftp%3A%2F%2F10.0.0.5%2Fbackups%2Fvcsa&spec.location_password="
        ),
        "get archive names its LocationSpec `spec`: {}",
        request.path_and_query
    );
}

#[tokio::test]
async fn rest_get_appliance_time() {
    let request = exchange("rest_get_appliance_time", async |c| {
        c.rest_get_appliance_time().await
    })
    .await;
    assert_eq!(request.path_and_query, "/rest/appliance/system/time");
}

// ------------------------------------------------------------------------------------ recovery

fn restore_request() -> types::RestoreRequest {
    types::RestoreRequest {
        location_type: enums::LocationType::Sftp,
        location: "sftp://10.0.0.5/backups/vcsa/vCenter/sn_vcsa-01/S_8.0.3.00400_20250102-101501_"
            .into(),
        backup_password: Some(BACKUP_PASSWORD.into()),
        location_user: Some("backup".into()),
        location_password: Some(LOCATION_PASSWORD.into()),
        sso_admin_user_name: Some("administrator@vsphere.local".into()),
        sso_admin_user_password: Some(SSO_PASSWORD.into()),
        ignore_warnings: Some(true),
        parts: vec!["common".into()],
    }
}

fn reconciliation_spec() -> types::ReconciliationSpec {
    types::ReconciliationSpec {
        ignore_warnings: Some(false),
        sso_admin_user_name: Some("administrator@vsphere.local".into()),
        sso_admin_user_password: Some(SSO_PASSWORD.into()),
    }
}

#[tokio::test]
async fn get_recovery() {
    let request = exchange("get_recovery", async |c| c.get_recovery().await).await;
    assert_eq!(request.path_and_query, "/api/appliance/recovery");
}

#[tokio::test]
async fn rest_get_recovery() {
    let request = exchange("rest_get_recovery", async |c| c.rest_get_recovery().await).await;
    assert_eq!(request.path_and_query, "/rest/appliance/recovery");
}

#[tokio::test]
async fn validate_restore() {
    let request = exchange("validate_restore", async |c| {
        c.validate_restore(&restore_request()).await
    })
    .await;
    assert_eq!(
        request.path_and_query,
        "/api/appliance/recovery/restore?action=validate"
    );
    assert_eq!(body_json(&request)["location_type"], "SFTP", "bare body");
}

#[tokio::test]
async fn rest_validate_restore() {
    let piece = types::RestRestoreRequestPiece {
        piece: restore_request(),
    };
    let request = exchange("rest_validate_restore", async |c| {
        c.rest_validate_restore(&piece).await
    })
    .await;
    assert_eq!(
        request.path_and_query,
        "/rest/appliance/recovery/restore/validate"
    );
    assert_eq!(body_json(&request)["piece"]["location_type"], "SFTP");
}

#[tokio::test]
async fn create_restore_job() {
    let request = exchange("create_restore_job", async |c| {
        c.create_restore_job(&restore_request()).await
    })
    .await;
    assert_eq!(
        request.path_and_query,
        "/api/appliance/recovery/restore/job"
    );
    assert_eq!(body_json(&request)["ignore_warnings"], true, "bare body");
}

#[tokio::test]
async fn rest_create_restore_job() {
    let piece = types::RestRestoreRequestPiece {
        piece: restore_request(),
    };
    let request = exchange("rest_create_restore_job", async |c| {
        c.rest_create_restore_job(&piece).await
    })
    .await;
    assert_eq!(body_json(&request)["piece"]["parts"][0], "common");
}

#[tokio::test]
async fn get_restore_job() {
    exchange("get_restore_job", async |c| c.get_restore_job().await).await;
}

#[tokio::test]
async fn rest_get_restore_job() {
    exchange("rest_get_restore_job", async |c| {
        c.rest_get_restore_job().await
    })
    .await;
}

#[tokio::test]
async fn cancel_restore_job() {
    let request = exchange("cancel_restore_job", async |c| c.cancel_restore_job().await).await;
    assert_eq!(
        request.path_and_query,
        "/api/appliance/recovery/restore/job?action=cancel"
    );
}

#[tokio::test]
async fn rest_cancel_restore_job() {
    let request = exchange("rest_cancel_restore_job", async |c| {
        c.rest_cancel_restore_job().await
    })
    .await;
    assert_eq!(
        request.path_and_query,
        "/rest/appliance/recovery/restore/job/cancel"
    );
}

#[tokio::test]
async fn create_reconciliation_job() {
    let request = exchange("create_reconciliation_job", async |c| {
        c.create_reconciliation_job(&reconciliation_spec()).await
    })
    .await;
    assert_eq!(body_json(&request)["ignore_warnings"], false, "bare body");
}

#[tokio::test]
async fn rest_create_reconciliation_job() {
    let body = types::RestReconciliationSpec {
        spec: reconciliation_spec(),
    };
    let request = exchange("rest_create_reconciliation_job", async |c| {
        c.rest_create_reconciliation_job(&body).await
    })
    .await;
    assert_eq!(
        body_json(&request)["spec"]["sso_admin_user_name"],
        "administrator@vsphere.local"
    );
}

#[tokio::test]
async fn get_reconciliation_job() {
    exchange("get_reconciliation_job", async |c| {
        c.get_reconciliation_job().await
    })
    .await;
}

#[tokio::test]
async fn rest_get_reconciliation_job() {
    exchange("rest_get_reconciliation_job", async |c| {
        c.rest_get_reconciliation_job().await
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
        server.single().await.path_and_query,
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
        server.single().await.path_and_query,
        "/api/appliance/recovery/backup/job/details?jobs=a%26b%3Dc&jobs=d+e"
    );

    let server = Recorder::start(Canned::json(200, serde_json::json!({"value": []}))).await;
    harness::client(server.base_url())
        .rest_list_job_details(Some(&jobs))
        .await
        .expect("an empty list decodes");
    assert_eq!(
        server.single().await.path_and_query,
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
