//! No snapshot anywhere in the workspace may hold a secret: every `.snap` and `.snap.new` file
//! (every crate's `tests/snapshots` and `src/snapshots`, this crate's, any other; `target/`
//! skipped) is scanned for every password and token the workspace's tests use, plain and inside
//! HTTP Basic credentials. See `vcsa_backup_tests::secret_scan` for where the list comes from.

use std::path::Path;

use base64::Engine as _;
use vcsa_backup_tests::secret_scan::{self, harvest, leaked, scan};
use vcsa_backup_tests::{secrets, spec};

#[test]
fn no_snapshot_in_the_workspace_contains_a_secret() {
    let root = spec::workspace_root();
    let secrets = secret_scan::workspace_secrets(&root);
    let (leaks, scanned) = scan(&root, &secrets);
    assert!(
        leaks.is_empty(),
        "secrets in snapshots (index into secret_scan::workspace_secrets):\n{}",
        leaks.join("\n")
    );

    // The scan reaches beyond this crate: every crate's snapshot folder is part of it.
    let files = secret_scan::snapshot_files(&root);
    assert_eq!(files.len(), scanned);
    let own = files
        .iter()
        .filter(|f| f.starts_with(root.join("tests")))
        .count();
    // 20 wire and 20 decode snapshots, 17 seed examples, the inventory and the typed errors.
    assert!(own >= 60, "only {own} snapshots of this crate were scanned");
    let crates_dir = root.join("crates");
    let other_crates: std::collections::BTreeSet<_> = files
        .iter()
        .filter_map(|f| f.strip_prefix(&crates_dir).ok())
        .filter_map(|f| f.components().next())
        .collect();
    assert!(
        !other_crates.is_empty(),
        "no snapshot of crates/* was scanned"
    );
    assert!(
        files.iter().all(|f| !f.starts_with(root.join("target"))),
        "build output is not scanned"
    );
}

/// The harvest finds the other crates' passwords in their sources, so a new test password is
/// scanned for without being listed anywhere.
#[test]
fn the_harvest_reads_the_other_crates_sources() {
    let harvested = secret_scan::harvest_sources(&spec::workspace_root());
    // Values defined only in other crates' sources; listed in ELSEWHERE too, but the harvest must
    // find them on its own (if one is renamed there, pick another literal defined the same way).
    let defined_elsewhere = ["Nas-Pa55word!", "Appliance-Pa55word!", "Wr0ng-Passw0rd"];
    let found = defined_elsewhere
        .iter()
        .filter(|value| harvested.contains(**value))
        .count();
    assert!(
        found >= 2,
        "the harvest found {found} of {} known passwords of the other crates ({} values in all)",
        defined_elsewhere.len(),
        harvested.len()
    );
    // This crate's own constants are found the same way.
    for own in [
        secrets::PASSWORD,
        secrets::SESSION_TOKEN,
        secrets::ISSUED_TOKEN,
    ] {
        assert!(
            harvested.contains(own),
            "this crate's constant is not harvested"
        );
    }
}

#[test]
fn the_harvest_knows_every_place_a_password_is_written() {
    let source = r#"
        const PASSWORD: &str = "Const-Pa55!";
        pub static SESSION_TOKEN: &'static str = "St4tic-T0ken";
        let auth = Auth::with_credentials("root", Secret::new("Secret-New-1"));
        let other: Secret = Secret::from("Secret-From-2");
        server.password("Builder-Pa55");
        request.backup_password("Backup-Pa55");
        http.basic_auth("u@example.com", Some("Basic-Pa55"));
        json!({"location_password": "Json-Pa55", "parts": []});
        command.env("VCSA_PASSWORD", "Env-Pa55");
        command.args(["--password", "Arg-Pa55", "--password-file", "/tmp/pw"]);
        for secret in [PASSWORD, "List-Pa55-1", "List-Pa55-2"] {}
        let secrets = ["Let-List-Pa55"];
        // Not secrets: too short, a plain word, a format string, ordinary literals.
        Secret::new("x");
        Secret::new("secret");
        let token = format!("session-token-{n}");
        let flags = ["--user", "--password", "--http"];
        let name = "Not-A-Secret-Name";
        assert!(!text.contains("the password was echoed"));
    "#;
    let found: Vec<String> = harvest(source).into_iter().collect();
    assert_eq!(
        found,
        [
            "Arg-Pa55",
            "Backup-Pa55",
            "Basic-Pa55",
            "Builder-Pa55",
            "Const-Pa55!",
            "Env-Pa55",
            "Json-Pa55",
            "Let-List-Pa55",
            "List-Pa55-1",
            "List-Pa55-2",
            "Secret-From-2",
            "Secret-New-1",
            "St4tic-T0ken",
        ]
    );
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("create the folder");
    std::fs::write(path, text).expect("write the file");
}

/// The guard: in a workspace where one snapshot leaks, the scan fails, wherever the snapshot sits
/// and whatever form the secret takes; build output is left alone.
#[test]
fn the_scan_fails_when_a_secret_leaks_anywhere() {
    let dir = tempfile::tempdir().expect("a temporary workspace");
    let root = dir.path();
    // A test of some crate uses a password the explicit lists have never heard of.
    write(
        &root.join("crates/newcomer/tests/login.rs"),
        r#"let auth = Auth::with_credentials("root", Secret::new("Guard-Pa55-7"));"#,
    );
    let basic = base64::engine::general_purpose::STANDARD.encode("root:Guard-Pa55-7");
    write(
        &root.join("crates/newcomer/tests/snapshots/login__plain.snap"),
        "---\nsource: tests/login.rs\n---\nbody: Guard-Pa55-7\n",
    );
    write(
        &root.join("crates/newcomer/src/snapshots/newcomer__unit__basic.snap.new"),
        &format!("headers:\n  authorization: Basic {basic}\n"),
    );
    write(
        &root.join("tests/tests/snapshots/wire__token.snap"),
        &format!("vmware-api-session-id: {}\n", secrets::SESSION_TOKEN),
    );
    // A password in a /rest catalog query string arrives form-encoded (`!` as `%21`).
    write(
        &root.join("tests/tests/snapshots/wire__query.snap"),
        &format!(
            "target: /rest/x?loc_spec.location_password={}\n",
            secrets::form_encoded(secrets::LOCATION_PASSWORD)
        ),
    );
    write(
        &root.join("crates/newcomer/tests/snapshots/login__clean.snap"),
        "authorization: \"Basic [redacted]\"\nuser: root\n",
    );
    write(
        &root.join("target/debug/build/out/leak.snap"),
        "Guard-Pa55-7",
    );

    let secrets = secret_scan::workspace_secrets(root);
    assert!(secrets.iter().any(|s| s == "Guard-Pa55-7"), "harvested");
    let (leaks, scanned) = scan(root, &secrets);
    assert_eq!(scanned, 5, "every snapshot outside target/ and only those");
    let leaking_files: std::collections::BTreeSet<&str> = leaks
        .iter()
        .map(|line| line.split(" holds ").next().expect("a file name"))
        .collect();
    assert_eq!(
        leaking_files.into_iter().collect::<Vec<_>>(),
        [
            "crates/newcomer/src/snapshots/newcomer__unit__basic.snap.new",
            "crates/newcomer/tests/snapshots/login__plain.snap",
            "tests/tests/snapshots/wire__query.snap",
            "tests/tests/snapshots/wire__token.snap",
        ]
    );
    // The report names the file and an index, never the value.
    assert!(leaks.iter().all(|line| !line.contains("Guard-Pa55-7")));
}

#[test]
fn every_listed_secret_is_caught_in_every_form() {
    let all = secret_scan::workspace_secrets(&spec::workspace_root());
    for (index, secret) in all.iter().enumerate() {
        assert!(
            leaked(&format!("x: \"{secret}\""), &all).contains(&index),
            "secret #{index}"
        );
    }
    for (index, value) in secrets::ELSEWHERE.iter().enumerate() {
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("user:{value}"));
        assert!(
            !leaked(&format!("authorization: Basic {basic}"), &all).is_empty(),
            "ELSEWHERE #{index} inside HTTP Basic"
        );
        let query = format!("?password={}", secrets::form_encoded(value));
        assert!(
            !leaked(&query, &all).is_empty(),
            "ELSEWHERE #{index} form-encoded in a query string"
        );
    }
    // This crate's log in, unredacted.
    assert!(!leaked(&secrets::basic_authorization(), &all).is_empty());
    // A redacted snapshot passes.
    assert!(
        leaked(
            "authorization: \"Basic [redacted]\"\nuser: administrator@vsphere.local",
            &all
        )
        .is_empty()
    );
}
