//! SDK for vCenter Server Appliance backups.
//!
//! One [`Client`] speaks both of the appliance's APIs (`/api` from vSphere 7.0 U2, the older
//! `/rest`), finding out which on first use; logs in and out for the caller and survives
//! sessions expiring; and reports errors as an [`Error`] whose variants say what to do next.
//! A [`BackupRequest`] is checked completely before it is sent, including the appliance's rules
//! for a [`BackupPassword`].
//!
//! ```no_run
//! use vcsa_backup::{BackupRequest, Client, Error, PartId, Secret};
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::builder("https://vcsa.example.com")
//!     .credentials("administrator@vsphere.local", Secret::new("VMware1!"))
//!     .pin_thumbprint_sha256("6F:3B:2A:91:0C:55:7E:14:C8:D2:09:AB:4E:77:10:F3:25:9A:C4:E8:01:B6:7D:53:9E:2F:11:A0:C7:48:E5:36")
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
//!     Err(e) => return Err(e),
//! }
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
