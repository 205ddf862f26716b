//! Tests of catalog::name, through the public API.

use chrono::NaiveDateTime;

use chrono::NaiveDate;
use vcsa_backup::*;

fn at(h: u32, m: u32, s: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 5, 31)
        .unwrap()
        .and_hms_opt(h, m, s)
        .unwrap()
}

#[test]
fn archive_names_round_trip() {
    for text in [
        "S_8.0.3.00400_20240531-230000_",
        "M_7.0.3.01700_20240101-000001_",
        "S_8.0.3.00400_20240531-230000_retry-1",
    ] {
        let name = ArchiveName::parse(text).unwrap();
        assert_eq!(name.to_string(), text);
    }
    let name = ArchiveName::parse("M_8.0.3.00400_20240531-140509_").unwrap();
    assert_eq!(
        name,
        ArchiveName::new(ArchiveKind::Manual, "8.0.3.00400", at(14, 5, 9))
    );
}

#[test]
fn other_folder_names_are_not_archive_names() {
    for text in [
        "",
        "S_",
        "X_8.0.3_20240531-230000_",
        "S_8.0.3_20240531-230000",
        "S_8.0.3_20241331-230000_",
        "S_8.0.3_2024-05-31_",
        "S__20240531-230000_",
        "S_8 0 3_20240531-230000_",
        "sn_vcsa",
        "é_8.0.3_20240531-230000_",
    ] {
        assert_eq!(ArchiveName::parse(text), None, "{text}");
    }
}
