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
//! # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).tls().run(async |sim, client, request| {
//! # let (base_url, thumbprint) = (sim.url(), sim.thumbprint().unwrap());
//! // base_url: the appliance, such as "https://vcsa.example.com";
//! // thumbprint: its certificate's SHA-256 thumbprint, "6F:3B:2A:..."
//! let client = Client::builder(base_url)
//!     .credentials("administrator@vsphere.local", "VMware1!")
//!     .pin_thumbprint_sha256(thumbprint)
//!     .build()?;
//!
//! let request = BackupRequest::builder()
//!     .location("sftp://backup.example.com/vcsa/2024-06-01")
//!     .location_credentials("backup", "s3cret")
//!     .part(PartId::SEAT)
//!     .backup_password(Secret::new("Backup-2024!")) // or a plain &str or String
//!     .build()?;
//!
//! match client.start_backup(&request).await {
//!     Ok(job) => println!("started {} at {}", job.id, job.started_at),
//!     Err(Error::BackupInProgress(e)) => println!("another backup is running: {e}"),
//!     Err(e) => return Err(e.into()),
//! }
//! client.logout().await?;
//! # Ok(()) })
//! ```
//!
//! # Operation names
//!
//! Every operation of [`Client`] is named `verb_noun`, the verb saying what it does: `list_*`
//! reads many, `get_*` reads one, `create_*`, `update_*` and `delete_*` change one thing the
//! appliance keeps, `start_*` begins a job, `cancel_*` asks a job to stop, `run_*` runs something
//! the appliance keeps, now, and `validate_*` asks the appliance to check without doing.
//! Operations built from several calls are named for what they achieve, such as
//! [`wait_for_job`](Client::wait_for_job) or [`apply_schedule`](Client::apply_schedule) (reads a
//! schedule, then creates or updates it).
//!
//! # Words for time, sizes and state
//!
//! Spans are [`std::time::Duration`]; instants the appliance reports are chrono's
//! `DateTime<Utc>` ([`chrono`] is re-exported); deadlines are instants on tokio's clock
//! (`tokio::time::Instant`, so tests can pause it; a `std::time::Instant` converts). Sizes are
//! bytes (`size_bytes`). Where a job is in its life is its `state` ([`JobState`],
//! [`TaskState`]), whatever the appliance's field is called.
//!
//! | limit | what it bounds | set with |
//! |---|---|---|
//! | request time-out | one HTTP request, connecting to reading the answer | [`ClientBuilder::request_timeout`] (60 s) |
//! | time limit | a whole wait, from its start | [`WaitOptions::time_limit`](wait::WaitOptions::time_limit) (12 h) |
//! | deadline | a whole wait, at an instant shared by several | [`WaitOptions::deadline`](wait::WaitOptions::deadline) |
//! | stall time-out | a wait on a job whose state and progress stay still | [`WaitOptions::stall_timeout`](wait::WaitOptions::stall_timeout) (off) |
//! | fleet time limit | one appliance of a fleet, log in included | `Fleet::time_limit` (30 s; feature `fleet`) |
//! | fleet deadline | a fleet's check, list or schedule apply, at an instant | `Fleet::deadline` (50 s after the start) |
//! | fleet window | how far apart a fleet's backups may start | `BackupPlan::window` (5 min) |
//!
//! # Schedules, the catalog, proxies and logs
//!
//! A [`ScheduleSpec`] is checked before anything is sent; [`Client::apply_schedule`] makes the
//! appliance's schedule match it. The catalog ([`Client::list_archives`] and its neighbours)
//! says which backups exist at a location; on `/rest` it sends the backup server's password in
//! the URL, so prefer `/api` for it. A reverse proxy's path prefix goes in the base URL
//! ([`Client::builder`]); [`ClientBuilder::http_client`] takes a [`reqwest::Client`] of your own.
//!
//! Every HTTP request is one DEBUG event of [`tracing`](https://docs.rs/tracing), with the
//! target `vcsa_backup::http` and the fields `operation` (such as `get_job`; `login` and
//! `logout` for sessions), `flavour` (`api` or `rest`), `status` (the HTTP status) or, when no
//! answer came, `failure` (`connect`, `timeout`, `untrusted certificate`...), and
//! `duration_ms`. It never holds a URL (a `/rest` catalog URL carries the backup server's
//! password), a header or a body. Sessions, flavour detection and waits log at INFO and DEBUG
//! under `vcsa_backup`, secrets never included.
//!
//! # Features
//!
//! - `rustls` (default): TLS through rustls; needed to pin the appliance's certificate by its
//!   thumbprint.
//! - `native-tls`: the platform's TLS library.
//! - `testing`: the `testing` module, a simulated appliance for your own tests, each with a
//!   [`Client`] ready for it.
//! - `fleet`: the `fleet` module, many appliances at once.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The layers, top down: waiting (`wait`) is built on the client (`client`: operations, sessions,
// settings), which speaks the wire through `wire` (flavours, TLS, error mapping, conversions);
// the domain types a caller holds (`job`, `backup`, `message`) and `error` sit beside them.
mod address;
mod backup;
mod catalog;
#[cfg(feature = "clap")]
mod clap_feature;
mod client;
mod error;
#[cfg(feature = "fleet")]
pub mod fleet;
pub mod health;
mod human;
mod job;
mod macros;
mod message;
mod restore;
mod retry;
mod schedule;
mod segment;
mod server_error;
#[cfg(feature = "testing")]
pub mod testing;
pub mod wait;
mod wire;

pub use address::server_url;
pub use backup::{
    BackupPassword, BackupRequest, BackupRequestBuilder, LocationType, Part, PartId, PasswordError,
    PasswordRule,
};
pub use catalog::{
    ApplianceLayout, ArchiveFilter, ArchiveFilterBuilder, ArchiveInfo, ArchiveKind, ArchiveName,
    ArchiveSummary, BackupLocation, BackupLocationBuilder,
};
/// The date and time library of the instants this crate reports (`DateTime<Utc>`), at the
/// version it uses.
pub use chrono;
pub use client::Client;
pub use client::builder::{ClientBuilder, DEFAULT_REQUEST_TIMEOUT};
pub use client::restore::{RESTORE_PORT, RESTORE_USER};
pub use error::{
    AuthFailure, BuildError, Error, Field, InvalidRequest, PeerCertificate, Problem, RetryAdvice,
    ServerError, ServerErrorType,
};
/// `next()` and the other combinators for the stream of [`Client::watch_job`].
pub use futures_util::StreamExt;
pub use job::{
    BuildInfo, JobDetails, JobId, JobKind, JobState, JobStatus, Outcome, OutcomeStatus, Percent,
    Target, TaskProgress, TaskState,
};
pub use message::Message;
/// The HTTP library the client is built on, at the version this crate uses: build the client
/// that [`ClientBuilder::http_client`] takes with it.
pub use reqwest;
pub use restore::{
    Reconciliation, RestoreCheck, RestoreRequest, RestoreRequestBuilder, RestoreStatus,
};
pub use schedule::{
    ApplianceTime, ApplyOptions, BlockReason, DayOfWeek, Recurrence, Retention, Schedule,
    ScheduleAction, ScheduleChange, ScheduleDiff, ScheduleSpec, ScheduleSpecBuilder,
    ScheduleUpdate, SettingValue,
};
pub use segment::IdKind;
/// Passwords and session tokens: never printed, zeroized when dropped.
pub use vcsa_backup_api::Secret;
pub use wire::flavour::Flavour;
#[cfg(feature = "rustls")]
pub use wire::peer::peer_certificate;

// The top-level README's Rust examples compile as doc tests, so the README cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
