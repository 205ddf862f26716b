//! The crate's integration tests, in one binary (one link, one process start per run).

#[macro_use]
mod support;

mod bad_input;
mod check;
mod commands;
mod config;
mod daily;
mod examples;
mod fleet;
mod fleet_schedules;
mod help;
mod hostile;
mod logging;
mod lost_answers;
mod man;
mod output;
mod restore;
mod restore_drill;
mod schedules;
mod terminal;
