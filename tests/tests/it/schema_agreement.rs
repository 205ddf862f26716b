//! The generated Rust types and the spec describe the same data: for every component schema, the
//! Rust type's JSON schema (schemars 0.8, derived on the generated types) has exactly the spec's
//! properties, each with the same type family, required-ness and (where Rust can carry it) format.

use std::collections::BTreeSet;

use serde_json::Value;
use vcsa_backup_tests::{registry, spec};

/// Formats whose meaning survives into a Rust type (a string is just a string, whatever the spec
/// says about `uri`).
const CARRIED_FORMATS: [&str; 4] = ["date-time", "password", "int64", "double"];

/// A schema of the spec, with the document it lives in.
struct SpecSide<'a> {
    doc: &'a Value,
}

impl<'a> SpecSide<'a> {
    fn resolve(&self, schema: &'a Value) -> &'a Value {
        spec::resolve(self.doc, schema)
    }

    fn family(&self, schema: &'a Value) -> BTreeSet<String> {
        let schema = self.resolve(schema);
        match schema.get("type").and_then(Value::as_str) {
            Some(family) => BTreeSet::from([family.to_string()]),
            None if schema.get("properties").is_some()
                || schema.get("additionalProperties").is_some() =>
            {
                BTreeSet::from(["object".to_string()])
            }
            None => BTreeSet::from(["any".to_string()]),
        }
    }
}

/// A Rust type's schema, with the root that holds its definitions.
struct RustSide<'a> {
    root: &'a Value,
}

impl<'a> RustSide<'a> {
    /// Follows `$ref`s and single-member `allOf`s (schemars wraps a described reference in one),
    /// and drops the `null` branch of an `Option`.
    fn resolve(&self, schema: &'a Value) -> &'a Value {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference
                .strip_prefix("#/definitions/")
                .unwrap_or_else(|| panic!("unexpected reference {reference}"));
            return self.resolve(&self.root["definitions"][name]);
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(members) = schema.get(key).and_then(Value::as_array) {
                let non_null: Vec<&Value> = members
                    .iter()
                    .filter(|m| m.get("type").and_then(Value::as_str) != Some("null"))
                    .collect();
                if non_null.len() == 1 {
                    return self.resolve(non_null[0]);
                }
            }
        }
        schema
    }

    fn family(&self, schema: &'a Value) -> BTreeSet<String> {
        let schema = self.resolve(schema);
        if schema == &Value::Bool(true) {
            return BTreeSet::from(["any".to_string()]);
        }
        let mut families: BTreeSet<String> = match schema.get("type") {
            Some(Value::String(family)) => BTreeSet::from([family.clone()]),
            Some(Value::Array(families)) => families
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => BTreeSet::new(),
        };
        families.remove("null");
        if families.is_empty() {
            families.insert("any".to_string());
        }
        families
    }
}

fn required(schema: &Value) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

fn format(schema: &Value) -> Option<&str> {
    schema
        .get("format")
        .and_then(Value::as_str)
        .filter(|f| CARRIED_FORMATS.contains(f))
}

/// Compares one spec schema with one Rust schema, recursing into array items and map values
/// (not into named object schemas: each of those is compared on its own).
fn compare(
    at: &str,
    spec_side: &SpecSide<'_>,
    spec_schema: &Value,
    rust_side: &RustSide<'_>,
    rust_schema: &Value,
    problems: &mut Vec<String>,
) {
    let (s, r) = (
        spec_side.resolve(spec_schema),
        rust_side.resolve(rust_schema),
    );
    let (spec_family, rust_family) = (spec_side.family(s), rust_side.family(r));
    if spec_family != rust_family {
        problems.push(format!(
            "{at}: spec says {spec_family:?}, Rust says {rust_family:?}"
        ));
        return;
    }
    if format(s) != format(r) {
        problems.push(format!(
            "{at}: spec format {:?}, Rust format {:?}",
            format(s),
            format(r)
        ));
    }
    if let (Some(spec_items), Some(rust_items)) = (s.get("items"), r.get("items")) {
        compare(
            &format!("{at}[]"),
            spec_side,
            spec_items,
            rust_side,
            rust_items,
            problems,
        );
    }
    if let Some(spec_values @ Value::Object(_)) = s.get("additionalProperties") {
        match r.get("additionalProperties") {
            Some(rust_values) => compare(
                &format!("{at}{{}}"),
                spec_side,
                spec_values,
                rust_side,
                rust_values,
                problems,
            ),
            None => problems.push(format!("{at}: the spec's map is not a map in Rust")),
        }
    }
}

#[test]
fn registry_matches_spec() {
    let doc = spec::load();
    let in_spec: BTreeSet<&str> = spec::schemas(&doc).keys().map(String::as_str).collect();
    let entries = registry::all();
    let in_registry: BTreeSet<&str> = entries.iter().map(|e| e.name).collect();
    assert_eq!(
        in_spec, in_registry,
        "every component schema needs exactly one Rust type"
    );
    assert_eq!(
        entries.len(),
        in_registry.len(),
        "a schema is registered twice"
    );
}

#[test]
fn every_schema_agrees_with_its_rust_type() {
    let doc = spec::load();
    let spec_side = SpecSide { doc: &doc };
    let mut problems = Vec::new();
    let mut properties_checked = 0;

    for (name, spec_schema) in spec::schemas(&doc) {
        let entry = registry::get(name);
        let root = (entry.json_schema)();
        let rust_side = RustSide { root: &root };
        let at = format!("{name} ({})", entry.rust_type);
        compare(
            &at,
            &spec_side,
            spec_schema,
            &rust_side,
            &root,
            &mut problems,
        );

        let spec_properties = spec_schema.get("properties").and_then(Value::as_object);
        let rust_schema = rust_side.resolve(&root);
        let rust_properties = rust_schema.get("properties").and_then(Value::as_object);
        let (Some(spec_properties), Some(rust_properties)) = (spec_properties, rust_properties)
        else {
            if spec_properties.is_some() != rust_properties.is_some() {
                problems.push(format!("{at}: only one side has properties"));
            }
            continue;
        };

        let (spec_required, rust_required) = (required(spec_schema), required(rust_schema));
        for (property, spec_property) in spec_properties {
            let at = format!("{name}.{property}");
            let Some(rust_property) = rust_properties.get(property) else {
                problems.push(format!("{at}: missing from {}", entry.rust_type));
                continue;
            };
            compare(
                &at,
                &spec_side,
                spec_property,
                &rust_side,
                rust_property,
                &mut problems,
            );
            let (in_spec, in_rust) = (
                spec_required.contains(property),
                rust_required.contains(property),
            );
            if in_spec != in_rust {
                problems.push(format!(
                    "{at}: required in spec {in_spec}, in Rust {in_rust}"
                ));
            }
            properties_checked += 1;
        }
        for property in rust_properties.keys() {
            if !spec_properties.contains_key(property) {
                problems.push(format!(
                    "{name}.{property}: in {} but not in the spec",
                    entry.rust_type
                ));
            }
        }
    }

    assert!(
        problems.is_empty(),
        "the Rust types disagree with the spec:\n{}",
        problems.join("\n")
    );
    let in_spec: usize = spec::schemas(&doc)
        .values()
        .filter_map(|schema| schema.get("properties").and_then(Value::as_object))
        .map(|properties| properties.len())
        .sum();
    assert_eq!(
        properties_checked, in_spec,
        "every property of the spec was compared"
    );
}
