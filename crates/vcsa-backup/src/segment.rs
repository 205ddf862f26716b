//! The one check of an id that goes into a URL path: job ids, schedule ids, system names and
//! archive ids.

use crate::error::{Error, Field, Problem};

/// Whether `id` stays in its own URL path segment: not empty (nor only spaces), `.` or `..`
/// (those reach another endpoint: `cancel ..` would post to the collection), and without `/`,
/// `\`, `?`, `#` (those end the segment) or a control character. Ids stay opaque otherwise: the
/// generated client percent-encodes the rest as one segment.
fn fits_one_segment(id: &str) -> bool {
    // This runs before every call that names an id, so the usual id, ASCII without any of the
    // refused bytes, is told apart in one pass without early exits, which the compiler turns
    // into a few vector instructions per 16 bytes; only other ids take the slow path.
    let unusual = id.bytes().fold(false, |unusual, b| {
        unusual
            | !(0x20..0x7f).contains(&b)
            | (b == b'/')
            | (b == b'\\')
            | (b == b'?')
            | (b == b'#')
    });
    if !unusual {
        // ASCII without control characters: only spaces trim away.
        return !(id == "." || id == ".." || id.bytes().all(|b| b == b' '));
    }
    !(id.contains(['/', '\\', '?', '#'])
        || id.chars().any(char::is_control)
        || id.trim().is_empty())
}

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
        self.problem(id)
            .map_or(Ok(()), |problem| Err(Error::problems_found(vec![problem])))
    }

    /// What is wrong with an id that would not stay in its own URL path segment: empty (or only
    /// spaces), `.`, `..`, or holding `/`, `\`, `?`, `#` or a control character. The problem
    /// says what such an id looks like.
    pub fn problem(self, id: &str) -> Option<Problem> {
        if fits_one_segment(id) {
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
