//! Tests of backup::request, through the public API.

use vcsa_backup::*;

#[test]
fn every_problem_is_reported_at_once() {
    let error = BackupRequest::builder()
        .location("nfs://filer/export/vcsa")
        .location_credentials("", Secret::new(""))
        .parts(["seat", "seat", "bad part"])
        .backup_password(Secret::new("weak"))
        .comment("a\u{0}b")
        .build()
        .unwrap_err();
    let fields: Vec<_> = error.problems().iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        [
            Field::LocationUser,
            Field::LocationUser,
            Field::LocationPassword,
            Field::Parts,
            Field::Parts,
            Field::BackupPassword,
            Field::Comment
        ]
    );
    assert!(!error.to_string().contains("weak"));
}

#[test]
fn missing_location_is_reported_with_the_rest() {
    let error = BackupRequest::builder()
        .backup_password(Secret::new("short"))
        .build()
        .unwrap_err();
    let fields: Vec<_> = error.problems().iter().map(|p| p.field).collect();
    assert_eq!(fields, [Field::Location, Field::BackupPassword]);
}
