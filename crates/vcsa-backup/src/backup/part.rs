//! The parts of the appliance a backup can include.

use std::borrow::Cow;
use std::fmt;

use crate::error::{Field, Problem};
use crate::message::Message;

/// The id of a part of the appliance that a backup can include.
///
/// The known ids are constants; any other id (from a newer appliance, see
/// [`Client::list_parts`](crate::Client::list_parts)) is allowed too.
///
/// ```
/// use vcsa_backup::PartId;
///
/// assert_eq!(PartId::SEAT.as_str(), "seat");
/// assert_eq!(PartId::new("lookup"), PartId::new("lookup".to_string()));
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct PartId(Cow<'static, str>);

impl PartId {
    /// The core configuration: inventory, settings. Always backed up.
    pub const COMMON: Self = Self(Cow::Borrowed("common"));
    /// Statistics, events and tasks: historical data, which can be large.
    pub const SEAT: Self = Self(Cow::Borrowed("seat"));
    /// The vSphere Supervisor control plane (vSphere 8 and later).
    pub const SUPERVISORS: Self = Self(Cow::Borrowed("supervisors"));

    /// A part id from its text.
    pub fn new(id: impl Into<String>) -> Self {
        Self(Cow::Owned(id.into()))
    }

    /// The id as the appliance writes it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl fmt::Debug for PartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PartId({:?})", self.0)
    }
}

impl From<&str> for PartId {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for PartId {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

/// A part of the appliance that a backup can include, as the appliance describes it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Part {
    /// The part's id, for [`BackupRequestBuilder::part`](crate::BackupRequestBuilder::part).
    pub id: PartId,
    /// The part's name.
    pub name: Message,
    /// What the part holds.
    pub description: Message,
    /// Whether the part is included unless the caller says otherwise.
    pub selected_by_default: bool,
    /// Whether the part may be left out.
    pub optional: bool,
}

/// Checks part ids as every request that names parts needs them: words, each listed once.
/// Adds every problem found to `problems`.
pub(crate) fn check_parts(parts: &[PartId], problems: &mut Vec<Problem>) {
    for (i, part) in parts.iter().enumerate() {
        let id = part.as_str();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        {
            problems.push(
                Problem::new(Field::Parts, format!("\"{id}\" is not a part id"))
                    .with_hint("part ids are words such as common, seat or supervisors"),
            );
        } else if parts[..i].iter().filter(|p| *p == part).count() == 1 {
            // Said once, at its second listing, however often it repeats.
            problems.push(
                Problem::new(Field::Parts, format!("\"{id}\" is listed twice"))
                    .with_hint("list each part once"),
            );
        }
    }
}
