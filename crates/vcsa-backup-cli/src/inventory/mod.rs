//! The inventory (TOML): which appliances, how to log in to each and how to trust it, read with
//! serde into [`Settings`] (and for a fleet the SDK's [`Appliance`]s), with errors that name the
//! line and the entry. One format for a fleet (`fleet --inventory`) and for the configuration
//! file (`config.toml`, one appliance or many). Password and CA files are read here, with byte
//! caps, before anything is sent.
//!
//! ```toml
//! [defaults]
//! user = "administrator@vsphere.local"       # the default
//! password_file = "/etc/vcsa/admin.pw"       # or password_env = "VCSA_PASSWORD"
//! trust = { ca_file = "/etc/vcsa/vmca.pem" }  # or { thumbprint = "AB:CD:..." }
//!
//! [[appliance]]
//! name = "vc-east-1"
//! server = "vc-east-1.example.com"           # a host, host:port or https:// URL
//! group = "sso-east"                         # backed up together (one SSO domain)
//! schedule = "nightly"                       # what `fleet backup` runs (default "default")
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use vcsa_backup::Secret;
use vcsa_backup::fleet::{Appliance, DEFAULT_SCHEDULE, Fleet, Setting};

use crate::files::{self, CERTIFICATE_CAP, INVENTORY_CAP, PASSWORD_CAP};

mod error;
#[cfg(test)]
mod tests;

pub use error::{InventoryError, Problem};

/// The user an appliance logs in as when neither it nor `[defaults]` names one.
const DEFAULT_USER: &str = "administrator@vsphere.local";

/// How an appliance's certificate is trusted, as the inventory writes it.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum Trust {
    Thumbprint(String),
    CaFile(PathBuf),
}

/// An `[[appliance]]` entry or `[defaults]`: one set of settings (a name, server or group under
/// `[defaults]` is refused).
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
    schedule: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    defaults: Entry,
    #[serde(default, rename = "appliance")]
    appliances: Vec<Spanned<Entry>>,
}

/// Where a password comes from.
#[derive(Clone, PartialEq, Eq, Hash)]
enum PasswordSource {
    File(PathBuf),
    Env(String),
}

/// An entry's password source, where it is written, and the entry it is for (none when it is
/// `[defaults]`').
struct Source {
    source: PasswordSource,
    line: usize,
    entry: Option<String>,
}

/// One appliance's settings as the inventory gives them (its own, else `[defaults]'`), its
/// password not read yet.
pub struct Settings {
    /// Its name in the inventory.
    pub name: String,
    /// Its base URL, by the SDK's one rule.
    pub server: String,
    /// The user to log in as.
    pub user: String,
    /// How its certificate is trusted, when the inventory says.
    pub trust: Option<vcsa_backup::fleet::Trust>,
    group: Option<String>,
    schedule: String,
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
            .map(|source| read_password(&source.source))
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

/// Reads and checks the inventory at `path` (read with [`INVENTORY_CAP`]), reads the passwords
/// and CA files it names, and builds the fleet. Relative `password_file` and `ca_file` paths
/// are taken from the inventory's folder.
pub fn load(path: &Path) -> Result<Fleet, InventoryError> {
    let text = read(path)?;
    // Relative paths in the file mean relative to the file, wherever the command runs.
    let folder = path.parent().unwrap_or(Path::new(""));
    parse(&text, folder).map_err(|e| e.in_file(path))
}

/// Reads and checks the inventory at `path` as [`load`] does, and the CA files it names, but
/// no password: each appliance's [`Settings`], in the file's order.
pub fn load_settings(path: &Path, purpose: Purpose) -> Result<Vec<Settings>, InventoryError> {
    let text = read(path)?;
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
pub fn parse(text: &str, folder: &Path) -> Result<Fleet, InventoryError> {
    let settings = check(text, folder, Purpose::Fleet)?;
    let mut reader = Reader::new(&|_| 0, folder, Purpose::Fleet);
    // Passwords are read only from a sound inventory, each source once.
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
    reader.refuse_in_defaults(&file.defaults);
    let mut pending = Vec::with_capacity(file.appliances.len());
    let mut lines = Vec::with_capacity(file.appliances.len());
    for (index, entry) in file.appliances.iter().enumerate() {
        let (settings, sound, at) = reader.appliance(index, entry, &file.defaults);
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
        reader.problems.sort_by_key(|p| p.line);
    }
    reader.done()?;
    Ok(pending.into_iter().map(|(settings, _)| settings).collect())
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

const HOW_TO_TRUST: &str =
    "write trust = { thumbprint = \"AB:CD:...\" } or trust = { ca_file = \"/path/to/ca.pem\" }";

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

    fn refuse_in_defaults(&mut self, defaults: &Entry) {
        if let Some(inline) = &defaults.password {
            self.problem(inline, None, INLINE_PASSWORD);
        }
        for (setting, name) in [
            (&defaults.name, "name"),
            (&defaults.server, "server"),
            (&defaults.group, "group"),
        ] {
            if let Some(at) = setting {
                self.problem(
                    at,
                    None,
                    format!("{name} belongs in an [[appliance]] entry, not under [defaults]"),
                );
            }
        }
    }

    /// The appliance of one entry, waiting for its password (none when it has problems), and
    /// where its settings are.
    fn appliance(
        &mut self,
        index: usize,
        raw: &Spanned<Entry>,
        defaults: &Entry,
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
        let label = Some(label.as_str());
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
        let user = either(&entry.user, &defaults.user);
        let password = self.password_source(entry, defaults, &lines);
        let trust = self.trust(either(&entry.trust, &defaults.trust), label);
        let schedule = either(&entry.schedule, &defaults.schedule);
        for (setting, at) in [
            (Setting::Name, entry.name.as_ref().map(|s| self.line(s))),
            (Setting::Server, entry.server.as_ref().map(|s| self.line(s))),
            (Setting::Group, entry.group.as_ref().map(|s| self.line(s))),
            (Setting::User, user.map(|s| self.line(s))),
            (
                Setting::Trust,
                either(&entry.trust, &defaults.trust).map(|s| self.line(s)),
            ),
            (Setting::Schedule, schedule.map(|s| self.line(s))),
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
                .map_or(DEFAULT_USER, |u| u.get_ref().trim())
                .to_string(),
            trust,
            group: entry.group.as_ref().map(|g| g.get_ref().trim().to_string()),
            schedule: schedule
                .map_or(DEFAULT_SCHEDULE, |s| s.get_ref().trim())
                .to_string(),
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

    /// Where the entry's password comes from: its own source or `[defaults]`'.
    fn password_source(
        &mut self,
        entry: &Entry,
        defaults: &Entry,
        lines: &Lines,
    ) -> Option<Source> {
        let label = Some(lines.label.as_str());
        if let Some(inline) = &entry.password {
            // Never quote it: the point is to keep it out of files and messages.
            self.problem(inline, label, INLINE_PASSWORD);
            return None;
        }
        let own = entry.password_file.is_some() || entry.password_env.is_some();
        let (file, env, entry_label) = if own {
            (&entry.password_file, &entry.password_env, label)
        } else if defaults.password.is_some() {
            // Said once, under [defaults].
            return None;
        } else {
            (&defaults.password_file, &defaults.password_env, None)
        };
        let (source, at) = match (file, env) {
            (Some(file), Some(_)) => {
                self.problem(
                    file,
                    entry_label,
                    "both password_file and password_env are given; keep one",
                );
                return None;
            }
            (Some(file), None) => (
                PasswordSource::File(self.folder.join(file.get_ref())),
                self.line(file),
            ),
            (None, Some(env)) => {
                let name = env.get_ref().trim();
                if name.is_empty() || name.contains(['=', '\0']) {
                    self.problem(
                        env,
                        entry_label,
                        "password_env must name an environment variable, such as VCSA_PASSWORD",
                    );
                    return None;
                }
                (PasswordSource::Env(name.to_string()), self.line(env))
            }
            (None, None) if self.purpose == Purpose::Config => return None,
            (None, None) => {
                self.at_entry(
                    lines,
                    "has no password source; add password_file = \"...\" or password_env = \
                     \"...\" here or under [defaults]",
                );
                return None;
            }
        };
        Some(Source {
            source,
            line: at,
            entry: entry_label.map(str::to_string),
        })
    }

    /// The password of `source`, each source read once and its failure said once.
    fn password(&mut self, source: &Source) -> Option<Secret> {
        if let Some(known) = self.passwords.get(&source.source) {
            return known.clone();
        }
        let secret = match read_password(&source.source) {
            Ok(secret) => Some(secret),
            Err(message) => {
                self.problems.push(Problem {
                    line: Some(source.line),
                    entry: source.entry.clone(),
                    message,
                });
                None
            }
        };
        self.passwords.insert(source.source.clone(), secret.clone());
        secret
    }

    fn trust(
        &mut self,
        raw: Option<&Spanned<toml::Value>>,
        entry: Option<&str>,
    ) -> Option<vcsa_backup::fleet::Trust> {
        let raw = raw?;
        let trust = match raw.get_ref().clone().try_into::<Trust>() {
            Ok(trust) => trust,
            Err(e) => {
                // Words for an administrator: the modes are what serde calls variants.
                let message = e
                    .message()
                    .trim_end()
                    .replace("unknown variant", "unknown mode");
                self.problem(raw, entry, format!("trust: {message}; {HOW_TO_TRUST}"));
                return None;
            }
        };
        match trust {
            Trust::Thumbprint(thumbprint) => {
                Some(vcsa_backup::fleet::Trust::Thumbprint(thumbprint))
            }
            Trust::CaFile(path) => {
                let path = self.folder.join(path);
                match files::read_capped(&path, CERTIFICATE_CAP) {
                    Ok(pem) => Some(vcsa_backup::fleet::Trust::CaPem(pem)),
                    Err(e) => {
                        self.problem(
                            raw,
                            entry,
                            format!(
                                "the CA certificate {} cannot be read ({e}); check trust.ca_file",
                                path.display()
                            ),
                        );
                        None
                    }
                }
            }
        }
    }
}

/// The entry's own setting, or `[defaults]`'.
fn either<'a, T>(own: &'a Option<T>, default: &'a Option<T>) -> Option<&'a T> {
    own.as_ref().or(default.as_ref())
}

/// The first line of the password source, or what to say.
fn read_password(source: &PasswordSource) -> Result<Secret, String> {
    let first = match source {
        PasswordSource::File(path) => files::read_first_line(path, PASSWORD_CAP).map_err(|e| {
            format!(
                "the password file {} cannot be read ({e}); check password_file",
                path.display()
            )
        })?,
        PasswordSource::Env(name) => std::env::var(name)
            .map_err(|_| {
                format!(
                    "the environment variable {name} is not set (or not UTF-8); export it first"
                )
            })?
            .lines()
            .next()
            .unwrap_or_default()
            .to_string(),
    };
    if first.is_empty() {
        return Err(match source {
            PasswordSource::File(path) => format!("the password file {} is empty", path.display()),
            PasswordSource::Env(name) => format!("the environment variable {name} is empty"),
        });
    }
    Ok(Secret::new(first))
}
