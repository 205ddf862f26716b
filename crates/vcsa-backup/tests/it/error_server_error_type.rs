//! Tests of error::server_error_type, through the public API.

use vcsa_backup::*;

#[test]
fn every_known_type_round_trips_through_its_spelling() {
    assert_eq!(ServerErrorType::KNOWN.len(), 25);
    for t in ServerErrorType::KNOWN {
        assert!(t.is_known());
        assert_eq!(&ServerErrorType::from(t.to_string()), t);
        assert_eq!(t.as_str().parse::<ServerErrorType>().as_ref(), Ok(t));
    }
}

#[test]
fn unknown_types_are_kept_as_received() {
    let t = ServerErrorType::from("feature_in_use");
    assert_eq!(t, ServerErrorType::Unknown("feature_in_use".into()));
    assert_eq!(t.to_string(), "feature_in_use");
    assert_eq!(
        serde_json::to_string(&ServerErrorType::NotFound).unwrap(),
        "\"NOT_FOUND\""
    );
}
