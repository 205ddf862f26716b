//! Tests of catalog::layout, through the public API.

use chrono::NaiveDate;
use vcsa_backup::*;

#[test]
fn bad_names_and_versions_are_refused() {
    let error = ApplianceLayout::new("vcsa/01", "8.0 U3").unwrap_err();
    let fields: Vec<_> = error.problems().iter().map(|p| p.field).collect();
    assert_eq!(fields, [Field::SystemName, Field::Version]);
    for name in ["", ".hidden", "a b", "..", "a\\b"] {
        assert!(ApplianceLayout::new(name, "8.0").is_err(), "{name}");
    }
    assert!(ApplianceLayout::new("vcsa_01.lab-2.example", "8.0.3.00400").is_ok());
}

#[test]
fn manual_backups_get_a_fresh_folder_each_second() {
    let at = |s| {
        NaiveDate::from_ymd_opt(2024, 5, 31)
            .unwrap()
            .and_hms_opt(14, 5, s)
            .unwrap()
    };
    let layout = ApplianceLayout::new("vcsa-01", "8.0.3.00400").unwrap();
    let root = "nfs://filer:/export/backups";
    let first = layout.manual_backup_location(root, at(9));
    let second = layout.manual_backup_location(root, at(10));
    assert_eq!(
        first,
        "nfs://filer:/export/backups/vCenter/sn_vcsa-01/M_8.0.3.00400_20240531-140509_"
    );
    assert_ne!(first, second);
    assert_eq!(
        layout.system_folder(&format!("{root}//")),
        format!("{root}/vCenter/sn_vcsa-01")
    );
    // The catalog reads the folder back as a manual backup of this version.
    let name = ArchiveName::parse(first.rsplit('/').next().unwrap()).unwrap();
    assert_eq!(name.kind, ArchiveKind::Manual);
    assert_eq!(name.version, "8.0.3.00400");
}
