//! The fleet inventory: which appliances, how to log in to each and how to trust it, read from
//! TOML with errors that name the line and the entry.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

/// The user an appliance logs in as when neither it nor `[defaults]` names one.
pub const DEFAULT_USER: &str = "administrator@vsphere.local";
/// The schedule `fleet backup` runs when neither the appliance nor `[defaults]` names one.
pub const DEFAULT_SCHEDULE: &str = "default";

/// The appliances of a fleet, checked: every entry has a name (unique), a server, a password
/// source and a known way to trust its certificate.
///
/// ```toml
/// # fleet.toml
/// [defaults]
/// user = "administrator@vsphere.local"       # the default
/// password_file = "/etc/vcsa/admin.pw"       # or password_env = "VCSA_PASSWORD"
/// trust = { ca_file = "/etc/vcsa/vmca.pem" }  # or { thumbprint = "AB:CD:..." }
///
/// [[appliance]]
/// name = "vc-east-1"
/// server = "vc-east-1.example.com"           # a host, host:port or https:// URL
/// group = "sso-east"                         # backed up together (one SSO domain)
///
/// [[appliance]]
/// name = "vc-lab"
/// server = "https://10.0.0.5"
/// password_env = "VC_LAB_PASSWORD"
/// trust = { thumbprint = "6F:3B:2A:..." }
/// schedule = "nightly"                        # what `fleet backup` runs (default "default")
/// ```
///
/// Passwords are never written in the inventory: each appliance reads its password from the
/// first line of `password_file` or from the environment variable named by `password_env`.
/// Without `trust`, the system's certificate authorities decide.
///
/// ```
/// use vcsa_backup::fleet::Inventory;
///
/// let inventory = Inventory::parse(
///     r#"
///     [defaults]
///     password_env = "VCSA_PASSWORD"
///
///     [[appliance]]
///     name = "vc-east-1"
///     server = "vc-east-1.example.com"
///     group = "sso-east"
///     "#,
/// )?;
/// let vc = &inventory.appliances()[0];
/// assert_eq!(vc.server, "https://vc-east-1.example.com");
/// assert_eq!(vc.user, "administrator@vsphere.local");
///
/// let error = Inventory::parse("[[appliance]]\nname = \"vc1\"\npassword = \"VMware1!\"\n").unwrap_err();
/// assert!(error.to_string().contains("line 3"));
/// assert!(!error.to_string().contains("VMware1!"));
/// # Ok::<(), vcsa_backup::fleet::InventoryError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inventory {
    appliances: Vec<ApplianceEntry>,
}

/// One appliance of the inventory, with the defaults applied.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApplianceEntry {
    /// Its unique name in the inventory.
    pub name: String,
    /// Its base URL, such as `https://vc-east-1.example.com`.
    pub server: String,
    /// The user that logs in.
    pub user: String,
    /// Where its password comes from.
    pub password: PasswordSource,
    /// How its certificate is trusted.
    pub trust: Trust,
    /// The group it belongs to (appliances backed up together, such as one SSO domain).
    pub group: Option<String>,
    /// The schedule `fleet backup` runs on it.
    pub schedule: String,
    /// The line of its `[[appliance]]` entry in the inventory.
    pub line: usize,
}

/// Where a password comes from; never the password itself.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PasswordSource {
    /// The first line of this file.
    File(PathBuf),
    /// This environment variable.
    Env(String),
}

impl fmt::Display for PasswordSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(path) => write!(f, "the file {}", path.display()),
            Self::Env(name) => write!(f, "the environment variable {name}"),
        }
    }
}

/// How an appliance's TLS certificate is trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trust {
    /// By the system's certificate authorities.
    System,
    /// Only the certificate with this SHA-256 thumbprint.
    Thumbprint(String),
    /// Certificates signed by the CA in this PEM file (the appliance's VMCA, say).
    CaFile(PathBuf),
}

/// A bad inventory: every problem found, each naming its line and entry. Nothing was started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InventoryError {
    file: Option<PathBuf>,
    problems: Vec<InventoryProblem>,
}

/// One problem in an inventory.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct InventoryProblem {
    /// The line it is on (from 1), when it has one.
    pub line: Option<usize>,
    /// The appliance entry it is in, by name (or `#N` for the N-th entry without a name).
    pub entry: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl InventoryError {
    /// Every problem found.
    pub fn problems(&self) -> &[InventoryProblem] {
        &self.problems
    }
}

impl fmt::Display for InventoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self
            .file
            .as_ref()
            .map_or_else(|| "the inventory".to_string(), |p| p.display().to_string());
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(&file)?;
            if let Some(line) = p.line {
                write!(f, ", line {line}")?;
            }
            if let Some(entry) = &p.entry {
                write!(f, " (appliance {entry})")?;
            }
            write!(f, ": {}", p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for InventoryError {}

/// Settings an appliance entry and `[defaults]` share.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    user: Option<Spanned<String>>,
    password_file: Option<Spanned<PathBuf>>,
    password_env: Option<Spanned<String>>,
    /// Refused, whatever it holds: only so that its line can be named.
    password: Option<Spanned<toml::Value>>,
    trust: Option<Spanned<toml::Value>>,
    schedule: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAppliance {
    name: Option<Spanned<String>>,
    server: Option<Spanned<String>>,
    group: Option<Spanned<String>>,
    user: Option<Spanned<String>>,
    password_file: Option<Spanned<PathBuf>>,
    password_env: Option<Spanned<String>>,
    password: Option<Spanned<toml::Value>>,
    trust: Option<Spanned<toml::Value>>,
    schedule: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInventory {
    #[serde(default)]
    defaults: RawDefaults,
    #[serde(default, rename = "appliance")]
    appliances: Vec<Spanned<RawAppliance>>,
}

impl Inventory {
    /// Reads and checks the inventory file at `path`. Relative `password_file` and `ca_file`
    /// paths are taken from the inventory's folder.
    ///
    /// # Errors
    ///
    /// [`InventoryError`]: the file cannot be read, is not TOML, or has bad entries (see
    /// [`parse`](Self::parse)).
    pub fn load(path: &Path) -> Result<Self, InventoryError> {
        let fail = |line, message: String| InventoryError {
            file: Some(path.to_path_buf()),
            problems: vec![InventoryProblem {
                line,
                entry: None,
                message,
            }],
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| fail(None, format!("cannot be read ({e}); check the path")))?;
        // Relative paths in the file mean relative to the file, wherever the command runs.
        let folder = path.parent().unwrap_or(Path::new(""));
        Self::parse_in(&text, folder).map_err(|mut e| {
            e.file = Some(path.to_path_buf());
            e
        })
    }

    /// Checks an inventory given as TOML text (see [`Inventory`] for the format). Relative
    /// `password_file` and `ca_file` paths are taken from the current folder.
    ///
    /// Besides the format, every `server` must be an address the client accepts (a host,
    /// `host:port`, or an `https://` URL; `http://` for a local test server), and every
    /// `trust.ca_file` must be readable and hold a PEM certificate: a mistake is found here,
    /// before anything is sent to any appliance.
    ///
    /// # Errors
    ///
    /// [`InventoryError`] with every problem found.
    pub fn parse(text: &str) -> Result<Self, InventoryError> {
        Self::parse_in(text, Path::new(""))
    }

    /// [`parse`](Self::parse), with relative paths taken from `folder`.
    fn parse_in(text: &str, folder: &Path) -> Result<Self, InventoryError> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let raw: RawInventory = toml::from_str(text).map_err(|e| {
            let mut message = e.message().trim_end().to_string();
            if message.starts_with("unknown field") {
                // `password` is a field only to refuse it with its line: not a setting to offer.
                message = message.replace(", `password`,", ",");
            }
            InventoryError {
                file: None,
                problems: vec![InventoryProblem {
                    line: e.span().map(|s| line_of(s.start)),
                    entry: None,
                    message: format!("{message}; see the inventory format in the documentation"),
                }],
            }
        })?;
        let mut checker = Checker {
            line_of: &line_of,
            folder,
            problems: Vec::new(),
        };
        let defaults = checker.defaults(&raw.defaults);
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut appliances = Vec::new();
        for (i, entry) in raw.appliances.iter().enumerate() {
            if let Some(appliance) = checker.appliance(i, entry, &defaults, &mut seen) {
                appliances.push(appliance);
            }
        }
        if raw.appliances.is_empty() {
            checker.problems.push(InventoryProblem {
                line: None,
                entry: None,
                message: "names no appliance; add an [[appliance]] entry with a name and a server"
                    .into(),
            });
        }
        if checker.problems.is_empty() {
            Ok(Self { appliances })
        } else {
            Err(InventoryError {
                file: None,
                problems: checker.problems,
            })
        }
    }

    /// The appliances, in the inventory's order.
    pub fn appliances(&self) -> &[ApplianceEntry] {
        &self.appliances
    }
}

/// What `[defaults]` gives, checked.
#[derive(Default)]
struct Defaults {
    user: Option<String>,
    password: Option<PasswordSource>,
    /// `[defaults]` writes a password inline (already reported).
    inline_password: bool,
    trust: Option<Trust>,
    schedule: Option<String>,
}

struct Checker<'a> {
    line_of: &'a dyn Fn(usize) -> usize,
    /// Where relative paths start from.
    folder: &'a Path,
    problems: Vec<InventoryProblem>,
}

impl Checker<'_> {
    fn problem<T>(&mut self, at: &Spanned<T>, entry: Option<&str>, message: impl Into<String>) {
        self.problems.push(InventoryProblem {
            line: Some((self.line_of)(at.span().start)),
            entry: entry.map(str::to_string),
            message: message.into(),
        });
    }

    fn defaults(&mut self, raw: &RawDefaults) -> Defaults {
        Defaults {
            user: self.user(raw.user.as_ref(), None),
            password: self.password(
                raw.password.as_ref(),
                raw.password_file.as_ref(),
                raw.password_env.as_ref(),
                None,
            ),
            inline_password: raw.password.is_some(),
            trust: raw.trust.as_ref().and_then(|t| self.trust(t, None)),
            schedule: raw.schedule.as_ref().and_then(|s| self.schedule(s, None)),
        }
    }

    fn appliance(
        &mut self,
        index: usize,
        raw: &Spanned<RawAppliance>,
        defaults: &Defaults,
        seen: &mut HashMap<String, usize>,
    ) -> Option<ApplianceEntry> {
        let line = (self.line_of)(raw.span().start);
        let entry = raw.get_ref();
        let before = self.problems.len();
        let name = match &entry.name {
            Some(name) if !name.get_ref().trim().is_empty() => {
                let text = name.get_ref().trim().to_string();
                if let Some(first) = seen.insert(text.clone(), line) {
                    seen.insert(text.clone(), first);
                    self.problem(
                        name,
                        Some(&format!("\"{text}\"")),
                        format!(
                            "the name is already used by the appliance on line {first}; give \
                             every appliance its own name"
                        ),
                    );
                }
                text
            }
            Some(name) => {
                self.problem(name, None, "the name is empty; give the appliance a name");
                String::new()
            }
            None => {
                self.problems.push(InventoryProblem {
                    line: Some(line),
                    entry: Some(format!("#{}", index + 1)),
                    message: "has no name; add name = \"...\"".into(),
                });
                String::new()
            }
        };
        let label = if name.is_empty() {
            format!("#{}", index + 1)
        } else {
            format!("\"{name}\"")
        };
        let label = Some(label.as_str());
        let server = match &entry.server {
            Some(server) if !server.get_ref().trim().is_empty() => {
                let url = base_url(server.get_ref());
                // The client's own rule, so that what passes here passes there.
                if let Err(problem) = crate::client::address::check_base_url(&url) {
                    let hint = problem.hint.map(|h| format!("; {h}")).unwrap_or_default();
                    self.problem(server, label, format!("server: {}{hint}", problem.message));
                }
                url
            }
            Some(server) => {
                self.problem(
                    server,
                    label,
                    "the server is empty; give its host name or URL",
                );
                String::new()
            }
            None => {
                self.problems.push(InventoryProblem {
                    line: Some(line),
                    entry: label.map(str::to_string),
                    message: "has no server; add server = \"vcsa.example.com\" (a host name, \
                              host:port or https:// URL)"
                        .into(),
                });
                String::new()
            }
        };
        let user = self.user(entry.user.as_ref(), label);
        let password = self.password(
            entry.password.as_ref(),
            entry.password_file.as_ref(),
            entry.password_env.as_ref(),
            label,
        );
        let password = password.or_else(|| defaults.password.clone());
        // An inline password, here or under [defaults], is reported already, with what to do.
        if password.is_none() && entry.password.is_none() && !defaults.inline_password {
            self.problems.push(InventoryProblem {
                line: Some(line),
                entry: label.map(str::to_string),
                message: "has no password source; add password_file = \"...\" or password_env = \
                          \"...\" here or under [defaults]"
                    .into(),
            });
        }
        let trust = match &entry.trust {
            Some(t) => self.trust(t, label),
            None => defaults.trust.clone(),
        };
        let schedule = entry
            .schedule
            .as_ref()
            .and_then(|s| self.schedule(s, label));
        let group = match &entry.group {
            Some(g) if g.get_ref().trim().is_empty() => {
                self.problem(g, label, "the group is empty; remove it or name the group");
                None
            }
            Some(g) => Some(g.get_ref().trim().to_string()),
            None => None,
        };
        (self.problems.len() == before).then(|| ApplianceEntry {
            name,
            server,
            user: user
                .or_else(|| defaults.user.clone())
                .unwrap_or_else(|| DEFAULT_USER.to_string()),
            password: password.unwrap_or(PasswordSource::Env(String::new())),
            trust: trust.unwrap_or(Trust::System),
            group,
            schedule: schedule
                .or_else(|| defaults.schedule.clone())
                .unwrap_or_else(|| DEFAULT_SCHEDULE.to_string()),
            line,
        })
    }

    fn user(&mut self, raw: Option<&Spanned<String>>, entry: Option<&str>) -> Option<String> {
        let raw = raw?;
        let user = raw.get_ref().trim();
        if user.is_empty() || user.contains(':') || user.chars().any(char::is_control) {
            self.problem(
                raw,
                entry,
                "the user must be an account name such as administrator@vsphere.local, without \
                 ':' or control characters",
            );
            return None;
        }
        Some(user.to_string())
    }

    fn password(
        &mut self,
        inline: Option<&Spanned<toml::Value>>,
        file: Option<&Spanned<PathBuf>>,
        env: Option<&Spanned<String>>,
        entry: Option<&str>,
    ) -> Option<PasswordSource> {
        if let Some(inline) = inline {
            // Never quote it: the point is to keep it out of files and messages.
            self.problem(
                inline,
                entry,
                "a password is written in the inventory; remove it, put it in a file readable \
                 only by you (password_file = \"...\") or in an environment variable \
                 (password_env = \"...\")",
            );
            // A password_file or password_env beside it still counts, so that the entries
            // relying on it are not also said to have no password source.
        }
        match (file, env) {
            (Some(file), Some(_)) => {
                self.problem(
                    file,
                    entry,
                    "both password_file and password_env are given; keep one",
                );
                None
            }
            (Some(file), None) => Some(PasswordSource::File(self.folder.join(file.get_ref()))),
            (None, Some(env)) => {
                let name = env.get_ref().trim();
                if name.is_empty() || name.contains(['=', '\0']) {
                    self.problem(
                        env,
                        entry,
                        "password_env must name an environment variable, such as VCSA_PASSWORD",
                    );
                    return None;
                }
                Some(PasswordSource::Env(name.to_string()))
            }
            (None, None) => None,
        }
    }

    fn trust(&mut self, raw: &Spanned<toml::Value>, entry: Option<&str>) -> Option<Trust> {
        const HOW: &str = "write trust = { thumbprint = \"AB:CD:...\" } or trust = { ca_file = \
                           \"/path/to/ca.pem\" }";
        let Some(table) = raw.get_ref().as_table() else {
            self.problem(raw, entry, format!("trust must be a table; {HOW}"));
            return None;
        };
        let modes: Vec<(&String, &toml::Value)> = table.iter().collect();
        match modes.as_slice() {
            [(mode, value)] => match (mode.as_str(), value.as_str()) {
                ("thumbprint", Some(thumbprint)) => {
                    match crate::wire::tls::Thumbprint::parse(thumbprint) {
                        Ok(_) => Some(Trust::Thumbprint(thumbprint.to_string())),
                        Err(e) => {
                            self.problem(raw, entry, e.to_string());
                            None
                        }
                    }
                }
                ("ca_file", Some(path)) if !path.trim().is_empty() => {
                    let path = self.folder.join(path);
                    match read_ca_file(&path) {
                        Ok(()) => Some(Trust::CaFile(path)),
                        Err(message) => {
                            self.problem(raw, entry, message);
                            None
                        }
                    }
                }
                ("thumbprint" | "ca_file", _) => {
                    self.problem(raw, entry, format!("trust.{mode} must be a text; {HOW}"));
                    None
                }
                (unknown, _) => {
                    self.problem(
                        raw,
                        entry,
                        format!("unknown trust mode \"{unknown}\"; {HOW}"),
                    );
                    None
                }
            },
            _ => {
                self.problem(raw, entry, format!("trust takes exactly one mode; {HOW}"));
                None
            }
        }
    }

    fn schedule(&mut self, raw: &Spanned<String>, entry: Option<&str>) -> Option<String> {
        let id = raw.get_ref().trim();
        if id.is_empty() || id.contains(['/', '?', '#']) {
            self.problem(
                raw,
                entry,
                "the schedule must be a schedule id, such as \"default\"",
            );
            return None;
        }
        Some(id.to_string())
    }
}

/// Whether the CA file can be read and holds a PEM certificate; if not, what to say.
fn read_ca_file(path: &Path) -> Result<(), String> {
    let pem = std::fs::read(path).map_err(|e| {
        format!(
            "the CA certificate {} cannot be read ({e}); check trust.ca_file",
            path.display()
        )
    })?;
    match reqwest::Certificate::from_pem_bundle(&pem) {
        Ok(certs) if !certs.is_empty() => Ok(()),
        _ => Err(format!(
            "the CA certificate {} is not PEM data holding a certificate; give a file that \
             starts with -----BEGIN CERTIFICATE-----",
            path.display()
        )),
    }
}

/// A bare host (or `host:port`) means HTTPS; a trailing `/` is dropped.
fn base_url(server: &str) -> String {
    let server = server.trim().trim_end_matches('/');
    if server.contains("://") {
        server.to_string()
    } else {
        format!("https://{server}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        Inventory::parse(text)
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
        let inventory = Inventory::parse(&format!(
            r#"
[defaults]
user = "backup-admin@vsphere.local"
password_file = "/etc/vcsa/admin.pw"
trust = {{ ca_file = "{}" }}

[[appliance]]
name = "vc-east-1"
server = "vc-east-1.example.com/"
group = "sso-east"

[[appliance]]
name = "vc-lab"
server = "http://127.0.0.1:8080"
user = "root@localos"
password_env = "VC_LAB_PASSWORD"
trust = {{ thumbprint = "{THUMBPRINT}" }}
schedule = "nightly"
"#,
            ca.display()
        ))
        .unwrap();
        let [east, lab] = inventory.appliances() else {
            panic!("two appliances expected")
        };
        assert_eq!(east.server, "https://vc-east-1.example.com");
        assert_eq!(east.user, "backup-admin@vsphere.local");
        assert_eq!(
            east.password,
            PasswordSource::File("/etc/vcsa/admin.pw".into())
        );
        assert_eq!(east.trust, Trust::CaFile(ca));
        assert_eq!(east.group.as_deref(), Some("sso-east"));
        assert_eq!(east.schedule, "default");
        assert_eq!(east.line, 7);
        assert_eq!(lab.server, "http://127.0.0.1:8080");
        assert_eq!(lab.user, "root@localos");
        assert_eq!(lab.password, PasswordSource::Env("VC_LAB_PASSWORD".into()));
        assert_eq!(lab.trust, Trust::Thumbprint(THUMBPRINT.into()));
        assert_eq!(lab.group, None);
        assert_eq!(lab.schedule, "nightly");
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
                    "the name is already used by the appliance on line 4; give every appliance \
                     its own name"
                        .into()
                ),
                (
                    Some(15),
                    Some("\"vc1\"".into()),
                    "unknown trust mode \"insecure\"; write trust = { thumbprint = \"AB:CD:...\" } \
                     or trust = { ca_file = \"/path/to/ca.pem\" }"
                        .into()
                ),
            ]
        );
        let shown = Inventory::parse(text).unwrap_err().to_string();
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
        let inventory = Inventory::load(&path).unwrap();
        let entry = &inventory.appliances()[0];
        assert_eq!(
            entry.password,
            PasswordSource::File(folder.join("admin.pw"))
        );
        assert_eq!(entry.trust, Trust::CaFile(folder.join("ca.pem")));
        std::fs::write(&path, "[[appliance]]\nname = \"a\"\n").unwrap();
        let shown = Inventory::load(&path).unwrap_err().to_string();
        assert!(
            shown.starts_with(&format!("{}, line 1", path.display())),
            "{shown}"
        );
        let missing = Inventory::load(&folder.join("missing.toml")).unwrap_err();
        assert!(missing.to_string().contains("cannot be read"), "{missing}");
    }

    #[test]
    fn servers_the_client_would_refuse_are_named_with_their_line() {
        let base = "[defaults]\npassword_env = \"P\"\n[[appliance]]\nname = \"a\"\n";
        for (server, says) in [
            (
                "ftp://127.0.0.1:36787",
                "\"ftp://127.0.0.1:36787\" is not an https:// address",
            ),
            (
                "vcsa example.com",
                "\"https://vcsa example.com\" is not a URL",
            ),
            ("https://vcsa.example.com/api", "ends in /api"),
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
        ] {
            assert!(
                Inventory::parse(&format!("{base}server = \"{server}\"\n")).is_ok(),
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
        let error = Inventory::load(&path).unwrap_err();
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
            shown.contains(&format!(
                "line 10 (appliance \"b\"): the CA certificate {} is not PEM data",
                not_pem.display()
            )),
            "{shown}"
        );
    }

    #[test]
    fn inline_passwords_are_refused_under_defaults_too() {
        let found =
            problems("[defaults]\npassword = 'x'\n\n[[appliance]]\nname = 'a'\nserver = 'a'\n");
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
            "unknown field `unknown_key`, expected one of `user`, `password_file`, \
             `password_env`, `trust`, `schedule`; see the inventory format in the documentation"
        );
        let found = problems("[[appliance]]\nname = \"a\n");
        assert_eq!(found[0].0, Some(2), "{found:?}");
    }

    #[test]
    fn other_mistakes() {
        let base =
            "[defaults]\npassword_env = \"P\"\n[[appliance]]\nname = \"a\"\nserver = \"a\"\n";
        let bad_thumbprint = format!("{base}trust = {{ thumbprint = \"12:34\" }}\n");
        assert!(
            problems(&bad_thumbprint)[0]
                .2
                .contains("is not a SHA-256 thumbprint")
        );
        let two_modes =
            format!("{base}trust = {{ thumbprint = \"{THUMBPRINT}\", ca_file = \"x\" }}\n");
        assert!(
            problems(&two_modes)[0]
                .2
                .starts_with("trust takes exactly one mode")
        );
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
}
