//! The inventory's format and every mistake it can hold, named with its line and entry.

use super::*;

/// The password of every inventory here that is sound, in the environment.
const PW: &str = "VCSA_INVENTORY_TEST_PASSWORD";

fn set_password() {
    // Set by every test that reads it, always to the same value.
    unsafe { std::env::set_var(PW, "VMware1!") };
}

fn parse_here(text: &str) -> Result<Fleet, InventoryError> {
    set_password();
    parse(text, Path::new(""))
}

const THUMBPRINT: &str = "6F:3B:2A:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC";

/// A folder of its own for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let folder =
            std::env::temp_dir().join(format!("vcsa-inventory-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        Self(folder)
    }

    /// A CA certificate in the folder; its path.
    fn ca(&self) -> PathBuf {
        let cert = rcgen::generate_simple_self_signed(vec!["vcsa.example.com".into()])
            .unwrap()
            .cert;
        let path = self.0.join("ca.pem");
        std::fs::write(&path, cert.pem()).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn problems(text: &str) -> Vec<(Option<usize>, Option<String>, String)> {
    parse_here(text)
        .unwrap_err()
        .problems()
        .iter()
        .map(|p| (p.line, p.entry.clone(), p.message.clone()))
        .collect()
}

#[test]
fn defaults_apply_and_entries_override_them() {
    let scratch = Scratch::new("defaults");
    let ca = scratch.ca();
    let password = scratch.0.join("admin.pw");
    std::fs::write(&password, "VMware1!\n").unwrap();
    let fleet = parse_here(&format!(
        r#"
[defaults]
user = "backup-admin@vsphere.local"
password_file = "{}"
trust = {{ ca_file = "{}" }}

[[appliance]]
name = "vc-east-1"
server = "vc-east-1.example.com/"
group = "sso-east"

[[appliance]]
name = "vc-lab"
server = "http://127.0.0.1:8080"
user = "root@localos"
password_env = "{PW}"
trust = {{ thumbprint = "{THUMBPRINT}" }}
schedule = "nightly"
"#,
        password.display(),
        ca.display()
    ))
    .unwrap();
    let [east, lab] = fleet.appliances() else {
        panic!("two appliances expected")
    };
    assert_eq!(east.server(), "https://vc-east-1.example.com");
    assert_eq!(east.group_name(), Some("sso-east"));
    assert_eq!(east.schedule_id(), "default");
    assert_eq!(lab.server(), "http://127.0.0.1:8080");
    assert_eq!(lab.group_name(), None);
    assert_eq!(lab.schedule_id(), "nightly");
    let shown = format!("{fleet:?}");
    assert!(!shown.contains("VMware1!"), "{shown}");
}

#[test]
fn every_bad_entry_is_named_with_its_line() {
    let text = r#"[defaults]
password_env = "VCSA_PASSWORD"

[[appliance]]
name = "vc1"

[[appliance]]
name = "vc2"
server = "vc2.example.com"
password = "VMware1!"

[[appliance]]
name = "vc1"
server = "vc1b.example.com"
trust = { insecure = true }
"#;
    let found = problems(text);
    assert_eq!(
        found,
        [
            (
                Some(4),
                Some("\"vc1\"".into()),
                "has no server; add server = \"vcsa.example.com\" (a host name, host:port or \
                 https:// URL)"
                    .into()
            ),
            (
                Some(10),
                Some("\"vc2\"".into()),
                "a password is written in the inventory; remove it, put it in a file readable \
                 only by you (password_file = \"...\") or in an environment variable \
                 (password_env = \"...\")"
                    .into()
            ),
            (
                Some(13),
                Some("\"vc1\"".into()),
                "name: the name \"vc1\" is already used by another appliance; give every \
                 appliance its own name (the \
                 other is on line 4)"
                    .into()
            ),
            (
                Some(15),
                Some("\"vc1\"".into()),
                "trust: unknown mode `insecure`, expected `thumbprint` or `ca_file`; write \
                 trust = { thumbprint = \"AB:CD:...\" } or trust = { ca_file = \"/path/to/ca.pem\" }"
                    .into()
            ),
        ]
    );
    let shown = parse_here(text).unwrap_err().to_string();
    assert!(!shown.contains("VMware1!"), "{shown}");
    assert!(
        shown.starts_with("the inventory, line 4 (appliance \"vc1\"): has no server"),
        "{shown}"
    );
}

#[test]
fn relative_paths_are_taken_from_the_inventory_folder() {
    let scratch = Scratch::new("relative");
    let folder = scratch.0.clone();
    scratch.ca();
    let path = folder.join("fleet.toml");
    std::fs::write(
        &path,
        "[defaults]\npassword_file = \"admin.pw\"\ntrust = { ca_file = \"ca.pem\" }\n\
         [[appliance]]\nname = \"a\"\nserver = \"a\"\n",
    )
    .unwrap();
    std::fs::write(folder.join("admin.pw"), "VMware1!").unwrap();
    let (fleet, _) = load(&path, &[]).unwrap();
    assert_eq!(fleet.appliances()[0].server(), "https://a");
    std::fs::write(&path, "[[appliance]]\nname = \"a\"\n").unwrap();
    let shown = load(&path, &[]).err().unwrap().to_string();
    assert!(
        shown.starts_with(&format!("{}, line 1", path.display())),
        "{shown}"
    );
    let missing = load(&folder.join("missing.toml"), &[]).err().unwrap();
    assert!(missing.to_string().contains("cannot be read"), "{missing}");
}

#[test]
fn servers_the_client_would_refuse_are_named_with_their_line() {
    let base = format!("[defaults]\npassword_env = \"{PW}\"\n[[appliance]]\nname = \"a\"\n");
    for (server, says) in [
        (
            "ftp://127.0.0.1:36787",
            "\"ftp://127.0.0.1:36787\" is not an https:// address",
        ),
        ("vcsa example.com", "\"vcsa example.com\" is not a URL"),
        (
            "https://root:x@vcsa.example.com",
            "holds a user name or password",
        ),
    ] {
        let found = problems(&format!("{base}server = \"{server}\"\n"));
        assert_eq!(found.len(), 1, "{server}: {found:?}");
        let (line, entry, message) = &found[0];
        assert_eq!(
            (*line, entry.as_deref()),
            (Some(5), Some("\"a\"")),
            "{server}"
        );
        assert!(message.starts_with("server: "), "{message}");
        assert!(message.contains(says), "{server}: {message}");
        assert!(!message.contains("root:x"), "{message}");
    }
    for server in [
        "vcsa.example.com:8443",
        "http://127.0.0.1:8080",
        "https://proxy/vc1/",
        "https://vcsa.example.com/api",
    ] {
        assert!(
            parse_here(&format!("{base}server = \"{server}\"\n")).is_ok(),
            "{server}"
        );
    }
}

#[test]
fn a_ca_file_that_cannot_be_read_or_is_not_pem_is_named_with_its_line() {
    let scratch = Scratch::new("ca");
    let not_pem = scratch.0.join("not.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    let path = scratch.0.join("fleet.toml");
    std::fs::write(
        &path,
        "[defaults]\npassword_env = \"P\"\n\
         [[appliance]]\nname = \"a\"\nserver = \"a\"\ntrust = { ca_file = \"missing.pem\" }\n\
         [[appliance]]\nname = \"b\"\nserver = \"b\"\ntrust = { ca_file = \"not.pem\" }\n",
    )
    .unwrap();
    let error = load(&path, &[]).err().unwrap();
    let found: Vec<_> = error
        .problems()
        .iter()
        .map(|p| (p.line, p.entry.clone()))
        .collect();
    assert_eq!(
        found,
        [
            (Some(6), Some("\"a\"".to_string())),
            (Some(10), Some("\"b\"".to_string()))
        ]
    );
    let shown = error.to_string();
    assert!(
        shown.contains(&format!(
            "line 6 (appliance \"a\"): the CA certificate {} cannot be read",
            scratch.0.join("missing.pem").display()
        )),
        "{shown}"
    );
    assert!(shown.contains("check trust.ca_file"), "{shown}");
    assert!(
        shown.contains("line 10 (appliance \"b\"): trust: the CA certificate is not PEM data"),
        "{shown}"
    );
}

#[test]
fn inline_passwords_are_refused_under_defaults_too() {
    let found = problems("[defaults]\npassword = 'x'\n\n[[appliance]]\nname = 'a'\nserver = 'a'\n");
    assert_eq!(found.len(), 1, "the inline password only: {found:?}");
    assert_eq!(found[0].0, Some(2));
    assert!(found[0].2.starts_with("a password is written"), "{found:?}");
    // Beside a password source: the inline password is the one problem.
    for (text, line) in [
        (
            "[defaults]\npassword_env = 'P'\npassword = 'x'\n\n[[appliance]]\nname = 'a'\n\
             server = 'a'\n",
            3,
        ),
        (
            "[defaults]\npassword_env = 'P'\n\n[[appliance]]\nname = 'a'\nserver = 'a'\n\
             password = 'x'\n",
            7,
        ),
        (
            "[[appliance]]\nname = 'a'\nserver = 'a'\npassword_file = 'f'\npassword = 'x'\n",
            5,
        ),
    ] {
        let found = problems(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert_eq!(found[0].0, Some(line), "{text}: {found:?}");
        assert!(found[0].2.starts_with("a password is written"), "{found:?}");
    }
}

#[test]
fn syntax_errors_and_unknown_settings_name_the_line() {
    let found = problems("[[appliance]]\nname = \"a\"\nserver = \"a\"\npasword_env = \"X\"\n");
    assert_eq!(found[0].0, Some(4), "{found:?}");
    assert!(found[0].2.contains("pasword_env"), "{found:?}");
    assert!(!found[0].2.contains("`password`"), "{found:?}");
    let found =
        problems("[defaults]\nunknown_key = 1\n[[appliance]]\nname = \"a\"\nserver = \"a\"\n");
    assert_eq!(found[0].0, Some(2), "{found:?}");
    assert_eq!(
        found[0].2,
        "unknown field `unknown_key`, expected one of `name`, `server`, `group`, `user`, \
         `password_file`, `password_env`, `trust`, `schedule`; see the inventory format in \
         `vcsa-backup fleet --help`"
    );
    let found = problems("[[appliance]]\nname = \"a\n");
    assert_eq!(found[0].0, Some(2), "{found:?}");
}

#[test]
fn other_mistakes() {
    let base = "[defaults]\npassword_env = \"P\"\n[[appliance]]\nname = \"a\"\nserver = \"a\"\n";
    let bad_thumbprint = format!("{base}trust = {{ thumbprint = \"12:34\" }}\n");
    assert!(
        problems(&bad_thumbprint)[0]
            .2
            .contains("is not a SHA-256 thumbprint")
    );
    let two_modes = format!("{base}trust = {{ thumbprint = \"{THUMBPRINT}\", ca_file = \"x\" }}\n");
    assert!(problems(&two_modes)[0].2.starts_with("trust: "));
    let both = "[[appliance]]\nname = \"a\"\nserver = \"a\"\npassword_env = \"P\"\npassword_file = \"f\"\n";
    assert!(
        problems(both)[0]
            .2
            .starts_with("both password_file and password_env")
    );
    let no_password = "[[appliance]]\nname = \"a\"\nserver = \"a\"\n";
    assert!(
        problems(no_password)[0]
            .2
            .starts_with("has no password source")
    );
    assert_eq!(
        problems("")[0].2,
        "names no appliance; add an [[appliance]] entry with a name and a server"
    );
    let unnamed = "[defaults]\npassword_env = \"P\"\n[[appliance]]\nserver = \"a\"\n";
    assert_eq!(problems(unnamed)[0].1.as_deref(), Some("#1"));
}

#[test]
fn two_entries_for_one_server_are_refused_naming_both() {
    let found = problems(&format!(
        "[defaults]\npassword_env = \"{PW}\"\n\
         [[appliance]]\nname = \"vc1\"\nserver = \"vc1.example.com\"\n\
         [[appliance]]\nname = \"vc1-again\"\nserver = \"https://VC1.example.com/\"\n"
    ));
    assert_eq!(
        found,
        [(
            Some(8),
            Some("\"vc1-again\"".into()),
            "server: https://vc1.example.com is also the server of \"vc1\"; list every \
             appliance once (the other is on line 3)"
                .into()
        )]
    );
}

#[test]
fn names_and_groups_with_control_characters_are_refused() {
    for (setting, line) in [("name = \"vc\\u001b[2J\"", 4), ("group = \"g\\t1\"", 6)] {
        let found = problems(&format!(
            "[defaults]\npassword_env = \"{PW}\"\n\
             [[appliance]]\n{}\nserver = \"vc1.example.com\"\n{}\n",
            if setting.starts_with("name") {
                setting
            } else {
                "name = \"vc1\""
            },
            if setting.starts_with("group") {
                setting
            } else {
                ""
            },
        ));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Some(line), "{found:?}");
        assert!(found[0].2.contains("control character"), "{found:?}");
        assert!(!found[0].2.contains('\u{1b}'), "{found:?}");
    }
}

#[test]
fn ten_thousand_appliances_are_checked_in_one_pass() {
    let mut text = format!("[defaults]\npassword_env = \"{PW}\"\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "[[appliance]]\nname = \"vc{i}\"\nserver = \"vc{i}.example.com\"\n"
        ));
    }
    let started = std::time::Instant::now();
    let fleet = parse_here(&text).unwrap();
    // Measured, not asserted: a test never depends on the machine's speed.
    eprintln!(
        "10,000 appliances read and checked in {:?}",
        started.elapsed()
    );
    assert_eq!(fleet.appliances().len(), 10_000);
    text.push_str("[[appliance]]\nname = \"vc0\"\nserver = \"vc9999.example.com\"\n");
    let found = problems(&text);
    assert_eq!(found.len(), 2, "{found:?}");
}

fn settings_here(text: &str) -> Vec<Settings> {
    check(text, Path::new(""), Purpose::Fleet).unwrap()
}

#[test]
fn appliances_take_their_own_settings_then_their_groups_then_the_defaults() {
    let settings = settings_here(&format!(
        r#"[defaults]
user = "default@vsphere.local"
password_env = "{PW}"
schedule = "nightly"

[groups.east]
user = "east@vsphere.local"
trust = {{ thumbprint = "{THUMBPRINT}" }}

[groups.east.schedule]
id = "default"
location = "sftp://nas.example.com/east"
at = "23:00"

[[appliance]]
name = "e1"
server = "e1.example.com"
group = "east"

[[appliance]]
name = "e2"
server = "e2.example.com"
group = "east"
user = "own@vsphere.local"
schedule = "weekly"

[[appliance]]
name = "w1"
server = "w1.example.com"
group = "west"
"#
    ));
    let seen: Vec<(&str, &str, bool, &str, Option<usize>)> = settings
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.user.as_str(),
                s.trust.is_some(),
                s.schedule.as_str(),
                s.desired.as_ref().map(|d| d.line),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("e1", "east@vsphere.local", true, "default", Some(10)),
            // A schedule is one setting: the appliance's own id replaces the group's table.
            ("e2", "own@vsphere.local", true, "weekly", None),
            // A group without a table of its own is only a group.
            ("w1", "default@vsphere.local", false, "nightly", None),
        ]
    );
    let east = settings[0].desired.as_ref().unwrap();
    assert_eq!(east.location, "sftp://nas.example.com/east");
    assert_eq!(east.at.as_deref(), Some("23:00"));
}

#[test]
fn group_and_schedule_mistakes_are_named_with_their_line_once() {
    let found = problems(&format!(
        r#"[defaults]
password_env = "{PW}"

[groups.east]
server = "east.example.com"
trust = {{ insecure = true }}

[groups.west.schedule]
at = "23:00"

[groups.north]
schedule = {{ location = "sftp://nas/b", location_password_file = "a", location_password_env = "B" }}

[[appliance]]
name = "e1"
server = "e1.example.com"
group = "east"

[[appliance]]
name = "e2"
server = "e2.example.com"
group = "east"

[[appliance]]
name = "w1"
server = "w1.example.com"
group = "west"

[[appliance]]
name = "n1"
server = "n1.example.com"
group = "north"
schedule = 7
"#
    ));
    let lines: Vec<Option<usize>> = found.iter().map(|p| p.0).collect();
    // The group's trust is said once, not once per appliance of the group.
    assert_eq!(lines, [Some(5), Some(6), Some(8), Some(33)], "{found:?}");
    assert!(found[0].2.contains("not under [groups.east]"), "{found:?}");
    assert_eq!(found[1].1, None, "{found:?}");
    assert!(
        found[2].2.contains("the schedule has no location"),
        "{found:?}"
    );
    assert!(found[3].2.starts_with("schedule must be"), "{found:?}");
    assert_eq!(found[3].1.as_deref(), Some("\"n1\""), "{found:?}");

    // An appliance of north without a schedule of its own meets the group's table.
    let found = problems(&format!(
        "[defaults]\npassword_env = \"{PW}\"\n[groups.north.schedule]\nlocation = \"sftp://n/b\"\n\
         location_password_file = \"a\"\nlocation_password_env = \"B\"\nkeeep = 3\n\
         [[appliance]]\nname = \"n1\"\nserver = \"n1\"\ngroup = \"north\"\n"
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, Some(3), "{found:?}");
    assert!(found[0].2.contains("unknown field `keeep`"), "{found:?}");
}

#[test]
fn only_picks_appliances_by_name_or_group_with_globs() {
    let text = format!(
        "[defaults]\npassword_env = \"{PW}\"\n\
         [[appliance]]\nname = \"vc-east-1\"\nserver = \"a\"\ngroup = \"sso-east\"\n\
         [[appliance]]\nname = \"vc-east-2\"\nserver = \"b\"\ngroup = \"sso-east\"\n\
         [[appliance]]\nname = \"vc-west-1\"\nserver = \"c\"\ngroup = \"sso-west\"\n\
         [[appliance]]\nname = \"lab\"\nserver = \"d\"\n"
    );
    let picked = |only: &[&str]| -> Result<Vec<String>, String> {
        let only: Vec<String> = only.iter().map(ToString::to_string).collect();
        select(settings_here(&text), &only)
            .map(|s| s.into_iter().map(|s| s.name).collect())
            .map_err(|e| e.to_string())
    };
    assert_eq!(picked(&[]).unwrap().len(), 4);
    assert_eq!(picked(&["lab"]).unwrap(), ["lab"]);
    assert_eq!(picked(&["sso-west", "lab"]).unwrap(), ["vc-west-1", "lab"]);
    assert_eq!(picked(&["*-1"]).unwrap(), ["vc-east-1", "vc-west-1"]);
    assert_eq!(picked(&["sso-e*"]).unwrap(), ["vc-east-1", "vc-east-2"]);
    assert_eq!(picked(&["vc-?ast-[2-9]"]).unwrap(), ["vc-east-2"]);
    let none = picked(&["vc-north-*"]).unwrap_err();
    assert!(
        none.contains("--only vc-north-* selects none of its 4 appliance(s)")
            && none.contains("its groups are sso-east, sso-west"),
        "{none}"
    );
    let bad = picked(&["vc-[east"]).unwrap_err();
    assert!(bad.contains("is not a pattern"), "{bad}");
}

#[test]
fn the_readme_documents_the_format_as_the_help_does() {
    let readme = include_str!("../../../../README.md");
    assert!(
        readme.contains(FORMAT),
        "README.md lacks the inventory format of FORMAT"
    );
}
