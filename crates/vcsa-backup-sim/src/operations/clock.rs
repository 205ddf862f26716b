//! The appliance's clock as its time operation answers it: the simulated time, and the
//! appliance's time zone (the one schedule times are in).

use serde::Serialize;

use crate::appliance::Appliance;

/// The answer of `GET /api/appliance/system/time`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct SystemTime {
    seconds_since_epoch: f64,
    /// Like `Thu 07-31-2014`, in the appliance's time zone.
    date: String,
    /// Like `18:18:32`, in the appliance's time zone.
    time: String,
    /// The time zone's name, like `UTC` or `Europe/Berlin`.
    timezone: String,
}

impl Appliance {
    pub(crate) fn system_time(&self) -> SystemTime {
        let tz = self.lock().config.time_zone;
        let now = self.clock.utc(self.clock.now());
        let local = now.with_timezone(&tz);
        SystemTime {
            // Milliseconds are exact in a double for any date in range.
            seconds_since_epoch: now.timestamp_millis() as f64 / 1000.0,
            date: local.format("%a %m-%d-%Y").to_string(),
            time: local.format("%H:%M:%S").to_string(),
            timezone: tz.name().to_string(),
        }
    }
}
