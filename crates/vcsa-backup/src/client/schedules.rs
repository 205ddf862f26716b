//! The schedule operations, the part sizes and the appliance's clock.

use std::collections::BTreeMap;

use futures_util::future::try_join_all;

use crate::backup::part::{PartId, check_parts};
use crate::client::Client;
use crate::error::Error;
use crate::schedule::{
    ApplianceTime, ApplyOptions, BlockReason, Schedule, ScheduleAction, ScheduleDiff, ScheduleSpec,
    ScheduleUpdate,
};
use crate::segment::IdKind;
use crate::wire::schedule_twins::{
    self as convert, CreateSchedule, DeleteSchedule, GetApplianceTime, GetPartSize, GetSchedule,
    ListSchedules, UpdateSchedule,
};

impl Client {
    /// The estimated size of one part of a backup, in bytes (the appliance answers in
    /// megabytes of 1,048,576 bytes).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// let bytes = client.get_part_size(&vcsa_backup::PartId::SEAT).await?;
    /// println!("seat: about {} MiB", bytes >> 20);
    /// for (part, bytes) in client.list_part_sizes().await? {
    ///     println!("{part:<12} about {} MiB", bytes >> 20);
    /// }
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: the part id is not a word (nothing is sent).
    /// - [`Error::NotFound`]: the appliance has no such part, or no estimates (before 6.7).
    /// - The [errors of every call](crate::Client#errors-of-every-call).
    pub async fn get_part_size(&self, part: &PartId) -> Result<u64, Error> {
        let mut problems = Vec::new();
        check_parts(std::slice::from_ref(part), &mut problems);
        if !problems.is_empty() {
            return Err(Error::problems_found(problems));
        }
        let size = self.call(&GetPartSize(part.as_str())).await?.0;
        u64::try_from(size)
            .ok()
            .and_then(|mb| mb.checked_mul(1 << 20))
            .ok_or_else(|| {
                Error::malformed(format!("the size of part {part} is not a size ({size} MB)"))
            })
    }

    /// The estimated size in bytes of every part [`list_parts`](Self::list_parts) lists, read
    /// at the same time. A part without an estimate (every part before 6.7) is left out.
    /// Example: under [`get_part_size`](Self::get_part_size).
    ///
    /// # Errors
    ///
    /// Those of [`list_parts`](Self::list_parts) and [`get_part_size`](Self::get_part_size)
    /// but [`Error::NotFound`].
    pub async fn list_part_sizes(&self) -> Result<BTreeMap<PartId, u64>, Error> {
        let parts = self.list_parts().await?;
        let sizes = parts.iter().map(|part| async move {
            let bytes = Error::unless_not_found(self.get_part_size(&part.id).await)?;
            Ok::<_, Error>(bytes.map(|bytes| (part.id.clone(), bytes)))
        });
        Ok(try_join_all(sizes).await?.into_iter().flatten().collect())
    }

    /// Every backup schedule of the appliance, by id (usually just `default`).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// let time = client.get_appliance_time().await?;
    /// for schedule in client.list_schedules().await? {
    ///     let next = schedule.recurrence.as_ref().and_then(|r| time.next_run(r));
    ///     println!("{schedule}; next run: {next:?}");
    /// }
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// Only the [errors of every call](crate::Client#errors-of-every-call).
    pub async fn list_schedules(&self) -> Result<Vec<Schedule>, Error> {
        let schedules = self.call(&ListSchedules).await?.0;
        schedules
            .into_iter()
            .map(|(id, info)| convert::schedule(id, info).map_err(Error::malformed))
            .collect()
    }

    /// One backup schedule. The passwords are never returned.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// use vcsa_backup::Error;
    ///
    /// let schedule = client.get_schedule("default").await?;
    /// println!("{schedule}");
    /// assert!(matches!(client.get_schedule("weekly").await, Err(Error::NotFound(_))));
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: the id is empty or holds `/`, `?`, `#`, `%` or spaces
    ///   (nothing is sent).
    /// - [`Error::NotFound`]: no schedule has this id.
    /// - The [errors of every call](crate::Client#errors-of-every-call).
    pub async fn get_schedule(&self, schedule: &str) -> Result<Schedule, Error> {
        IdKind::Schedule.check(schedule)?;
        let info = self.call(&GetSchedule(schedule)).await?;
        convert::schedule(schedule.to_string(), info).map_err(Error::malformed)
    }

    /// Creates a backup schedule with every setting of `spec`, passwords included. Never
    /// repeated by the client.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// use vcsa_backup::{DayOfWeek, ScheduleSpec, Secret};
    ///
    /// let spec = ScheduleSpec::builder()
    ///     .location("sftp://nas.example.com/backups")
    ///     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    ///     .backup_password(Secret::new("Backup-2024!"))
    ///     .at(23, 0)
    ///     .days([DayOfWeek::Saturday])
    ///     .keep(4)
    ///     .build()?;
    /// // An appliance keeps one schedule, `default`: this one replaces it.
    /// client.delete_schedule("default").await?;
    /// client.create_schedule("default", &spec).await?;
    /// assert_eq!(client.get_schedule("default").await?.retention.unwrap().max_count, 4);
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: the id cannot be one (nothing is sent), or the appliance
    ///   refused the spec.
    /// - [`Error::Server`] with [`ServerErrorType::AlreadyExists`](crate::ServerErrorType::AlreadyExists):
    ///   a schedule has this id, or the appliance already has its one schedule (`default`, as
    ///   its interface manages one); update it instead, or use
    ///   [`apply_schedule`](Self::apply_schedule).
    /// - The [errors of every call](crate::Client#errors-of-every-call).
    pub async fn create_schedule(&self, schedule: &str, spec: &ScheduleSpec) -> Result<(), Error> {
        IdKind::Schedule.check(schedule)?;
        self.call(&CreateSchedule {
            schedule,
            spec: convert::create_spec(spec),
        })
        .await
    }

    /// Changes the settings `update` gives; the others keep their values. When it gives the
    /// time but not the days, or the days but not the time, the schedule is read first and the
    /// other half kept (the appliance sets them together). Never repeated by the client.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// use vcsa_backup::ScheduleSpec;
    ///
    /// let update = ScheduleSpec::builder().at(1, 30).keep(14).build_update()?;
    /// client.update_schedule("default", &update).await?;
    /// let schedule = client.get_schedule("default").await?;
    /// assert_eq!(schedule.recurrence.unwrap().to_string(), "every day at 01:30");
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: the id cannot be one, or days are given for a schedule
    ///   without a time (nothing is sent); or the appliance refused the update.
    /// - [`Error::NotFound`]: no schedule has this id.
    /// - The [errors of every call](crate::Client#errors-of-every-call).
    pub async fn update_schedule(
        &self,
        schedule: &str,
        update: &ScheduleUpdate,
    ) -> Result<(), Error> {
        IdKind::Schedule.check(schedule)?;
        // Only the time or only the days: the other half is read first.
        let current = if update.time.is_some() != update.days.is_some() {
            self.get_schedule(schedule).await?.recurrence
        } else {
            None
        };
        let recurrence = update
            .recurrence(current.as_ref())
            .map_err(|problem| Error::problems_found(vec![problem]))?;
        let spec = convert::update_spec(update, recurrence.as_ref());
        self.call(&UpdateSchedule { schedule, spec }).await
    }

    /// Deletes a backup schedule; its backups stay where they are. Never repeated by the client.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// use vcsa_backup::Error;
    ///
    /// client.delete_schedule("default").await?;
    /// assert!(matches!(client.delete_schedule("default").await, Err(Error::NotFound(_))));
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: the id cannot be one (nothing is sent).
    /// - [`Error::NotFound`]: no schedule has this id.
    /// - The [errors of every call](crate::Client#errors-of-every-call).
    pub async fn delete_schedule(&self, schedule: &str) -> Result<(), Error> {
        IdKind::Schedule.check(schedule)?;
        self.call(&DeleteSchedule(schedule)).await
    }

    /// Makes the schedule `schedule` match `spec`: reads it, creates it when it does not exist,
    /// otherwise updates only the settings that differ, and returns what changed (see
    /// [`ScheduleDiff`] for how values are compared and when passwords are sent). Applying the
    /// same spec again changes nothing. With [`ApplyOptions::dry_run`], only reads.
    ///
    /// A spec that removes a setting is reached only by deleting the schedule and creating it
    /// again ([`ApplyOptions::allow_recreate`]): its backups stay; if the creation then fails,
    /// the schedule stays deleted and applying again creates it.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// use vcsa_backup::{ApplyOptions, ScheduleAction, ScheduleSpec, Secret};
    ///
    /// let spec = ScheduleSpec::builder()
    ///     .location("sftp://nas.example.com/backups")
    ///     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    ///     .backup_password(Secret::new("Backup-2024!"))
    ///     .at(23, 0)
    ///     .keep(7)
    ///     .build()?;
    /// let diff = client.apply_schedule("default", &spec, &ApplyOptions::new()).await?;
    /// assert_eq!(diff.action(), &ScheduleAction::Update);
    /// println!("{diff}");
    ///
    /// let again = client.apply_schedule("default", &spec, &ApplyOptions::new()).await?;
    /// assert!(again.is_unchanged());
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: the id cannot be one; the spec cannot be reached without
    ///   recreating the schedule, or recreating needs the location's password (each reason is a
    ///   [`Problem`](crate::Problem), and a dry run shows the whole diff); or the appliance refused a change.
    /// - The [errors of every call](crate::Client#errors-of-every-call).
    pub async fn apply_schedule(
        &self,
        schedule: &str,
        spec: &ScheduleSpec,
        options: &ApplyOptions,
    ) -> Result<ScheduleDiff, Error> {
        IdKind::Schedule.check(schedule)?;
        let current = Error::unless_not_found(self.get_schedule(schedule).await)?;
        let diff = ScheduleDiff::between(schedule, current.as_ref(), spec, *options);
        if options.dry_run {
            return Ok(diff);
        }
        match diff.action() {
            ScheduleAction::Unchanged => return Ok(diff),
            ScheduleAction::Blocked(blockers) => {
                let problems = blockers.iter().map(BlockReason::problem).collect();
                return Err(Error::problems_found(problems));
            }
            ScheduleAction::Create => self.create_schedule(schedule, spec).await?,
            ScheduleAction::Update => self.update_schedule(schedule, &diff.update(spec)).await?,
            ScheduleAction::Recreate => {
                self.delete_schedule(schedule).await?;
                if let Err(e) = self.create_schedule(schedule, spec).await {
                    tracing::warn!(
                        schedule,
                        "the schedule was deleted to be created again, and creating it failed"
                    );
                    return Err(e);
                }
            }
        }
        Ok(diff.mark_applied())
    }

    /// The appliance's clock and time zone. Schedule times are in that time zone.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// let time = client.get_appliance_time().await?;
    /// println!("the appliance's clock: {} ({}), {} {}", time.now, time.time_zone, time.date, time.time);
    /// let drift = chrono::Utc::now() - time.now;
    /// println!("this machine's clock is {} s ahead", drift.num_seconds());
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// Only the [errors of every call](crate::Client#errors-of-every-call).
    pub async fn get_appliance_time(&self) -> Result<ApplianceTime, Error> {
        let time = self.call(&GetApplianceTime).await?;
        convert::appliance_time(time).map_err(Error::malformed)
    }
}
