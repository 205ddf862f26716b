//! Missed runs: the due runs of an enabled schedule that started no backup job within the grace
//! period, counted back from the newest one.

use chrono::{DateTime, TimeDelta, Utc};

use crate::health::observation::Observation;
use crate::health::{HealthPolicy, Reason, ReasonKind, Verdict};
use crate::job::{JobDetails, JobId, JobKind};
use crate::schedule::{Recurrence, Zone};
use crate::wait::HumanDuration;

/// A job that started this long before a run's time is taken for it: the appliance's scheduler
/// and its job records read the same clock, to the second.
const EARLY: TimeDelta = TimeDelta::minutes(1);

/// A schedule's newest due run and the runs missed in a row up to it, newest first.
#[derive(Default)]
pub(crate) struct Missed {
    pub(crate) last_due: Option<DateTime<Utc>>,
    pub(crate) runs: Vec<DateTime<Utc>>,
}

/// The runs of `recurrence` whose grace period has passed by the appliance's clock, judged
/// newest first until one started a job. Runs due before the oldest scheduled job on record are
/// not judged.
pub(crate) fn missed_runs(
    policy: &HealthPolicy,
    seen: &Observation<'_>,
    recurrence: &Recurrence,
) -> Missed {
    let grace = TimeDelta::from_std(policy.missed_run_grace).unwrap_or(TimeDelta::MAX);
    let Some(due_by) = seen.now.checked_sub_signed(grace) else {
        return Missed::default();
    };
    // Enough runs back for the critical count of a weekly schedule, and one more.
    let weeks = i64::from(policy.missed_runs_critical.clamp(1, 52)) + 1;
    let mut due = due_runs(
        seen.zone,
        recurrence,
        due_by - TimeDelta::weeks(weeks),
        due_by,
    );
    due.reverse();
    let started = |(id, d): (&JobId, &JobDetails)| d.started_at.or_else(|| id.started_at());
    let first_scheduled = seen
        .jobs
        .iter()
        .filter(|(_, d)| d.kind == JobKind::Scheduled)
        .filter_map(started)
        .min();
    let starts_near = |run: DateTime<Utc>| {
        seen.jobs
            .iter()
            .filter_map(started)
            .any(|s| s >= run - EARLY && s <= run + grace)
    };
    let runs = due
        .iter()
        .take_while(|run| first_scheduled.is_some_and(|first| **run >= first - EARLY))
        .take_while(|run| !starts_near(**run))
        .copied()
        .collect();
    Missed {
        last_due: due.first().copied(),
        runs,
    }
}

/// The runs of `recurrence` after `from`, up to `to`, oldest first.
fn due_runs(
    zone: Zone,
    recurrence: &Recurrence,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    std::iter::successors(zone.next_run(recurrence, from), |run| {
        zone.next_run(recurrence, *run)
    })
    .take_while(|run| *run <= to)
    .collect()
}

/// The finding for a schedule's missed runs: a WARNING naming the newest, CRITICAL from the
/// policy's count in a row.
pub(crate) fn reason(
    policy: &HealthPolicy,
    zone: Zone,
    schedule: &str,
    runs: &[DateTime<Utc>],
) -> Reason {
    let name = |run: &DateTime<Utc>| zone.to_local(*run).format("%A %H:%M").to_string();
    let critical = policy.missed_runs_critical;
    let verdict = if critical > 0 && runs.len() >= critical as usize {
        Verdict::Critical
    } else {
        Verdict::Warning
    };
    let which = match runs {
        [] => String::new(),
        [one] => format!("missed a run: {} did not start", name(one)),
        [newest, before] => format!(
            "missed 2 runs in a row: {} and {} did not start",
            name(before),
            name(newest)
        ),
        [newest, ..] => format!(
            "missed {} runs in a row, the newest {}",
            runs.len(),
            name(newest)
        ),
    };
    Reason::new(
        verdict,
        ReasonKind::MissedRun,
        format!(
            "the backup schedule \"{schedule}\" {which} (no backup job started within {} of \
             its time)",
            HumanDuration(policy.missed_run_grace)
        ),
    )
}
