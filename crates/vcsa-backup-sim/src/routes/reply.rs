//! What every route module shares: the base paths, the state they take, and how an answer or
//! an error is put in the flavour's shape.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use vcsa_backup_api::enums::ErrorType;

use crate::appliance::Appliance;
use crate::error::{VapiError, message};
use crate::faults::EnumField;
use crate::flavour::Flavour;

pub(super) type App = State<Arc<Appliance>>;
/// The identifiers in a request's path, or why they could not be read (see [`by_path`]).
pub(super) type PathIds<T> = Result<Path<T>, PathRejection>;
/// A request's body, or why it could not be read (see [`body_error`]).
pub(super) type RawBody = Result<Bytes, BytesRejection>;

pub(super) const API: &str = "/api/appliance/recovery/backup";
pub(super) const REST: &str = "/rest/appliance/recovery/backup";

/// Renders an error in the flavour's shape, with an injected unknown error type if one is set.
pub(super) fn error_response(app: &Appliance, flavour: Flavour, err: &VapiError) -> Response {
    let type_override = app
        .lock()
        .faults
        .unknown(EnumField::ErrorType)
        .map(str::to_string);
    err.render(flavour, type_override.as_deref())
}

/// Answers a result in the flavour's shape. `api_status` is the `/api` success code; `/rest`
/// always answers 200.
pub(super) fn reply<T: serde::Serialize>(
    app: &Appliance,
    flavour: Flavour,
    api_status: StatusCode,
    result: Result<T, VapiError>,
) -> Response {
    match result {
        Ok(value) => {
            let status = if flavour == Flavour::Api {
                api_status
            } else {
                StatusCode::OK
            };
            flavour.success(status, &value)
        }
        Err(err) => error_response(app, flavour, &err),
    }
}

/// The value of a fixed `action` query parameter, as in `?action=cancel`.
pub(super) fn action(query: &Option<String>) -> Option<String> {
    let query = query.as_deref()?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "action")
        .map(|(_, v)| v.into_owned())
}

pub(super) fn unknown_action(path: &str, got: Option<String>, expected: &str) -> VapiError {
    let got = got
        .map(|a| format!("'action={a}'"))
        .unwrap_or_else(|| "no action".to_string());
    VapiError::new(
        ErrorType::OperationNotFound,
        "vapi.rest.operation.not_found",
        format!("POST {path} needs '?action={expected}'; the request had {got}."),
    )
}

pub(super) fn body_error(_: BytesRejection) -> VapiError {
    VapiError::invalid_argument(vec![message(
        "vapi.bindings.typeconverter.invalid",
        "The request body could not be read (too large or interrupted). Send a JSON object of a few kilobytes.",
    )])
}

/// Runs `op` on the identifiers in the path; NOT_FOUND when they are not valid text.
pub(super) fn by_path<P, T>(
    path: PathIds<P>,
    op: impl FnOnce(P) -> Result<T, VapiError>,
) -> Result<T, VapiError> {
    match path {
        Ok(Path(ids)) => op(ids),
        Err(_) => Err(VapiError::not_found(
            "vapi.rest.operation.not_found",
            "The identifier in the path is not valid text; no such resource exists.",
        )),
    }
}
