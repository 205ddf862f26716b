//! No snapshot of this crate holds a password the tests or the demo use.

use vcsa_backup_sim::DEFAULT_PASSWORD;

#[test]
fn no_snapshot_contains_a_password() {
    let secrets = [
        DEFAULT_PASSWORD,
        "Sftp-Pass-123",
        "Encrypt-Me-456!",
        "demo-sftp-password",
        "wrong-password",
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut scanned = 0;
    for entry in std::fs::read_dir(&dir).expect("the snapshot folder") {
        let path = entry.expect("a directory entry").path();
        let text = std::fs::read_to_string(&path).expect("a readable snapshot");
        for (index, secret) in secrets.iter().enumerate() {
            assert!(
                !text.contains(secret),
                "{} holds password #{index}",
                path.display()
            );
        }
        scanned += 1;
    }
    assert!(
        scanned >= 30,
        "only {scanned} snapshots in {}",
        dir.display()
    );
}
