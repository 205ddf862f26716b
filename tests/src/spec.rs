//! The OpenAPI spec (`spec/vcsa-backup.yaml`), read as plain JSON so tests can walk it freely.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// The HTTP methods an OpenAPI path item may hold, in the order the inventory lists them.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives inside the workspace")
        .to_path_buf()
}

/// The spec document, parsed from YAML with `serde-saphyr`.
///
/// Panics with the parser's message when the file is missing or invalid: every test that reads
/// the spec must fail loudly then.
pub fn load() -> Value {
    let path = workspace_root().join("spec/vcsa-backup.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_saphyr::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()))
}

/// Follows `$ref` (local JSON pointers only) until a value that is not a reference.
pub fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    // A cycle of bare references would loop forever; the spec has none, and 32 hops is plenty.
    for _ in 0..32 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference
                    .strip_prefix('#')
                    .unwrap_or_else(|| panic!("only local references are supported: {reference}"));
                value = doc
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("dangling reference {reference}"));
            }
            None => return value,
        }
    }
    panic!("reference chain too long (a cycle?)")
}

/// The component schema name a `$ref` points to, if the value is such a reference.
pub fn ref_name(value: &Value) -> Option<&str> {
    value
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// `components.schemas` of the spec.
pub fn schemas(doc: &Value) -> &Map<String, Value> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .expect("the spec has components.schemas")
}

/// Whether a (resolved) schema is an enumeration.
pub fn is_enum(schema: &Value) -> bool {
    schema.get("enum").is_some()
}

/// The enum values of a schema, in the spec's order.
pub fn enum_values(schema: &Value) -> Vec<String> {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|values| {
            values
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// One operation of the spec.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// Upper-case HTTP method.
    pub method: String,
    /// The path key, including any fixed query such as `?action=run`.
    pub path: String,
    /// The operationId.
    pub id: String,
    /// The operation object itself.
    pub body: &'a Value,
}

impl Operation<'_> {
    /// The names of the security schemes that apply (the operation's own, else the document's).
    pub fn security_schemes(&self, doc: &Value) -> Vec<String> {
        let security = self.body.get("security").or_else(|| doc.get("security"));
        security
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .flat_map(|requirement| requirement.keys().cloned())
            .collect()
    }

    /// `(status, response object)` for every response, references resolved.
    pub fn responses<'d>(&self, doc: &'d Value) -> Vec<(String, &'d Value)>
    where
        Self: 'd,
    {
        self.body
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(status, response)| (status.clone(), resolve(doc, response)))
            .collect()
    }
}

/// Every operation, ordered by path and then method.
pub fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .expect("the spec has paths");
    let mut operations = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            if let Some(body) = item.get(method) {
                let id = body
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
                operations.push(Operation {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    id: id.to_string(),
                    body,
                });
            }
        }
    }
    operations
}

/// The schema name of a response's JSON body, `None` for a response without a body.
///
/// An inline (unnamed) body schema is named `inline`.
pub fn response_schema_name(response: &Value) -> Option<String> {
    let schema = response.pointer("/content/application~1json/schema")?;
    Some(ref_name(schema).unwrap_or("inline").to_string())
}

/// Whether a status key (`200`, `4XX`, `default`) denotes success.
pub fn is_success_status(status: &str) -> bool {
    status.starts_with('2')
}

/// The request target follows the spec's path: fixed segments equal, `{param}` segments filled,
/// and the path's fixed query (`?action=run`) present. Panics naming the difference.
pub fn assert_matches_template(template: &str, target: &str) {
    let (template_path, template_query) = template.split_once('?').unwrap_or((template, ""));
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let template_segments: Vec<&str> = template_path.split('/').collect();
    let segments: Vec<&str> = path.split('/').collect();
    assert_eq!(
        template_segments.len(),
        segments.len(),
        "{target} does not follow {template}"
    );
    for (expected, actual) in template_segments.iter().zip(&segments) {
        if expected.starts_with('{') {
            assert!(!actual.is_empty(), "{target}: {expected} is empty");
        } else {
            assert_eq!(expected, actual, "{target} does not follow {template}");
        }
    }
    let pairs: Vec<&str> = query.split('&').collect();
    for fixed in template_query.split('&').filter(|p| !p.is_empty()) {
        assert!(
            pairs.contains(&fixed),
            "{target} lacks the fixed query {fixed} of {template}"
        );
    }
}
