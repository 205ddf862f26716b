//! The restore drill, end to end through the command on two simulators: back up appliance A,
//! give its catalog to a freshly deployed appliance B, validate and restore on B through an
//! outage in the restore's middle, reconcile, then `check` B. And each refusal of a restore
//! with its own message and exit code.

use std::process::Command;
use std::time::Duration;

use vcsa_backup_sim::{DEFAULT_RESTORE_USER, ReconciliationTiming, RestoreTiming, Simulator};

use crate::support::{Run, Sim};

const ROOT: &str = "sftp://nas.example.com/vcsa";
const SYSTEM_NAME: &str = "vcsa-a.example.com";
const FOLDER: &str =
    "sftp://nas.example.com/vcsa/vCenter/sn_vcsa-a.example.com/M_8.0.3.00400_20260518-020000_";
const ENCRYPTION: &str = "Backup!Pass1";
const SSO_USER: &str = "administrator@vsphere.local";

/// Appliance A after one encrypted backup into its layout.
fn backed_up_a() -> Sim {
    let a = Sim::start(
        Simulator::builder()
            .tls(false)
            .system_name(SYSTEM_NAME)
            .job_duration(Duration::from_millis(500)),
    );
    let run = Run::of(
        a.command()
            .env("VCSA_LOCATION_PASSWORD", "Secr3t!pw")
            .env("VCSA_BACKUP_PASSWORD", ENCRYPTION)
            .args([
                "backup",
                "--wait",
                "--location",
                FOLDER,
                "--location-user",
                "backup",
            ]),
    );
    println!("$ vcsa-backup backup --wait --location {FOLDER} --location-user backup\n{run}");
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        a.control().state().archives,
        1,
        "the backup is in A's catalog"
    );
    a
}

/// Appliance B, deployed and awaiting a restore, with A's catalog: its restore has `outage`
/// of each kind (no answer, sessions refused, 503) in its middle.
fn awaiting_b(a: &Sim, version: &str, outage: Duration) -> Sim {
    Sim::start(
        Simulator::builder()
            .tls(false)
            .version(version)
            .awaiting_restore(true)
            .import_catalog(a.control().export_catalog())
            .restore_timing(RestoreTiming {
                duration: Duration::from_secs(2),
                no_answer: outage,
                sessions_refused: outage,
                unavailable: outage,
            })
            .reconciliation_timing(ReconciliationTiming {
                duration: Duration::from_secs(2),
                ..ReconciliationTiming::default()
            }),
    )
}

/// The command against `sim` as root, the way a new appliance's management port takes it,
/// with the drill's passwords in the environment.
fn as_root(sim: &Sim) -> Command {
    let mut cmd = with_passwords(sim.command());
    cmd.env("VCSA_USER", DEFAULT_RESTORE_USER);
    cmd
}

/// The drill's passwords in the environment: the backup server's, the backup's encryption
/// password and the SSO administrator's.
fn with_passwords(mut cmd: Command) -> Command {
    cmd.env("VCSA_LOCATION_PASSWORD", "Secr3t!pw")
        .env("VCSA_BACKUP_PASSWORD", ENCRYPTION)
        .env("VCSA_SSO_PASSWORD", "Sso!Pass1");
    cmd
}

/// Runs the command and prints it with its output, as the drill's transcript.
fn step(mut cmd: Command, args: &[&str]) -> Run {
    let run = Run::of(cmd.args(args));
    println!("$ vcsa-backup {}\n{run}", args.join(" "));
    run
}

fn from_catalog(verb: &str) -> Vec<&str> {
    vec![
        "restore",
        verb,
        "--location",
        ROOT,
        "--system-name",
        SYSTEM_NAME,
        "--location-user",
        "backup",
    ]
}

#[test]
fn the_drill_backs_up_a_restores_into_b_through_an_outage_reconciles_and_checks_b() {
    let a = backed_up_a();
    let b = awaiting_b(&a, vcsa_backup_sim::DEFAULT_VERSION, Duration::from_secs(2));

    let validate = step(as_root(&b), &from_catalog("validate"));
    assert_eq!(validate.code, 0, "{validate}");
    assert!(validate.stdout.contains(SYSTEM_NAME), "{validate}");
    assert!(validate.stdout.contains("8.0.3.00400"), "{validate}");

    let mut start = from_catalog("start");
    start.extend(["--sso-user", SSO_USER, "--wait"]);
    let restore = step(as_root(&b), &start);
    assert_eq!(restore.code, 0, "{restore}");
    let recovery = b.control().state().recovery;
    println!("simulator B: {recovery:?}");
    assert_eq!(recovery.restores_started, 1, "started once, never twice");
    assert!(
        !recovery.awaiting_restore,
        "B is a configured appliance now"
    );
    let during_outage = recovery.unanswered + recovery.sessions_refused + recovery.unavailable;
    assert!(
        during_outage > 0,
        "the wait went on through the outage: {recovery:?}"
    );

    let reconcile = step(
        as_root(&b),
        &["reconcile", "start", "--sso-user", SSO_USER, "--wait"],
    );
    assert_eq!(reconcile.code, 0, "{reconcile}");
    assert_eq!(b.control().state().recovery.reconciliations_started, 1);

    let check = step(as_root(&b), &["check", "--no-schedule-ok"]);
    assert_eq!(check.code, 0, "{check}");
    assert!(check.stdout.starts_with("OK"), "{check}");
}

/// `restore validate` of one backup named by its folder.
fn folder_args(location: &str) -> Vec<&str> {
    vec![
        "restore",
        "validate",
        "--location",
        location,
        "--location-user",
        "backup",
    ]
}

#[test]
fn each_refusal_of_a_restore_has_its_own_message_and_exit_code() {
    let a = backed_up_a();
    let b = awaiting_b(&a, vcsa_backup_sim::DEFAULT_VERSION, Duration::ZERO);
    let older_b = awaiting_b(&a, "8.0.2.00100", Duration::ZERO);
    let missing = FOLDER.replace("20260518-020000", "20990101-000000");
    let wrong_password = {
        let mut cmd = as_root(&b);
        cmd.env("VCSA_BACKUP_PASSWORD", "Wrong!Pass1");
        cmd
    };
    // (what, command, arguments, exit code, words of the message)
    let cases: [(&str, Command, Vec<&str>, i32, &str); 4] = [
        (
            "a configured appliance",
            with_passwords(a.command()),
            {
                let mut start = from_catalog("start");
                start.extend(["--sso-user", SSO_USER]);
                start
            },
            2,
            "Restore is allowed only after deployment and before firstboot",
        ),
        (
            "no backup at the location",
            as_root(&b),
            folder_args(&missing),
            2,
            "No backup was found",
        ),
        (
            "a wrong encryption password",
            wrong_password,
            folder_args(FOLDER),
            2,
            "encryption password",
        ),
        (
            "a backup from a newer version",
            as_root(&older_b),
            folder_args(FOLDER),
            1,
            "newer than this appliance's version 8.0.2.00100",
        ),
    ];
    for (what, cmd, args, code, words) in cases {
        let run = step(cmd, &args);
        assert_eq!(run.code, code, "{what}: {run}");
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(said.contains(words), "{what}: {run}");
    }
    for sim in [&b, &older_b] {
        assert_eq!(sim.control().state().recovery.restores_started, 0);
    }
}
