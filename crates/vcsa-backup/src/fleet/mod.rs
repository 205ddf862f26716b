//! Fleets of appliances: check, list and back up many appliances at once. Needs the `fleet`
//! feature.
//!
//! A [`Fleet`] runs one session per appliance, at most [`jobs`](Fleet::jobs) appliances at a
//! time, and isolates every appliance's failure: one unreachable or refusing appliance never
//! stops the others, and each result says what happened to its appliance. Nothing is repeated
//! that must not be: a backup start is sent once, and a log in the appliance refused is never
//! repeated.
//!
//! Appliances lock an account after a few failed log ins, so the appliances that share an
//! account (the same user and password source) do not all try a wrong password: the first log
//! in with an account goes alone, and when it is refused, so does the next. If that one is
//! accepted, the first refusal was its appliance's own (another SSO domain, a password changed
//! there alone) and the others go on; if it is refused too, the account is refused and no other
//! appliance tries it ([`ApplianceFailure::AccountRefused`]): at most two refused attempts per
//! account and run. Once an appliance accepted an account, a refusal elsewhere is only the
//! refusing appliance's failure.
//!
//! An appliance that does not answer never holds up the others: it fails on its own within
//! the fleet's [time limit](Fleet::time_limit), and the whole of a check or a list ends by the
//! fleet's [deadline](Fleet::deadline).
//!
//! [`Fleet::backup`] starts the backups a [`BackupPlan`] names (each appliance's schedule, or
//! a manual backup in each appliance's layout), group by group within a window, and
//! [`Fleet::backup_and_follow`] also follows every started backup to its end, as one stream of
//! every appliance's updates, with at most [`BackupPlan::max_running`] running at once.
//!
//! A fleet is built from values: each [`Appliance`] with its name, server, user and password
//! (and how to trust it, its group and the schedule a fleet backup runs), or with a ready
//! [`Client`](crate::Client). Where the list comes from (a file, a CMDB, a service discovery) is
//! the caller's concern: the `vcsa-backup` command reads it from a TOML inventory.
//! [`Fleet::new`] checks the list in one pass before anything is sent.
//!
//! ```
//! # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/doc_fixture.rs")).history(2).run_fleet(3, async |servers| {
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
mod schedules;

pub use appliance::{Appliance, DEFAULT_SCHEDULE, FleetError, FleetProblem, Setting, Trust};
pub use backup::{
    BackupPlan, BackupStarted, DEFAULT_WINDOW, FleetBackup, GroupBackup, GroupLimit, GroupTooLarge,
};
pub use failure::{ApplianceFailure, ApplianceResult};
pub use follow::{FleetFollow, FollowEvent, FollowUpdate, FollowedJob};
pub use run::{ApplianceState, DEFAULT_DEADLINE, DEFAULT_JOBS, Fleet};
