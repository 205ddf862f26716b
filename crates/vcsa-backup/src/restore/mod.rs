//! Restoring a backup into a freshly deployed appliance, and reconciling it afterwards.
//!
//! A restore targets an appliance that stage 1 of the installer deployed and that awaits a
//! restore before its first boot configuration; [`Client::restore_builder`](crate::Client::restore_builder)
//! connects to it. Reconciliation runs afterwards on the restored appliance when it belongs to
//! an enhanced linked mode group.

pub(crate) mod request;
pub(crate) mod status;

pub use request::{RestoreRequest, RestoreRequestBuilder};
pub use status::{Reconciliation, RestoreCheck, RestoreStatus};
