//! Errors the appliance reports inside an answer: their types in either flavour's spelling, and
//! the error a failed job's details carry.

use serde_json::Value;
use vcsa_backup_api::{enums, types};

use super::{FromWire, IntoDomain, convert_all};
use crate::error::{ServerError, ServerErrorType};

/// The prefix of the `/rest` flavour's fully qualified error type names.
const REST_TYPE_PREFIX: &str = "com.vmware.vapi.std.errors.";

/// `/api` names error types in upper case: the same spelling as [`ServerErrorType`].
impl FromWire<enums::ErrorType> for ServerErrorType {
    fn from_wire(value: enums::ErrorType) -> Self {
        match value {
            enums::ErrorType::Unknown(other) => Self::from(other),
            known => Self::from(known.as_str()),
        }
    }
}

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

/// Why a job failed, as its details say it (no HTTP status: it came inside an answer).
impl FromWire<types::DetailsError> for ServerError {
    fn from_wire(e: types::DetailsError) -> Self {
        Self {
            error_type: e.error_type.map(IntoDomain::into_domain),
            messages: convert_all(e.messages),
            data: (!e.data.is_empty()).then_some(Value::Object(e.data)),
            status: None,
        }
    }
}
