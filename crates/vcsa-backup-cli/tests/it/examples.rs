//! Every example a user reads works as printed against an appliance with a self-signed
//! certificate: the README's shell blocks, the "Examples" of every `--help`, and the demo's
//! closing "point the same commands at a real appliance". They are read at test time (never
//! copied here) and each `vcsa-backup` command runs under bash against a simulator with TLS,
//! with only these substituted: the server (`vcsa.example.com`), the thumbprint (through
//! VCSA_THUMBPRINT, or a configuration file entry, and for the `AB:CD:...` placeholder), the
//! files of the administrator's machine (`/etc/...`, `/var/...`: scratch files, password files
//! holding the simulator's password), and the prompts (VCSA_PASSWORD and
//! VCSA_LOCATION_PASSWORD, since a test has no terminal).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use vcsa_backup_sim::{ArchiveSeed, DEFAULT_PASSWORD, DEFAULT_SYSTEM_NAME, Simulator};

use crate::support::{BIN, Run, Sim, bare_command};

/// Commands that cannot run against one simulator, by the words they hold, and why.
const SKIPPED: &[(&str, &str)] = &[
    // A fleet needs an inventory of many appliances: the fleet tests run these on a simulated
    // fleet (`vcsa-backup-sim --appliances`).
    ("vcsa-backup fleet", "needs a fleet inventory"),
    (" fleet ", "needs a fleet inventory"),
    // A restore needs the simulator's restore mode and a backup to restore from.
    (" restore ", "needs an appliance in restore mode"),
];

/// Where an example comes from, and its commands.
struct Source {
    name: String,
    /// Logical lines (continuations joined), in order: settings and commands.
    lines: Vec<String>,
}

/// How the thumbprint reaches the command.
#[derive(Clone, Copy, Debug)]
enum Trust {
    Variable,
    ConfigFile,
}

#[test]
fn every_example_runs_against_a_self_signed_appliance() {
    let mut sources = readme();
    sources.extend(help_examples());
    sources.push(demo_closing());
    let mut ran = 0;
    let mut per_source = std::collections::BTreeMap::<String, usize>::new();
    let mut skipped = Vec::new();
    let mut failures = Vec::new();
    for trust in [Trust::Variable, Trust::ConfigFile] {
        for source in &sources {
            // Each source on a fresh appliance: examples of one source build on each other
            // (a schedule created, then applied), those of two sources may collide (one location).
            let sim = Sim::start(Simulator::builder().job_duration(Duration::from_millis(300)));
            let scratch = Scratch::new(&format!("{}-{trust:?}", ran));
            let mut setup = Vec::new();
            for line in &source.lines {
                match kind(line) {
                    // With the thumbprint in the configuration file, it is not exported too.
                    Kind::Setting
                        if matches!(trust, Trust::ConfigFile)
                            && line.contains("VCSA_THUMBPRINT=") => {}
                    Kind::Setting => setup.push(line.clone()),
                    Kind::Other => {}
                    Kind::Command => {
                        if let Some((_, why)) = SKIPPED.iter().find(|(w, _)| line.contains(w)) {
                            skipped.push(format!("{}: {line} ({why})", source.name));
                            continue;
                        }
                        seed_archives(&sim, line);
                        if let Some(earlier) = earlier_backup(line) {
                            let run = run(&sim, &scratch, trust, &setup, &earlier);
                            assert_eq!(run.code, 0, "{}: {earlier}\n{run}", source.name);
                        }
                        let run = run(&sim, &scratch, trust, &setup, line);
                        ran += 1;
                        *per_source.entry(source.name.clone()).or_default() += 1;
                        if !accepted(line, run.code) {
                            failures.push(format!("{} ({trust:?}): {line}\n{run}", source.name));
                        }
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The sources were found: the README, several helps and the demo each give commands.
    assert!(
        ran >= 2 * 12,
        "only {ran} examples ran; skipped: {skipped:#?}"
    );
    eprintln!("{ran} example runs {per_source:#?}; skipped: {skipped:#?}");
}

/// The exit codes that mean the example worked: `check` says its verdict (a fresh appliance has
/// no backup: CRITICAL), 3 there is UNKNOWN, a failure to talk to it.
fn accepted(line: &str, code: i32) -> bool {
    if line.contains(" check") && !line.contains("--check") {
        (0..=2).contains(&code)
    } else {
        code == 0
    }
}

enum Kind {
    /// `export X=...` or `X=...`: kept for the block's later commands.
    Setting,
    /// A `vcsa-backup` command.
    Command,
    /// Anything else (`cargo ...`): not this tool's example.
    Other,
}

fn kind(line: &str) -> Kind {
    let mut words = line.split_whitespace().peekable();
    if words.peek() == Some(&"export") {
        return Kind::Setting;
    }
    // Leading assignments (`VCSA_SERVER=... vcsa-backup ...`).
    let mut assignments = 0;
    while let Some(word) = words.peek() {
        let assignment = word.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        });
        if !assignment {
            break;
        }
        assignments += 1;
        words.next();
    }
    match words.next() {
        Some("vcsa-backup") => Kind::Command,
        // `X=$(...)`: the words after belong to the value.
        _ if assignments > 0 => Kind::Setting,
        _ => Kind::Other,
    }
}

/// Runs one example under bash, after its block's settings.
fn run(sim: &Sim, scratch: &Scratch, trust: Trust, setup: &[String], line: &str) -> Run {
    let thumbprint = sim.sim.thumbprint().expect("a TLS simulator");
    let server = sim.url().trim_start_matches("https://");
    let script = setup
        .iter()
        .chain([&line.to_string()])
        .map(|l| scratch.files(&substitute(l, server, thumbprint)))
        .collect::<Vec<_>>()
        .join("\n");
    let bin = Path::new(BIN).parent().expect("the binary's folder");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // The clean environment the other tests give the binary, here for bash.
    let mut bash = Command::new("bash");
    for (key, value) in bare_command().get_envs() {
        match value {
            Some(value) => bash.env(key, value),
            None => bash.env_remove(key),
        };
    }
    bash.env("PATH", path)
        .env("VCSA_PASSWORD", DEFAULT_PASSWORD)
        .env("VCSA_LOCATION_PASSWORD", "sftp-password")
        .env("XDG_CONFIG_HOME", &scratch.0)
        .current_dir(&scratch.0)
        .stdin(std::process::Stdio::null())
        .args(["-c", &format!("set -e\n{script}")]);
    match trust {
        Trust::Variable => {
            bash.env("VCSA_THUMBPRINT", thumbprint);
        }
        Trust::ConfigFile => {}
    }
    // The README's configuration file, at its default place; its trust only when that is how
    // the thumbprint comes.
    let config = readme_config()
        .lines()
        .filter(|l| matches!(trust, Trust::ConfigFile) || !l.starts_with("trust"))
        .map(|l| scratch.files(&substitute(l, server, thumbprint)))
        .collect::<Vec<_>>()
        .join("\n");
    let folder = scratch.0.join("vcsa-backup");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("config.toml"), config).unwrap();
    Run::of(&mut bash)
}

/// The server and the thumbprint placeholders replaced. The server only where it is the
/// server: `vcsa.example.com` is also the simulator's system name (`--system-name`).
fn substitute(line: &str, server: &str, thumbprint: &str) -> String {
    let mut out = line.to_string();
    for at in [
        "--server ",
        "-s ",
        "VCSA_SERVER=",
        "trust ",
        "server = \"",
        "https://",
    ] {
        out = out
            .replace(
                &format!("{at}vcsa.example.com:443"),
                &format!("{at}{server}"),
            )
            .replace(&format!("{at}vcsa.example.com"), &format!("{at}{server}"));
    }
    // `AB:CD:...`, `6F:3B:...`: a thumbprint to be filled in.
    while let Some(end) = out.find(":...") {
        let start = out[..end]
            .rfind(|c: char| !(c.is_ascii_hexdigit() || c == ':'))
            .map_or(0, |i| i + 1);
        out.replace_range(start..end + 4, thumbprint);
    }
    out
}

/// What the examples of `archives list` presume: the location holds a backup (from May 2024,
/// before an upgrade, as they search for).
fn seed_archives(sim: &Sim, line: &str) {
    if !line.contains("archives list") {
        return;
    }
    let mut words = line.split_whitespace().skip_while(|w| *w != "--location");
    if let Some(location) = words.nth(1) {
        sim.control()
            .seed_archive(ArchiveSeed {
                location: location.to_string(),
                system_name: DEFAULT_SYSTEM_NAME.to_string(),
                timestamp: "2024-05-10T02:00:00Z".parse().unwrap(),
                scheduled: true,
                comment: Some("before the upgrade".into()),
                ..ArchiveSeed::default()
            })
            .expect("a seeded backup");
    }
}

/// What `backup --into ROOT` presumes of an appliance in service: a backup in its history that
/// the appliance placed in its layout, which tells its system name and version (on a fresh
/// appliance the example would need `--system-name` and `--appliance-version`, as the README
/// says). The same command, once, into the folder the appliance's interface would have named.
fn earlier_backup(line: &str) -> Option<String> {
    let (before, after) = line.split_once("--into ")?;
    let (root, rest) = after.split_once(' ').unwrap_or((after, ""));
    Some(format!(
        "{before}--location {root}/vCenter/sn_{DEFAULT_SYSTEM_NAME}/M_8.0.3.00400_20260101-013000_ {rest}"
    ))
}

/// A folder of one source's run: its working directory, configuration and files.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("vcsa-cli-examples-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// Absolute paths of the administrator's machine (`/etc/...`, `/var/...`) replaced by
    /// files here with the same name; password files hold the simulator's password.
    fn files(&self, line: &str) -> String {
        line.split(' ')
            .map(|word| {
                let path = word.trim_matches('"');
                if !(path.starts_with("/etc/") || path.starts_with("/var/")) {
                    return word.to_string();
                }
                let name = Path::new(path).file_name().unwrap().to_string_lossy();
                let local = self.0.join(&*name);
                if name.ends_with(".pw") {
                    std::fs::write(&local, format!("{DEFAULT_PASSWORD}\n")).unwrap();
                }
                word.replace(path, &local.display().to_string())
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Lines joined where they end in `\`, comments-only and blank lines dropped.
fn logical_lines<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in lines {
        let line = line.trim();
        if current.is_empty() && (line.is_empty() || line.starts_with('#')) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(head) => {
                current.push_str(head.trim_end());
                current.push(' ');
            }
            None => {
                current.push_str(line);
                out.push(std::mem::take(&mut current));
            }
        }
    }
    out
}

/// The README's code blocks whose info string is one of `kinds`, in order.
fn readme_blocks(kinds: &[&str]) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let text = std::fs::read_to_string(&path).expect("the README");
    let mut blocks = Vec::new();
    let mut block: Option<Vec<&str>> = None;
    for line in text.lines() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut block, fence) {
            (None, Some(info)) if kinds.contains(&info.trim()) => block = Some(Vec::new()),
            (None, Some(_)) => block = None,
            (Some(lines), Some(_)) => {
                blocks.push(lines.join("\n"));
                block = None;
            }
            (Some(lines), None) => lines.push(line),
            (None, None) => {}
        }
    }
    blocks
}

/// The README's configuration file example.
fn readme_config() -> String {
    readme_blocks(&["toml"])
        .into_iter()
        .find(|b| b.contains("[[appliance]]") && !b.contains("group"))
        .expect("the README's configuration file example")
}

/// The README's shell blocks, as one source.
fn readme() -> Vec<Source> {
    let sources: Vec<Source> = readme_blocks(&["sh", "shell", "bash", "console"])
        .iter()
        // The restore drill starts its own simulators: `restore_drill` runs it as a test.
        .filter(|block| !block.contains("vcsa-backup-sim "))
        .map(|block| Source {
            name: "README.md".into(),
            lines: logical_lines(block.lines()),
        })
        .collect();
    assert!(
        sources.len() >= 3,
        "the README's shell blocks were not found"
    );
    // Crontab lines: the command after the five time fields (`\%` is `%` to bash too).
    let cron = readme_blocks(&["text", "crontab", "cron"])
        .iter()
        .flat_map(|block| block.lines().map(str::to_string).collect::<Vec<_>>())
        .filter_map(|line| {
            let fields: Vec<&str> = line.splitn(6, ' ').collect();
            (fields.len() == 6 && fields[5].starts_with("vcsa-backup "))
                .then(|| fields[5].to_string())
        })
        .collect::<Vec<_>>();
    assert!(
        !cron.is_empty(),
        "the README's crontab lines were not found"
    );
    let sources = sources
        .into_iter()
        .chain([Source {
            name: "README.md".into(),
            lines: cron,
        }])
        .collect::<Vec<_>>();
    // One appliance for the whole README: its blocks build on each other.
    vec![Source {
        name: "README.md".into(),
        lines: sources.into_iter().flat_map(|s| s.lines).collect(),
    }]
}

/// The "Examples:" section of every command's `--help`, one source each.
fn help_examples() -> Vec<Source> {
    let mut sources = Vec::new();
    let mut todo = vec![Vec::<String>::new()];
    while let Some(path) = todo.pop() {
        let help = Run::of(bare_command().args(&path).arg("--help"));
        assert_eq!(help.code, 0, "{path:?} --help: {help}");
        todo.extend(
            section(&help.stdout, "Commands:")
                .iter()
                .filter_map(|l| l.split_whitespace().next())
                .filter(|name| *name != "help")
                .map(|name| [path.clone(), vec![name.to_string()]].concat()),
        );
        let examples = section(&help.stdout, "Examples:");
        if !examples.is_empty() {
            sources.push(Source {
                name: format!("vcsa-backup {} --help", path.join(" ")),
                lines: logical_lines(examples.iter().map(String::as_str)),
            });
        }
    }
    assert!(sources.len() >= 2, "no --help has examples");
    sources
}

/// The indented lines under `heading`, up to the next unindented line.
fn section(help: &str, heading: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim() != heading)
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with(' '))
        .map(str::to_string)
        .collect()
}

/// The demo's closing lines: the commands to point at a real appliance.
fn demo_closing() -> Source {
    let demo = Run::of(bare_command().args(["demo", "--job-duration", "200ms"]));
    assert_eq!(demo.code, 0, "{demo}");
    let closing: Vec<&str> = demo
        .stdout
        .lines()
        .skip_while(|l| !l.contains("real appliance"))
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with(' '))
        .collect();
    assert!(!closing.is_empty(), "the demo's closing lines: {demo}");
    Source {
        name: "vcsa-backup demo".into(),
        lines: logical_lines(closing.into_iter()),
    }
}
