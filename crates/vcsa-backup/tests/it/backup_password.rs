//! Tests of backup::password, through the public API.

use proptest::prelude::*;
use vcsa_backup::*;

/// The rules restated independently, straight from the appliance's wording, as ranges.
#[allow(clippy::manual_is_ascii_check)]
fn oracle(value: &str) -> Vec<PasswordRule> {
    let mut broken = Vec::new();
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < 8 {
        broken.push(PasswordRule::MinLength);
    }
    if chars.len() > 20 {
        broken.push(PasswordRule::MaxLength);
    }
    if !chars.iter().any(|c| ('A'..='Z').contains(c)) {
        broken.push(PasswordRule::Uppercase);
    }
    if !chars.iter().any(|c| ('a'..='z').contains(c)) {
        broken.push(PasswordRule::Lowercase);
    }
    if !chars.iter().any(|c| ('0'..='9').contains(c)) {
        broken.push(PasswordRule::Digit);
    }
    let alnum =
        |c: &char| ('0'..='9').contains(c) || ('a'..='z').contains(c) || ('A'..='Z').contains(c);
    if !chars.iter().any(|c| !alnum(c)) {
        broken.push(PasswordRule::Special);
    }
    // Visible ASCII is 0x21 ('!') to 0x7E ('~'): space and DEL are not visible.
    if !chars.iter().all(|&c| ('\u{21}'..='\u{7e}').contains(&c)) {
        broken.push(PasswordRule::VisibleAscii);
    }
    broken
}

#[test]
fn documented_examples() {
    assert!(BackupPassword::new(Secret::new("VMware1!")).is_ok());
    assert!(BackupPassword::new(Secret::new("Aa1!Aa1!Aa1!Aa1!Aa1!")).is_ok()); // exactly 20
    assert_eq!(
        BackupPassword::new(Secret::new("Aa1!Aa1!Aa1!Aa1!Aa1!x"))
            .unwrap_err()
            .broken_rules(),
        [PasswordRule::MaxLength]
    );
    assert_eq!(
        BackupPassword::new(Secret::new("VMware 1!"))
            .unwrap_err()
            .broken_rules(),
        [PasswordRule::VisibleAscii]
    );
    assert_eq!(
        BackupPassword::new(Secret::new(""))
            .unwrap_err()
            .broken_rules(),
        [
            PasswordRule::MinLength,
            PasswordRule::Uppercase,
            PasswordRule::Lowercase,
            PasswordRule::Digit,
            PasswordRule::Special
        ]
    );
    // A non-ASCII letter counts as "not a letter or digit" but is not visible ASCII.
    assert_eq!(
        BackupPassword::new(Secret::new("Passwört1"))
            .unwrap_err()
            .broken_rules(),
        [PasswordRule::VisibleAscii]
    );
}

#[test]
fn error_never_echoes_the_password() {
    let error = BackupPassword::new(Secret::new("secret pass")).unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("secret"), "{shown}");
    assert_eq!(
        error.to_string(),
        "the backup password does not meet the appliance's rules: it needs at least one \
         upper-case letter (A-Z); it needs at least one digit (0-9); it may hold only visible \
         ASCII characters (no spaces, accented letters or control characters)"
    );
}

/// A password refused with `?` in a function returning the SDK's `Error` is a problem with the
/// backup password, like any other refused setting.
#[test]
fn a_refused_password_is_an_invalid_request() {
    fn check(value: &str) -> Result<BackupPassword, Error> {
        Ok(BackupPassword::new(Secret::new(value))?)
    }
    let error = check("short").unwrap_err();
    assert_eq!(error.retry_advice(), RetryAdvice::Never);
    let [problem] = error.problems() else {
        panic!("one problem: {error:?}");
    };
    assert_eq!(problem.field, Field::BackupPassword);
    assert!(check("Backup-2024!").is_ok());
}

proptest! {
    #[test]
    fn agrees_with_the_oracle_on_any_text(value in any::<String>()) {
        let expected = oracle(&value);
        match BackupPassword::new(Secret::new(value.as_str())) {
            Ok(p) => { prop_assert!(expected.is_empty()); prop_assert_eq!(p.expose(), value.as_str()); }
            Err(e) => prop_assert_eq!(e.broken_rules(), expected.as_slice()),
        }
    }

    #[test]
    fn agrees_with_the_oracle_near_the_boundaries(value in "[ -~\u{7f}\u{e9}]{0,24}") {
        let expected = oracle(&value);
        let got = BackupPassword::new(Secret::new(value.as_str())).err().map(|e| e.broken_rules().to_vec()).unwrap_or_default();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn valid_passwords_are_accepted(
        upper in "[A-Z]", lower in "[a-z]", digit in "[0-9]", special in "[!-/:-@\\[-`{-~]",
        rest in "[!-~]{4,16}",
    ) {
        let value = format!("{rest}{upper}{lower}{digit}{special}");
        prop_assert!(BackupPassword::new(Secret::new(value.as_str())).is_ok());
    }
}
