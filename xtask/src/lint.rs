//! The curation rules the spec must follow before anything is generated from it.
//!
//! Each rule names the operation or schema at fault so a reviewer can go straight to it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Prefix that names the `/rest` twin of an `/api` operation.
pub const REST_PREFIX: &str = "rest_";

/// One broken rule: where, and what.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub at: String,
    pub rule: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.rule)
    }
}

/// Every problem in the document; empty when it may be generated from.
pub fn lint(doc: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut push = |at: &str, rule: String| {
        problems.push(Problem {
            at: at.to_string(),
            rule,
        })
    };

    let version = doc["openapi"].as_str().unwrap_or("");
    if !version.starts_with("3.0.") {
        push(
            "openapi",
            format!("must be OpenAPI 3.0.x (progenitor rejects 3.1), found {version:?}"),
        );
    }

    let ops = operations(doc);
    lint_ids(&ops, &mut push);
    lint_flavours(&ops, &mut push);
    let responses = doc["components"]["responses"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for op in &ops {
        lint_operation(op, doc, &responses, &mut push);
    }
    let schemas = doc["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    lint_schemas(&schemas, &mut push);
    problems
}

/// operationIds: present, snake_case, unique.
fn lint_ids(ops: &[Operation], push: &mut impl FnMut(&str, String)) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for op in ops {
        match &op.id {
            None => push(&op.label(), "has no operationId".into()),
            Some(id) if !is_snake_case(id) => {
                push(&op.label(), format!("operationId {id:?} is not snake_case"))
            }
            Some(id) => {
                if let Some(first) = seen.insert(id.clone(), op.label()) {
                    push(
                        &op.label(),
                        format!("operationId {id:?} is already used by {first}"),
                    );
                }
            }
        }
    }
}

/// Flavours: every operation lives under /api or /rest, and each has its twin.
fn lint_flavours(ops: &[Operation], push: &mut impl FnMut(&str, String)) {
    let ids: BTreeSet<&str> = ops.iter().filter_map(|o| o.id.as_deref()).collect();
    for op in ops {
        let Some(id) = op.id.as_deref() else { continue };
        if op.path.starts_with("/api/") {
            if id.starts_with(REST_PREFIX) {
                push(
                    &op.label(),
                    format!("an /api operation must not start with {REST_PREFIX:?}"),
                );
            } else if !ids.contains(format!("{REST_PREFIX}{id}").as_str()) {
                push(
                    &op.label(),
                    format!("has no /rest twin named {REST_PREFIX}{id}"),
                );
            }
        } else if op.path.starts_with("/rest/") {
            match id.strip_prefix(REST_PREFIX) {
                None => push(
                    &op.label(),
                    format!("a /rest operation's id must start with {REST_PREFIX:?}"),
                ),
                Some(twin) if !ids.contains(twin) => {
                    push(&op.label(), format!("has no /api twin named {twin}"))
                }
                Some(_) => {}
            }
        } else {
            push(&op.label(), "path must start with /api/ or /rest/".into());
        }
    }
}

/// An operation: described, traceable, one success and one error schema, parameters described.
fn lint_operation(
    op: &Operation,
    doc: &Value,
    responses: &serde_json::Map<String, Value>,
    push: &mut impl FnMut(&str, String),
) {
    let at = op.label();
    for field in ["summary", "description"] {
        if !has_text(&op.body[field]) {
            push(&at, format!("has no {field}"));
        }
    }
    if !has_text(&op.body["x-source"]) {
        push(
            &at,
            "has no x-source naming the seed file or the notes it comes from".into(),
        );
    }
    let mut success = BTreeSet::new();
    let mut error = BTreeSet::new();
    for (code, response) in op.body["responses"].as_object().into_iter().flatten() {
        let shape = response_shape(response, responses);
        match code.chars().next() {
            Some('2') => {
                success.insert(shape);
            }
            Some('4' | '5') => {
                error.insert(shape);
            }
            _ if code == "default" => push(
                &at,
                "uses a `default` response, which progenitor counts as both success and error; list 4XX and 5XX instead".into(),
            ),
            _ => push(&at, format!("response {code:?} is neither 2xx, 4xx nor 5xx")),
        }
    }
    if success.len() != 1 {
        push(
            &at,
            format!(
                "must have exactly one success schema, has {}: {success:?}",
                success.len()
            ),
        );
    }
    if error.len() != 1 {
        push(
            &at,
            format!(
                "must have exactly one error schema, has {}: {error:?}",
                error.len()
            ),
        );
    }
    for (i, param) in op.params.iter().enumerate() {
        let param = resolve(param, doc);
        let name = param["name"].as_str().unwrap_or("?");
        if !has_text(&param["description"]) {
            push(&at, format!("parameter {i} ({name}) has no description"));
        }
        walk_schema(
            &format!("{at} parameter {name}"),
            &param["schema"],
            false,
            push,
        );
    }
}

/// Schemas: described, traceable, no inline enums, every enum value described.
fn lint_schemas(schemas: &serde_json::Map<String, Value>, push: &mut impl FnMut(&str, String)) {
    for (name, schema) in schemas {
        let at = format!("schema {name}");
        if !has_text(&schema["x-source"]) {
            push(
                &at,
                "has no x-source naming the seed file or the notes it comes from".into(),
            );
        }
        if schema.get("enum").is_some() {
            lint_enum(&at, schema, push);
        }
        walk_schema(&at, schema, true, push);
    }
}

/// A named enum must be a string enum whose every value has a description, so it maps onto an open Rust enum.
fn lint_enum(at: &str, schema: &Value, push: &mut impl FnMut(&str, String)) {
    if schema["type"] != "string" {
        push(
            at,
            "an enum must be `type: string` to map onto an open Rust enum".into(),
        );
    }
    let described = schema["x-enum-descriptions"].as_object();
    for value in schema["enum"].as_array().into_iter().flatten() {
        let Some(value) = value.as_str() else {
            push(at, format!("enum value {value} is not a string"));
            continue;
        };
        if !described.is_some_and(|d| d.get(value).is_some_and(has_text)) {
            push(
                at,
                format!("enum value {value:?} has no entry in x-enum-descriptions"),
            );
        }
    }
}

/// Checks a schema and everything inline below it.
///
/// `top` is true for a named component schema, the only place an enum may be declared.
fn walk_schema(at: &str, schema: &Value, top: bool, push: &mut impl FnMut(&str, String)) {
    if schema.get("$ref").is_some() {
        return; // Described where it is declared.
    }
    if !has_text(&schema["description"]) {
        push(at, "has no description".into());
    }
    if !top && schema.get("enum").is_some() {
        push(
            at,
            "declares an enum inline; make it a named schema in components so it maps onto an open Rust enum".into(),
        );
    }
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let properties = schema["properties"].as_object();
    for name in &required {
        if !properties.is_some_and(|p| p.contains_key(*name)) {
            push(
                at,
                format!("requires {name:?}, which is not among its properties"),
            );
        }
    }
    for (name, property) in properties.into_iter().flatten() {
        walk_schema(&format!("{at}.{name}"), property, false, push);
    }
    if let Some(items) = schema.get("items") {
        walk_schema(&format!("{at}[]"), items, false, push);
    }
    if let Some(extra) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        walk_schema(&format!("{at}{{*}}"), extra, false, push);
    }
}

/// A response's body schema, as text that is equal for equal schemas; "no body" when there is none.
fn response_shape(response: &Value, named: &serde_json::Map<String, Value>) -> String {
    let response = match response["$ref"].as_str() {
        Some(r) => named
            .get(r.trim_start_matches("#/components/responses/"))
            .unwrap_or(&Value::Null),
        None => response,
    };
    match response["content"]["application/json"].get("schema") {
        None => "no body".into(),
        Some(schema) => match schema["$ref"].as_str() {
            Some(r) => r.trim_start_matches("#/components/schemas/").to_string(),
            None => schema.to_string(),
        },
    }
}

fn resolve<'a>(value: &'a Value, doc: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(r) => r
            .trim_start_matches("#/")
            .split('/')
            .fold(doc, |node, key| &node[key]),
        None => value,
    }
}

fn has_text(value: &Value) -> bool {
    value.as_str().is_some_and(|s| !s.trim().is_empty())
}

fn is_snake_case(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !id.contains("__")
        && !id.ends_with('_')
}

/// One operation of the document.
pub struct Operation<'a> {
    pub path: &'a str,
    pub method: &'a str,
    pub id: Option<String>,
    pub body: &'a Value,
    params: Vec<&'a Value>,
}

impl Operation<'_> {
    pub fn label(&self) -> String {
        match &self.id {
            Some(id) => format!(
                "operation {id} ({} {})",
                self.method.to_uppercase(),
                self.path
            ),
            None => format!("operation {} {}", self.method.to_uppercase(), self.path),
        }
    }
}

/// Every operation, in document order.
pub fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        let shared: Vec<&Value> = item["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .collect();
        for method in METHODS {
            let Some(body) = item.get(method) else {
                continue;
            };
            let mut params = shared.clone();
            params.extend(body["parameters"].as_array().into_iter().flatten());
            ops.push(Operation {
                path,
                method,
                id: body["operationId"].as_str().map(str::to_string),
                body,
                params,
            });
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn the_spec() -> Value {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/vcsa-backup.yaml"
        ))
        .unwrap();
        crate::spec::parse(&text).unwrap().raw
    }

    fn rules(doc: &Value) -> Vec<String> {
        lint(doc).into_iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn the_project_spec_is_clean() {
        assert_eq!(rules(&the_spec()), Vec::<String>::new());
    }

    #[test]
    fn openapi_3_1_is_rejected() {
        let mut doc = the_spec();
        doc["openapi"] = "3.1.0".into();
        assert_eq!(
            rules(&doc),
            ["openapi: must be OpenAPI 3.0.x (progenitor rejects 3.1), found \"3.1.0\""]
        );
    }

    #[test]
    fn a_missing_twin_names_the_operation() {
        let mut doc = the_spec();
        doc["paths"]["/rest/appliance/recovery/backup/parts"]["get"]["operationId"] =
            "rest_parts".into();
        let found = rules(&doc);
        assert!(found.contains(&"operation list_parts (GET /api/appliance/recovery/backup/parts): has no /rest twin named rest_list_parts".to_string()), "{found:?}");
        assert!(found.contains(&"operation rest_parts (GET /rest/appliance/recovery/backup/parts): has no /api twin named parts".to_string()), "{found:?}");
    }

    #[test]
    fn duplicate_and_badly_cased_ids_are_named() {
        let mut doc = the_spec();
        doc["paths"]["/api/appliance/recovery/backup/parts"]["get"]["operationId"] =
            "listJobs".into();
        doc["paths"]["/api/session"]["delete"]["operationId"] = "create_session".into();
        let found = rules(&doc);
        assert!(
            found
                .iter()
                .any(|p| p.contains("operationId \"listJobs\" is not snake_case")),
            "{found:?}"
        );
        assert!(found.iter().any(|p| p.contains("operationId \"create_session\" is already used by operation create_session (POST /api/session)")), "{found:?}");
    }

    #[test]
    fn two_error_schemas_are_rejected() {
        let mut doc = the_spec();
        doc["paths"]["/api/appliance/recovery/backup/job/{id}"]["get"]["responses"]["404"] = serde_json::json!({"description": "x", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RestError"}}}});
        let found = rules(&doc);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("operation get_job (GET /api/appliance/recovery/backup/job/{id}): must have exactly one error schema, has 2"), "{found:?}");
    }

    #[test]
    fn a_default_response_is_rejected() {
        let mut doc = the_spec();
        doc["paths"]["/api/appliance/recovery/backup/parts"]["get"]["responses"]["default"] =
            serde_json::json!({"$ref": "#/components/responses/ApiClientError"});
        let found = rules(&doc);
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("operation list_parts") && p.contains("`default` response")),
            "{found:?}"
        );
    }

    #[test]
    fn undescribed_properties_and_inline_enums_are_named() {
        let mut doc = the_spec();
        let props = &mut doc["components"]["schemas"]["Part"]["properties"];
        props["optional"]
            .as_object_mut()
            .unwrap()
            .remove("description");
        props["kind"] = serde_json::json!({"type": "string", "description": "k", "enum": ["A"]});
        let found = rules(&doc);
        assert_eq!(
            found,
            [
                "schema Part.kind: declares an enum inline; make it a named schema in components so it maps onto an open Rust enum",
                "schema Part.optional: has no description",
            ]
        );
    }

    #[test]
    fn enum_values_need_descriptions() {
        let mut doc = the_spec();
        doc["components"]["schemas"]["ReturnStatus"]["enum"]
            .as_array_mut()
            .unwrap()
            .push("MAYBE".into());
        assert_eq!(
            rules(&doc),
            ["schema ReturnStatus: enum value \"MAYBE\" has no entry in x-enum-descriptions"]
        );
    }
}
