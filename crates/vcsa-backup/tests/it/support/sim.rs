//! Clients and requests for the tests that run against the simulator.

use std::time::Duration;

use vcsa_backup::{BackupRequest, Client, Flavour, Secret};
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, LostAnswer};

/// Every way an answer is lost: dropped, a proxy's 502, 503 and 504, the client's time-out.
pub const LOST: [LostAnswer; 5] = [
    LostAnswer::Dropped,
    LostAnswer::BadGateway,
    LostAnswer::ServiceUnavailable,
    LostAnswer::GatewayTimeout,
    LostAnswer::Hang,
];

/// The time-out of a [`losing_client`]: an answer held back longer is lost.
pub const TIME_OUT: Duration = Duration::from_secs(20);

/// A client of the simulator at `url`, as its default user, speaking `flavour`.
pub fn sim_client(url: &str, flavour: Flavour) -> Client {
    builder(url, flavour).build().expect("valid settings")
}

/// A [`sim_client`] that gives up on an answer after [`TIME_OUT`].
pub fn losing_client(url: &str, flavour: Flavour) -> Client {
    builder(url, flavour)
        .request_timeout(TIME_OUT)
        .build()
        .expect("valid settings")
}

fn builder(url: &str, flavour: Flavour) -> vcsa_backup::ClientBuilder {
    Client::builder(url)
        .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
        .flavour(flavour)
}

/// A valid backup request to `sftp://backup.example.com/vcsa/<folder>`.
pub fn backup_request(folder: &str) -> BackupRequest {
    BackupRequest::builder()
        .location(format!("sftp://backup.example.com/vcsa/{folder}"))
        .location_credentials("backup", Secret::new("s3cret"))
        .build()
        .expect("a valid request")
}
