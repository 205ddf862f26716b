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

/// The rule as written in the documentation, checked the slow way.
fn fits_plainly(id: &str) -> bool {
    !(id.trim().is_empty()
        || id == "."
        || id == ".."
        || id
            .chars()
            .any(|c| matches!(c, '/' | '\\' | '?' | '#') || c.is_control()))
}

/// The check takes a fast path for the usual ids (ASCII without a refused byte): it agrees
/// with the rule on every one.
#[test]
fn the_fast_check_agrees_with_the_rule() {
    let chars: Vec<char> = (0u32..0x180)
        .chain([0x2028, 0x3000, 0xfeff, 0x1_f600])
        .filter_map(char::from_u32)
        .collect();
    let mut ids = vec![
        String::new(),
        "...".into(),
        "20180531-155107-8217864".into(),
    ];
    for &a in &chars {
        ids.push(a.to_string());
        for b in [' ', '.', 'x', '\u{85}', '\u{a0}', '\u{e9}'] {
            ids.push(format!("{a}{b}"));
            ids.push(format!("{b}{a}"));
            // Long enough for a whole vector and a tail.
            ids.push(format!("20180531-155107-8217864{a}{b}2018-155107"));
        }
    }
    for id in &ids {
        assert_eq!(
            IdKind::Job.problem(id).is_none(),
            fits_plainly(id),
            "{id:?}"
        );
    }
}
