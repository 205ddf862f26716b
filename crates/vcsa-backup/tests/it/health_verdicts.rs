//! Verdicts from what an appliance answers: ages, failures, cancels, running jobs, schedules,
//! missed runs and clocks, through `check_backup_health` against a scripted
//! appliance whose clock reads 2024-06-07 12:00 UTC (a Friday).

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Map, Value, json};
use vcsa_backup::health::{HealthPolicy, HealthReport, ReasonKind, Verdict};
use vcsa_backup::{Flavour, JobKind, Percent, Secret, TaskState};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{client, mount_login};

const NOW: &str = "2024-06-07T12:00:00Z";
const DETAILS: &str = "/api/appliance/recovery/backup/job/details";
const SCHEDULES: &str = "/api/appliance/recovery/backup/schedules";
const ARCHIVE_FOLDER: &str =
    "sftp://backup.example.com/vcsa/vCenter/sn_vcsa-01.example.com/S_8.0.3.00400_20240607-090000_";
const ARCHIVE: &str = "/api/appliance/recovery/backup/system-name/vcsa-01.example.com/archives/S_8.0.3.00400_20240607-090000_";

fn now() -> DateTime<Utc> {
    NOW.parse().unwrap()
}

fn hours(h: i64) -> TimeDelta {
    TimeDelta::hours(h)
}

fn message(text: &str) -> Value {
    json!({"id": "com.vmware.applmgmt.backup.job", "default_message": text, "args": []})
}

/// A manual job that started `ago` before now and ran for 10 minutes (or is running), as the
/// details operation answers it.
fn job(status: &str, ago: TimeDelta) -> (String, Value) {
    let started = now() - ago;
    let id = format!("{}-24322831", started.format("%Y%m%d-%H%M%S"));
    let ended = matches!(status, "SUCCEEDED" | "FAILED");
    let mut details = json!({
        "location": "sftp://backup.example.com/vcsa/scheduled",
        "location_user": "backup",
        "type": "MANUAL",
        "messages": [],
        "description": message("Backup job"),
        "service": "com.vmware.applmgmt.backup",
        "operation": "backup",
        "status": status,
        "cancelable": !ended,
        "duration": 600,
        "size": 5_000_000_000_u64,
        "progress": {"total": 100, "completed": if ended { 100 } else { 42 }, "message": message("Backing up")},
        "start_time": started.to_rfc3339(),
    });
    if ended {
        details["end_time"] = json!((started + TimeDelta::minutes(10)).to_rfc3339());
    }
    (id, details)
}

fn succeeded(ago: TimeDelta) -> (String, Value) {
    job("SUCCEEDED", ago)
}

/// A successful backup started by a schedule.
fn scheduled(ago: TimeDelta) -> (String, Value) {
    let (id, mut details) = succeeded(ago);
    details["type"] = json!("SCHEDULED");
    (id, details)
}

/// A failed job, with the appliance's error type (`ERROR`, `CANCELED`) and message.
fn failed(ago: TimeDelta, error_type: &str, why: &str) -> (String, Value) {
    let (id, mut details) = job("FAILED", ago);
    details["error"] = json!({"error_type": error_type, "messages": [message(why)]});
    (id, details)
}

/// A schedule at `hh:mm` on `days` (every day when none), or only when run with `None`.
fn schedule(enabled: bool, at: Option<(u8, u8)>, days: &[&str]) -> Value {
    let mut info = json!({
        "location": "sftp://backup.example.com/vcsa",
        "parts": ["common"],
        "enable": enabled,
    });
    if let Some((hour, minute)) = at {
        info["recurrence_info"] = json!({"hour": hour, "minute": minute});
        if !days.is_empty() {
            info["recurrence_info"]["days"] = json!(days);
        }
    }
    info
}

fn daily(enabled: bool) -> Value {
    schedule(enabled, Some((2, 30)), &[])
}

/// What the appliance answers: its clock, its jobs, and its schedules (a status code alone
/// when they cannot be read).
struct Appliance {
    jobs: Vec<(String, Value)>,
    schedules: Result<Vec<(&'static str, Value)>, u16>,
    now: DateTime<Utc>,
    /// The status the catalog answers for the archive of [`ARCHIVE_FOLDER`].
    archive: u16,
}

impl Appliance {
    fn new(jobs: impl IntoIterator<Item = (String, Value)>) -> Self {
        Self {
            jobs: jobs.into_iter().collect(),
            schedules: Ok(vec![("default", daily(true))]),
            now: now(),
            archive: 200,
        }
    }

    fn schedules(mut self, schedules: impl IntoIterator<Item = (&'static str, Value)>) -> Self {
        self.schedules = Ok(schedules.into_iter().collect());
        self
    }

    fn unreadable_schedules(mut self, status: u16) -> Self {
        self.schedules = Err(status);
        self
    }

    fn at(mut self, now: DateTime<Utc>) -> Self {
        self.now = now;
        self
    }

    async fn serve(&self) -> MockServer {
        let server = MockServer::start().await;
        mount_login(&server).await;
        let time = json!({
            "seconds_since_epoch": self.now.timestamp() as f64,
            "date": self.now.format("%a %m-%d-%Y").to_string(),
            "time": self.now.format("%H:%M:%S").to_string(),
            "timezone": "UTC",
        });
        let ok = |body: Value| ResponseTemplate::new(200).set_body_json(body);
        Mock::given(method("GET"))
            .and(path("/api/appliance/system/time"))
            .respond_with(ok(time))
            .mount(&server)
            .await;
        let jobs: Map<String, Value> = self.jobs.iter().cloned().collect();
        Mock::given(method("GET"))
            .and(path(DETAILS))
            .respond_with(ok(Value::Object(jobs)))
            .mount(&server)
            .await;
        let schedules = match &self.schedules {
            Ok(list) => ok(Value::Object(
                list.iter()
                    .map(|(id, s)| (id.to_string(), s.clone()))
                    .collect(),
            )),
            Err(status) => ResponseTemplate::new(*status).set_body_json(json!({
                "error_type": "UNAUTHORIZED",
                "messages": [message("You do not have the privilege to read schedules.")],
            })),
        };
        Mock::given(method("GET"))
            .and(path(SCHEDULES))
            .respond_with(schedules)
            .mount(&server)
            .await;
        let archive = match self.archive {
            200 => ResponseTemplate::new(200).set_body_json(json!({
                "timestamp": (self.now - hours(3)).to_rfc3339(),
                "location": ARCHIVE_FOLDER,
                "parts": ["common"],
                "version": "8.0.3.00400",
                "system_name": "vcsa-01.example.com",
                "comment": "",
            })),
            status => ResponseTemplate::new(status).set_body_json(json!({
                "error_type": "NOT_FOUND",
                "messages": [message("The backup does not exist.")],
            })),
        };
        Mock::given(method("POST"))
            .and(path(ARCHIVE))
            .respond_with(archive)
            .mount(&server)
            .await;
        server
    }

    async fn check(&self, policy: &HealthPolicy) -> HealthReport {
        let server = self.serve().await;
        client(&server, Flavour::Api)
            .check_backup_health(policy)
            .await
            .expect("the appliance is read")
    }
}

fn kinds(report: &HealthReport) -> Vec<(Verdict, ReasonKind)> {
    report.reasons.iter().map(|r| (r.verdict, r.kind)).collect()
}

#[tokio::test]
async fn a_recent_success_with_an_enabled_schedule_is_ok() {
    let report = Appliance::new([succeeded(hours(10)), succeeded(hours(34))])
        .check(&HealthPolicy::default())
        .await;
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", report.reasons);
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
    assert_eq!(
        schedules[0].last_due_run.unwrap().to_rfc3339(),
        "2024-06-07T02:30:00+00:00"
    );
    assert_eq!(schedules[0].missed_runs, 0);
}

#[tokio::test]
async fn the_age_of_the_newest_success_warns_then_turns_critical() {
    let policy = HealthPolicy::new(
        Duration::from_secs(26 * 3600),
        Duration::from_secs(50 * 3600),
    )
    .unwrap()
    .no_enabled_schedule_is_warning(false);
    // Ended 10 minutes after it started: started 26h10m ago ended exactly 26h ago.
    let at_limit = TimeDelta::minutes(26 * 60 + 10);
    for (ago, verdict) in [
        (at_limit, Verdict::Ok),
        (at_limit + TimeDelta::seconds(1), Verdict::Warning),
        (hours(50), Verdict::Warning),
        (hours(51), Verdict::Critical),
    ] {
        let report = Appliance::new([succeeded(ago)])
            .schedules([])
            .check(&policy)
            .await;
        assert_eq!(report.verdict, verdict, "started {ago} ago");
    }
    let report = Appliance::new([succeeded(hours(30))])
        .schedules([])
        .check(&policy)
        .await;
    assert!(
        report
            .summary()
            .contains("older than the warning age of 1d 2h"),
        "{}",
        report.summary()
    );
}

#[tokio::test]
async fn a_failed_newest_job_is_critical_or_a_warning_by_the_policy() {
    let appliance = Appliance::new([
        failed(hours(1), "ERROR", "The backup server ran out of space."),
        failed(hours(25), "ERROR", "Cannot connect to the backup server."),
        succeeded(hours(20)),
        failed(hours(49), "ERROR", "older, before the success"),
    ]);
    let report = appliance.check(&HealthPolicy::default()).await;
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
    assert_eq!(newest.state, TaskState::Failed);
    assert!(!newest.canceled);
    assert_eq!(
        newest.messages[0].text,
        "The backup server ran out of space."
    );

    let lenient = HealthPolicy::default().failed_newest_job_is_critical(false);
    assert_eq!(appliance.check(&lenient).await.verdict, Verdict::Warning);
}

#[tokio::test]
async fn a_canceled_newest_job_is_reported_and_the_success_age_decides() {
    let canceled = || {
        failed(
            hours(1),
            "CANCELED",
            "The backup job was canceled by the user.",
        )
    };
    let recent = Appliance::new([canceled(), succeeded(hours(9))])
        .check(&HealthPolicy::default())
        .await;
    assert_eq!(recent.verdict, Verdict::Ok, "{:?}", recent.reasons);
    assert!(recent.newest_job.as_ref().unwrap().canceled);
    assert_eq!(recent.failures_since_success, 0);
    assert!(
        recent
            .reasons
            .iter()
            .any(|r| r.kind == ReasonKind::NewestJobCanceled && r.message.ends_with("was canceled")),
        "{:?}",
        recent.reasons
    );
    // An old success is judged by its age alone: a WARNING, not CRITICAL.
    let old = Appliance::new([canceled(), succeeded(hours(30))])
        .check(&HealthPolicy::default())
        .await;
    assert_eq!(old.verdict, Verdict::Warning, "{:?}", old.reasons);
    assert_eq!(
        kinds(&old)[0],
        (Verdict::Warning, ReasonKind::LastSuccessAge)
    );
}

#[tokio::test]
async fn local_backups_count_as_backups() {
    let (id, mut local) = scheduled(hours(3));
    local["type"] = json!("LOCAL_BACKUP");
    let report = Appliance::new([(id, local)])
        .check(&HealthPolicy::default())
        .await;
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", report.reasons);
    assert_eq!(report.last_success.unwrap().kind, JobKind::LocalBackup);
}

#[tokio::test]
async fn a_running_job_is_reported_with_its_progress() {
    let report = Appliance::new([job("RUNNING", TimeDelta::minutes(3)), succeeded(hours(24))])
        .check(&HealthPolicy::default())
        .await;
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", report.reasons);
    let newest = report.newest_job.as_ref().unwrap();
    assert_eq!(newest.state, TaskState::Running);
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

#[tokio::test]
async fn a_job_not_started_yet_is_the_newest() {
    let pending = json!({
        "location": "sftp://backup.example.com/vcsa/x", "location_user": "backup",
        "type": "MANUAL", "messages": [], "description": message("Backup job"),
        "service": "s", "operation": "o", "status": "PENDING", "cancelable": true,
    });
    let report = Appliance::new([("opaque-id".to_string(), pending), succeeded(hours(2))])
        .check(&HealthPolicy::default())
        .await;
    assert_eq!(report.newest_job.unwrap().job.as_str(), "opaque-id");
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", report.reasons);
}

#[tokio::test]
async fn no_success_on_record_is_critical() {
    let report = Appliance::new([
        failed(hours(2), "ERROR", "x"),
        failed(hours(26), "ERROR", "y"),
    ])
    .check(&HealthPolicy::default())
    .await;
    assert_eq!(report.verdict, Verdict::Critical);
    assert_eq!(report.failures_since_success, 2);
    assert!(report.last_success.is_none());
    assert!(
        report
            .summary()
            .contains("none of the 2 backup jobs on record succeeded")
    );

    let empty = Appliance::new([]).check(&HealthPolicy::default()).await;
    assert_eq!(empty.verdict, Verdict::Critical);
    assert_eq!(empty.summary(), "the appliance has no backup job on record");
    assert!(empty.newest_job.is_none());
}

#[tokio::test]
async fn schedules_by_the_policy() {
    let fresh = || [succeeded(hours(3))];
    let disabled = || [("default", daily(false))];
    let report = Appliance::new(fresh())
        .schedules(disabled())
        .check(&HealthPolicy::default())
        .await;
    assert_eq!(report.verdict, Verdict::Warning);
    assert_eq!(
        report.summary(),
        "no backup schedule is enabled, so no backup starts by itself"
    );
    assert_eq!(report.schedules.as_ref().unwrap()[0].next_run, None);

    let cron_driven = HealthPolicy::default().no_enabled_schedule_is_warning(false);
    let report = Appliance::new(fresh())
        .schedules([])
        .check(&cron_driven)
        .await;
    assert_eq!(report.verdict, Verdict::Ok);

    let requires = cron_driven.clone().require_schedule("default");
    let report = Appliance::new(fresh())
        .schedules([("weekly", daily(true))])
        .check(&requires)
        .await;
    assert_eq!(
        kinds(&report)[0],
        (Verdict::Critical, ReasonKind::RequiredScheduleMissing)
    );
    let report = Appliance::new(fresh())
        .schedules(disabled())
        .check(&requires)
        .await;
    assert_eq!(
        kinds(&report)[0],
        (Verdict::Warning, ReasonKind::RequiredScheduleDisabled)
    );

    let report = Appliance::new(fresh())
        .schedules([("weekly", schedule(true, Some((1, 0)), &["SUNDAY"]))])
        .check(&HealthPolicy::default())
        .await;
    assert_eq!(
        report.schedules.unwrap()[0].next_run.unwrap().to_rfc3339(),
        "2024-06-09T01:00:00+00:00"
    );
}

#[tokio::test]
async fn unreadable_schedules_are_unknown_unless_something_is_certainly_wrong() {
    let report = Appliance::new([succeeded(hours(3))])
        .unreadable_schedules(403)
        .check(&HealthPolicy::default())
        .await;
    assert_eq!(report.verdict, Verdict::Unknown);
    assert!(report.schedules.is_none());
    assert!(
        report
            .summary()
            .starts_with("the backup schedules could not be read: "),
        "{}",
        report.summary()
    );
    let report = Appliance::new([succeeded(hours(60))])
        .unreadable_schedules(403)
        .check(&HealthPolicy::default())
        .await;
    assert_eq!(report.verdict, Verdict::Critical);

    // A policy that does not judge schedules still says so, without leaving the verdict open...
    let indifferent = HealthPolicy::default().no_enabled_schedule_is_warning(false);
    let report = Appliance::new([succeeded(hours(3))])
        .unreadable_schedules(403)
        .check(&indifferent)
        .await;
    assert_eq!(report.verdict, Verdict::Ok);
    assert!(
        kinds(&report).contains(&(Verdict::Ok, ReasonKind::Unreadable)),
        "{:?}",
        report.reasons
    );
    // ...but a required schedule is judged: unreadable, it leaves the verdict open.
    let report = Appliance::new([succeeded(hours(3))])
        .unreadable_schedules(403)
        .check(&indifferent.require_schedule("default"))
        .await;
    assert_eq!(report.verdict, Verdict::Unknown);
}

#[tokio::test]
async fn a_newest_job_in_an_unknown_state_is_a_warning() {
    let report = Appliance::new([succeeded(hours(3)), job("PAUSED", hours(1))])
        .check(&HealthPolicy::default())
        .await;
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

#[tokio::test]
async fn a_success_after_the_appliance_clock_is_unknown() {
    let report = Appliance::new([succeeded(-hours(1))])
        .check(&HealthPolicy::default())
        .await;
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

#[tokio::test]
async fn the_report_serializes_for_scripts() {
    let report = Appliance::new([succeeded(hours(3))])
        .check(&HealthPolicy::default())
        .await;
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["verdict"], "OK");
    assert_eq!(json["last_success"]["age_seconds"], 3 * 3600 - 600);
    assert_eq!(json["last_success"]["duration_seconds"], 600);
    assert_eq!(json["reasons"][0]["kind"], "last_success_age");
    assert_eq!(json["schedules"][0]["next_run"], "2024-06-08T02:30:00Z");
    assert_eq!(json["schedules"][0]["missed_runs"], 0);
}

#[tokio::test]
async fn runs_missed_in_a_row_warn_then_turn_critical_by_the_policy() {
    // The schedule's backups ran at 02:30 on Tuesday and Wednesday, then no more.
    let jobs = || {
        [
            scheduled(hours(57) + TimeDelta::minutes(30)),
            scheduled(hours(81) + TimeDelta::minutes(30)),
        ]
    };
    let at = |ago: TimeDelta| Appliance::new(jobs()).at(now() - ago);
    let policy = HealthPolicy::default();
    // Thursday 03:10: the run of 02:30 is 40 minutes late, within the hour of grace.
    let report = at(hours(32) + TimeDelta::minutes(50)).check(&policy).await;
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", report.reasons);
    // Thursday 03:40: the grace has passed.
    let report = at(hours(32) + TimeDelta::minutes(20)).check(&policy).await;
    assert_eq!(report.verdict, Verdict::Warning, "{:?}", report.reasons);
    assert_eq!(kinds(&report)[0], (Verdict::Warning, ReasonKind::MissedRun));
    assert_eq!(
        report.summary(),
        "the backup schedule \"default\" missed a run: Thursday 02:30 did not start (no backup \
         job started within 1h 0m of its time)"
    );
    // Friday 03:40: the second run in a row is missed.
    let report = at(hours(8) + TimeDelta::minutes(20)).check(&policy).await;
    assert_eq!(report.verdict, Verdict::Critical, "{:?}", report.reasons);
    assert_eq!(
        kinds(&report)[0],
        (Verdict::Critical, ReasonKind::MissedRun)
    );
    assert!(
        report.reasons[0]
            .message
            .contains("missed 2 runs in a row: Thursday 02:30 and Friday 02:30 did not start"),
        "{:?}",
        report.reasons
    );
    let schedule = &report.schedules.as_ref().unwrap()[0];
    assert_eq!(schedule.missed_runs, 2);
    assert_eq!(
        schedule.last_due_run.unwrap().to_rfc3339(),
        "2024-06-07T02:30:00+00:00"
    );
    // Thresholds are the policy's.
    let patient = policy
        .missed_runs_critical(3)
        .missed_run_grace(Duration::from_secs(12 * 3600));
    let report = at(hours(8) + TimeDelta::minutes(20)).check(&patient).await;
    assert_eq!(report.verdict, Verdict::Warning, "{:?}", report.reasons);
    assert!(
        report.summary().contains("Thursday 02:30 did not start"),
        "{}",
        report.summary()
    );
}

#[tokio::test]
async fn runs_are_judged_only_since_the_oldest_scheduled_job_and_any_job_counts() {
    // Only manual jobs on record: a schedule created since has no run to miss yet.
    let report = Appliance::new([succeeded(hours(3)), succeeded(hours(27))])
        .check(&HealthPolicy::default())
        .await;
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", report.reasons);
    // A backup started by hand within the grace of the run counts as the run.
    let report = Appliance::new([
        succeeded(hours(9) + TimeDelta::minutes(10)),
        scheduled(hours(33) + TimeDelta::minutes(30)),
    ])
    .check(&HealthPolicy::default())
    .await;
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", report.reasons);
}

#[tokio::test]
async fn the_newest_scheduled_backup_is_looked_for_at_its_location() {
    let (id, mut newest) = scheduled(hours(3));
    newest["location"] = json!(ARCHIVE_FOLDER);
    let policy = HealthPolicy::default().verify_archive(Some(Secret::new("Nas-Pa55word!")));
    let mut appliance = Appliance::new([(id, newest), succeeded(hours(1))]);
    let server = appliance.serve().await;
    let report = client(&server, Flavour::Api)
        .check_backup_health(&policy)
        .await
        .unwrap();
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", report.reasons);
    assert!(
        report
            .reasons
            .iter()
            .any(|r| r.kind == ReasonKind::ArchiveAtLocation
                && r.message
                    == "the newest successful scheduled backup, S_8.0.3.00400_20240607-090000_, is \
                    at sftp://backup.example.com/vcsa"),
        "{:?}",
        report.reasons
    );
    // Asked for with the job's user and the password given.
    let asked = crate::support::requests_to(&server, "POST", ARCHIVE).await;
    let body: Value = serde_json::from_slice(&asked[0].body).unwrap();
    assert_eq!(body["location"], "sftp://backup.example.com/vcsa");
    assert_eq!(body["location_user"], "backup");
    assert_eq!(body["location_password"], "Nas-Pa55word!");

    appliance.archive = 404;
    let report = appliance.check(&policy).await;
    assert_eq!(report.verdict, Verdict::Warning, "{:?}", report.reasons);
    assert_eq!(
        kinds(&report)[0],
        (Verdict::Warning, ReasonKind::ArchiveAtLocation)
    );
    assert!(
        report.summary().contains(
            "is not at its location: the catalog of sftp://backup.example.com/vcsa does not \
             list S_8.0.3.00400_20240607-090000_ of vcsa-01.example.com"
        ),
        "{}",
        report.summary()
    );
    let shown = format!(
        "{policy:?} {report:?} {}",
        serde_json::to_string(&report).unwrap()
    );
    assert!(!shown.contains("Nas-Pa55word!"), "{shown}");
    // Without the option, the catalog is not asked.
    let report = appliance.check(&HealthPolicy::default()).await;
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", report.reasons);

    // A backup that went outside the folder layout cannot be looked for in a catalog.
    let (id, mut stray) = scheduled(hours(3));
    stray["location"] = json!("sftp://backup.example.com/loose");
    let report = Appliance::new([(id, stray)]).check(&policy).await;
    assert_eq!(report.verdict, Verdict::Warning, "{:?}", report.reasons);
    assert!(
        report.summary().contains(
            "went to sftp://backup.example.com/loose, which is not in the appliance's folder \
             layout, so the catalog cannot list it"
        ),
        "{}",
        report.summary()
    );
}
