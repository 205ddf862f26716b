//! The one check of an id that goes into a URL path: job ids, schedule ids, system names and
//! archive ids.
//!
//! Ids stay opaque (the appliance may name them as it likes), but each must stay in its own
//! path segment: `.` and `..` would reach another endpoint (`cancel ..` would post to the
//! collection), `/`, `\`, `?` and `#` would end the segment, and control characters have no
//! place in a URL. Everything else is percent-encoded as one segment by the generated client.

use crate::error::{Error, Field, Problem};

/// The bytes no id may hold: `/`, `\\`, `?`, `#` and the ASCII control characters.
static REFUSED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = byte < 0x20
            || byte == 0x7f
            || byte == b'/' as usize
            || byte == b'\\' as usize
            || byte == b'?' as usize
            || byte == b'#' as usize;
        byte += 1;
    }
    table
};

/// What kind of id a text names, for [`IdKind::check`].
///
/// ```
/// use vcsa_backup::IdKind;
///
/// assert!(IdKind::Job.check("20180531-155107-8217864").is_ok());
/// assert!(IdKind::Schedule.check("nightly backup %1").is_ok());
/// assert!(IdKind::Schedule.check("..").is_err());
/// let refused = IdKind::Job.problem("a/b").unwrap();
/// assert!(refused.message.contains("20180531-155107-8217864"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdKind {
    /// A backup job's id.
    Job,
    /// A backup schedule's id.
    Schedule,
    /// The name an appliance writes its backups under at a location.
    SystemName,
    /// A backup's id in a location's catalog.
    Archive,
}

impl IdKind {
    /// Refuses an id that would not stay in its own URL path segment (see
    /// [`problem`](Self::problem)) with [`Error::InvalidRequest`], as the client's calls do
    /// before sending anything.
    pub fn check(self, id: &str) -> Result<(), Error> {
        match self.problem(id) {
            Some(problem) => Err(Error::problems_found(vec![problem])),
            None => Ok(()),
        }
    }

    /// What is wrong with an id that would not stay in its own URL path segment: empty (or only
    /// spaces), `.`, `..`, or holding `/`, `\`, `?`, `#` or a control character. The problem
    /// says what such an id looks like.
    pub fn problem(self, id: &str) -> Option<Problem> {
        // One table look-up per byte: this runs before every call that names an id. The
        // characters refused are ASCII but for the C1 controls (U+0080 to U+009F), looked for
        // only in ids that are not ASCII.
        let bad = id.bytes().any(|b| REFUSED[usize::from(b)])
            || id == "."
            || id == ".."
            || id.trim().is_empty()
            || (!id.is_ascii() && id.chars().any(char::is_control));
        if !bad {
            return None;
        }
        let (field, what, example, hint) = match self {
            Self::Job => (
                Field::Job,
                "a job id",
                "20180531-155107-8217864",
                "the appliance's list of jobs has them",
            ),
            Self::Schedule => (
                Field::Schedule,
                "a schedule id",
                "default",
                "the usual one is \"default\", the one the appliance's own interface manages",
            ),
            Self::SystemName => (
                Field::SystemName,
                "a system name",
                "vcsa-01",
                "the backup location's catalog lists them",
            ),
            Self::Archive => (
                Field::Archive,
                "an archive id",
                "20250131-020007-24322831",
                "the backup location's catalog lists them",
            ),
        };
        Some(Problem::new(
            field,
            format!(
                "\"{}\" is not {what}: an id such as \"{example}\" is one part of a URL path, so \
                 it is not empty, \".\" or \"..\", and holds no \"/\", \"\\\", \"?\", \"#\" or \
                 control characters",
                id.escape_debug()
            ),
        )
        .with_hint(hint))
    }
}
