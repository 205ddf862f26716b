//! A stateful simulator of the vCenter Server Appliance backup API.
//!
//! It serves every operation of `spec/vcsa-backup.yaml` in both wire flavours (`/api` and the
//! legacy `/rest`) with the appliance's body shapes, status codes and error shapes, and behaves
//! like an appliance: HTTP Basic log in and idle-expiring sessions; backup jobs that advance over
//! time (progress 0 to 100, size growing, then `SUCCEEDED`) with ids like
//! `20260522-061503-24322831`, newest first; on request, jobs that wait `PENDING` then `BLOCKED`
//! before they run ([`Control::delay_next_job`]) or whose progress jumps, stalls, goes back or
//! ends early ([`Control::shape_next_job`]); one backup at a time (`FEATURE_IN_USE`); cancel;
//! parts and their sizes; validation that remembers which folders already hold a backup; and
//! `INVALID_ARGUMENT` with messages for bad input, never a 500.
//!
//! Schedules are created, read, changed and deleted with the appliance's checks (a `default`
//! schedule runs every day at 23:00, and others exist with [`SimulatorBuilder::schedule`]
//! within [`SimulatorBuilder::max_schedules`], one by default, as the appliance's interface
//! manages one); passwords are kept, never returned. A seeded history
//! ([`SimulatorBuilder::history`], [`HistoryShape`]) follows the `default` schedule, with its
//! backups in the catalog. An enabled schedule fires on its recurrence (minute, hour, days, in the appliance's
//! time zone, [`SimulatorBuilder::time_zone`]) and writes a fresh
//! `<location>/vCenter/sn_<system name>/S_<version>_<YYYYMMDD-hhmmss>_` folder
//! ([`SimulatorBuilder::system_name`]); a manual backup into that layout (`M_...`) is written
//! there too. Every backup that succeeds there is an archive of the catalog (system names,
//! archives newest first with their filter, one archive). A daily pass at 00:00 UTC keeps each
//! schedule's newest `max_count` scheduled backups. The clock operation answers the simulated
//! time and the time zone.
//!
//! An appliance that awaits a restore ([`SimulatorBuilder::awaiting_restore`]) serves restore
//! validate, start, status and cancel and refuses the backup operations; it restores backups it
//! knows from another simulator's catalog ([`CatalogExport`]), in phases with an outage in the
//! middle ([`RestoreTiming`]: no answer, then sessions refused, then 503), and then is the
//! backed-up appliance, where reconciliation jobs run ([`ReconciliationTiming`]).
//!
//! Time comes from tokio's clock, so a test on a paused clock (`#[tokio::test(start_paused =
//! true)]`, `tokio::time::advance`) moves jobs, sessions and schedules forward
//! deterministically; [`SimulatorBuilder::start_time`] fixes the date it starts from, and
//! [`Control::advance_clock`] moves a running clock ahead.
//!
//! # Embedding it in a test
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
//!
//! let sim = Simulator::builder()
//!     .tls(false) // plain HTTP; the default is HTTPS with a fresh self-signed certificate
//!     .job_duration(Duration::from_secs(10))
//!     .start()
//!     .await?;
//!
//! let http = reqwest::Client::new();
//! let token: String = http
//!     .post(format!("{}/api/session", sim.url()))
//!     .basic_auth(DEFAULT_USER, Some(DEFAULT_PASSWORD))
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! let parts: serde_json::Value = http
//!     .get(format!("{}/api/appliance/recovery/backup/parts", sim.url()))
//!     .header("vmware-api-session-id", &token)
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! assert_eq!(parts[0]["id"], "common");
//!
//! sim.control().fail_next(1); // inject a fault: the next call answers 503
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! For HTTPS, trust [`RunningSimulator::ca_certificate_pem`] or pin
//! [`RunningSimulator::thumbprint`].
//!
//! # Fault injection
//!
//! From the library, through [`Control`]; over HTTP, through the admin endpoint under
//! [`ADMIN_PREFIX`] (`/__sim`), which needs no session and answers the [`SimState`] as JSON:
//!
//! | request | effect |
//! |---|---|
//! | `GET /__sim/state` | inspect jobs, running job, live sessions, log-ins and faults (times on the simulator's clock) |
//! | `POST /__sim/faults/fail-next` `{"count": 3}` | the next 3 vendor calls answer 503 SERVICE_UNAVAILABLE |
//! | `POST /__sim/faults/unavailable` `{"millis": 120000}` | every vendor call answers 503 SERVICE_UNAVAILABLE for the next 120 s |
//! | `POST /__sim/faults/sessions-refused` `{"millis": 120000}` | every session ends now, and every session opened in the next 120 s ends right after its log in (the next call answers 401) |
//! | `POST /__sim/faults/delay` `{"millis": 500}` | every vendor answer is held back 500 ms |
//! | `POST /__sim/faults/job-failure` `{"at_percent": 40, "messages": ["..."]}` | the next job fails at 40% |
//! | `POST /__sim/faults/job-wait` `{"pending_ms": 5000, "blocked_ms": 3000}` | the next job is PENDING (state `NONE`) for 5 s, then BLOCKED for 3 s, then runs |
//! | `POST /__sim/faults/job-progress` `{"stretches": [{"over_ms": 60000, "to_percent": 50}, {"over_ms": 120000, "to_percent": 50}, {"over_ms": 0, "to_percent": 90}]}` | the next job's progress follows this [`ProgressCurve`] (here: to 50% in a minute, stalls two minutes, jumps to 90% and ends there, early) instead of a steady run |
//! | `POST /__sim/faults/unknown-enum` `{"field": "job_state", "value": "PAUSED"}` | responses carry an enum value from the future (fields: [`EnumField`]) |
//! | `POST /__sim/faults/lost-answers` `{"operation": "start_backup", "answer": "dropped", "count": 1}` | the next backup start is carried out, then its answer is lost ([`LostOperation`], [`LostAnswer`]: `dropped`, `bad_gateway`, `service_unavailable`, `gateway_timeout`, `hang`) |
//! | `DELETE /__sim/faults` | clear every fault |
//! | `POST /__sim/sessions/expire` | every session expires now |
//! | `POST /__sim/history` `{"count": 100, "missed_runs": 0, "newest": "succeeded"}` | add 100 finished jobs to the history, following the `default` schedule (refused beyond [`MAX_HISTORY`] in all; the shape fields optional, [`HistoryShape`]) |
//! | `POST /__sim/outage` `{"outage": "black_hole"}` | take the appliance out of service ([`Outage`]: `black_hole`, `refused`; `null` ends it) |
//! | `POST /__sim/settings` `{"job_duration_ms": 5000, "job_pending_ms": 0, "job_blocked_ms": 0, "session_idle_timeout_ms": 60000}` | change timings (each field optional; the job waits apply to every job) |
//! | `POST /__sim/schedules` `{"schedule": "default", "spec": {"location": "sftp://...", "recurrence_info": {"hour": 2, "minute": 30}}}` | create a schedule ([`ScheduleSpec`], the `/api` create body), with the appliance's checks |
//! | `POST /__sim/archives` `{"location": "sftp://...", "system_name": "vcsa-02.example.com", "timestamp": "2026-05-01T02:30:00Z", "scheduled": true}` | place a backup in the catalog ([`ArchiveSeed`]) |
//! | `POST /__sim/retention` | run the retention pass now |
//! | `POST /__sim/clock/advance` `{"millis": 86400000}` | move the simulated clock ahead; what was due meanwhile happens at its time |
//! | `GET /__sim/catalog` | export the catalog's archives ([`CatalogExport`]) for another simulator |
//! | `POST /__sim/catalog` (an export) | know the archives of another simulator's catalog |
//!
//! Backup servers under the reserved `.invalid` domain (`sftp://nas.invalid/backups`) stand for
//! unreachable servers: validation answers FAIL and a backup there fails at once.
//!
//! # Bounds
//!
//! The history keeps at most [`MAX_HISTORY`] jobs, and the job list and every job's details are
//! answered a page at a time, so long histories and many readers need little memory. At most
//! [`DEFAULT_MAX_CONNECTIONS`] connections are served at once
//! ([`SimulatorBuilder::max_connections`]); with [`SimulatorBuilder::header_read_timeout`] (the
//! binary: [`DEFAULT_HEADER_READ_TIMEOUT`]) a new connection that has not sent its first
//! request's headers in time is closed.
//!
//! # Features
//!
//! - `cli` (default): the `vcsa-backup-sim` binary. Embedders can use `default-features = false`.

#![warn(missing_docs)]

mod appliance;
mod catalog;
mod clock;
mod config;
mod connections;
mod control;
mod error;
mod faults;
mod flavour;
mod fleet;
mod history;
mod jobs;
mod limits;
mod lost_answers;
mod operations;
mod outage;
mod parts;
mod password_check;
mod plan;
mod recovery;
mod recurrence;
mod routes;
mod scheduler;
mod schedules;
mod server;
mod sessions;
mod state;
mod tls;
mod validate;

pub use catalog::ArchiveSeed;
pub use config::{
    DEFAULT_BUILD, DEFAULT_PASSWORD, DEFAULT_SYSTEM_NAME, DEFAULT_TIME_ZONE, DEFAULT_USER,
    DEFAULT_VERSION,
};
pub use control::{Control, ControlError};
pub use faults::{EnumField, Faults};
pub use flavour::ADMIN_PREFIX;
pub use fleet::{FleetAppliance, FleetBuilder, RunningFleet};
pub use history::{HistoryShape, SeededOutcome};
pub use limits::{
    DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_MAX_CONNECTIONS, MAX_HISTORY, MAX_JOB_DURATION,
    MAX_SEEDED_ARCHIVES,
};
pub use lost_answers::{HANG, LostAnswer, LostAnswers, LostOperation};
pub use outage::Outage;
pub use plan::{JobFailure, JobWait, ProgressCurve, Stretch};
pub use recovery::transfer::{CatalogError, CatalogExport};
pub use recovery::{DEFAULT_RESTORE_USER, ReconciliationTiming, RecoveryState, RestoreTiming};
pub use schedules::{
    DEFAULT_MAX_SCHEDULES, RecurrenceInfo, RetentionInfo, SchedulePasswords, ScheduleSpec,
};
pub use server::{RunningSimulator, Simulator, SimulatorBuilder, StartError};
pub use state::SimState;

/// The header that carries the session token on every call after log in.
pub const SESSION_HEADER: &str = routes::SESSION_HEADER;
