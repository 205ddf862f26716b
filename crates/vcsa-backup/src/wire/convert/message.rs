//! Messages, in one form whichever wire structure carried them.

use vcsa_backup_api::types;

use super::{FromWire, IntoDomain};
use crate::message::Message;

impl FromWire<types::LocalizableMessage> for Message {
    fn from_wire(m: types::LocalizableMessage) -> Self {
        Self {
            id: m.id,
            text: m.default_message,
            args: m.args,
        }
    }
}

impl FromWire<types::JobMessage> for Message {
    fn from_wire(m: types::JobMessage) -> Self {
        Self {
            id: m.id,
            text: m.default_message,
            args: m.args,
        }
    }
}

/// Every message of a list, in its order.
pub(crate) fn convert_all<T: IntoDomain<Message>>(messages: Vec<T>) -> Vec<Message> {
    messages.into_iter().map(IntoDomain::into_domain).collect()
}
