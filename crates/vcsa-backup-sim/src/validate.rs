//! Reading request bodies and checking them like the appliance does: every problem becomes
//! INVALID_ARGUMENT with messages that say what to fix, never a 500.

use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;
use vcsa_backup_api::enums::LocationType;
use vcsa_backup_api::types::{BackupRequest, LocalizableMessage};

use crate::error::{VapiError, message};
use crate::parts;

fn invalid_body(detail: String) -> VapiError {
    VapiError::invalid_argument(vec![message("vapi.bindings.typeconverter.invalid", detail)])
}

/// Decodes a JSON request body into `T`, naming the offending field when a value is missing,
/// mistyped or `null` (no field of a request body is nullable: leave an unset field out).
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, VapiError> {
    let value: Value = serde_json::from_slice(body).map_err(|err| {
        invalid_body(format!(
            "The request body is not valid JSON ({err}). Send {what} as a JSON object."
        ))
    })?;
    if let Some(path) = first_null_field(&value, String::new()) {
        return Err(invalid_body(format!(
            "The field '{path}' is null. Leave an optional field out instead of sending null."
        )));
    }
    decode_value(value, what)
}

/// Like [`decode`], for bodies made of structures: serde would also fill a structure from a
/// JSON array of its fields in order, which the appliance refuses. Arrays are taken only as the
/// members named in `lists`.
pub(crate) fn decode_object<T: DeserializeOwned>(
    body: &[u8],
    what: &str,
    lists: &[&str],
) -> Result<T, VapiError> {
    let value: Value = serde_json::from_slice(body).map_err(|err| {
        invalid_body(format!(
            "The request body is not valid JSON ({err}). Send {what} as a JSON object."
        ))
    })?;
    if value.is_array() {
        return Err(invalid_body(format!(
            "The request body is a list. Send {what} as a JSON object."
        )));
    }
    if let Some(path) = first_unlisted_array(&value, String::new(), lists) {
        return Err(invalid_body(format!(
            "The field '{path}' is a list but must be an object."
        )));
    }
    decode(body, what)
}

/// The path of the first object member holding an array whose name is not in `lists`.
fn first_unlisted_array(value: &Value, at: String, lists: &[&str]) -> Option<String> {
    let Value::Object(map) = value else {
        return None;
    };
    map.iter().find_map(|(key, v)| {
        let path = if at.is_empty() {
            key.to_string()
        } else {
            format!("{at}.{key}")
        };
        match v {
            Value::Array(_) if !lists.contains(&key.as_str()) => Some(path),
            Value::Object(_) => first_unlisted_array(v, path, lists),
            _ => None,
        }
    })
}

/// Like [`decode`], but `null` fields count as unset: for bodies the vendor's spec does not
/// describe, such as the JSON filter of the `/rest` details operation.
pub(crate) fn decode_lenient<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, VapiError> {
    let value: Value = serde_json::from_slice(body).map_err(|err| {
        invalid_body(format!(
            "The request body is not valid JSON ({err}). Send {what} as a JSON object."
        ))
    })?;
    decode_value(value, what)
}

fn decode_value<T: DeserializeOwned>(value: Value, what: &str) -> Result<T, VapiError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        invalid_body(if path.contains("password") {
            // The serde message may quote the value; a password never goes back on the wire.
            format!("The field '{path}' has the wrong type: it must be a string.")
        } else if path == "." {
            format!("The request body is not {what}: {inner}.")
        } else {
            format!("The field '{path}' is invalid: {inner}.")
        })
    })
}

/// The path of the first object field whose value is `null`, like `piece.comment`.
fn first_null_field(value: &Value, at: String) -> Option<String> {
    let join = |key: &str| {
        if at.is_empty() {
            key.to_string()
        } else {
            format!("{at}.{key}")
        }
    };
    match value {
        Value::Object(map) => map.iter().find_map(|(key, v)| match v {
            Value::Null => Some(join(key)),
            other => first_null_field(other, join(key)),
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| first_null_field(v, format!("{at}[{i}]"))),
        _ => None,
    }
}

/// The URL scheme each location type expects.
pub(crate) fn scheme_of(kind: &LocationType) -> Option<&'static str> {
    Some(match kind {
        LocationType::Ftp => "ftp",
        LocationType::Http => "http",
        LocationType::Ftps => "ftps",
        LocationType::Https => "https",
        LocationType::Scp => "scp",
        LocationType::Sftp => "sftp",
        LocationType::Nfs => "nfs",
        LocationType::Smb => "smb",
        _ => return None,
    })
}

/// A location reduced to what identifies its folder: scheme, host, port and path without a
/// trailing slash. Two spellings of one folder compare equal.
pub(crate) fn folder_key(location: &Url) -> String {
    let host = location.host_str().unwrap_or_default().to_ascii_lowercase();
    let port = location.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = location.path().trim_end_matches('/');
    format!("{}://{host}{port}{path}", location.scheme())
}

/// Checks a backup request; returns its location parsed. All problems are reported at once.
pub(crate) fn backup_request(req: &BackupRequest) -> Result<Url, VapiError> {
    let mut problems: Vec<LocalizableMessage> = Vec::new();
    let invalid =
        |id: &str, text: String| message(&format!("com.vmware.applmgmt.backup.{id}"), text);

    let expected_scheme = scheme_of(&req.location_type);
    if expected_scheme.is_none() {
        let known: Vec<&str> = LocationType::KNOWN.iter().map(|k| k.as_str()).collect();
        problems.push(invalid(
            "location_type.unknown",
            format!(
                "The location type '{}' is not supported. Use one of: {}.",
                req.location_type,
                known.join(", ")
            ),
        ));
    }

    let url = match Url::parse(&req.location) {
        Ok(url) if url.host_str().is_some_and(|h| !h.is_empty()) => Some(url),
        _ => {
            problems.push(invalid(
                "location.invalid",
                "The location must be a URL with a host and a folder, for example sftp://backup.example.com/vcsa."
                    .to_string(),
            ));
            None
        }
    };
    if let (Some(url), Some(scheme)) = (&url, expected_scheme)
        && url.scheme() != scheme
    {
        problems.push(invalid(
            "location.scheme_mismatch",
            format!(
                "The location type is {} but the location URL starts with '{}://'. Use a {scheme}:// URL or change the location type.",
                req.location_type,
                url.scheme()
            ),
        ));
    }

    for part in &req.parts {
        if parts::find(part).is_none() {
            let known: Vec<&str> = parts::PARTS.iter().map(|p| p.id).collect();
            problems.push(invalid(
                "parts.unknown",
                format!(
                    "The part '{part}' does not exist. Known parts: {}.",
                    known.join(", ")
                ),
            ));
        }
    }

    if let Some(password) = &req.backup_password {
        problems.extend(password_problems(password.expose()).into_iter().map(|p| {
            invalid(
                "backup_password.invalid",
                format!("The backup password {p}."),
            )
        }));
    }

    match (problems.is_empty(), url) {
        (true, Some(url)) => Ok(url),
        _ => Err(VapiError::invalid_argument(problems)),
    }
}

/// The password rules of seed 003, each broken rule named; never quotes the password.
pub(crate) fn password_problems(password: &str) -> Vec<&'static str> {
    let mut problems = Vec::new();
    let len = password.chars().count();
    if len < 8 {
        problems.push("must have at least 8 characters");
    }
    if len > 20 {
        problems.push("cannot be more than 20 characters long");
    }
    if !password.chars().any(|c| c.is_ascii_uppercase()) {
        problems.push("needs at least 1 uppercase letter");
    }
    if !password.chars().any(|c| c.is_ascii_lowercase()) {
        problems.push("needs at least 1 lowercase letter");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        problems.push("needs at least 1 numeric digit");
    }
    if !password.chars().any(|c| !c.is_ascii_alphanumeric()) {
        problems.push("needs at least 1 special character (any character not in 0-9, a-z, A-Z)");
    }
    if !password.chars().all(|c| c.is_ascii_graphic()) {
        problems.push("may only contain visible ASCII characters (no spaces)");
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        assert!(password_problems("VMware1!").is_empty());
        assert!(password_problems("Abcdefg1#xyzXYZ12345").is_empty()); // exactly 20
        assert_eq!(
            password_problems("Abcdefg1#xyzXYZ123456"),
            vec!["cannot be more than 20 characters long"]
        );
        assert_eq!(
            password_problems("Vm1!"),
            vec!["must have at least 8 characters"]
        );
        assert_eq!(
            password_problems("vmware11!"),
            vec!["needs at least 1 uppercase letter"]
        );
        assert_eq!(
            password_problems("VMWARE11!"),
            vec!["needs at least 1 lowercase letter"]
        );
        assert_eq!(
            password_problems("VMwareee!"),
            vec!["needs at least 1 numeric digit"]
        );
        assert_eq!(
            password_problems("VMware111"),
            vec!["needs at least 1 special character (any character not in 0-9, a-z, A-Z)"]
        );
        assert_eq!(
            password_problems("VMware 1!"),
            vec!["may only contain visible ASCII characters (no spaces)"]
        );
        assert!(
            password_problems("VMwäre1!x")
                .contains(&"may only contain visible ASCII characters (no spaces)")
        );
    }

    #[test]
    fn folder_keys_ignore_trailing_slash_and_host_case() {
        let a = Url::parse("sftp://Backup.Example.com/vcsa/").unwrap();
        let b = Url::parse("sftp://backup.example.com/vcsa").unwrap();
        assert_eq!(folder_key(&a), folder_key(&b));
        let nfs = Url::parse("nfs://10.0.0.5:/export/path").unwrap();
        assert_eq!(folder_key(&nfs), "nfs://10.0.0.5/export/path");
    }

    #[test]
    fn null_fields_are_refused_with_their_path() {
        let err = decode::<vcsa_backup_api::types::RestBackupRequestPiece>(
            br#"{"piece":{"parts":[],"location_type":"SFTP","location":"sftp://h/p","comment":null}}"#,
            "a backup request",
        )
        .unwrap_err();
        assert!(
            err.messages[0]
                .default_message
                .contains("'piece.comment' is null"),
            "{:?}",
            err.messages
        );
        assert!(decode_lenient::<serde_json::Value>(br#"{"filter":null}"#, "a filter").is_ok());
    }

    #[test]
    fn mistyped_password_never_echoed() {
        let err = decode::<BackupRequest>(
            br#"{"parts":[],"location_type":"SFTP","location":"sftp://h/p","backup_password":987654321}"#,
            "a backup request",
        )
        .unwrap_err();
        let text = format!("{:?}", err.messages);
        assert!(text.contains("backup_password"), "{text}");
        assert!(!text.contains("987654321"), "{text}");
    }
}
