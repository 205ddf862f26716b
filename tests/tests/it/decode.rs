//! Decoding: the vendor's own JSON examples, both error shapes through the client, and values of
//! every enum that this client has never seen.

use std::collections::BTreeSet;
use std::fmt::Debug;

use serde_json::{Value, json};
use vcsa_backup_api::{Error, ResponseValue, enums, types};
use vcsa_backup_tests::recorder::{Canned, Recorder};
use vcsa_backup_tests::{harness, instance, registry, secrets, spec};

fn fixtures_dir() -> std::path::PathBuf {
    spec::workspace_root().join("tests/fixtures/seeds")
}

fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn assert_no_secret(context: &str, text: &str) {
    for secret in secrets::all() {
        assert!(
            !text.contains(&secret),
            "{context}: a secret value is printed"
        );
    }
}

/// Removes `"data": {}`: the types omit an empty `data` map when encoding, which is the only
/// difference encoding may make to a vendor example.
fn without_empty_data(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|key, v| !(key == "data" && v.as_object().is_some_and(|m| m.is_empty())));
            map.values_mut().for_each(without_empty_data);
        }
        Value::Array(items) => items.iter_mut().for_each(without_empty_data),
        _ => {}
    }
}

// ------------------------------------------------------------------------ vendor examples

#[test]
fn every_seed_example_decodes_into_its_generated_type() {
    let mut files: Vec<_> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/seeds exists")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 17, "every JSON example of the five seed pages");

    let mut seeds = BTreeSet::new();
    for path in &files {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 name");
        let (name, schema) = stem
            .rsplit_once('.')
            .unwrap_or_else(|| panic!("{stem}: name it <example>.<Schema>.json"));
        seeds.insert(name[..3].to_string());

        let mut example = read_json(path);
        let decoded = (registry::get(schema).decode)(&example)
            .unwrap_or_else(|e| panic!("{stem} does not decode into {schema}: {e}"));
        without_empty_data(&mut example);
        assert_eq!(
            decoded.reencoded, example,
            "{stem}: encoding again lost or changed a field"
        );
        assert_no_secret(stem, &decoded.debug);
        insta::assert_snapshot!(
            format!("seed__{name}"),
            decoded.debug,
            &format!("{stem}.json")
        );
    }
    assert_eq!(
        seeds.into_iter().collect::<Vec<_>>(),
        ["000", "001", "002", "003", "004"]
    );
}

#[test]
fn seed_request_passwords_decode_but_never_print() {
    let request: types::BackupRequest = serde_json::from_value(read_json(
        &fixtures_dir().join("003_create_job_request.BackupRequest.json"),
    ))
    .expect("the request example decodes");
    let backup = request
        .backup_password
        .as_ref()
        .expect("backup_password is set");
    let location = request
        .location_password
        .as_ref()
        .expect("location_password is set");
    assert_eq!(backup.expose(), secrets::SEED_BACKUP_PASSWORD);
    assert_eq!(location.expose(), secrets::SEED_LOCATION_PASSWORD);
    assert_no_secret("BackupRequest Debug", &format!("{request:?} {request:#?}"));
}

// ------------------------------------------------------------------------ typed errors

/// Answers one call with `status` and `body` and returns the typed error the client produced.
async fn typed_error<T, E, F>(status: u16, body: Value, call: F) -> (u16, E)
where
    T: Debug,
    E: Debug,
    F: AsyncFnOnce(&vcsa_backup_api::Client) -> Result<ResponseValue<T>, Error<E>>,
{
    let server = Recorder::start(Canned::json(status, body)).await;
    match call(&harness::client(server.base_url())).await {
        Err(Error::ErrorResponse(response)) => (response.status().as_u16(), response.into_inner()),
        other => panic!("expected a typed error response for {status}, got {other:?}"),
    }
}

/// The real `/rest` 401 body from the notes.
fn rest_unauthenticated() -> Value {
    json!({"type":"com.vmware.vapi.std.errors.unauthenticated","value":{"messages":[{"args":[],
        "default_message":"This method requires authentication.","id":"vapi.method.authentication.required"}]}})
}

#[tokio::test]
async fn api_errors_decode_into_std_error() {
    let body = read_json(&fixtures_dir().join("003_create_job_400.StdError.json"));
    let request = types::BackupRequest {
        parts: vec![],
        backup_password: None,
        location_type: enums::LocationType::Sftp,
        location: "sftp://10.0.0.5/backups/vcsa".into(),
        location_user: None,
        location_password: None,
        comment: None,
        fast_backup: None,
    };
    let (status, error) =
        typed_error(400, body.clone(), async |c| c.create_job(&request).await).await;
    assert_eq!(status, 400);
    assert_eq!(error.error_type, Some(enums::ErrorType::FeatureInUse));
    assert_eq!(
        error,
        serde_json::from_value::<types::StdError>(body).expect("fixture decodes")
    );

    let body = read_json(&fixtures_dir().join("002_get_job_404.StdError.json"));
    let (status, error) = typed_error(404, body, async |c| {
        c.get_job("20180531-155107-8217864").await
    })
    .await;
    assert_eq!(status, 404);
    assert_eq!(error.error_type, Some(enums::ErrorType::NotFound));
    insta::assert_debug_snapshot!("api_404_std_error", error);
}

#[tokio::test]
async fn rest_errors_decode_into_rest_error() {
    let (status, error) = typed_error(401, rest_unauthenticated(), async |c| {
        c.rest_get_job("20180531-155107-8217864").await
    })
    .await;
    assert_eq!(status, 401);
    assert_eq!(error.type_, enums::RestErrorType::Unauthenticated);
    assert_eq!(
        error.value.messages[0].id,
        "vapi.method.authentication.required"
    );
    assert_eq!(
        error.value.error_type, None,
        "the /rest body names its type outside `value`"
    );
    insta::assert_debug_snapshot!("rest_401_rest_error", error);

    let body = json!({
        "type": "com.vmware.vapi.std.errors.feature_in_use",
        "value": {"messages": [{"args": [], "id": "com.vmware.applmgmt.err_backup_in_progress",
            "default_message": "A backup or restore is already in progress."}]}
    });
    let piece = types::RestBackupRequestPiece {
        piece: types::BackupRequest {
            parts: vec![],
            backup_password: None,
            location_type: enums::LocationType::Nfs,
            location: "nfs://10.0.0.5:/export/vcsa".into(),
            location_user: None,
            location_password: None,
            comment: None,
            fast_backup: None,
        },
    };
    let (status, error) = typed_error(400, body, async |c| c.rest_create_job(&piece).await).await;
    assert_eq!(status, 400);
    assert_eq!(error.type_, enums::RestErrorType::FeatureInUse);
}

#[tokio::test]
async fn error_types_this_client_does_not_know_keep_the_typed_error() {
    let body = json!({"error_type": "QUOTA_EXCEEDED", "messages": [], "data": {"limit": 3}});
    let (status, error) = typed_error(500, body.clone(), async |c| c.list_parts().await).await;
    assert_eq!(status, 500);
    assert_eq!(
        error.error_type,
        Some(enums::ErrorType::Unknown("QUOTA_EXCEEDED".into()))
    );
    assert_eq!(serde_json::to_value(&error).expect("re-encode"), body);

    let body =
        json!({"type": "com.vmware.vapi.std.errors.quota_exceeded", "value": {"messages": []}});
    let (status, error) = typed_error(504, body.clone(), async |c| c.rest_list_jobs().await).await;
    assert_eq!(status, 504, "any 5XX is a typed error");
    assert_eq!(
        error.type_,
        enums::RestErrorType::Unknown("com.vmware.vapi.std.errors.quota_exceeded".into())
    );
    assert_eq!(serde_json::to_value(&error).expect("re-encode"), body);
}

// ------------------------------------------------------------------------ unknown enum values

/// `(schema, property, enum schema, is array)` for every property of every object schema whose
/// type is one of the spec's enums.
fn enum_fields(doc: &Value) -> Vec<(String, String, String, bool)> {
    let mut fields = Vec::new();
    for (name, schema) in spec::schemas(doc) {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for (property, value) in properties {
            let (target, is_array) = match value.get("items") {
                Some(items) => (items, true),
                None => (value, false),
            };
            if let Some(enum_name) = spec::ref_name(target)
                && spec::is_enum(spec::resolve(doc, target))
            {
                fields.push((
                    name.clone(),
                    property.clone(),
                    enum_name.to_string(),
                    is_array,
                ));
            }
        }
    }
    fields
}

#[test]
fn an_unknown_value_in_every_enum_field_decodes_and_encodes_unchanged() {
    let doc = spec::load();
    let fields = enum_fields(&doc);
    let mut checked = Vec::new();
    for (schema, property, enum_name, is_array) in &fields {
        let unknown = format!(
            "FUTURE_{}_{}",
            schema.to_uppercase(),
            property.to_uppercase()
        );
        let mut value = instance::of(&doc, schema);
        value[property] = if *is_array {
            json!([unknown])
        } else {
            json!(unknown)
        };

        let decoded = (registry::get(schema).decode)(&value)
            .unwrap_or_else(|e| panic!("{schema}.{property} = {unknown:?} does not decode: {e}"));
        assert_eq!(
            decoded.reencoded, value,
            "{schema}.{property}: the unknown value changed"
        );
        // The instance holds no other unknown value, so this Unknown is the field's.
        assert!(
            decoded.debug.contains("Unknown(") && decoded.debug.contains(&format!("\"{unknown}\"")),
            "{schema}.{property}: not kept as Unknown:\n{}",
            decoded.debug
        );
        checked.push(format!("{schema}.{property}: {enum_name}"));
    }
    insta::assert_snapshot!("enum_fields", checked.join("\n"));
}

#[test]
fn every_enum_keeps_unknown_values_and_knows_its_own() {
    let doc = spec::load();
    for (name, schema) in spec::schemas(&doc) {
        if !spec::is_enum(schema) {
            continue;
        }
        let entry = registry::get(name);
        let unknown = json!(format!("{name}-from-a-newer-appliance"));
        let decoded = (entry.decode)(&unknown).expect("any string decodes into an open enum");
        assert_eq!(decoded.reencoded, unknown, "{name}");
        assert!(
            decoded.debug.starts_with("Unknown("),
            "{name}: {}",
            decoded.debug
        );
        for known in spec::enum_values(schema) {
            let decoded = (entry.decode)(&json!(known)).expect("a known value decodes");
            assert_eq!(decoded.reencoded, json!(known), "{name}");
            assert!(
                !decoded.debug.starts_with("Unknown("),
                "{name}: {known} decoded as unknown"
            );
        }
    }
}

// ------------------------------------------------------------------------ every schema

#[test]
fn a_full_instance_of_every_schema_survives_decoding_and_encoding() {
    let doc = spec::load();
    for name in spec::schemas(&doc).keys() {
        let value = instance::of(&doc, name);
        let decoded = (registry::get(name).decode)(&value)
            .unwrap_or_else(|e| panic!("{name}: a valid instance does not decode: {e}\n{value:#}"));
        assert_eq!(
            decoded.reencoded, value,
            "{name}: encoding again lost or changed a field"
        );
        assert_no_secret(name, &decoded.debug);
    }
}

/// Adds an unknown field to every structure inside `value` (not to maps, where any key is an entry).
fn add_unknown_fields(doc: &Value, schema: &Value, value: &mut Value) {
    let schema = spec::resolve(doc, schema);
    match value {
        Value::Object(map) => {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (key, field) in map.iter_mut() {
                    if let Some(property) = properties.get(key) {
                        add_unknown_fields(doc, property, field);
                    }
                }
                map.insert(
                    "field_from_a_newer_appliance".into(),
                    json!({"any": [1, "x"]}),
                );
            } else if let Some(values @ Value::Object(_)) = schema.get("additionalProperties") {
                map.values_mut()
                    .for_each(|entry| add_unknown_fields(doc, values, entry));
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                items
                    .iter_mut()
                    .for_each(|item| add_unknown_fields(doc, item_schema, item));
            }
        }
        _ => {}
    }
}

/// Fields a newer appliance adds are ignored, in every structure, at every depth.
#[test]
fn fields_this_client_does_not_know_are_ignored() {
    let doc = spec::load();
    for (name, schema) in spec::schemas(&doc) {
        let plain = instance::of(&doc, name);
        let mut extended = plain.clone();
        add_unknown_fields(&doc, schema, &mut extended);
        let entry = registry::get(name);
        let decoded = (entry.decode)(&extended)
            .unwrap_or_else(|e| panic!("{name}: an unknown field breaks decoding: {e}"));
        assert_eq!(
            decoded.reencoded, plain,
            "{name}: the unknown fields changed the value"
        );
    }
}
