//! The tool on a real (pseudo-)terminal: the progress bar as drawn on screen, and the password
//! prompt.

use crate::support;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use support::{BIN, Sim};
use vcsa_backup_sim::DEFAULT_PASSWORD;

// Tall enough that the whole demo stays on screen.
const ROWS: u16 = 100;
const COLS: u16 = 160;

/// A child process on a pseudo-terminal, with everything it wrote collected.
struct OnTerminal {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    output: Arc<Mutex<Vec<u8>>>,
    /// Tells when everything the child wrote has been read.
    read_all: mpsc::Receiver<()>,
    // Kept open until the end: closing it early hangs up the child's terminal.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl OnTerminal {
    fn spawn(args: &[&str], env: &[(&str, &str)]) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        for var in [
            "VCSA_SERVER",
            "VCSA_USER",
            "VCSA_PASSWORD",
            "VCSA_LOCATION_PASSWORD",
            "VCSA_BACKUP_PASSWORD",
            "NO_COLOR",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("the binary starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = output.clone();
        let (done, read_all) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // Ends with EOF or EIO once the child has exited and its last output was read.
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
            let _ = done.send(());
        });
        Self {
            child,
            writer,
            output,
            read_all,
            _master: pair.master,
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// Waits until the output contains `needle`.
    fn expect(&self, needle: &str) {
        let until = Instant::now() + Duration::from_secs(30);
        while !self.text().contains(needle) {
            assert!(
                Instant::now() < until,
                "never saw {needle:?} in:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen satisfies `check`, and returns it.
    fn wait_for_screen(&self, check: impl Fn(&str) -> bool) -> String {
        let until = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if check(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < until,
                "the screen never showed it:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types Ctrl-C, which the terminal turns into SIGINT for the foreground process, as for
    /// a person; the exit code and the screen once the command has ended.
    fn interrupt(&mut self) -> (u32, String) {
        self.writer.write_all(b"\x03").unwrap();
        self.writer.flush().unwrap();
        let code = self.wait();
        (code, self.screen())
    }

    /// Waits for the exit code, then until the last output has been read.
    fn wait(&mut self) -> u32 {
        let until = Instant::now() + Duration::from_secs(60);
        let code = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status.exit_code();
            }
            if Instant::now() > until {
                let _ = self.child.kill();
                panic!("the command did not end:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        self.read_all
            .recv_timeout(Duration::from_secs(30))
            .expect("the terminal reports its end once the command has exited");
        code
    }

    /// The screen's rows, each on its own (`screen` joins a row that fills the width with the
    /// next).
    fn rows(&self) -> Vec<String> {
        let mut parser = vt100::Parser::new(ROWS, COLS, 0);
        parser.process(&self.output.lock().unwrap());
        parser.screen().rows(0, COLS).collect()
    }

    /// The screen as a terminal shows it at the end.
    fn screen(&self) -> String {
        let mut parser = vt100::Parser::new(ROWS, COLS, 0);
        parser.process(&self.output.lock().unwrap());
        parser.screen().contents()
    }
}

#[test]
fn the_progress_bar_shows_percentage_state_elapsed_time_and_size() {
    let sim = Sim::http(Duration::from_secs(4));
    let mut term = OnTerminal::spawn(
        &[
            "--server",
            sim.url(),
            "backup",
            "--location",
            "sftp://backup.example.com/vcsa/tty",
            "--wait",
        ],
        &[("VCSA_PASSWORD", DEFAULT_PASSWORD)],
    );
    // While the job runs, the bar is partly filled and says the job is in progress.
    let partial = term.wait_for_screen(|screen| {
        screen.lines().any(|line| {
            line.contains("in progress, ")
                && line.split('[').nth(1).is_some_and(|rest| {
                    let bar: String = rest.chars().take_while(|c| *c != ']').collect();
                    bar.len() == 30 && bar.starts_with('#') && bar.ends_with('-')
                })
        })
    });
    assert!(partial.contains("% 00:00:0"), "{partial}");
    let code = term.wait();
    assert_eq!(code, 0, "{}", term.text());

    let screen = term.screen();
    let id = &sim.control().job_ids()[0];
    let bar_line = screen
        .lines()
        .map(str::trim_end)
        .find(|l| l.contains(id.as_str()) && l.contains('['))
        .unwrap_or_else(|| panic!("no progress bar for {id} on screen:\n{screen}"));
    // `✔ job <id> [##############################] 100% 00:00:04 succeeded, 1.2 GiB written`
    let full = format!("{id} [{}] 100% 00:00:0", "#".repeat(30));
    assert!(bar_line.contains(&full), "{bar_line}");
    assert!(bar_line.contains("succeeded, "), "{bar_line}");
    assert!(bar_line.ends_with("written"), "{bar_line}");
    assert!(bar_line.starts_with('✔'), "{bar_line}");
    // The result follows the bar, on standard output.
    assert!(
        screen.contains("State     ") || screen.contains("State  "),
        "{screen}"
    );
}

#[test]
fn the_password_is_asked_for_on_the_terminal_and_not_echoed() {
    let sim = Sim::http(Duration::from_secs(1));
    let mut term = OnTerminal::spawn(&["--server", sim.url(), "parts"], &[]);
    // The prompt names the user and the appliance.
    term.expect(&format!(
        "Appliance password for administrator@vsphere.local on {}: ",
        sim.url()
    ));
    write!(term.writer, "{DEFAULT_PASSWORD}\r").unwrap();
    term.writer.flush().unwrap();
    let code = term.wait();
    let text = term.text();
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("common"), "{text}");
    assert!(
        !text.contains(DEFAULT_PASSWORD),
        "the password was echoed:\n{text}"
    );
}

#[test]
fn schedule_delete_asks_on_the_terminal() {
    let sim = Sim::http(Duration::from_secs(1));
    for (answer, code, left) in [("n", 2, 1), ("y", 0, 0)] {
        let mut term = OnTerminal::spawn(
            &["--server", sim.url(), "schedule", "delete", "default"],
            &[("VCSA_PASSWORD", DEFAULT_PASSWORD)],
        );
        term.expect(&format!(
            "Delete schedule \"default\" on {}? [y/N] ",
            sim.url()
        ));
        write!(term.writer, "{answer}\r").unwrap();
        term.writer.flush().unwrap();
        let exit = term.wait();
        let text = term.text();
        assert_eq!(exit, code, "{answer}: {text}");
        assert_eq!(
            sim.control().state().schedules.len(),
            left,
            "{answer}: {text}"
        );
    }
}

#[test]
fn ctrl_c_stops_following_but_not_the_backup() {
    let sim = Sim::http(Duration::from_secs(120));
    let mut term = OnTerminal::spawn(
        &[
            "--server",
            sim.url(),
            "backup",
            "--location",
            "sftp://backup.example.com/vcsa/interrupted",
            "--wait",
        ],
        &[("VCSA_PASSWORD", DEFAULT_PASSWORD)],
    );
    term.expect("in progress");
    let (code, screen) = term.interrupt();
    assert_eq!(code, 130, "exit code {code}:\n{screen}");
    assert!(
        screen.contains("the job goes on on the appliance"),
        "{screen}"
    );
    assert!(
        sim.control().state().running_job.is_some(),
        "the backup still runs"
    );
}

#[test]
fn the_demo_draws_its_progress_bar_on_a_terminal() {
    let mut term = OnTerminal::spawn(&["demo", "--job-duration", "2s"], &[]);
    let code = term.wait();
    let screen = term.screen();
    assert_eq!(code, 0, "{}", term.text());
    let bar = format!("[{}] 100% 00:00:02 succeeded, ", "#".repeat(30));
    assert!(screen.contains(&bar), "{screen}");
    assert!(screen.contains("(exit code 4:"), "{screen}");
    assert!(
        screen.contains("Point the same commands at a real appliance"),
        "{screen}"
    );
}

#[test]
fn the_encryption_password_is_asked_for_twice() {
    let sim = Sim::http(Duration::from_secs(1));
    let args = [
        "--server",
        sim.url(),
        "validate",
        "--location",
        "sftp://backup.example.com/vcsa/encrypted",
        "--encrypt",
    ];
    let env = [("VCSA_PASSWORD", DEFAULT_PASSWORD)];

    let mut term = OnTerminal::spawn(&args, &env);
    term.expect("Backup encryption password: ");
    term.writer.write_all(b"Encrypt-Me-456!\r").unwrap();
    term.expect("Repeat it: ");
    term.writer.write_all(b"Encrypt-Me-456!\r").unwrap();
    let code = term.wait();
    let screen = term.screen();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("The appliance can back up to"), "{screen}");
    assert!(
        !screen.contains("Encrypt-Me"),
        "the password was echoed:\n{screen}"
    );

    let mut term = OnTerminal::spawn(&args, &env);
    term.expect("Backup encryption password: ");
    term.writer.write_all(b"Encrypt-Me-456!\r").unwrap();
    term.expect("Repeat it: ");
    term.writer.write_all(b"Encrypt-Me-457!\r").unwrap();
    let code = term.wait();
    let screen = term.screen();
    assert_eq!(code, 2, "{screen}");
    assert!(
        screen.contains("the two entries of the backup encryption password differ"),
        "{screen}"
    );
}

#[test]
fn fleet_backup_wait_draws_a_bar_per_appliance() {
    let fleet = support::FleetSims::start(
        vcsa_backup_sim::Simulator::fleet(3).template(
            vcsa_backup_sim::Simulator::builder()
                .tls(false)
                .job_duration(Duration::from_secs(2)),
        ),
        "",
    );
    fleet
        .control("vcsa-002")
        .fail_next_job(vcsa_backup_sim::JobFailure::at(
            50,
            "The backup server is full.",
        ));
    let inventory = fleet.inventory.to_str().unwrap();
    let mut term = OnTerminal::spawn(
        &["fleet", "backup", "--wait", "--inventory", inventory],
        &[(support::FLEET_PASSWORD_ENV, DEFAULT_PASSWORD)],
    );
    let code = term.wait();
    let screen = term.screen();
    let rows = term.rows();
    assert_eq!(code, 1, "a backup failed:\n{}", term.text());

    let bar_of = |name: &str| {
        rows.iter()
            .map(|r| r.trim_end())
            .find(|l| l.contains(name) && l.contains('['))
            .unwrap_or_else(|| panic!("no bar for {name} on screen:\n{screen}"))
            .to_string()
    };
    // `✔ vcsa-001 [##############################] 100% 00:00:02 job <id>: succeeded, 1.2 GiB written`
    for name in ["vcsa-001", "vcsa-003"] {
        let bar = bar_of(name);
        let full = format!("{name} [{}] 100% 00:00:0", "#".repeat(30));
        assert!(bar.starts_with('✔'), "{bar}");
        assert!(bar.contains(&full), "{bar}");
        assert!(
            bar.contains(": succeeded, ") && bar.ends_with("written"),
            "{bar}"
        );
    }
    // `✘ vcsa-002 [###############---------------]  50% ... FAILED at 50%: The backup server...`
    let failed = bar_of("vcsa-002");
    assert!(failed.starts_with('✘'), "{failed}");
    let drawn: String = failed
        .split('[')
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| *c != ']')
        .collect();
    assert!(
        drawn.len() == 30 && drawn.starts_with("##") && drawn.ends_with("--"),
        "{failed}"
    );
    assert!(failed.contains("]  50% "), "{failed}");
    assert!(failed.contains("FAILED at 50%: "), "{failed}");
    // One bar each, however many times they were redrawn; the summary follows them.
    for name in ["vcsa-001", "vcsa-002", "vcsa-003"] {
        assert_eq!(
            rows.iter()
                .filter(|l| l.contains(name) && l.contains('['))
                .count(),
            1,
            "{screen}"
        );
    }
    let last_bar = rows.iter().position(|r| r.contains("vcsa-003 [")).unwrap();
    let table = rows
        .iter()
        .position(|r| r.starts_with("GROUP"))
        .expect("the summary table");
    assert!(table > last_bar, "{screen}");
}

#[test]
fn ctrl_c_stops_following_the_fleet_but_not_its_backups() {
    let fleet = support::FleetSims::start(
        vcsa_backup_sim::Simulator::fleet(2).template(
            vcsa_backup_sim::Simulator::builder()
                .tls(false)
                .job_duration(Duration::from_secs(600)),
        ),
        "",
    );
    let inventory = fleet.inventory.to_str().unwrap();
    let mut term = OnTerminal::spawn(
        &["fleet", "backup", "--wait", "--inventory", inventory],
        &[(support::FLEET_PASSWORD_ENV, DEFAULT_PASSWORD)],
    );
    term.wait_for_screen(|screen| screen.matches(": in progress").count() == 2);
    let (code, screen) = term.interrupt();
    assert_eq!(code, 130, "exit code {code}:\n{screen}");
    assert!(
        screen.contains("stopped following; the backups go on on the appliances"),
        "{screen}"
    );
    assert_eq!(
        screen
            .matches("not followed to its end: interrupted; the backup goes on")
            .count(),
        2,
        "{screen}"
    );
    for a in fleet.sims.appliances() {
        assert!(
            a.control().state().running_job.is_some(),
            "{}: the backup still runs",
            a.name()
        );
        assert_eq!(
            a.control().state().live_sessions,
            0,
            "{}: logged out",
            a.name()
        );
    }
}
