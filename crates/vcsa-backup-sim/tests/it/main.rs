//! The crate's integration tests, in one binary (one link, one process start per run).

mod support;

mod cli;
mod faults;
mod fleet;
mod generated_client;
mod https;
mod operations;
mod sessions;
mod validation;
mod waiting_jobs;
