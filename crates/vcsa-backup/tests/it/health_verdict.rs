//! Tests of health::verdict, through the public API.

use vcsa_backup::health::*;

#[test]
fn precedence_is_critical_warning_unknown_ok() {
    use Verdict::*;
    for (a, b, worst) in [
        (Ok, Ok, Ok),
        (Ok, Unknown, Unknown),
        (Unknown, Warning, Warning),
        (Critical, Warning, Critical),
        (Unknown, Critical, Critical),
    ] {
        assert_eq!(a.worst(b), worst, "{a} and {b}");
        assert_eq!(b.worst(a), worst, "{b} and {a}");
    }
    assert_eq!(
        serde_json::to_string(&Verdict::Critical).unwrap(),
        "\"CRITICAL\""
    );
}
