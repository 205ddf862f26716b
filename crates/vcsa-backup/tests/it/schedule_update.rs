//! Tests of schedule::update, through the public API.

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
