//! `schedule` and `archives` against the simulator, in both flavours: a schedule is created,
//! applied again without change, checked for drift, changed, fires on the simulator's clock,
//! leaves archives that the catalog lists and filters, is pruned by retention, and is deleted.
//! Both flavours must print the same, so they share each snapshot.

use crate::support;

use std::time::Duration;

use chrono::{DateTime, Utc};
use support::{Run, Sim};
use vcsa_backup_sim::{ArchiveSeed, DEFAULT_BUILD, Simulator};

const DAY: Duration = Duration::from_secs(24 * 3600);
const LOCATION: &str = "sftp://backup.example.com/vcsa";
const SFTP_PASSWORD: &str = "Sftp-Pass-123";

/// Monday 2026-05-18, 10:00 UTC.
fn monday() -> DateTime<Utc> {
    "2026-05-18T10:00:00Z".parse().unwrap()
}

/// A simulator whose clock starts on [`monday`] and whose jobs take ten simulated minutes, with
/// room for the tests' schedules beside `default` (an appliance keeps one unless told otherwise).
fn sim() -> Sim {
    Sim::start(
        Simulator::builder()
            .tls(false)
            .max_schedules(3)
            .start_time(monday())
            .job_duration(Duration::from_secs(600)),
    )
}

/// Runs the binary in `flavour`, with the backup server's password in the environment.
fn run(sim: &Sim, flavour: &str, args: &[&str]) -> Run {
    Run::of(
        sim.command()
            .env("VCSA_LOCATION_PASSWORD", SFTP_PASSWORD)
            .args(["--flavour", flavour])
            .args(args),
    )
}

/// `schedule <verb> nightly` with the nightly schedule's options, and `extra` ones.
fn nightly<'a>(verb: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "schedule",
        verb,
        "nightly",
        "--location",
        LOCATION,
        "--location-user",
        "backup",
        "--part",
        "seat",
        "--keep",
        "2",
    ];
    args.extend(extra);
    args
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run}"))
}

/// The simulator's jobs, by id (their ids hold their start time), oldest first.
fn jobs(sim: &Sim) -> Vec<String> {
    let mut ids = sim.control().job_ids();
    ids.sort();
    ids
}

fn job(stamp: &str) -> String {
    format!("{stamp}-{DEFAULT_BUILD}")
}

fn lifecycle(flavour: &str) {
    let sim = sim();
    let parts = run(&sim, flavour, &["-o", "json", "parts"]);
    assert_eq!(
        json(&parts)["parts"][1]["estimated_size_mb"],
        2048,
        "{parts}"
    );

    // Create, then the same options again: nothing to change, exit 0 either way.
    let created = run(&sim, flavour, &nightly("create", &["--at", "02:30"]));
    assert_eq!(created.code, 0, "{created}");
    assert!(!created.stdout.contains(SFTP_PASSWORD), "{created}");
    snapshot!("schedule_created", created.transcript());
    let stored = sim.control().schedule_passwords("nightly").unwrap();
    assert_eq!(
        stored.location_password.as_ref().map(|s| s.expose()),
        Some(SFTP_PASSWORD),
        "the password went from the environment to the appliance"
    );

    let again = run(&sim, flavour, &nightly("apply", &["--at", "02:30"]));
    assert_eq!(again.code, 0, "{again}");
    snapshot!("schedule_apply_unchanged", again.transcript());
    let check = run(
        &sim,
        flavour,
        &nightly("apply", &["--at", "02:30", "--check"]),
    );
    assert_eq!(check.code, 0, "no drift: {check}");

    // A drift check and a dry run of a change: exit 1 and 0, and nothing changes.
    let drift = run(
        &sim,
        flavour,
        &nightly("apply", &["--at", "03:15", "--check"]),
    );
    assert_eq!(drift.code, 1, "{drift}");
    snapshot!("schedule_apply_check_drift", drift.transcript());
    let dry = run(
        &sim,
        flavour,
        &[
            &["-o", "json"][..],
            &nightly("apply", &["--at", "03:15", "--dry-run"]),
        ]
        .concat(),
    );
    assert_eq!(dry.code, 0, "{dry}");
    let doc = json(&dry);
    assert_eq!(doc["action"], "update");
    assert_eq!(
        (doc["applied"].as_bool(), doc["dry_run"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(doc["changes"][0]["setting"], "time");
    assert_eq!(
        (&doc["changes"][0]["current"], &doc["changes"][0]["desired"]),
        (&"02:30".into(), &"03:15".into())
    );

    // A day later the schedule fired at 02:30, the time the dry runs left as it was (and
    // `default` at 23:00).
    sim.control().advance_clock(DAY);
    assert_eq!(jobs(&sim), [job("20260518-230000"), job("20260519-023000")]);

    let changed = run(&sim, flavour, &nightly("apply", &["--at", "03:15"]));
    assert_eq!(changed.code, 0, "{changed}");
    snapshot!("schedule_apply_changed", changed.transcript());
    sim.control().advance_clock(DAY);
    assert_eq!(
        jobs(&sim),
        [
            job("20260518-230000"),
            job("20260519-023000"),
            job("20260519-230000"),
            job("20260520-031500")
        ],
        "it fired at its new time"
    );

    // List and show give the next run by the appliance's clock (now Wednesday 10:00 UTC).
    let list = run(&sim, flavour, &["schedule", "list"]);
    assert_eq!(list.code, 0, "{list}");
    snapshot!("schedule_list", list.transcript());
    let list = run(&sim, flavour, &["-o", "json", "schedule", "list"]);
    let doc = json(&list);
    let schedules = doc["schedules"].as_array().unwrap();
    let nightly_doc = schedules.iter().find(|s| s["id"] == "nightly").unwrap();
    assert_eq!(nightly_doc["next_run"], "2026-05-21T03:15:00Z");
    assert_eq!(nightly_doc["time_zone"], "UTC");
    assert_eq!(nightly_doc["keep"], 2);
    let show = run(&sim, flavour, &["schedule", "show", "nightly"]);
    assert_eq!(show.code, 0, "{show}");
    snapshot!("schedule_show", show.transcript());

    // The catalog: the two backups it left, beside another appliance's at the same location.
    sim.control()
        .seed_archive(ArchiveSeed {
            location: LOCATION.into(),
            system_name: "vcsa-02.example.com".into(),
            timestamp: "2026-05-19T12:00:00Z".parse().unwrap(),
            comment: Some("before upgrade".into()),
            ..ArchiveSeed::default()
        })
        .unwrap();
    let catalog = |extra: &[&str]| {
        let mut args = vec![
            "archives",
            "list",
            "--location",
            LOCATION,
            "--location-user",
            "backup",
        ];
        args.extend(extra);
        run(&sim, flavour, &args)
    };
    let archives = catalog(&[]);
    assert_eq!(archives.code, 0, "{archives}");
    snapshot!("archives_list", archives.transcript());
    // The backup server's password goes to the appliance (in the URL on /rest), never to a log.
    let logged = Run::of(
        sim.command()
            .env("VCSA_LOCATION_PASSWORD", SFTP_PASSWORD)
            .args(["-vvv", "--flavour", flavour, "archives", "list"])
            .args(["--location", LOCATION, "--location-user", "backup"]),
    );
    assert_eq!(logged.code, 0, "{logged}");
    assert!(logged.stderr.lines().count() > 5, "-vvv logged: {logged}");
    assert!(!logged.stderr.contains(SFTP_PASSWORD), "{logged}");
    assert!(!logged.stdout.contains(SFTP_PASSWORD), "{logged}");
    let ids = |run: Run| -> Vec<String> {
        assert_eq!(run.code, 0, "{run}");
        json(&run)["archives"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    let ours = [
        "S_8.0.3.00400_20260520-031500_",
        "S_8.0.3.00400_20260519-023000_",
    ];
    assert_eq!(
        ids(catalog(&[
            "-o",
            "json",
            "--system-name",
            "vcsa.example.com"
        ])),
        ours
    );
    assert_eq!(
        ids(catalog(&["-o", "json", "--since", "2026-05-19 12:00"])),
        [ours[0], "M_8.0.3.00400_20260519-120000_"]
    );
    assert_eq!(
        ids(catalog(&["-o", "json", "--until", "2026-05-19"])),
        ["M_8.0.3.00400_20260519-120000_", ours[1]]
    );
    assert_eq!(
        ids(catalog(&["-o", "json", "--comment", "upgrade"])),
        ["M_8.0.3.00400_20260519-120000_"]
    );
    assert_eq!(ids(catalog(&["-o", "json", "--limit", "1"])), [ours[0]]);

    let shown = run(
        &sim,
        flavour,
        &[
            "archives",
            "show",
            "--location",
            LOCATION,
            "--location-user",
            "backup",
            "vcsa.example.com",
            ours[0],
        ],
    );
    assert_eq!(shown.code, 0, "{shown}");
    snapshot!("archives_show", shown.transcript());

    // Retention keeps the newest 2 after each 00:00 UTC pass (so 3 exist after a firing).
    sim.control().advance_clock(2 * DAY);
    assert_eq!(
        ids(catalog(&[
            "-o",
            "json",
            "--system-name",
            "vcsa.example.com"
        ])),
        [
            "S_8.0.3.00400_20260522-031500_",
            "S_8.0.3.00400_20260521-031500_",
            ours[0]
        ],
        "the 19th's backup was pruned"
    );

    // Delete: gone from the appliance, and an unknown schedule is an input error.
    let deleted = run(&sim, flavour, &["schedule", "delete", "nightly", "--yes"]);
    assert_eq!(deleted.code, 0, "{deleted}");
    snapshot!("schedule_deleted", deleted.transcript());
    assert_eq!(sim.control().state().schedules, ["default"]);
    let missing = run(&sim, flavour, &["schedule", "show", "nightly"]);
    assert_eq!(missing.code, 2, "{missing}");
    snapshot!("schedule_show_not_found", missing.transcript());
}

#[test]
fn a_schedule_from_creation_to_deletion_over_api() {
    lifecycle("api");
}

#[test]
fn a_schedule_from_creation_to_deletion_over_rest() {
    lifecycle("rest");
}

#[test]
fn update_changes_only_the_options_given() {
    let sim = sim();
    let created = run(
        &sim,
        "api",
        &nightly("create", &["--at", "02:30", "--days", "mon,fri"]),
    );
    assert_eq!(created.code, 0, "{created}");
    let updated = run(
        &sim,
        "api",
        &[
            "-o",
            "json",
            "schedule",
            "update",
            "nightly",
            "--at",
            "23:00",
            "--disable",
        ],
    );
    assert_eq!(updated.code, 0, "{updated}");
    let doc = json(&updated);
    assert_eq!(doc["time"], "23:00");
    assert_eq!(doc["days"], serde_json::json!(["MONDAY", "FRIDAY"]), "kept");
    assert_eq!(doc["keep"], 2, "kept");
    assert_eq!(doc["parts"], serde_json::json!(["common", "seat"]), "kept");
    assert_eq!(doc["enabled"], false);
    assert_eq!(doc["next_run"], serde_json::Value::Null, "disabled");

    let nothing = run(&sim, "api", &["schedule", "update", "nightly"]);
    assert_eq!(nothing.code, 2, "{nothing}");
    assert!(nothing.stderr.contains("changes nothing"), "{nothing}");
}

#[test]
fn apply_says_when_an_update_cannot_converge_and_recreates_when_allowed() {
    let sim = sim();
    let created = run(&sim, "rest", &nightly("create", &["--at", "02:30"]));
    assert_eq!(created.code, 0, "{created}");
    // Without --keep: the retention would have to be removed, which an update cannot do.
    let without_keep = [
        "schedule",
        "apply",
        "nightly",
        "--location",
        LOCATION,
        "--location-user",
        "backup",
        "--part",
        "seat",
        "--at",
        "02:30",
    ];
    let blocked = run(&sim, "rest", &without_keep);
    assert_eq!(blocked.code, 2, "{blocked}");
    snapshot!("schedule_apply_blocked", blocked.transcript());

    let recreated = run(&sim, "rest", &[&without_keep[..], &["--recreate"]].concat());
    assert_eq!(recreated.code, 0, "{recreated}");
    assert!(
        recreated
            .stdout
            .starts_with("Deleted schedule \"nightly\" and created it again"),
        "{recreated}"
    );
    let show = run(&sim, "rest", &["-o", "json", "schedule", "show", "nightly"]);
    assert_eq!(
        json(&show)["keep"],
        serde_json::Value::Null,
        "keeps every backup now"
    );
    let passwords = sim.control().schedule_passwords("nightly").unwrap();
    assert_eq!(
        passwords.location_password.as_ref().map(|s| s.expose()),
        Some(SFTP_PASSWORD),
        "the new schedule has its password"
    );
}

#[test]
fn apply_asks_for_the_backup_server_password_only_when_it_sends_it() {
    let sim = sim();
    let created = run(&sim, "api", &nightly("create", &["--at", "02:30"]));
    assert_eq!(created.code, 0, "{created}");
    // No password in the environment or a file, and no terminal to ask on (as under cron).
    let without_password =
        |args: &[&str]| Run::of(sim.command().args(["--flavour", "api"]).args(args));

    let check = without_password(&nightly("apply", &["--at", "02:30", "--check"]));
    assert_eq!(check.code, 0, "a drift check sends no password: {check}");
    let drift = without_password(&nightly("apply", &["--at", "03:00", "--check"]));
    assert_eq!(drift.code, 1, "{drift}");
    let dry = without_password(&nightly("apply", &["--at", "03:00", "--dry-run"]));
    assert_eq!(dry.code, 0, "{dry}");

    // An update that keeps the user sends no password, and keeps the stored one.
    let updated = without_password(&nightly("apply", &["--at", "03:00"]));
    assert_eq!(updated.code, 0, "{updated}");
    assert!(
        updated
            .stdout
            .contains("time of day: 02:30 UTC -> 03:00 UTC"),
        "{updated}"
    );
    let stored = sim.control().schedule_passwords("nightly").unwrap();
    assert_eq!(
        stored.location_password.as_ref().map(|s| s.expose()),
        Some(SFTP_PASSWORD)
    );

    // A new user, or a new schedule, needs the password: asked for, so refused here.
    let mut new_user = nightly("apply", &["--at", "03:00"]);
    new_user[6] = "someone-else";
    let refused = without_password(&new_user);
    assert_eq!(refused.code, 2, "{refused}");
    assert!(
        refused
            .stderr
            .contains("the backup server password is needed and there is no terminal"),
        "{refused}"
    );
    let mut weekly = nightly("apply", &["--at", "03:00"]);
    weekly[2] = "weekly";
    let missing = without_password(&weekly);
    assert_eq!(missing.code, 2, "{missing}");
    assert_eq!(sim.control().state().schedules, ["default", "nightly"]);
    let show = run(&sim, "api", &["-o", "json", "schedule", "show", "nightly"]);
    assert_eq!(json(&show)["location_user"], "backup", "unchanged");
}

#[test]
fn a_dry_run_of_a_missing_schedule_creates_nothing() {
    let sim = sim();
    let dry = run(
        &sim,
        "api",
        &nightly("apply", &["--at", "02:30", "--dry-run"]),
    );
    assert_eq!(dry.code, 0, "{dry}");
    assert!(
        dry.stdout.starts_with("Would create schedule \"nightly\""),
        "{dry}"
    );
    let check = run(
        &sim,
        "api",
        &nightly("apply", &["--at", "02:30", "--check"]),
    );
    assert_eq!(check.code, 1, "{check}");
    assert_eq!(sim.control().state().schedules, ["default"]);
    let created = run(&sim, "api", &nightly("apply", &["--at", "02:30"]));
    assert_eq!(created.code, 0, "{created}");
    assert_eq!(sim.control().state().schedules, ["default", "nightly"]);
}

#[test]
fn bad_schedule_input_exits_2_and_sends_nothing() {
    let sim = sim();
    let everything = run(
        &sim,
        "api",
        &[
            "schedule",
            "create",
            "nightly",
            "--location",
            "gopher://backup.example.com/vcsa",
            "--at",
            "24:60",
            "--days",
            "mon,funday",
            "--keep",
            "0",
        ],
    );
    assert_eq!(everything.code, 2, "{everything}");
    snapshot!("schedule_bad_input", everything.transcript());

    let weak = Run::of(sim.command().env("VCSA_BACKUP_PASSWORD", "weak").args([
        "schedule",
        "create",
        "nightly",
        "--location",
        LOCATION,
    ]));
    assert_eq!(weak.code, 2, "{weak}");
    assert!(
        weak.stderr.contains("the backup encryption password:"),
        "{weak}"
    );
    assert!(!weak.stderr.contains("\"weak\""), "{weak}");
    assert_eq!(
        sim.control().state().schedules,
        ["default"],
        "nothing was created"
    );

    let not_a_time = run(&sim, "api", &nightly("create", &["--at", "7pm"]));
    assert_eq!(not_a_time.code, 2, "{not_a_time}");
    assert!(not_a_time.stderr.contains("HH:MM"), "{not_a_time}");

    for verb in ["update", "delete"] {
        let mut args = vec!["schedule", verb, "weekly"];
        if verb == "update" {
            args.extend(["--keep", "3"]);
        } else {
            args.push("--yes");
        }
        let missing = run(&sim, "rest", &args);
        assert_eq!(missing.code, 2, "{missing}");
        assert!(
            missing
                .stderr
                .starts_with("error: there is no schedule \"weekly\" on the appliance"),
            "{missing}"
        );
    }
    let exists = run(
        &sim,
        "api",
        &[
            "schedule",
            "create",
            "default",
            "--location",
            LOCATION,
            "--run-only",
        ],
    );
    assert_eq!(exists.code, 2, "{exists}");
    assert!(exists.stderr.contains("already exists"), "{exists}");
}

#[test]
fn bad_catalog_input_exits_2() {
    let sim = sim();
    let seeded = sim
        .control()
        .seed_archive(ArchiveSeed {
            location: LOCATION.into(),
            system_name: "vcsa.example.com".into(),
            timestamp: "2026-05-17T02:00:00Z".parse().unwrap(),
            scheduled: true,
            ..ArchiveSeed::default()
        })
        .unwrap();
    let catalog = |args: &[&str]| run(&sim, "api", &[&["archives"][..], args].concat());

    let filter = catalog(&[
        "list",
        "--location",
        LOCATION,
        "--since",
        "2026-05-18",
        "--until",
        "2026-05-17",
        "--limit",
        "0",
    ]);
    assert_eq!(filter.code, 2, "{filter}");
    snapshot!("archives_bad_filter", filter.transcript());

    let scheme = catalog(&["list", "--location", "gopher://backup.example.com/vcsa"]);
    assert_eq!(scheme.code, 2, "{scheme}");
    assert!(scheme.stderr.contains("--location: "), "{scheme}");

    let unknown = catalog(&["list", "--location", "sftp://backup.example.com/elsewhere"]);
    assert_eq!(unknown.code, 2, "{unknown}");
    assert!(
        unknown.stderr.starts_with("error: there are no backups at"),
        "{unknown}"
    );

    let archive = catalog(&[
        "show",
        "--location",
        LOCATION,
        "vcsa.example.com",
        "S_8.0.3.00400_20990101-000000_",
    ]);
    assert_eq!(archive.code, 2, "{archive}");
    snapshot!("archives_show_not_found", archive.transcript());

    let found = catalog(&["show", "--location", LOCATION, "vcsa.example.com", &seeded]);
    assert_eq!(found.code, 0, "{found}");
}
