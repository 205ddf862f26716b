//! The crate's integration tests, in one binary (one link, one process start per run).

mod support;

mod backup_location;
mod backup_password;
mod backup_request;
mod catalog_filter;
mod catalog_layout;
mod catalog_location;
mod catalog_name;
mod catalog_secrets;
mod client_address;
mod client_builder;
mod decoding;
mod error_server_error_type;
mod errors;
#[cfg(feature = "fleet")]
mod fleet;
#[cfg(feature = "fleet")]
mod fleet_outages;
mod health;
mod health_verdict;
mod health_verdicts;
mod http_client;
mod http_events;
mod job_id;
mod lost_answers;
mod one_error;
mod requests;
mod restore;
mod retry_advice;
mod schedule_clock;
mod schedule_diff;
mod schedule_info;
mod schedule_recurrence;
mod schedule_spec;
mod schedule_update;
mod schedules;
mod scrub;
mod segment;
mod simulator;
#[cfg(feature = "rustls")] // pinning by thumbprint, which only rustls does
mod tls;
mod wait;
mod wait_backoff;
mod wait_human;
mod wait_progress;
mod wait_sim;
mod wait_tracing;
mod wait_watch;
mod wait_when_idle;
