//! Accounts shared between appliances, tried as the [`fleet`](crate::fleet) documentation says:
//! the first log in with an account goes alone, the next too once it was refused, and an account
//! refused twice in a row is not tried again.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use crate::fleet::appliance::{Access, Appliance};

/// What is known of one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Known {
    /// Not tried yet: the first log in with it goes alone.
    Untried,
    /// This appliance refused it, and no other answered yet: the next log in with it goes alone.
    Suspect(String),
    /// An appliance accepted it: the others may log in together, and a refusal is the refusing
    /// appliance's own.
    Accepted,
    /// These two appliances refused it, one after the other: nobody tries it again.
    Refused([String; 2]),
}

/// One account.
#[derive(PartialEq, Eq, Hash)]
enum Account {
    /// Who logs in, and a hash of the password (kept apart from it, so the map holds no second
    /// copy of any password).
    Shared(String, u64),
    /// An appliance reached through the caller's client, by name: an account of its own.
    Own(String),
}

impl Account {
    fn of(appliance: &Appliance) -> Self {
        match &appliance.access {
            Access::LogIn { user, password, .. } => {
                let mut hasher = DefaultHasher::new();
                password.expose().hash(&mut hasher);
                Self::Shared(user.to_lowercase(), hasher.finish())
            }
            Access::Client(_) => Self::Own(appliance.name.clone()),
        }
    }
}

/// The accounts of one fleet run. Appliances that log in as the same user with the same
/// password use the same account.
#[derive(Default)]
pub(crate) struct Accounts {
    known: Mutex<HashMap<Account, Arc<tokio::sync::Mutex<Known>>>>,
}

impl Accounts {
    /// The account's state, locked. While an account is untried or suspect, the lock is held
    /// across the log in, so no other appliance tries it before the answer is known.
    pub(crate) async fn lock(&self, appliance: &Appliance) -> tokio::sync::OwnedMutexGuard<Known> {
        let cell = {
            let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
            known
                .entry(Account::of(appliance))
                .or_insert_with(|| Arc::new(tokio::sync::Mutex::new(Known::Untried)))
                .clone()
        };
        cell.lock_owned().await
    }
}
