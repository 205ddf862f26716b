//! Accounts shared between appliances: once the appliance refuses one, it is not tried again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::fleet::PasswordSource;

/// What is known of one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Known {
    /// Not tried yet: the first log in with it goes alone.
    Untried,
    /// An appliance accepted it.
    Accepted,
    /// This appliance refused it.
    RefusedBy(String),
}

/// One account: who logs in, and where the password comes from.
type Account = (String, PasswordSource);

/// The accounts of one fleet run. Appliances that log in as the same user with the same
/// password source use the same account.
#[derive(Default)]
pub(crate) struct Accounts {
    known: Mutex<HashMap<Account, Arc<tokio::sync::Mutex<Known>>>>,
}

impl Accounts {
    /// The account's state, locked. While an account is untried, the lock is held across the
    /// first log in, so no other appliance tries it before the answer is known.
    pub(crate) async fn lock(
        &self,
        user: &str,
        password: &PasswordSource,
    ) -> tokio::sync::OwnedMutexGuard<Known> {
        let cell = {
            let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
            known
                .entry((user.to_lowercase(), password.clone()))
                .or_insert_with(|| Arc::new(tokio::sync::Mutex::new(Known::Untried)))
                .clone()
        };
        cell.lock_owned().await
    }
}
