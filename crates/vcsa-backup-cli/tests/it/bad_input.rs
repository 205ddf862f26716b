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
        name: "an empty --days",
        args: &[
            "schedule",
            "create",
            "n",
            "--location",
            "sftp://nas/b",
            "--at",
            "23:00",
            "--days",
            "",
        ],
        code: 2,
        says: "leave --days out for every day",
    },
    Case {
        name: "a --days of commas only",
        args: &["schedule", "update", "n", "--days", ",,,"],
        code: 2,
        says: "give days such as mon,wed,fri",
    },
    Case {
        name: "an empty --part",
        args: &["backup", "--location", "sftp://nas/b", "--part", ""],
        code: 2,
        says: "leave --part out for the core configuration only",
    },
    Case {
        name: "a --part of commas only",
        args: &[
            "schedule",
            "apply",
            "n",
            "--location",
            "sftp://nas/b",
            "--part",
            ",,,",
        ],
        code: 2,
        says: "give parts such as `seat`",
    },
    Case {
        name: "a zero --deadline for a backup",
        args: &[
            "backup",
            "--location",
            "sftp://nas/b",
            "--wait",
            "--deadline",
            "0s",
        ],
        code: 2,
        says: "must be longer than zero",
    },
    Case {
        name: "a zero --deadline for a status",
        args: &["status", "20250101-000000-1", "--wait", "--deadline", "0"],
        code: 2,
        says: "must be longer than zero",
    },
    Case {
        name: "a zero --deadline for a schedule run",
        args: &["schedule", "run", "n", "--wait", "--deadline", "0s"],
        code: 2,
        says: "must be longer than zero",
    },
    Case {
        name: "a zero --deadline for a fleet",
        args: &[
            "fleet",
            "backup",
            "--inventory",
            "{dir}/none.toml",
            "--wait",
            "--deadline",
            "0s",
        ],
        code: 2,
        says: "must be longer than zero",
    },
    Case {
        name: "an output file that is a device",
        args: &["check", "--output-file", "/dev/null"],
        code: 3,
        says: "it is a device, not a regular file",
    },
    Case {
        name: "a job id with a slash",
        args: &["status", "a/b"],
        code: 2,
        says: "is not a job id",
    },
    Case {
        name: "a job id of two dots",
        args: &["cancel", ".."],
        code: 2,
        says: "is not a job id",
    },
    Case {
        name: "a job id with a slash, cancelled",
        args: &["cancel", "a/b"],
        code: 2,
        says: "is not a job id",
    },
    Case {
        name: "a schedule id of two dots, updated",
        args: &["schedule", "update", "..", "--keep", "3"],
        code: 2,
        says: "is not a schedule id",
    },
    Case {
        name: "a schedule id of one dot, deleted",
        args: &["schedule", "delete", "."],
        code: 2,
        says: "is not a schedule id",
    },
    Case {
        name: "a schedule id with a slash, shown",
        args: &["schedule", "show", "a/b"],
        code: 2,
        says: "is not a schedule id",
    },
    Case {
        name: "a schedule id with a question mark, run",
        args: &["schedule", "run", "a?b"],
        code: 2,
        says: "is not a schedule id",
    },
    Case {
        name: "an archive id of two dots",
        args: &[
            "archives",
            "show",
            "--location",
            "sftp://h/b",
            "vcsa-01",
            "..",
        ],
        code: 2,
        says: "is not an archive id",
    },
    Case {
        name: "a system name with a backslash",
        args: &["archives", "show", "--location", "sftp://h/b", "a\\b", "x"],
        code: 2,
        says: "is not a system name",
    },
    Case {
        name: "a system name with a hash, listed",
        args: &[
            "archives",
            "list",
            "--location",
            "sftp://h/b",
            "--system-name",
            "a#b",
        ],
        code: 2,
        says: "is not a system name",
    },
    Case {
        name: "a location user that reads as an option",
        args: &[
            "backup",
            "--location",
            "sftp://h/b",
            "--location-user=-oProxyCommand=x",
            "--location-password-file",
            "Cargo.toml",
        ],
        code: 2,
        says: "begins with \"-\"",
    },
    Case {
        name: "a location user with a space",
        args: &[
            "validate",
            "--location",
            "sftp://h/b",
            "--location-user",
            "back up",
            "--location-password-file",
            "Cargo.toml",
        ],
        code: 2,
        says: "contains spaces",
    },
    Case {
        name: "a catalog location user that reads as an option",
        args: &[
            "archives",
            "list",
            "--location",
            "sftp://h/b",
            "--location-user=-x",
            "--location-password-file",
            "Cargo.toml",
        ],
        code: 2,
        says: "begins with \"-\"",
    },
    Case {
        name: "a schedule's location user with a tab",
        args: &[
            "schedule",
            "create",
            "nightly",
            "--location",
            "sftp://h/b",
            "--location-user",
            "back\tup",
            "--location-password-file",
            "Cargo.toml",
        ],
        code: 2,
        says: "control characters",
    },
    Case {
        name: "an inventory with a duplicate server",
        args: &["fleet", "list", "--inventory", "{dir}/fleet.toml"],
        code: 2,
        says: "is also the server of \"vc1\"",
    },
    Case {
        name: "an inventory with a control character in a name",
        args: &["fleet", "list", "--inventory", "{dir}/fleet.toml"],
        code: 2,
        says: "holds a control character",
    },
    Case {
        name: "an inventory that never ends",
        args: &["fleet", "list", "--inventory", "/dev/zero"],
        code: 2,
        says: "more than 4 MiB",
    },
    Case {
        name: "an inventory password file that never ends",
        args: &["fleet", "list", "--inventory", "{dir}/fleet.toml"],
        code: 2,
        says: "more than 4 KiB",
    },
    Case {
        name: "a user name and password in the server address",
        args: &["parts", "--server", "https://admin:canary-pw@127.0.0.1:1"],
        code: 2,
        says: "--password-file",
    },
    Case {
        name: "a --days range whose end is no day",
        args: &[
            "schedule",
            "create",
            "n",
            "--location",
            "sftp://nas/b",
            "--at",
            "23:00",
            "--days",
            "mon-funday",
        ],
        code: 2,
        says: "is not a range of days",
    },
    Case {
        name: "a schedule without --at and without --run-only",
        args: &["schedule", "create", "n", "--location", "sftp://nas/b"],
        code: 2,
        says: "--run-only",
    },
    Case {
        name: "--run-only with a time",
        args: &[
            "schedule",
            "create",
            "n",
            "--location",
            "sftp://nas/b",
            "--run-only",
            "--at",
            "23:00",
        ],
        code: 2,
        says: "cannot be used with",
    },
    Case {
        name: "schedule delete without --yes and without a terminal",
        args: &["schedule", "delete", "nightly"],
        code: 2,
        says: "pass --yes",
    },
    Case {
        name: "backup with both --location and --into",
        args: &[
            "backup",
            "--location",
            "sftp://nas/b",
            "--into",
            "sftp://nas/b",
        ],
        code: 2,
        says: "cannot be used with",
    },
    Case {
        name: "--system-name without --into",
        args: &[
            "backup",
            "--location",
            "sftp://nas/b",
            "--system-name",
            "vc",
        ],
        code: 2,
        says: "cannot be used with",
    },
    Case {
        name: "--no-default-parts with --part",
        args: &[
            "backup",
            "--into",
            "sftp://nas/b",
            "--no-default-parts",
            "--part",
            "seat",
        ],
        code: 2,
        says: "cannot be used with",
    },
    Case {
        name: "a configuration file that never ends",
        args: &["--config", "/dev/zero", "parts"],
        code: 2,
        says: "more than 4 MiB",
    },
    Case {
        name: "a configuration file that does not exist",
        args: &["--config", "{dir}/absent.toml", "parts"],
        code: 2,
        says: "absent.toml: cannot be read",
    },
    Case {
        name: "an appliance the configuration file does not name",
        args: &[
            "--config",
            "{dir}/config.toml",
            "--appliance",
            "vc9",
            "parts",
        ],
        code: 2,
        says: "no appliance is named \"vc9\"",
    },
    Case {
        name: "a configuration file with an inline password",
        args: &["--config", "{dir}/config.toml", "parts"],
        code: 2,
        says: "config.toml, line 4 (appliance \"vc1\"): a password is written",
    },
    Case {
        name: "a configuration file with a bad thumbprint",
        args: &[
            "--config",
            "{dir}/config.toml",
            "--appliance",
            "vc1",
            "parts",
        ],
        code: 2,
        says: "is not a SHA-256 thumbprint",
    },
    Case {
        name: "--appliance without a configuration file",
        args: &["--appliance", "vc1", "parts"],
        code: 2,
        says: "needs a configuration file",
    },
    Case {
        name: "a malformed VCSA_THUMBPRINT-style --thumbprint",
        args: &["--thumbprint", "AB:CD", "parts"],
        code: 2,
        says: "is not a SHA-256 thumbprint",
    },
    Case {
        name: "--insecure with --thumbprint",
        args: &["--insecure", "--thumbprint", "AB:CD", "parts"],
        code: 2,
        says: "--insecure and --thumbprint contradict each other",
    },
    Case {
        name: "a restore's archive without its system name",
        args: &[
            "restore",
            "validate",
            "--location",
            "sftp://nas/b",
            "--archive",
            "S_8.0_x_",
        ],
        code: 2,
        says: "--system-name",
    },
    Case {
        name: "a restore location without its protocol",
        args: &[
            "restore",
            "validate",
            "--location",
            "nas/b/vCenter/sn_a/S_8.0_x_",
        ],
        code: 2,
        says: "the request is invalid",
    },
    Case {
        name: "a reconciliation without the SSO administrator",
        args: &["reconcile", "start"],
        code: 2,
        says: "--sso-user",
    },
    Case {
        name: "a manual page for a command that does not exist",
        args: &["man", "schedule", "explode"],
        code: 2,
        says: "there is no command `vcsa-backup schedule explode`",
    },
    Case {
        name: "manual pages into a path that is a file",
        args: &["man", "--out", "/dev/null"],
        code: 2,
        says: "could not write the folder /dev/null",
    },
    Case {
        name: "an --only that selects no appliance",
        args: &[
            "fleet",
            "list",
            "--inventory",
            "{dir}/fleet.toml",
            "--only",
            "vc-west-*",
        ],
        code: 2,
        says: "--only vc-west-* selects none of its 2 appliance(s)",
    },
    Case {
        name: "an --only that is not a pattern",
        args: &[
            "fleet",
            "check",
            "--inventory",
            "{dir}/fleet.toml",
            "--only",
            "vc[1",
        ],
        code: 2,
        says: "is not a pattern",
    },
    Case {
        name: "a group setting only an appliance may have",
        args: &["fleet", "list", "--inventory", "{dir}/fleet.toml"],
        code: 2,
        says: "line 2: server belongs in an [[appliance]] entry, not under [groups.east]",
    },
    Case {
        name: "a fleet schedule with a bad time and day",
        args: &[
            "fleet",
            "schedule",
            "apply",
            "--inventory",
            "{dir}/fleet.toml",
        ],
        code: 2,
        says: "line 3: hour: 25 is not an hour",
    },
    Case {
        name: "a fleet schedule for appliances that declare none",
        args: &[
            "fleet",
            "schedule",
            "apply",
            "--inventory",
            "{dir}/fleet.toml",
            "--check",
        ],
        code: 2,
        says: "no schedule table for vc1",
    },
    Case {
        name: "a fleet backup limit on running backups without following them",
        args: &[
            "fleet",
            "backup",
            "-i",
            "{dir}/none.toml",
            "--max-running",
            "5",
        ],
        code: 2,
        says: "--wait",
    },
    Case {
        name: "a fleet backup limit of no running backup",
        args: &[
            "fleet",
            "backup",
            "-i",
            "{dir}/none.toml",
            "--wait",
            "--max-running",
            "0",
        ],
        code: 2,
        says: "--max-running",
    },
    Case {
        name: "a fleet check deadline of nothing",
        args: &[
            "fleet",
            "check",
            "-i",
            "{dir}/none.toml",
            "--deadline",
            "0s",
        ],
        code: 2,
        says: "--deadline",
    },
    Case {
        name: "a location password file for --verify-archive that is not there",
        args: &[
            "check",
            "--verify-archive",
            "--location-password-file",
            "{dir}/none",
        ],
        code: 3,
        says: "could not read the backup server password",
    },
];

/// Files a case needs in its scratch folder, by case name: (case, file name, contents).
const FILES: &[(&str, &str, &str)] = &[
    (
        "an inventory with a duplicate server",
        "fleet.toml",
        "[defaults]\npassword_env = \"VCSA_PASSWORD\"\n\
         [[appliance]]\nname = \"vc1\"\nserver = \"vc1.example.com\"\n\
         [[appliance]]\nname = \"vc2\"\nserver = \"https://vc1.example.com/\"\n",
    ),
    (
        "an inventory with a control character in a name",
        "fleet.toml",
        "[defaults]\npassword_env = \"VCSA_PASSWORD\"\n\
         [[appliance]]\nname = \"vc1\\u001b[2J\"\nserver = \"vc1.example.com\"\n",
    ),
    (
        "an inventory password file that never ends",
        "fleet.toml",
        "[[appliance]]\nname = \"vc1\"\nserver = \"vc1.example.com\"\n\
         password_file = \"/dev/zero\"\n",
    ),
    (
        "an appliance the configuration file does not name",
        "config.toml",
        "[[appliance]]\nname = \"vc1\"\nserver = \"vc1.example.com\"\n",
    ),
    (
        "a configuration file with an inline password",
        "config.toml",
        "[[appliance]]\nname = \"vc1\"\nserver = \"vc1.example.com\"\n\
         password = \"canary-pw\"\n",
    ),
    (
        "a configuration file with a bad thumbprint",
        "config.toml",
        "[[appliance]]\nname = \"vc1\"\nserver = \"vc1.example.com\"\n\
         trust = { thumbprint = \"AB:CD\" }\n",
    ),
    (
        "an --only that selects no appliance",
        "fleet.toml",
        "[defaults]\npassword_env = \"VCSA_PASSWORD\"\n\
         [[appliance]]\nname = \"vc-east-1\"\nserver = \"vc1.example.com\"\ngroup = \"east\"\n\
         [[appliance]]\nname = \"vc-east-2\"\nserver = \"vc2.example.com\"\n",
    ),
    (
        "an --only that is not a pattern",
        "fleet.toml",
        "[defaults]\npassword_env = \"VCSA_PASSWORD\"\n\
         [[appliance]]\nname = \"vc1\"\nserver = \"vc1.example.com\"\n",
    ),
    (
        "a group setting only an appliance may have",
        "fleet.toml",
        "[groups.east]\nserver = \"vc1.example.com\"\npassword_env = \"VCSA_PASSWORD\"\n\
         [[appliance]]\nname = \"vc1\"\nserver = \"vc1.example.com\"\ngroup = \"east\"\n",
    ),
    (
        "a fleet schedule with a bad time and day",
        "fleet.toml",
        "[defaults]\npassword_env = \"VCSA_PASSWORD\"\n\
         schedule = { location = \"sftp://nas/b\", at = \"25:00\", days = \"mon,funday\" }\n\
         [[appliance]]\nname = \"vc1\"\nserver = \"vc1.example.com\"\n",
    ),
    (
        "a fleet schedule for appliances that declare none",
        "fleet.toml",
        "[defaults]\npassword_env = \"VCSA_PASSWORD\"\n\
         [[appliance]]\nname = \"vc1\"\nserver = \"vc1.example.com\"\n",
    ),
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
        for (_, file, contents) in FILES.iter().filter(|(name, ..)| *name == case.name) {
            std::fs::write(dir.join(file), contents).expect("a scratch file");
        }
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
