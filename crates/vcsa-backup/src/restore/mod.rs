//! Restoring a backup into an appliance that awaits restore (see
//! [`Client::restore_builder`](crate::Client::restore_builder)), and reconciling it afterwards.

pub(crate) mod request;
pub(crate) mod status;

pub use request::{RestoreRequest, RestoreRequestBuilder};
pub use status::{Reconciliation, RestoreCheck, RestoreStatus};
