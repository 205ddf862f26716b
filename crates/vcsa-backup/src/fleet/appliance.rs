//! The appliances of a fleet, built from values, and the checks a fleet makes of them before
//! anything is sent: names unique and printable, servers unique and accepted by the client.

use std::collections::HashMap;

use vcsa_backup_api::Secret;

use crate::address::normalise;
use crate::client::Client;
use crate::error::Problem;
use crate::macros::setters;
use crate::segment::IdKind;
use crate::wire::tls::Thumbprint;

/// The schedule [`Fleet::backup`](crate::fleet::Fleet::backup) runs on an appliance unless told
/// otherwise.
pub const DEFAULT_SCHEDULE: &str = "default";

/// How an appliance's TLS certificate is trusted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Trust {
    /// By the system's certificate authorities.
    #[default]
    System,
    /// Only the certificate with this SHA-256 thumbprint (`AB:CD:...`).
    Thumbprint(String),
    /// Certificates signed by a CA of this PEM bundle (the appliance's VMCA, say).
    CaPem(Vec<u8>),
}

/// One appliance of a fleet: its name, its group and the schedule a fleet backup runs, and
/// either how to log in to it or a ready [`Client`].
#[derive(Clone, Debug)]
pub struct Appliance {
    pub(crate) name: String,
    pub(crate) group: Option<String>,
    pub(crate) schedule: String,
    pub(crate) access: Access,
}

/// How a fleet reaches one appliance.
#[derive(Clone, Debug)]
pub(crate) enum Access {
    /// The fleet builds the client, with its own time-out and user agent.
    LogIn {
        server: String,
        user: String,
        password: Secret,
        trust: Trust,
    },
    /// A client built by the caller; the fleet logs it in and out.
    Client(Client),
}

impl Appliance {
    /// An appliance at `server` (an `https://` base URL, as [`Client::builder`] takes it), that
    /// the fleet logs in to as `user` with `password` (a [`Secret`], or a string the program
    /// holds, from a vault say), trusting the system's certificate authorities.
    pub fn new(
        name: impl Into<String>,
        server: impl Into<String>,
        user: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        Self::with_access(
            name,
            Access::LogIn {
                server: server.into(),
                user: user.into(),
                password: password.into(),
                trust: Trust::System,
            },
        )
    }

    /// An appliance reached through a client the caller built (its credentials, trust and
    /// time-out included). Its account is its own: the fleet cannot tell whether it shares one.
    pub fn with_client(name: impl Into<String>, client: Client) -> Self {
        Self::with_access(name, Access::Client(client))
    }

    fn with_access(name: impl Into<String>, access: Access) -> Self {
        Self {
            name: name.into(),
            group: None,
            schedule: DEFAULT_SCHEDULE.into(),
            access,
        }
    }

    /// How its certificate is trusted (for an appliance made with [`new`](Self::new); a
    /// client's trust is its own).
    #[must_use]
    pub fn trust(mut self, trust: Trust) -> Self {
        if let Access::LogIn { trust: t, .. } = &mut self.access {
            *t = trust;
        }
        self
    }

    setters! {
        /// The group it belongs to: appliances backed up together, such as one SSO domain.
        group(group: impl Into<String>) => Some;

        /// The schedule [`Fleet::backup`](crate::fleet::Fleet::backup) runs on it (default
        /// [`DEFAULT_SCHEDULE`]).
        schedule(schedule: impl Into<String>);
    }

    /// Its name in the fleet.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its base URL.
    pub fn server(&self) -> &str {
        match &self.access {
            Access::LogIn { server, .. } => server,
            Access::Client(client) => client.base_url(),
        }
    }

    /// Its group, if it has one.
    pub fn group_name(&self) -> Option<&str> {
        self.group.as_deref()
    }

    /// The schedule a fleet backup runs on it.
    pub fn schedule_id(&self) -> &str {
        &self.schedule
    }
}

/// Appliances a fleet refuses: every problem found, each naming its appliance. Nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct FleetError {
    /// Every problem found, in the appliances' order.
    pub problems: Vec<FleetProblem>,
}

/// One problem with one appliance of a fleet.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("appliance #{} ({setting}): {message}{}", self.index + 1, self.other.map(|o| format!(" (the other is appliance #{})", o + 1)).unwrap_or_default())]
#[non_exhaustive]
pub struct FleetProblem {
    /// The appliance's position in the list given to the fleet (from 0).
    pub index: usize,
    /// The setting at fault.
    pub setting: Setting,
    /// What is wrong and what to do.
    pub message: String,
    /// For a setting two appliances share that must be unique (name, server): the position of
    /// the first of them.
    pub other: Option<usize>,
}

/// A setting of an [`Appliance`], as a [`FleetProblem`] names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Setting {
    /// Its name.
    Name,
    /// Its server address.
    Server,
    /// The user that logs in.
    User,
    /// How its certificate is trusted.
    Trust,
    /// Its group.
    Group,
    /// Its schedule.
    Schedule,
}

impl std::fmt::Display for Setting {
    /// The variant's name in lower case: `name`, `server`, `user`, ...
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format!("{self:?}").to_lowercase())
    }
}

/// Checks every appliance, in one pass: what the fleet would refuse later is refused here,
/// before anything is sent to any appliance.
pub(crate) fn check(appliances: &[Appliance]) -> Result<(), FleetError> {
    let mut problems = Vec::new();
    let mut names: HashMap<&str, usize> = HashMap::with_capacity(appliances.len());
    let mut servers: HashMap<String, usize> = HashMap::with_capacity(appliances.len());
    for (index, appliance) in appliances.iter().enumerate() {
        let mut problem = |setting, message: String, other| {
            problems.push(FleetProblem {
                index,
                setting,
                message,
                other,
            });
        };
        let name = appliance.name.as_str();
        if let Some(message) = not_printable("name", name) {
            problem(Setting::Name, message, None);
        } else if let Some(first) = names.insert(name, index) {
            names.insert(name, first);
            problem(
                Setting::Name,
                format!(
                    "the name \"{name}\" is already used by another appliance; give every \
                     appliance its own name"
                ),
                Some(first),
            );
        }
        let server = appliance.server();
        match normalise(server) {
            Err(p) => problem(Setting::Server, sentence(&p), None),
            // One appliance, one entry: two entries would start two backups on it.
            Ok(url) => match servers.get(&url.to_ascii_lowercase()) {
                Some(&first) => problem(
                    Setting::Server,
                    format!(
                        "{url} is also the server of \"{}\"; list every appliance once",
                        appliances[first].name
                    ),
                    Some(first),
                ),
                None => {
                    servers.insert(url.to_ascii_lowercase(), index);
                }
            },
        }
        if let Some(group) = &appliance.group
            && let Some(message) = not_printable("group", group)
        {
            problem(Setting::Group, message, None);
        }
        if IdKind::Schedule.problem(&appliance.schedule).is_some() {
            let message = "the schedule must be a schedule id, such as \"default\"";
            problem(Setting::Schedule, message.into(), None);
        }
        if let Access::LogIn { user, trust, .. } = &appliance.access {
            if let Some(message) = user_problem(user) {
                problem(Setting::User, message, None);
            }
            if let Some(message) = check_trust(trust) {
                problem(Setting::Trust, message, None);
            }
        }
    }
    if appliances.is_empty() {
        problems.push(FleetProblem {
            index: 0,
            setting: Setting::Name,
            message: "the fleet has no appliance; add one".into(),
            other: None,
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(FleetError { problems })
    }
}

/// Why `user` cannot log in, if it cannot.
fn user_problem(user: &str) -> Option<String> {
    let bad = user.trim().is_empty() || user.contains(':') || user.chars().any(char::is_control);
    bad.then(|| {
        "the user must be an account name such as administrator@vsphere.local, without ':' or \
         control characters"
            .into()
    })
}

/// Why `text` cannot name an appliance or a group in output, if it cannot.
fn not_printable(what: &str, text: &str) -> Option<String> {
    if text.trim().is_empty() {
        Some(format!("the {what} is empty; give one"))
    } else if text.chars().any(char::is_control) {
        Some(format!(
            "the {what} holds a control character (a line break, tab or escape); use printable \
             characters only"
        ))
    } else {
        None
    }
}

fn check_trust(trust: &Trust) -> Option<String> {
    match trust {
        Trust::System => None,
        Trust::Thumbprint(text) => Thumbprint::parse(text).err().map(|p| sentence(&p)),
        Trust::CaPem(pem) => match reqwest::Certificate::from_pem_bundle(pem) {
            Ok(certs) if !certs.is_empty() => None,
            _ => Some(
                "the CA certificate is not PEM data holding a certificate; give a file that \
                 starts with -----BEGIN CERTIFICATE-----"
                    .into(),
            ),
        },
    }
}

/// A problem's message and hint, as one sentence.
fn sentence(problem: &Problem) -> String {
    let hint = problem.hint.as_ref().map(|hint| format!("; {hint}"));
    format!("{}{}", problem.message, hint.unwrap_or_default())
}

/// [`Error::InvalidRequest`](crate::Error::InvalidRequest), one [`Problem`] per appliance
/// problem, so that `?` works in a function returning [`Error`](crate::Error).
impl From<FleetError> for crate::Error {
    fn from(error: FleetError) -> Self {
        let problem = |p: &FleetProblem| Problem::new(crate::Field::Appliance, p.to_string());
        Self::problems_found(error.problems.iter().map(problem).collect())
    }
}
