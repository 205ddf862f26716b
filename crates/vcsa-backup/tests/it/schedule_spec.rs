//! Tests of schedule::spec, through the public API.

use vcsa_backup::*;

fn fields(error: &BuildError) -> Vec<Field> {
    error.problems().iter().map(|p| p.field).collect()
}

fn base() -> ScheduleSpecBuilder {
    ScheduleSpec::builder().location("sftp://nas.example.com/backups")
}

#[test]
fn defaults() {
    let spec = base().build().unwrap();
    assert!(spec.is_enabled());
    assert_eq!(spec.recurrence(), None);
    assert_eq!(spec.retention(), None);
    assert!(spec.parts().is_empty());
    assert!(!spec.is_encrypted() && !spec.has_location_password());
    assert_eq!(spec.location_type(), LocationType::Sftp);
}

#[test]
fn every_problem_is_reported_at_once() {
    let error = ScheduleSpec::builder()
        .location("nfs://filer:/export/b")
        .location_credentials("", Secret::new(""))
        .parts(["seat", "seat", "bad part"])
        .at(24, 60)
        .days([
            DayOfWeek::Monday,
            DayOfWeek::from("FUNDAY"),
            DayOfWeek::Monday,
        ])
        .keep(0)
        .backup_password(Secret::new("weak pass"))
        .build()
        .unwrap_err();
    assert_eq!(
        fields(&error),
        [
            Field::LocationUser,
            Field::LocationUser,
            Field::LocationPassword,
            Field::Parts,
            Field::Parts,
            Field::Days,
            Field::Days,
            Field::Hour,
            Field::Minute,
            Field::Retention,
            Field::BackupPassword,
        ]
    );
    let text = error.to_string();
    assert!(!text.contains("weak pass"), "{text}");
    assert!(
        text.contains("\"FUNDAY\" is not a day of the week"),
        "{text}"
    );
    assert!(text.contains("24 is not an hour"), "{text}");
    assert!(text.contains("60 is not a minute"), "{text}");
    assert!(text.contains("at least 1 backup"), "{text}");
}

#[test]
fn a_repeated_day_or_part_is_reported_once() {
    let error = base()
        .parts(["seat", "seat", "seat"])
        .at(1, 0)
        .days([DayOfWeek::Monday, DayOfWeek::Monday, DayOfWeek::Monday])
        .build()
        .unwrap_err();
    let said: Vec<String> = error.problems().iter().map(|p| p.message.clone()).collect();
    assert_eq!(
        said,
        [
            "\"seat\" is listed twice",
            "Monday is listed twice; list each day once"
        ]
    );
}

#[test]
fn locations_need_a_known_scheme() {
    for (raw, says) in [
        ("nas.example.com/backups", "sftp://nas.example.com/backups"),
        ("gopher://nas/backups", "\"gopher\" is not a protocol"),
        ("", "no backup location"),
    ] {
        let error = ScheduleSpec::builder().location(raw).build().unwrap_err();
        assert_eq!(fields(&error), [Field::Location], "{raw}");
        assert!(error.to_string().contains(says), "{raw}: {error}");
    }
    let missing = ScheduleSpec::builder().keep(0).build().unwrap_err();
    assert_eq!(fields(&missing), [Field::Location, Field::Retention]);
    let trailing = base().location("sftp://nas/backups/").build().unwrap();
    assert_eq!(trailing.location(), "sftp://nas/backups");
}

#[test]
fn days_need_a_time() {
    let error = base().days([DayOfWeek::Sunday]).build().unwrap_err();
    assert_eq!(fields(&error), [Field::Days]);
    assert!(error.to_string().contains("no time of day"));
}

#[test]
fn boundaries_of_the_clock() {
    let r = base().at(0, 0).build().unwrap();
    assert_eq!(r.recurrence().unwrap().to_string(), "every day at 00:00");
    let r = base().at(23, 59).days([DayOfWeek::Sunday]).build().unwrap();
    assert_eq!(r.recurrence().unwrap().to_string(), "Sunday at 23:59");
    assert_eq!(
        fields(&base().at(24, 0).build().unwrap_err()),
        [Field::Hour]
    );
    assert_eq!(
        fields(&base().at(0, 60).build().unwrap_err()),
        [Field::Minute]
    );
    let huge = base().at(u32::MAX, u32::MAX).build().unwrap_err();
    assert_eq!(fields(&huge), [Field::Hour, Field::Minute]);
}

#[test]
fn retention_of_one_is_the_least() {
    assert_eq!(
        base().keep(1).build().unwrap().retention(),
        Some(Retention { max_count: 1 })
    );
    assert_eq!(
        fields(&base().keep(0).build().unwrap_err()),
        [Field::Retention]
    );
}

#[test]
fn a_user_without_its_password_is_allowed() {
    let spec = base().location_user("backup").build().unwrap();
    assert_eq!(spec.location_user(), Some("backup"));
    assert!(!spec.has_location_password());
    let error = base().location_user(" ").build().unwrap_err();
    assert_eq!(fields(&error), [Field::LocationUser]);
}

#[test]
fn debug_never_shows_passwords() {
    let builder = base()
        .location_credentials("backup", Secret::new("Nas-Pa55word!"))
        .backup_password(Secret::new("Backup-2024!"));
    let spec = builder.clone().build().unwrap();
    for shown in [format!("{builder:?}"), format!("{spec:?}")] {
        assert!(!shown.contains("Nas-Pa55word!"), "{shown}");
        assert!(!shown.contains("Backup-2024!"), "{shown}");
    }
}
