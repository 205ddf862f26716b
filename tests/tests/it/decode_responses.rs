//! One decode snapshot per operation (`snapshots/decode_responses__<operationId>.snap`): a
//! realistic success body of each of the 20 operations (`tests/fixtures/responses/`), answered
//! by a loopback server and decoded by the generated client, exactly as a caller receives it.
//!
//! The log-outs and the schedule changes (create, update, delete) answer without a body; their
//! snapshot shows the status and the unit value the client returns. Session tokens print redacted; the test checks the real token was decoded.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::Value;
use vcsa_backup_api::{Client, Error, ResponseValue, WireSecret, enums, types};
use vcsa_backup_tests::recorder::{Canned, Recorder};
use vcsa_backup_tests::secrets::{self, ISSUED_TOKEN};
use vcsa_backup_tests::{harness, spec};

const SNAPSHOT_PREFIX: &str = "it__decode_responses__";

fn fixtures_dir() -> PathBuf {
    spec::workspace_root().join("tests/fixtures/responses")
}

fn snapshots_dir() -> PathBuf {
    spec::workspace_root().join("tests/tests/it/snapshots")
}

/// What the client gave back for one call.
struct Answer {
    status: u16,
    /// `{:#?}` of the decoded value: what a caller sees when printing it.
    debug: String,
    /// The decoded value encoded again (`null` for the unit of a bodiless answer).
    reencoded: Value,
}

fn answer<T: Debug + Serialize, E: Debug>(
    op_id: &str,
    result: Result<ResponseValue<T>, Error<E>>,
) -> Answer {
    let response = result
        .unwrap_or_else(|e| panic!("{op_id}: the documented success was not accepted: {e:?}"));
    let status = response.status().as_u16();
    let value = response.into_inner();
    Answer {
        status,
        debug: format!("{value:#?}"),
        reencoded: serde_json::to_value(&value).expect("the decoded value encodes"),
    }
}

/// The session token was decoded as the server sent it, though it never prints.
fn assert_issued_token(op_id: &str, token: &WireSecret) {
    assert_eq!(
        token.expose(),
        ISSUED_TOKEN,
        "{op_id}: the token was not decoded"
    );
    assert_eq!(format!("{token:?}"), "WireSecret([redacted])");
}

fn request() -> types::BackupRequest {
    types::BackupRequest {
        parts: vec!["seat".into()],
        backup_password: None,
        location_type: enums::LocationType::Sftp,
        location: "sftp://10.0.0.5/backups/vcsa".into(),
        location_user: None,
        location_password: None,
        comment: None,
        fast_backup: None,
    }
}

fn restore() -> types::RestoreRequest {
    types::RestoreRequest {
        location_type: enums::LocationType::Sftp,
        location: format!("{LOCATION}/vCenter/sn_{SYSTEM_NAME}/{ARCHIVE}"),
        backup_password: None,
        location_user: None,
        location_password: None,
        sso_admin_user_name: None,
        sso_admin_user_password: None,
        ignore_warnings: None,
        parts: vec![],
    }
}

const LOCATION: &str = "sftp://10.0.0.5/backups/vcsa";
const SYSTEM_NAME: &str = "vcsa-01.example.com";
const ARCHIVE: &str = "M_8.0.3.00400_20250102-101501_";

fn location() -> types::LocationSpec {
    types::LocationSpec {
        location: LOCATION.into(),
        location_user: None,
        location_password: None,
    }
}

fn create_spec() -> types::ScheduleCreateSpec {
    types::ScheduleCreateSpec {
        parts: vec![],
        backup_password: None,
        location: LOCATION.into(),
        location_user: None,
        location_password: None,
        enable: None,
        recurrence_info: None,
        retention_info: None,
        fast_backup: None,
    }
}

/// Calls the operation `op_id` through the generated client.
async fn call(client: &Client, op_id: &str) -> Answer {
    const JOB: &str = "20180531-155107-8217864";
    let piece = types::RestBackupRequestPiece { piece: request() };
    let run = types::RunScheduleRequest { comment: None };
    let restore_piece = types::RestRestoreRequestPiece { piece: restore() };
    match op_id {
        "create_session" => {
            let result = client.create_session().await;
            if let Ok(token) = &result {
                assert_issued_token(op_id, token);
            }
            answer(op_id, result)
        }
        "delete_session" => answer(op_id, client.delete_session().await),
        "list_jobs" => answer(op_id, client.list_jobs().await),
        "create_job" => answer(op_id, client.create_job(&request()).await),
        "get_job" => answer(op_id, client.get_job(JOB).await),
        "cancel_job" => answer(op_id, client.cancel_job(JOB).await),
        "list_job_details" => answer(op_id, client.list_job_details(None).await),
        "run_schedule" => answer(op_id, client.run_schedule("default", &run).await),
        "list_parts" => answer(op_id, client.list_parts().await),
        "validate_backup" => answer(op_id, client.validate_backup(&request()).await),
        "rest_create_session" => {
            let result = client.rest_create_session().await;
            if let Ok(token) = &result {
                assert_issued_token(op_id, &token.value);
            }
            answer(op_id, result)
        }
        "rest_delete_session" => answer(op_id, client.rest_delete_session().await),
        "rest_list_jobs" => answer(op_id, client.rest_list_jobs().await),
        "rest_create_job" => answer(op_id, client.rest_create_job(&piece).await),
        "rest_get_job" => answer(op_id, client.rest_get_job(JOB).await),
        "rest_cancel_job" => answer(op_id, client.rest_cancel_job(JOB).await),
        "rest_list_job_details" => answer(op_id, client.rest_list_job_details(None).await),
        "rest_run_schedule" => answer(op_id, client.rest_run_schedule("default", &run).await),
        "rest_list_parts" => answer(op_id, client.rest_list_parts().await),
        "rest_validate_backup" => answer(op_id, client.rest_validate_backup(&piece).await),
        "get_part_size" => answer(op_id, client.get_part_size("seat").await),
        "rest_get_part_size" => answer(op_id, client.rest_get_part_size("seat").await),
        "list_schedules" => answer(op_id, client.list_schedules().await),
        "rest_list_schedules" => answer(op_id, client.rest_list_schedules().await),
        "get_schedule" => answer(op_id, client.get_schedule("default").await),
        "rest_get_schedule" => answer(op_id, client.rest_get_schedule("default").await),
        "create_schedule" => {
            let body = types::CreateScheduleRequest {
                schedule: "default".into(),
                spec: create_spec(),
            };
            answer(op_id, client.create_schedule(&body).await)
        }
        "rest_create_schedule" => {
            let body = types::RestCreateScheduleRequest {
                spec: create_spec(),
            };
            answer(op_id, client.rest_create_schedule("default", &body).await)
        }
        "update_schedule" => {
            let body = types::ScheduleUpdateSpec::default();
            answer(op_id, client.update_schedule("default", &body).await)
        }
        "rest_update_schedule" => {
            let body = types::RestUpdateScheduleRequest {
                spec: types::ScheduleUpdateSpec::default(),
            };
            answer(op_id, client.rest_update_schedule("default", &body).await)
        }
        "delete_schedule" => answer(op_id, client.delete_schedule("default").await),
        "rest_delete_schedule" => answer(op_id, client.rest_delete_schedule("default").await),
        "list_system_names" => answer(op_id, client.list_system_names(&location()).await),
        "rest_list_system_names" => answer(
            op_id,
            client.rest_list_system_names(LOCATION, None, None).await,
        ),
        "list_archives" => {
            let body = types::ListArchivesRequest {
                loc_spec: location(),
                filter_spec: types::ArchiveFilterSpec::default(),
            };
            answer(op_id, client.list_archives(SYSTEM_NAME, &body).await)
        }
        "rest_list_archives" => answer(
            op_id,
            client
                .rest_list_archives(SYSTEM_NAME, None, None, None, None, LOCATION, None, None)
                .await,
        ),
        "get_archive" => answer(
            op_id,
            client.get_archive(SYSTEM_NAME, ARCHIVE, &location()).await,
        ),
        "rest_get_archive" => answer(
            op_id,
            client
                .rest_get_archive(SYSTEM_NAME, ARCHIVE, LOCATION, None, None)
                .await,
        ),
        "get_appliance_time" => answer(op_id, client.get_appliance_time().await),
        "rest_get_appliance_time" => answer(op_id, client.rest_get_appliance_time().await),
        "get_recovery" => answer(op_id, client.get_recovery().await),
        "rest_get_recovery" => answer(op_id, client.rest_get_recovery().await),
        "validate_restore" => answer(op_id, client.validate_restore(&restore()).await),
        "rest_validate_restore" => {
            answer(op_id, client.rest_validate_restore(&restore_piece).await)
        }
        "create_restore_job" => answer(op_id, client.create_restore_job(&restore()).await),
        "rest_create_restore_job" => {
            answer(op_id, client.rest_create_restore_job(&restore_piece).await)
        }
        "get_restore_job" => answer(op_id, client.get_restore_job().await),
        "rest_get_restore_job" => answer(op_id, client.rest_get_restore_job().await),
        "cancel_restore_job" => answer(op_id, client.cancel_restore_job().await),
        "rest_cancel_restore_job" => answer(op_id, client.rest_cancel_restore_job().await),
        "create_reconciliation_job" => answer(
            op_id,
            client
                .create_reconciliation_job(&types::ReconciliationSpec::default())
                .await,
        ),
        "rest_create_reconciliation_job" => {
            let body = types::RestReconciliationSpec {
                spec: types::ReconciliationSpec::default(),
            };
            answer(op_id, client.rest_create_reconciliation_job(&body).await)
        }
        "get_reconciliation_job" => answer(op_id, client.get_reconciliation_job().await),
        "rest_get_reconciliation_job" => answer(op_id, client.rest_get_reconciliation_job().await),
        other => panic!("{other} has no call in tests/tests/decode_responses.rs: add one"),
    }
}

fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// File stems in `dir` that start with `prefix` and end with `suffix`.
fn names_in(dir: &std::path::Path, prefix: &str, suffix: &str) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").file_name())
        .filter_map(|name| {
            let name = name.to_str()?;
            Some(name.strip_prefix(prefix)?.strip_suffix(suffix)?.to_string())
        })
        .collect()
}

#[tokio::test]
async fn the_success_of_every_operation_decodes_through_the_client() {
    let doc = spec::load();
    let operations = spec::operations(&doc);
    let ids: BTreeSet<String> = operations.iter().map(|op| op.id.clone()).collect();
    assert_eq!(ids.len(), 54, "the spec's 54 operations, ids unique");

    let mut with_body = BTreeSet::new();
    for op in &operations {
        let (status, schema) = op
            .responses(&doc)
            .into_iter()
            .find(|(status, _)| spec::is_success_status(status))
            .map(|(status, response)| (status, spec::response_schema_name(response)))
            .expect("every operation documents a success");
        let status: u16 = status.parse().expect("a concrete success status");
        let fixture = fixtures_dir().join(format!("{}.json", op.id));
        let body = schema.as_ref().map(|_| read_json(&fixture));
        if body.is_some() {
            with_body.insert(op.id.clone());
        }
        let canned = match &body {
            Some(body) => Canned::json(status, body.clone()),
            None => Canned::empty(status),
        };

        let server = Recorder::start(canned).await;
        let answer = call(&harness::client(server.base_url()), &op.id).await;
        let request = server.single().await;
        assert_eq!(
            request.method, op.method,
            "{}: called another operation",
            op.id
        );
        spec::assert_matches_template(&op.path, &request.path_and_query);
        assert_eq!(answer.status, status, "{}", op.id);
        assert_eq!(
            answer.reencoded,
            body.clone().unwrap_or(Value::Null),
            "{}: the decoded answer lost or changed a field",
            op.id
        );

        let source = match &schema {
            Some(name) => format!("{status} {name}, tests/fixtures/responses/{}.json", op.id),
            None => format!("{status}, no body"),
        };
        let text = format!(
            "{} {}\nanswer: {source}\ndecoded:\n{}",
            op.method, op.path, answer.debug
        );
        for secret in secrets::all() {
            assert!(
                !text.contains(&secret),
                "{}: a secret value is printed",
                op.id
            );
        }
        insta::assert_snapshot!(op.id.as_str(), text, &source);
    }

    // One fixture per operation with a body, and nothing else in the folder.
    assert_eq!(names_in(&fixtures_dir(), "", ".json"), with_body);
    assert_eq!(
        with_body.len(),
        46,
        "all but the log-outs and the schedule changes (create, update, delete) answer a body"
    );
    // Exactly one decode snapshot per operationId: none missing, none left from a removed one.
    assert_eq!(names_in(&snapshots_dir(), SNAPSHOT_PREFIX, ".snap"), ids);
    assert!(
        names_in(&snapshots_dir(), SNAPSHOT_PREFIX, ".snap.new").is_empty(),
        "pending decode snapshots: review them"
    );
}

/// Records `(structure, property)` for every property of every structure under `schema`: all the
/// spec allows when `value` is `None`, else the ones `value` actually holds.
fn fields(
    doc: &Value,
    owner: &str,
    schema: &Value,
    value: Option<&Value>,
    out: &mut BTreeSet<(String, String)>,
) {
    let owner = spec::ref_name(schema).unwrap_or(owner);
    // Messages nest parameters that nest messages: in the spec-only walk, each structure once.
    if value.is_none() && spec::ref_name(schema).is_some() && out.iter().any(|(o, _)| o == owner) {
        return;
    }
    let schema = spec::resolve(doc, schema);
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            match value {
                None => {
                    out.insert((owner.to_string(), name.clone()));
                    fields(doc, owner, property, None, out);
                }
                Some(object) => {
                    if let Some(field) = object.get(name) {
                        out.insert((owner.to_string(), name.clone()));
                        fields(doc, owner, property, Some(field), out);
                    }
                }
            }
        }
    }
    for (key, many) in [("additionalProperties", false), ("items", true)] {
        let Some(inner @ Value::Object(_)) = schema.get(key) else {
            continue;
        };
        match value {
            None => fields(doc, owner, inner, None, out),
            Some(Value::Array(items)) if many => items
                .iter()
                .for_each(|item| fields(doc, owner, inner, Some(item), out)),
            Some(Value::Object(map)) if !many => map
                .values()
                .for_each(|entry| fields(doc, owner, inner, Some(entry), out)),
            Some(_) => {}
        }
    }
}

/// The fixtures between them show every field of every structure an operation can answer, so the
/// snapshots above are a review of all of it.
#[test]
fn the_fixtures_show_every_field_of_every_success_structure() {
    let doc = spec::load();
    let mut allowed = BTreeSet::new();
    let mut shown = BTreeSet::new();
    for op in spec::operations(&doc) {
        let Some(schema) = op
            .responses(&doc)
            .into_iter()
            .find(|(status, _)| spec::is_success_status(status))
            .and_then(|(_, response)| response.pointer("/content/application~1json/schema"))
        else {
            continue;
        };
        let body = read_json(&fixtures_dir().join(format!("{}.json", op.id)));
        fields(&doc, "inline", schema, None, &mut allowed);
        fields(&doc, "inline", schema, Some(&body), &mut shown);
    }
    assert!(allowed.len() > 50, "the walk reached the structures");
    let missing: Vec<String> = allowed
        .difference(&shown)
        .map(|(owner, name)| format!("{owner}.{name}"))
        .collect();
    assert!(
        missing.is_empty(),
        "no fixture in tests/fixtures/responses shows: {}",
        missing.join(", ")
    );
    assert!(shown.is_subset(&allowed));
}
