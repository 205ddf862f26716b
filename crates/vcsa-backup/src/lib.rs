//! SDK for vCenter Server Appliance backups.
//!
//! One [`Client`] speaks both of the appliance's APIs (`/api` from vSphere 7.0 U2, the older
//! `/rest`), finding out which on first use; logs in and out for the caller and survives
//! sessions expiring; and reports errors as an [`Error`] whose variants say what to do next.
//! A [`BackupRequest`] is checked completely before it is sent, including the appliance's rules
//! for a [`BackupPassword`].
//!
//! ```
//! use vcsa_backup::{BackupRequest, Client, Error, PartId, Secret};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sim = vcsa_backup_sim::Simulator::builder().start().await?;
//! # let (base_url, thumbprint) = (sim.url(), sim.thumbprint().unwrap());
//! // base_url: the appliance, such as "https://vcsa.example.com";
//! // thumbprint: its certificate's SHA-256 thumbprint, "6F:3B:2A:..."
//! let client = Client::builder(base_url)
//!     .credentials("administrator@vsphere.local", Secret::new("VMware1!"))
//!     .pin_thumbprint_sha256(thumbprint)
//!     .build()?;
//!
//! let request = BackupRequest::builder()
//!     .location("sftp://backup.example.com/vcsa/2024-06-01")
//!     .location_credentials("backup", Secret::new("s3cret"))
//!     .part(PartId::SEAT)
//!     .backup_password(Secret::new("Backup-2024!"))
//!     .build()?;
//!
//! match client.start_backup(&request).await {
//!     Ok(job) => println!("started {} at {}", job.id, job.started_at),
//!     Err(Error::BackupInProgress(e)) => println!("another backup is running: {e}"),
//!     Err(e) => return Err(e.into()),
//! }
//! client.logout().await?;
//! # Ok(()) }
//! ```
//!
//! # Features
//!
//! - `rustls` (default): TLS through rustls; needed for
//!   [`ClientBuilder::pin_thumbprint_sha256`].
//! - `native-tls`: the platform's TLS library.

#![warn(missing_docs)]

mod builder;
mod classify;
mod client;
mod details;
mod error;
mod error_type;
mod flavour;
mod job;
mod job_id;
mod location;
mod message;
mod part;
mod password;
mod request;
mod tls;
pub mod wait;
mod wire;

pub use builder::{ClientBuilder, DEFAULT_TIMEOUT};
pub use client::Client;
pub use details::{BuildInfo, JobDetails, JobKind, Target, TaskProgress, TaskStatus};
pub use error::{Error, InvalidRequest, Problem, ServerError, ServerErrorType};
pub use flavour::Flavour;
pub use job::{JobState, JobStatus, Outcome, OutcomeStatus, Percent};
pub use job_id::JobId;
pub use location::LocationType;
pub use message::Message;
pub use part::{Part, PartId};
pub use password::{BackupPassword, PasswordError, PasswordRule};
pub use request::{BackupRequest, BackupRequestBuilder};
/// Passwords and session tokens: never printed, zeroized when dropped.
pub use vcsa_backup_api::Secret;

// The top-level README's Rust examples compile as doc tests, so the README cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
