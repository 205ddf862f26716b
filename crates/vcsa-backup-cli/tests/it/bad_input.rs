//! Bad input, table-driven: each case is refused with its exit code and a message that says
//! what is wrong, before anything is sent. The server is a listener that counts connections and
//! never answers, so a case that reached the network is seen (and would hang, not pass).

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::support::{Run, bare_command};

/// One refused invocation.
struct Case {
    /// What the case is, for the failure message.
    name: &'static str,
    /// The arguments after `--server URL`; `{dir}` stands for a scratch folder of the case's.
    args: &'static [&'static str],
    /// The expected exit code.
    code: i32,
    /// Words the error on standard error must contain.
    says: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "a password file that never ends",
        args: &["--password-file", "/dev/zero", "parts"],
        code: 2,
        says: "more than 4 KiB",
    },
    Case {
        name: "a CA bundle that never ends",
        args: &["--ca-cert", "/dev/zero", "parts"],
        code: 2,
        says: "more than 4 MiB",
    },
    Case {
        name: "a backup without a location",
        args: &["backup"],
        code: 2,
        says: "--location",
    },
    Case {
        name: "a user name and password in the server address",
        args: &["parts", "--server", "https://admin:canary-pw@127.0.0.1:1"],
        code: 2,
        says: "--password-file",
    },
];

/// A secret that some cases give: no case may repeat it, on either stream.
const CANARY: &str = "canary-pw";

/// A listener on 127.0.0.1 that accepts and counts connections and never answers.
fn counting_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&connections);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            counted.fetch_add(1, Ordering::SeqCst);
            held.push(stream); // kept open and unanswered
        }
    });
    (url, connections)
}

fn scratch(name: &str) -> PathBuf {
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let dir = std::env::temp_dir().join(format!("vcsa-bad-input-{}-{slug}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

#[test]
fn every_bad_input_is_refused_before_anything_is_sent() {
    let (url, connections) = counting_server();
    let mut failures = Vec::new();
    for case in CASES {
        let dir = scratch(case.name);
        let args: Vec<String> = case
            .args
            .iter()
            .map(|a| a.replace("{dir}", &dir.display().to_string()))
            .collect();
        let before = connections.load(Ordering::SeqCst);
        let run = Run::of(
            bare_command()
                .env("VCSA_PASSWORD", "not-used")
                .args(["--server", &url, "--request-timeout", "5s"])
                .args(&args),
        );
        let sent = connections.load(Ordering::SeqCst) - before;
        let _ = std::fs::remove_dir_all(&dir);
        let leaked = run.stdout.contains(CANARY) || run.stderr.contains(CANARY);
        if run.code != case.code || !run.stderr.contains(case.says) || sent != 0 || leaked {
            let mut report = Vec::new();
            let _ = writeln!(
                report,
                "{}: exit {} (want {}), {sent} connection(s), secret repeated: {leaked}, \
                 stderr:\n{}",
                case.name, run.code, case.code, run.stderr
            );
            failures.push(String::from_utf8_lossy(&report).into_owned());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
