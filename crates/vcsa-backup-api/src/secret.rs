//! Passwords and session tokens: [`Secret`], the type callers hold, and [`WireSecret`], the type
//! of every `format: password` value in the generated client, the only one that serializes.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A password or session token.
///
/// `Debug` and `Display` print a placeholder, never the value; the value is zeroized when the last
/// copy is dropped. Every method that takes one takes a `&str` or a `String` as well.
///
/// ```
/// # use vcsa_backup_api::Secret;
/// let password = Secret::new("VMware1!");
/// assert_eq!(format!("{password:?}"), "Secret([redacted])");
/// assert_eq!(password.to_string(), "[redacted]");
/// assert_eq!(password.expose(), "VMware1!");
/// assert_eq!(Secret::from("VMware1!"), password);
/// ```
///
/// It can be read from a configuration file (`Deserialize`), but it has no `Serialize`: a
/// structure of yours that holds one cannot write the value into JSON, a log or a file by
/// accident, so this does not compile:
///
/// ```compile_fail,E0277
/// # use vcsa_backup_api::Secret;
/// #[derive(serde::Serialize)]
/// struct Settings {
///     user: String,
///     password: Secret,
/// }
/// ```
///
/// Leave the password out of what you write instead:
///
/// ```
/// # use vcsa_backup_api::Secret;
/// #[derive(serde::Serialize)]
/// struct Settings {
///     user: String,
///     #[serde(skip)]
///     password: Secret,
/// }
///
/// let settings = Settings {
///     user: "administrator@vsphere.local".into(),
///     password: Secret::new("VMware1!"),
/// };
/// let json = serde_json::to_string(&settings).unwrap();
/// assert_eq!(json, r#"{"user":"administrator@vsphere.local"}"#);
/// # assert_eq!(settings.password.expose(), "VMware1!");
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

    /// The same secret as the generated wire types of `vcsa-backup-api` hold it, to put into a
    /// request; nothing else serializes it.
    pub fn to_wire(&self) -> WireSecret {
        WireSecret(self.clone())
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

impl From<WireSecret> for Secret {
    fn from(value: WireSecret) -> Self {
        value.0
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

/// A secret as it travels: the type of every `format: password` value of the generated client
/// (request fields, `/rest` query parameters, the session token it receives).
///
/// It serializes as the plain string, because that is what goes on the wire; `Debug` and
/// `Display` still print a placeholder. Build one from a [`Secret`] with [`Secret::to_wire`],
/// and turn a received one (a session token) into a [`Secret`] with [`WireSecret::into_secret`].
/// Keep `Secret` in your own types: this one is for the wire only.
///
/// ```
/// use vcsa_backup_api::{Secret, types};
///
/// let spec = types::LocationSpec {
///     location: "sftp://10.0.0.5/backups".into(),
///     location_user: Some("backup".into()),
///     location_password: Some(Secret::new("VMware1!").to_wire()),
/// };
/// let body = serde_json::to_value(&spec).unwrap();
/// assert_eq!(body["location_password"], "VMware1!");
/// assert!(!format!("{spec:?}").contains("VMware1!"));
/// ```
///
/// ```
/// use vcsa_backup_api::{Secret, WireSecret};
///
/// let token: WireSecret = serde_json::from_str("\"t0ken-value\"").unwrap();
/// assert_eq!(format!("{token:?}"), "WireSecret([redacted])");
/// assert_eq!(serde_json::to_string(&token).unwrap(), "\"t0ken-value\"");
/// let token: Secret = token.into_secret();
/// assert_eq!(token.expose(), "t0ken-value");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct WireSecret(Secret);

impl WireSecret {
    /// Wraps a value (what `Secret::new(value).to_wire()` gives).
    pub fn new(value: impl Into<String>) -> Self {
        Self(Secret::new(value))
    }

    /// The value itself: call this only where it must go on the wire or be checked.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// The secret to keep, which no longer serializes.
    pub fn into_secret(self) -> Secret {
        self.0
    }
}

impl fmt::Debug for WireSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WireSecret({REDACTED})")
    }
}

impl fmt::Display for WireSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for WireSecret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for WireSecret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl serde::Serialize for WireSecret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> serde::Deserialize<'de> for WireSecret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Secret::deserialize(deserializer).map(Self)
    }
}

impl schemars::JsonSchema for WireSecret {
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
        assert_eq!(WireSecret::new("abc"), Secret::new("abc").to_wire());
    }

    #[test]
    fn reads_from_json_and_never_prints() {
        let s: Secret = serde_json::from_str("\"t0ken-value\"").unwrap();
        assert_eq!(s.expose(), "t0ken-value");
        assert!(!format!("{s:?} {s}").contains("t0ken"));
        let w = s.to_wire();
        assert!(!format!("{w:?} {w}").contains("t0ken"));
    }

    #[test]
    fn only_the_wire_type_writes_the_value() {
        let wire = Secret::new("t0ken-value").to_wire();
        assert_eq!(serde_json::to_string(&wire).unwrap(), "\"t0ken-value\"");
        assert_eq!(Secret::from(wire).expose(), "t0ken-value");
    }
}
