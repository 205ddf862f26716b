//! Errors the appliance reports inside an answer: their types in either flavour's spelling, and
//! the error a failed job's details carry.

use serde_json::Value;
use vcsa_backup_api::{enums, types};

use super::{FromWire, IntoDomain, convert_all};
use crate::error::{ServerError, ServerErrorType};

/// The prefix of the `/rest` flavour's fully qualified error type names.
const REST_TYPE_PREFIX: &str = "com.vmware.vapi.std.errors.";

/// `/rest` names them fully qualified, in lower case:
/// `com.vmware.vapi.std.errors.feature_in_use` is `FEATURE_IN_USE`. A name from outside the
/// standard errors is kept whole.
impl FromWire<enums::RestErrorType> for ServerErrorType {
    fn from_wire(value: enums::RestErrorType) -> Self {
        rest_type_to_api(value.as_str())
    }
}

/// The `/api` spelling of a `/rest` error type name.
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
        impl FromWire<$wire> for ServerError {
            fn from_wire(e: $wire) -> Self {
                Self {
                    error_type: e.error_type.map(IntoDomain::into_domain),
                    messages: convert_all(e.messages),
                    data: (!e.data.is_empty()).then_some(Value::Object(e.data)),
                    status: None,
                }
            }
        }
    )*};
}

server_error_from_wire!(types::StdError, types::DetailsError);

/// The body of a `/rest` error answer: `/rest` names the type only outside the body, so the
/// outer name wins.
impl FromWire<types::RestError> for ServerError {
    fn from_wire(e: types::RestError) -> Self {
        Self {
            error_type: Some(e.type_.into_domain()),
            ..e.value.into_domain()
        }
    }
}
