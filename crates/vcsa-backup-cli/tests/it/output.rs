//! Where results go: standard output that cannot be written, a closed pipe, an output file that
//! must not be replaced, and the error of a wait that gave up on its job.

use crate::support;

use std::fs::{self, File};
use std::os::unix::fs::{FileTypeExt, symlink};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use support::{HeldSim, Run, Running, Sim, wait_until};
use vcsa_backup_sim::Simulator;

const SHORT: Duration = Duration::from_millis(1500);

/// Standard output on `/dev/full`: every write fails with "no space left".
fn full() -> File {
    File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full opens")
}

#[test]
fn results_that_cannot_be_written_exit_74_in_table_and_json() {
    let sim = Sim::http(SHORT);
    for args in [&["list"][..], &["-o", "json", "parts"][..]] {
        let run = Run::of(sim.command().args(args).stdout(full()));
        assert_eq!(run.code, 74, "{args:?}: {run}");
        assert!(
            run.stderr
                .contains("could not write the result to standard output"),
            "{args:?}: {run}"
        );
        assert!(!run.stderr.contains("panicked"), "{args:?}: {run}");
    }
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let sim = Sim::http(SHORT);
    let mut child = sim
        .command()
        .args(["list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // The reader goes away before the binary has logged in, let alone written.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("the binary ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

/// A fresh folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vcsa-output-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// `check --output-file path` against a healthy appliance: refused before any log in.
fn check_into(sim: &Sim, path: &std::path::Path) -> Run {
    sim.run(&[
        "--output",
        "prometheus",
        "check",
        "--no-schedule-ok",
        "--output-file",
        path.to_str().expect("a UTF-8 path"),
    ])
}

#[test]
fn check_refuses_to_replace_a_symbolic_link_and_leaves_it() {
    let sim = Sim::http(SHORT);
    let dir = folder("symlink");
    let victim = dir.join("victim");
    fs::write(&victim, "precious\n").expect("planted");
    let path = dir.join("vcsa.prom");
    symlink(&victim, &path).expect("a link");

    let run = check_into(&sim, &path);
    assert_eq!(run.code, 3, "{run}");
    assert!(run.stderr.contains("it is a symbolic link"), "{run}");
    assert!(
        run.stdout.contains("vcsa_backup_health_status"),
        "UNKNOWN, as Prometheus reads it: {run}"
    );
    assert_eq!(fs::read_link(&path).expect("still a link"), victim);
    assert_eq!(fs::read_to_string(&victim).expect("read"), "precious\n");
    assert_eq!(sim.control().state().logins, 0, "refused before the log in");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn check_refuses_to_replace_a_fifo_and_leaves_it() {
    let sim = Sim::http(SHORT);
    let dir = folder("fifo");
    let path = dir.join("vcsa.prom");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());

    let run = check_into(&sim, &path);
    assert_eq!(run.code, 3, "{run}");
    assert!(run.stderr.contains("it is a named pipe (FIFO)"), "{run}");
    let kind = fs::symlink_metadata(&path)
        .expect("still there")
        .file_type();
    assert!(kind.is_fifo(), "still a FIFO");
    assert_eq!(
        fs::read_dir(&dir).expect("listed").count(),
        1,
        "nothing left beside it"
    );
    assert_eq!(sim.control().state().logins, 0, "refused before the log in");
    let _ = fs::remove_dir_all(&dir);
}

/// A backup followed with `--deadline 5s` while the appliance stops answering: the wait gives
/// up on a job it had seen running.
fn give_up_during_an_outage(json: bool) -> (Run, String) {
    let sim = HeldSim::start(
        Simulator::builder()
            .tls(false)
            .job_duration(Duration::from_secs(600)),
    );
    let control = sim.control();
    let mut command = sim.command();
    if json {
        command.args(["-o", "json"]);
    }
    let running = Running::spawn(command.args([
        "backup",
        "--location",
        "sftp://backup.example.com/vcsa/outage",
        "--wait",
        "--deadline",
        "5s",
    ]));
    wait_until("the backup started", || control.state().jobs == 1);
    running.wait_for(": in progress 0%");
    sim.with_control(|c| c.unavailable_for(Duration::from_secs(3600)));
    let run = running.finish();
    let id = control.job_ids()[0].clone();
    (run, id)
}

#[test]
fn a_wait_that_gives_up_names_the_job_its_state_and_the_next_commands() {
    let (run, id) = give_up_during_an_outage(false);
    assert_eq!(run.code, 3, "{run}");
    assert!(
        run.stderr
            .contains(&format!("the deadline passed before job {id} ended")),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("last known state: in progress, 0% done"),
        "{run}"
    );
    assert!(
        run.stderr
            .contains(&format!("`vcsa-backup status {id} --wait`")),
        "{run}"
    );
    assert!(
        run.stderr.contains(&format!("`vcsa-backup cancel {id}`")),
        "{run}"
    );
}

#[test]
fn a_wait_that_gives_up_names_the_job_in_json() {
    let (run, id) = give_up_during_an_outage(true);
    assert_eq!(run.code, 3, "{run}");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    let job = &doc["error"]["job"];
    assert_eq!(job["id"], id.as_str(), "{run}");
    assert_eq!(job["state"], "INPROGRESS", "{run}");
    assert_eq!(job["progress"], 0, "{run}");
    assert_eq!(
        job["follow"],
        format!("vcsa-backup status {id} --wait"),
        "{run}"
    );
    assert_eq!(job["cancel"], format!("vcsa-backup cancel {id}"), "{run}");
    assert_eq!(doc["error"]["kind"], "deadline_passed", "{run}");
}
