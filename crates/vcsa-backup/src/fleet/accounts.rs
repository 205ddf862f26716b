//! Accounts shared between appliances, tried as the [`fleet`](crate::fleet) documentation says.
//!
//! Going alone means holding the account while the log in is under way. Only an appliance that
//! answered a request without credentials, asked outside the account, holds it: one that does
//! not answer fails on its own while the next one goes. A log in that failed for a passing
//! reason (503, a connection reset) is tried again, the account given back meanwhile.

use std::collections::HashMap;
use std::future::Future;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use crate::client::Client;
use crate::error::{AuthFailure, Error};
use crate::fleet::appliance::{Access, Appliance};
use crate::fleet::failure::ApplianceFailure;

/// The first pause before a request that failed for a passing reason is sent again; each
/// next pause doubles, up to [`RETRY_AT_MOST`].
const RETRY_FIRST: Duration = Duration::from_secs(1);
/// The longest pause between two tries of a request.
const RETRY_AT_MOST: Duration = Duration::from_secs(8);

/// What is known of one account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Known {
    /// Not tried yet: the first log in with it goes alone.
    #[default]
    Untried,
    /// This appliance refused it, and no other answered yet: the next log in with it goes alone.
    Suspect(String),
    /// An appliance accepted it: the others may log in together, and a refusal is the refusing
    /// appliance's own.
    Accepted,
    /// These two appliances refused it, one after the other: nobody tries it again.
    Refused([String; 2]),
}

/// One account, shared by the appliances that log in as the same user with the same password: the
/// user, and a hash of the password (kept apart from it, so the map holds no second copy of any
/// password).
type Account = (String, u64);

/// The accounts of one fleet run.
#[derive(Default)]
pub(crate) struct Accounts {
    known: Mutex<HashMap<Account, Arc<tokio::sync::Mutex<Known>>>>,
}

impl Accounts {
    /// Logs `client` in to the appliance of `entry` as the [module](self) documentation says,
    /// trying again while `until` allows.
    pub(crate) async fn log_in(
        &self,
        client: &Client,
        entry: &Appliance,
        until: Instant,
    ) -> Result<(), ApplianceFailure> {
        client.answers().await?;
        let again = "log in failed; trying again";
        while_passing(&entry.name, until, again, || {
            self.log_in_once(client, entry)
        })
        .await
    }

    /// One log in, as the [module](self) documentation says: alone while the account is
    /// untried or suspect, together once accepted, not at all once refused.
    async fn log_in_once(
        &self,
        client: &Client,
        entry: &Appliance,
    ) -> Result<(), ApplianceFailure> {
        let Access::LogIn { user, password, .. } = &entry.access else {
            // The caller's client: an account of its own, that no other appliance can lock.
            return Ok(client.login().await?);
        };
        let mut hasher = DefaultHasher::new();
        password.expose().hash(&mut hasher);
        let cell = (self.known.lock().unwrap_or_else(PoisonError::into_inner))
            .entry((user.to_lowercase(), hasher.finish()))
            .or_default()
            .clone();
        let mut known = cell.lock().await;
        match &*known {
            Known::Refused(by) => {
                return Err(ApplianceFailure::AccountRefused {
                    user: user.clone(),
                    refused_by: by.to_vec(),
                });
            }
            Known::Accepted => {
                drop(known);
                return client.login().await.map_err(ApplianceFailure::Error);
            }
            Known::Untried | Known::Suspect(_) => {}
        }
        // The appliance answered: it holds the account until its verdict.
        let login = client.login().await;
        // Refused by the appliance itself, which counts towards locking the account; a session
        // refused right after a successful log in does not.
        let refused = matches!(
            login,
            Err(Error::NotAuthenticated {
                reason: AuthFailure::LoginRefused { .. },
                ..
            })
        );
        *known = match (&*known, &login) {
            (_, Ok(())) => Known::Accepted,
            (Known::Suspect(first), _) if refused => {
                Known::Refused([first.clone(), entry.name.clone()])
            }
            (_, _) if refused => Known::Suspect(entry.name.clone()),
            // Unreachable, or a session refused after the log in: nothing learnt.
            (same, Err(_)) => same.clone(),
        };
        Ok(login?)
    }
}

/// `op`, sent again after a failure that may pass (see [`passing`]) while `until` allows;
/// `again` is what the log says then.
pub(crate) async fn while_passing<T, Fut>(
    appliance: &str,
    until: Instant,
    again: &str,
    mut op: impl FnMut() -> Fut,
) -> Result<T, ApplianceFailure>
where
    Fut: Future<Output = Result<T, ApplianceFailure>>,
{
    let mut pause = RETRY_FIRST;
    loop {
        match op().await {
            Err(ApplianceFailure::Error(e)) if passing(&e) && Instant::now() + pause < until => {
                tracing::debug!(appliance = %appliance, error = %e, "{again}");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(RETRY_AT_MOST);
            }
            other => return other,
        }
    }
}

/// Whether a failure is likely to pass if tried again soon: the appliance answered that it is
/// unavailable (503), or a connection broke after it was made. An appliance that cannot be
/// reached, or did not answer within the time-out, is not tried again: that would only keep
/// the fleet waiting.
pub(crate) fn passing(error: &Error) -> bool {
    match error {
        Error::Transient {
            source: Some(source),
            ..
        } => source
            .downcast_ref::<reqwest::Error>()
            .is_none_or(|e| !e.is_connect() && !e.is_timeout()),
        Error::Transient { .. } | Error::SessionExpired { .. } => true,
        _ => false,
    }
}
