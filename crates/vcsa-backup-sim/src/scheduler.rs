//! The appliance's own timeline: schedules firing on their recurrence, and the daily retention
//! pass at 00:00 UTC.
//!
//! Nothing runs in the background. Whenever the state is read or changed, every event due since
//! the last look is played first, in time order and at its own instant, so a test on tokio's
//! paused clock that advances a week sees each scheduled backup at its time, and a job that
//! held the appliance at that instant blocks it exactly as it would have.

use tokio::time::Instant;
use url::Url;
use vcsa_backup_api::enums::{BackupRestoreProcessState, DetailsType};
use vcsa_backup_api::types::BackupJobStatus;

use crate::appliance::{Inner, feature_in_use, unreachable_failure};
use crate::catalog::{
    self, LayoutFolder, Origin, Outcome, Pending, archive_name, folder_url, parts_held,
};
use crate::clock::Clock;
use crate::error::VapiError;
use crate::faults::Faults;
use crate::jobs::JobSpec;
use crate::parts;
use crate::password_check::PasswordCheck;
use crate::recurrence::next_utc_midnight;
use crate::validate::folder_key;

impl Inner {
    /// When the next event is due: a schedule firing or the retention pass.
    pub(crate) fn plan_next_event(&mut self) {
        let tz = self.config.time_zone;
        let after = self.synced_to;
        let firing = self
            .schedules
            .iter()
            .filter_map(|(_, s)| s.fires()?.next_after(tz, after))
            .min();
        self.next_event = [firing, next_utc_midnight(after)]
            .into_iter()
            .flatten()
            .min();
    }

    /// Plays every event due up to `now`, then turns finished backups into archives.
    pub(crate) fn catch_up(&mut self, clock: &Clock, now: Instant) {
        let now_utc = clock.utc(now);
        while let Some(at) = self.next_event.filter(|at| *at <= now_utc) {
            let instant = clock.instant_at(at);
            self.settle(instant);
            let tz = self.config.time_zone;
            let after = self.synced_to;
            let due: Vec<String> = self
                .schedules
                .iter()
                .filter(|(_, s)| s.fires().and_then(|r| r.next_after(tz, after)) == Some(at))
                .map(|(id, _)| id.clone())
                .collect();
            // At 00:00 UTC the pass runs before a schedule firing at the same instant.
            if next_utc_midnight(after) == Some(at) {
                self.retention_pass();
            }
            for id in due {
                let user = self.config.user.clone();
                // A backup holding the appliance at that instant keeps this one from starting
                // (FEATURE_IN_USE), as it would a manual one.
                let _ = self.start_scheduled(clock, &id, String::new(), &user, instant);
            }
            self.synced_to = at;
            self.plan_next_event();
        }
        // No event lies between the last one played and now, so the next one stays as planned.
        self.synced_to = self.synced_to.max(now_utc);
        self.settle(now);
    }

    /// Turns the backups whose jobs had ended by `at` into archives (or nothing, if they failed).
    fn settle(&mut self, at: Instant) {
        if !self.catalog.has_pending() {
            return;
        }
        let jobs = &self.jobs;
        let quiet = Faults::default();
        self.catalog.settle(|id| {
            let Some(job) = jobs.get(id) else {
                return Outcome::Failed;
            };
            let status = job.status(at, &quiet);
            match status.state {
                BackupRestoreProcessState::Succeeded => Outcome::Succeeded {
                    started: status.start_time,
                    completed: status.end_time.unwrap_or(status.start_time),
                },
                BackupRestoreProcessState::Failed => Outcome::Failed,
                _ => Outcome::Running,
            }
        });
    }

    /// Starts a schedule's backup into a fresh `S_` folder under its location, as its firing or
    /// the run operation does.
    pub(crate) fn start_scheduled(
        &mut self,
        clock: &Clock,
        id: &str,
        comment: String,
        user: &str,
        now: Instant,
    ) -> Result<BackupJobStatus, VapiError> {
        let schedule = self.schedules.get(id)?.clone();
        if let Some(running) = self.jobs.active(now) {
            return Err(feature_in_use(&running.id));
        }
        let location = Url::parse(schedule.location()).ok();
        let folder = location.as_ref().map(|l| self.fresh_folder(clock, l, now));
        let wait = self.faults.next_job_wait.take();
        let failure = self
            .faults
            .next_job_failure
            .take()
            .or_else(|| location.as_ref().and_then(unreachable_failure));
        let asked = schedule.parts();
        // The job reports the folder it writes, as the appliance does, so a restore can start
        // from a job's details.
        let written_to = folder.as_ref().map_or_else(
            || schedule.location().to_string(),
            |f| folder_url(schedule.location(), &f.system_name, &f.archive),
        );
        let spec = JobSpec {
            kind: DetailsType::Scheduled,
            location: written_to,
            location_user: schedule.location_user(),
            total_bytes: parts::backup_bytes(&asked),
            comment: comment.clone(),
            fast_backup: schedule.fast_backup(),
            user: user.to_string(),
        };
        let status = self.start_job(clock, spec, now, failure, wait);
        if let Some(folder) = folder {
            self.used_folders.insert(folder.key());
            let version = self.config.version.clone();
            self.catalog.begin(Pending {
                job: status.id.clone(),
                folder,
                version,
                parts: parts_held(&asked),
                comment,
                origin: Origin {
                    encryption: schedule
                        .passwords()
                        .backup_password
                        .and_then(|p| PasswordCheck::of(p.expose())),
                    schedules: self.schedules.infos(),
                },
            });
        }
        Ok(status)
    }

    /// `<location>/vCenter/sn_<system name>/S_<version>_<YYYYMMDD-hhmmss>_`, the stamp in the
    /// appliance's time zone, a second later while that folder is taken.
    fn fresh_folder(&self, clock: &Clock, location: &Url, now: Instant) -> LayoutFolder {
        let local = clock.utc(now).with_timezone(&self.config.time_zone);
        let folder_at = |second: i64| LayoutFolder {
            root: folder_key(location),
            system_name: self.config.system_name.clone(),
            archive: archive_name(
                true,
                &self.config.version,
                &(local + chrono::Duration::seconds(second))
                    .format("%Y%m%d-%H%M%S")
                    .to_string(),
            ),
        };
        (0..86_400)
            .map(folder_at)
            .find(|f| !self.used_folders.contains(&f.key()))
            .unwrap_or_else(|| folder_at(86_400))
    }

    /// Keeps each schedule's newest scheduled backups (its retention count) at its location and
    /// removes older ones; manual backups stay. Answers the archives removed.
    pub(crate) fn retention_pass(&mut self) -> Vec<String> {
        let system_name = self.config.system_name.clone();
        let plans: Vec<(String, usize)> = self
            .schedules
            .iter()
            .filter_map(|(_, s)| Some((catalog::location_key(s.location()).ok()?, s.keep?)))
            .collect();
        let mut removed = Vec::new();
        for (root, keep) in plans {
            for folder in self.catalog.prune(&root, &system_name, keep) {
                self.used_folders.remove(&folder.key());
                removed.push(folder.archive);
            }
        }
        removed
    }
}
