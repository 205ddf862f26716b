//! The recovery operations in both flavours: `/api` takes bare bodies and answers 201 for the
//! starts; `/rest` names validate and cancel as paths, wraps the restore request in `piece`,
//! the reconciliation spec in `spec`, every answer in `value`, and answers 200 throughout.

use std::sync::Arc;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use vcsa_backup_api::types::{
    ReconciliationSpec, RestReconciliationSpec, RestRestoreRequestPiece, RestoreRequest,
};

use super::auth::Authed;
use super::reply::{App, RawBody, action, body_error, reply, unknown_action};
use crate::appliance::Appliance;
use crate::error::VapiError;
use crate::flavour::Flavour;
use crate::validate::decode;

const API: &str = "/api/appliance/recovery";
const REST: &str = "/rest/appliance/recovery";

pub(super) fn routes() -> Router<Arc<Appliance>> {
    Router::new()
        .route(API, get(recovery))
        .route(REST, get(recovery))
        .route(&format!("{API}/restore"), post(api_validate))
        .route(&format!("{REST}/restore/validate"), post(validate))
        .route(
            &format!("{API}/restore/job"),
            get(restore_status).post(api_restore_job_action),
        )
        .route(
            &format!("{REST}/restore/job"),
            get(restore_status).post(start_restore),
        )
        .route(&format!("{REST}/restore/job/cancel"), post(cancel_restore))
        .route(
            &format!("{API}/reconciliation/job"),
            get(reconciliation_status).post(start_reconciliation),
        )
        .route(
            &format!("{REST}/reconciliation/job"),
            get(reconciliation_status).post(start_reconciliation),
        )
}

async fn recovery(State(app): App, who: Authed) -> Response {
    reply(
        &app,
        who.flavour,
        StatusCode::OK,
        Ok::<_, VapiError>(app.recovery_info()),
    )
}

/// The restore request of a body, unwrapped from `piece` for `/rest`.
fn restore_request(flavour: Flavour, body: RawBody) -> Result<RestoreRequest, VapiError> {
    let body = body.map_err(body_error)?;
    match flavour {
        Flavour::Api => decode::<RestoreRequest>(&body, "a restore request"),
        Flavour::Rest => decode::<RestRestoreRequestPiece>(
            &body,
            "a restore request wrapped as {\"piece\": ...}",
        )
        .map(|p| p.piece),
    }
}

async fn api_validate(
    State(app): App,
    who: Authed,
    RawQuery(query): RawQuery,
    body: RawBody,
) -> Response {
    let result = match action(&query) {
        Some(a) if a == "validate" => {
            restore_request(who.flavour, body).and_then(|r| app.validate_restore(&r))
        }
        other => Err(unknown_action(&format!("{API}/restore"), other, "validate")),
    };
    reply(&app, who.flavour, StatusCode::OK, result)
}

async fn validate(State(app): App, who: Authed, body: RawBody) -> Response {
    let result = restore_request(who.flavour, body).and_then(|r| app.validate_restore(&r));
    reply(&app, who.flavour, StatusCode::OK, result)
}

/// `/api`: a start without an action, a cancel with `?action=cancel`.
async fn api_restore_job_action(
    state: App,
    who: Authed,
    RawQuery(query): RawQuery,
    body: RawBody,
) -> Response {
    match action(&query) {
        None => start_restore(state, who, body).await,
        Some(a) if a == "cancel" => cancel_restore(state, who).await,
        other => {
            let err = unknown_action(&format!("{API}/restore/job"), other, "cancel");
            reply::<()>(&state.0, who.flavour, StatusCode::OK, Err(err))
        }
    }
}

async fn start_restore(State(app): App, who: Authed, body: RawBody) -> Response {
    let result = restore_request(who.flavour, body).and_then(|r| app.start_restore(&r));
    reply(&app, who.flavour, StatusCode::CREATED, result)
}

async fn restore_status(State(app): App, who: Authed) -> Response {
    let status = app.restore_status();
    reply(
        &app,
        who.flavour,
        StatusCode::OK,
        Ok::<_, VapiError>(status),
    )
}

async fn cancel_restore(State(app): App, who: Authed) -> Response {
    let result = app.cancel_restore();
    reply(
        &app,
        who.flavour,
        StatusCode::OK,
        Ok::<_, VapiError>(result),
    )
}

/// The reconciliation spec of a body, unwrapped from `spec` for `/rest`; an empty body is an
/// empty spec.
fn reconciliation_spec(flavour: Flavour, body: RawBody) -> Result<ReconciliationSpec, VapiError> {
    let body = body.map_err(body_error)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(ReconciliationSpec::default());
    }
    match flavour {
        Flavour::Api => decode::<ReconciliationSpec>(&body, "a reconciliation spec"),
        Flavour::Rest => decode::<RestReconciliationSpec>(
            &body,
            "a reconciliation spec wrapped as {\"spec\": ...}",
        )
        .map(|w| w.spec),
    }
}

async fn start_reconciliation(State(app): App, who: Authed, body: RawBody) -> Response {
    let result = reconciliation_spec(who.flavour, body).and_then(|s| app.start_reconciliation(&s));
    reply(&app, who.flavour, StatusCode::CREATED, result)
}

async fn reconciliation_status(State(app): App, who: Authed) -> Response {
    let result = app.reconciliation_status();
    reply(&app, who.flavour, StatusCode::OK, result)
}
