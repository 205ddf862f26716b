//! Tests of backup::location, through the public API: the one check of a backup location.

use vcsa_backup::*;

use LocationType::*;

fn request(raw: &str, given: Option<LocationType>) -> Result<BackupRequest, BuildError> {
    let builder = BackupRequest::builder().location(raw);
    match given {
        Some(location_type) => builder.location_type(location_type),
        None => builder,
    }
    .build()
}

/// The location's type and URL as the request holds them.
fn ok(raw: &str, given: Option<LocationType>) -> (LocationType, String) {
    let r = request(raw, given).unwrap_or_else(|e| panic!("{raw}: {e}"));
    (r.location_type(), r.location().to_string())
}

/// The first problem with the location.
fn err(raw: &str, given: Option<LocationType>) -> String {
    request(raw, given).unwrap_err().problems()[0].to_string()
}

#[test]
fn urls_with_schemes() {
    assert_eq!(
        ok("sftp://10.0.0.5/backups/vcsa", None),
        (Sftp, "sftp://10.0.0.5/backups/vcsa".into())
    );
    assert_eq!(
        ok("SFTP://host:2222/b", Some(Sftp)),
        (Sftp, "sftp://host:2222/b".into())
    );
    assert_eq!(ok("ftps://h/b", None).0, Ftps);
    assert_eq!(ok("https://h/dav/b", None).0, Https);
    assert_eq!(
        ok("smb://server/share/vcsa", None),
        (Smb, "smb://server/share/vcsa".into())
    );
    assert_eq!(
        ok("sftp://[fd00::5]/b", None),
        (Sftp, "sftp://[fd00::5]/b".into())
    );
}

#[test]
fn nfs_forms_are_normalised() {
    let want = (Nfs, "nfs://10.0.0.5:/export/vcsa".to_string());
    assert_eq!(ok("nfs://10.0.0.5:/export/vcsa", None), want);
    assert_eq!(ok("nfs://10.0.0.5/export/vcsa", None), want);
    assert_eq!(ok("10.0.0.5:/export/vcsa", Some(Nfs)), want);
}

#[test]
fn bare_form_needs_a_type() {
    assert_eq!(
        ok("backup.example.com/vcsa", Some(Sftp)),
        (Sftp, "sftp://backup.example.com/vcsa".into())
    );
    assert!(err("backup.example.com/vcsa", None).contains("cannot tell the protocol"));
}

#[test]
fn disagreements_and_gaps_are_reported() {
    assert!(
        err("sftp://h/b", Some(Nfs)).starts_with(
            "location type: the location type is NFS but the location URL is for SFTP"
        )
    );
    assert!(err("gopher://h/b", None).contains("\"gopher\" is not a protocol"));
    assert!(err("sftp://h", None).contains("names no folder"));
    assert!(err("sftp://h/", None).contains("names no folder"));
    assert!(err("sftp:///b", None).contains("names no server"));
    assert!(err("sftp://user:pw@h/b", None).contains("URL holds a user name or password"));
    assert!(!err("sftp://user:pw@h/b", None).contains("pw"));
    assert!(err("smb://server/share", None).contains("needs a share and a folder"));
    assert!(err("nfs://h:/", None).contains("names no folder"));
    assert!(err("   ", None).contains("no backup location was given"));
    assert!(err("sftp://h/\u{7}b", None).contains("control characters"));
    assert!(err("sftp://h b/x", None).contains("spaces"));
}

#[test]
fn location_users_that_could_inject_are_refused() {
    let with_user = |user: &str| {
        BackupRequest::builder()
            .location("sftp://h/b")
            .location_credentials(user, Secret::new("pw"))
            .build()
    };
    for bad in [
        "-oProxyCommand=touch",
        "a b",
        "a\tb",
        " backup",
        "back\u{7}up",
    ] {
        let problems = with_user(bad).unwrap_err().problems().to_vec();
        assert_eq!(problems.len(), 1, "{bad:?}");
        assert_eq!(problems[0].field, Field::LocationUser);
    }
    for good in ["backup", "DOMAIN\\backup", "backup@example.com", "a-b"] {
        assert!(with_user(good).is_ok(), "{good:?}");
    }
}

/// With the `clap` feature, a command line takes every location type by its scheme.
#[cfg(feature = "clap")]
#[test]
fn every_location_type_is_taken_by_its_scheme_in_any_case() {
    use clap::ValueEnum;
    for kind in LocationType::ALL {
        assert_eq!(LocationType::from_str(kind.scheme(), false), Ok(kind));
        let upper = kind.scheme().to_ascii_uppercase();
        assert_eq!(LocationType::from_str(&upper, true), Ok(kind));
    }
    assert!(LocationType::from_str("gopher", true).is_err());
}
