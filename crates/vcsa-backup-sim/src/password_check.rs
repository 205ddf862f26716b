//! What a backup keeps of its encryption password: a salted PBKDF2 hash, so a catalog exported
//! from one simulator and read by another can tell a wrong password from the right one without
//! ever holding the password in clear.

use std::num::NonZeroU32;

use aws_lc_rs::pbkdf2;
use serde::{Deserialize, Serialize};

/// Few rounds: the hash guards test data, and a restore checks it on every validate.
const ROUNDS: NonZeroU32 = NonZeroU32::MIN.saturating_add(999);
const ALGORITHM: pbkdf2::Algorithm = pbkdf2::PBKDF2_HMAC_SHA256;

/// The check data of one encryption password (hex).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PasswordCheck {
    salt: String,
    pbkdf2_sha256: String,
}

impl PasswordCheck {
    /// The check data of `password`, with a fresh salt; `None` when no randomness is available.
    pub(crate) fn of(password: &str) -> Option<Self> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).ok()?;
        let mut hash = [0u8; 32];
        pbkdf2::derive(ALGORITHM, ROUNDS, &salt, password.as_bytes(), &mut hash);
        Some(Self {
            salt: hex(&salt),
            pbkdf2_sha256: hex(&hash),
        })
    }

    /// Whether `password` is the one this check data was made from.
    pub(crate) fn matches(&self, password: &str) -> bool {
        let (Some(salt), Some(hash)) = (unhex(&self.salt), unhex(&self.pbkdf2_sha256)) else {
            return false;
        };
        pbkdf2::verify(ALGORITHM, ROUNDS, &salt, password.as_bytes(), &hash).is_ok()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_right_password_matches_and_nothing_else_does() {
        let check = PasswordCheck::of("Backup!Pass1").unwrap();
        assert!(check.matches("Backup!Pass1"));
        assert!(!check.matches("backup!pass1"));
        assert!(!check.matches(""));
        let text = serde_json::to_string(&check).unwrap();
        assert!(!text.contains("Backup!Pass1"));
        let back: PasswordCheck = serde_json::from_str(&text).unwrap();
        assert!(back.matches("Backup!Pass1"));
        let broken = PasswordCheck {
            salt: "zz".into(),
            ..check
        };
        assert!(!broken.matches("Backup!Pass1"));
    }
}
