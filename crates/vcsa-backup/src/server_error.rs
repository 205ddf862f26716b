//! [`ServerError`]: an error as the appliance reported it, which job details carry too.

use std::fmt;

use crate::message::Message;

mod error_type;

pub use error_type::ServerErrorType;

/// An error as the appliance reported it, in the same form from both flavours.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct ServerError {
    /// The error type; `None` when the appliance sent none.
    pub error_type: Option<ServerErrorType>,
    /// The message stack: the first says what failed, each next one its cause.
    pub messages: Vec<Message>,
    /// Extra data the appliance attached, if any.
    pub data: Option<serde_json::Value>,
    /// The HTTP status it came with, when it came in a response (not inside job details).
    pub status: Option<u16>,
}

impl ServerError {
    /// An error with a type and a message stack.
    pub fn new(error_type: Option<ServerErrorType>, messages: Vec<Message>) -> Self {
        Self {
            error_type,
            messages,
            data: None,
            status: None,
        }
    }
}

impl fmt::Display for ServerError {
    /// The message stack on one line: `First message. Cause: second message.`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut lines = self
            .messages
            .iter()
            .map(|m| m.to_string().trim().to_string())
            .filter(|t| !t.is_empty());
        match lines.next() {
            None => match &self.error_type {
                Some(t) => write!(f, "the appliance reported {t} without a message."),
                None => f.write_str("the appliance reported an error without a message."),
            },
            Some(first) => {
                write_sentence(f, &first)?;
                for cause in lines {
                    f.write_str(" Cause: ")?;
                    write_sentence(f, &cause)?;
                }
                Ok(())
            }
        }
    }
}

fn write_sentence(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    let ended = text.ends_with(['.', '!', '?']);
    write!(f, "{text}{}", if ended { "" } else { "." })
}
