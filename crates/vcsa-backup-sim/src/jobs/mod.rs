//! Backup jobs: how a job advances over simulated time, and the history of jobs.

mod view;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;
use vcsa_backup_api::enums::DetailsType;

use crate::catalog::{FolderNaming, folder_url};
use crate::clock::Clock;
use crate::history::SeededOutcome;
use crate::plan::{JobFailure, RunPlan};

/// What a job was asked to do, fixed when it is requested.
#[derive(Clone, Debug)]
pub(crate) struct JobSpec {
    pub(crate) kind: DetailsType,
    pub(crate) location: String,
    pub(crate) location_user: String,
    pub(crate) comment: String,
    pub(crate) fast_backup: Option<bool>,
    pub(crate) user: String,
    pub(crate) total_bytes: i64,
}

/// What every job of a seeded history shares.
pub(crate) struct Seed {
    pub(crate) spec: JobSpec,
    /// How a seeded scheduled job's folder is named; `None`: it reports the spec's location.
    pub(crate) layout: Option<FolderNaming>,
    /// How long each took.
    pub(crate) took: Duration,
}

/// One backup job. Its state is never stored: it is computed from the clock when asked.
///
/// Its life on the clock: requested at `created`, PENDING until `began()`, BLOCKED until
/// `runs_from()`, RUNNING along `plan.curve`, then ended (unless a failure or a cancel ends it
/// sooner).
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) id: String,
    /// Shared by every job of a seeded history, so a long history stays small.
    pub(crate) spec: Arc<JobSpec>,
    /// Its place in the history: larger is newer (seeded jobs go before every other).
    seq: i64,
    created: Instant,
    created_utc: DateTime<Utc>,
    plan: RunPlan,
    cancelled_at: Option<Instant>,
    /// Time a job of the seeded history took before the simulator started; zero for live jobs,
    /// whose whole run happens on the simulator's clock.
    recorded: Duration,
    /// For a seeded scheduled job: how its folder under the spec's location is named (shared
    /// by the whole seeded history).
    layout: Option<Arc<FolderNaming>>,
}

/// Where a job stands at one instant.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Phase {
    /// Queued, not started.
    Pending,
    /// Started, waiting for the appliance before it runs.
    Blocked,
    Running {
        progress: i64,
    },
    Succeeded {
        ended: Instant,
    },
    Failed {
        ended: Instant,
        progress: i64,
        cancelled: bool,
    },
}

impl Phase {
    /// Not ended yet: pending, blocked or running. Such a job holds the appliance.
    pub(crate) fn is_active(&self) -> bool {
        matches!(
            self,
            Phase::Pending | Phase::Blocked | Phase::Running { .. }
        )
    }

    /// When the job ended, if it has.
    pub(crate) fn ended(&self) -> Option<Instant> {
        match self {
            Phase::Succeeded { ended } | Phase::Failed { ended, .. } => Some(*ended),
            _ => None,
        }
    }
}

impl Job {
    /// When the job leaves PENDING (its start time).
    fn began(&self) -> Instant {
        self.created + self.plan.pending
    }

    /// When the job leaves BLOCKED and progress starts counting.
    fn runs_from(&self) -> Instant {
        self.began() + self.plan.blocked
    }

    /// Progress (0..=100) reached `elapsed` after running began.
    fn progress_after(&self, elapsed: Duration) -> i64 {
        i64::from(self.plan.curve.percent_after(elapsed))
    }

    /// When a planned failure strikes: the moment progress first reaches its percentage, or
    /// the end of the run where the curve never gets there.
    fn failure_at(&self) -> Option<(Instant, i64)> {
        let failure = self.plan.failure.as_ref()?;
        let pct = failure.clamped_percent();
        let (after, progress) = match self.plan.curve.first_reaching(pct) {
            Some(after) => (after, i64::from(pct)),
            None => {
                let end = self.plan.curve.duration();
                (end, self.progress_after(end))
            }
        };
        // Curves last at most MAX_JOB_DURATION, so the sum cannot overflow.
        Some((self.runs_from() + after, progress))
    }

    pub(crate) fn phase(&self, now: Instant) -> Phase {
        let done_at = self.runs_from() + self.plan.curve.duration();
        let mut end: (Instant, Phase) = (done_at, Phase::Succeeded { ended: done_at });
        if let Some((at, progress)) = self.failure_at() {
            end = (
                at,
                Phase::Failed {
                    ended: at,
                    progress,
                    cancelled: false,
                },
            );
        }
        // A seeded job canceled at its start ends canceled; a live job is canceled only while
        // active, so before its end.
        if let Some(at) = self.cancelled_at
            && at <= end.0
        {
            let progress = if at < self.runs_from() {
                0
            } else {
                self.progress_after(at.saturating_duration_since(self.runs_from()))
            };
            end = (
                at,
                Phase::Failed {
                    ended: at,
                    progress,
                    cancelled: true,
                },
            );
        }
        if now >= end.0 {
            end.1
        } else if now < self.began() {
            Phase::Pending
        } else if now < self.runs_from() {
            Phase::Blocked
        } else {
            Phase::Running {
                progress: self.progress_after(now.saturating_duration_since(self.runs_from())),
            }
        }
    }

    /// Where the job writes: its spec's location, or for a seeded scheduled job its own
    /// folder in the appliance's layout there.
    pub(crate) fn location(&self) -> String {
        match &self.layout {
            Some(naming) => folder_url(
                &self.spec.location,
                &naming.system_name,
                &naming.scheduled_archive(self.created_utc),
            ),
            None => self.spec.location.clone(),
        }
    }

    /// Wall-clock time of an instant of this job's life.
    fn utc_at(&self, at: Instant) -> DateTime<Utc> {
        let offset = at.saturating_duration_since(self.created);
        self.created_utc + chrono::Duration::from_std(offset).unwrap_or(chrono::Duration::zero())
    }

    /// When the job started: when it left PENDING, or ended if it was cancelled before that.
    fn start_instant(&self, phase: &Phase) -> Instant {
        match phase.ended() {
            Some(ended) => ended.min(self.began()),
            None => self.began(),
        }
    }

    /// Wall-clock start time (see [`Self::start_instant`]).
    fn start_utc(&self, phase: &Phase) -> DateTime<Utc> {
        self.utc_at(self.start_instant(phase))
    }

    /// Wall-clock end time; seeded jobs end `recorded` after their start.
    fn end_utc(&self, ended: Instant) -> DateTime<Utc> {
        self.utc_at(ended) + chrono::Duration::from_std(self.recorded).unwrap_or_default()
    }

    /// Seconds from the start until the end, or until `now` while the job is active.
    fn duration_secs(&self, phase: &Phase, now: Instant) -> i64 {
        let until = phase.ended().unwrap_or(now);
        let took = until.saturating_duration_since(self.start_instant(phase)) + self.recorded;
        i64::try_from(took.as_secs()).unwrap_or(i64::MAX)
    }

    /// Pending, blocked or running: the job holds the appliance.
    pub(crate) fn is_active(&self, now: Instant) -> bool {
        self.phase(now).is_active()
    }

    /// Asks the job to stop; false when it has already ended.
    pub(crate) fn cancel(&mut self, now: Instant) -> bool {
        if !self.is_active(now) {
            return false;
        }
        self.cancelled_at = Some(now);
        true
    }
}

/// A place in the history for reading it page by page, newest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cursor {
    /// Nothing read yet.
    Newest,
    /// The jobs older than the one with this `seq` are still to be read.
    Before(i64),
    /// Everything has been read.
    End,
}

/// The job history, oldest first, with an index by id.
#[derive(Default)]
pub(crate) struct Jobs {
    order: Vec<Job>,
    index: HashMap<String, usize>,
}

impl Jobs {
    /// Records a job requested at `created`. Ids are `YYYYMMDD-hhmmss-<build>` of that time; two jobs
    /// in the same second take the next free second, as ids must stay unique.
    pub(crate) fn start(
        &mut self,
        spec: JobSpec,
        created: Instant,
        clock: &Clock,
        plan: RunPlan,
        build: &str,
    ) -> &Job {
        let mut created_utc = clock.utc(created);
        let mut id = format!("{}-{build}", created_utc.format("%Y%m%d-%H%M%S"));
        let mut bump = 0;
        while self.index.contains_key(&id) {
            bump += 1;
            let at = created_utc + chrono::Duration::seconds(bump);
            id = format!("{}-{build}", at.format("%Y%m%d-%H%M%S"));
        }
        if bump > 0 {
            created_utc += chrono::Duration::seconds(bump);
        }
        self.index.insert(id.clone(), self.order.len());
        let seq = self.order.last().map_or(0, |j| j.seq + 1);
        self.order.push(Job {
            id,
            spec: Arc::new(spec),
            seq,
            created,
            created_utc,
            plan,
            cancelled_at: None,
            recorded: Duration::ZERO,
            layout: None,
        });
        &self.order[self.order.len() - 1]
    }

    /// Puts finished jobs before all others, one per start in `runs` (oldest first), each
    /// having taken `took` and asked as `spec`; a seeded scheduled job's folder is named by
    /// `layout` under the spec's location. For demos, monitoring tests and long histories.
    pub(crate) fn seed_history(
        &mut self,
        runs: &[(DateTime<Utc>, SeededOutcome)],
        seed: Seed,
        now: Instant,
        build: &str,
    ) {
        let first_seq = self.order.first().map_or(0, |j| j.seq);
        let spec = Arc::new(seed.spec);
        let layout = seed.layout.map(Arc::new);
        let count = runs.len() as i64;
        let mut seeded: Vec<Job> = runs
            .iter()
            .zip(0..)
            .map(|((started_utc, outcome), i)| Job {
                id: format!("{}-{build}", started_utc.format("%Y%m%d-%H%M%S")),
                spec: Arc::clone(&spec),
                seq: first_seq - count + i,
                created: now,
                created_utc: *started_utc,
                plan: RunPlan {
                    failure: (*outcome == SeededOutcome::Failed).then(|| {
                        JobFailure::at(0, "The backup failed: the backup server ran out of space.")
                    }),
                    ..RunPlan::default()
                },
                cancelled_at: (*outcome == SeededOutcome::Canceled).then_some(now),
                recorded: seed.took,
                layout: layout.clone(),
            })
            .filter(|j| !self.index.contains_key(&j.id))
            .collect();
        seeded.append(&mut self.order);
        self.order = seeded;
        self.index = self
            .order
            .iter()
            .enumerate()
            .map(|(i, j)| (j.id.clone(), i))
            .collect();
    }

    /// When the oldest job started; `None` for an empty history.
    pub(crate) fn oldest_start(&self) -> Option<DateTime<Utc>> {
        self.order.first().map(|j| j.created_utc)
    }

    /// Puts one finished job before all others: it started at `started_utc` and took `took`.
    /// A restored appliance's history holds the backup it was restored from.
    pub(crate) fn record_past(
        &mut self,
        spec: JobSpec,
        started_utc: DateTime<Utc>,
        took: Duration,
        build: &str,
        now: Instant,
    ) {
        let id = format!("{}-{build}", started_utc.format("%Y%m%d-%H%M%S"));
        if self.index.contains_key(&id) {
            return;
        }
        let seq = self.order.first().map_or(0, |j| j.seq - 1);
        self.order.insert(
            0,
            Job {
                id,
                spec: Arc::new(spec),
                seq,
                created: now,
                created_utc: started_utc,
                plan: RunPlan::default(),
                cancelled_at: None,
                recorded: took,
                layout: None,
            },
        );
        self.index = self
            .order
            .iter()
            .enumerate()
            .map(|(i, j)| (j.id.clone(), i))
            .collect();
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Job> {
        self.index.get(id).map(|&i| &self.order[i])
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut Job> {
        self.index.get(id).map(|&i| &mut self.order[i])
    }

    /// Newest first, as the list operation answers.
    pub(crate) fn newest_first(&self) -> impl Iterator<Item = &Job> {
        self.order.iter().rev()
    }

    /// Up to `max` jobs from `cursor` on, newest first, and where the next page starts. Jobs
    /// started after the first page are not read; jobs seeded meanwhile come last.
    pub(crate) fn page(&self, cursor: Cursor, max: usize) -> (Vec<&Job>, Cursor) {
        let end = match cursor {
            Cursor::Newest => self.order.len(),
            Cursor::Before(seq) => self.order.partition_point(|j| j.seq < seq),
            Cursor::End => 0,
        };
        let page: Vec<&Job> = self.order[end.saturating_sub(max)..end]
            .iter()
            .rev()
            .collect();
        let next = match page.last() {
            Some(oldest) if end > max => Cursor::Before(oldest.seq),
            _ => Cursor::End,
        };
        (page, next)
    }

    /// The job that holds the appliance (pending, blocked or running), if any.
    pub(crate) fn active(&self, now: Instant) -> Option<&Job> {
        // Only the newest job can still be active: a new one starts only when none is.
        self.order.last().filter(|j| j.is_active(now))
    }

    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests;
