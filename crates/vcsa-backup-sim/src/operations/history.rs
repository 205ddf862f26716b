//! The seeded history: finished jobs placed before every other, one per due run of the
//! `default` schedule going back from the appliance's clock (in its time zone), each with its
//! backup in the appliance's layout at the schedule's location, where the catalog lists it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use vcsa_backup_api::enums::DetailsType;

use crate::appliance::{Appliance, Inner};
use crate::catalog::{Archive, FolderNaming, LayoutFolder, Origin, location_key, parts_held};
use crate::history::{HistoryShape, SeededOutcome};
use crate::jobs::{JobSpec, Seed};
use crate::limits::{MAX_HISTORY, MAX_SEEDED_ARCHIVES};
use crate::parts;
use crate::recurrence::Recurrence;
use crate::schedules::DEFAULT_SCHEDULE;

/// How long each seeded backup took.
const TOOK: Duration = Duration::from_secs(14 * 60 + 7);

impl Appliance {
    /// Adds `count` finished scheduled jobs before every other, shaped as `shape` says; refused
    /// when the history would then hold more than [`MAX_HISTORY`] jobs.
    pub(crate) fn seed_history(&self, count: usize, shape: HistoryShape) -> Result<(), String> {
        let mut inner = self.lock();
        let held = inner.jobs.len();
        let room = MAX_HISTORY.saturating_sub(held);
        if count > room {
            return Err(format!(
                "The history holds {held} jobs and keeps at most {MAX_HISTORY}: {count} more do not fit. Ask for at most {room}, or restart the simulator for an empty history."
            ));
        }
        let now = self.clock.now();
        let before = inner
            .jobs
            .oldest_start()
            .unwrap_or_else(|| self.clock.utc(now));
        let zone = inner.config.time_zone;
        let schedule = inner.schedules.get(DEFAULT_SCHEDULE).ok().cloned();
        let missed = usize::try_from(shape.missed_runs).unwrap_or(usize::MAX);
        let starts = due_runs(
            schedule.as_ref().and_then(|s| s.fires()),
            zone,
            before,
            count.saturating_add(missed),
        );
        let kept = starts.len().saturating_sub(missed);
        let runs = ended_as(&starts[..kept], shape.newest);
        let location = schedule.as_ref().map(|s| s.location().to_string());
        let asked = schedule.as_ref().map(|s| s.parts()).unwrap_or_default();
        let naming = FolderNaming {
            system_name: inner.config.system_name.clone(),
            version: inner.config.version.clone(),
            zone,
        };
        let root = location.as_deref().and_then(|l| location_key(l).ok());
        let spec = JobSpec {
            kind: DetailsType::Scheduled,
            location: location.unwrap_or_default(),
            location_user: schedule
                .as_ref()
                .map(|s| s.location_user())
                .unwrap_or_default(),
            total_bytes: parts::backup_bytes(&asked),
            comment: String::new(),
            fast_backup: schedule.as_ref().and_then(|s| s.fast_backup()),
            user: inner.config.user.clone(),
        };
        let seed = Seed {
            spec,
            layout: root.is_some().then(|| naming.clone()),
            took: TOOK,
        };
        let build = inner.config.build.clone();
        inner.jobs.seed_history(&runs, seed, now, &build);
        if let Some(root) = root {
            inner.place_archives(&root, &naming, &runs, &asked);
        }
        Ok(())
    }
}

impl Inner {
    /// The backups of the seeded jobs that succeeded, in the layout at `root`: those of the
    /// newest [`MAX_SEEDED_ARCHIVES`] jobs.
    fn place_archives(
        &mut self,
        root: &str,
        naming: &FolderNaming,
        runs: &[(DateTime<Utc>, SeededOutcome)],
        asked: &[String],
    ) {
        let newest = &runs[runs.len().saturating_sub(MAX_SEEDED_ARCHIVES)..];
        for (started, outcome) in newest {
            let folder = LayoutFolder {
                root: root.to_string(),
                system_name: naming.system_name.clone(),
                archive: naming.scheduled_archive(*started),
            };
            if *outcome != SeededOutcome::Succeeded || self.catalog.contains(&folder) {
                continue;
            }
            self.used_folders.insert(folder.key());
            let archive = Archive {
                started: *started,
                completed: *started + TOOK,
                version: naming.version.clone(),
                parts: parts_held(asked),
                comment: String::new(),
                origin: Origin::default(),
            };
            self.catalog.insert(&folder, archive);
        }
    }
}

/// Each start with how its job ended: the newest as `newest` says, the others succeeded.
fn ended_as(
    starts: &[DateTime<Utc>],
    newest: SeededOutcome,
) -> Vec<(DateTime<Utc>, SeededOutcome)> {
    starts
        .iter()
        .enumerate()
        .map(|(i, at)| {
            let outcome = if i + 1 == starts.len() {
                newest
            } else {
                SeededOutcome::Succeeded
            };
            (*at, outcome)
        })
        .collect()
}

/// The starts of `count` runs before `before`, oldest first: the due runs of `recurrence` that
/// had ended by then (a run too recent to be over is not seeded), or one an hour without one
/// (a schedule that is gone, disabled or run only when asked).
fn due_runs(
    recurrence: Option<&Recurrence>,
    zone: Tz,
    before: DateTime<Utc>,
    count: usize,
) -> Vec<DateTime<Utc>> {
    let mut runs = Vec::with_capacity(count.min(MAX_HISTORY));
    let mut at = before;
    while runs.len() < count {
        let previous = match recurrence {
            Some(r) => r.last_before(zone, at - TOOK),
            None => at.checked_sub_signed(chrono::Duration::hours(1)),
        };
        let Some(previous) = previous else { break };
        runs.push(previous);
        at = previous;
    }
    runs.reverse();
    runs
}
