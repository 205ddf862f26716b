//! Turning what the generated client returns into the SDK's [`Error`]: by the error type in the
//! body (either flavour's shape), and by the HTTP status only when the body names no type.
//!
//! This is where the server's text enters the SDK: every body, message, redirect target and
//! decoding error passes through the request's [`Scrub`] first.

use std::error::Error as StdError;

use progenitor_client::Error as WireError;
use serde_json::Value;

use crate::error::{
    AuthFailure, Error, Field, InvalidRequest, Problem, ServerError, ServerErrorType,
};
use crate::message::Message;
use crate::wire::convert::{IntoDomain, rest_type_to_api};
use crate::wire::scrub::{self, Scrub};

/// How much of a body an error keeps for diagnosis.
const EXCERPT_CHARS: usize = 160;
/// How much of an unexpected response is read at most.
const UNEXPECTED_BODY_LIMIT: usize = 64 * 1024;

/// Whether an operation's answer may hold a session token, so must never be quoted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Body {
    Quotable,
    Secret,
}

/// Sorts an error the appliance reported into the variant that says what to do next.
fn from_server(server: ServerError) -> Error {
    use ServerErrorType as T;
    match &server.error_type {
        Some(T::FeatureInUse) => Error::BackupInProgress(server),
        Some(T::NotFound) => Error::NotFound(server),
        Some(T::Unauthenticated) => not_authenticated(server),
        Some(T::Unauthorized) => Error::NotAuthorized(server),
        Some(T::InvalidArgument) => Error::InvalidRequest(InvalidRequest::Rejected(server)),
        Some(T::NotAllowedInCurrentState) => Error::NotAllowedInCurrentState(server),
        Some(T::ServiceUnavailable | T::TimedOut | T::ResourceBusy) => busy(server),
        Some(_) => Error::Server(server),
        None => match server.status {
            Some(400) => Error::InvalidRequest(InvalidRequest::Rejected(server)),
            Some(401) => not_authenticated(server),
            Some(403) => Error::NotAuthorized(server),
            Some(404) => Error::NotFound(server),
            Some(408 | 429 | 502 | 503 | 504) => busy(server),
            _ => Error::Server(server),
        },
    }
}

fn not_authenticated(server: ServerError) -> Error {
    Error::NotAuthenticated {
        reason: AuthFailure::SessionRefused,
        server: Some(Box::new(server)),
    }
}

fn busy(server: ServerError) -> Error {
    let reason = "the appliance is busy, starting up or did not finish in time";
    Error::transient(reason, Some(server), None)
}

/// Maps any failure of a generated call. `E` is the operation's error body (either flavour);
/// `scrub` holds the secrets the request carried.
pub(crate) async fn from_wire<E: IntoDomain<ServerError>>(
    error: WireError<E>,
    body: Body,
    scrub: &Scrub,
) -> Error {
    match error {
        WireError::ErrorResponse(rv) => {
            let status = Some(rv.status().as_u16());
            let mut server: ServerError = rv.into_inner().into_domain();
            server.status = status;
            scrub.server_error(&mut server);
            from_server(server)
        }
        // Without the URL: a `/rest` catalog URL carries the backup server's password.
        WireError::CommunicationError(e) => from_transport(e.without_url()),
        WireError::ResponseBodyError(e) => Error::transient(
            "the connection broke while the appliance's answer was being read",
            None,
            Some(Box::new(e.without_url())),
        ),
        // The hooks hand error answers that do not decode on as unexpected: this is a success.
        WireError::InvalidResponsePayload(bytes, e) => from_undecodable(&bytes, &e, body, scrub),
        WireError::UnexpectedResponse(response) => from_unexpected(response, body, scrub).await,
        WireError::InvalidRequest(reason) => Error::problems_found(vec![Problem::new(
            Field::Request,
            format!("the request could not be built: {}", scrub.text(&reason)),
        )]),
        WireError::InvalidUpgrade(e) => Error::MalformedResponse {
            status: e.status().map(|s| s.as_u16()),
            reason: scrub.text(&e.without_url().to_string()).into_owned(),
            excerpt: String::new(),
        },
        WireError::Custom(reason) => Error::malformed(scrub.text(&reason)),
    }
}

/// A connection-level failure: transient, unless the TLS layer distrusted the certificate.
pub(crate) fn from_transport(e: reqwest::Error) -> Error {
    if let Some((reason, certificate)) = certificate_problem(&e) {
        return Error::UntrustedCertificate {
            reason,
            certificate: certificate.map(Box::new),
        };
    }
    let what = if e.is_timeout() {
        "the appliance did not answer within the time-out"
    } else if e.is_connect() {
        "the appliance could not be reached"
    } else {
        "the connection to the appliance failed"
    };
    // The innermost cause ("Connection refused", "dns error") is what an administrator acts on.
    let reason = match std::iter::successors(e.source(), |&c| c.source()).last() {
        Some(root) => format!("{what} ({root})"),
        None => what.to_string(),
    };
    Error::transient(reason, None, Some(Box::new(e)))
}

/// A certificate failure's reason, and the certificate refused when the TLS layer kept it.
type CertificateProblem = (String, Option<crate::error::PeerCertificate>);

/// Looks through the error's causes for a TLS certificate failure.
fn certificate_problem(e: &(dyn StdError + 'static)) -> Option<CertificateProblem> {
    std::iter::successors(Some(e), |&c| c.source()).find_map(|c| {
        #[cfg(feature = "rustls")]
        if let Some(tls) = c.downcast_ref::<rustls::Error>() {
            return Some(match refused(tls) {
                Some(refused) => (
                    describe_tls(&refused.cause),
                    Some(refused.certificate.clone()),
                ),
                None => (describe_tls(tls), None),
            });
        }
        certificate_problem(c.downcast_ref::<std::io::Error>()?.get_ref()?)
    })
}

/// The refusal of this client's own verifier, which keeps the certificate it refused.
#[cfg(feature = "rustls")]
fn refused(error: &rustls::Error) -> Option<&crate::wire::tls::Refused> {
    match error {
        rustls::Error::InvalidCertificate(rustls::CertificateError::Other(other)) => {
            other.0.downcast_ref()
        }
        _ => None,
    }
}

/// A TLS failure in an administrator's words.
#[cfg(feature = "rustls")]
fn describe_tls(error: &rustls::Error) -> String {
    use rustls::{CertificateError as C, Error as E};
    match error {
        E::InvalidCertificate(C::Other(other)) => other.0.to_string(),
        E::InvalidCertificate(C::UnknownIssuer) => "it is signed by an authority this client does \
             not trust; appliances often use their own CA: pin the certificate's thumbprint or \
             add the appliance's CA certificate"
            .into(),
        E::InvalidCertificate(C::NotValidForName | C::NotValidForNameContext { .. }) => {
            "it was not issued for the host name in the base URL".into()
        }
        E::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => "it has expired".into(),
        E::InvalidCertificate(C::NotValidYet | C::NotValidYetContext { .. }) => {
            "it is not valid yet (check the clocks)".into()
        }
        E::InvalidCertificate(C::Revoked) => "it has been revoked".into(),
        E::InvalidCertificate(C::BadEncoding) => "it is not a well-formed certificate".into(),
        E::InvalidCertificate(C::BadSignature) => "its signature does not verify".into(),
        // rustls prints its other certificate errors as Rust values: say it in words instead.
        E::InvalidCertificate(_) => "the TLS layer refused it as invalid".into(),
        E::NoCertificatesPresented => "the appliance presented no certificate".into(),
        other => format!("the TLS handshake with the appliance failed ({other})"),
    }
}

/// A redirect: not followed, so credentials never leave for another address; the base URL is
/// what needs fixing. Its target is shown without user information, query or fragment.
fn redirected(status: u16, headers: &reqwest::header::HeaderMap, scrub: &Scrub) -> Error {
    let to = headers
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(|l| format!(" to {}", scrub.text(&scrub::redirect_target(l))))
        .unwrap_or_default();
    Error::Configuration {
        problems: vec![
            Problem::new(
                Field::BaseUrl,
                format!("the appliance answered with a redirect (HTTP {status}){to}"),
            )
            .with_hint(
                "give the address the appliance answers on directly, usually https://<appliance>",
            ),
        ],
    }
}

/// A status the spec does not list for the operation: read a bounded part of the body and
/// classify it like any error.
async fn from_unexpected(mut response: reqwest::Response, body: Body, scrub: &Scrub) -> Error {
    let status = response.status().as_u16();
    if response.status().is_redirection() {
        return redirected(status, response.headers(), scrub);
    }
    let mut bytes = Vec::new();
    let mut truncated = false;
    // Until the end, the limit or a failure: what arrived is still worth classifying.
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = UNEXPECTED_BODY_LIMIT - bytes.len();
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if chunk.len() > room {
            truncated = true;
            break;
        }
    }
    let bytes = scrub.bytes(&bytes);
    if (200..300).contains(&status) {
        return Error::MalformedResponse {
            status: Some(status),
            reason: format!("HTTP {status} is not an answer this operation documents"),
            excerpt: excerpt(&bytes, body),
        };
    }
    if !truncated && let Some(mut server) = decode_error_body(&bytes, false) {
        server.status = Some(status);
        scrub.server_error(&mut server);
        return from_server(server);
    }
    let server = ServerError {
        status: Some(status),
        ..ServerError::new(None, status_message(status, &bytes, body))
    };
    // A page from the web front end or a proxy, not from the API: the appliance's services are
    // restarting or overloaded, which passes.
    if (502..=504).contains(&status) {
        let reason = "the appliance's web front end answered instead of the backup API, which \
                      may be starting or restarting";
        return Error::transient(reason, Some(server), None);
    }
    from_server(server)
}

/// A success answer the generated types could not decode: an error of either flavour's shape
/// (which must name its type to count, since job statuses have `messages` too), or malformed.
pub(crate) fn from_undecodable(
    bytes: &[u8],
    error: &serde_json::Error,
    body: Body,
    scrub: &Scrub,
) -> Error {
    let bytes = &scrub.bytes(bytes);
    if let Some(mut server) = decode_error_body(bytes, true) {
        scrub.server_error(&mut server);
        return from_server(server);
    }
    let reason = if bytes.is_empty() {
        "the answer was empty".to_string()
    } else if error.is_eof() {
        "the answer ended too early (truncated)".to_string()
    } else if error.is_syntax() {
        "the answer is not JSON".to_string()
    } else {
        // serde quotes the values it could not read, which may be the request's own.
        format!(
            "the answer does not have the documented shape ({})",
            scrub.text(&error.to_string())
        )
    };
    Error::MalformedResponse {
        status: None,
        reason,
        excerpt: excerpt(bytes, body),
    }
}

/// Reads an error body of either flavour, forgiving missing or mistyped fields.
///
/// `/api`: `{"error_type": "...", "messages": [...], "data": {...}}`;
/// `/rest`: `{"type": "com.vmware.vapi.std.errors....", "value": {"messages": [...], ...}}`.
pub(crate) fn decode_error_body(bytes: &[u8], require_type: bool) -> Option<ServerError> {
    let value: Value = serde_json::from_slice(bytes).ok()?;
    let object = value.as_object()?;
    let (error_type, inner) = match (object.get("type"), object.get("value")) {
        (Some(Value::String(t)), Some(Value::Object(inner))) => (Some(rest_type_to_api(t)), inner),
        _ => {
            let t = object.get("error_type").and_then(Value::as_str);
            let t = t.map(ServerErrorType::from);
            if t.is_none() && !object.contains_key("messages") {
                return None;
            }
            (t, object)
        }
    };
    if require_type && error_type.is_none() {
        return None;
    }
    let messages = inner.get("messages").and_then(Value::as_array);
    let messages = messages
        .into_iter()
        .flatten()
        .filter_map(lenient_message)
        .collect();
    let data = inner.get("data").filter(|d| !d.is_null()).cloned();
    Some(ServerError {
        error_type,
        messages,
        data,
        status: None,
    })
}

fn lenient_message(value: &Value) -> Option<Message> {
    let object = value.as_object()?;
    let text = |key: &str| object.get(key).and_then(Value::as_str).unwrap_or_default();
    let args = object.get("args").and_then(Value::as_array).into_iter();
    let args = args
        .flatten()
        .map(|a| a.as_str().map_or_else(|| a.to_string(), str::to_string));
    Some(Message::new(text("id"), text("default_message")).with_args(args))
}

/// A message for an error body that named no type: the status, and what the body began with.
fn status_message(status: u16, bytes: &[u8], body: Body) -> Vec<Message> {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("unknown status");
    let text = match excerpt(bytes, body) {
        shown if shown.is_empty() => format!("HTTP {status} {reason}"),
        shown => format!("HTTP {status} {reason}: {shown}"),
    };
    vec![Message::new(format!("http.status.{status}"), text)]
}

/// The start of a body on one line, or a note that it was withheld.
pub(crate) fn excerpt(bytes: &[u8], body: Body) -> String {
    if bytes.is_empty() {
        return String::new();
    }
    if body == Body::Secret {
        return "[withheld: this answer can hold a session token]".into();
    }
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}
