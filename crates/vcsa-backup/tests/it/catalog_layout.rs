//! Tests of catalog::layout, through the public API.

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
