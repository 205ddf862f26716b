//! The health check itself: pure logic over what was read from the appliance.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::health::missed;
use crate::health::observation::Observation;
use crate::health::{
    HealthPolicy, HealthReport, LastSuccess, NewestJob, Reason, ReasonKind, ScheduleHealth, Verdict,
};
use crate::job::details::newest_first;
use crate::job::{JobDetails, JobId, Percent, TaskState};
use crate::schedule::Schedule;
use crate::server_error::ServerErrorType;
use crate::wait::HumanDuration;

/// Judges the observation by the policy.
pub(crate) fn evaluate(policy: &HealthPolicy, seen: &Observation<'_>) -> HealthReport {
    let jobs = newest_first(seen.jobs);
    let mut reasons = Vec::new();

    let success_at = jobs
        .iter()
        .position(|(_, d)| d.state == TaskState::Succeeded);
    let failures_since_success = jobs[..success_at.unwrap_or(jobs.len())]
        .iter()
        .filter(|(_, d)| d.state == TaskState::Failed && !canceled(d))
        .count();
    let last_success = success_at.and_then(|i| {
        let (id, details) = jobs[i];
        last_success(policy, seen.now, id, details, &mut reasons)
    });
    if success_at.is_none() {
        reasons.push(Reason::new(
            Verdict::Critical,
            ReasonKind::NoSuccess,
            match jobs.len() {
                0 => "the appliance has no backup job on record".to_string(),
                n => format!(
                    "none of the {n} backup jobs on record succeeded ({failures_since_success} \
                     failed)"
                ),
            },
        ));
    }

    let newest_job = jobs.first().map(|(id, details)| {
        judge_newest(policy, id, details, &mut reasons);
        newest(id, details)
    });

    let schedules = match seen.schedules {
        Ok(schedules) => Some(judge_schedules(policy, seen, schedules, &mut reasons)),
        // Unreadable schedules (a 6.5 appliance has none; a user may lack the privilege) leave
        // the verdict open only when the policy judges them.
        Err(why) => {
            let judged =
                policy.no_enabled_schedule_is_warning || policy.required_schedule.is_some();
            let (verdict, needed) = match judged {
                true => (Verdict::Unknown, ""),
                false => (Verdict::Ok, ", and this check does not need them"),
            };
            let message = format!("the backup schedules could not be read{needed}: {why}");
            reasons.push(Reason::new(verdict, ReasonKind::Unreadable, message));
            None
        }
    };

    let mut report = HealthReport {
        verdict: Verdict::Ok,
        reasons,
        checked_at: seen.now,
        last_success,
        newest_job,
        failures_since_success,
        schedules,
    };
    report.settle();
    report
}

/// Whether a job ended because someone canceled it.
fn canceled(details: &JobDetails) -> bool {
    details.state == TaskState::Failed
        && details
            .error
            .as_ref()
            .is_some_and(|e| e.error_type == Some(ServerErrorType::Canceled))
}

/// The newest success's facts, with the finding about its age.
fn last_success(
    policy: &HealthPolicy,
    now: DateTime<Utc>,
    id: &JobId,
    details: &JobDetails,
    reasons: &mut Vec<Reason>,
) -> Option<LastSuccess> {
    let duration = details.duration;
    let ended_at = details.ended_at.or_else(|| {
        let started = details.started_at.or_else(|| id.started_at())?;
        Some(started + chrono::TimeDelta::from_std(duration.unwrap_or_default()).ok()?)
    });
    let Some(ended_at) = ended_at else {
        reasons.push(Reason::new(
            Verdict::Unknown,
            ReasonKind::ClockMismatch,
            format!("the newest successful backup, job {id}, has no start or end time"),
        ));
        return None;
    };
    let age = (now - ended_at).to_std().ok();
    reasons.push(match age {
        Some(age) => age_reason(policy, id, age),
        // The age is not shown at all: an "ended 0s ago" would say OK where nothing is known.
        None => Reason::new(
            Verdict::Unknown,
            ReasonKind::ClockMismatch,
            format!(
                "the newest successful backup, job {id}, ended at {ended_at}, after the \
                 appliance's clock ({now}); check the appliance's time settings"
            ),
        ),
    });
    Some(LastSuccess {
        job: id.clone(),
        kind: details.kind.clone(),
        ended_at,
        age,
        duration,
        size_bytes: details.size_bytes,
        location: details.location.clone(),
    })
}

/// The age of the newest success, judged by the policy.
fn age_reason(policy: &HealthPolicy, id: &JobId, age: Duration) -> Reason {
    let (verdict, limit) = if age > policy.crit_age {
        (Verdict::Critical, Some(("critical", policy.crit_age)))
    } else if age > policy.warn_age {
        (Verdict::Warning, Some(("warning", policy.warn_age)))
    } else {
        (Verdict::Ok, None)
    };
    let mut message = format!(
        "the newest successful backup ended {} ago (job {id})",
        HumanDuration(age)
    );
    if let Some((which, limit)) = limit {
        message.push_str(&format!(
            ", older than the {which} age of {}",
            HumanDuration(limit)
        ));
    }
    Reason::new(verdict, ReasonKind::LastSuccessAge, message)
}

fn judge_newest(
    policy: &HealthPolicy,
    id: &JobId,
    details: &JobDetails,
    reasons: &mut Vec<Reason>,
) {
    let progress = details.progress.as_ref().and_then(|p| p.percent());
    match &details.state {
        // A canceled test backup is no emergency: the age of the newest success decides.
        TaskState::Failed if canceled(details) => reasons.push(Reason::new(
            Verdict::Ok,
            ReasonKind::NewestJobCanceled,
            format!("the newest backup, job {id}, was canceled"),
        )),
        TaskState::Failed => {
            let verdict = if policy.failed_newest_job_is_critical {
                Verdict::Critical
            } else {
                Verdict::Warning
            };
            let why = details
                .error
                .as_ref()
                .map(ToString::to_string)
                .or_else(|| details.messages.last().map(ToString::to_string))
                .unwrap_or_else(|| "the appliance gave no reason".to_string());
            reasons.push(Reason::new(
                verdict,
                ReasonKind::NewestJobFailed,
                format!("the newest backup, job {id}, failed: {why}"),
            ));
        }
        TaskState::Running | TaskState::Pending | TaskState::Blocked => {
            let how = match (&details.state, progress) {
                (TaskState::Running, Some(p)) => format!("is running ({p})"),
                (TaskState::Running, None) => "is running".to_string(),
                (state, _) => format!("is waiting to run ({state})"),
            };
            let message = format!("backup job {id} {how}");
            reasons.push(Reason::new(Verdict::Ok, ReasonKind::Running, message));
        }
        // A newer appliance's state: worth a look, since this check cannot judge it.
        state if !state.is_known() => reasons.push(Reason::new(
            Verdict::Warning,
            ReasonKind::UnknownJobState,
            format!(
                "the newest backup, job {id}, is in the state {state}, which this tool does not \
                 know; look at it on the appliance"
            ),
        )),
        _ => {}
    }
}

fn newest(id: &JobId, details: &JobDetails) -> NewestJob {
    let progress = match details.state {
        TaskState::Succeeded => Some(Percent::FULL),
        _ => details.progress.as_ref().and_then(|p| p.percent()),
    };
    let mut messages = details.messages.clone();
    if let Some(error) = &details.error {
        messages.extend(error.messages.iter().cloned());
    }
    NewestJob {
        job: id.clone(),
        kind: details.kind.clone(),
        state: details.state.clone(),
        canceled: canceled(details),
        started_at: details.started_at,
        ended_at: details.ended_at,
        duration: details.duration,
        size_bytes: details.size_bytes,
        progress,
        messages,
    }
}

fn judge_schedules(
    policy: &HealthPolicy,
    seen: &Observation<'_>,
    schedules: &[Schedule],
    reasons: &mut Vec<Reason>,
) -> Vec<ScheduleHealth> {
    // A schedule without a time (only run on demand) starts nothing by itself either.
    let runs = |s: &&Schedule| s.enabled && s.recurrence.is_some();
    if policy.no_enabled_schedule_is_warning && !schedules.iter().any(|s| runs(&s)) {
        reasons.push(Reason::new(
            Verdict::Warning,
            ReasonKind::NoEnabledSchedule,
            if schedules.is_empty() {
                "the appliance has no backup schedule"
            } else if schedules.iter().any(|s| s.enabled) {
                "no enabled backup schedule has a time to run at"
            } else {
                "no backup schedule is enabled"
            }
            .to_string()
                + ", so no backup starts by itself",
        ));
    }
    if let Some(required) = policy.required_schedule.as_deref() {
        match schedules.iter().find(|s| s.id == required) {
            None => reasons.push(Reason::new(
                Verdict::Critical,
                ReasonKind::RequiredScheduleMissing,
                format!("the backup schedule \"{required}\" does not exist"),
            )),
            Some(s) if !s.enabled => reasons.push(Reason::new(
                Verdict::Warning,
                ReasonKind::RequiredScheduleDisabled,
                format!("the backup schedule \"{required}\" is disabled"),
            )),
            Some(_) => {}
        }
    }
    let local = |at: DateTime<Utc>| at.with_timezone(&seen.zone.offset_at(at));
    schedules
        .iter()
        .map(|s| {
            let recurrence = s.recurrence.as_ref().filter(|_| s.enabled);
            let missed = recurrence.map(|r| missed::missed_runs(policy, seen, r));
            if let Some(missed) = missed.as_ref().filter(|m| !m.runs.is_empty()) {
                reasons.push(missed::reason(policy, seen.zone, &s.id, &missed.runs));
            }
            ScheduleHealth {
                id: s.id.clone(),
                enabled: s.enabled,
                next_run: recurrence
                    .and_then(|r| seen.zone.next_run(r, seen.now))
                    .map(local),
                last_due_run: missed.as_ref().and_then(|m| m.last_due).map(local),
                missed_runs: missed.map_or(0, |m| m.runs.len()),
            }
        })
        .collect()
}
