//! `restore` and `reconcile` against simulators: appliance A's backup restored into B, which
//! awaits a restore, through a short outage; and the refusals with their exit codes.

use crate::support;

use std::time::Duration;

use support::Sim;
use vcsa_backup_sim::{RestoreTiming, Simulator};

const SYSTEM: &str = "vcsa-a.example.com";
const ROOT: &str = "sftp://nas.example.com/vcsa";

/// A after one backup into its layout, and the backup's folder.
fn backed_up_a() -> (Sim, String) {
    let a = Sim::start(
        Simulator::builder()
            .tls(false)
            .system_name(SYSTEM)
            .job_duration(Duration::ZERO),
    );
    let folder = format!("{ROOT}/vCenter/sn_{SYSTEM}/M_8.0.3.00400_20260518-020000_");
    a.start_backup(&folder);
    (a, folder)
}

/// B, awaiting a restore, knowing A's catalog; a restore with an outage of a second of each kind.
fn awaiting_b(a: &Sim) -> Sim {
    let second = Duration::from_secs(1);
    Sim::start(
        Simulator::builder()
            .tls(false)
            .awaiting_restore(true)
            .user("root")
            .import_catalog(a.control().export_catalog())
            .restore_timing(RestoreTiming {
                duration: 2 * second,
                no_answer: second,
                sessions_refused: second,
                unavailable: second,
            }),
    )
}

#[test]
fn a_configured_appliance_refuses_a_restore_with_exit_code_2() {
    let (a, folder) = backed_up_a();
    let run = a.run(&["restore", "start", "--location", &folder]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .contains("does not allow this in its current state"),
        "{run}"
    );
    assert_eq!(a.control().state().recovery.restores_started, 0);
}

#[test]
fn a_backup_is_validated_then_restored_through_an_outage_once() {
    let (a, folder) = backed_up_a();
    let b = awaiting_b(&a);
    let root = |args: &[&str]| {
        let mut all = vec!["--user", "root"];
        all.extend_from_slice(args);
        b.run(&all)
    };

    let check = root(&["-o", "json", "restore", "validate", "--location", &folder]);
    assert_eq!(check.code, 0, "{check}");
    let doc: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(doc["applicable"], true);
    assert_eq!(doc["system_name"], SYSTEM);

    let missing = root(&[
        "restore",
        "validate",
        "--location",
        ROOT,
        "--system-name",
        SYSTEM,
        "--archive",
        "M_8.0.3.00400_20200101-000000_",
    ]);
    assert_eq!(missing.code, 2, "no backup there: {missing}");

    let restore = {
        // The SSO password comes from the environment here, as in scripts.
        let mut cmd = b.command();
        cmd.env("VCSA_SSO_PASSWORD", "Sso!Pass1").args([
            "--user",
            "root",
            "restore",
            "start",
            "--location",
            &folder,
            "--sso-user",
            "administrator@vsphere.local",
            "--wait",
        ]);
        support::Run::of(&mut cmd)
    };
    assert_eq!(restore.code, 0, "{restore}");
    assert!(restore.stdout.contains("succeeded"), "{restore}");
    // Off a terminal, one plain line per change, as a backup's.
    assert!(
        restore.stderr.contains("restore: in progress "),
        "{restore}"
    );
    let recovery = b.control().state().recovery;
    assert_eq!(recovery.restores_started, 1, "started once");
    assert!(!recovery.awaiting_restore);
}
