//! Every subcommand against the embedded simulator: what it prints (snapshots, with ids, times
//! and ports redacted) and how it exits.

use crate::support;

use std::time::Duration;

use support::{HeldSim, Run, Running, Sim, bare_command, wait_until};
use vcsa_backup_sim::{DEFAULT_PASSWORD, EnumField, JobFailure, JobWait, Simulator};

const SHORT: Duration = Duration::from_millis(1500);
const LONG: Duration = Duration::from_secs(120);

#[test]
fn parts_as_a_table_and_as_json() {
    let sim = Sim::http(SHORT);
    let table = sim.run(&["parts"]);
    assert_eq!(table.code, 0, "{table}");
    snapshot!("parts_table", table.transcript());

    let json = sim.run(&["--output", "json", "parts"]);
    assert_eq!(json.code, 0, "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["parts"][0]["id"], "common");
    assert_eq!(
        doc["parts"][0]["estimated_size_mb"], 384,
        "the appliance's estimate"
    );
    snapshot!("parts_json", json.transcript());
}

#[test]
fn backup_starts_a_job_and_a_second_one_is_refused_with_exit_code_4() {
    let sim = Sim::http(LONG);
    let first = sim.run(&[
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/one",
        "--comment",
        "nightly",
    ]);
    assert_eq!(first.code, 0, "{first}");
    snapshot!("backup_started", first.transcript());

    let second = sim.run(&["backup", "--location", "sftp://backup.example.com/vcsa/two"]);
    assert_eq!(second.code, 4, "{second}");
    snapshot!("backup_in_progress", second.transcript());

    let json = sim.run(&[
        "-o",
        "json",
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/two",
    ]);
    assert_eq!(json.code, 4, "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["error"]["kind"], "backup_in_progress");
    assert_eq!(doc["error"]["exit_code"], 4);
}

#[test]
fn backup_wait_follows_the_job_to_success_with_plain_progress_lines() {
    let sim = Sim::http(SHORT);
    let run = sim.run(&[
        "backup",
        "--location",
        "nfs://10.0.0.5:/export/vcsa",
        "--part",
        "seat",
        "--wait",
    ]);
    assert_eq!(run.code, 0, "{run}");
    // Standard error is not a terminal here: one plain line per change, the last one final.
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("job "))
        .collect();
    assert!(lines.len() >= 2, "{run}");
    assert!(lines.last().unwrap().contains(": succeeded 100%"), "{run}");
    assert!(lines.first().unwrap().contains(": in progress"), "{run}");
    snapshot!("backup_wait_stdout", run.stdout.clone());
}

#[test]
fn backup_wait_json_is_one_document_with_the_details() {
    let sim = Sim::http(SHORT);
    let run = sim.run(&[
        "--quiet",
        "-o",
        "json",
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/json",
        "--wait",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stderr, "", "quiet prints nothing on stderr");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["state"], "SUCCEEDED");
    assert_eq!(doc["progress"], 100);
    assert_eq!(doc["details"]["status"], "SUCCEEDED");
    assert_eq!(
        doc["details"]["location"],
        "sftp://backup.example.com/vcsa/json"
    );
    assert!(doc["details"]["size_bytes"].as_u64().unwrap() > 0);
    snapshot!("backup_wait_json", run.stdout.clone());
}

#[test]
fn a_failed_job_exits_1_with_the_appliance_messages() {
    let sim = Sim::http(SHORT);
    sim.control()
        .fail_next_job(JobFailure::at(40, "The backup server ran out of space."));
    let run = sim.run(&[
        "-q",
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/full",
        "--wait",
    ]);
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.contains("ran out of space"), "{run}");
    snapshot!("backup_failed", run.transcript());
}

#[test]
fn the_deadline_exits_3_and_says_the_job_goes_on() {
    // A held clock: the job stays where it started, whenever the binary last reads it.
    let sim = HeldSim::start(Simulator::builder().tls(false).job_duration(LONG));
    let run = Run::of(sim.command().args([
        "-q",
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/slow",
        "--wait",
        "--deadline",
        "2s",
    ]));
    assert_eq!(run.code, 3, "{run}");
    assert!(
        sim.control().state().running_job.is_some(),
        "the job goes on after the tool gave up"
    );
    snapshot!("backup_deadline", run.transcript());
}

#[test]
fn when_idle_waits_for_the_running_backup_then_starts() {
    let sim = Sim::http(Duration::from_secs(2));
    let blocker = sim.start_backup("sftp://backup.example.com/vcsa/first");
    let run = sim.run(&[
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/second",
        "--when-idle",
        "--wait",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr.contains("waiting for it to end before starting"),
        "{run}"
    );
    assert!(
        run.stderr.contains(&format!("for job {blocker} to end")),
        "{run}"
    );
    let ids = sim.control().job_ids();
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[1], blocker, "the new job started after the blocker");
}

#[test]
fn status_of_a_job_and_of_an_unknown_job() {
    let sim = Sim::http(SHORT);
    let id = sim.start_backup("sftp://backup.example.com/vcsa/status");
    let waited = sim.run(&["status", &id, "--wait", "-q"]);
    assert_eq!(waited.code, 0, "{waited}");
    let run = sim.run(&["status", &id]);
    assert_eq!(run.code, 0, "{run}");
    snapshot!("status_succeeded", run.transcript());

    let missing = sim.run(&["status", "20200101-000000-1"]);
    assert_eq!(missing.code, 2, "{missing}");
    snapshot!("status_not_found", missing.transcript());
}

#[test]
fn list_shows_recent_jobs_newest_first() {
    // A fixed clock: the jobs' folders are named by their times.
    let sim = Sim::start(
        Simulator::builder()
            .tls(false)
            .start_time("2026-05-18T12:00:00Z".parse().unwrap())
            .job_duration(SHORT)
            .history(4),
    );
    let table = sim.run(&["list", "--limit", "3"]);
    assert_eq!(table.code, 0, "{table}");
    assert_eq!(
        table.stdout.lines().count(),
        4,
        "a header and 3 jobs: {table}"
    );
    snapshot!("list_table", table.transcript());

    let json = sim.run(&["-o", "json", "list"]);
    assert_eq!(json.code, 0, "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let jobs = doc["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 4);
    assert_eq!(jobs[0]["id"], sim.control().job_ids()[0].as_str());
    snapshot!("list_json", json.stdout.clone());
}

#[test]
fn list_on_a_fresh_appliance_says_there_is_nothing() {
    let sim = Sim::http(SHORT);
    let run = sim.run(&["list"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stdout.trim(), "No backup jobs on the appliance yet.");
}

#[test]
fn cancel_a_running_job_and_an_unknown_one() {
    let sim = Sim::http(LONG);
    let id = sim.start_backup("sftp://backup.example.com/vcsa/cancel");
    let run = sim.run(&["cancel", &id]);
    assert_eq!(run.code, 0, "{run}");
    snapshot!("cancel_running", run.transcript());

    let missing = sim.run(&["cancel", "20200101-000000-1"]);
    assert_eq!(missing.code, 2, "{missing}");
    snapshot!("cancel_not_found", missing.transcript());
}

#[test]
fn schedule_run_starts_the_default_schedule_and_refuses_an_unknown_one() {
    let sim = Sim::http(SHORT);
    let run = sim.run(&[
        "schedule",
        "run",
        "default",
        "--comment",
        "before upgrade",
        "--wait",
    ]);
    assert_eq!(run.code, 0, "{run}");
    // The job writes a fresh folder named for the time it started, by the wall clock.
    let mut filters = support::filters();
    filters.push((r"_\d{8}-\d{6}_", "_[STAMP]_"));
    insta::with_settings!({ filters => filters, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("schedule_run_stdout", run.stdout.clone());
    });

    let missing = sim.run(&["schedule", "run", "weekly"]);
    assert_eq!(missing.code, 2, "{missing}");
    snapshot!("schedule_not_found", missing.transcript());
}

#[test]
fn validate_passes_fails_and_catches_bad_input_before_sending() {
    let sim = Sim::http(SHORT);
    let ok = sim.run(&[
        "validate",
        "--location",
        "sftp://backup.example.com/vcsa/new",
    ]);
    assert_eq!(ok.code, 0, "{ok}");
    snapshot!("validate_ok", ok.transcript());

    let unreachable = sim.run(&["validate", "--location", "sftp://nas.invalid/backups"]);
    assert_eq!(unreachable.code, 1, "{unreachable}");
    snapshot!("validate_fail", unreachable.transcript());

    let invalid = sim.run(&[
        "validate",
        "--location",
        "gopher://backup.example.com/x",
        "--part",
        "bad part",
    ]);
    assert_eq!(invalid.code, 2, "{invalid}");
    snapshot!("validate_invalid_input", invalid.transcript());
}

#[test]
fn the_rest_flavour_works_the_same() {
    let sim = Sim::http(SHORT);
    let run = sim.run(&[
        "--flavour",
        "rest",
        "-q",
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/rest",
        "--wait",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("succeeded"), "{run}");
}

#[test]
fn a_wrong_password_exits_5() {
    let sim = Sim::http(SHORT);
    let run = Run::of(
        sim.command()
            .env("VCSA_PASSWORD", "wrong-password")
            .arg("parts"),
    );
    assert_eq!(run.code, 5, "{run}");
    assert!(!run.stderr.contains("wrong-password"), "{run}");
    snapshot!("wrong_password", run.transcript());
}

#[test]
fn an_unreachable_appliance_exits_6() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = Run::of(bare_command().env("VCSA_PASSWORD", "x").args([
        "--server",
        &format!("http://127.0.0.1:{port}"),
        "parts",
    ]));
    assert_eq!(run.code, 6, "{run}");
    assert!(
        run.stderr
            .starts_with("error: could not talk to the appliance"),
        "{run}"
    );
    snapshot!("unreachable", run.transcript());
}

#[test]
fn a_busy_appliance_exits_6() {
    let sim = Sim::http(SHORT);
    sim.control().fail_next(50);
    let run = sim.run(&["parts"]);
    assert_eq!(run.code, 6, "{run}");
    assert!(run.stderr.contains("hint: "), "{run}");
    snapshot!("busy", run.transcript());
}

#[test]
fn without_a_password_and_without_a_terminal_exits_2() {
    let sim = Sim::http(SHORT);
    let run = Run::of(sim.command().env_remove("VCSA_PASSWORD").arg("parts"));
    assert_eq!(run.code, 2, "{run}");
    snapshot!("no_password", run.transcript());
}

#[test]
fn without_a_server_exits_2_and_points_at_the_demo() {
    let run = Run::of(bare_command().arg("parts"));
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("vcsa-backup demo"), "{run}");
}

#[test]
fn passwords_come_from_files_and_never_show() {
    let sim = Sim::http(SHORT);
    let dir = std::env::temp_dir().join(format!("vcsa-cli-pw-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    let appliance = write("appliance", &format!("{DEFAULT_PASSWORD}\n"));
    let location = write("location", "Sftp-Pass-123\n");
    let backup = write("backup", "Encrypt-Me-456!\n");
    let run = Run::of(sim.command().env_remove("VCSA_PASSWORD").args([
        "-vvv",
        "--password-file",
        &appliance,
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/secret",
        "--location-user",
        "backup",
        "--location-password-file",
        &location,
        "--backup-password-file",
        &backup,
        "--wait",
    ]));
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(run.code, 0, "{run}");
    for secret in [DEFAULT_PASSWORD, "Sftp-Pass-123", "Encrypt-Me-456!"] {
        assert!(!run.stdout.contains(secret), "{secret} in stdout");
        assert!(!run.stderr.contains(secret), "{secret} in stderr");
    }
    // -vvv logged the requests, so the test above looked at something.
    assert!(run.stderr.lines().count() > 5, "{run}");
}

#[test]
fn a_weak_backup_password_is_refused_before_sending_without_showing_it() {
    let sim = Sim::http(SHORT);
    let run = Run::of(sim.command().env("VCSA_BACKUP_PASSWORD", "weak").args([
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/weak",
    ]));
    assert_eq!(run.code, 2, "{run}");
    assert!(
        !run.stderr.contains("weak\n") && !run.stderr.contains("\"weak\""),
        "{run}"
    );
    assert!(sim.control().job_ids().is_empty(), "nothing was started");
    snapshot!("weak_backup_password", run.transcript());
}

#[test]
fn tls_trust_by_thumbprint_by_ca_and_a_wrong_thumbprint() {
    let sim = Sim::start(Simulator::builder().job_duration(SHORT));
    let thumbprint = sim.sim.thumbprint().unwrap().to_string();
    let pinned = sim.run(&["--thumbprint", &thumbprint, "parts"]);
    assert_eq!(pinned.code, 0, "{pinned}");

    let dir = std::env::temp_dir().join(format!("vcsa-cli-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, sim.sim.ca_certificate_pem().unwrap()).unwrap();
    let by_ca = sim.run(&["--ca-cert", ca.to_str().unwrap(), "parts"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(by_ca.code, 0, "{by_ca}");

    let untrusted = sim.run(&["parts"]);
    assert_eq!(untrusted.code, 6, "{untrusted}");
    snapshot!("untrusted_certificate", untrusted.transcript());

    let wrong = sim.run(&["--thumbprint", &format!("{}CD", "AB:".repeat(31)), "parts"]);
    assert_eq!(wrong.code, 6, "{wrong}");
    snapshot!("wrong_thumbprint", wrong.transcript());

    let insecure = sim.run(&["--insecure", "parts"]);
    assert_eq!(insecure.code, 0, "{insecure}");
}

#[test]
fn bad_options_exit_2() {
    let run = Run::of(bare_command().args(["backup"]));
    assert_eq!(run.code, 2, "{run}");
    let run = Run::of(bare_command().args(["--password", "x", "parts"]));
    assert_eq!(run.code, 2, "a password is never an argument: {run}");
}

#[test]
fn the_demo_runs_a_backup_and_shows_the_refused_second_one() {
    // Long enough that the second start surely meets the first job still running.
    let run = Run::of(bare_command().args(["demo", "--job-duration", "3s"]));
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("exit code 4"), "{run}");
    assert!(run.stdout.contains("State          succeeded"), "{run}");
    // The schedule fired on each of the three nights the clock skipped, and left an archive.
    assert_eq!(
        run.stdout.matches("SCHEDULED  SUCCEEDED").count(),
        3 + 3,
        "{run}"
    );
    assert_eq!(run.stdout.matches("  S_8.0.3.00400_").count(), 3, "{run}");
    // The demo's clock starts at noon today: the dates change from day to day, times do not.
    let mut filters = support::filters();
    filters.extend([
        (r"_\d{8}-(\d{6})_", "_[DATE]-${1}_"),
        (r"\d{4}-\d{2}-\d{2} (\d{2}:\d{2}) UTC", "[DATE] $1 UTC"),
    ]);
    insta::with_settings!({ filters => filters, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("demo_stdout", run.stdout.clone());
    });
}

#[test]
fn values_from_a_newer_appliance_are_shown_as_sent() {
    let sim = Sim::http(LONG);
    let id = sim.start_backup("sftp://backup.example.com/vcsa/future");
    sim.control()
        .inject_unknown_enum(EnumField::JobState, "PAUSED");
    sim.control()
        .inject_unknown_enum(EnumField::DetailsType, "LOCAL_BACKUP_V2");
    let run = sim.run(&["status", &id]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(field(&run.stdout, "State"), Some("PAUSED"), "{run}");
    assert_eq!(field(&run.stdout, "Type"), Some("LOCAL_BACKUP_V2"), "{run}");
    let json = sim.run(&["-o", "json", "status", &id]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["state"], "PAUSED");
    assert_eq!(doc["details"]["type"], "LOCAL_BACKUP_V2");
}

#[test]
fn the_password_can_come_from_standard_input() {
    use std::io::Write;
    let sim = Sim::http(SHORT);
    let mut child = sim
        .command()
        .env_remove("VCSA_PASSWORD")
        .args(["--password-file", "-", "parts"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{DEFAULT_PASSWORD}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("common"));
}

/// The value of `name` in `Field   value` output.
fn field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|l| l.strip_prefix(name).filter(|rest| rest.starts_with("  ")))
        .map(str::trim)
}

#[test]
fn a_server_that_is_not_an_appliance_exits_7() {
    // A web server that answers every request with a page, as a proxy or portal would.
    let url = support::garbage_server(8);
    let run = Run::of(bare_command().env("VCSA_PASSWORD", "x").args([
        "--server",
        &url,
        "--flavour",
        "api",
        "parts",
    ]));
    assert_eq!(run.code, 7, "{run}");
    snapshot!("not_an_appliance", run.transcript());
}

#[test]
fn waiting_survives_sessions_that_expire_between_reads() {
    // The simulator's clock moves only when this test moves it: each move past the idle
    // timeout ends the binary's session, and its next read has to log in again.
    let sim = HeldSim::start(
        Simulator::builder()
            .tls(false)
            .job_duration(Duration::from_secs(60))
            .session_idle_timeout(Duration::from_secs(1)),
    );
    let control = sim.control();
    let running = Running::spawn(sim.command().args([
        "-q",
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/expiring",
        "--wait",
    ]));
    wait_until("the backup started", || control.state().jobs == 1);
    assert_eq!(control.state().logins, 1);

    sim.advance(Duration::from_secs(2));
    wait_until("a log-in after the session expired", || {
        control.state().logins == 2
    });
    sim.advance(Duration::from_secs(60));
    let run = running.finish();

    assert_eq!(run.code, 0, "{run}");
    assert_eq!(field(&run.stdout, "State"), Some("succeeded"), "{run}");
    // The first log-in, then one after each move of the clock past the idle timeout.
    assert_eq!(control.state().logins, 3, "{run}");
    assert_eq!(control.state().jobs, 1, "no backup was started twice");
}

#[test]
fn backup_wait_rides_out_an_outage_and_a_storm_of_refused_sessions() {
    // What a fast backup does to the appliance's services: two minutes of 503s, then two
    // minutes in which every new session is refused right after its log-in. The simulator's
    // clock moves only when this test moves it, after the binary has met each fault.
    let sim = HeldSim::start(
        Simulator::builder()
            .tls(false)
            .job_duration(Duration::from_secs(600)),
    );
    let control = sim.control();
    let running = Running::spawn(sim.command().args([
        "-v",
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/storm",
        "--wait",
    ]));
    wait_until("the backup started", || control.state().jobs == 1);

    sim.with_control(|c| c.unavailable_for(Duration::from_secs(120)));
    running.wait_for("reading the backup job failed; retrying");
    sim.advance(Duration::from_secs(120));

    sim.with_control(|c| c.refuse_sessions_for(Duration::from_secs(120)));
    running.wait_for("the log in succeeded, but the appliance refused the new session at once");
    sim.advance(Duration::from_secs(120));
    sim.advance(Duration::from_secs(600));
    let run = running.finish();

    assert_eq!(run.code, 0, "{run}");
    assert_eq!(field(&run.stdout, "State"), Some("succeeded"), "{run}");
    assert!(!run.stderr.contains("check --user"), "{run}");
    assert_eq!(control.state().jobs, 1, "no backup was started twice");
}

#[test]
fn a_limit_of_zero_is_refused() {
    let run = Run::of(bare_command().args(["list", "--limit", "0"]));
    assert_eq!(run.code, 2, "{run}");
}

#[test]
fn json_output_is_one_document_even_when_the_command_fails() {
    let sim = Sim::http(SHORT);
    sim.control()
        .fail_next_job(JobFailure::at(40, "The backup server ran out of space."));
    let failed = sim.run(&[
        "-q",
        "-o",
        "json",
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/one-doc",
        "--wait",
    ]);
    assert_eq!(failed.code, 1, "{failed}");
    let doc: serde_json::Value = serde_json::from_str(&failed.stdout).expect("one JSON document");
    assert_eq!(doc["state"], "FAILED");
    assert_eq!(
        doc["details"]["error"][0]["text"],
        "The backup server ran out of space."
    );

    let refused = sim.run(&[
        "-o",
        "json",
        "validate",
        "--location",
        "sftp://nas.invalid/x",
    ]);
    assert_eq!(refused.code, 1, "{refused}");
    let doc: serde_json::Value = serde_json::from_str(&refused.stdout).expect("one JSON document");
    assert_eq!(doc["status"], "FAIL");

    let id = sim.control().job_ids()[0].clone();
    let not_cancelled = sim.run(&["-o", "json", "cancel", &id]);
    assert_eq!(not_cancelled.code, 1, "{not_cancelled}");
    let doc: serde_json::Value =
        serde_json::from_str(&not_cancelled.stdout).expect("one JSON document");
    assert_eq!(doc["status"], "FAIL");
    assert_eq!(doc["job_id"], id.as_str());
}

#[test]
fn a_job_that_waits_before_it_runs_says_why() {
    // The simulator's clock moves only when this test moves it, each time after the binary
    // has shown what the job does: PENDING, then BLOCKED (running, at 0%), then done.
    let sim = HeldSim::start(
        Simulator::builder()
            .tls(false)
            .job_duration(Duration::from_secs(60)),
    );
    sim.control().delay_next_job(JobWait::new(
        Duration::from_secs(600),
        Duration::from_secs(300),
    ));
    let running = Running::spawn(sim.command().args([
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/queued",
        "--wait",
    ]));
    running.wait_for(": not started (pending) 0%");
    sim.advance(Duration::from_secs(600));
    running.wait_for(": in progress 0%");
    sim.advance(Duration::from_secs(300 + 60));
    let run = running.finish();

    assert_eq!(run.code, 0, "{run}");
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("job "))
        .collect();
    // The watch reports changes of the job's own state: queued, running, done.
    assert_eq!(lines.len(), 3, "{run}");
    assert!(lines[0].contains(": not started (pending) 0%"), "{run}");
    assert!(lines[1].contains(": in progress 0%"), "{run}");
    assert!(lines[2].contains(": succeeded 100%"), "{run}");
}
