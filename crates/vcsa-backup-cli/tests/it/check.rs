//! `check` and `fleet`: the monitoring formats and exit codes, the inventory, the fleet's own
//! exit code.

use std::collections::BTreeMap;
use std::time::Duration;

use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};

use crate::support::{FleetSims, Run, Sim, bare_command, garbage_server};

/// Parses the Prometheus text format back: every sample by name and labels, checking that each
/// family has HELP and TYPE lines before its samples.
fn parse_prometheus(text: &str) -> BTreeMap<String, f64> {
    let mut samples = BTreeMap::new();
    let mut typed = std::collections::HashSet::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("# TYPE name kind");
            assert!(["gauge", "counter", "untyped"].contains(&kind), "{line}");
            typed.insert(name.to_string());
            continue;
        }
        if line.starts_with("# HELP ") || line == "# EOF" {
            continue;
        }
        assert!(!line.starts_with('#'), "unexpected comment {line}");
        let (series, value) = line.rsplit_once(' ').expect("series value");
        let name = series.split('{').next().unwrap();
        assert!(typed.contains(name), "{name} has no TYPE line before it");
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{name}"
        );
        if let Some(labels) = series.strip_prefix(name) {
            assert!(
                labels.is_empty() || (labels.starts_with('{') && labels.ends_with('}')),
                "{line}"
            );
        }
        samples.insert(series.to_string(), value.parse::<f64>().expect("a number"));
    }
    samples
}

fn healthy() -> Sim {
    Sim::start(Simulator::builder().tls(false).history(3))
}

#[test]
fn check_answers_in_every_format_with_the_monitoring_exit_codes() {
    let sim = healthy();
    let table = sim.run(&["check", "--no-schedule-ok"]);
    assert_eq!(table.code, 0, "{table}");
    assert!(
        table
            .stdout
            .starts_with("OK - the newest successful backup ended "),
        "{table}"
    );

    let nagios = sim.run(&["--output", "nagios", "check", "--no-schedule-ok"]);
    assert_eq!(nagios.code, 0, "{nagios}");
    let first = nagios.stdout.lines().next().unwrap();
    assert!(first.starts_with("VCSA BACKUP OK - "), "{first}");
    assert!(first.contains(" | age="), "{first}");
    assert!(first.contains(";93600;180000 size="), "{first}");

    let json = sim.run(&["--output", "json", "check", "--no-schedule-ok"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(doc["verdict"], "OK");
    // The last run of the simulator's `default` schedule (every day at 23:00) ended within a day.
    assert!(doc["last_success"]["age_seconds"].as_u64().unwrap() <= 24 * 3600);

    let prometheus = sim.run(&["--output", "prometheus", "check", "--no-schedule-ok"]);
    assert_eq!(prometheus.code, 0, "{prometheus}");
    let samples = parse_prometheus(&prometheus.stdout);
    // Without an inventory or a configuration file, the appliance is its server.
    let server = sim.url();
    let label = format!("{{appliance=\"{server}\",server=\"{server}\"}}");
    assert_eq!(samples[&format!("vcsa_backup_check_success{label}")], 1.0);
    assert_eq!(samples[&format!("vcsa_backup_health_status{label}")], 0.0);
    assert!(samples[&format!("vcsa_backup_last_success_age_seconds{label}")] > 0.0);
    assert!(samples.contains_key(&format!(
        "vcsa_backup_last_success_timestamp_seconds{label}"
    )));
    assert_eq!(
        samples[&format!(
            "vcsa_backup_last_job_state{{appliance=\"{server}\",server=\"{server}\",state=\"succeeded\"}}"
        )],
        1.0
    );

    // Too old for a 1 s warning age and a 2 s critical one.
    let old = sim.run(&[
        "check",
        "--warn-age",
        "1s",
        "--crit-age",
        "2s",
        "--no-schedule-ok",
    ]);
    assert_eq!(old.code, 2, "{old}");
    let old = sim.run(&[
        "check",
        "--warn-age",
        "1s",
        "--crit-age",
        "100d",
        "--no-schedule-ok",
    ]);
    assert_eq!(old.code, 1, "{old}");
}

#[test]
fn the_appliance_words_cannot_break_the_nagios_status_line() {
    let sim = Sim::start(
        Simulator::builder()
            .tls(false)
            .history(3)
            .job_duration(Duration::from_secs(2)),
    );
    sim.control().fail_next_job(vcsa_backup_sim::JobFailure::at(
        10,
        "disk full | quota\nexceeded on the backup host",
    ));
    let backup = sim.run(&[
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/full",
        "--wait",
    ]);
    assert_eq!(backup.code, 1, "the backup failed: {backup}");

    let nagios = sim.run(&["--output", "nagios", "check", "--no-schedule-ok"]);
    assert_eq!(nagios.code, 2, "a failed newest job is CRITICAL: {nagios}");
    let lines: Vec<&str> = nagios.stdout.lines().collect();
    let first = lines[0];
    assert!(first.starts_with("VCSA BACKUP CRITICAL - "), "{nagios}");
    assert!(
        first.contains("disk full / quota exceeded on the backup host"),
        "the message on one line, without its pipe: {nagios}"
    );
    assert_eq!(
        first.matches('|').count(),
        1,
        "one pipe, before the performance data: {first}"
    );
    assert!(first.contains(" | age="), "{first}");
    for line in &lines[1..] {
        assert!(!line.contains('|'), "no pipe in the long output: {nagios}");
    }
}

#[test]
fn usage_errors_and_unreachable_appliances_are_unknown() {
    let run = Run::of(bare_command().args(["check", "--warn-age", "soon"]));
    assert_eq!(run.code, 3, "{run}");
    assert!(
        run.stdout.starts_with("UNKNOWN - invalid command line: "),
        "{run}"
    );
    assert!(run.stderr.contains("--warn-age"), "clap says what: {run}");
    // In the format asked for, so that a Prometheus file gets no stale figures.
    let run = Run::of(bare_command().args(["-o", "nagios", "check", "--bogus"]));
    assert_eq!(run.code, 3, "{run}");
    assert!(
        run.stdout
            .starts_with("VCSA BACKUP UNKNOWN - invalid command line: "),
        "{run}"
    );
    let run = Run::of(bare_command().args([
        "--server",
        "vcsa.example.com",
        "-o",
        "prometheus",
        "check",
        "--time-limit",
        "0s",
    ]));
    assert_eq!(run.code, 3, "a zero time limit could never be met: {run}");
    let samples = parse_prometheus(&run.stdout);
    assert_eq!(
        samples["vcsa_backup_check_success{appliance=\"https://vcsa.example.com\",server=\"https://vcsa.example.com\"}"],
        0.0
    );
    let run = Run::of(bare_command().args(["-o", "json", "check", "--bogus"]));
    assert_eq!(run.code, 3, "{run}");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(doc["verdict"], "UNKNOWN", "{run}");
    // The other commands keep their own exit code for bad input, whatever the words given.
    let run = Run::of(bare_command().args(["backup", "--comment", "check", "--bogus"]));
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(run.stdout, "", "{run}");
    let run = Run::of(bare_command().args(["fleet", "check", "--bogus"]));
    assert_eq!(run.code, 2, "as for a bad inventory: {run}");

    let run = Run::of(bare_command().args(["check", "--warn-age", "50h", "--crit-age", "26h"]));
    assert_eq!(run.code, 3, "{run}");
    assert!(
        run.stdout
            .contains("the warning age (2d 2h) is longer than the critical age"),
        "{run}"
    );

    // Nothing listens on port 9 of loopback.
    let run = Run::of(bare_command().env("VCSA_PASSWORD", DEFAULT_PASSWORD).args([
        "--server",
        "http://127.0.0.1:9",
        "--output",
        "prometheus",
        "check",
    ]));
    assert_eq!(run.code, 3, "{run}");
    let samples = parse_prometheus(&run.stdout);
    assert_eq!(
        samples["vcsa_backup_check_success{appliance=\"http://127.0.0.1:9\",server=\"http://127.0.0.1:9\"}"],
        0.0
    );
    assert_eq!(
        samples["vcsa_backup_health_status{appliance=\"http://127.0.0.1:9\",server=\"http://127.0.0.1:9\"}"],
        3.0
    );
    assert!(
        !samples.keys().any(|k| k.contains("last_success")),
        "no stale figures: {samples:?}"
    );

    let wrong = Run::of(bare_command().env("VCSA_PASSWORD", "Wrong-Pa55").args([
        "--server",
        "http://127.0.0.1:9",
        "check",
    ]));
    assert_eq!(wrong.code, 3, "{wrong}");
}

#[test]
fn the_output_file_is_replaced_whole() {
    let sim = healthy();
    let folder = std::env::temp_dir().join(format!("vcsa-check-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("vcsa.prom");
    std::fs::write(&file, "stale\n").unwrap();
    let run = sim.run(&[
        "--output",
        "prometheus",
        "check",
        "--no-schedule-ok",
        "--output-file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.is_empty(), "{run}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(!written.contains("stale"));
    assert!(!parse_prometheus(&written).is_empty());
    let left: Vec<_> = std::fs::read_dir(&folder).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary file left behind");
    std::fs::remove_dir_all(&folder).unwrap();
}

fn inventory(sims: &vcsa_backup_sim::RunningFleet, extra: &str) -> std::path::PathBuf {
    let folder = std::env::temp_dir().join(format!(
        "vcsa-fleet-{}-{}",
        std::process::id(),
        sims.appliances()[0].url().rsplit(':').next().unwrap()
    ));
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("fleet.toml");
    std::fs::write(
        &path,
        sims.inventory(DEFAULT_USER, "FLEET_PASSWORD") + extra,
    )
    .unwrap();
    path
}

fn fleet_sims(count: usize) -> (tokio::runtime::Runtime, vcsa_backup_sim::RunningFleet) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let sims = runtime
        .block_on(
            Simulator::fleet(count)
                .template(
                    Simulator::builder()
                        .tls(false)
                        .history(2)
                        .job_duration(Duration::from_secs(600)),
                )
                .start(),
        )
        .unwrap();
    (runtime, sims)
}

#[test]
fn fleet_commands_over_simulated_appliances() {
    let (_runtime, sims) = fleet_sims(3);
    let path = inventory(&sims, "");
    let fleet = |args: &[&str]| {
        Run::of(
            bare_command()
                .env("FLEET_PASSWORD", DEFAULT_PASSWORD)
                .args(args)
                .arg("--inventory")
                .arg(&path),
        )
    };
    let list = fleet(&["fleet", "list"]);
    assert_eq!(list.code, 0, "{list}");
    assert!(list.stdout.starts_with("APPLIANCE"), "{list}");
    assert_eq!(list.stdout.lines().count(), 4, "{list}");

    let check = fleet(&["--output", "json", "fleet", "check", "--no-schedule-ok"]);
    assert_eq!(check.code, 0, "{check}");
    let doc: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(doc["appliances"].as_array().unwrap().len(), 3);

    let backup = fleet(&["--output", "json", "fleet", "backup", "--window", "5m"]);
    assert_eq!(backup.code, 0, "{backup}");
    let doc: serde_json::Value = serde_json::from_str(&backup.stdout).unwrap();
    for a in doc["appliances"].as_array().unwrap() {
        assert_eq!(a["result"]["in_window"], true, "{a}");
    }
    // A second round: each appliance is busy with the first.
    let again = fleet(&["fleet", "backup"]);
    assert_eq!(again.code, 4, "{again}");
    assert!(
        again
            .stdout
            .contains("not started: a backup or restore is already running"),
        "{again}"
    );
    for a in sims.appliances() {
        assert_eq!(a.control().state().jobs, 3, "{}: one new backup", a.name());
    }
    // A wrong password: authentication (5); refused by the first two appliances, one after the
    // other, and not tried on the third.
    let wrong = Run::of(
        bare_command()
            .env("FLEET_PASSWORD", "Wrong-Pa55")
            .args(["fleet", "list", "--inventory"])
            .arg(&path),
    );
    assert_eq!(wrong.code, 5, "{wrong}");
    assert_eq!(wrong.stdout.matches("not tried").count(), 1, "{wrong}");
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[test]
fn a_bad_inventory_starts_nothing_and_names_the_entry() {
    let (_runtime, sims) = fleet_sims(2);
    let path = inventory(
        &sims,
        "\n[[appliance]]\nname = \"vcsa-001\"\npassword = \"VMware1!\"\n",
    );
    let run = Run::of(
        bare_command()
            .env("FLEET_PASSWORD", DEFAULT_PASSWORD)
            .args(["fleet", "backup", "--inventory"])
            .arg(&path),
    );
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .contains("(appliance \"vcsa-001\"): name: the name \"vcsa-001\" is already used"),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("a password is written in the inventory"),
        "{run}"
    );
    assert!(
        !run.stderr.contains("VMware1!") && !run.stdout.contains("VMware1!"),
        "{run}"
    );
    for a in sims.appliances() {
        assert_eq!(a.control().state().jobs, 2, "nothing started");
    }
    let grouped = inventory(&sims, "").with_file_name("grouped.toml");
    std::fs::write(
        &grouped,
        sims.inventory(DEFAULT_USER, "FLEET_PASSWORD")
            .replace("\n[[appliance]]\n", "\n[[appliance]]\ngroup = \"sso\"\n"),
    )
    .unwrap();
    let run = Run::of(
        bare_command()
            .env("FLEET_PASSWORD", DEFAULT_PASSWORD)
            .args(["fleet", "backup", "--jobs", "1", "--inventory"])
            .arg(&grouped),
    );
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains("the group \"sso\" has 2 appliances"),
        "{run}"
    );
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

/// The text format with every value (times and ages included) replaced by `V`.
fn without_values(text: &str) -> String {
    text.lines()
        .map(|line| match line.rsplit_once(' ') {
            Some((series, _)) if !line.starts_with('#') => format!("{series} V"),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn fleet_check_gives_the_same_lines_in_inventory_order_in_every_format() {
    let garbage = garbage_server(16);
    let fleet = FleetSims::start(
        Simulator::fleet(3).template(
            Simulator::builder()
                .tls(false)
                .history(2)
                .job_duration(Duration::from_secs(1)),
        ),
        &format!("\n[[appliance]]\nname = \"portal\"\nserver = \"{garbage}\"\n"),
    );
    // vcsa-002's newest backup failed, with a long message.
    let why = "The backup server refused the upload: the quota of the user backup on \
               nas.example.com is exhausted (2048 GB of 2048 GB used); free some space or raise \
               the quota, then run the backup again.";
    fleet
        .control("vcsa-002")
        .fail_next_job(vcsa_backup_sim::JobFailure::at(10, why));
    let failed = Run::of(
        bare_command()
            .env("VCSA_SERVER", fleet.sims.get("vcsa-002").unwrap().url())
            .env("VCSA_PASSWORD", DEFAULT_PASSWORD)
            .args([
                "backup",
                "--location",
                "sftp://backup.example.com/vcsa/full",
                "--wait",
            ]),
    );
    assert_eq!(failed.code, 1, "{failed}");
    let check = |format: &str| fleet.run(&["-o", format, "fleet", "check", "--no-schedule-ok"]);
    let names = ["vcsa-001", "vcsa-002", "vcsa-003", "portal"];

    let first = check("prometheus");
    let second = check("prometheus");
    assert_eq!(first.code, 2, "{first}");
    assert_eq!(
        without_values(&first.stdout),
        without_values(&second.stdout)
    );
    let success: Vec<&str> = first
        .stdout
        .lines()
        .filter(|l| l.starts_with("vcsa_backup_check_success{"))
        .collect();
    assert_eq!(success.len(), 4, "{first}");
    for (line, name) in success.iter().zip(names) {
        let server = match name {
            "portal" => garbage.clone(),
            _ => fleet.sims.get(name).unwrap().url().to_string(),
        };
        assert!(
            line.starts_with(&format!(
                "vcsa_backup_check_success{{appliance=\"{name}\",server=\"{server}\"}} "
            )),
            "the labels of `check`, in inventory order: {line}"
        );
    }
    let states: Vec<&str> = first
        .stdout
        .lines()
        .filter(|l| l.starts_with("vcsa_backup_last_job_state{appliance=\"vcsa-002\""))
        .collect();
    assert_eq!(states.len(), 6, "{first}");
    assert!(
        states
            .iter()
            .any(|l| l.contains("state=\"failed\"}") && l.ends_with(" 1.0")),
        "{states:?}"
    );
    let mut sorted = states.clone();
    sorted.sort_unstable();
    assert_eq!(states, sorted);

    let nagios = check("nagios");
    assert_eq!(nagios.code, 2, "{nagios}");
    let status = nagios.stdout.lines().next().unwrap();
    assert!(
        status.starts_with(
            "VCSA BACKUP CRITICAL - 4 appliances: 1 CRITICAL (vcsa-002), 1 UNKNOWN (portal), 2 OK | "
        ),
        "{nagios}"
    );
    for name in ["vcsa-001", "vcsa-002", "vcsa-003"] {
        assert!(status.contains(&format!(" '{name}::age'=")), "{status}");
        assert!(
            status.contains(&format!(" '{name}::failures'=")),
            "{status}"
        );
    }
    assert_eq!(status.matches('|').count(), 1, "{status}");

    let table = check("table");
    let rows: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(rows.len(), 5, "{table}");
    for (row, name) in rows[1..].iter().zip(names) {
        assert!(row.starts_with(name), "inventory order: {table}");
    }
    assert!(
        rows.iter().all(|r| r.chars().count() <= 80),
        "80 columns: {table}"
    );
    assert!(rows[2].ends_with('…'), "{table}");

    let json = check("json");
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let appliances = doc["appliances"].as_array().unwrap();
    let order: Vec<&str> = appliances
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(order, names);
    assert!(
        appliances[1]["report"]["reasons"][0]["message"]
            .as_str()
            .unwrap()
            .contains("then run the backup again."),
        "the message in full: {json}"
    );
    assert_eq!(
        appliances[0]["server"],
        fleet.sims.get("vcsa-001").unwrap().url()
    );
}

/// The simulator's world agrees with itself: its `default` schedule runs daily and `--history`
/// seeds that schedule's runs with their backups, so a plain `check` (no flag relaxing a rule)
/// is OK on one appliance and on every appliance of a simulated fleet.
#[test]
fn a_simulator_with_history_is_ok_alone_and_in_a_fleet() {
    let sim = healthy();
    let run = sim.run(&["--output", "json", "check"]);
    assert_eq!(run.code, 0, "{run}");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(doc["verdict"], "OK", "{run}");
    let reasons = doc["reasons"].as_array().expect("reasons");
    assert!(reasons.iter().all(|r| r["verdict"] == "OK"), "{run}");

    let fleet = FleetSims::start(
        Simulator::fleet(5).template(Simulator::builder().tls(false).history(3)),
        "",
    );
    let run = fleet.run(&["--output", "json", "fleet", "check"]);
    assert_eq!(run.code, 0, "{run}");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let verdicts: Vec<&str> = doc["appliances"]
        .as_array()
        .expect("appliances")
        .iter()
        .map(|a| a["report"]["verdict"].as_str().unwrap_or("none"))
        .collect();
    assert_eq!(verdicts, ["OK"; 5], "{run}");
}
