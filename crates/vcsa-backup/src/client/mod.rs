//! The client: one set of operations over both flavours, with sessions handled for the caller.
//! [`Client`] and its state live here; each submodule holds one group of its methods.

use std::fmt;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, OnceLock};

use progenitor_client::ClientInfo;
use vcsa_backup_api::Auth;

use crate::error::Error;
use crate::wire::flavour::Flavour;

pub(crate) mod builder;
mod catalog;
mod operations;
mod resolve;
pub(crate) mod restore;
mod schedules;
mod session;

/// A client for one appliance's backup API.
///
/// Cheap to clone and share across tasks: clones share one session. It logs in on first use,
/// sends the session with every call, and when the appliance says the session has expired it logs
/// in again once and repeats the call, if the call only reads. Calls that start or cancel work
/// are never repeated behind the caller's back: they fail with [`Error::SessionExpired`] instead,
/// after a new session has been opened.
///
/// ```
/// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
/// // `client` as built by `Client::builder`, such as in the crate's example.
/// let job = client.start_backup(&request).await?;
/// // Clones share the session; the client can move into other tasks.
/// let other = client.clone();
/// let status = tokio::spawn(async move { other.get_job(&job.id).await }).await??;
/// println!("{}: {}", status.id, status.state);
/// # Ok(()) })
/// ```
///
/// # Errors of every call
///
/// Besides the errors each method lists, any call can fail with [`Error::NotAuthenticated`],
/// [`Error::NotAuthorized`], [`Error::Transient`], [`Error::UntrustedCertificate`],
/// [`Error::Server`] or [`Error::MalformedResponse`]; a call that changes something also with
/// [`Error::SessionExpired`], its change not sent: call again.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    /// The generated client: the HTTP client, the base URL, and the [`Auth`] holding the
    /// credentials and the session token (the only copy of each).
    api: vcsa_backup_api::Client,
    /// Set once known: from the settings, or found out by the first log in.
    flavour: OnceLock<Flavour>,
    /// Held while logging in, so that tasks whose sessions expire together log in once.
    login: tokio::sync::Mutex<()>,
    /// Counts log-ins; a task that saw the session fail under an older count need not log in.
    epoch: AtomicU64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("user", &self.auth().user())
            .field("flavour", &self.flavour_if_known())
            .field("logged_in", &self.auth().has_session())
            .finish()
    }
}

impl Client {
    pub(crate) fn from_parts(
        base_url: &str,
        http: reqwest::Client,
        credentials: Option<(String, vcsa_backup_api::Secret)>,
        flavour: Option<Flavour>,
    ) -> Self {
        let auth = Auth::new();
        if let Some((user, password)) = credentials {
            auth.set_credentials(user, password);
        }
        Self {
            inner: Arc::new(Inner {
                api: vcsa_backup_api::Client::new_with_client(base_url, http, auth),
                flavour: flavour.map(OnceLock::from).unwrap_or_default(),
                login: tokio::sync::Mutex::new(()),
                epoch: AtomicU64::new(0),
            }),
        }
    }

    /// The appliance's address, as configured, without a trailing `/` (a proxy's path prefix
    /// kept).
    ///
    /// ```
    /// use vcsa_backup::{Client, Flavour};
    ///
    /// let client = Client::builder("https://vcsa.example.com/").flavour(Flavour::Rest).build()?;
    /// assert_eq!(client.base_url(), "https://vcsa.example.com");
    /// assert_eq!(client.flavour_if_known(), Some(Flavour::Rest)); // set, so nothing to find out
    /// # Ok::<(), vcsa_backup::Error>(())
    /// ```
    pub fn base_url(&self) -> &str {
        self.inner.api.baseurl()
    }

    /// The flavour in use, if already known: set by [`ClientBuilder::flavour`](crate::ClientBuilder::flavour), or found out by
    /// the first log in.
    pub fn flavour_if_known(&self) -> Option<Flavour> {
        self.inner.flavour.get().copied()
    }

    /// The flavour in use. Unless [`ClientBuilder::flavour`](crate::ClientBuilder::flavour) set it, the first call finds it out
    /// by logging in.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// use vcsa_backup::Flavour;
    ///
    /// assert_eq!(client.flavour_if_known(), None); // not found out yet
    /// let flavour = client.flavour().await?; // logs in on /api, or falls back to /rest
    /// assert_eq!(flavour, Flavour::Api);
    /// assert_eq!(client.flavour_if_known(), Some(Flavour::Api));
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// Those of [`login`](Self::login), when detection is needed.
    pub async fn flavour(&self) -> Result<Flavour, Error> {
        match self.flavour_if_known() {
            Some(flavour) => Ok(flavour),
            None => self.session().await.map(|(flavour, _)| flavour),
        }
    }

    /// The credentials and the session token.
    fn auth(&self) -> &Auth {
        self.inner.api.inner()
    }
}
