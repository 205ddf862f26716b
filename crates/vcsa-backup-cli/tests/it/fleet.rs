//! `fleet backup --wait` (every started backup followed to its end, plain lines off a
//! terminal, or until `--deadline`) and the inventory's bad input, through the binary.

use std::time::Duration;

use vcsa_backup_sim::{DEFAULT_PASSWORD, JobFailure, Simulator};

use crate::support::{FleetSims, Run, bare_command, garbage_server};

// Long enough that the first read finds every job running, even on a loaded machine.
const JOB: Duration = Duration::from_secs(4);

/// Three appliances with short jobs; vcsa-003's are long, and it is already running one.
fn fleet_with_a_busy_appliance() -> FleetSims {
    let fleet = FleetSims::start(
        Simulator::fleet(3)
            .template(Simulator::builder().tls(false).job_duration(JOB))
            .each(|i, a| {
                if i == 2 {
                    a.job_duration(Duration::from_secs(600))
                } else {
                    a
                }
            }),
        "",
    );
    let busy = Run::of(
        bare_command()
            .env("VCSA_SERVER", fleet.sims.appliances()[2].url())
            .env("VCSA_PASSWORD", DEFAULT_PASSWORD)
            .args([
                "backup",
                "--location",
                "sftp://backup.example.com/vcsa/busy",
            ]),
    );
    assert_eq!(busy.code, 0, "{busy}");
    fleet
}

/// The plain lines about `name` on standard error.
fn lines_of<'a>(run: &'a Run, name: &str) -> Vec<&'a str> {
    let prefix = format!("{name}: ");
    run.stderr
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .collect()
}

#[test]
fn fleet_backup_wait_follows_every_backup_to_its_end_with_plain_lines() {
    let fleet = fleet_with_a_busy_appliance();
    fleet
        .control("vcsa-002")
        .fail_next_job(JobFailure::at(50, "The backup server is full."));

    let run = fleet.run(&["fleet", "backup", "--wait"]);
    // The busy appliance (4) outranks the failed backup (1).
    assert_eq!(run.code, 4, "{run}");
    assert!(
        !run.stderr.contains('\x1b') && !run.stdout.contains('\x1b'),
        "no terminal escape codes off a terminal:\n{run}"
    );
    assert!(
        run.stderr
            .contains("backing up 3 appliance(s), 8 started at a time, each followed to its end"),
        "{run}"
    );
    // One line per change of state, the last one the end.
    let ok = lines_of(&run, "vcsa-001");
    assert!(ok.len() >= 2, "{run}");
    assert!(
        ok[0].contains(" in progress ") || ok[0].contains(" not started "),
        "{run}"
    );
    assert!(
        ok.last().unwrap().contains(" succeeded 100%, ")
            && ok.last().unwrap().ends_with(" written"),
        "{run}"
    );
    let states: Vec<&str> = ok[..ok.len() - 1]
        .iter()
        .map(|l| l.split(" job ").nth(1).unwrap_or_default())
        .collect();
    assert_eq!(
        states.len(),
        states
            .iter()
            .map(|s| s.split(' ').nth(1))
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        "one line per state, not per percentage:\n{run}"
    );
    let failed = lines_of(&run, "vcsa-002");
    let last = failed.last().unwrap();
    assert!(
        last.contains(" failed 50%") && last.contains("The backup server is full."),
        "{run}"
    );
    assert_eq!(lines_of(&run, "vcsa-003").len(), 1, "{run}");
    assert!(
        lines_of(&run, "vcsa-003")[0].starts_with("vcsa-003: not started: "),
        "{run}"
    );
    assert!(
        run.stderr
            .lines()
            .any(|l| l == "totals: 0 waiting, 0 running, 1 succeeded, 2 failed, 0 unknown"),
        "{run}"
    );

    // The summary: each appliance's start and end.
    let table: Vec<&str> = run.stdout.lines().collect();
    assert!(
        table[0].starts_with("GROUP") && table[0].ends_with("END"),
        "{run}"
    );
    let row = |name: &str| {
        *table
            .iter()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no row for {name}:\n{run}"))
    };
    assert!(row("vcsa-001").contains("succeeded, "), "{run}");
    assert!(
        row("vcsa-002").contains("FAILED at 50%: ") && row("vcsa-002").contains("server is full"),
        "{run}"
    );
    assert!(
        row("vcsa-003").contains("not started: a backup or restore is already running"),
        "{run}"
    );
    for (name, jobs) in [("vcsa-001", 1), ("vcsa-002", 1), ("vcsa-003", 1)] {
        let state = fleet.control(name).state();
        assert_eq!(state.jobs, jobs, "{name}: nothing started twice");
        assert_eq!(state.live_sessions, 0, "{name}: logged out");
    }
}

#[test]
fn fleet_backup_wait_json_gives_each_end_and_exit_code() {
    let fleet = fleet_with_a_busy_appliance();
    fleet
        .control("vcsa-001")
        .fail_next_job(JobFailure::at(20, "The backup server is full."));
    let run = fleet.run(&["--quiet", "--output", "json", "fleet", "backup", "--wait"]);
    assert_eq!(run.code, 4, "{run}");
    assert_eq!(run.stderr, "", "quiet: nothing on standard error");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    let appliances = doc["appliances"].as_array().unwrap();
    let by_name = |name: &str| {
        appliances
            .iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {doc}"))
    };
    let failed = by_name("vcsa-001");
    assert_eq!(failed["exit_code"], 1, "{failed}");
    assert_eq!(failed["result"]["end"]["state"], "FAILED", "{failed}");
    assert_eq!(failed["result"]["end"]["progress"], 20, "{failed}");
    assert!(
        failed["result"]["end"]["messages"][0]
            .as_str()
            .unwrap()
            .contains("server is full"),
        "{failed}"
    );
    let ok = by_name("vcsa-002");
    assert_eq!(ok["exit_code"], 0, "{ok}");
    assert_eq!(ok["result"]["in_window"], true, "{ok}");
    assert_eq!(ok["result"]["end"]["state"], "SUCCEEDED", "{ok}");
    assert_eq!(ok["result"]["end"]["progress"], 100, "{ok}");
    assert!(
        ok["result"]["end"]["size_bytes"].as_u64().unwrap() > 0,
        "{ok}"
    );
    let busy = by_name("vcsa-003");
    assert_eq!(busy["exit_code"], 4, "{busy}");
    assert!(busy["result"].is_null(), "{busy}");
}

/// [`fleet_with_a_busy_appliance`], its three appliances in one group.
fn one_group_with_a_busy_appliance() -> FleetSims {
    let fleet = fleet_with_a_busy_appliance();
    let text = std::fs::read_to_string(&fleet.inventory).unwrap();
    std::fs::write(
        &fleet.inventory,
        text.replace("[[appliance]]\n", "[[appliance]]\ngroup = \"sso\"\n"),
    )
    .unwrap();
    fleet
}

#[test]
fn a_group_that_started_in_part_says_so_and_cancels_nothing() {
    let fleet = one_group_with_a_busy_appliance();
    let run = fleet.run(&["fleet", "backup"]);
    assert_eq!(run.code, 4, "{run}");
    assert!(
        run.stdout
            .contains("Group sso: 2 of 3 backups started; those keep running, none was canceled."),
        "{run}"
    );
    for name in ["vcsa-001", "vcsa-002"] {
        assert!(
            fleet.control(name).state().running_job.is_some(),
            "{name}: its backup goes on"
        );
    }

    let fleet = one_group_with_a_busy_appliance();
    let run = fleet.run(&["--output", "json", "fleet", "backup"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(
        doc["groups"],
        serde_json::json!([{ "group": "sso", "started": 2, "appliances": 3 }]),
        "{run}"
    );
}

#[test]
fn fleet_backup_wait_gives_up_at_the_deadline_and_leaves_the_backups_running() {
    // Jobs far longer than the deadline, so following stops at the deadline; were it
    // ignored, the jobs would succeed after two minutes and the exit code would say 0.
    let fleet = FleetSims::start(
        Simulator::fleet(2).template(
            Simulator::builder()
                .tls(false)
                .job_duration(Duration::from_secs(120)),
        ),
        "",
    );
    let run = fleet.run(&[
        "--output",
        "json",
        "fleet",
        "backup",
        "--wait",
        "--deadline",
        "2s",
    ]);
    assert_eq!(run.code, 3, "{run}");
    assert!(
        run.stderr
            .contains("the deadline passed; stopped following; the backups go on"),
        "{run}"
    );
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    let appliances = doc["appliances"].as_array().unwrap();
    assert_eq!(appliances.len(), 2, "{doc}");
    for a in appliances {
        let name = a["name"].as_str().unwrap();
        assert_eq!(a["exit_code"], 3, "{a}");
        assert_eq!(a["result"]["in_window"], true, "{a}");
        let end = &a["result"]["end"];
        assert!(end["state"].is_null(), "not ended: {a}");
        assert!(
            end["messages"][0]
                .as_str()
                .unwrap()
                .contains("the deadline passed before it ended"),
            "{a}"
        );
        let state = fleet.control(name).state();
        assert_eq!(state.jobs, 1, "{name}: one backup");
        assert_eq!(
            state.running_job.as_deref(),
            a["result"]["job"].as_str(),
            "{name}: the backup goes on, not cancelled"
        );
        assert_eq!(state.live_sessions, 0, "{name}: logged out");
    }
}

#[test]
fn fleet_backup_refuses_a_zero_window_before_sending_anything() {
    let fleet = FleetSims::start(
        Simulator::fleet(1).template(Simulator::builder().tls(false)),
        "",
    );
    for window in ["0s", "0ms"] {
        let run = fleet.run(&["fleet", "backup", "--window", window]);
        assert_eq!(run.code, 2, "{window}: {run}");
        assert!(
            run.stderr.contains("--window") && run.stderr.contains("must be longer than zero"),
            "{window}: {run}"
        );
    }
    let run = fleet.run(&["fleet", "backup", "--window", "soon"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("--window"), "{run}");
    assert_eq!(
        fleet.control("vcsa-001").state().requests,
        0,
        "nothing sent"
    );
}

#[test]
fn fleet_backup_deadline_needs_wait() {
    let fleet = FleetSims::start(
        Simulator::fleet(1).template(Simulator::builder().tls(false)),
        "",
    );
    let run = fleet.run(&["fleet", "backup", "--deadline", "1h"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("--wait"), "{run}");
    assert_eq!(
        fleet.control("vcsa-001").state().requests,
        0,
        "nothing sent"
    );
}

#[test]
fn a_bad_inventory_entry_is_named_exits_2_and_starts_nothing() {
    let fleet = FleetSims::start(
        Simulator::fleet(2).template(Simulator::builder().tls(false)),
        "",
    );
    let cases: [(&str, &[&str]); 4] = [
        (
            "\n[[appliance]]\nname = \"no-server\"\n",
            &["(appliance \"no-server\"): has no server"],
        ),
        (
            "\n[[appliance]]\nname = \"odd-trust\"\nserver = \"vc.example.com\"\n\
             trust = { fingerprint = \"AB:CD\" }\n",
            &["(appliance \"odd-trust\"): trust: unknown mode `fingerprint`"],
        ),
        (
            "\n[[appliance]]\nname = \"bad-url\"\nserver = \"ftp://127.0.0.1:1\"\n",
            &["(appliance \"bad-url\"): server: \"ftp://127.0.0.1:1\" is not an https:// address"],
        ),
        (
            "\n[[appliance]]\nname = \"no-ca\"\nserver = \"vc.example.com\"\n\
             trust = { ca_file = \"missing-ca.pem\" }\n",
            &[
                "(appliance \"no-ca\"): the CA certificate ",
                "missing-ca.pem cannot be read",
            ],
        ),
    ];
    let text = std::fs::read_to_string(&fleet.inventory).unwrap();
    for (extra, expected) in cases {
        std::fs::write(&fleet.inventory, format!("{text}{extra}")).unwrap();
        for command in ["backup", "check", "list"] {
            let run = fleet.run(&["fleet", command]);
            assert_eq!(run.code, 2, "fleet {command}: {run}");
            for expected in expected {
                assert!(run.stderr.contains(expected), "fleet {command}: {run}");
            }
            assert!(
                run.stderr.contains("nothing was sent"),
                "fleet {command}: {run}"
            );
        }
    }
    for a in fleet.sims.appliances() {
        let state = a.control().state();
        assert_eq!(
            (state.jobs, state.logins, state.requests),
            (0, 0, 0),
            "{}: never contacted",
            a.name()
        );
    }
}

#[test]
fn an_appliance_answering_garbage_is_unknown_and_the_others_are_unaffected() {
    let garbage = garbage_server(16);
    let fleet = FleetSims::start(
        Simulator::fleet(2).template(Simulator::builder().tls(false).history(2)),
        &format!("\n[[appliance]]\nname = \"portal\"\nserver = \"{garbage}\"\n"),
    );
    let run = fleet.run(&["--output", "json", "fleet", "check", "--no-schedule-ok"]);
    assert_eq!(run.code, 3, "UNKNOWN is the worst verdict here: {run}");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let verdicts: Vec<(String, String, u64)> = doc["appliances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_string(),
                a["report"]["verdict"].as_str().unwrap().to_string(),
                a["exit_code"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("vcsa-001".to_string(), "OK".to_string(), 0),
            ("vcsa-002".to_string(), "OK".to_string(), 0),
            ("portal".to_string(), "UNKNOWN".to_string(), 3),
        ],
        "{run}"
    );

    let list = fleet.run(&["fleet", "list"]);
    assert_eq!(list.code, 7, "{list}");
    let portal = list
        .stdout
        .lines()
        .find(|l| l.starts_with("portal"))
        .unwrap();
    assert!(portal.contains("error: "), "{list}");
    assert_eq!(
        list.stdout
            .lines()
            .filter(|l| l.starts_with("vcsa-") && !l.contains("error"))
            .count(),
        2,
        "{list}"
    );
}

#[test]
fn fleet_backup_max_running_keeps_that_many_running_and_every_appliance_ends_in_the_table() {
    let fleet = FleetSims::start(
        Simulator::fleet(12).template(
            Simulator::builder()
                .tls(false)
                .job_duration(Duration::from_secs(2)),
        ),
        "",
    );
    let run = fleet.run(&["fleet", "backup", "--wait", "--max-running", "3"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr
            .contains("backing up 12 appliance(s), at most 3 running at once"),
        "{run}"
    );
    // Every appliance has its row, in the inventory's order, and the totals close the table.
    let table: Vec<&str> = run.stdout.lines().collect();
    let names: Vec<&str> = table
        .iter()
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter(|n| n.starts_with("vcsa-"))
        .collect();
    let expected: Vec<String> = (1..=12).map(|i| format!("vcsa-{i:03}")).collect();
    assert_eq!(names, expected, "{run}");
    assert_eq!(
        table
            .iter()
            .filter(|l| l.starts_with("-") && l.contains(" succeeded, "))
            .count(),
        12,
        "{run}"
    );
    assert_eq!(
        table.last().copied(),
        Some("totals: 0 waiting, 0 running, 12 succeeded, 0 failed, 0 unknown"),
        "{run}"
    );
    // The simulators' own record: each backup from its request to its end, never more than
    // three of them at any moment.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut moments: Vec<(chrono::DateTime<chrono::Utc>, i32)> = Vec::new();
    for a in fleet.sims.appliances() {
        let client = vcsa_backup::Client::builder(a.url())
            .credentials(
                vcsa_backup_sim::DEFAULT_USER,
                vcsa_backup::Secret::new(DEFAULT_PASSWORD),
            )
            .build()
            .unwrap();
        let jobs = runtime.block_on(client.list_job_details(None)).unwrap();
        assert_eq!(jobs.len(), 1, "{}: one backup", a.name());
        for details in jobs.values() {
            moments.push((details.started_at.expect("a start"), 1));
            moments.push((details.ended_at.expect("an end"), -1));
        }
        runtime.block_on(client.logout()).unwrap();
    }
    // At the same instant, an end before a start.
    moments.sort();
    let mut running = 0;
    let mut most = 0;
    for (_, change) in moments {
        running += change;
        most = most.max(running);
    }
    assert_eq!(most, 3, "never more than 3 at once, and 3 at times");
}
