//! No snapshot may hold a secret value: every `.snap` file is scanned for the passwords and tokens
//! the tests use, plain and in their wire encodings.

use vcsa_backup_tests::{secrets, spec};

#[test]
fn no_snapshot_contains_a_secret() {
    let dir = spec::workspace_root().join("tests/tests/snapshots");
    let mut scanned = 0;
    let mut leaks = Vec::new();
    for entry in
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
    {
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
        for secret in secrets::all() {
            if text.contains(&secret) {
                // Name the file and which secret, never the value itself.
                leaks.push(format!(
                    "{name} contains secret #{}",
                    secrets::all()
                        .iter()
                        .position(|s| *s == secret)
                        .unwrap_or(0)
                ));
            }
        }
        scanned += 1;
    }
    assert!(
        leaks.is_empty(),
        "secrets in snapshots:\n{}",
        leaks.join("\n")
    );
    assert!(
        scanned >= 40,
        "only {scanned} snapshots found in {}",
        dir.display()
    );
}

#[test]
fn the_scan_would_catch_a_leak() {
    // Guards the scanner itself: each secret is found inside text shaped like a snapshot.
    for secret in secrets::all() {
        let snapshot =
            format!("---\nsource: tests/tests/wire.rs\n---\nheaders:\n  x: \"{secret}\"\n");
        assert!(secrets::all().iter().any(|s| snapshot.contains(s.as_str())));
    }
    assert!(secrets::all().contains(&secrets::basic_authorization()["Basic ".len()..].to_string()));
}
