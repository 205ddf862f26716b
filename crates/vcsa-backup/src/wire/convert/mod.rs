//! Conversions between the generated wire types and the SDK's own, in both directions, one file
//! per domain area. Crate-private on purpose: the generated types mirror the wire and may change
//! with the spec, so they stay out of the public API (a public `From` impl would put them there),
//! and the domain types never name them.

pub(crate) mod backup;
pub(crate) mod catalog;
pub(crate) mod error;
pub(crate) mod job;
pub(crate) mod message;
pub(crate) mod restore;

use vcsa_backup_api::enums;

use crate::backup::part::PartId;
use crate::error::ServerErrorType;
use crate::job::details::{JobKind, TaskState};
use crate::job::status::{JobState, OutcomeStatus};

pub(crate) use error::rest_type_to_api;
pub(crate) use message::convert_all;

/// Builds a domain value from its wire form.
pub(crate) trait IntoDomain<D> {
    fn into_domain(self) -> D;
}

/// Enums the SDK declares again with the generated one's values (both open), read by their text;
/// `/api` names error types in upper case, the same spelling as [`ServerErrorType`].
macro_rules! by_wire_text {
    ($($wire:ty => $domain:ty,)*) => {$(
        impl IntoDomain<$domain> for $wire {
            fn into_domain(self) -> $domain {
                <$domain>::from(self.as_str())
            }
        }
    )*};
}

by_wire_text! {
    enums::BackupRestoreProcessState => JobState,
    enums::ErrorType => ServerErrorType,
    enums::DetailsStatus => TaskState,
    enums::DetailsType => JobKind,
    enums::ReconciliationStatus => TaskState,
    enums::ReturnStatus => OutcomeStatus,
}

/// Writes a domain value in the wire form an operation sends.
pub(crate) trait ToWire<W> {
    fn to_wire(&self) -> W;
}

/// Part ids as the wire lists them.
pub(crate) fn part_ids(parts: &[PartId]) -> Vec<String> {
    parts.iter().map(|p| p.as_str().to_string()).collect()
}

/// Part ids from the wire.
pub(crate) fn parts(ids: Vec<String>) -> Vec<PartId> {
    ids.into_iter().map(PartId::new).collect()
}
