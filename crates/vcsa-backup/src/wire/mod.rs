//! Below the client: which API flavour to speak and the one place that sends an operation in it
//! (`dispatch`, `twins`), TLS trust, and turning what the generated client returns (values and
//! errors) into the SDK's own types.

pub(crate) mod catalog_twins;
pub(crate) mod classify;
pub(crate) mod convert;
pub(crate) mod dispatch;
pub(crate) mod flavour;
#[cfg(feature = "rustls")]
pub(crate) mod peer;
pub(crate) mod restore_twins;
pub(crate) mod schedule_twins;
pub(crate) mod scrub;
#[cfg(feature = "rustls")]
pub(crate) mod tls;
pub(crate) mod twins;
