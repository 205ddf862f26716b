//! What applying a schedule spec changes, and the update that makes the change.

use DayOfWeek::*;
use serde_json::json;
use vcsa_backup::*;

use crate::support;

const ROOT: &str = "sftp://nas.example.com/backups";

fn spec() -> ScheduleSpecBuilder {
    ScheduleSpec::builder()
        .location(ROOT)
        .location_credentials("backup", Secret::new("Nas-Pa55word!"))
        .backup_password(Secret::new("Backup-2024!"))
}

/// What the appliance holds after creating `spec` (passwords aside).
fn stored(spec: &ScheduleSpec) -> Schedule {
    let mut schedule = Schedule::new("default", spec.location());
    schedule.location_user = spec.location_user().map(String::from);
    schedule.parts = [PartId::COMMON]
        .into_iter()
        .chain(spec.parts().iter().cloned())
        .collect();
    schedule.enabled = spec.is_enabled();
    schedule.recurrence = spec.recurrence().cloned();
    schedule.retention = spec.retention();
    schedule.fast_backup = spec.fast_backup();
    schedule
}

fn diff(current: Option<&Schedule>, desired: &ScheduleSpec) -> ScheduleDiff {
    ScheduleDiff::between("default", current, desired, ApplyOptions::new())
}

fn fields(diff: &ScheduleDiff) -> Vec<Field> {
    diff.changes().iter().map(|c| c.field).collect()
}

#[test]
fn a_missing_schedule_is_created_with_every_setting_and_the_passwords() {
    let desired = spec()
        .part("seat")
        .at(23, 0)
        .days([Friday])
        .keep(7)
        .build()
        .unwrap();
    let d = diff(None, &desired);
    assert_eq!(d.action(), &ScheduleAction::Create);
    use Field as F;
    assert_eq!(
        fields(&d),
        [
            F::Location,
            F::LocationUser,
            F::Parts,
            F::Time,
            F::Days,
            F::Retention,
            F::LocationPassword,
            F::BackupPassword
        ]
    );
    insta::assert_snapshot!(d.to_string(), @r#"
    schedule "default" does not exist: create it with 8 settings
      backup location: none -> sftp://nas.example.com/backups
      location user name: none -> backup
      parts: common only -> common, seat
      time of day: none (only when run) -> 23:00
      days: every day -> Friday
      retention: keep all -> keep the newest 7
      location password: sent (the appliance never returns it, so it cannot be compared)
      backup encryption password: sent (the appliance never returns it, so it cannot be compared)
    "#);
    assert!(!d.to_string().contains("Pa55word"));
}

#[test]
fn applying_the_same_spec_again_changes_nothing() {
    for desired in [
        spec().build().unwrap(),
        spec().at(0, 0).build().unwrap(),
        spec()
            .part("seat")
            .at(23, 59)
            .days([Sunday, Monday])
            .keep(1)
            .enabled(false)
            .fast_backup(true)
            .build()
            .unwrap(),
    ] {
        let d = diff(Some(&stored(&desired)), &desired);
        assert!(d.is_unchanged(), "{d}");
        assert!(d.changes().is_empty());
    }
}

#[test]
fn normalized_values_compare_equal() {
    let desired = spec().at(2, 30).build().unwrap();
    let mut current = stored(&desired);
    // All seven days listed, `common` listed or not, a trailing slash, the scheme's case,
    // fast backup unset against off, an empty user against none.
    current.recurrence = Recurrence::new(2, 30, DayOfWeek::WEEK);
    current.parts = vec![];
    current.location = "SFTP://nas.example.com/backups/".into();
    assert!(diff(Some(&current), &desired).is_unchanged());

    let desired = spec().part("seat").fast_backup(false).build().unwrap();
    let mut current = stored(&desired);
    current.parts = vec![PartId::SEAT, PartId::COMMON, PartId::SEAT];
    current.fast_backup = None;
    assert!(diff(Some(&current), &desired).is_unchanged());

    let nfs = ScheduleSpec::builder()
        .location("nfs://filer/export/b/")
        .build()
        .unwrap();
    let mut current = stored(&nfs);
    current.location = "nfs://filer:/export/b".into();
    current.location_user = Some(String::new());
    assert!(diff(Some(&current), &nfs).is_unchanged());
}

#[test]
fn only_the_differing_settings_are_updated() {
    let before = spec().at(23, 0).keep(3).build().unwrap();
    let current = stored(&before);
    let after = spec()
        .at(1, 30)
        .days([Monday, Wednesday, Friday])
        .keep(7)
        .part("seat")
        .build()
        .unwrap();
    let d = diff(Some(&current), &after);
    assert_eq!(d.action(), &ScheduleAction::Update);
    insta::assert_snapshot!(d.to_string(), @r#"
    schedule "default": update 4 settings
      parts: common only -> common, seat
      time of day: 23:00 -> 01:30
      days: every day -> Monday, Wednesday and Friday
      retention: keep the newest 3 -> keep the newest 7
      (passwords are never returned by the appliance, so they were not compared or sent)
    "#);
}

#[test]
fn back_to_every_day_is_an_update_listing_all_seven_days() {
    let current = stored(&spec().at(4, 0).days([Saturday]).build().unwrap());
    let d = diff(Some(&current), &spec().at(4, 0).build().unwrap());
    assert_eq!(d.action(), &ScheduleAction::Update);
    assert_eq!(
        d.changes(),
        [ScheduleChange::new(
            Field::Days,
            SettingValue::Days(vec![Saturday]),
            SettingValue::Days(DayOfWeek::WEEK.to_vec()),
        )]
    );
}

#[test]
fn removals_cannot_converge_by_an_update() {
    let current = stored(&spec().at(23, 0).keep(7).build().unwrap());
    let desired = spec().build().unwrap(); // no time, keep all
    let d = diff(Some(&current), &desired);
    assert_eq!(
        d.action(),
        &ScheduleAction::Blocked(vec![
            BlockReason::CannotUnset(Field::Time),
            BlockReason::CannotUnset(Field::Retention),
        ])
    );
    assert!(!d.is_applied());
    insta::assert_snapshot!(d.to_string(), @r#"
    schedule "default" cannot be brought to the spec
      ! the spec removes the time of day, which an update cannot unset (it keeps its value); allow recreating the schedule, with its passwords
      ! the spec removes the retention, which an update cannot unset (it keeps its value); allow recreating the schedule, with its passwords
      time of day: 23:00 -> none (only when run)
      retention: keep the newest 7 -> keep all
    "#);

    let recreate = ApplyOptions::new().allow_recreate(true);
    let d = ScheduleDiff::between("default", Some(&current), &desired, recreate);
    assert_eq!(d.action(), &ScheduleAction::Recreate);
    assert!(d.changes_field(Field::LocationPassword));
    assert!(d.changes_field(Field::BackupPassword));
}

#[test]
fn removing_the_location_user_needs_a_recreate_and_the_password_for_it() {
    let current = stored(&spec().build().unwrap());
    let nfs = ScheduleSpec::builder()
        .location("nfs://filer:/export/b")
        .build()
        .unwrap();
    let d = diff(Some(&current), &nfs);
    assert_eq!(
        d.action(),
        &ScheduleAction::Blocked(vec![BlockReason::CannotUnset(Field::LocationUser)])
    );
    let recreate = ApplyOptions::new().allow_recreate(true);
    let d = ScheduleDiff::between("default", Some(&current), &nfs, recreate);
    assert_eq!(
        d.action(),
        &ScheduleAction::Recreate,
        "NFS needs no password"
    );

    // A recreate with a user but without its password cannot be done.
    let mut with_retention = current.clone();
    with_retention.retention = Some(Retention { max_count: 2 });
    let no_password = ScheduleSpec::builder()
        .location(ROOT)
        .location_user("backup")
        .build()
        .unwrap();
    let d = ScheduleDiff::between("default", Some(&with_retention), &no_password, recreate);
    assert_eq!(
        d.action(),
        &ScheduleAction::Blocked(vec![
            BlockReason::CannotUnset(Field::Retention),
            BlockReason::NeedsLocationPassword,
        ])
    );
    // Nor can a create.
    let d = diff(None, &no_password);
    assert_eq!(
        d.action(),
        &ScheduleAction::Blocked(vec![BlockReason::NeedsLocationPassword])
    );
}

#[test]
fn passwords_are_sent_when_asked_or_with_a_new_user() {
    let desired = spec().build().unwrap();
    let current = stored(&desired);
    let asked = ApplyOptions::new().send_passwords(true);
    let d = ScheduleDiff::between("default", Some(&current), &desired, asked);
    assert_eq!(d.action(), &ScheduleAction::Update);
    assert_eq!(
        d.changes(),
        [
            ScheduleChange::new(
                Field::LocationPassword,
                SettingValue::Secret,
                SettingValue::Secret
            ),
            ScheduleChange::new(
                Field::BackupPassword,
                SettingValue::Secret,
                SettingValue::Secret
            )
        ]
    );
    assert!(!d.to_string().contains("not compared or sent"));

    let mut other_user = current.clone();
    other_user.location_user = Some("old-backup".into());
    let d = diff(Some(&other_user), &desired);
    assert_eq!(fields(&d), [Field::LocationUser, Field::LocationPassword]);

    // Without its password, a new user is still an update; the stored password stays.
    let user_only = ScheduleSpec::builder()
        .location(ROOT)
        .location_user("backup")
        .build()
        .unwrap();
    let d = diff(Some(&other_user), &user_only);
    assert_eq!(fields(&d), [Field::LocationUser]);
}

#[test]
fn the_remaining_settings() {
    let desired = spec().enabled(false).fast_backup(true).build().unwrap();
    let mut current = stored(&spec().build().unwrap());
    current.location = "sftp://other.example.com/backups".into();
    let d = diff(Some(&current), &desired);
    insta::assert_snapshot!(d.to_string(), @r#"
    schedule "default": update 3 settings
      backup location: sftp://other.example.com/backups -> sftp://nas.example.com/backups
      enabled: on -> off
      fast backup: off -> on
      (passwords are never returned by the appliance, so they were not compared or sent)
    "#);
    // A schedule that gains a time gains its days with it.
    let d = diff(
        Some(&current),
        &spec().at(6, 0).days([Tuesday]).build().unwrap(),
    );
    assert!(d.changes_field(Field::Time) && d.changes_field(Field::Days));
}

#[test]
fn the_diff_serializes_for_machines() {
    let current = stored(&spec().at(23, 0).build().unwrap());
    let d = diff(Some(&current), &spec().at(1, 0).build().unwrap());
    assert_eq!(
        serde_json::to_value(&d).unwrap(),
        serde_json::json!({
            "schedule": "default",
            "action": "update",
            "changes": [{"setting": "time", "current": "23:00", "desired": "01:00"}],
            "applied": false
        })
    );
    let blocked = diff(Some(&current), &spec().build().unwrap());
    assert_eq!(
        serde_json::to_value(&blocked).unwrap()["blockers"],
        serde_json::json!([{"reason": "cannot_unset", "field": "time"}])
    );
    // Every kind of value as the bare value; a password without any.
    let created = diff(
        None,
        &spec()
            .part("seat")
            .at(2, 5)
            .days([Friday, Monday])
            .keep(7)
            .build()
            .unwrap(),
    );
    assert_eq!(
        serde_json::to_value(created.changes()).unwrap(),
        serde_json::json!([
            {"setting": "location", "current": null, "desired": ROOT},
            {"setting": "location_user", "current": null, "desired": "backup"},
            {"setting": "parts", "current": [], "desired": ["seat"]},
            {"setting": "time", "current": null, "desired": "02:05"},
            {"setting": "days", "current": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"], "desired": ["MONDAY", "FRIDAY"]},
            {"setting": "retention", "current": null, "desired": 7},
            {"setting": "location_password"},
            {"setting": "backup_password"}
        ])
    );
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
    let expected = ScheduleSpec::builder()
        .at(23, 0)
        .days(DayOfWeek::WEEK)
        .keep(7)
        .build_update()
        .unwrap();
    assert_eq!(d.update(&after), expected);
    // A new time alone keeps the desired days, listed as they are.
    let later = spec()
        .part("seat")
        .at(23, 30)
        .days([Saturday])
        .keep(3)
        .build()
        .unwrap();
    let d = diff(Some(&current), &later);
    let expected = ScheduleSpec::builder()
        .at(23, 30)
        .days([Saturday])
        .build_update()
        .unwrap();
    assert_eq!(d.update(&later), expected);
}

#[tokio::test]
async fn passwords_go_in_the_update_only_when_the_diff_says_so() {
    let desired = spec().enabled(false).build().unwrap();
    let current = stored(&spec().build().unwrap());
    let quiet = diff(Some(&current), &desired).update(&desired);
    let expected = ScheduleSpec::builder().enabled(false).build_update();
    assert_eq!(quiet, expected.unwrap());
    let asked = ApplyOptions::new().send_passwords(true);
    let asked = ScheduleDiff::between("default", Some(&current), &desired, asked).update(&desired);
    let sent = support::sent_update(&asked, json!({})).await;
    assert_eq!(sent["location_password"], "Nas-Pa55word!");
    assert_eq!(sent["backup_password"], "Backup-2024!");
    assert_eq!(sent["enable"], false);
}
