//! vAPI standard errors and how each flavour puts them on the wire.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};
use vcsa_backup_api::enums::ErrorType;
use vcsa_backup_api::types::LocalizableMessage;

use crate::flavour::{Flavour, json_response};

/// A localizable message with no parameters, the form the appliance uses for its own messages.
pub(crate) fn message(id: &str, default_message: impl Into<String>) -> LocalizableMessage {
    LocalizableMessage {
        id: id.to_string(),
        default_message: default_message.into(),
        args: Vec::new(),
        localized: None,
        params: Default::default(),
    }
}

/// A caller's text in a message, cut short.
pub(crate) fn clip(text: &str) -> String {
    const MAX: usize = 64;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(MAX).collect::<String>())
    }
}

/// A standard error as an operation reports it: its type and a stack of messages.
#[derive(Clone, Debug)]
pub(crate) struct VapiError {
    pub(crate) kind: ErrorType,
    pub(crate) messages: Vec<LocalizableMessage>,
}

impl VapiError {
    pub(crate) fn new(kind: ErrorType, id: &str, default_message: impl Into<String>) -> Self {
        Self {
            kind,
            messages: vec![message(id, default_message)],
        }
    }

    pub(crate) fn invalid_argument(messages: Vec<LocalizableMessage>) -> Self {
        Self {
            kind: ErrorType::InvalidArgument,
            messages,
        }
    }

    /// The missing or expired session answer, with the appliance's exact message.
    pub(crate) fn unauthenticated() -> Self {
        Self::new(
            ErrorType::Unauthenticated,
            "vapi.method.authentication.required",
            "This method requires authentication.",
        )
    }

    pub(crate) fn not_found(id: &str, default_message: impl Into<String>) -> Self {
        Self::new(ErrorType::NotFound, id, default_message)
    }

    /// The HTTP status the appliance uses for this error type.
    pub(crate) fn status(&self) -> StatusCode {
        status_of(&self.kind)
    }

    /// Renders the error in the flavour's shape. `type_override` replaces the error type on the
    /// wire (fault injection of an enum value from the future); the status code stays the real one.
    pub(crate) fn render(&self, flavour: Flavour, type_override: Option<&str>) -> Response {
        let wire_type = type_override.unwrap_or(self.kind.as_str());
        let messages = serde_json::to_value(&self.messages).unwrap_or(Value::Array(Vec::new()));
        let body = match flavour {
            Flavour::Api => json!({ "error_type": wire_type, "messages": messages }),
            Flavour::Rest => {
                let mut value = Map::new();
                value.insert("messages".into(), messages);
                json!({
                    "type": format!("com.vmware.vapi.std.errors.{}", wire_type.to_ascii_lowercase()),
                    "value": value,
                })
            }
        };
        json_response(self.status(), &body)
    }
}

/// Status codes per error type, as the appliance maps them.
fn status_of(kind: &ErrorType) -> StatusCode {
    match kind {
        ErrorType::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorType::Unauthorized => StatusCode::FORBIDDEN,
        ErrorType::NotFound | ErrorType::OperationNotFound => StatusCode::NOT_FOUND,
        ErrorType::ConcurrentChange => StatusCode::CONFLICT,
        ErrorType::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorType::TimedOut => StatusCode::GATEWAY_TIMEOUT,
        ErrorType::Error | ErrorType::InternalServerError => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_follow_the_appliance() {
        let cases = [
            (ErrorType::FeatureInUse, 400),
            (ErrorType::InvalidArgument, 400),
            (ErrorType::Unauthenticated, 401),
            (ErrorType::Unauthorized, 403),
            (ErrorType::NotFound, 404),
            (ErrorType::ConcurrentChange, 409),
            (ErrorType::ServiceUnavailable, 503),
            (ErrorType::TimedOut, 504),
            (ErrorType::Error, 500),
        ];
        for (kind, code) in cases {
            assert_eq!(status_of(&kind).as_u16(), code, "{kind}");
        }
    }
}
