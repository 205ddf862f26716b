//! Messages, in one form whichever wire structure carried them.

use vcsa_backup_api::types;

use super::{FromWire, IntoDomain};
use crate::message::Message;

/// Both wire structures of a message have the same fields.
macro_rules! message_from_wire {
    ($($wire:ty),*) => {$(
        impl FromWire<$wire> for Message {
            fn from_wire(m: $wire) -> Self {
                Self {
                    id: m.id,
                    text: m.default_message,
                    args: m.args,
                }
            }
        }
    )*};
}

message_from_wire!(types::LocalizableMessage, types::JobMessage);

/// Every message of a list, in its order.
pub(crate) fn convert_all<T: IntoDomain<Message>>(messages: Vec<T>) -> Vec<Message> {
    messages.into_iter().map(IntoDomain::into_domain).collect()
}
