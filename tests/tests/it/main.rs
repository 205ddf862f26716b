//! The crate's integration tests, in one binary (one link, one process start per run).

mod decode;
mod decode_responses;
mod schema_agreement;
mod snapshot_secrets;
mod spec_inventory;
mod wire;
