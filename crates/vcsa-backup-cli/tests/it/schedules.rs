//! `schedule` and `archives` against the simulator, in both flavours: a schedule is created,
//! applied again with no change, checked for drift, changed, fires, leaves archives that are
//! listed and filtered, is pruned by retention, and is deleted.

use std::time::Duration;

use serde_json::Value;
use vcsa_backup_sim::{DEFAULT_SYSTEM_NAME, Simulator};

use crate::support::*;

const ROOT: &str = "sftp://nas.example.com/backups";
const DAY: Duration = Duration::from_secs(24 * 3600);

/// A simulator whose clock starts on Monday 2026-05-18 at 00:30 UTC.
fn on_monday() -> Sim {
    Sim::start(
        Simulator::builder()
            .tls(false)
            .start_time("2026-05-18T00:30:00Z".parse().unwrap())
            .job_duration(Duration::from_secs(60))
            .session_idle_timeout(40 * DAY),
    )
}

/// The binary in `flavour` with the backup server's password in the environment.
fn run(sim: &Sim, flavour: &str, args: &[&str]) -> Run {
    Run::of(
        sim.command()
            .env("VCSA_LOCATION_PASSWORD", "Nas-Pa55word")
            .args(["--flavour", flavour])
            .args(args),
    )
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run}"))
}

#[test]
fn a_schedule_from_apply_to_delete_in_both_flavours() {
    for flavour in ["api", "rest"] {
        let sim = on_monday();
        let nightly = [
            "schedule",
            "apply",
            "nightly",
            "--location",
            ROOT,
            "--location-user",
            "backup",
            "--part",
            "seat",
            "--at",
            "02:30",
            "--keep",
            "2",
        ];
        let created = run(&sim, flavour, &nightly);
        assert_eq!(created.code, 0, "{created}");
        assert!(
            created.stdout.contains("does not exist: create it"),
            "{created}"
        );
        assert!(!created.transcript().contains("Nas-Pa55word"), "{created}");

        let again = run(&sim, flavour, &nightly);
        assert_eq!(again.code, 0, "{again}");
        assert!(again.stdout.contains("already matches"), "{again}");
        let check = run(&sim, flavour, &[&nightly[..], &["--check"]].concat());
        assert_eq!(check.code, 0, "{flavour}: no drift: {check}");

        let weekdays = [&nightly[..], &["--days", "mon,wed,fri"]].concat();
        let drift = run(&sim, flavour, &[&weekdays[..], &["--check"]].concat());
        assert_eq!(drift.code, 1, "{flavour}: drift: {drift}");
        assert!(
            drift
                .stdout
                .contains("days: every day -> Monday, Wednesday and Friday"),
            "{drift}"
        );
        assert!(drift.stdout.contains("dry run"), "{drift}");
        let shown = json(&run(
            &sim,
            flavour,
            &["--output", "json", "schedule", "show", "nightly"],
        ));
        assert_eq!(
            shown["days"],
            serde_json::json!([]),
            "--check changed nothing"
        );

        let changed = run(&sim, flavour, &weekdays);
        assert_eq!(changed.code, 0, "{changed}");
        assert!(changed.stdout.contains("update 1 setting"), "{changed}");
        let doc = json(&run(
            &sim,
            flavour,
            &[
                "--output",
                "json",
                "schedule",
                "apply",
                "nightly",
                "--location",
                ROOT,
                "--location-user",
                "backup",
                "--part",
                "seat",
                "--at",
                "02:30",
                "--keep",
                "2",
                "--days",
                "mon,wed,fri",
            ],
        ));
        assert_eq!(doc["action"], "unchanged", "{doc}");

        // An update changes only what it names.
        let kept = run(
            &sim,
            flavour,
            &["schedule", "update", "nightly", "--keep", "3"],
        );
        assert_eq!(kept.code, 0, "{kept}");
        let shown = json(&run(
            &sim,
            flavour,
            &["--output", "json", "schedule", "show", "nightly"],
        ));
        assert_eq!(shown["at"], "02:30");
        assert_eq!(
            shown["days"],
            serde_json::json!(["MONDAY", "WEDNESDAY", "FRIDAY"])
        );
        assert_eq!(shown["keep"], 3);
        assert_eq!(shown["time_zone"], "UTC");
        assert_eq!(shown["next_run"], "2026-05-18T02:30:00Z", "{shown}");

        let list = run(&sim, flavour, &["schedule", "list"]);
        assert_eq!(list.code, 0, "{list}");
        assert!(
            list.stdout
                .contains("Monday, Wednesday and Friday at 02:30 UTC"),
            "{list}"
        );

        // A week: Monday, Wednesday and Friday fire; Saturday's pass keeps the newest 3.
        sim.control().advance_clock(7 * DAY);
        let archives = run(
            &sim,
            flavour,
            &[
                "--output",
                "json",
                "archives",
                "list",
                "--location",
                ROOT,
                "--location-user",
                "backup",
            ],
        );
        assert_eq!(archives.code, 0, "{archives}");
        let doc = json(&archives);
        let ids: Vec<&str> = doc["archives"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "S_8.0.3.00400_20260522-023000_",
                "S_8.0.3.00400_20260520-023000_",
                "S_8.0.3.00400_20260518-023000_",
            ],
            "{flavour}"
        );
        assert!(
            doc["archives"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a["system_name"] == DEFAULT_SYSTEM_NAME && a["kind"] == "scheduled")
        );
        let table = run(
            &sim,
            flavour,
            &[
                "archives",
                "list",
                "--location",
                ROOT,
                "--location-user",
                "backup",
                "--since",
                "2026-05-19",
                "--until",
                "2026-05-21",
                "--limit",
                "5",
            ],
        );
        assert_eq!(table.code, 0, "{table}");
        assert!(
            table.stdout.contains("S_8.0.3.00400_20260520-023000_"),
            "{table}"
        );
        assert_eq!(
            table.stdout.lines().count(),
            2,
            "a header and one backup: {table}"
        );
        let show = run(
            &sim,
            flavour,
            &[
                "archives",
                "show",
                "--location",
                ROOT,
                "--location-user",
                "backup",
                DEFAULT_SYSTEM_NAME,
                ids[0],
            ],
        );
        assert_eq!(show.code, 0, "{show}");
        assert!(show.stdout.contains("seat"), "{show}");

        let deleted = run(&sim, flavour, &["schedule", "delete", "nightly"]);
        assert_eq!(deleted.code, 0, "{deleted}");
        let gone = run(&sim, flavour, &["schedule", "show", "nightly"]);
        assert_eq!(gone.code, 2, "{gone}");
        assert!(gone.stderr.contains("schedule list"), "{gone}");
    }
}

#[test]
fn removing_a_setting_needs_recreate() {
    let sim = on_monday();
    let base = [
        "schedule",
        "apply",
        "nightly",
        "--location",
        ROOT,
        "--location-user",
        "backup",
        "--at",
        "02:30",
    ];
    assert_eq!(
        run(&sim, "api", &[&base[..], &["--keep", "7"]].concat()).code,
        0
    );
    let blocked = run(&sim, "api", &base);
    assert_eq!(blocked.code, 2, "{blocked}");
    assert!(
        blocked.stdout.contains("cannot be brought to the spec"),
        "{blocked}"
    );
    assert!(blocked.stderr.contains("--recreate"), "{blocked}");
    let recreated = run(&sim, "api", &[&base[..], &["--recreate"]].concat());
    assert_eq!(recreated.code, 0, "{recreated}");
    assert!(
        recreated.stdout.contains("delete it and create it again"),
        "{recreated}"
    );
}

#[test]
fn bad_schedules_and_locations_exit_2_before_anything_is_sent() {
    let sim = on_monday();
    let bad = run(
        &sim,
        "api",
        &[
            "schedule",
            "create",
            "x",
            "--location",
            "gopher://nas/b",
            "--at",
            "24:60",
            "--days",
            "mon,funday",
            "--keep",
            "0",
        ],
    );
    assert_eq!(bad.code, 2, "{bad}");
    for says in [
        "--location:",
        "--at: 24 is not an hour",
        "--at: 60 is not a minute",
        "--days: \"funday\" is not a day",
        "--keep:",
    ] {
        assert!(bad.stderr.contains(says), "{says}: {bad}");
    }
    let time = run(
        &sim,
        "api",
        &["schedule", "update", "default", "--at", "2330"],
    );
    assert_eq!(time.code, 2, "{time}");
    assert!(time.stderr.contains("HH:MM"), "{time}");
    let bare = run(
        &sim,
        "api",
        &["archives", "list", "--location", "nas/backups"],
    );
    assert_eq!(bare.code, 2, "{bare}");
    assert!(bare.stderr.contains("sftp://nas/backups"), "{bare}");
    let nothing = run(&sim, "rest", &["archives", "list", "--location", ROOT]);
    assert_eq!(nothing.code, 2, "{nothing}");
    let unknown = run(&sim, "api", &["schedule", "delete", "weekly"]);
    assert_eq!(unknown.code, 2, "{unknown}");
}
