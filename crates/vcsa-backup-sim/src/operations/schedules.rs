//! The appliance's schedule operations: list, get, create, update and delete, each replanning
//! the next firing.

use crate::appliance::Appliance;
use crate::error::VapiError;
use crate::schedules::{Schedule, ScheduleInfo, SchedulePasswords, ScheduleSpec, UpdateSpec};

impl Appliance {
    /// Every schedule with its settings, by id.
    pub(crate) fn list_schedules(&self) -> Vec<(String, ScheduleInfo)> {
        self.lock()
            .schedules
            .iter()
            .map(|(id, s)| (id.clone(), s.info()))
            .collect()
    }

    pub(crate) fn get_schedule(&self, id: &str) -> Result<ScheduleInfo, VapiError> {
        self.lock().schedules.get(id).map(Schedule::info)
    }

    pub(crate) fn create_schedule(&self, id: &str, spec: ScheduleSpec) -> Result<(), VapiError> {
        let mut inner = self.lock();
        inner.schedules.create(id, spec)?;
        inner.plan_next_event();
        Ok(())
    }

    pub(crate) fn update_schedule(&self, id: &str, change: UpdateSpec) -> Result<(), VapiError> {
        let mut inner = self.lock();
        inner.schedules.update(id, change)?;
        inner.plan_next_event();
        Ok(())
    }

    pub(crate) fn delete_schedule(&self, id: &str) -> Result<(), VapiError> {
        let mut inner = self.lock();
        inner.schedules.delete(id)?;
        inner.plan_next_event();
        Ok(())
    }

    pub(crate) fn schedule_passwords(&self, id: &str) -> Option<SchedulePasswords> {
        self.lock().schedules.get(id).ok().map(Schedule::passwords)
    }
}
