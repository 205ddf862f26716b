//! Backup job identifiers.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, Utc};

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
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId {
    text: String,
    // Derived from `text`, so it never disagrees with it and needs no part in comparisons.
    stamp: Option<Stamp>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Stamp {
    started_at: DateTime<Utc>,
    build_start: usize,
}

impl JobId {
    /// An id from its text; never fails (see the type's documentation).
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let stamp = parse_stamp(&text);
        Self { text, stamp }
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
        self.stamp.map(|s| s.started_at)
    }

    /// The appliance's build number, for ids of the documented form.
    pub fn build(&self) -> Option<&str> {
        self.stamp.map(|s| &self.text[s.build_start..])
    }

    /// Whether the id has the documented `YYYYMMDD-hhmmss-<build>` form.
    pub fn is_time_stamped(&self) -> bool {
        self.stamp.is_some()
    }
}

fn parse_stamp(text: &str) -> Option<Stamp> {
    const STAMP_LEN: usize = "YYYYMMDD-hhmmss".len();
    let stamp = text.get(..STAMP_LEN)?;
    // Byte offsets below are only character offsets for ASCII.
    if !stamp.is_ascii() {
        return None;
    }
    let build = text.get(STAMP_LEN + 1..)?;
    let digits_at =
        |range: std::ops::Range<usize>| stamp[range].bytes().all(|b| b.is_ascii_digit());
    let well_formed = digits_at(0..8)
        && stamp.as_bytes()[8] == b'-'
        && digits_at(9..15)
        && text.as_bytes()[STAMP_LEN] == b'-'
        && !build.is_empty()
        && build.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return None;
    }
    let started = NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?;
    Some(Stamp {
        started_at: started.and_utc(),
        build_start: STAMP_LEN + 1,
    })
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

impl AsRef<str> for JobId {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl serde::Serialize for JobId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for JobId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn documented_form_exposes_time_and_build() {
        let id = JobId::new("20180531-155107-8217864");
        assert!(id.is_time_stamped());
        assert_eq!(
            id.started_at(),
            Some("2018-05-31T15:51:07Z".parse::<DateTime<Utc>>().unwrap())
        );
        assert_eq!(id.build(), Some("8217864"));
    }

    #[test]
    fn near_misses_stay_opaque() {
        for text in [
            "",
            "20180531-155107",
            "20180531-155107-",
            "20180531-155107-82a",
            "20181331-155107-1",  // month 13
            "20180531-256107-1",  // hour 25
            "20180531_155107-1",  // wrong separator
            "2018053-1155107-1",  // misplaced dash
            "２0180531-155107-1", // a non-ASCII digit: must not panic on byte offsets
            "job-42",
        ] {
            let id = JobId::new(text);
            assert!(!id.is_time_stamped(), "{text}");
            assert_eq!(id.build(), None);
            assert_eq!(id.as_str(), text);
        }
    }

    #[test]
    fn orders_by_start_time_for_the_documented_form() {
        let mut ids: Vec<JobId> = [
            "20240102-000000-1",
            "20231231-235959-9",
            "20240101-120000-5",
        ]
        .into_iter()
        .map(JobId::new)
        .collect();
        ids.sort();
        let times: Vec<_> = ids.iter().map(|i| i.started_at().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn serde_as_a_string() {
        let id: JobId = serde_json::from_str("\"20180531-155107-8217864\"").unwrap();
        assert_eq!(id.build(), Some("8217864"));
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"20180531-155107-8217864\""
        );
    }

    proptest! {
        #[test]
        fn any_text_round_trips(text in any::<String>()) {
            let id: JobId = text.parse().unwrap();
            prop_assert_eq!(id.to_string(), text.clone());
            prop_assert_eq!(JobId::new(id.as_str()), id);
        }

        #[test]
        fn generated_stamps_parse(
            y in 1970i32..2200, mo in 1u32..=12, d in 1u32..=28, h in 0u32..24, mi in 0u32..60,
            s in 0u32..60, build in "[0-9]{1,10}",
        ) {
            let text = format!("{y:04}{mo:02}{d:02}-{h:02}{mi:02}{s:02}-{build}");
            let id = JobId::new(text);
            let expected = chrono::NaiveDate::from_ymd_opt(y, mo, d).unwrap()
                .and_hms_opt(h, mi, s).unwrap().and_utc();
            prop_assert_eq!(id.started_at(), Some(expected));
            prop_assert_eq!(id.build(), Some(build.as_str()));
        }
    }
}
