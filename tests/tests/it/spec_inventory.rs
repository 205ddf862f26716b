//! The spec as a reviewer sees it: one line per operation, and the facts the hand-written parts of
//! the client must agree with (who logs in with HTTP Basic, which values each open enum knows).

use std::collections::BTreeSet;

use vcsa_backup_api::hooks::BASIC_AUTH_OPERATIONS;
use vcsa_backup_tests::{registry, spec};

/// The one success schema and the one error schema of an operation (progenitor's limit).
fn success_and_error(doc: &serde_json::Value, op: &spec::Operation<'_>) -> (String, String) {
    let mut success = BTreeSet::new();
    let mut success_codes = Vec::new();
    let mut errors = BTreeSet::new();
    for (status, response) in op.responses(doc) {
        let schema = spec::response_schema_name(response);
        if spec::is_success_status(&status) {
            success_codes.push(status);
            success.insert(schema.unwrap_or_else(|| "(no body)".to_string()));
        } else {
            errors.insert(schema.unwrap_or_else(|| "(no body)".to_string()));
        }
    }
    assert_eq!(success.len(), 1, "{}: success schemas {success:?}", op.id);
    assert_eq!(errors.len(), 1, "{}: error schemas {errors:?}", op.id);
    let success = format!(
        "{} {}",
        success_codes.join("|"),
        success.into_iter().next().unwrap_or_default()
    );
    (success, errors.into_iter().next().unwrap_or_default())
}

#[test]
fn inventory() {
    let doc = spec::load();
    let operations = spec::operations(&doc);
    assert_eq!(operations.len(), 54, "both flavours of the 27 operations");

    let rows: Vec<[String; 5]> = operations
        .iter()
        .map(|op| {
            let (success, error) = success_and_error(&doc, op);
            [
                op.method.clone(),
                op.path.clone(),
                op.id.clone(),
                success,
                error,
            ]
        })
        .collect();
    let header = [
        "METHOD".to_string(),
        "PATH".to_string(),
        "OPERATION".to_string(),
        "SUCCESS".to_string(),
        "ERROR".to_string(),
    ];
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    let lines: Vec<String> = std::iter::once(&header)
        .chain(&rows)
        .map(|row| {
            row.iter()
                .zip(widths)
                .map(|(cell, width)| format!("{cell:width$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn operation_ids_are_unique_and_every_api_operation_has_its_rest_twin() {
    let doc = spec::load();
    let ids: Vec<String> = spec::operations(&doc).into_iter().map(|op| op.id).collect();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate operationIds in {ids:?}");
    let (rest, api): (Vec<&String>, Vec<&String>) =
        ids.iter().partition(|id| id.starts_with("rest_"));
    let twins: BTreeSet<String> = api.iter().map(|id| format!("rest_{id}")).collect();
    let rest: BTreeSet<String> = rest.into_iter().cloned().collect();
    assert_eq!(twins, rest);
}

#[test]
fn basic_auth_operations_are_exactly_the_hooks_list() {
    let doc = spec::load();
    let from_spec: BTreeSet<String> = spec::operations(&doc)
        .iter()
        .filter(|op| op.security_schemes(&doc).contains(&"basicAuth".to_string()))
        .map(|op| op.id.clone())
        .collect();
    let from_hooks: BTreeSet<String> = BASIC_AUTH_OPERATIONS
        .iter()
        .map(|id| id.to_string())
        .collect();
    assert_eq!(from_spec, from_hooks);
    // Everything else must use the session: the hook sends the session header to every other one.
    for op in spec::operations(&doc) {
        let schemes = op.security_schemes(&doc);
        if !from_hooks.contains(&op.id) {
            assert_eq!(
                schemes,
                ["sessionId"],
                "{} must be secured by the session",
                op.id
            );
        } else {
            assert_eq!(
                schemes,
                ["basicAuth"],
                "{} must be secured by HTTP Basic only",
                op.id
            );
        }
    }
}

#[test]
fn every_open_enum_knows_the_spec_values_in_order() {
    let doc = spec::load();
    let mut checked = 0;
    for (name, schema) in spec::schemas(&doc) {
        if !spec::is_enum(schema) {
            continue;
        }
        let entry = registry::get(name);
        let known = entry.known.unwrap_or_else(|| {
            panic!(
                "{name} is an enum in the spec but {} is not an open enum",
                entry.rust_type
            )
        })();
        assert_eq!(
            known,
            spec::enum_values(schema),
            "{name} ({})",
            entry.rust_type
        );
        checked += 1;
    }
    assert_eq!(checked, 10, "the spec's ten enums");
    // And the registry claims no open enum for a schema that is not an enum.
    for entry in registry::all() {
        if entry.known.is_some() {
            assert!(
                spec::is_enum(&spec::schemas(&doc)[entry.name]),
                "{} is not an enum",
                entry.name
            );
        }
    }
}
