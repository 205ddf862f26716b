//! Verdicts from observations: ages, failures, running jobs, schedules, clocks.

use chrono::TimeDelta;

use super::*;
use crate::error::ServerError;
use crate::job::{JobKind, TaskProgress};
use crate::message::Message;
use crate::schedule::{DayOfWeek, Recurrence};

const NOW: &str = "2024-06-07T12:00:00Z";

fn now() -> DateTime<Utc> {
    NOW.parse().unwrap()
}

fn hours(h: i64) -> TimeDelta {
    TimeDelta::hours(h)
}

/// A job that started `ago` before now and ran for 10 minutes (or is still running).
fn job(status: TaskState, ago: TimeDelta) -> (JobId, JobDetails) {
    let started = now() - ago;
    let id = JobId::new(format!("{}-24322831", started.format("%Y%m%d-%H%M%S")));
    let ended = status
        .is_terminal()
        .then(|| started + TimeDelta::minutes(10));
    let details = JobDetails {
        kind: JobKind::Scheduled,
        state: status.clone(),
        description: Message::new("com.vmware.applmgmt.backup.job", "Backup job"),
        messages: vec![],
        location: "sftp://backup.example.com/vcsa/scheduled".into(),
        location_user: "backup".into(),
        cancelable: !status.is_terminal(),
        duration: Some(std::time::Duration::from_secs(600)),
        size_bytes: Some(5_000_000_000),
        progress: Some(TaskProgress {
            completed: if status.is_terminal() { 100 } else { 42 },
            total: 100,
            message: Message::new("m", "Backing up"),
        }),
        build: None,
        fast_backup: None,
        error: None,
        started_at: Some(started),
        ended_at: ended,
        user: None,
        service: "com.vmware.applmgmt.backup".into(),
        operation: "backup".into(),
        parent: None,
        target: None,
    };
    (id, details)
}

fn failed(ago: TimeDelta, why: &str) -> (JobId, JobDetails) {
    let (id, mut details) = job(TaskState::Failed, ago);
    details.error = Some(ServerError::new(
        None,
        vec![Message::new("com.vmware.backup.failed", why)],
    ));
    (id, details)
}

fn schedule(id: &str, enabled: bool, recurrence: Recurrence) -> Schedule {
    let mut schedule = Schedule::new(id, "sftp://backup.example.com/vcsa");
    schedule.enabled = enabled;
    schedule.recurrence = Some(recurrence);
    schedule
}

fn daily(id: &str, enabled: bool) -> Schedule {
    schedule(id, enabled, Recurrence::new(2, 30, []).unwrap())
}

fn check(
    policy: &HealthPolicy,
    jobs: impl IntoIterator<Item = (JobId, JobDetails)>,
    schedules: Result<&[Schedule], String>,
) -> HealthReport {
    let jobs: BTreeMap<_, _> = jobs.into_iter().collect();
    evaluate(
        policy,
        &Observation {
            now: now(),
            zone: Zone::Fixed(chrono::FixedOffset::east_opt(0).unwrap()),
            jobs: &jobs,
            schedules: Some(schedules),
        },
    )
}

fn kinds(report: &HealthReport) -> Vec<(Verdict, ReasonKind)> {
    report.reasons.iter().map(|r| (r.verdict, r.kind)).collect()
}

#[test]
fn a_recent_success_with_an_enabled_schedule_is_ok() {
    let schedules = [daily("default", true)];
    let report = check(
        &HealthPolicy::default(),
        [
            job(TaskState::Succeeded, hours(10)),
            job(TaskState::Succeeded, hours(34)),
        ],
        Ok(&schedules),
    );
    assert_eq!(report.verdict, Verdict::Ok);
    assert_eq!(kinds(&report), [(Verdict::Ok, ReasonKind::LastSuccessAge)]);
    let last = report.last_success.as_ref().unwrap();
    // Started 10 h ago, took 10 minutes.
    assert_eq!(last.age, Some(Duration::from_secs(9 * 3600 + 50 * 60)));
    assert_eq!(last.size_bytes, Some(5_000_000_000));
    assert_eq!(last.location, "sftp://backup.example.com/vcsa/scheduled");
    assert_eq!(report.newest_job.as_ref().unwrap().job, last.job);
    assert_eq!(report.failures_since_success, 0);
    assert_eq!(
        report.summary(),
        format!(
            "the newest successful backup ended 9h 50m ago (job {})",
            last.job
        )
    );
    let schedules = report.schedules.unwrap();
    assert_eq!(
        schedules[0].next_run.unwrap().to_rfc3339(),
        "2024-06-08T02:30:00+00:00"
    );
}

#[test]
fn the_age_of_the_newest_success_warns_then_turns_critical() {
    let schedules = [daily("default", true)];
    let policy = HealthPolicy::new(
        Duration::from_secs(26 * 3600),
        Duration::from_secs(50 * 3600),
    )
    .unwrap();
    // Ended 10 minutes after it started: started 26h10m ago ended exactly 26h ago.
    let at_limit = TimeDelta::minutes(26 * 60 + 10);
    for (ago, verdict) in [
        (at_limit, Verdict::Ok),
        (at_limit + TimeDelta::seconds(1), Verdict::Warning),
        (hours(50), Verdict::Warning),
        (hours(51), Verdict::Critical),
    ] {
        let report = check(&policy, [job(TaskState::Succeeded, ago)], Ok(&schedules));
        assert_eq!(report.verdict, verdict, "started {ago} ago");
    }
    let report = check(
        &policy,
        [job(TaskState::Succeeded, hours(30))],
        Ok(&schedules),
    );
    assert!(
        report
            .summary()
            .contains("older than the warning age of 1d 2h"),
        "{}",
        report.summary()
    );
}

#[test]
fn a_failed_newest_job_is_critical_or_a_warning_by_the_policy() {
    let schedules = [daily("default", true)];
    let jobs = || {
        [
            failed(hours(1), "The backup server ran out of space."),
            failed(hours(25), "Cannot connect to the backup server."),
            job(TaskState::Succeeded, hours(20)),
            failed(hours(49), "older, before the success"),
        ]
    };
    let report = check(&HealthPolicy::default(), jobs(), Ok(&schedules));
    assert_eq!(report.verdict, Verdict::Critical);
    assert_eq!(
        kinds(&report),
        [
            (Verdict::Critical, ReasonKind::NewestJobFailed),
            (Verdict::Ok, ReasonKind::LastSuccessAge)
        ]
    );
    assert!(
        report.summary().contains("ran out of space"),
        "{}",
        report.summary()
    );
    // Only the failure after the success counts: the one at 25 h is older than it.
    assert_eq!(report.failures_since_success, 1);
    let newest = report.newest_job.unwrap();
    assert_eq!(newest.status, TaskState::Failed);
    assert_eq!(
        newest.messages[0].text,
        "The backup server ran out of space."
    );

    let lenient = HealthPolicy::default().failed_newest_job_is_critical(false);
    assert_eq!(
        check(&lenient, jobs(), Ok(&schedules)).verdict,
        Verdict::Warning
    );
}

#[test]
fn a_running_job_is_reported_with_its_progress() {
    let schedules = [daily("default", true)];
    let report = check(
        &HealthPolicy::default(),
        [
            job(TaskState::Running, TimeDelta::minutes(3)),
            job(TaskState::Succeeded, hours(24)),
        ],
        Ok(&schedules),
    );
    assert_eq!(report.verdict, Verdict::Ok);
    let newest = report.newest_job.as_ref().unwrap();
    assert_eq!(newest.status, TaskState::Running);
    assert_eq!(newest.progress, Percent::new(42));
    assert!(
        report
            .reasons
            .iter()
            .any(|r| r.kind == ReasonKind::Running && r.message.ends_with("is running (42%)")),
        "{:?}",
        report.reasons
    );
}

#[test]
fn a_job_not_started_yet_is_the_newest() {
    let (_, mut pending) = job(TaskState::Pending, TimeDelta::zero());
    pending.started_at = None;
    pending.duration = None;
    pending.progress = None;
    let report = check(
        &HealthPolicy::default(),
        [
            (JobId::new("opaque-id"), pending),
            job(TaskState::Succeeded, hours(2)),
        ],
        Ok(&[daily("default", true)]),
    );
    assert_eq!(report.newest_job.unwrap().job, JobId::new("opaque-id"));
    assert_eq!(report.verdict, Verdict::Ok);
}

#[test]
fn no_success_on_record_is_critical() {
    let schedules = [daily("default", true)];
    let report = check(
        &HealthPolicy::default(),
        [failed(hours(2), "x"), failed(hours(26), "y")],
        Ok(&schedules),
    );
    assert_eq!(report.verdict, Verdict::Critical);
    assert_eq!(report.failures_since_success, 2);
    assert!(report.last_success.is_none());
    assert!(
        report
            .summary()
            .contains("none of the 2 backup jobs on record succeeded")
    );

    let empty = check(&HealthPolicy::default(), [], Ok(&schedules));
    assert_eq!(empty.verdict, Verdict::Critical);
    assert_eq!(empty.summary(), "the appliance has no backup job on record");
    assert!(empty.newest_job.is_none());
}

#[test]
fn schedules_by_the_policy() {
    let fresh = || [job(TaskState::Succeeded, hours(3))];
    let disabled = [daily("default", false)];
    let report = check(&HealthPolicy::default(), fresh(), Ok(&disabled));
    assert_eq!(report.verdict, Verdict::Warning);
    assert_eq!(
        report.summary(),
        "no backup schedule is enabled, so no backup starts by itself"
    );
    assert_eq!(report.schedules.as_ref().unwrap()[0].next_run, None);

    let cron_driven = HealthPolicy::default().no_enabled_schedule_is_warning(false);
    assert_eq!(check(&cron_driven, fresh(), Ok(&[])).verdict, Verdict::Ok);

    let requires = cron_driven.clone().require_schedule("default");
    let other = [daily("weekly", true)];
    let report = check(&requires, fresh(), Ok(&other));
    assert_eq!(report.verdict, Verdict::Critical);
    assert_eq!(
        kinds(&report)[0],
        (Verdict::Critical, ReasonKind::RequiredScheduleMissing)
    );
    let report = check(&requires, fresh(), Ok(&disabled));
    assert_eq!(
        kinds(&report)[0],
        (Verdict::Warning, ReasonKind::RequiredScheduleDisabled)
    );

    let weekly = [schedule(
        "weekly",
        true,
        Recurrence::new(1, 0, [DayOfWeek::Sunday]).unwrap(),
    )];
    let report = check(&HealthPolicy::default(), fresh(), Ok(&weekly));
    // 2024-06-07 is a Friday.
    assert_eq!(
        report.schedules.unwrap()[0].next_run.unwrap().to_rfc3339(),
        "2024-06-09T01:00:00+00:00"
    );
}

#[test]
fn unreadable_schedules_are_unknown_unless_something_is_certainly_wrong() {
    let report = check(
        &HealthPolicy::default(),
        [job(TaskState::Succeeded, hours(3))],
        Err("the appliance answered 503".into()),
    );
    assert_eq!(report.verdict, Verdict::Unknown);
    assert!(report.schedules.is_none());
    assert_eq!(
        report.summary(),
        "the backup schedules could not be read: the appliance answered 503"
    );
    let report = check(
        &HealthPolicy::default(),
        [job(TaskState::Succeeded, hours(60))],
        Err("the appliance answered 503".into()),
    );
    assert_eq!(report.verdict, Verdict::Critical);
}

#[test]
fn a_newest_job_in_an_unknown_state_is_a_warning() {
    let mut paused = job(TaskState::Succeeded, hours(1));
    paused.1.state = TaskState::from("PAUSED");
    let report = check(
        &HealthPolicy::default(),
        [job(TaskState::Succeeded, hours(3)), paused],
        Ok(&[daily("default", true)]),
    );
    assert_eq!(report.verdict, Verdict::Warning, "{:?}", report.reasons);
    assert_eq!(
        kinds(&report)[0],
        (Verdict::Warning, ReasonKind::UnknownJobState)
    );
    assert!(
        report.summary().contains("in the state PAUSED"),
        "{}",
        report.summary()
    );
}

#[test]
fn unreadable_schedules_do_not_matter_to_a_policy_that_does_not_judge_them() {
    let indifferent = HealthPolicy::default().no_enabled_schedule_is_warning(false);
    let report = check(
        &indifferent,
        [job(TaskState::Succeeded, hours(3))],
        Err("the appliance has no schedules".into()),
    );
    assert_eq!(report.verdict, Verdict::Ok);
    assert!(report.schedules.is_none());
    assert!(
        kinds(&report).contains(&(Verdict::Ok, ReasonKind::Unreadable)),
        "the report still says so: {:?}",
        report.reasons
    );
    // A required schedule is judged: unreadable, it leaves the verdict open.
    let report = check(
        &indifferent.require_schedule("default"),
        [job(TaskState::Succeeded, hours(3))],
        Err("the appliance has no schedules".into()),
    );
    assert_eq!(report.verdict, Verdict::Unknown);
}

#[test]
fn a_success_after_the_appliance_clock_is_unknown() {
    let report = check(
        &HealthPolicy::default(),
        [job(TaskState::Succeeded, -hours(1))],
        Ok(&[daily("default", true)]),
    );
    assert_eq!(report.verdict, Verdict::Unknown);
    assert_eq!(
        kinds(&report)[0],
        (Verdict::Unknown, ReasonKind::ClockMismatch)
    );
    assert_eq!(report.last_success.as_ref().unwrap().age, None);
    assert!(
        report
            .reasons
            .iter()
            .all(|r| r.kind != ReasonKind::LastSuccessAge),
        "no age is shown: {report:?}"
    );
}

#[test]
fn the_report_serializes_for_scripts() {
    let report = check(
        &HealthPolicy::default(),
        [job(TaskState::Succeeded, hours(3))],
        Ok(&[daily("default", true)]),
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["verdict"], "OK");
    assert_eq!(json["last_success"]["age_seconds"], 3 * 3600 - 600);
    assert_eq!(json["last_success"]["duration_seconds"], 600);
    assert_eq!(json["reasons"][0]["kind"], "last_success_age");
    assert_eq!(json["schedules"][0]["next_run"], "2024-06-08T02:30:00Z");
}
