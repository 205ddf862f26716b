//! The backup health check against the simulator: the appliance's clock, job details and
//! schedules read once, within a hard time limit.

use std::time::Duration;

use vcsa_backup::health::{HealthPolicy, ReasonKind, Verdict};
use vcsa_backup::{Client, Error, ScheduleSpec, Secret};
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, RunningSimulator, Simulator};

fn client(sim: &RunningSimulator) -> Client {
    Client::builder(sim.url())
        .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_recent_backup_and_the_schedules_are_reported() {
    let sim = Simulator::builder()
        .tls(false)
        .history(3)
        .start()
        .await
        .unwrap();
    let appliance = client(&sim);
    let policy = HealthPolicy::default().require_schedule("default");
    // The simulator's world agrees with itself: `default` runs every day at 23:00, and the
    // history holds its last runs, the newest less than a day ago.
    let report = appliance.check_backup_health(&policy).await.unwrap();
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", report.reasons);
    let last = report.last_success.as_ref().expect("a success");
    assert!(
        last.age
            .is_some_and(|age| age < Duration::from_secs(25 * 3600)),
        "{last:?}"
    );
    let schedules = report.schedules.as_ref().expect("schedules read");
    let default = schedules.iter().find(|s| s.id == "default").unwrap();
    let next = default.next_run.expect("a time to run at");
    assert!(next.to_utc() > report.checked_at, "{default:?}");
    assert!(
        next.to_utc() - report.checked_at <= chrono::TimeDelta::days(1),
        "{default:?}"
    );

    // Disabled, it starts nothing by itself.
    let off = ScheduleSpec::builder()
        .enabled(false)
        .build_update()
        .unwrap();
    appliance.update_schedule("default", &off).await.unwrap();
    let report = appliance.check_backup_health(&policy).await.unwrap();
    assert_eq!(report.verdict, Verdict::Warning, "{:?}", report.reasons);
    assert!(
        report
            .reasons
            .iter()
            .any(|r| r.kind == ReasonKind::NoEnabledSchedule
                && r.message.contains("no backup schedule is enabled")),
        "{:?}",
        report.reasons
    );

    // No backup yet: CRITICAL, whatever the schedules say.
    let empty = Simulator::builder().tls(false).start().await.unwrap();
    let report = client(&empty)
        .check_backup_health(&HealthPolicy::default())
        .await
        .unwrap();
    assert_eq!(report.verdict, Verdict::Critical);
}

#[tokio::test(start_paused = true)]
async fn a_slow_appliance_is_given_up_on_at_the_time_limit() {
    let sim = Simulator::builder()
        .tls(false)
        .history(1)
        .start()
        .await
        .unwrap();
    sim.control().set_response_delay(Duration::from_secs(20));
    let started = tokio::time::Instant::now();
    let error = client(&sim)
        .check_backup_health(&HealthPolicy::default().time_limit(Duration::from_secs(30)))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transient { .. }), "{error:?}");
    assert!(error.to_string().contains("time limit of 30s"), "{error}");
    assert_eq!(started.elapsed(), Duration::from_secs(30));
}

#[tokio::test(start_paused = true)]
async fn a_transient_failure_is_retried_within_the_time_limit() {
    let sim = Simulator::builder().tls(false).start().await.unwrap();
    let appliance = client(&sim);
    appliance.login().await.unwrap();
    // The next read answers 503; the one after it is read.
    sim.control().fail_next(1);
    let report = appliance
        .check_backup_health(&HealthPolicy::default())
        .await
        .expect("read after a retry");
    assert_eq!(
        report.summary(),
        "the appliance has no backup job on record"
    );
    assert_eq!(sim.control().state().faults.fail_next, 0);

    // An appliance that keeps answering 503 is given up on within the limit, with its answer.
    sim.control().unavailable_for(Duration::from_secs(3600));
    let limit = Duration::from_secs(10);
    let started = tokio::time::Instant::now();
    let error = appliance
        .check_backup_health(&HealthPolicy::default().time_limit(limit))
        .await
        .unwrap_err();
    assert!(started.elapsed() < limit, "{:?}", started.elapsed());
    assert!(matches!(error, Error::Transient { .. }), "{error:?}");
    assert!(!error.to_string().contains("time limit"), "{error}");
}

#[tokio::test(start_paused = true)]
async fn missed_runs_warn_at_the_grace_turn_critical_at_the_second_and_clear_after_a_success() {
    let monday = "2026-05-18T00:00:00Z".parse().unwrap();
    let sim = Simulator::builder()
        .tls(false)
        .start_time(monday)
        .job_duration(Duration::from_secs(600))
        .start()
        .await
        .unwrap();
    let appliance = client(&sim);
    let at_one = ScheduleSpec::builder()
        .location("sftp://backup.example.com/vcsa")
        .location_credentials("backup", Secret::new("Nas-Pa55word!"))
        .at(1, 0)
        .build()
        .unwrap();
    appliance.delete_schedule("default").await.unwrap();
    appliance.create_schedule("default", &at_one).await.unwrap();
    let minutes = |m: u64| Duration::from_secs(60 * m);
    let policy = HealthPolicy::default();
    let verdict = || async {
        let report = appliance.check_backup_health(&policy).await.unwrap();
        (report.verdict, report.summary())
    };

    // Monday 01:00 runs; from 01:30 a manual backup holds the appliance for 60 hours, so the
    // runs of Tuesday and Wednesday 01:00 cannot start.
    tokio::time::advance(minutes(90)).await;
    assert_eq!(verdict().await.0, Verdict::Ok);
    sim.control()
        .set_job_duration(Duration::from_secs(60 * 3600));
    let request = vcsa_backup::BackupRequest::builder()
        .location("sftp://backup.example.com/vcsa/manual")
        .location_credentials("backup", Secret::new("Nas-Pa55word!"))
        .build()
        .unwrap();
    appliance.start_backup(&request).await.unwrap();
    sim.control().set_job_duration(minutes(10));

    // Tuesday 01:59: within the grace of the 01:00 run.
    tokio::time::advance(minutes(24 * 60 + 29)).await;
    assert_eq!(verdict().await.0, Verdict::Ok);
    // Tuesday 02:01: the grace has passed.
    tokio::time::advance(minutes(2)).await;
    let (tuesday, why) = verdict().await;
    assert_eq!(tuesday, Verdict::Warning, "{why}");
    assert!(
        why.contains("missed a run: Tuesday 01:00 did not start"),
        "{why}"
    );
    // Wednesday 02:01: the second run in a row.
    tokio::time::advance(minutes(24 * 60)).await;
    let (wednesday, why) = verdict().await;
    assert_eq!(wednesday, Verdict::Critical, "{why}");
    assert!(
        why.contains("missed 2 runs in a row: Tuesday 01:00 and Wednesday 01:00"),
        "{why}"
    );
    // The manual backup ends on Wednesday at 13:30; Thursday 01:00 runs and succeeds.
    tokio::time::advance(minutes(24 * 60)).await;
    let (thursday, why) = verdict().await;
    assert_eq!(thursday, Verdict::Ok, "{why}");

    // Its backup is in the catalog at the schedule's location.
    let verified = policy
        .clone()
        .verify_archive(Some(Secret::new("Nas-Pa55word!")));
    let report = appliance.check_backup_health(&verified).await.unwrap();
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", report.reasons);
    let found = report
        .reasons
        .iter()
        .find(|r| r.kind == ReasonKind::ArchiveAtLocation)
        .expect("the archive looked for");
    assert!(
        found
            .message
            .ends_with(" is at sftp://backup.example.com/vcsa"),
        "{found:?}"
    );
}
