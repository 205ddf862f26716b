//! Trust and connection settings set once: the configuration file, VCSA_THUMBPRINT and the
//! others, their precedence (option > environment > file), the untrusted-certificate error and
//! `trust`, against the simulator with its self-signed certificate.

use std::path::PathBuf;
use std::time::Duration;

use vcsa_backup_sim::{DEFAULT_PASSWORD, Simulator};

use crate::support::{Run, Sim, bare_command};

/// A folder of the test's own, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("vcsa-cli-config-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tls_sim() -> Sim {
    Sim::start(Simulator::builder().job_duration(Duration::from_millis(200)))
}

/// An address where nothing listens: a command sent there exits 6.
const DEAD: &str = "https://127.0.0.1:1";
const WRONG_THUMBPRINT: &str = "AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB";

/// One way of giving the settings, and how `parts` must end.
struct Row {
    name: &'static str,
    /// Settings of the configuration file's one entry (besides its name).
    file: &'static str,
    /// Environment variables.
    env: &'static [(&'static str, &'static str)],
    /// Options.
    args: &'static [&'static str],
    code: i32,
}

/// `{url}` the simulator, `{dead}` nowhere, `{tp}` its thumbprint, `{bad}` another one,
/// `{pw}` a file with its password, `{badpw}` a file with a wrong one.
const ROWS: &[Row] = &[
    Row {
        name: "server from the file",
        file: "server = \"{url}\"\ntrust = { thumbprint = \"{tp}\" }",
        env: &[],
        args: &[],
        code: 0,
    },
    Row {
        name: "server: variable over file",
        file: "server = \"{dead}\"\ntrust = { thumbprint = \"{tp}\" }",
        env: &[("VCSA_SERVER", "{url}")],
        args: &["--appliance", "vc1"],
        code: 0,
    },
    Row {
        name: "the file's trust is not for another server",
        file: "server = \"{dead}\"\ntrust = { thumbprint = \"{tp}\" }",
        env: &[("VCSA_SERVER", "{url}")],
        args: &[],
        code: 6,
    },
    Row {
        name: "server: option over variable",
        file: "server = \"{dead}\"",
        env: &[("VCSA_SERVER", "{dead}"), ("VCSA_THUMBPRINT", "{tp}")],
        args: &["--server", "{url}"],
        code: 0,
    },
    Row {
        name: "server: option over variable, the other way",
        file: "server = \"{url}\"",
        env: &[("VCSA_SERVER", "{url}"), ("VCSA_THUMBPRINT", "{tp}")],
        args: &["--server", "{dead}"],
        code: 6,
    },
    Row {
        name: "thumbprint from the file",
        file: "server = \"{url}\"\ntrust = { thumbprint = \"{tp}\" }",
        env: &[],
        args: &[],
        code: 0,
    },
    Row {
        name: "thumbprint: variable over file",
        file: "server = \"{url}\"\ntrust = { thumbprint = \"{tp}\" }",
        env: &[("VCSA_THUMBPRINT", "{bad}")],
        args: &[],
        code: 6,
    },
    Row {
        name: "thumbprint: variable over file, the other way",
        file: "server = \"{url}\"\ntrust = { thumbprint = \"{bad}\" }",
        env: &[("VCSA_THUMBPRINT", "{tp}")],
        args: &[],
        code: 0,
    },
    Row {
        name: "thumbprint: option over variable",
        file: "server = \"{url}\"",
        env: &[("VCSA_THUMBPRINT", "{bad}")],
        args: &["--thumbprint", "{tp}"],
        code: 0,
    },
    Row {
        name: "thumbprint: option over variable, the other way",
        file: "server = \"{url}\"",
        env: &[("VCSA_THUMBPRINT", "{tp}")],
        args: &["--thumbprint", "{bad}"],
        code: 6,
    },
    Row {
        name: "--insecure over the file's thumbprint",
        file: "server = \"{url}\"\ntrust = { thumbprint = \"{bad}\" }",
        env: &[],
        args: &["--insecure"],
        code: 0,
    },
    Row {
        name: "--insecure over VCSA_THUMBPRINT",
        file: "server = \"{url}\"",
        env: &[("VCSA_THUMBPRINT", "{bad}")],
        args: &["--insecure"],
        code: 0,
    },
    Row {
        name: "user from the file",
        file: "server = \"{url}\"\nuser = \"nobody@vsphere.local\"\ntrust = { thumbprint = \"{tp}\" }",
        env: &[],
        args: &[],
        code: 5,
    },
    Row {
        name: "user: variable over file",
        file: "server = \"{url}\"\nuser = \"nobody@vsphere.local\"\ntrust = { thumbprint = \"{tp}\" }",
        env: &[("VCSA_USER", "administrator@vsphere.local")],
        args: &[],
        code: 0,
    },
    Row {
        name: "user: option over variable",
        file: "server = \"{url}\"\ntrust = { thumbprint = \"{tp}\" }",
        env: &[("VCSA_USER", "nobody@vsphere.local")],
        args: &["--user", "administrator@vsphere.local"],
        code: 0,
    },
    Row {
        name: "password from the file's password_file",
        file: "server = \"{url}\"\npassword_file = \"{pw}\"\ntrust = { thumbprint = \"{tp}\" }",
        env: &[],
        args: &[],
        code: 0,
    },
    Row {
        name: "password: variable over file",
        file: "server = \"{url}\"\npassword_file = \"{pw}\"\ntrust = { thumbprint = \"{tp}\" }",
        env: &[("VCSA_PASSWORD", "wrong")],
        args: &[],
        code: 5,
    },
    Row {
        name: "password: option over variable",
        file: "server = \"{url}\"\npassword_file = \"{badpw}\"\ntrust = { thumbprint = \"{tp}\" }",
        env: &[("VCSA_PASSWORD", "wrong")],
        args: &["--password-file", "{pw}"],
        code: 0,
    },
    Row {
        name: "password from the file's password_env",
        file: "server = \"{url}\"\npassword_env = \"CONFIG_TEST_PW\"\ntrust = { thumbprint = \"{tp}\" }",
        env: &[("CONFIG_TEST_PW", DEFAULT_PASSWORD)],
        args: &[],
        code: 0,
    },
];

#[test]
fn an_option_wins_over_its_variable_which_wins_over_the_file() {
    let sim = tls_sim();
    let scratch = Scratch::new("precedence");
    let pw = scratch.write("admin.pw", &format!("{DEFAULT_PASSWORD}\n"));
    let badpw = scratch.write("bad.pw", "wrong\n");
    let fill = |text: &str| {
        text.replace("{url}", sim.url())
            .replace("{dead}", DEAD)
            .replace("{tp}", sim.sim.thumbprint().unwrap())
            .replace("{bad}", WRONG_THUMBPRINT)
            .replace("{badpw}", badpw.to_str().unwrap())
            .replace("{pw}", pw.to_str().unwrap())
    };
    let mut failures = Vec::new();
    for row in ROWS {
        let config = scratch.write(
            "config.toml",
            &fill(&format!("[[appliance]]\nname = \"vc1\"\n{}\n", row.file)),
        );
        let mut cmd = bare_command();
        cmd.env("VCSA_CONFIG", &config);
        if !row.file.contains("password") && !row.env.iter().any(|(k, _)| *k == "VCSA_PASSWORD") {
            cmd.env("VCSA_PASSWORD", DEFAULT_PASSWORD);
        }
        for (name, value) in row.env {
            cmd.env(name, fill(value));
        }
        let args: Vec<String> = row.args.iter().map(|a| fill(a)).collect();
        let run = Run::of(cmd.args(&args).args(["--request-timeout", "5s", "parts"]));
        if run.code != row.code {
            failures.push(format!(
                "{}: exit {} (want {})\n{run}",
                row.name, run.code, row.code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_default_file_with_one_appliance_needs_no_option_and_with_two_one_is_named() {
    let sim = tls_sim();
    let scratch = Scratch::new("default-file");
    let folder = scratch.0.join("vcsa-backup");
    std::fs::create_dir_all(&folder).unwrap();
    let entry = |name: &str, server: &str| {
        format!(
            "[[appliance]]\nname = \"{name}\"\nserver = \"{server}\"\npassword_env = \"CONFIG_TEST_PW\"\n\
             trust = {{ thumbprint = \"{}\" }}\n",
            sim.sim.thumbprint().unwrap()
        )
    };
    std::fs::write(folder.join("config.toml"), entry("lab", sim.url())).unwrap();
    let run = |args: &[&str]| {
        Run::of(
            bare_command()
                .env("XDG_CONFIG_HOME", &scratch.0)
                .env("CONFIG_TEST_PW", DEFAULT_PASSWORD)
                .args(args),
        )
    };
    let one = run(&["parts"]);
    assert_eq!(one.code, 0, "{one}");

    // With two, the one named, or the one whose server is --server's; none by itself.
    let two = entry("lab", sim.url()) + &entry("other", DEAD);
    std::fs::write(folder.join("config.toml"), two).unwrap();
    let none = run(&["parts"]);
    assert_eq!(none.code, 2, "{none}");
    assert!(
        none.stderr.contains("--appliance NAME") && none.stderr.contains("lab, other"),
        "{none}"
    );
    let named = run(&["--appliance", "lab", "parts"]);
    assert_eq!(named.code, 0, "{named}");
    let by_server = run(&["--server", sim.url(), "parts"]);
    assert_eq!(by_server.code, 0, "{by_server}");
    let other = run(&["--appliance", "other", "--request-timeout", "5s", "parts"]);
    assert_eq!(other.code, 6, "{other}");
}

#[cfg(unix)]
#[test]
fn a_configuration_file_others_can_change_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let sim = tls_sim();
    let scratch = Scratch::new("permissions");
    let config = scratch.write(
        "config.toml",
        &format!(
            "[[appliance]]\nname = \"vc1\"\nserver = \"{}\"\ntrust = {{ thumbprint = \"{}\" }}\n",
            sim.url(),
            sim.sim.thumbprint().unwrap()
        ),
    );
    let run = || {
        Run::of(bare_command().env("VCSA_PASSWORD", DEFAULT_PASSWORD).args([
            "--config",
            config.to_str().unwrap(),
            "parts",
        ]))
    };
    for mode in [0o664, 0o646] {
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(mode)).unwrap();
        let refused = run();
        assert_eq!(refused.code, 2, "{refused}");
        assert!(
            refused.stderr.contains(&format!("mode {mode:03o}"))
                && refused.stderr.contains("chmod go-w"),
            "{refused}"
        );
    }
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let fine = run();
    assert_eq!(fine.code, 0, "{fine}");
}

#[test]
fn config_file_errors_name_the_file_and_the_line() {
    let scratch = Scratch::new("errors");
    let config = scratch.write(
        "config.toml",
        "[[appliance]]\nname = \"vc1\"\nserver = \"vc1.example.com\"\nthumbprint = \"AB\"\n",
    );
    let run = Run::of(bare_command().env("VCSA_PASSWORD", DEFAULT_PASSWORD).args([
        "--config",
        config.to_str().unwrap(),
        "parts",
    ]));
    assert_eq!(run.code, 2, "{run}");
    let at = format!("{}, line 4", config.display());
    assert!(
        run.stderr.contains(&at) && run.stderr.contains("unknown field `thumbprint`"),
        "{run}"
    );
}

/// The thumbprint, subject and validity of the simulator's certificate, and the three ways to
/// pin it, as a command's error and as `trust` show them.
fn assert_shows_the_certificate(sim: &Sim, text: &str) {
    let thumbprint = sim.sim.thumbprint().unwrap();
    for expected in [
        format!("SHA-256 thumbprint  {thumbprint}"),
        format!("--thumbprint {thumbprint}"),
        format!("export VCSA_THUMBPRINT={thumbprint}"),
        format!("trust = {{ thumbprint = \"{thumbprint}\" }}"),
        "Subject".to_string(),
        "Valid               from ".to_string(),
    ] {
        assert!(
            text.contains(&expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}

#[test]
fn the_untrusted_error_shows_the_certificate_the_appliance_really_presented() {
    let sim = tls_sim();
    let untrusted = sim.run(&["parts"]);
    assert_eq!(untrusted.code, 6, "{untrusted}");
    assert_shows_the_certificate(&sim, &untrusted.stderr);

    let wrong = sim.run(&["--thumbprint", WRONG_THUMBPRINT, "parts"]);
    assert_eq!(wrong.code, 6, "{wrong}");
    assert_shows_the_certificate(&sim, &wrong.stderr);

    let json = sim.run(&["--output", "json", "parts"]);
    assert_eq!(json.code, 6, "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("a JSON error");
    let details = doc["error"]["details"].to_string();
    assert!(details.contains(sim.sim.thumbprint().unwrap()), "{json}");
}

#[test]
fn trust_shows_the_certificate_without_logging_in_and_its_line_pins_it() {
    let sim = tls_sim();
    // No password anywhere, and no terminal to ask for one: only a command that does not log
    // in can succeed.
    let shown = Run::of(bare_command().args(["trust", sim.url()]));
    assert_eq!(shown.code, 0, "{shown}");
    assert_shows_the_certificate(&sim, &shown.stdout);
    assert!(
        shown.stdout.contains("Nothing was trusted or saved"),
        "{shown}"
    );

    let export = shown
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("export VCSA_THUMBPRINT="))
        .expect("the export line");
    let pinned = sim
        .command()
        .env("VCSA_THUMBPRINT", export)
        .arg("parts")
        .output()
        .unwrap();
    assert!(pinned.status.success(), "{pinned:?}");

    let json = Run::of(
        bare_command()
            .env("VCSA_SERVER", sim.url())
            .args(["-o", "json", "trust"]),
    );
    assert_eq!(json.code, 0, "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        doc["certificate"]["thumbprint_sha256"],
        sim.sim.thumbprint().unwrap()
    );

    let plain = Run::of(bare_command().args(["trust", "http://127.0.0.1:1"]));
    assert_eq!(plain.code, 2, "{plain}");
    assert!(plain.stderr.contains("plain HTTP"), "{plain}");
}

/// `parts`, and every other command, with VCSA_THUMBPRINT set trusts the appliance.
#[test]
fn vcsa_thumbprint_replaces_the_option() {
    let sim = tls_sim();
    let with = |args: &[&str]| {
        Run::of(
            sim.command()
                .env("VCSA_THUMBPRINT", sim.sim.thumbprint().unwrap())
                .args(args),
        )
    };
    for args in [&["parts"][..], &["list"], &["schedule", "list"]] {
        let run = with(args);
        assert_eq!(run.code, 0, "{args:?}: {run}");
    }
}
