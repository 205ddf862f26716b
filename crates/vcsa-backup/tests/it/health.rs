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
    // The simulator's `default` schedule has no time: it runs only when asked to.
    let report = appliance.check_backup_health(&policy).await.unwrap();
    assert_eq!(report.verdict, Verdict::Warning, "{:?}", report.reasons);
    assert_eq!(report.reasons[0].kind, ReasonKind::NoEnabledSchedule);
    assert!(
        report.reasons[0]
            .message
            .contains("no enabled backup schedule has a time to run at"),
        "{:?}",
        report.reasons
    );

    let nightly = ScheduleSpec::builder()
        .location("sftp://nas.example.com/backups")
        .location_credentials("backup", Secret::new("Nas-Pa55word!"))
        .at(23, 0)
        .build()
        .unwrap();
    appliance
        .create_schedule("nightly", &nightly)
        .await
        .unwrap();
    let report = appliance.check_backup_health(&policy).await.unwrap();
    let last = report.last_success.as_ref().expect("a success");
    assert!(
        last.age
            .is_some_and(|age| age < Duration::from_secs(2 * 3600)),
        "{last:?}"
    );
    let schedules = report.schedules.as_ref().expect("schedules read");
    assert!(schedules.iter().any(|s| s.id == "default"), "{schedules:?}");
    let nightly = schedules.iter().find(|s| s.id == "nightly").unwrap();
    let next = nightly.next_run.expect("a time to run at");
    assert!(next.to_utc() > report.checked_at, "{nightly:?}");
    assert!(
        next.to_utc() - report.checked_at <= chrono::TimeDelta::days(1),
        "{nightly:?}"
    );
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", report.reasons);

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
