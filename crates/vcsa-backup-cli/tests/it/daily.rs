//! An administrator's daily use against the simulator: nightly backups into the appliance's
//! layout, the parts the appliance selects by default, a start that fails at once.

use crate::support;

use std::time::Duration;

use chrono::{DateTime, Utc};
use support::{Run, Sim};
use vcsa_backup_sim::{JobFailure, Simulator};

const DAY: Duration = Duration::from_secs(24 * 3600);
const ROOT: &str = "sftp://backup.example.com/vcsa";
const SFTP_PASSWORD: &str = "Sftp-Pass-123";
const MIB: u64 = 1024 * 1024;

/// Monday 2026-05-18, 10:00 UTC.
fn monday() -> DateTime<Utc> {
    "2026-05-18T10:00:00Z".parse().unwrap()
}

/// A simulator with room for the tests' schedules beside `default` (an appliance keeps one
/// unless told otherwise).
fn sim() -> Sim {
    Sim::start(
        Simulator::builder()
            .tls(false)
            .max_schedules(6)
            .start_time(monday())
            .system_name("vcsa.example.com")
            .job_duration(Duration::from_millis(500)),
    )
}

fn run(sim: &Sim, args: &[&str]) -> Run {
    Run::of(
        sim.command()
            .env("VCSA_LOCATION_PASSWORD", SFTP_PASSWORD)
            .args(args),
    )
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run}"))
}

/// The nightly cron line of `backup --help`, against the simulator.
fn nightly_backup(sim: &Sim) -> Run {
    run(
        sim,
        &[
            "-o",
            "json",
            "backup",
            "--into",
            ROOT,
            "--location-user",
            "backup",
            "--when-idle",
            "--wait",
        ],
    )
}

#[test]
fn two_nightly_backups_into_a_root_sit_beside_the_scheduled_ones() {
    let sim = sim();
    let created = run(
        &sim,
        &[
            "schedule",
            "create",
            "nightly",
            "--location",
            ROOT,
            "--location-user",
            "backup",
            "--at",
            "02:30",
        ],
    );
    assert_eq!(created.code, 0, "{created}");
    sim.control().advance_clock(DAY);

    let first = nightly_backup(&sim);
    assert_eq!(first.code, 0, "{first}");
    sim.control().advance_clock(DAY);
    let second = nightly_backup(&sim);
    assert_eq!(second.code, 0, "{second}");
    let locations: Vec<String> = [&first, &second]
        .iter()
        .map(|r| json(r)["details"]["location"].as_str().unwrap().to_string())
        .collect();
    for (location, run) in locations.iter().zip([&first, &second]) {
        assert!(
            location.starts_with(&format!(
                "{ROOT}/vCenter/sn_vcsa.example.com/M_8.0.3.00400_"
            )),
            "{location}"
        );
        assert!(
            run.stderr.contains(&format!("backing up into {location}")),
            "{run}"
        );
    }
    assert_ne!(locations[0], locations[1]);

    let listed = run(
        &sim,
        &[
            "-o",
            "json",
            "archives",
            "list",
            "--location",
            ROOT,
            "--location-user",
            "backup",
        ],
    );
    assert_eq!(listed.code, 0, "{listed}");
    let ids: Vec<String> = json(&listed)["archives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    let kinds: Vec<char> = ids.iter().map(|id| id.chars().next().unwrap()).collect();
    // Each night: the schedule's backup at 02:30, then the one from cron.
    assert_eq!(kinds, ['M', 'S', 'M', 'S'], "newest first: {ids:?}");
    for location in &locations {
        assert!(
            ids.iter().any(|id| location.ends_with(&format!("/{id}"))),
            "{location} in {ids:?}"
        );
    }
}

#[test]
fn without_part_the_parts_selected_by_default_are_sent_and_said() {
    let sim = sim();
    let backup = run(
        &sim,
        &[
            "-o",
            "json",
            "backup",
            "--location",
            "nfs://10.0.0.5:/export/a",
            "--wait",
        ],
    );
    assert_eq!(backup.code, 0, "{backup}");
    assert!(
        backup
            .stderr
            .contains("parts: common, seat (the appliance's default"),
        "{backup}"
    );
    // What the simulator received: its backup grows to the sum of the parts it was sent.
    assert_eq!(
        json(&backup)["details"]["size_bytes"],
        (384 + 2048) * MIB,
        "{backup}"
    );

    let core = run(
        &sim,
        &[
            "-q",
            "-o",
            "json",
            "backup",
            "--location",
            "nfs://10.0.0.5:/export/b",
            "--part",
            "common",
            "--wait",
        ],
    );
    assert_eq!(core.code, 0, "{core}");
    assert_eq!(core.stderr, "", "quiet says nothing");
    assert_eq!(json(&core)["details"]["size_bytes"], 384 * MIB, "{core}");

    let created = run(
        &sim,
        &[
            "-o",
            "json",
            "schedule",
            "create",
            "nightly",
            "--location",
            ROOT,
            "--at",
            "02:00",
        ],
    );
    assert_eq!(created.code, 0, "{created}");
    assert!(created.stderr.contains("parts: common, seat"), "{created}");
    let parts = |id: &str| {
        let shown = run(&sim, &["-o", "json", "schedule", "show", id]);
        assert_eq!(shown.code, 0, "{shown}");
        json(&shown)["parts"].clone()
    };
    assert_eq!(parts("nightly"), serde_json::json!(["common", "seat"]));
    // An update without --part keeps them; --no-default-parts sets the core only.
    let kept = run(&sim, &["schedule", "update", "nightly", "--keep", "3"]);
    assert_eq!(kept.code, 0, "{kept}");
    assert!(!kept.stderr.contains("parts:"), "{kept}");
    assert_eq!(parts("nightly"), serde_json::json!(["common", "seat"]));
    let core = run(
        &sim,
        &["schedule", "update", "nightly", "--no-default-parts"],
    );
    assert_eq!(core.code, 0, "{core}");
    assert_eq!(parts("nightly"), serde_json::json!(["common"]));
    // Apply without --part converges to the defaults.
    let applied = run(
        &sim,
        &[
            "schedule",
            "apply",
            "nightly",
            "--location",
            ROOT,
            "--at",
            "02:00",
            "--keep",
            "3",
        ],
    );
    assert_eq!(applied.code, 0, "{applied}");
    assert_eq!(parts("nightly"), serde_json::json!(["common", "seat"]));
}

#[test]
fn a_schedule_without_a_time_needs_run_only() {
    let sim = sim();
    let refused = run(&sim, &["schedule", "create", "manual", "--location", ROOT]);
    assert_eq!(refused.code, 2, "{refused}");
    assert!(refused.stderr.contains("--run-only"), "{refused}");
    assert_eq!(sim.control().state().schedules, ["default"]);
    let created = run(
        &sim,
        &[
            "schedule",
            "create",
            "manual",
            "--location",
            ROOT,
            "--run-only",
        ],
    );
    assert_eq!(created.code, 0, "{created}");
    assert!(
        sim.control()
            .state()
            .schedules
            .contains(&"manual".to_string())
    );
}

#[test]
fn a_start_that_fails_at_once_exits_with_the_failure_wait_or_not() {
    let sim = sim();
    for (folder, wait) in [("x", &[][..]), ("y", &["--wait"][..])] {
        sim.control()
            .fail_next_job(JobFailure::at(0, "The backup server cannot be reached."));
        let location = format!("nfs://10.0.0.5:/export/{folder}");
        let mut args = vec!["backup", "--location", &location];
        args.extend(wait);
        let failed = run(&sim, &args);
        assert_eq!(failed.code, 1, "{failed}");
        assert!(!failed.stdout.contains("Follow it with"), "{failed}");
        assert!(failed.stderr.contains("cannot be reached"), "{failed}");
    }
}

#[test]
fn schedule_delete_without_a_terminal_needs_yes() {
    let sim = sim();
    let refused = run(&sim, &["schedule", "delete", "default"]);
    assert_eq!(refused.code, 2, "{refused}");
    assert!(refused.stderr.contains("--yes"), "{refused}");
    assert_eq!(sim.control().state().schedules, ["default"]);
    let deleted = run(&sim, &["schedule", "delete", "default", "--yes"]);
    assert_eq!(deleted.code, 0, "{deleted}");
    assert!(sim.control().state().schedules.is_empty());
}

#[test]
fn days_take_ranges_and_weekdays_or_weekends() {
    let sim = sim();
    let cases: &[(&str, &[&str])] = &[
        (
            "mon-fri",
            &["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
        ),
        (
            "weekdays",
            &["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
        ),
        ("weekends", &["SATURDAY", "SUNDAY"]),
        ("fri-sun,mon", &["FRIDAY", "SATURDAY", "SUNDAY", "MONDAY"]),
        ("mon,wed,fri", &["MONDAY", "WEDNESDAY", "FRIDAY"]),
    ];
    for (i, (days, expected)) in cases.iter().enumerate() {
        let id = format!("s{i}");
        let created = run(
            &sim,
            &[
                "-q",
                "-o",
                "json",
                "schedule",
                "create",
                &id,
                "--location",
                ROOT,
                "--at",
                "01:00",
                "--days",
                days,
            ],
        );
        assert_eq!(created.code, 0, "{days}: {created}");
        let mut sent: Vec<String> = json(&created)["days"]
            .as_array()
            .unwrap_or_else(|| panic!("{days}: {created}"))
            .iter()
            .map(|d| d.as_str().unwrap().to_string())
            .collect();
        let mut expected: Vec<String> = expected.iter().map(|d| d.to_string()).collect();
        sent.sort();
        expected.sort();
        assert_eq!(sent, expected, "{days}");
    }
}

/// Runs `args` with standard output, or standard error, a pipe whose reader has gone (as
/// `| head -1` leaves it): the exit code and what the other stream got.
fn closed(sim: &Sim, args: &[&str], which: Stream) -> Run {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let mut cmd = sim.command();
    cmd.env("VCSA_LOCATION_PASSWORD", SFTP_PASSWORD).args(args);
    match which {
        Stream::Out => cmd.stdout(writer),
        Stream::Err => cmd.stderr(writer),
    };
    let output = cmd.output().expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[derive(Clone, Copy, Debug)]
enum Stream {
    Out,
    Err,
}

#[test]
fn a_closed_pipe_is_no_panic_in_any_command() {
    let sim = sim();
    let job = sim.start_backup("nfs://10.0.0.5:/export/first");
    sim.control().advance_clock(Duration::from_secs(5));
    let cases: &[(&[&str], i32)] = &[
        (&["completions", "bash"], 0),
        (&["--help"], 0),
        (&["backup", "--help"], 0),
        (&["parts"], 0),
        (&["list"], 0),
        (&["-o", "json", "list"], 0),
        (&["status", &job], 0),
        (&["status", &job, "--wait"], 0),
        (&["status", "20990101-000000-1"], 2),
        (&["schedule", "list"], 0),
        (&["schedule", "show", "default"], 0),
        (&["validate", "--location", "nfs://10.0.0.5:/export/v"], 0),
        (
            &["archives", "list", "--location", "nfs://10.0.0.5:/nothing"],
            2,
        ),
        (&["check", "--no-schedule-ok", "-o", "nagios"], 0),
        (
            &[
                "backup",
                "--location",
                "nfs://10.0.0.5:/export/{n}",
                "--wait",
            ],
            0,
        ),
        (
            &[
                "backup",
                "--into",
                ROOT,
                "--system-name",
                "vc",
                "--appliance-version",
                "8.0.3.00400",
            ],
            0,
        ),
        (&["archives", "list", "--location", ROOT], 0),
        (
            &[
                "schedule",
                "apply",
                "default",
                "--location",
                ROOT,
                "--check",
            ],
            1,
        ),
        (&["cancel", &job], 1),
        (&["--insecure", "parts"], 0),
        (&["check", "--no-schedule-ok", "-o", "prometheus"], 0),
        (&["demo", "--job-duration", "1s"], 0),
    ];
    let mut n = 0;
    for (args, code) in cases {
        for which in [Stream::Out, Stream::Err] {
            // A fresh folder for each backup: by name, and by the clock for --into.
            n += 1;
            let args: Vec<String> = args
                .iter()
                .map(|a| a.replace("{n}", &n.to_string()))
                .collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = closed(&sim, &args, which);
            sim.control().advance_clock(Duration::from_secs(5));
            assert!(
                !run.stderr.contains("panicked") && run.code != 101,
                "{args:?}, {which:?} closed: {run}"
            );
            // `check` speaks the monitoring convention whatever happens to its output.
            if !matches!(which, Stream::Out) || args[0] != "check" {
                assert_eq!(run.code, *code, "{args:?}, {which:?} closed: {run}");
            }
        }
    }
}

/// The simulator's clock `skew` from this machine's, in `zone`, with jobs of two seconds.
fn skewed(skew: chrono::TimeDelta, zone: &str) -> Sim {
    Sim::start(
        Simulator::builder()
            .tls(false)
            .start_time(Utc::now() + skew)
            .time_zone(zone)
            .job_duration(Duration::from_secs(2)),
    )
}

/// The `Name  value` field of a `status` or `backup` table.
fn field(text: &str, name: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(name))
        .unwrap_or_else(|| panic!("no {name} in {text}"))
        .trim()
        .to_string()
}

#[test]
fn times_follow_the_appliance_s_clock_ahead_or_behind_and_its_zone() {
    use chrono::{NaiveDateTime, TimeDelta};
    let cases = [
        (TimeDelta::hours(5), "Asia/Tokyo", 9),
        (TimeDelta::hours(-7), "America/Sao_Paulo", -3),
    ];
    for (skew, zone, offset_hours) in cases {
        let sim = skewed(skew, zone);
        let backup = run(
            &sim,
            &["backup", "--location", "nfs://10.0.0.5:/export/t", "--wait"],
        );
        assert_eq!(backup.code, 0, "{backup}");
        // Every elapsed time shown while following: seconds of the job, never the skew.
        let times: Vec<&str> = backup
            .stderr
            .lines()
            .filter(|l| l.starts_with("job "))
            .filter_map(|l| l.split(", ").nth(1))
            .collect();
        assert!(!times.is_empty(), "{backup}");
        for time in &times {
            let seconds: u64 = time
                .strip_suffix('s')
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("{skew}: {time} is not seconds: {backup}"));
            assert!(seconds <= 10, "{skew}: {time}: {backup}");
        }
        assert_eq!(times.last(), Some(&"2s"), "{backup}");

        // Job times in the appliance's zone, named; --utc for UTC.
        let started = field(&backup.stdout, "Started");
        let local = started
            .strip_suffix(&format!(" {zone}"))
            .unwrap_or_else(|| panic!("{started} is not in {zone}"));
        let id = sim.control().job_ids()[0].clone();
        let utc = run(&sim, &["--utc", "status", &id]);
        assert_eq!(utc.code, 0, "{utc}");
        let in_utc = field(&utc.stdout, "Started");
        let in_utc = in_utc.strip_suffix(" UTC").expect("named UTC");
        let parse = |t: &str| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(
            parse(local) - parse(in_utc),
            TimeDelta::hours(offset_hours),
            "{started} against {in_utc}"
        );
        // The appliance's clock, not this machine's: the start is the skew away from now.
        let off = parse(in_utc) - Utc::now().naive_utc() - skew;
        assert!(off.num_minutes().abs() < 5, "{in_utc}: {off}");
    }
}

/// Every line of `text` within 80 columns.
fn assert_fits(what: &str, text: &str) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= 80,
            "{what}: {} columns: {line}",
            line.chars().count()
        );
    }
}

#[test]
fn tables_fit_80_columns_with_long_locations_shortened_in_the_middle() {
    let sim = sim();
    let long_root = format!(
        "sftp://backup-server-in-the-far-datacenter.example.com/{}vcsa",
        "very/deep/".repeat(6)
    );
    let created = run(
        &sim,
        &[
            "schedule",
            "create",
            "a-schedule-with-a-rather-long-name",
            "--location",
            &long_root,
            "--at",
            "02:00",
            "--keep",
            "14",
        ],
    );
    assert_eq!(created.code, 0, "{created}");
    sim.control().advance_clock(DAY);
    let into = run(
        &sim,
        &[
            "backup",
            "--into",
            &long_root,
            "--comment",
            &"a comment that goes on and on ".repeat(4),
            "--wait",
        ],
    );
    assert_eq!(into.code, 0, "{into}");

    let list = run(&sim, &["list"]);
    assert_eq!(list.code, 0, "{list}");
    assert_fits("list", &list.stdout);
    assert!(list.stdout.contains("sftp://b"), "{list}");
    assert!(list.stdout.contains('…'), "{list}");
    let schedules = run(&sim, &["schedule", "list"]);
    assert_eq!(schedules.code, 0, "{schedules}");
    assert_fits("schedule list", &schedules.stdout);
    let parts = run(&sim, &["parts"]);
    assert_eq!(parts.code, 0, "{parts}");
    assert_fits("parts", &parts.stdout);
    let archives = run(
        &sim,
        &[
            "archives",
            "list",
            "--location",
            &long_root,
            "--location-user",
            "backup",
        ],
    );
    assert_eq!(archives.code, 0, "{archives}");
    assert_fits("archives list", &archives.stdout);
    assert_eq!(archives.stdout.lines().count(), 3, "{archives}");

    // In full in JSON and in `show`.
    let json_list = run(&sim, &["-o", "json", "schedule", "list"]);
    assert!(json_list.stdout.contains(&long_root), "{json_list}");
    let show = run(
        &sim,
        &["schedule", "show", "a-schedule-with-a-rather-long-name"],
    );
    assert!(show.stdout.contains(&long_root), "{show}");
}

#[test]
fn quiet_apply_says_nothing_when_the_schedule_already_matches() {
    let sim = sim();
    let apply = |extra: &[&str]| {
        let mut args = vec![
            "schedule",
            "apply",
            "nightly",
            "--location",
            ROOT,
            "--location-user",
            "backup",
            "--at",
            "02:00",
        ];
        args.extend(extra);
        run(&sim, &args)
    };
    let created = apply(&[]);
    assert_eq!(created.code, 0, "{created}");
    let loud = apply(&["--check"]);
    assert_eq!(loud.code, 0, "{loud}");
    assert!(loud.stdout.contains("already matches"), "{loud}");
    assert!(
        loud.stdout.contains("passwords given were not compared"),
        "{loud}"
    );
    let quiet = apply(&["-q", "--check"]);
    assert_eq!(quiet.code, 0, "{quiet}");
    assert_eq!(
        (quiet.stdout.as_str(), quiet.stderr.as_str()),
        ("", ""),
        "{quiet}"
    );
    // A difference is the result: printed, quiet or not.
    let drift = apply(&["-q", "--check", "--keep", "3"]);
    assert_eq!(drift.code, 1, "{drift}");
    assert!(drift.stdout.contains("retention"), "{drift}");
    assert!(!drift.stdout.contains("passwords given"), "{drift}");
}
