//! Fleets of appliances: check, list and back up many appliances at once, from an
//! [`Inventory`]. Needs the `fleet` feature.
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
//! [`Fleet::backup`] starts the backups, group by group within a window, and
//! [`Fleet::follow`] follows those that started to their end, as one stream of every
//! appliance's updates.
//!
//! ```
//! # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/doc_fixture.rs")).history(2).run_fleet(3, async |inventory_toml| {
//! use vcsa_backup::fleet::{Fleet, Inventory};
//!
//! let inventory = Inventory::parse(&inventory_toml)?; // or Inventory::load(path)
//! let fleet = Fleet::new(inventory).jobs(8);
//! for result in fleet.list().await {
//!     match &result.outcome {
//!         Ok(state) => println!("{}: {} jobs, speaks {}", result.name, state.jobs, state.flavour),
//!         Err(failure) => println!("{}: {failure}", result.name),
//!     }
//! }
//! # Ok(()) })
//! ```

mod accounts;
mod backup;
mod follow;
mod inventory;
mod run;

pub use backup::{BackupStarted, FleetBackup, GroupBackup, GroupTooLarge};
pub use follow::{FleetFollow, FollowEvent, FollowUpdate, FollowedJob};
pub use inventory::{
    ApplianceEntry, DEFAULT_SCHEDULE, DEFAULT_USER, Inventory, InventoryError, InventoryProblem,
    PasswordSource, Trust,
};
pub use run::{ApplianceFailure, ApplianceResult, ApplianceState, DEFAULT_JOBS, Fleet};
