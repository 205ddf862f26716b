//! Credentials and the session token, shared by every clone of a [`Client`](crate::Client).
//!
//! Progenitor does not implement security schemes; [`hooks`](crate::hooks) applies the spec's two
//! schemes from this state: HTTP Basic on log in, the `vmware-api-session-id` header everywhere else.

use std::fmt;
use std::sync::{Arc, RwLock};

use base64::Engine as _;
use reqwest::header::HeaderValue;

use crate::Secret;

/// The user name and password for log in, and the current session token.
///
/// Cloning is cheap and clones share state: a token stored after log in is seen by every clone.
///
/// ```
/// use vcsa_backup_api::{Auth, Secret};
///
/// let auth = Auth::with_credentials("administrator@vsphere.local", Secret::new("VMware1!"));
/// assert!(auth.session().is_none());
/// auth.set_session(Secret::new("token"));
/// assert_eq!(auth.clone().session().unwrap().expose(), "token");
/// assert!(!format!("{auth:?}").contains("VMware1!"));
/// ```
#[derive(Clone, Default)]
pub struct Auth(Arc<State>);

#[derive(Default)]
struct State {
    credentials: RwLock<Option<(String, Secret)>>,
    session: RwLock<Option<Session>>,
}

/// The session token, and the header value that carries it, built once when the token is stored
/// rather than on every request (a copy, a validation and a zeroized temporary per call).
///
/// The header value cannot be zeroized when dropped; neither can the copies reqwest and hyper
/// make of it for every request, so keeping one for the session's life exposes nothing new.
struct Session {
    token: Secret,
    /// `None` when the token cannot travel in a header (a control character): such a session
    /// is sent without its header, which the appliance refuses as unauthenticated.
    header: Option<HeaderValue>,
}

impl Auth {
    /// No credentials and no session: only calls that need neither will succeed.
    pub fn new() -> Self {
        Self::default()
    }

    /// Credentials for log in, no session yet.
    pub fn with_credentials(user: impl Into<String>, password: Secret) -> Self {
        let auth = Self::new();
        auth.set_credentials(user, password);
        auth
    }

    /// Replaces the credentials used by the next log in.
    pub fn set_credentials(&self, user: impl Into<String>, password: Secret) {
        *write(&self.0.credentials) = Some((user.into(), password));
    }

    /// The user name, if credentials are set.
    pub fn user(&self) -> Option<String> {
        read(&self.0.credentials)
            .as_ref()
            .map(|(user, _)| user.clone())
    }

    /// Stores the token returned by log in; later calls send it.
    pub fn set_session(&self, token: Secret) {
        let header = sensitive(token.expose().to_string());
        *write(&self.0.session) = Some(Session { token, header });
    }

    /// Forgets the session token (after log out, or when the appliance says it expired).
    pub fn clear_session(&self) {
        *write(&self.0.session) = None;
    }

    /// The current session token, if any.
    pub fn session(&self) -> Option<Secret> {
        read(&self.0.session).as_ref().map(|s| s.token.clone())
    }

    /// Whether there is a session token, without copying it.
    pub fn has_session(&self) -> bool {
        read(&self.0.session).is_some()
    }

    /// Every secret a request may carry in its headers: the log-in password, the `Basic`
    /// credential it travels in, and the session token. A server's answer must never be shown
    /// quoting one of them.
    ///
    /// ```
    /// use vcsa_backup_api::{Auth, Secret};
    ///
    /// let auth = Auth::with_credentials("root", Secret::new("pw"));
    /// auth.set_session(Secret::new("token"));
    /// let secrets: Vec<String> = auth.secrets().iter().map(|s| s.expose().to_string()).collect();
    /// assert_eq!(secrets, ["pw", "cm9vdDpwdw==", "token"]);
    /// ```
    pub fn secrets(&self) -> Vec<Secret> {
        let mut out = Vec::with_capacity(3);
        if let Some((user, password)) = read(&self.0.credentials).as_ref() {
            let plain = Secret::new(format!("{user}:{}", password.expose()));
            let encoded = base64::engine::general_purpose::STANDARD.encode(plain.expose());
            out.push(password.clone());
            out.push(Secret::new(encoded));
        }
        if let Some(session) = read(&self.0.session).as_ref() {
            out.push(session.token.clone());
        }
        out
    }

    /// The `Authorization: Basic ...` value for log in, marked sensitive so it is never logged.
    pub(crate) fn basic_header(&self) -> Option<HeaderValue> {
        let guard = read(&self.0.credentials);
        let (user, password) = guard.as_ref()?;
        let mut plain = format!("{user}:{}", password.expose());
        let mut encoded = base64::engine::general_purpose::STANDARD.encode(plain.as_bytes());
        zeroize_string(&mut plain);
        let header = sensitive(format!("Basic {encoded}"));
        zeroize_string(&mut encoded);
        header
    }

    /// The `vmware-api-session-id` value, marked sensitive.
    pub(crate) fn session_header(&self) -> Option<HeaderValue> {
        read(&self.0.session).as_ref()?.header.clone()
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field("user", &self.user())
            .field(
                "password",
                &read(&self.0.credentials).as_ref().map(|(_, p)| p.clone()),
            )
            .field("session", &self.session())
            .finish()
    }
}

fn sensitive(mut value: String) -> Option<HeaderValue> {
    let header = HeaderValue::from_str(&value).ok().map(|mut h| {
        h.set_sensitive(true);
        h
    });
    zeroize_string(&mut value);
    header
}

fn zeroize_string(value: &mut String) {
    use secrecy::zeroize::Zeroize;
    value.zeroize();
}

// A panic in another thread while holding the lock must not take the client down with it:
// the state is a plain value that is always valid, so a poisoned lock is simply used.
fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
