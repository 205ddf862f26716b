//! Who is calling: HTTP Basic credentials for log in, the session header for everything else.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use base64::Engine;

use super::reply::error_response;
use crate::appliance::Appliance;
use crate::error::VapiError;
use crate::flavour::Flavour;

/// The session header every call after log in carries.
pub(crate) const SESSION_HEADER: &str = "vmware-api-session-id";

/// A caller with a live session. Extracting it refreshes the session's idle timer; without a
/// live session the request answers 401 UNAUTHENTICATED in its flavour's shape.
pub(crate) struct Authed {
    pub(crate) user: String,
    pub(crate) token: String,
    pub(crate) flavour: Flavour,
}

impl FromRequestParts<Arc<Appliance>> for Authed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<Appliance>) -> Result<Self, Response> {
        let flavour = Flavour::of_path(parts.uri.path());
        let token = parts
            .headers
            .get(SESSION_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .unwrap_or_default();
        if token.is_empty() {
            return Err(error_response(app, flavour, &VapiError::unauthenticated()));
        }
        match app.authenticate(token) {
            Ok(user) => Ok(Self {
                user,
                token: token.to_string(),
                flavour,
            }),
            Err(err) => Err(error_response(app, flavour, &err)),
        }
    }
}

/// User name and password from an `Authorization: Basic` header.
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}
