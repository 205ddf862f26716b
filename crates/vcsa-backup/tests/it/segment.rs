//! Tests of segment, through the public API.

use vcsa_backup::IdKind;

#[test]
fn ids_that_leave_their_segment_are_refused() {
    for kind in [
        IdKind::Job,
        IdKind::Schedule,
        IdKind::SystemName,
        IdKind::Archive,
    ] {
        for bad in [
            "", " ", ".", "..", "a/b", "a\\b", "a?b", "a#b", "a\nb", "\u{7f}", "/",
        ] {
            assert!(kind.check(bad).is_err(), "{bad:?}");
            let problem = kind.problem(bad).unwrap();
            assert!(
                problem.message.contains("one part of a URL path"),
                "{bad:?}"
            );
        }
        for good in [
            "default",
            "20180531-155107-8217864",
            "a b",
            "50%",
            "...",
            ".x",
            "été",
        ] {
            assert_eq!(kind.problem(good), None, "{good:?}");
        }
    }
}
