//! The HTTP surface: the vendor's paths in both flavours, and the admin paths under `/__sim`.

mod admin;
pub(crate) mod auth;
pub(crate) use auth::SESSION_HEADER;
mod catalog;
pub(crate) mod lost;
mod paged;
mod recovery;
mod reply;
mod schedules;
mod vendor;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use vcsa_backup_api::enums::ErrorType;

use crate::appliance::Appliance;
use crate::error::{VapiError, message};
use crate::flavour::Flavour;
use crate::outage::Outage;
use crate::recovery::OutagePhase;
use reply::error_response;

pub use crate::flavour::ADMIN_PREFIX;

/// The whole application: vendor routes behind the fault layer, admin routes beside them.
pub(crate) fn router(app: Arc<Appliance>) -> Router {
    let vendor = vendor::routes()
        .merge(schedules::routes())
        .merge(catalog::routes())
        .merge(recovery::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            app.clone(),
            json_bodies_only,
        ))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            backups_need_configuration,
        ))
        .layer(middleware::from_fn_with_state(app.clone(), lost::lose))
        .layer(middleware::from_fn_with_state(app.clone(), inject_faults))
        .with_state(app.clone());
    Router::new()
        .nest(ADMIN_PREFIX, admin::routes().with_state(app))
        .merge(vendor)
}

/// Counts every call, then slows answers and fails calls on request of the control handle.
async fn inject_faults(State(app): State<Arc<Appliance>>, req: Request, next: Next) -> Response {
    app.count_request();
    // A request on a connection opened before the outage: no answer (until a black hole ends).
    if let Some(outage) = app.outage.get() {
        if outage == Outage::BlackHole {
            let _ = app
                .outage
                .watch()
                .wait_for(|now| *now != Some(Outage::BlackHole))
                .await;
        }
        return lost::dropped();
    }
    let flavour = Flavour::of_path(req.uri().path());
    let delay = app.lock().faults.delay();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    match app.restore_outage() {
        Some(OutagePhase::NoAnswer) => return lost::dropped(),
        Some(OutagePhase::Unavailable) => {
            let err = VapiError::new(
                ErrorType::ServiceUnavailable,
                "com.vmware.vapi.endpoint.service_unavailable",
                "The service is unavailable while the appliance restarts its services during a \
                 restore. Try again later.",
            );
            return error_response(&app, flavour, &err);
        }
        // Log in refuses them; the sessions of before ended when the outage began.
        Some(OutagePhase::SessionsRefused) | None => {}
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

/// An appliance that awaits a restore refuses the backup operations (after the session check,
/// as every operation makes it). The catalog operations read the backup server, not the
/// appliance, so they serve: they find the backup to restore.
async fn backups_need_configuration(
    State(app): State<Arc<Appliance>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let is_backup = ["/api", "/rest"].iter().any(|prefix| {
        path.strip_prefix(prefix)
            .and_then(|p| p.strip_prefix("/appliance/recovery/backup"))
            .is_some_and(|rest| {
                (rest.is_empty() || rest.starts_with('/')) && !rest.starts_with("/system-name")
            })
    });
    if !is_backup {
        return next.run(req).await;
    }
    if let Err(err) = app.ensure_configured() {
        let flavour = Flavour::of_path(path);
        let token = req
            .headers()
            .get(SESSION_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .unwrap_or_default();
        let err = match app.authenticate(token) {
            Ok(_) => err,
            Err(unauthenticated) => unauthenticated,
        };
        return error_response(&app, flavour, &err);
    }
    next.run(req).await
}

/// Refuses a request body of another media type than JSON with 415, as the appliance does. A
/// body without a content type is read as JSON.
async fn json_bodies_only(State(app): State<Arc<Appliance>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let has_body = headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0");
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).to_string());
    let Some(media_type) = media_type.filter(|_| has_body) else {
        return next.run(req).await;
    };
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        return next.run(req).await;
    }
    let shown: String = essence.chars().take(64).collect();
    let err = VapiError::invalid_argument(vec![message(
        "vapi.rest.media_type.unsupported",
        format!(
            "The request body is {shown:?}; the appliance reads only JSON. Send it with Content-Type: application/json."
        ),
    )]);
    let mut response = error_response(&app, Flavour::of_path(req.uri().path()), &err);
    *response.status_mut() = StatusCode::UNSUPPORTED_MEDIA_TYPE;
    response
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
