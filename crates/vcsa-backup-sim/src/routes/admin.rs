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
use crate::control::Control;
use crate::faults::{EnumField, JobFailure};
use crate::flavour::json_response;

type App = State<Arc<Appliance>>;

pub(super) fn routes() -> Router<Arc<Appliance>> {
    Router::new()
        .route("/state", get(state))
        .route("/faults", delete(clear_faults))
        .route("/faults/fail-next", post(fail_next))
        .route("/faults/delay", post(delay))
        .route("/faults/job-failure", post(job_failure))
        .route("/faults/unknown-enum", post(unknown_enum))
        .route("/sessions/expire", post(expire_sessions))
        .route("/history", post(seed_history))
        .route("/settings", post(settings))
}

fn control(app: Arc<Appliance>) -> Control {
    Control { appliance: app }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|err| {
        json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "error": format!("The admin request body is invalid: {err}. See the crate documentation for its shape.") }),
        )
    })
}

fn done(app: Arc<Appliance>) -> Response {
    json_response(StatusCode::OK, &app.snapshot())
}

async fn state(State(app): App) -> Response {
    done(app)
}

async fn clear_faults(State(app): App) -> Response {
    control(app.clone()).clear_faults();
    done(app)
}

#[derive(Deserialize)]
struct Count {
    count: u32,
}

async fn fail_next(State(app): App, body: Bytes) -> Response {
    match parse::<Count>(&body) {
        Ok(c) => {
            control(app.clone()).fail_next(c.count);
            done(app)
        }
        Err(r) => r,
    }
}

#[derive(Deserialize)]
struct Delay {
    millis: u64,
}

async fn delay(State(app): App, body: Bytes) -> Response {
    match parse::<Delay>(&body) {
        Ok(d) => {
            control(app.clone()).set_response_delay(Duration::from_millis(d.millis));
            done(app)
        }
        Err(r) => r,
    }
}

async fn job_failure(State(app): App, body: Bytes) -> Response {
    match parse::<JobFailure>(&body) {
        Ok(f) => {
            control(app.clone()).fail_next_job(f);
            done(app)
        }
        Err(r) => r,
    }
}

#[derive(Deserialize)]
struct UnknownEnum {
    field: EnumField,
    value: String,
}

async fn unknown_enum(State(app): App, body: Bytes) -> Response {
    match parse::<UnknownEnum>(&body) {
        Ok(u) => {
            control(app.clone()).inject_unknown_enum(u.field, u.value);
            done(app)
        }
        Err(r) => r,
    }
}

async fn expire_sessions(State(app): App) -> Response {
    control(app.clone()).expire_sessions();
    done(app)
}

/// Bounds one history request, so a typo cannot exhaust memory.
const MAX_SEED: usize = 1_000_000;

#[derive(Deserialize)]
struct History {
    count: usize,
}

async fn seed_history(State(app): App, body: Bytes) -> Response {
    match parse::<History>(&body) {
        Ok(h) if h.count > MAX_SEED => json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "error": format!("At most {MAX_SEED} jobs can be added at once; ask for fewer.") }),
        ),
        Ok(h) => {
            control(app.clone()).seed_history(h.count);
            done(app)
        }
        Err(r) => r,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    job_duration_ms: Option<u64>,
    session_idle_timeout_ms: Option<u64>,
}

async fn settings(State(app): App, body: Bytes) -> Response {
    match parse::<Settings>(&body) {
        Ok(s) => {
            let control = control(app.clone());
            if let Some(ms) = s.job_duration_ms {
                control.set_job_duration(Duration::from_millis(ms));
            }
            if let Some(ms) = s.session_idle_timeout_ms {
                control.set_session_idle_timeout(Duration::from_millis(ms));
            }
            done(app)
        }
        Err(r) => r,
    }
}
