//! Sizes, durations and times in the units a person reads at a glance, and facts as aligned
//! `Field  value` lines.

use std::time::Duration;

use chrono::{DateTime, Utc};
use vcsa_backup::ApplianceTime;
use vcsa_backup::wait::HumanDuration;

/// Bytes in binary units: `512 B`, `1.5 KiB`, `3.2 GiB`.
pub fn size(bytes: u64) -> String {
    bytesize::ByteSize::b(bytes).display().iec().to_string()
}

/// A duration rounded to the nearest second, in the SDK's words: `0s`, `45s`, `1m 30s`,
/// `2h 5m`.
pub fn duration(d: Duration) -> String {
    let seconds = d.as_secs() + u64::from(d.subsec_millis() >= 500);
    match seconds {
        0 => "0s".into(),
        _ => HumanDuration(Duration::from_secs(seconds)).to_string(),
    }
}

/// A span of whole seconds as the appliance reports it; a negative span (clock skew) shows as 0s.
pub fn seconds(seconds: i64) -> String {
    duration(Duration::from_secs(u64::try_from(seconds).unwrap_or(0)))
}

/// A point in time, in UTC to the second: `2025-01-31 02:00:07 UTC`.
pub fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// The time zone job times are shown in: the appliance's, named (by default), or UTC.
pub enum Zone {
    /// UTC (`--utc`, or when the appliance's clock could not be read).
    Utc,
    /// The appliance's time zone, as its clock reads it.
    Appliance(ApplianceTime),
}

impl Zone {
    /// `t` to the second with its zone named: `2025-01-31 03:00:07 Europe/Berlin`, or UTC when
    /// the appliance's zone cannot be told.
    pub fn time(&self, t: DateTime<Utc>) -> String {
        match self {
            Self::Appliance(clock) if clock.time_zone != "UTC" => match clock.to_local(t) {
                Some(local) => format!("{} {}", local.format("%Y-%m-%d %H:%M:%S"), clock.time_zone),
                None => time(t),
            },
            _ => time(t),
        }
    }
}

/// `Field   value` lines, values aligned.
pub fn fields(pairs: &[(&str, String)]) -> String {
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    pairs
        .iter()
        .map(|(k, v)| format!("{k:<width$}  {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_use_binary_units() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(1023), "1023 B");
        assert_eq!(size(1536), "1.5 KiB");
        assert_eq!(size(3 * 1024 * 1024 * 1024 + 200 * 1024 * 1024), "3.2 GiB");
    }

    #[test]
    fn durations_round_to_the_nearest_second() {
        assert_eq!(duration(Duration::from_millis(499)), "0s");
        assert_eq!(duration(Duration::from_millis(1900)), "2s");
        assert_eq!(duration(Duration::from_millis(90_400)), "1m 30s");
        assert_eq!(seconds(7503), "2h 5m");
        assert_eq!(seconds(-4), "0s");
    }

    #[test]
    fn times_are_in_the_appliance_zone_with_its_name() {
        let clock = ApplianceTime::new(
            "2025-01-31T12:00:00Z".parse().unwrap(),
            "Asia/Tokyo",
            "Fri 01-31-2025",
            "21:00:00",
        );
        let t = "2025-01-31T02:00:07Z".parse().unwrap();
        assert_eq!(
            Zone::Appliance(clock).time(t),
            "2025-01-31 11:00:07 Asia/Tokyo"
        );
        assert_eq!(Zone::Utc.time(t), "2025-01-31 02:00:07 UTC");
    }

    #[test]
    fn times_are_utc_to_the_second() {
        let t = DateTime::parse_from_rfc3339("2025-01-31T02:00:07.651Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(time(t), "2025-01-31 02:00:07 UTC");
    }
}
