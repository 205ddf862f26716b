//! The admin endpoint under `/__sim`: the control handle's operations over HTTP, for tests in
//! other languages and for the CLI demo. No session needed; answers plain JSON.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::appliance::Appliance;
use crate::catalog::ArchiveSeed;
use crate::control::Control;
use crate::faults::EnumField;
use crate::flavour::json_response;
use crate::history::HistoryShape;
use crate::outage::Outage;
use crate::plan::{JobFailure, JobWait, ProgressCurve};
use crate::recovery::transfer::CatalogExport;
use crate::schedules::ScheduleSpec;

type App = State<Arc<Appliance>>;

pub(super) fn routes() -> Router<Arc<Appliance>> {
    Router::new()
        .route("/state", get(state))
        .route("/faults", delete(clear_faults))
        .route("/faults/fail-next", post(fail_next))
        .route("/faults/unavailable", post(unavailable))
        .route("/faults/sessions-refused", post(sessions_refused))
        .route("/faults/job-progress", post(job_progress))
        .route("/faults/delay", post(delay))
        .route("/faults/job-failure", post(job_failure))
        .route("/faults/job-wait", post(job_wait))
        .route("/faults/unknown-enum", post(unknown_enum))
        .route("/faults/lost-answers", post(super::lost::admin))
        .route("/outage", post(outage))
        .route("/sessions/expire", post(expire_sessions))
        .route("/history", post(seed_history))
        .route("/settings", post(settings))
        .route("/schedules", post(create_schedule))
        .route("/archives", post(seed_archive))
        .route("/retention", post(run_retention))
        .route("/clock/advance", post(advance_clock))
        .route("/catalog", get(export_catalog).post(import_catalog))
}

fn bad_request(reason: String) -> Response {
    json_response(StatusCode::BAD_REQUEST, &json!({ "error": reason }))
}

/// Decodes the body, applies it through the control handle and answers the new state; a body
/// that does not decode, or that `apply` refuses, answers 400 with the reason.
fn apply<T: DeserializeOwned>(
    app: Arc<Appliance>,
    body: &[u8],
    apply: impl FnOnce(&Control, T) -> Result<(), String>,
) -> Response {
    let request = match serde_json::from_slice::<T>(body) {
        Ok(request) => request,
        Err(err) => {
            return bad_request(format!(
                "The admin request body is invalid: {err}. See the crate documentation for its shape."
            ));
        }
    };
    let control = Control {
        appliance: app.clone(),
    };
    match apply(&control, request) {
        Ok(()) => json_response(StatusCode::OK, &app.snapshot()),
        Err(reason) => bad_request(reason),
    }
}

async fn state(State(app): App) -> Response {
    json_response(StatusCode::OK, &app.snapshot())
}

async fn clear_faults(State(app): App) -> Response {
    Control {
        appliance: app.clone(),
    }
    .clear_faults();
    json_response(StatusCode::OK, &app.snapshot())
}

async fn expire_sessions(State(app): App) -> Response {
    Control {
        appliance: app.clone(),
    }
    .expire_sessions();
    json_response(StatusCode::OK, &app.snapshot())
}

#[derive(Deserialize)]
struct Count {
    count: u32,
}

async fn fail_next(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: Count| {
        c.fail_next(r.count);
        Ok(())
    })
}

#[derive(Deserialize)]
struct Delay {
    millis: u64,
}

async fn unavailable(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: Delay| {
        c.unavailable_for(Duration::from_millis(r.millis));
        Ok(())
    })
}

async fn sessions_refused(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: Delay| {
        c.refuse_sessions_for(Duration::from_millis(r.millis));
        Ok(())
    })
}

async fn job_progress(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: ProgressCurve| {
        c.shape_next_job(r);
        Ok(())
    })
}

async fn delay(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: Delay| {
        c.set_response_delay(Duration::from_millis(r.millis));
        Ok(())
    })
}

async fn job_failure(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: JobFailure| {
        c.fail_next_job(r);
        Ok(())
    })
}

async fn job_wait(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: JobWait| {
        c.delay_next_job(r);
        Ok(())
    })
}

#[derive(Deserialize)]
struct UnknownEnum {
    field: EnumField,
    value: String,
}

async fn unknown_enum(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: UnknownEnum| {
        c.inject_unknown_enum(r.field, r.value);
        Ok(())
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetOutage {
    outage: Option<Outage>,
}

/// `POST /__sim/outage` `{"outage": "black_hole"}`: over a connection opened before, this
/// also ends the outage (`{"outage": null}`); new connections meet it.
async fn outage(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: SetOutage| {
        c.set_outage(r.outage);
        Ok(())
    })
}

#[derive(Deserialize)]
struct History {
    count: usize,
    #[serde(flatten)]
    shape: HistoryShape,
}

async fn seed_history(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: History| {
        c.seed_history_shaped(r.count, r.shape)
            .map_err(|err| err.to_string())
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    job_duration_ms: Option<u64>,
    job_pending_ms: Option<u64>,
    job_blocked_ms: Option<u64>,
    session_idle_timeout_ms: Option<u64>,
}

async fn settings(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: Settings| {
        if let Some(ms) = r.job_duration_ms {
            c.set_job_duration(Duration::from_millis(ms));
        }
        if r.job_pending_ms.is_some() || r.job_blocked_ms.is_some() {
            let now = c.job_wait();
            c.set_job_wait(JobWait {
                pending_ms: r.job_pending_ms.unwrap_or(now.pending_ms),
                blocked_ms: r.job_blocked_ms.unwrap_or(now.blocked_ms),
            });
        }
        if let Some(ms) = r.session_idle_timeout_ms {
            c.set_session_idle_timeout(Duration::from_millis(ms));
        }
        Ok(())
    })
}

/// A schedule to create, in the shape of the `/api` create body.
#[derive(Deserialize)]
struct NewSchedule {
    schedule: String,
    spec: ScheduleSpec,
}

async fn create_schedule(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: NewSchedule| {
        c.create_schedule(&r.schedule, r.spec)
            .map_err(|e| e.to_string())
    })
}

async fn seed_archive(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: ArchiveSeed| {
        c.seed_archive(r).map(|_| ()).map_err(|e| e.to_string())
    })
}

async fn run_retention(State(app): App) -> Response {
    Control {
        appliance: app.clone(),
    }
    .run_retention();
    json_response(StatusCode::OK, &app.snapshot())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    millis: u64,
}

async fn advance_clock(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: Advance| {
        c.advance_clock(Duration::from_millis(r.millis));
        Ok(())
    })
}

async fn export_catalog(State(app): App) -> Response {
    json_response(StatusCode::OK, &app.export_catalog())
}

async fn import_catalog(State(app): App, body: Bytes) -> Response {
    apply(app, &body, |c, r: CatalogExport| {
        c.import_catalog(&r);
        Ok(())
    })
}
