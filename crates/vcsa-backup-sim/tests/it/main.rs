//! The crate's integration tests, in one binary (one link, one process start per run).

mod support;

mod appliance_time;
mod bounds;
mod catalog;
mod cli;
mod faults;
mod firing;
mod fleet;
mod generated_client;
mod history;
mod https;
mod lost_answers;
mod operations;
mod outage;
mod restore;
mod retention;
mod schedules;
mod sessions;
mod validation;
mod waiting_jobs;
