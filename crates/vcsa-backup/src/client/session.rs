//! Sessions: logging in (finding out the flavour on the way), logging out, and running an
//! operation with a live session, logging in again once if the appliance says it expired.

use std::sync::atomic::Ordering;

use crate::client::Client;
use crate::client::resolve::may_have_started;
use crate::error::{AuthFailure, Error, Field, Problem};
use crate::wire::convert::IntoDomain;
use crate::wire::dispatch::{self, Repeat, Twins};
use crate::wire::flavour::Flavour;
use crate::wire::twins::{CreateSession, DeleteSession};

/// Statuses with which an appliance without `/api` (before vSphere 7.0 U2) answers its log in.
const NO_API: [u16; 3] = [404, 405, 501];

impl Client {
    /// Logs in now, replacing any current session. Calls log in by themselves when needed, so
    /// this is only for checking credentials early.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// use vcsa_backup::Error;
    ///
    /// // Check the credentials before a long script starts working.
    /// match client.login().await {
    ///     Ok(()) => println!("logged in"),
    ///     Err(e @ Error::NotAuthenticated { .. }) => return Err(format!("fix the credentials: {e}").into()),
    ///     Err(e) => return Err(e.into()),
    /// }
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::NotAuthenticated`]: no credentials were given, or the appliance refused them.
    /// - And [those of every call](Client#errors-of-every-call).
    pub async fn login(&self) -> Result<(), Error> {
        let _guard = self.inner.login.lock().await;
        self.log_in_locked().await.map(drop)
    }

    /// Ends the session on the appliance. Does nothing when there is none; a session the
    /// appliance has already forgotten counts as ended.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// client.list_jobs().await?; // logs in
    /// client.logout().await?; // ends the session on the appliance
    /// client.logout().await?; // nothing left to end: does nothing
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Transient`], [`Error::UntrustedCertificate`], [`Error::Server`],
    /// [`Error::MalformedResponse`]; the session is then kept, so log out can be tried again.
    pub async fn logout(&self) -> Result<(), Error> {
        let _guard = self.inner.login.lock().await;
        let (Some(flavour), true) = (self.flavour_if_known(), self.auth().has_session()) else {
            return Ok(());
        };
        match dispatch::send(&self.inner.api, flavour, &DeleteSession).await {
            Ok(()) | Err(Error::NotAuthenticated { .. }) => {
                tracing::debug!(%flavour, "logged out");
                self.auth().clear_session();
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Whether the appliance answers at all: one request that needs no session and sends no
    /// credentials (`GET <base>/api`), whose answer, any HTTP status, is all it asks for. A
    /// fleet asks it before a log in that could count against a shared account, so that an
    /// appliance that does not answer never holds the others up.
    #[cfg(feature = "fleet")]
    pub(crate) async fn answers(&self) -> Result<(), Error> {
        use progenitor_client::ClientInfo;
        let url = format!("{}/api", self.base_url());
        self.inner
            .api
            .client()
            .get(url)
            .send()
            .await
            .map(drop)
            .map_err(crate::wire::classify::from_transport)
    }

    /// Sends one operation with a session, logging in first if there is none, and again once if
    /// the appliance says the session has expired (then repeating the operation if it may be).
    pub(crate) async fn call<T: Twins>(&self, operation: &T) -> Result<T::Answer, Error> {
        let (flavour, epoch) = self.session().await?;
        let api = &self.inner.api;
        match dispatch::send(api, flavour, operation).await {
            Err(Error::NotAuthenticated { .. }) => {
                tracing::info!(
                    operation = T::NAME,
                    "the appliance says the session expired; logging in again"
                );
                let (flavour, _) = self.relogin(epoch).await?;
                if T::REPEAT == Repeat::No {
                    tracing::warn!(
                        operation = T::NAME,
                        "not repeated after the session expired: it changes something"
                    );
                    return Err(Error::SessionExpired { operation: T::DOES });
                }
                dispatch::send(api, flavour, operation)
                    .await
                    .map_err(|e| e.refused_as(AuthFailure::FreshSessionRefused))
            }
            // A change whose answer was lost may have been done: the error says so.
            Err(error) if T::REPEAT == Repeat::No && may_have_started(&error) => {
                Err(error.lost_change(Some(T::DOES)))
            }
            other => other,
        }
    }

    /// [`call`](Self::call), its answer converted into the SDK's own type.
    pub(crate) async fn call_into<T: Twins, D>(&self, operation: &T) -> Result<D, Error>
    where
        T::Answer: IntoDomain<D>,
    {
        self.call(operation).await.map(IntoDomain::into_domain)
    }

    /// The flavour and the log-in count of a live session, logging in if there is none.
    pub(crate) async fn session(&self) -> Result<(Flavour, u64), Error> {
        let epoch = self.inner.epoch.load(Ordering::SeqCst);
        if let Some(flavour) = self.flavour_if_known()
            && self.auth().has_session()
        {
            return Ok((flavour, epoch));
        }
        self.relogin(epoch).await
    }

    /// Logs in, unless another task has done so since log-in count `seen`.
    async fn relogin(&self, seen: u64) -> Result<(Flavour, u64), Error> {
        let _guard = self.inner.login.lock().await;
        let now = self.inner.epoch.load(Ordering::SeqCst);
        if now != seen
            && self.auth().has_session()
            && let Some(flavour) = self.flavour_if_known()
        {
            return Ok((flavour, now));
        }
        self.log_in_locked().await
    }

    /// Logs in, finding out the flavour first if needed; the flavour and the new log-in count.
    /// Call with the log-in lock held.
    ///
    /// Finding out costs no extra request: the log in is tried on `/api`, and an appliance
    /// without it answers 404 (or 405, 501), so speaks `/rest`.
    async fn log_in_locked(&self) -> Result<(Flavour, u64), Error> {
        let auth = self.auth();
        let Some(user) = auth.user() else {
            return Err(Error::NotAuthenticated {
                reason: AuthFailure::NoCredentials,
                server: None,
            });
        };
        auth.clear_session();
        let api = &self.inner.api;
        let (flavour, token) = match self.flavour_if_known() {
            Some(flavour) => {
                tracing::debug!(user, %flavour, "logging in");
                (flavour, dispatch::send(api, flavour, &CreateSession).await)
            }
            None => match dispatch::exchange(api, Flavour::Api, &CreateSession).await {
                (Err(_), Some(status)) if NO_API.contains(&status) => {
                    tracing::info!(
                        "the appliance has no /api (before vSphere 7.0 U2); using /rest"
                    );
                    let _ = self.inner.flavour.set(Flavour::Rest);
                    let token = dispatch::send(api, Flavour::Rest, &CreateSession).await;
                    (Flavour::Rest, token)
                }
                (token, _) => {
                    if token.is_ok() {
                        tracing::info!(user, "the appliance speaks /api; logged in");
                        let _ = self.inner.flavour.set(Flavour::Api);
                    }
                    (Flavour::Api, token)
                }
            },
        };
        let token = token.map_err(|e| refused_log_in(e, &user))?;
        auth.set_session(token.into_secret());
        Ok((flavour, self.inner.epoch.fetch_add(1, Ordering::SeqCst) + 1))
    }
}

/// Says which user the appliance refused, when it refused the log in itself; a log-in path
/// that does not exist is a wrong base URL.
fn refused_log_in(error: Error, user: &str) -> Error {
    match error {
        // Neither flavour's log-in path exists there: the base URL is wrong, not the id of
        // anything.
        Error::NotFound(_) => Error::Configuration {
            problems: vec![
                Problem::new(
                    Field::BaseUrl,
                    "it is not an appliance's API: its log-in path answered 404 (not found)",
                )
                .with_hint(
                    "check the address, and any path a proxy puts in front of the appliance: \
                     the API is at https://<appliance>/api and /rest",
                ),
            ],
        },
        other => other.refused_as(AuthFailure::LoginRefused {
            user: user.to_string(),
        }),
    }
}
