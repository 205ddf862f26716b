//! No snapshot may hold a secret value: every `.snap` file is scanned for the passwords and tokens
//! the tests use, plain and in their wire encodings.

use vcsa_backup_tests::{secrets, spec};

/// Which secrets (by their index in [`secrets::all`]) a text contains; the values themselves are
/// never printed.
fn leaked_secrets(text: &str) -> Vec<usize> {
    secrets::all()
        .iter()
        .enumerate()
        .filter(|(_, secret)| text.contains(secret.as_str()))
        .map(|(index, _)| index)
        .collect()
}

#[test]
fn no_snapshot_contains_a_secret() {
    let dir = spec::workspace_root().join("tests/tests/snapshots");
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut scanned = 0;
    let mut leaks = Vec::new();
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        // `.snap.new` files are pending snapshots: they must not leak either.
        if !(name.ends_with(".snap") || name.ends_with(".snap.new")) {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        for index in leaked_secrets(&text) {
            leaks.push(format!("{name} contains secret #{index} of secrets::all()"));
        }
        scanned += 1;
    }
    assert!(
        leaks.is_empty(),
        "secrets in snapshots:\n{}",
        leaks.join("\n")
    );
    // 20 wire snapshots, 17 seed examples, the inventory and the typed errors at least.
    assert!(
        scanned >= 40,
        "only {scanned} snapshots in {}",
        dir.display()
    );
}

#[test]
fn the_scan_catches_every_form_a_secret_takes_on_the_wire() {
    // An unredacted log-in request carries the credentials only base64-encoded.
    let basic = format!(
        "headers:\n  authorization: {}\n",
        secrets::basic_authorization()
    );
    assert!(!leaked_secrets(&basic).is_empty());
    for secret in [
        secrets::SESSION_TOKEN,
        secrets::ISSUED_TOKEN,
        secrets::BACKUP_PASSWORD,
        secrets::LOCATION_PASSWORD,
        secrets::SEED_BACKUP_PASSWORD,
        secrets::SEED_LOCATION_PASSWORD,
        secrets::GENERATED_PASSWORD,
    ] {
        assert!(!leaked_secrets(&format!("x: \"{secret}\"")).is_empty());
    }
    // And a redacted snapshot passes.
    assert!(
        leaked_secrets("authorization: \"Basic [redacted]\"\nuser: administrator@vsphere.local")
            .is_empty()
    );
}
