//! Tests of catalog::location, through the public API.

use vcsa_backup::*;

fn fields(error: &BuildError) -> Vec<Field> {
    error.problems().iter().map(|p| p.field).collect()
}

#[test]
fn roots_are_urls_without_a_trailing_slash() {
    let root = |raw: &str| {
        BackupLocation::builder()
            .location(raw)
            .build()
            .map(|l| l.url().to_string())
    };
    assert_eq!(root("sftp://nas/backups/").unwrap(), "sftp://nas/backups");
    assert_eq!(root("SFTP://nas/backups//").unwrap(), "sftp://nas/backups");
    assert_eq!(
        root("nfs://filer/export/backups").unwrap(),
        "nfs://filer:/export/backups"
    );
    let bare = root("nas/backups").unwrap_err();
    assert_eq!(fields(&bare), [Field::Location]);
    assert!(bare.to_string().contains("sftp://nas/backups"), "{bare}");
    assert!(
        root("gopher://nas/b")
            .unwrap_err()
            .to_string()
            .contains("gopher")
    );
    assert!(
        root(" ")
            .unwrap_err()
            .to_string()
            .contains("no backup location")
    );
}

#[test]
fn credentials_are_checked_with_the_location() {
    let error = BackupLocation::builder()
        .location("nfs://filer:/export/b")
        .location_credentials("", Secret::new(""))
        .build()
        .unwrap_err();
    assert_eq!(
        fields(&error),
        [
            Field::LocationUser,
            Field::LocationUser,
            Field::LocationPassword
        ]
    );
    // A refused location still tells the protocol, so the credentials are checked too.
    let error = BackupLocation::builder()
        .location("sftp://nas")
        .location_credentials("backup\n", Secret::new("Pa55-word"))
        .build()
        .unwrap_err();
    assert_eq!(fields(&error), [Field::Location, Field::LocationUser]);
    assert!(!format!("{error} {error:?}").contains("Pa55-word"));
}

#[test]
fn debug_hides_the_password() {
    let builder = BackupLocation::builder()
        .location("sftp://nas/b")
        .location_credentials("backup", Secret::new("Nas-Pa55word!"));
    assert!(!format!("{builder:?}").contains("Nas-Pa55word!"));
    let location = builder.build().unwrap();
    assert!(!format!("{location:?}").contains("Nas-Pa55word!"));
    assert_eq!(location.user(), Some("backup"));
}
