//! Messages, in one form whichever wire structure carried them.

use vcsa_backup_api::types;

use super::IntoDomain;
use crate::message::Message;

/// Both wire structures of a message have the same fields.
macro_rules! message_from_wire {
    ($($wire:ty),*) => {$(
        impl IntoDomain<Message> for $wire {
            fn into_domain(self) -> Message {
                Message {
                    id: self.id,
                    text: self.default_message,
                    args: self.args,
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
