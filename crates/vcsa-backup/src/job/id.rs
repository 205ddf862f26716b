//! Backup job identifiers.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// The identifier of a backup job.
///
/// Appliances name jobs `YYYYMMDD-hhmmss-<build>`: the time the job started and the appliance's
/// build number, e.g. `20180531-155107-8217864`. Such ids expose both parts. Any other text is
/// kept as an opaque id, exactly as received, so a future id format never breaks a client.
///
/// Ids order by their text, which for the documented form is the order in which jobs started.
///
/// ```
/// use vcsa_backup::JobId;
///
/// let id: JobId = "20180531-155107-8217864".parse().unwrap();
/// assert_eq!(id.build(), Some("8217864"));
/// assert_eq!(id.started_at().unwrap().to_rfc3339(), "2018-05-31T15:51:07+00:00");
///
/// let other = JobId::new("restore-7");
/// assert_eq!(other.started_at(), None);
/// assert_eq!(other.to_string(), "restore-7");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(from = "String")]
pub struct JobId {
    text: String,
    /// When the job started, read from `text`, so it never disagrees with it.
    started_at: Option<DateTime<Utc>>,
}

/// The length of the `YYYYMMDD-hhmmss` time stamp an id starts with.
const STAMP_LEN: usize = "YYYYMMDD-hhmmss".len();

impl JobId {
    /// An id from its text; never fails (see the type's documentation).
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let started_at = parse_stamp(&text);
        Self { text, started_at }
    }

    /// The id as the appliance sends it.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// When the job started, for ids of the documented form.
    ///
    /// The appliance writes the time stamp in its own clock, which is UTC unless an administrator
    /// changed the appliance's time zone.
    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        self.started_at
    }

    /// The appliance's build number, for ids of the documented form.
    pub fn build(&self) -> Option<&str> {
        self.started_at.map(|_| &self.text[STAMP_LEN + 1..])
    }

    /// Whether the id has the documented `YYYYMMDD-hhmmss-<build>` form.
    pub fn is_time_stamped(&self) -> bool {
        self.started_at.is_some()
    }
}

fn parse_stamp(text: &str) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    let build = bytes.get(STAMP_LEN + 1..)?;
    let well_formed = bytes[..8].iter().all(u8::is_ascii_digit)
        && bytes[8] == b'-'
        && bytes[9..STAMP_LEN].iter().all(u8::is_ascii_digit)
        && bytes[STAMP_LEN] == b'-'
        && !build.is_empty()
        && build.iter().all(u8::is_ascii_digit);
    if !well_formed {
        return None;
    }
    // All ASCII digits where read, so each byte is one digit. Read by hand rather than with
    // `NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S")`, which gives the same results
    // (a test checks) at ten times the cost, paid on every status read.
    let number = |at: usize, len: usize| {
        bytes[at..at + len]
            .iter()
            .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
    };
    let year = i32::try_from(number(0, 4)).ok()?;
    let date = NaiveDate::from_ymd_opt(year, number(4, 2), number(6, 2))?;
    let (hour, minute, second) = (number(9, 2), number(11, 2), number(13, 2));
    // Like chrono's `%S`, second 60 is a leap second: 59 plus one second of nanoseconds.
    let time = match second {
        60 => NaiveTime::from_hms_nano_opt(hour, minute, 59, 1_000_000_000),
        _ => NaiveTime::from_hms_opt(hour, minute, second),
    }?;
    Some(date.and_time(time).and_utc())
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.text)
    }
}

impl fmt::Debug for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JobId({:?})", self.text)
    }
}

impl FromStr for JobId {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::new(s))
    }
}

impl From<String> for JobId {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for JobId {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl serde::Serialize for JobId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}
