//! A change to some settings of a schedule; the others keep their values.

use vcsa_backup_api::Secret;

use crate::backup::part::PartId;
use crate::backup::password::BackupPassword;
use crate::schedule::{DayOfWeek, Retention};

/// The settings an update changes, for
/// [`Client::update_schedule`](crate::Client::update_schedule); every other setting of the
/// schedule keeps its value (the appliance cannot unset one: delete the schedule and create it
/// again for that, or let [`Client::apply_schedule`](crate::Client::apply_schedule) do it).
///
/// Built with [`ScheduleSpec::builder`](crate::ScheduleSpec::builder) and
/// [`build_update`](crate::ScheduleSpecBuilder::build_update). `Debug` never shows the
/// passwords.
///
/// ```
/// use vcsa_backup::{DayOfWeek, ScheduleSpec};
///
/// // Run at 01:30 and keep 14 backups; everything else stays as it is.
/// let update = ScheduleSpec::builder().at(1, 30).keep(14).build_update()?;
/// assert_eq!(update.time(), Some((1, 30)));
/// assert_eq!(update.days(), None); // the schedule's days are kept
///
/// // Nothing to change is refused, before anything is sent.
/// assert!(ScheduleSpec::builder().build_update().is_err());
/// # Ok::<(), vcsa_backup::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleUpdate {
    pub(crate) location: Option<String>,
    pub(crate) location_user: Option<String>,
    pub(crate) location_password: Option<Secret>,
    pub(crate) backup_password: Option<BackupPassword>,
    pub(crate) parts: Option<Vec<PartId>>,
    pub(crate) enabled: Option<bool>,
    pub(crate) time: Option<(u8, u8)>,
    pub(crate) days: Option<Vec<DayOfWeek>>,
    pub(crate) retention: Option<Retention>,
    pub(crate) fast_backup: Option<bool>,
}

impl ScheduleUpdate {
    /// The new root of the backup location.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// The new user name for the location.
    pub fn location_user(&self) -> Option<&str> {
        self.location_user.as_deref()
    }

    /// The new optional parts (an empty list: none).
    pub fn parts(&self) -> Option<&[PartId]> {
        self.parts.as_deref()
    }

    /// Whether the schedule is to be enabled or disabled.
    pub fn enabled(&self) -> Option<bool> {
        self.enabled
    }

    /// The new time of day, as hour and minute.
    pub fn time(&self) -> Option<(u8, u8)> {
        self.time
    }

    /// The new days (an empty list: every day).
    pub fn days(&self) -> Option<&[DayOfWeek]> {
        self.days.as_deref()
    }

    /// The new retention.
    pub fn retention(&self) -> Option<Retention> {
        self.retention
    }

    /// The new fast backup setting.
    pub fn fast_backup(&self) -> Option<bool> {
        self.fast_backup
    }

    /// Whether the time or the days change but not both, so the other half must be read from
    /// the schedule first (the appliance replaces the time and days together).
    pub(crate) fn needs_current_recurrence(&self) -> bool {
        self.time.is_some() != self.days.is_some()
    }
}
