//! The update a diff makes (its passwords are not public).

use super::*;
use crate::schedule::DayOfWeek;
use crate::schedule::ScheduleSpecBuilder;
use DayOfWeek::*;
use vcsa_backup_api::Secret;

const ROOT: &str = "sftp://nas.example.com/backups";

fn spec() -> ScheduleSpecBuilder {
    ScheduleSpec::builder()
        .location(ROOT)
        .location_credentials("backup", Secret::new("Nas-Pa55word!"))
        .backup_password(Secret::new("Backup-2024!"))
}

/// What the appliance holds after creating `spec` (passwords aside).
fn stored(spec: &ScheduleSpec) -> Schedule {
    let mut parts = vec![PartId::COMMON];
    parts.extend(spec.parts.iter().cloned());
    Schedule {
        id: "default".into(),
        location: spec.location.clone(),
        location_user: spec.location_user.clone(),
        parts,
        enabled: spec.enabled,
        recurrence: spec.recurrence.clone(),
        retention: spec.retention,
        fast_backup: spec.fast_backup,
    }
}

fn diff(current: Option<&Schedule>, desired: &ScheduleSpec) -> ScheduleDiff {
    ScheduleDiff::between("default", current, desired, ApplyOptions::new())
}

/// An update that changes nothing, to fill in.
fn nothing() -> ScheduleUpdate {
    ScheduleUpdate {
        location: None,
        location_user: None,
        location_password: None,
        backup_password: None,
        parts: None,
        enabled: None,
        time: None,
        days: None,
        retention: None,
        fast_backup: None,
    }
}

#[test]
fn an_update_sends_only_what_differs() {
    let before = spec()
        .part("seat")
        .at(23, 0)
        .days([Saturday])
        .keep(3)
        .build()
        .unwrap();
    let current = stored(&before);
    let after = spec().part("seat").at(23, 0).keep(7).build().unwrap();
    let d = diff(Some(&current), &after);
    assert_eq!(
        d.update(&after),
        ScheduleUpdate {
            time: Some((23, 0)),
            days: Some(DayOfWeek::WEEK.to_vec()),
            retention: Some(Retention { max_count: 7 }),
            ..nothing()
        }
    );
    // A new time alone keeps the desired days, listed as they are.
    let later = spec()
        .part("seat")
        .at(23, 30)
        .days([Saturday])
        .keep(3)
        .build()
        .unwrap();
    let d = diff(Some(&current), &later);
    assert_eq!(
        d.update(&later),
        ScheduleUpdate {
            time: Some((23, 30)),
            days: Some(vec![Saturday]),
            ..nothing()
        }
    );
}

#[test]
fn passwords_go_in_the_update_only_when_the_diff_says_so() {
    let desired = spec().enabled(false).build().unwrap();
    let current = stored(&spec().build().unwrap());
    let quiet = diff(Some(&current), &desired).update(&desired);
    assert_eq!(
        quiet,
        ScheduleUpdate {
            enabled: Some(false),
            ..nothing()
        }
    );
    let asked = ScheduleDiff::between(
        "default",
        Some(&current),
        &desired,
        ApplyOptions::new().send_passwords(true),
    )
    .update(&desired);
    assert_eq!(asked.location_password.unwrap().expose(), "Nas-Pa55word!");
    assert_eq!(
        asked.backup_password.unwrap().secret().expose(),
        "Backup-2024!"
    );
}
