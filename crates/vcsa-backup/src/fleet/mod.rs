//! Fleets of appliances: check, list, back up and apply schedules to many appliances at once.
//! Needs the `fleet` feature.
//!
//! A [`Fleet`] runs one session per appliance, at most [`jobs`](Fleet::jobs) at a time, each
//! within the fleet's [time limit](Fleet::time_limit) and a check or list within its
//! [deadline](Fleet::deadline). One appliance's failure never stops the others, and each
//! [`ApplianceResult`] says what happened on its appliance. A backup start is sent once.
//!
//! Appliances lock an account after a few failed log ins, so the first log in with an account
//! (the same user and password) goes alone, and so does the next after a refusal. If that one
//! is refused too, no other appliance tries the account ([`ApplianceFailure::AccountRefused`]):
//! at most two refused attempts per account and run. Once an appliance accepted an account, a
//! refusal elsewhere is only the refusing appliance's failure.
//!
//! The [`Appliance`]s are values; where the list comes from is the caller's concern (the
//! `vcsa-backup` command reads a TOML inventory).
//!
//! ```
//! # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).history(2).run_fleet(3, async |servers| {
//! use vcsa_backup::Secret;
//! use vcsa_backup::fleet::{Appliance, Fleet, Trust};
//!
//! // From a vault, a file, the environment: anything that gives a string or a `Secret`.
//! let password = Secret::new(std::env::var("VCSA_PASSWORD")?);
//! let appliances = servers.iter().enumerate().map(|(i, server)| {
//!     Appliance::new(format!("vc-{i}"), server, "administrator@vsphere.local", password.clone())
//!         .group("sso-east")
//!         .trust(Trust::System)
//! });
//! let fleet = Fleet::new(appliances)?.jobs(8);
//! for result in fleet.list().await {
//!     match &result.outcome {
//!         Ok(state) => println!("{}: {} jobs, speaks {}", result.name, state.jobs, state.flavour),
//!         Err(failure) => println!("{}: {failure}", result.name),
//!     }
//! }
//! # Ok(()) })
//! ```

mod accounts;
mod appliance;
mod backup;
mod failure;
mod follow;
mod run;

pub use appliance::{Appliance, DEFAULT_SCHEDULE, FleetError, FleetProblem, Setting, Trust};
pub use backup::{
    BackupPlan, BackupStarted, DEFAULT_WINDOW, FleetBackup, GroupBackup, GroupLimit, GroupTooLarge,
};
pub use failure::{ApplianceFailure, ApplianceResult};
pub use follow::{FleetFollow, FollowEvent, FollowUpdate, FollowedJob};
pub use run::{ApplianceState, DEFAULT_DEADLINE, DEFAULT_JOBS, Fleet};
