//! Fleet-wide schedules: each appliance's schedule made to match a spec.

use crate::fleet::{Appliance, ApplianceResult, Fleet};
use crate::schedule::{ApplyOptions, ScheduleDiff, ScheduleSpec};

impl Fleet {
    /// Makes each appliance's schedule (the one [`Appliance::schedule`] names) match the spec
    /// `desired` gives for it, as [`Client::apply_schedule`](crate::Client::apply_schedule)
    /// does for one appliance. Each appliance within the fleet's time limit; results in the
    /// appliances' order.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run_fleet(2, async |servers| {
    /// use vcsa_backup::fleet::{Appliance, Fleet};
    /// use vcsa_backup::{ApplyOptions, ScheduleSpec, Secret};
    ///
    /// let password = Secret::new(std::env::var("VCSA_PASSWORD")?);
    /// let fleet = Fleet::new(servers.iter().enumerate().map(|(i, server)| {
    ///     Appliance::new(format!("vc-{i}"), server, "administrator@vsphere.local", password.clone())
    /// }))?;
    /// let nightly = ScheduleSpec::builder()
    ///     .location("sftp://nas.example.com/backups/vcsa")
    ///     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    ///     .at(23, 0)
    ///     .keep(7)
    ///     .build()?;
    /// // What would change, then the change, then nothing left to change.
    /// let plan = fleet.apply_schedules(|_| &nightly, &ApplyOptions::new().dry_run(true)).await;
    /// assert!(plan.iter().all(|r| r.outcome.as_ref().is_ok_and(|d| !d.is_applied())));
    /// let done = fleet.apply_schedules(|_| &nightly, &ApplyOptions::new()).await;
    /// assert!(done.iter().all(|r| r.outcome.as_ref().is_ok_and(|d| d.is_applied())), "{done:?}");
    /// let again = fleet.apply_schedules(|_| &nightly, &ApplyOptions::new().dry_run(true)).await;
    /// assert!(again.iter().all(|r| r.outcome.as_ref().is_ok_and(|d| d.is_unchanged())), "{again:?}");
    /// # Ok(()) })
    /// ```
    pub async fn apply_schedules<'s>(
        &self,
        desired: impl Fn(&Appliance) -> &'s ScheduleSpec,
        options: &ApplyOptions,
    ) -> Vec<ApplianceResult<ScheduleDiff>> {
        self.on_each(self.time_limit, |client, appliance| {
            let (id, spec) = (appliance.schedule.clone(), desired(appliance));
            async move { client.apply_schedule(&id, spec, options).await }
        })
        .await
    }
}
