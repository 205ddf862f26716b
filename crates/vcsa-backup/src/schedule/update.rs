//! A change to some settings of a schedule; the others keep their values.

use vcsa_backup_api::Secret;

use crate::backup::part::PartId;
use crate::backup::password::BackupPassword;
use crate::error::{Field, Problem};
use crate::schedule::{DayOfWeek, Recurrence, Retention};

/// The settings an update changes, for
/// [`Client::update_schedule`](crate::Client::update_schedule); every other setting keeps its
/// value (an update cannot unset one: see [`ScheduleDiff`](crate::ScheduleDiff)).
///
/// Built with [`ScheduleSpec::builder`](crate::ScheduleSpec::builder) and
/// [`build_update`](crate::ScheduleSpecBuilder::build_update), as the example of
/// `update_schedule` shows. `Debug` never shows the passwords.
// The one declaration of a schedule's settings, which a `ScheduleSpec` wraps too.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScheduleUpdate {
    pub(crate) location: Option<String>,
    pub(crate) location_user: Option<String>,
    pub(crate) location_password: Option<Secret>,
    pub(crate) backup_password: Option<BackupPassword>,
    /// An empty list: no optional part.
    pub(crate) parts: Option<Vec<PartId>>,
    pub(crate) enabled: Option<bool>,
    pub(crate) time: Option<(u8, u8)>,
    /// Sorted, each once; an empty list: every day.
    pub(crate) days: Option<Vec<DayOfWeek>>,
    pub(crate) retention: Option<Retention>,
    pub(crate) fast_backup: Option<bool>,
}

impl ScheduleUpdate {
    /// The time and days to send, the half not given taken from the schedule's `current` ones
    /// (the appliance replaces the time and days together).
    pub(crate) fn recurrence(
        &self,
        current: Option<&Recurrence>,
    ) -> Result<Option<Recurrence>, Problem> {
        if self.time.is_none() && self.days.is_none() {
            return Ok(None);
        }
        let (hour, minute) = self
            .time
            .or(current.map(|r| (r.hour, r.minute)))
            .ok_or_else(|| {
                Problem::new(
                    Field::Days,
                    "the schedule has no time of day yet, so days alone cannot be set; give \
                     the time too, such as 23:00",
                )
            })?;
        let days = self.days.as_deref().or(current.map(|r| &r.days[..]));
        let days = days.unwrap_or_default().to_vec();
        Ok(Some(Recurrence { hour, minute, days }))
    }
}
