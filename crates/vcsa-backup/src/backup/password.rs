//! The backup encryption password, as a type that can only hold a value the appliance accepts.

use std::fmt;

use vcsa_backup_api::Secret;

use crate::error::{Error, Field, Problem};

/// A password that encrypts the backup, checked against the appliance's rules.
///
/// The rules, from the appliance's documentation: 8 to 20 characters; at least one upper-case
/// letter, one lower-case letter, one digit and one character outside `[0-9a-zA-Z]`; visible ASCII
/// characters only (so no space). A value that breaks any rule is refused with a
/// [`PasswordError`] naming every rule it breaks, never the password itself.
///
/// ```
/// use vcsa_backup::{BackupPassword, PasswordRule, Secret};
///
/// let password = BackupPassword::new(Secret::new("Backup-2024!"))?;
/// assert_eq!(format!("{password:?}"), "BackupPassword([redacted])");
///
/// let error = BackupPassword::new(Secret::new("short")).unwrap_err();
/// assert!(error.broken_rules().contains(&PasswordRule::MinLength));
/// assert!(!error.to_string().contains("short"));
/// # Ok::<(), vcsa_backup::PasswordError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct BackupPassword(Secret);

impl BackupPassword {
    /// Checks `secret` against every rule and keeps it if all pass.
    pub fn new(secret: impl Into<Secret>) -> Result<Self, PasswordError> {
        let secret = secret.into();
        let broken = broken_rules(secret.expose());
        if broken.is_empty() {
            Ok(Self(secret))
        } else {
            Err(PasswordError { broken })
        }
    }

    /// The password as a [`Secret`], for sending it to the appliance.
    pub fn secret(&self) -> &Secret {
        &self.0
    }

    /// The password itself: call this only where it must be sent or stored.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl fmt::Debug for BackupPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BackupPassword({})", vcsa_backup_api::REDACTED)
    }
}

/// One of the appliance's rules for backup passwords.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum PasswordRule {
    /// At least 8 characters.
    MinLength,
    /// At most 20 characters.
    MaxLength,
    /// At least one upper-case letter (A-Z).
    Uppercase,
    /// At least one lower-case letter (a-z).
    Lowercase,
    /// At least one digit (0-9).
    Digit,
    /// At least one character that is not a letter or a digit, such as `!` or `-`.
    Special,
    /// Visible ASCII characters only: no spaces, accented letters or control characters.
    VisibleAscii,
}

/// The rule in words an administrator understands.
impl fmt::Display for PasswordRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::MinLength => "it must be at least 8 characters long",
            Self::MaxLength => "it must be at most 20 characters long",
            Self::Uppercase => "it needs at least one upper-case letter (A-Z)",
            Self::Lowercase => "it needs at least one lower-case letter (a-z)",
            Self::Digit => "it needs at least one digit (0-9)",
            Self::Special => {
                "it needs at least one character that is not a letter or a digit, such as ! or -"
            }
            Self::VisibleAscii => {
                "it may hold only visible ASCII characters (no spaces, accented letters or control characters)"
            }
        })
    }
}

/// A backup password broke one or more of the appliance's rules. Names the rules, never the value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the backup password does not meet the appliance's rules: {}",
    .broken.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
)]
pub struct PasswordError {
    broken: Vec<PasswordRule>,
}

impl PasswordError {
    /// The rules the password breaks, in the order [`PasswordRule`] declares them; never empty.
    pub fn broken_rules(&self) -> &[PasswordRule] {
        &self.broken
    }
}

impl From<PasswordError> for Error {
    fn from(e: PasswordError) -> Self {
        Error::problems_found(vec![Problem::new(Field::BackupPassword, e.to_string())])
    }
}

/// Checks the backup password a builder was given, adding its problem to `problems`.
pub(crate) fn check_backup_password(
    secret: Option<Secret>,
    problems: &mut Vec<Problem>,
) -> Option<BackupPassword> {
    BackupPassword::new(secret?)
        .map_err(|e| problems.push(Problem::new(Field::BackupPassword, e.to_string())))
        .ok()
}

/// Every rule `value` breaks, in the order [`PasswordRule`] declares them.
fn broken_rules(value: &str) -> Vec<PasswordRule> {
    let len = value.chars().count();
    let has = |pred: fn(&char) -> bool| value.chars().any(|c| pred(&c));
    [
        (PasswordRule::MinLength, len < 8),
        (PasswordRule::MaxLength, len > 20),
        (PasswordRule::Uppercase, !has(char::is_ascii_uppercase)),
        (PasswordRule::Lowercase, !has(char::is_ascii_lowercase)),
        (PasswordRule::Digit, !has(char::is_ascii_digit)),
        (PasswordRule::Special, !has(|c| !c.is_ascii_alphanumeric())),
        (PasswordRule::VisibleAscii, has(|c| !c.is_ascii_graphic())),
    ]
    .into_iter()
    .filter_map(|(rule, broken)| broken.then_some(rule))
    .collect()
}
