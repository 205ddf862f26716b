//! The paths the simulator serves under: the two wire flavours of the appliance (and how each
//! wraps bodies), and the admin prefix.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Where the admin endpoint lives: outside every vendor path.
pub const ADMIN_PREFIX: &str = "/__sim";

/// Which prefix a request came in on: `/api` (vSphere 7.0 U2+) or the legacy `/rest`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavour {
    Api,
    Rest,
}

impl Flavour {
    /// The flavour of a request path; anything outside `/rest` answers in the `/api` shape.
    pub(crate) fn of_path(path: &str) -> Self {
        if path == "/rest" || path.starts_with("/rest/") {
            Self::Rest
        } else {
            Self::Api
        }
    }

    /// A success body: bare for `/api`, wrapped as `{"value": ...}` for `/rest`.
    pub(crate) fn success<T: Serialize>(self, status: StatusCode, value: &T) -> Response {
        match self {
            Self::Api => json_response(status, value),
            Self::Rest => json_response(status, &serde_json::json!({ "value": value })),
        }
    }
}

/// Serializes a body as JSON; our own types always serialize, but a failure still answers cleanly.
pub(crate) fn json_response<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
