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

/// A simulator whose clock stands still until the test moves it ([`advance`](Self::advance)):
/// its jobs and sessions change only when the test says, however fast or slow the binary under
/// test reads them. Its runtime runs on a thread of its own, on tokio's paused clock.
pub struct HeldSim {
    pub sim: RunningSimulator,
    requests: tokio::sync::mpsc::UnboundedSender<(Request, std::sync::mpsc::Sender<()>)>,
}

/// What the test asks of the simulator's runtime.
enum Request {
    Advance(Duration),
    /// Control calls that read the clock (faults for a span of time) must run on the
    /// simulator's runtime, whose clock is held.
    Control(Box<dyn FnOnce(&Control) + Send>),
}

impl HeldSim {
    /// Starts the simulator of `builder` on a held clock.
    pub fn start(builder: SimulatorBuilder) -> Self {
        let (started, sim) = std::sync::mpsc::channel();
        let (requests, mut incoming) =
            tokio::sync::mpsc::unbounded_channel::<(Request, std::sync::mpsc::Sender<()>)>();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .start_paused(true)
                .build()
                .expect("a runtime for the simulator");
            runtime.block_on(async move {
                let sim = builder.start().await.expect("the simulator starts");
                let control = sim.control();
                let _ = started.send(sim);
                // Serves until the test ends; the clock moves only here.
                while let Some((request, done)) = incoming.recv().await {
                    match request {
                        Request::Advance(by) => tokio::time::advance(by).await,
                        Request::Control(apply) => apply(&control),
                    }
                    let _ = done.send(());
                }
            });
        });
        let sim = sim.recv().expect("the simulator starts on 127.0.0.1:0");
        Self { sim, requests }
    }

    fn ask(&self, request: Request) {
        let (done, answered) = std::sync::mpsc::channel();
        self.requests
            .send((request, done))
            .expect("the simulator's runtime runs");
        answered.recv().expect("the simulator's runtime answers");
    }

    /// Moves the simulator's clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.ask(Request::Advance(by));
    }

    /// Runs `apply` on the simulator's runtime, where its clock is.
    pub fn with_control(&self, apply: impl FnOnce(&Control) + Send + 'static) {
        self.ask(Request::Control(Box::new(apply)));
    }

    /// The simulator's control handle, for counts (jobs, log-ins) and faults that do not
    /// depend on the time: this thread does not see the held clock.
    pub fn control(&self) -> Control {
        self.sim.control()
    }

    /// The binary set up for this simulator (see [`Sim::command`]).
    pub fn command(&self) -> Command {
        let mut cmd = bare_command();
        cmd.env("VCSA_SERVER", self.sim.url())
            .env("VCSA_PASSWORD", DEFAULT_PASSWORD);
        cmd
    }
}

/// Waits until `condition` holds, checking it every 20 ms, for at most 60 s.
pub fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let until = std::time::Instant::now() + Duration::from_secs(60);
    while !condition() {
        assert!(std::time::Instant::now() < until, "never saw {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The binary running in the background, its standard error collected line by line as it comes.
pub struct Running {
    child: std::process::Child,
    stderr: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    reader: std::thread::JoinHandle<()>,
}

impl Running {
    pub fn spawn(cmd: &mut Command) -> Self {
        use std::io::BufRead;
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let pipe = child.stderr.take().expect("a piped standard error");
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let lines = stderr.clone();
        let reader = std::thread::spawn(move || {
            for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        Self {
            child,
            stderr,
            reader,
        }
    }

    /// Waits until a line of standard error contains `text`.
    pub fn wait_for(&self, text: &str) {
        let until = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let lines = self.stderr.lock().unwrap().clone();
            if lines.iter().any(|l| l.contains(text)) {
                return;
            }
            let shown = lines.join("\n");
            assert!(
                std::time::Instant::now() < until,
                "never saw {text:?} on standard error:\n{shown}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the exit, then for all of the output.
    pub fn finish(self) -> Run {
        let output = self.child.wait_with_output().expect("the binary ends");
        self.reader
            .join()
            .expect("standard error is read to its end");
        let stderr = self.stderr.lock().unwrap().join("\n");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr,
        }
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
        "VCSA_THUMBPRINT",
        "VCSA_CA_CERT",
        "VCSA_CONFIG",
        "VCSA_APPLIANCE",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    // No configuration file but the test's own: never the one of whoever runs the tests.
    cmd.env(
        "XDG_CONFIG_HOME",
        std::env::temp_dir().join("vcsa-backup-tests-no-config"),
    );
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

/// The environment variable the fleet inventories of the tests read the password from.
pub const FLEET_PASSWORD_ENV: &str = "FLEET_PASSWORD";

/// Simulated appliances serving from their own runtime, and an inventory file naming them.
pub struct FleetSims {
    pub sims: vcsa_backup_sim::RunningFleet,
    pub inventory: std::path::PathBuf,
    // Keeps the servers' tasks running; dropped after `sims`.
    _runtime: tokio::runtime::Runtime,
}

impl FleetSims {
    /// Starts the appliances of `builder`; the inventory names them all, then `extra` (more
    /// TOML, such as further entries).
    pub fn start(builder: vcsa_backup_sim::FleetBuilder, extra: &str) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the simulators");
        let sims = runtime
            .block_on(builder.start())
            .expect("the simulators start on 127.0.0.1:0");
        let folder = std::env::temp_dir().join(format!(
            "vcsa-fleet-sims-{}-{}",
            std::process::id(),
            sims.appliances()[0].url().rsplit(':').next().unwrap_or("0")
        ));
        std::fs::create_dir_all(&folder).expect("a folder for the inventory");
        let inventory = folder.join("fleet.toml");
        std::fs::write(
            &inventory,
            sims.inventory(vcsa_backup_sim::DEFAULT_USER, FLEET_PASSWORD_ENV) + extra,
        )
        .expect("the inventory is written");
        Self {
            sims,
            inventory,
            _runtime: runtime,
        }
    }

    /// The binary with the fleet's password, running `args` then `--inventory <file>`.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = bare_command();
        cmd.env(FLEET_PASSWORD_ENV, DEFAULT_PASSWORD)
            .args(args)
            .arg("--inventory")
            .arg(&self.inventory);
        cmd
    }

    /// Runs the binary with `args` (see [`command`](Self::command)).
    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(&mut self.command(args))
    }

    /// The appliance named `name`'s control handle.
    pub fn control(&self, name: &str) -> Control {
        self.sims
            .get(name)
            .expect("an appliance of the fleet")
            .control()
    }
}

impl Drop for FleetSims {
    fn drop(&mut self) {
        if let Some(folder) = self.inventory.parent() {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

/// A web server on 127.0.0.1 that answers every request with a page that is not the
/// appliance's API (as a proxy or portal would), for `requests` requests; its URL.
pub fn garbage_server(requests: usize) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { break };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let body = "<html><body>Welcome to the intranet</body></html>";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}
