//! The HTTP surface: the vendor's paths in both flavours, and the admin paths under `/__sim`.

mod admin;
pub(crate) mod auth;
pub(crate) use auth::SESSION_HEADER;
mod catalog;
mod schedules;
mod vendor;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use vcsa_backup_api::enums::ErrorType;

use crate::appliance::Appliance;
use crate::error::VapiError;
use crate::faults::EnumField;
use crate::flavour::Flavour;

/// Where the admin endpoint lives: outside every vendor path.
pub const ADMIN_PREFIX: &str = "/__sim";

/// Renders an error in the flavour's shape, with an injected unknown error type if one is set.
pub(crate) fn error_response(app: &Appliance, flavour: Flavour, err: &VapiError) -> Response {
    let type_override = app
        .lock()
        .faults
        .unknown(EnumField::ErrorType)
        .map(str::to_string);
    err.render(flavour, type_override.as_deref())
}

/// The whole application: vendor routes behind the fault layer, admin routes beside them.
pub(crate) fn router(app: Arc<Appliance>) -> Router {
    let vendor = vendor::routes()
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            app.clone(),
            crate::lost_answers::lose,
        ))
        .layer(middleware::from_fn_with_state(app.clone(), inject_faults))
        .with_state(app.clone());
    Router::new()
        .nest(ADMIN_PREFIX, admin::routes().with_state(app))
        .merge(vendor)
}

/// Counts every call, then slows answers and fails calls on request of the control handle.
async fn inject_faults(State(app): State<Arc<Appliance>>, req: Request, next: Next) -> Response {
    app.count_request();
    let flavour = Flavour::of_path(req.uri().path());
    let delay = app.lock().faults.delay();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if app.take_injected_failure() {
        let err = VapiError::new(
            ErrorType::ServiceUnavailable,
            "com.vmware.vapi.endpoint.service_unavailable",
            "The service is temporarily unavailable (simulated fault). Try again later.",
        );
        return error_response(&app, flavour, &err);
    }
    next.run(req).await
}

async fn not_found(State(app): State<Arc<Appliance>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let err = VapiError::not_found(
        "vapi.rest.operation.not_found",
        format!(
            "There is no operation at {path}. Check the path and the API version of the appliance."
        ),
    );
    error_response(&app, Flavour::of_path(&path), &err)
}

async fn method_not_allowed(State(app): State<Arc<Appliance>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let err = VapiError::new(
        ErrorType::OperationNotFound,
        "vapi.rest.method.not_allowed",
        format!("{} is not an operation of {path}.", req.method()),
    );
    let mut response = error_response(&app, Flavour::of_path(&path), &err);
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response
}
