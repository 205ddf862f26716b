//! Shared by the integration tests: a simulator running in the background and a way to run the
//! `vcsa-backup` binary against it.

#![allow(dead_code)] // each test file uses its own subset

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use vcsa_backup_sim::{Control, DEFAULT_PASSWORD, RunningSimulator, Simulator, SimulatorBuilder};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_vcsa-backup");

/// A simulator serving from its own runtime while the test runs the binary.
pub struct Sim {
    pub sim: RunningSimulator,
    // Keeps the server's tasks running; dropped (stopping them) after `sim`.
    _runtime: tokio::runtime::Runtime,
}

impl Sim {
    /// Plain HTTP, jobs of `job`.
    pub fn http(job: Duration) -> Self {
        Self::start(Simulator::builder().tls(false).job_duration(job))
    }

    /// From a builder of the test's choice.
    pub fn start(builder: SimulatorBuilder) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the simulator");
        let sim = runtime
            .block_on(builder.start())
            .expect("the simulator starts on 127.0.0.1:0");
        Self {
            sim,
            _runtime: runtime,
        }
    }

    pub fn url(&self) -> &str {
        self.sim.url()
    }

    pub fn control(&self) -> Control {
        self.sim.control()
    }

    /// The binary with `--server` and the password set for this simulator, and nothing else
    /// inherited that could change its behaviour.
    pub fn command(&self) -> Command {
        let mut cmd = bare_command();
        cmd.env("VCSA_SERVER", self.url())
            .env("VCSA_PASSWORD", DEFAULT_PASSWORD);
        cmd
    }

    /// Runs the binary with `args`.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(self.command().args(args))
    }

    /// Starts a backup to `location` and returns its job id.
    pub fn start_backup(&self, location: &str) -> String {
        let run = self.run(&["--output", "json", "backup", "--location", location]);
        assert_eq!(run.code, 0, "{run}");
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output");
        doc["id"].as_str().expect("a job id").to_string()
    }
}

/// The binary with a clean environment: no appliance settings, no passwords.
pub fn bare_command() -> Command {
    let mut cmd = Command::new(BIN);
    for var in [
        "VCSA_SERVER",
        "VCSA_USER",
        "VCSA_PASSWORD",
        "VCSA_LOCATION_PASSWORD",
        "VCSA_BACKUP_PASSWORD",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .stdin(Stdio::null());
    cmd
}

/// What one run printed and how it exited.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn of(cmd: &mut Command) -> Self {
        let Output {
            status,
            stdout,
            stderr,
        } = cmd.output().expect("the binary runs");
        Self {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// The whole run as one text for a snapshot.
    pub fn transcript(&self) -> String {
        format!(
            "exit code: {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            self.stdout.trim_end(),
            self.stderr.trim_end()
        )
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.transcript())
    }
}

/// Redactions for snapshots: job ids, times, ports, thumbprints and OS error numbers change from
/// run to run or between platforms.
pub fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"\b\d{8}-\d{6}-\d+\b", "[JOB-ID]"),
        (
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
            "[TIME]",
        ),
        (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", "[TIME]"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
        (r"([0-9A-F]{2}:){31}[0-9A-F]{2}", "[THUMBPRINT]"),
        // The OS error number differs between platforms (111 on Linux, 61 on macOS).
        (r"os error \d+", "os error [N]"),
    ]
}

/// Asserts a snapshot of `text` with the redactions applied.
macro_rules! snapshot {
    ($name:expr, $text:expr) => {
        insta::with_settings!({ filters => crate::support::filters(), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $text);
        });
    };
}
