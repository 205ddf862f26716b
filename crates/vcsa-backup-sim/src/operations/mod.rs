//! The appliance's operations that have a subject of their own, as methods of [`Appliance`]
//! beside the job operations of `appliance.rs`: the catalog, the schedules, the clock, the
//! seeded history, and recovery (restore and reconciliation).
//!
//! [`Appliance`]: crate::appliance::Appliance

mod catalog;
mod clock;
mod history;
mod recovery;
mod schedules;
