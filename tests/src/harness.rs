//! A generated client pointed at a [`Recorder`](crate::recorder::Recorder), holding the test
//! credentials and session token from [`secrets`](crate::secrets).

use vcsa_backup_api::{Auth, Client, Secret, reqwest};

use crate::secrets::{PASSWORD, SESSION_TOKEN, USER};

/// A client for `base_url` with credentials for log in and a session for everything else, so each
/// request shows which of the two the client chose to send.
pub fn client(base_url: &str) -> Client {
    let auth = Auth::with_credentials(USER, Secret::new(PASSWORD));
    auth.set_session(Secret::new(SESSION_TOKEN));
    Client::new_with_client(base_url, reqwest::Client::new(), auth)
}
