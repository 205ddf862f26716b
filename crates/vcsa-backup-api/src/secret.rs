//! The type of every `format: password` value: passwords and session tokens.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A password or session token.
///
/// `Debug` and `Display` print a placeholder, never the value; the value is zeroized when the last
/// copy is dropped. It serializes as the plain string because that is what goes on the wire.
///
/// ```
/// use vcsa_backup_api::Secret;
///
/// let password = Secret::new("VMware1!");
/// assert_eq!(format!("{password:?}"), "Secret([redacted])");
/// assert_eq!(password.to_string(), "[redacted]");
/// assert_eq!(password.expose(), "VMware1!");
/// assert_eq!(serde_json::to_string(&password).unwrap(), "\"VMware1!\"");
/// ```
#[derive(Clone)]
pub struct Secret(SecretString);

/// What `Debug` and `Display` print instead of a secret.
pub const REDACTED: &str = "[redacted]";

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The value itself: call this only where it must go on the wire or be checked.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl PartialEq for Secret {
    /// Compares without stopping at the first differing byte, so timing says little about the value.
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.expose().as_bytes(), other.expose().as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl Eq for Secret {}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

impl schemars::JsonSchema for Secret {
    fn schema_name() -> String {
        "Secret".to_string()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("password".to_string()),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equality_compares_values() {
        assert_eq!(Secret::new("abc"), Secret::new("abc"));
        assert_ne!(Secret::new("abc"), Secret::new("abd"));
        assert_ne!(Secret::new("abc"), Secret::new("abcd"));
    }

    #[test]
    fn round_trips_through_json_and_never_prints() {
        let s: Secret = serde_json::from_str("\"t0ken-value\"").unwrap();
        assert_eq!(s.expose(), "t0ken-value");
        assert!(!format!("{s:?} {s}").contains("t0ken"));
    }
}
