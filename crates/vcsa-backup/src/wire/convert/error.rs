//! Errors the appliance reports inside an answer: their types in either flavour's spelling, and
//! the error a failed job's details carry.

use serde_json::Value;
use vcsa_backup_api::types;

use super::{IntoDomain, convert_all};
use crate::error::{ServerError, ServerErrorType};

/// The prefix of the `/rest` flavour's fully qualified error type names.
const REST_TYPE_PREFIX: &str = "com.vmware.vapi.std.errors.";

/// The `/api` spelling of a `/rest` error type name: `/rest` names them fully qualified, in lower
/// case: `com.vmware.vapi.std.errors.feature_in_use` is `FEATURE_IN_USE`. A name from outside
/// the standard errors is kept whole.
pub(crate) fn rest_type_to_api(name: &str) -> ServerErrorType {
    match name.strip_prefix(REST_TYPE_PREFIX) {
        Some(short) if !short.is_empty() => ServerErrorType::from(short.to_ascii_uppercase()),
        _ => ServerErrorType::from(name),
    }
}

/// The appliance's report of an error: the body of an `/api` error answer, or why a job failed
/// as its details say it (the same fields). No HTTP status: the answer's, if any, is added after.
macro_rules! server_error_from_wire {
    ($($wire:ty),*) => {$(
        impl IntoDomain<ServerError> for $wire {
            fn into_domain(self) -> ServerError {
                ServerError {
                    error_type: self.error_type.map(IntoDomain::into_domain),
                    messages: convert_all(self.messages),
                    data: (!self.data.is_empty()).then_some(Value::Object(self.data)),
                    status: None,
                }
            }
        }
    )*};
}

server_error_from_wire!(types::StdError, types::DetailsError);

/// The body of a `/rest` error answer: `/rest` names the type only outside the body, so the
/// outer name wins.
impl IntoDomain<ServerError> for types::RestError {
    fn into_domain(self) -> ServerError {
        ServerError {
            error_type: Some(rest_type_to_api(self.type_.as_str())),
            ..self.value.into_domain()
        }
    }
}
