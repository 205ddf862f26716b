//! Backup jobs: how a job advances over simulated time, and the history of jobs.

mod view;

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;
use vcsa_backup_api::enums::DetailsType;

use crate::clock::Clock;
use crate::faults::JobFailure;

/// What a job was asked to do, fixed when it starts.
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

/// One backup job. Its state is never stored: it is computed from the clock when asked.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) id: String,
    pub(crate) spec: JobSpec,
    started: Instant,
    started_utc: DateTime<Utc>,
    duration: Duration,
    failure: Option<JobFailure>,
    cancelled_at: Option<Instant>,
    /// Time a job of the seeded history took before the simulator started; zero for live jobs,
    /// whose whole run happens on the simulator's clock.
    recorded: Duration,
}

/// Where a job stands at one instant.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Phase {
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

impl Job {
    /// Progress (0..=100) reached after `elapsed`.
    fn progress_after(&self, elapsed: Duration) -> i64 {
        if self.duration.is_zero() {
            return 100;
        }
        let pct = elapsed.as_nanos().saturating_mul(100) / self.duration.as_nanos();
        pct.min(100) as i64
    }

    /// When a planned failure strikes: the moment progress reaches its percentage.
    fn failure_at(&self) -> Option<(Instant, i64)> {
        let failure = self.failure.as_ref()?;
        let pct = u32::from(failure.clamped_percent());
        // The duration is at most MAX_JOB_DURATION, so neither step can overflow.
        Some((self.started + self.duration * pct / 100, i64::from(pct)))
    }

    pub(crate) fn phase(&self, now: Instant) -> Phase {
        let done_at = self.started + self.duration;
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
        if let Some(at) = self.cancelled_at
            && at < end.0
        {
            let progress = self.progress_after(at.saturating_duration_since(self.started));
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
        } else {
            Phase::Running {
                progress: self.progress_after(now.saturating_duration_since(self.started)),
            }
        }
    }

    /// Wall-clock time of an instant of this job's run.
    fn utc_at(&self, at: Instant) -> DateTime<Utc> {
        let offset = at.saturating_duration_since(self.started) + self.recorded;
        self.started_utc + chrono::Duration::from_std(offset).unwrap_or(chrono::Duration::zero())
    }

    pub(crate) fn is_running(&self, now: Instant) -> bool {
        matches!(self.phase(now), Phase::Running { .. })
    }

    /// Asks the job to stop; false when it has already ended.
    pub(crate) fn cancel(&mut self, now: Instant) -> bool {
        if !self.is_running(now) {
            return false;
        }
        self.cancelled_at = Some(now);
        true
    }
}

/// The job history, oldest first, with an index by id.
#[derive(Default)]
pub(crate) struct Jobs {
    order: Vec<Job>,
    index: HashMap<String, usize>,
}

impl Jobs {
    /// Starts a job at `started`. Ids are `YYYYMMDD-hhmmss-<build>` of the start time; two jobs
    /// in the same second take the next free second, as ids must stay unique.
    pub(crate) fn start(
        &mut self,
        spec: JobSpec,
        started: Instant,
        clock: &Clock,
        duration: Duration,
        failure: Option<JobFailure>,
        build: &str,
    ) -> &Job {
        let mut started_utc = clock.utc(started);
        let mut id = format!("{}-{build}", started_utc.format("%Y%m%d-%H%M%S"));
        let mut bump = 0;
        while self.index.contains_key(&id) {
            bump += 1;
            let at = started_utc + chrono::Duration::seconds(bump);
            id = format!("{}-{build}", at.format("%Y%m%d-%H%M%S"));
        }
        if bump > 0 {
            started_utc += chrono::Duration::seconds(bump);
        }
        self.index.insert(id.clone(), self.order.len());
        self.order.push(Job {
            id,
            spec,
            started,
            started_utc,
            duration,
            failure,
            cancelled_at: None,
            recorded: Duration::ZERO,
        });
        &self.order[self.order.len() - 1]
    }

    /// Puts `count` finished jobs before all others, one an hour going back from the oldest job,
    /// each having taken `took`. For demos and for measuring a long history.
    pub(crate) fn seed_history(
        &mut self,
        count: usize,
        spec: &JobSpec,
        now: Instant,
        clock: &Clock,
        took: Duration,
        build: &str,
    ) {
        let oldest = self
            .order
            .first()
            .map(|j| j.started_utc)
            .unwrap_or_else(|| clock.utc(now));
        let mut seeded: Vec<Job> = (1..=count)
            .rev()
            .map(|back| {
                let started_utc = oldest - chrono::Duration::hours(back as i64);
                Job {
                    id: format!("{}-{build}", started_utc.format("%Y%m%d-%H%M%S")),
                    spec: spec.clone(),
                    started: now,
                    started_utc,
                    duration: Duration::ZERO,
                    failure: None,
                    cancelled_at: None,
                    recorded: took,
                }
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

    pub(crate) fn running(&self, now: Instant) -> Option<&Job> {
        // Only the newest job can still run: a new one starts only when none is running.
        self.order.last().filter(|j| j.is_running(now))
    }

    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> JobSpec {
        JobSpec {
            kind: DetailsType::Manual,
            location: "sftp://h/p".into(),
            location_user: String::new(),
            comment: String::new(),
            fast_backup: None,
            user: "u".into(),
            total_bytes: 1000,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn progress_then_success_failure_and_cancel() {
        let clock = Clock::new();
        let mut jobs = Jobs::default();
        let t0 = Instant::now();
        let d = Duration::from_secs(100);
        let id = jobs.start(spec(), t0, &clock, d, None, "1").id.clone();
        let job = jobs.get(&id).unwrap();
        assert_eq!(job.phase(t0), Phase::Running { progress: 0 });
        assert_eq!(
            job.phase(t0 + Duration::from_secs(42)),
            Phase::Running { progress: 42 }
        );
        assert_eq!(job.phase(t0 + d), Phase::Succeeded { ended: t0 + d });

        // Same second: the id moves to the next free second.
        let failing = Some(JobFailure::at(30, "disk full"));
        let id2 = jobs.start(spec(), t0, &clock, d, failing, "1").id.clone();
        assert_ne!(id, id2);
        let job = jobs.get(&id2).unwrap();
        assert_eq!(
            job.phase(t0 + Duration::from_secs(29)),
            Phase::Running { progress: 29 }
        );
        let at = t0 + Duration::from_secs(30);
        assert_eq!(
            job.phase(at + d),
            Phase::Failed {
                ended: at,
                progress: 30,
                cancelled: false
            }
        );

        let id3 = jobs.start(spec(), t0, &clock, d, None, "1").id.clone();
        let job = jobs.get_mut(&id3).unwrap();
        let at = t0 + Duration::from_secs(10);
        assert!(job.cancel(at));
        assert!(!job.cancel(at + d));
        assert_eq!(
            job.phase(at + d),
            Phase::Failed {
                ended: at,
                progress: 10,
                cancelled: true
            }
        );
        let ids: Vec<_> = jobs.newest_first().map(|j| j.id.clone()).collect();
        assert_eq!(ids, vec![id3, id2, id]);
    }
}
