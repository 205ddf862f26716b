//! Which archives the catalog lists.

use chrono::{DateTime, Utc};

use crate::error::{BuildError, Field, Problem};
use crate::macros::setters;

/// Which archives [`Client::list_archives`](crate::Client::list_archives) returns: by start time,
/// by comment, and how many. Without a filter, the appliance returns its newest 128 archives.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use vcsa_backup::ArchiveFilter;
///
/// let filter = ArchiveFilter::builder()
///     .since(Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0).unwrap())
///     .comment_contains("upgrade")
///     .max_results(10)
///     .build()?;
/// assert_eq!(filter.max_results(), Some(10));
///
/// let error = ArchiveFilter::builder().max_results(0).build().unwrap_err();
/// assert!(error.to_string().contains("at least 1"));
/// # Ok::<(), vcsa_backup::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArchiveFilter {
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    comment: Option<String>,
    max_results: Option<u32>,
}

impl ArchiveFilter {
    /// The appliance's most recent archives, first 128 of them: no filter.
    pub fn all() -> Self {
        Self::default()
    }

    /// Starts a filter; [`ArchiveFilterBuilder::build`] checks it.
    pub fn builder() -> ArchiveFilterBuilder {
        ArchiveFilterBuilder::default()
    }

    /// Only archives taken on or after this time.
    pub fn since(&self) -> Option<DateTime<Utc>> {
        self.since
    }

    /// Only archives taken on or before this time.
    pub fn until(&self) -> Option<DateTime<Utc>> {
        self.until
    }

    /// Only archives whose comment contains this text.
    pub fn comment_contains(&self) -> Option<&str> {
        self.comment.as_deref()
    }

    /// At most this many archives, the most recent first (the appliance's default: 128).
    pub fn max_results(&self) -> Option<u32> {
        self.max_results
    }
}

/// Collects an [`ArchiveFilter`]; [`build`](Self::build) checks it.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ArchiveFilterBuilder {
    filter: ArchiveFilter,
}

impl ArchiveFilterBuilder {
    setters! {
        /// Only archives taken on or after this time.
        since(since in filter: DateTime<Utc>) => Some;

        /// Only archives taken on or before this time.
        until(until in filter: DateTime<Utc>) => Some;

        /// Only archives whose comment contains this text.
        comment_contains(comment in filter: impl Into<String>) => Some;

        /// At most this many archives (at least 1), the most recent first.
        max_results(max_results in filter: u32) => Some;
    }

    /// Checks the filter, reporting every problem at once.
    ///
    /// # Errors
    ///
    /// A [`BuildError`]: the start is after the end, the maximum is 0, or the comment
    /// text is empty or holds control characters.
    pub fn build(self) -> Result<ArchiveFilter, BuildError> {
        let f = self.filter;
        let mut problems = Vec::new();
        if let (Some(since), Some(until)) = (f.since, f.until)
            && since > until
        {
            problems.push(Problem::new(
                Field::Until,
                format!(
                    "the period ends ({}) before it starts ({}); swap them",
                    until.to_rfc3339(),
                    since.to_rfc3339()
                ),
            ));
        }
        if f.max_results == Some(0) {
            problems.push(Problem::new(
                Field::MaxResults,
                "ask for at least 1 archive; without a maximum the appliance returns up to 128",
            ));
        }
        if let Some(comment) = &f.comment {
            if comment.is_empty() {
                problems.push(Problem::new(
                    Field::Comment,
                    "the comment text to look for is empty; leave it out to list every archive",
                ));
            } else if comment.chars().any(char::is_control) {
                problems.push(Problem::new(
                    Field::Comment,
                    "the comment text to look for contains control characters; remove them",
                ));
            }
        }
        if problems.is_empty() {
            Ok(f)
        } else {
            Err(BuildError::new(problems))
        }
    }
}
