//! The inventory (TOML): which appliances, how to log in to each and how to trust it, read with
//! serde into [`Settings`] (and for a fleet the SDK's [`Appliance`]s), with errors that name the
//! line and the entry. One format for a fleet (`fleet --inventory`) and for the configuration
//! file (`config.toml`, one appliance or many); [`FORMAT`] documents every key. Each appliance
//! takes its own settings, else its group's (`[groups.NAME]`), else `[defaults]`'. Password and
//! CA files are read here, with byte caps, before anything is sent.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use vcsa_backup::Secret;
use vcsa_backup::fleet::{Appliance, Fleet, Setting};

use crate::files::{self, INVENTORY_CAP};

mod error;
mod format;
mod schedule;
mod select;
mod sources;
#[cfg(test)]
mod tests;

pub use error::{InventoryError, Problem};
pub use format::FORMAT;
pub use schedule::DesiredSchedule;
pub use select::select;
pub use sources::PasswordSource;
use sources::Source;

/// The user an appliance logs in as when neither it nor `[defaults]` names one.
const DEFAULT_USER: &str = "administrator@vsphere.local";

/// How an appliance's certificate is trusted, as the inventory writes it.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum Trust {
    Thumbprint(String),
    CaFile(PathBuf),
}

/// An `[[appliance]]` entry, `[groups.NAME]` or `[defaults]`: one set of settings (a name,
/// server or group outside an `[[appliance]]` entry is refused).
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: Option<Spanned<String>>,
    server: Option<Spanned<String>>,
    group: Option<Spanned<String>>,
    user: Option<Spanned<String>>,
    password_file: Option<Spanned<PathBuf>>,
    password_env: Option<Spanned<String>>,
    /// Refused, whatever it holds: only so that its line can be named.
    password: Option<Spanned<toml::Value>>,
    /// Read as [`Trust`] once its line is known.
    trust: Option<Spanned<toml::Value>>,
    /// An id, or a table read as a [`DesiredSchedule`] once its line is known.
    schedule: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    defaults: Entry,
    #[serde(default)]
    groups: BTreeMap<String, Spanned<Entry>>,
    #[serde(default, rename = "appliance")]
    appliances: Vec<Spanned<Entry>>,
}

/// One appliance's settings as the inventory gives them (its own, else its group's, else
/// `[defaults]'`), its password not read yet.
pub struct Settings {
    /// Its name in the inventory.
    pub name: String,
    /// Its base URL, by the SDK's one rule.
    pub server: String,
    /// The user to log in as.
    pub user: String,
    /// How its certificate is trusted, when the inventory says.
    pub trust: Option<vcsa_backup::fleet::Trust>,
    /// Its group, if it has one.
    pub group: Option<String>,
    /// The schedule `fleet backup` runs, and `fleet schedule apply` manages.
    pub schedule: String,
    /// The settings that schedule should have, when the inventory declares them.
    pub desired: Option<DesiredSchedule>,
    /// Where its password comes from, when the inventory says.
    password: Option<Source>,
}

impl Settings {
    /// The appliance, logging in with `password`.
    fn appliance(&self, password: Secret) -> Appliance {
        let appliance = Appliance::new(&self.name, &self.server, &self.user, password)
            .trust(self.trust.clone().unwrap_or_default())
            .schedule(&self.schedule);
        match &self.group {
            Some(group) => appliance.group(group),
            None => appliance,
        }
    }

    /// Its password, read from the source the inventory names (`None` when it names none).
    pub fn read_password(&self) -> Result<Option<Secret>, String> {
        self.password
            .as_ref()
            .map(|source| source.source.read())
            .transpose()
    }
}

/// What the inventory is for: a fleet needs a password source for every appliance; the
/// configuration file may leave it to the options, the environment or the prompt.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `fleet --inventory`.
    Fleet,
    /// The configuration file.
    Config,
}

/// Reads and checks the inventory at `path` (read with [`INVENTORY_CAP`]), picks the appliances
/// `only` selects (see [`select`]; all when empty), reads the passwords and CA files they
/// name, and builds the fleet. Relative `password_file` and `ca_file` paths are taken from the
/// inventory's folder. The chosen appliances' settings come with it, read once with the fleet.
pub fn load(path: &Path, only: &[String]) -> Result<(Fleet, Vec<Settings>), InventoryError> {
    let settings = load_settings(path, Purpose::Fleet)?;
    let chosen = select(settings, only).map_err(|e| e.in_file(path))?;
    let fleet = fleet(&chosen).map_err(|e| e.in_file(path))?;
    Ok((fleet, chosen))
}

/// Reads and checks the inventory at `path` as [`load`] does, and the CA files it names, but
/// no password: each appliance's [`Settings`], in the file's order.
pub fn load_settings(path: &Path, purpose: Purpose) -> Result<Vec<Settings>, InventoryError> {
    let text = read(path)?;
    // Relative paths in the file mean relative to the file, wherever the command runs.
    let folder = path.parent().unwrap_or(Path::new(""));
    check(&text, folder, purpose).map_err(|e| e.in_file(path))
}

/// The text of the inventory at `path`: capped, UTF-8, and writable by its owner alone.
fn read(path: &Path) -> Result<String, InventoryError> {
    let at = |message: String| InventoryError::one(None, message).in_file(path);
    files::refuse_writable_by_others(path).map_err(at)?;
    let bytes = files::read_capped(path, INVENTORY_CAP)
        .map_err(|e| at(format!("cannot be read ({e}); check the path")))?;
    String::from_utf8(bytes).map_err(|_| at("is not UTF-8 text".into()))
}

/// Checks an inventory given as TOML text, relative paths taken from `folder`, reads its
/// passwords and builds the fleet.
#[cfg(test)]
pub fn parse(text: &str, folder: &Path) -> Result<Fleet, InventoryError> {
    fleet(&check(text, folder, Purpose::Fleet)?)
}

/// The fleet of checked `settings`, their passwords read (each source once, and only from a
/// sound inventory).
fn fleet(settings: &[Settings]) -> Result<Fleet, InventoryError> {
    let mut reader = Reader::new(&|_| 0, Path::new(""), Purpose::Fleet);
    let appliances: Vec<Appliance> = settings
        .iter()
        .filter_map(|s| Some(s.appliance(reader.password(s.password.as_ref()?)?)))
        .collect();
    reader.done()?;
    Fleet::new(appliances).map_err(|e| InventoryError::one(None, e.to_string()))
}

/// Checks an inventory given as TOML text: every appliance's settings, or every problem.
fn check(text: &str, folder: &Path, purpose: Purpose) -> Result<Vec<Settings>, InventoryError> {
    // Where each line starts, so that naming a line is a search, not a count (linear overall).
    let starts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let line_of = |offset: usize| starts.partition_point(|&newline| newline < offset) + 1;
    let file: File = toml::from_str(text).map_err(|e| {
        let mut message = e.message().trim_end().to_string();
        if message.starts_with("unknown field") {
            // `password` is a field only to refuse it with its line: not a setting to offer.
            message = message.replace(", `password`,", ",");
        }
        InventoryError::one(
            e.span().map(|s| line_of(s.start)),
            format!("{message}; see the inventory format in `vcsa-backup fleet --help`"),
        )
    })?;
    let mut reader = Reader::new(&line_of, folder, purpose);
    reader.refuse_in_shared(&file.defaults, "[defaults]");
    for (name, group) in &file.groups {
        reader.refuse_in_shared(group.get_ref(), &format!("[groups.{name}]"));
    }
    let mut pending = Vec::with_capacity(file.appliances.len());
    let mut lines = Vec::with_capacity(file.appliances.len());
    for (index, entry) in file.appliances.iter().enumerate() {
        let group = entry.get_ref().group.as_ref();
        let layers = Layers {
            own: entry.get_ref(),
            group: group
                .and_then(|g| file.groups.get(g.get_ref().trim()))
                .map(Spanned::get_ref),
            defaults: &file.defaults,
        };
        let (settings, sound, at) = reader.appliance(index, entry, &layers);
        pending.push((settings, sound));
        lines.push(at);
    }
    if file.appliances.is_empty() {
        reader.problems.push(Problem {
            line: None,
            entry: None,
            message: "names no appliance; add an [[appliance]] entry with a name and a server"
                .into(),
        });
    }
    // The fleet's own checks (unique names and servers, printable names, ids), before any
    // password is read, named with the line of the setting at fault.
    let unread = pending
        .iter()
        .map(|(settings, _)| settings.appliance(Secret::new("")));
    if let (false, Err(e)) = (pending.is_empty(), Fleet::new(unread)) {
        // An entry with problems of its own is only said to repeat another's name or server.
        let found = e
            .problems
            .iter()
            .filter(|p| pending[p.index].1 || p.other.is_some());
        let found = found.map(|p| {
            let at = &lines[p.index];
            let mut message = format!("{}: {}", p.setting, p.message);
            if let Some(other) = p.other {
                message.push_str(&format!(" (the other is on line {})", lines[other].entry));
            }
            Problem {
                line: Some(at.of(p.setting)),
                entry: Some(at.label.clone()),
                message,
            }
        });
        reader.problems.extend(found);
    }
    // A problem in a shared setting is said once, however many appliances inherit it.
    reader.problems.sort_by_key(|p| p.line);
    reader.problems.dedup();
    reader.done()?;
    Ok(pending.into_iter().map(|(settings, _)| settings).collect())
}

/// The settings an appliance draws on, nearest first.
struct Layers<'a> {
    own: &'a Entry,
    group: Option<&'a Entry>,
    defaults: &'a Entry,
}

impl<'a> Layers<'a> {
    /// The nearest layer for which `has` holds, and whether it is the appliance's own.
    fn first(&self, has: impl Fn(&Entry) -> bool) -> Option<(&'a Entry, bool)> {
        [Some(self.own), self.group, Some(self.defaults)]
            .into_iter()
            .flatten()
            .enumerate()
            .find(|(_, e)| has(e))
            .map(|(i, e)| (e, i == 0))
    }

    /// The nearest value of a setting, and whether it is the appliance's own.
    fn pick<T>(&self, setting: impl Fn(&'a Entry) -> &'a Option<T>) -> Option<(&'a T, bool)> {
        [Some(self.own), self.group, Some(self.defaults)]
            .into_iter()
            .flatten()
            .enumerate()
            .find_map(|(i, e)| setting(e).as_ref().map(|value| (value, i == 0)))
    }
}

impl<'a> Reader<'a> {
    fn new(line_of: &'a dyn Fn(usize) -> usize, folder: &'a Path, purpose: Purpose) -> Self {
        Self {
            line_of,
            folder,
            purpose,
            problems: Vec::new(),
            passwords: HashMap::new(),
        }
    }

    /// The problems found so far, if any.
    fn done(&mut self) -> Result<(), InventoryError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(InventoryError {
                file: None,
                problems: std::mem::take(&mut self.problems),
            })
        }
    }
}

/// Where an entry's settings are, to name the line of a setting the fleet refuses.
struct Lines {
    label: String,
    entry: usize,
    settings: HashMap<Setting, usize>,
}

impl Lines {
    fn of(&self, setting: Setting) -> usize {
        self.settings.get(&setting).copied().unwrap_or(self.entry)
    }
}

struct Reader<'a> {
    line_of: &'a dyn Fn(usize) -> usize,
    /// Where relative paths start from.
    folder: &'a Path,
    purpose: Purpose,
    problems: Vec<Problem>,
    /// Each password source read once; `None` when it failed (reported once).
    passwords: HashMap<PasswordSource, Option<Secret>>,
}

const INLINE_PASSWORD: &str = "a password is written in the inventory; remove it, put it in a \
     file readable only by you (password_file = \"...\") or in an environment variable \
     (password_env = \"...\")";

impl Reader<'_> {
    fn problem<T>(&mut self, at: &Spanned<T>, entry: Option<&str>, message: impl Into<String>) {
        self.problems.push(Problem {
            line: Some(self.line(at)),
            entry: entry.map(str::to_string),
            message: message.into(),
        });
    }

    fn line<T>(&self, at: &Spanned<T>) -> usize {
        (self.line_of)(at.span().start)
    }

    /// Refuses what only an `[[appliance]]` entry may hold in `[defaults]` or a group (`what`).
    fn refuse_in_shared(&mut self, shared: &Entry, what: &str) {
        if let Some(inline) = &shared.password {
            self.problem(inline, None, INLINE_PASSWORD);
        }
        for (setting, name) in [
            (&shared.name, "name"),
            (&shared.server, "server"),
            (&shared.group, "group"),
        ] {
            if let Some(at) = setting {
                self.problem(
                    at,
                    None,
                    format!("{name} belongs in an [[appliance]] entry, not under {what}"),
                );
            }
        }
    }

    /// The appliance of one entry, waiting for its password, whether it is sound, and where
    /// its settings are.
    fn appliance(
        &mut self,
        index: usize,
        raw: &Spanned<Entry>,
        layers: &Layers,
    ) -> (Settings, bool, Lines) {
        let entry = raw.get_ref();
        let before = self.problems.len();
        let name = entry.name.as_ref().map(|n| n.get_ref().trim().to_string());
        let label = match name.as_deref() {
            Some(name) if !name.is_empty() => format!("\"{name}\""),
            _ => format!("#{}", index + 1),
        };
        let mut lines = Lines {
            label: label.clone(),
            entry: self.line(raw),
            settings: HashMap::new(),
        };
        if name.is_none() {
            self.at_entry(&lines, "has no name; add name = \"...\"");
        }
        let server = match &entry.server {
            // By the SDK's one rule; one it refuses goes as written, for the fleet to report
            // against this entry.
            Some(server) => vcsa_backup::server_url(server.get_ref())
                .unwrap_or_else(|_| server.get_ref().trim().to_string()),
            None => {
                self.at_entry(
                    &lines,
                    "has no server; add server = \"vcsa.example.com\" (a host name, host:port \
                     or https:// URL)",
                );
                String::new()
            }
        };
        // A problem in an inherited setting is its group's or [defaults]': said once, there.
        let own_label = |own: bool| own.then_some(label.as_str());
        let user = layers.pick(|e| &e.user);
        let password = self.password_source(layers, &lines);
        let trust = layers.pick(|e| &e.trust);
        let trust_read = trust.and_then(|(t, own)| self.trust(Some(t), own_label(own)));
        let schedule = layers.pick(|e| &e.schedule);
        let (schedule_id, desired) = match schedule {
            Some((s, own)) => self.schedule(Some(s), own_label(own)),
            None => self.schedule(None, None),
        };
        for (setting, at) in [
            (Setting::Name, entry.name.as_ref().map(|s| self.line(s))),
            (Setting::Server, entry.server.as_ref().map(|s| self.line(s))),
            (Setting::Group, entry.group.as_ref().map(|s| self.line(s))),
            (Setting::User, user.map(|(s, _)| self.line(s))),
            (Setting::Trust, trust.map(|(s, _)| self.line(s))),
            (Setting::Schedule, schedule.map(|(s, _)| self.line(s))),
        ] {
            if let Some(line) = at {
                lines.settings.insert(setting, line);
            }
        }
        // An entry with problems is still checked against the others (its name, its server),
        // and not used.
        let sound = self.problems.len() == before;
        let settings = Settings {
            name: name.unwrap_or_default(),
            server,
            user: user
                .map_or(DEFAULT_USER, |(u, _)| u.get_ref().trim())
                .to_string(),
            trust: trust_read,
            group: entry.group.as_ref().map(|g| g.get_ref().trim().to_string()),
            schedule: schedule_id,
            desired,
            password,
        };
        (settings, sound, lines)
    }

    fn at_entry(&mut self, lines: &Lines, message: &str) {
        self.problems.push(Problem {
            line: Some(lines.entry),
            entry: Some(lines.label.clone()),
            message: message.into(),
        });
    }
}
