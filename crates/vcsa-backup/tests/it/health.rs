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
