//! The secret values the tests put on the wire or into fixtures.
//!
//! Every one of them must reach the wire where it belongs and must never appear in a snapshot;
//! `tests/tests/it/snapshot_secrets.rs` scans every snapshot of the workspace for [`all`], for
//! [`ELSEWHERE`] and for the literals [`crate::secret_scan::harvest`] finds in the sources.

use base64::Engine as _;

/// The user name for log in (not a secret; it appears in snapshots on purpose).
pub const USER: &str = "administrator@vsphere.local";
/// The log-in password sent through HTTP Basic.
pub const PASSWORD: &str = "Wire-Login-Pa55!";
/// The session token the tests install and expect in `vmware-api-session-id`.
pub const SESSION_TOKEN: &str = "5e55-wire-t0ken-b7c3e2f0";
/// The token the loopback server hands out on log in.
pub const ISSUED_TOKEN: &str = "155ued-t0ken-9d41a07c";
/// The backup encryption password sent in backup requests.
pub const BACKUP_PASSWORD: &str = "Wire-Bkp-Pa55!";
/// The backup location password sent in backup requests.
pub const LOCATION_PASSWORD: &str = "Wire-Loc-Pa55!";
/// The SSO administrator's password sent in restore and reconciliation requests.
pub const SSO_PASSWORD: &str = "Wire-Sso-Pa55!";
/// The backup password of the repaired vendor request example (`tests/fixtures/seeds`).
pub const SEED_BACKUP_PASSWORD: &str = "Seed-Bkp-Pa55!";
/// The location password of the repaired vendor request example (`tests/fixtures/seeds`).
pub const SEED_LOCATION_PASSWORD: &str = "Seed-Loc-Pa55!";
/// What the instance generator puts into every `format: password` field.
pub const GENERATED_PASSWORD: &str = "Gen-Inst-Pa55!";

/// Passwords and tokens the other crates' tests, doc examples and demo use, listed here as well as
/// harvested from their sources: some are built at run time (`format!("token-{n}")`), some sit
/// where the harvest does not look (a file written by a test), and the list keeps them scanned if
/// a source changes shape.
pub const ELSEWHERE: &[&str] = &[
    // vcsa-backup-sim: the default password, the doc example's, and its tests'.
    "VMware1!",
    "S3cret!pass",
    "Pa55word!",
    "Corr3ct!pw",
    "Secr3t!pw",
    // vcsa-backup: its tests' and doc examples' passwords, and the tokens its mock servers issue.
    "Sup3r-Secret!",
    "Appliance-Pa55word!",
    "Nas-Pa55word!",
    "Wr0ng-Passw0rd",
    "L0cation-Pass",
    "Backup-2024!",
    "hunter2",
    "s3cret",
    "token-1",
    "token-2",
    "session-token-1",
    "session-token-2",
    "tok-abc-123",
    "token-from-test-server",
    // vcsa-backup-cli: its tests' password files and the demo's location password.
    "Sftp-Pass-123",
    "Encrypt-Me-456!",
    "demo-sftp-password",
    "wrong-password",
];

/// The `Authorization` value HTTP Basic log in must send for [`USER`] and [`PASSWORD`].
pub fn basic_authorization() -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    format!("Basic {encoded}")
}

/// A value as a query string carries it (`application/x-www-form-urlencoded`): the `/rest` catalog
/// sends the location password there.
pub fn form_encoded(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Every secret value, plain and in the encoded forms it takes on the wire.
pub fn all() -> Vec<String> {
    let mut values: Vec<String> = [
        PASSWORD,
        SESSION_TOKEN,
        ISSUED_TOKEN,
        BACKUP_PASSWORD,
        LOCATION_PASSWORD,
        SSO_PASSWORD,
        SEED_BACKUP_PASSWORD,
        SEED_LOCATION_PASSWORD,
        GENERATED_PASSWORD,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let encoded: Vec<String> = values
        .iter()
        .map(|value| form_encoded(value))
        .filter(|encoded| !values.contains(encoded))
        .collect();
    values.extend(encoded);
    let basic = basic_authorization();
    values.push(basic.trim_start_matches("Basic ").to_string());
    values
}
