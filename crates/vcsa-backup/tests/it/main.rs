//! The crate's integration tests, in one binary (one link, one process start per run).

mod support;

mod catalog_secrets;
mod decoding;
mod errors;
#[cfg(feature = "fleet")]
mod fleet;
mod health;
mod http_client;
mod http_events;
mod lost_answers;
mod requests;
mod schedules;
mod simulator;
mod tls;
mod wait;
mod wait_sim;
mod wait_tracing;
mod wait_watch;
mod wait_when_idle;
