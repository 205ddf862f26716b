//! Messages from the appliance, in one form whichever wire structure carried them.

use std::fmt;

/// A message from the appliance: what happened, in English, with an id for looking it up.
///
/// ```
/// use vcsa_backup::Message;
///
/// let message = Message::new("com.vmware.backup.done", "Backup done.");
/// assert_eq!(message.to_string(), "Backup done.");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Message {
    /// The message's identifier in the appliance's message catalogue.
    pub id: String,
    /// The message in English, with its arguments already filled in.
    pub text: String,
    /// The arguments that were filled into the message.
    pub args: Vec<String>,
}

impl Message {
    /// A message without arguments.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            text: text.into(),
            args: Vec::new(),
        }
    }

    /// The same message with `args` as its arguments.
    pub fn with_args(mut self, args: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }
}

impl fmt::Display for Message {
    /// The English text; when the appliance sent none, the id, so the line is never blank.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.text.trim().is_empty() {
            f.write_str(&self.id)
        } else {
            f.write_str(&self.text)
        }
    }
}
