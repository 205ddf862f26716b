//! Tests of schedule::update, through the public API.

use crate::support;
use vcsa_backup::ScheduleSpec;
use vcsa_backup::*;

#[test]
fn updates_are_checked_like_specs() {
    let error = ScheduleSpec::builder()
        .at(25, 0)
        .keep(0)
        .location_user("")
        .build_update()
        .unwrap_err();
    let fields: Vec<_> = error.problems().iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        [
            vcsa_backup::Field::LocationUser,
            vcsa_backup::Field::Hour,
            vcsa_backup::Field::Retention
        ]
    );
    let nothing = ScheduleSpec::builder().build_update().unwrap_err();
    assert!(nothing.to_string().contains("changes nothing"), "{nothing}");
    let password = ScheduleSpec::builder()
        .backup_password(Secret::new("Backup-2024!"))
        .build_update()
        .unwrap();
    assert!(!format!("{password:?}").contains("Backup-2024!"));
}

/// A schedule running at 23:00 on `days`.
fn at_eleven(days: &[&str]) -> serde_json::Value {
    serde_json::json!({
        "parts": ["common"], "location": "sftp://nas/backups", "location_user": "backup",
        "enable": true, "recurrence_info": {"hour": 23, "minute": 0, "days": days}
    })
}

#[tokio::test]
async fn only_the_given_settings_are_sent() {
    let update = ScheduleSpec::builder()
        .keep(14)
        .enabled(false)
        .build_update()
        .unwrap();
    assert_eq!(
        support::sent_update(&update, at_eleven(&[])).await,
        serde_json::json!({"retention_info": {"max_count": 14}, "enable": false})
    );
    let no_parts = ScheduleSpec::builder()
        .parts(Vec::<PartId>::new())
        .build_update()
        .unwrap();
    assert_eq!(
        support::sent_update(&no_parts, at_eleven(&[])).await,
        serde_json::json!({"parts": []})
    );
}

#[tokio::test]
async fn a_time_keeps_the_schedule_s_days_and_days_keep_its_time() {
    use DayOfWeek::*;
    let current = at_eleven(&["SATURDAY", "SUNDAY"]);
    let time = ScheduleSpec::builder().at(1, 30).build_update().unwrap();
    assert_eq!(
        support::sent_update(&time, current.clone()).await["recurrence_info"],
        serde_json::json!({"hour": 1, "minute": 30, "days": ["SATURDAY", "SUNDAY"]})
    );
    let days = ScheduleSpec::builder()
        .days([Friday, Monday])
        .build_update()
        .unwrap();
    assert_eq!(
        support::sent_update(&days, current).await["recurrence_info"],
        serde_json::json!({"hour": 23, "minute": 0, "days": ["MONDAY", "FRIDAY"]})
    );
    // Both together need nothing from the schedule: it is not read.
    let both = ScheduleSpec::builder()
        .at(2, 0)
        .days([Monday])
        .build_update()
        .unwrap();
    let (server, client) = support::schedule_server(at_eleven(&[])).await;
    client.update_schedule("default", &both).await.unwrap();
    assert!(
        support::requests_to(&server, "GET", support::API_SCHEDULE)
            .await
            .is_empty()
    );
    // Days alone cannot be set on a schedule without a time: refused before anything is sent.
    let mut no_time = at_eleven(&[]);
    no_time["recurrence_info"] = serde_json::Value::Null;
    let (server, client) = support::schedule_server(no_time).await;
    let error = client.update_schedule("default", &days).await.unwrap_err();
    assert_eq!(error.problems()[0].field, Field::Days, "{error}");
    assert!(
        support::requests_to(&server, "PATCH", support::API_SCHEDULE)
            .await
            .is_empty()
    );
}
