//! Tests of schedule::info, through the public API.

use crate::support;
use serde_json::json;
use vcsa_backup::*;

#[test]
fn one_line_summary() {
    let mut s = Schedule::new("default", "sftp://nas/backups");
    assert_eq!(
        s.to_string(),
        "default: only when run to sftp://nas/backups, keep all"
    );
    s.enabled = false;
    s.parts = vec![PartId::COMMON, PartId::SEAT];
    s.recurrence = Recurrence::new(23, 0, [vcsa_backup::DayOfWeek::Sunday]);
    s.retention = Some(Retention { max_count: 3 });
    assert_eq!(
        s.to_string(),
        "default: disabled, Sunday at 23:00 to sftp://nas/backups (seat), keep the newest 3"
    );
}

#[tokio::test]
async fn a_schedule_from_the_wire() {
    let info = json!({
        "parts": ["common", "seat"],
        "location": "sftp://nas/backups",
        "location_user": "backup",
        "enable": true,
        "recurrence_info": {"hour": 23, "minute": 5, "days": ["SUNDAY", "MONDAY", "HOLIDAY"]},
        "retention_info": {"max_count": 7}
    });
    let (_server, client) = support::schedule_server(info.clone()).await;
    let s = client.get_schedule("default").await.unwrap();
    let r = s.recurrence.as_ref().unwrap();
    assert_eq!(
        r.days,
        [
            DayOfWeek::Monday,
            DayOfWeek::Sunday,
            DayOfWeek::Unknown("HOLIDAY".into())
        ],
        "sorted, the unknown day kept"
    );
    assert_eq!(s.retention, Some(Retention { max_count: 7 }));
    let mut bad = info.clone();
    bad["recurrence_info"]["hour"] = json!(24);
    let (_server, client) = support::schedule_server(bad).await;
    let error = client.get_schedule("default").await.unwrap_err();
    assert!(matches!(error, Error::MalformedResponse { .. }), "{error}");
    assert!(error.to_string().contains("24:5"), "{error}");
    let mut bad = info;
    bad["retention_info"]["max_count"] = json!(-1);
    let (_server, client) = support::schedule_server(bad).await;
    let error = client.get_schedule("default").await.unwrap_err();
    assert!(matches!(error, Error::MalformedResponse { .. }), "{error}");
}
