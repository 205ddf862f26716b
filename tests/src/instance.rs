//! A valid JSON instance of any schema of the spec, built from the spec alone.
//!
//! Every property is filled (optional ones too, down to a depth that stops the recursion of
//! localization parameters), so decoding the instance and encoding it again shows whether the Rust
//! type keeps every field the spec describes.

use serde_json::{Map, Value, json};

use crate::secrets::GENERATED_PASSWORD;
use crate::spec::resolve;

/// Below this depth optional properties are left out, which ends the message/parameter recursion.
const MAX_DEPTH: usize = 4;

/// A date-time in the form the appliance sends (RFC 3339 with milliseconds).
pub const DATE_TIME: &str = "2015-01-01T22:13:05.651Z";

/// A full instance of the component schema `name`.
pub fn of(doc: &Value, name: &str) -> Value {
    let schema = doc
        .pointer(&format!("/components/schemas/{name}"))
        .unwrap_or_else(|| panic!("no component schema {name}"));
    build(doc, schema, 0)
}

fn build(doc: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(doc, schema);
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|v| v.first())
    {
        return first.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => json!(DATE_TIME),
            Some("uri") => json!("sftp://10.0.0.5/backups/vcsa"),
            Some("password") => json!(GENERATED_PASSWORD),
            _ => json!("text"),
        },
        Some("integer") => json!(42),
        Some("number") => json!(2.5),
        Some("boolean") => json!(true),
        Some("array") => {
            let items = schema.get("items").expect("an array schema has items");
            json!([build(doc, items, depth + 1)])
        }
        Some("object") | None => object(doc, schema, depth),
        Some(other) => panic!("unsupported schema type {other}"),
    }
}

fn object(doc: &Value, schema: &Value, depth: usize) -> Value {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut out = Map::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            if required.contains(&name.as_str()) || depth + 1 < MAX_DEPTH {
                out.insert(name.clone(), build(doc, property, depth + 1));
            }
        }
    }
    match schema.get("additionalProperties") {
        // The map itself was only built because depth + 1 < MAX_DEPTH (or it is required), so
        // it gets an entry whenever that holds: an empty map would not survive re-encoding.
        Some(values @ Value::Object(_)) if depth < MAX_DEPTH => {
            out.insert("key-1".to_string(), build(doc, values, depth + 1));
        }
        _ => {}
    }
    if schema.get("properties").is_none() && schema.get("additionalProperties").is_none() {
        // A free-form object (the errors' `data`): any content is valid.
        out.insert("detail".to_string(), json!("text"));
    }
    Value::Object(out)
}
