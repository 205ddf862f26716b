//! Below the client: which API flavour to speak, TLS trust, and turning what the generated
//! client returns (values and errors) into the SDK's own types.

pub(crate) mod classify;
pub(crate) mod convert;
pub(crate) mod flavour;
pub(crate) mod tls;
