//! Backup locations: the protocol and the URL, which must agree.

use std::fmt;

use crate::error::{Field, Problem};
use vcsa_backup_api::Secret;

/// The protocol of a backup location.
///
/// ```
/// use vcsa_backup::LocationType;
///
/// assert_eq!(LocationType::from_scheme("SFTP"), Some(LocationType::Sftp));
/// assert_eq!(LocationType::Nfs.scheme(), "nfs");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum LocationType {
    /// FTP.
    Ftp,
    /// FTP over TLS.
    Ftps,
    /// HTTP (WebDAV).
    Http,
    /// HTTPS (WebDAV).
    Https,
    /// SCP. Appliances from 7.0 expect SFTP instead.
    Scp,
    /// SFTP.
    Sftp,
    /// NFS (6.7 U2 and later), written `nfs://host:/export/path`.
    Nfs,
    /// SMB (6.7 U2 and later), written `smb://server/share/path`.
    Smb,
}

impl LocationType {
    /// Every protocol the appliance knows.
    pub const ALL: [Self; 8] = [
        Self::Ftp,
        Self::Ftps,
        Self::Http,
        Self::Https,
        Self::Scp,
        Self::Sftp,
        Self::Nfs,
        Self::Smb,
    ];

    /// The URL scheme, such as `sftp`.
    pub fn scheme(self) -> &'static str {
        match self {
            Self::Ftp => "ftp",
            Self::Ftps => "ftps",
            Self::Http => "http",
            Self::Https => "https",
            Self::Scp => "scp",
            Self::Sftp => "sftp",
            Self::Nfs => "nfs",
            Self::Smb => "smb",
        }
    }

    /// The protocol for a URL scheme, in any letter case.
    pub fn from_scheme(scheme: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.scheme().eq_ignore_ascii_case(scheme))
    }
}

impl fmt::Display for LocationType {
    /// The name the appliance uses: `SFTP`, `NFS`...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.scheme().to_ascii_uppercase())
    }
}

/// A location checked against its protocol, in the form sent to the appliance.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Checked {
    pub(crate) location_type: LocationType,
    pub(crate) url: String,
}

/// Checks a location and its (optional) type, and writes the location in the appliance's form,
/// with the leniency [`BackupRequestBuilder::location`](crate::BackupRequestBuilder::location)
/// states for all callers (`nfs://host/export/path` and a bare `host:/export/path` are rewritten
/// to `nfs://host:/export/path` too).
pub(crate) fn check(raw: &str, given: Option<LocationType>) -> Result<Checked, Vec<Problem>> {
    let problem = |message: String| vec![Problem::new(Field::Location, message)];
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(hinted(
            "no backup location was given",
            "give one such as sftp://backup.example.com/vcsa",
        ));
    }
    if raw.chars().any(char::is_control) {
        return Err(hinted(
            "the location contains control characters",
            "remove them (a line break copied with it, say)",
        ));
    }
    let (location_type, rest) = protocol(raw, given)?;
    let (host, path) = split_host(rest, location_type);
    if host.contains('@') {
        return Err(hinted(
            "the location URL holds a user name or password",
            "give them as the location's user name and password instead",
        ));
    }
    if host.is_empty() || host.starts_with(':') {
        return Err(hinted(
            "the location names no server",
            format!("write it as {}://server/path", location_type.scheme()),
        ));
    }
    if host.chars().any(char::is_whitespace) {
        return Err(problem("the server name contains spaces".into()));
    }
    let folder = path.trim_matches('/');
    if folder.is_empty() {
        return Err(hinted(
            format!("the location names no folder on {host}"),
            format!(
                "the backup needs its own folder, such as {}",
                example(location_type, host)
            ),
        ));
    }
    if location_type == LocationType::Smb && !folder.contains('/') {
        // smb://server/share alone would write into the share's root, next to anything else.
        return Err(hinted(
            "an SMB location needs a share and a folder in it",
            format!("such as smb://{host}/{folder}/vcsa"),
        ));
    }
    let url = match location_type {
        LocationType::Nfs => format!("nfs://{host}:{path}"),
        other => format!("{}://{host}{path}", other.scheme()),
    };
    url::Url::parse(&url).map_err(|e| problem(format!("\"{url}\" is not a valid URL ({e})")))?;
    Ok(Checked { location_type, url })
}

/// The protocol of a location, from its scheme or the type given (which must agree), and the
/// location without its scheme.
fn protocol(raw: &str, given: Option<LocationType>) -> Result<(LocationType, &str), Vec<Problem>> {
    match raw.split_once("://") {
        Some((scheme, rest)) => {
            let Some(from_scheme) = LocationType::from_scheme(scheme) else {
                return Err(hinted(
                    format!("\"{scheme}\" is not a protocol the appliance can back up to"),
                    "use ftp, ftps, http, https, scp, sftp, nfs or smb",
                ));
            };
            if let Some(given) = given
                && given != from_scheme
            {
                return Err(vec![
                    Problem::new(
                        Field::LocationType,
                        format!(
                            "the location type is {given} but the location URL is for \
                             {from_scheme}"
                        ),
                    )
                    .with_hint("make them agree"),
                ]);
            }
            Ok((from_scheme, rest))
        }
        None => match given {
            Some(given) => Ok((given, raw)),
            None => Err(hinted(
                format!("cannot tell the protocol of \"{raw}\""),
                format!("write it as a URL such as sftp://{raw}, or give the location type"),
            )),
        },
    }
}

/// A location as one string to compare, or to build folders under: checked and written in the
/// appliance's form when it can be, without the trailing `/`s that do not change the folder it
/// names. The one normalisation of a location, for requests, schedules and the catalog alike.
pub(crate) fn canonical_root(raw: &str) -> String {
    let trimmed = |url: &str| url.trim().trim_end_matches('/').to_string();
    match check(raw, None) {
        Ok(checked) => trimmed(&checked.url),
        Err(_) => trimmed(raw),
    }
}

/// The protocol a location's scheme names, even when the location is refused.
pub(crate) fn scheme_type(raw: &str) -> Option<LocationType> {
    let (scheme, _) = raw.trim().split_once("://")?;
    LocationType::from_scheme(scheme)
}

/// Checks the user name and password of a location, as far as they are given, for every request
/// that carries them (a backup, a schedule, the catalog). Adds every problem found to `problems`;
/// never quotes the password.
pub(crate) fn check_credentials(
    location_type: Option<LocationType>,
    user: Option<&str>,
    password: Option<&Secret>,
    problems: &mut Vec<Problem>,
) {
    if location_type == Some(LocationType::Nfs) && (user.is_some() || password.is_some()) {
        problems.push(
            Problem::new(
                Field::LocationUser,
                "NFS locations take no user name or password",
            )
            .with_hint("access is granted by the NFS export; leave them out"),
        );
    }
    if let Some(user) = user {
        // The first fault found: (whether, what, what to do).
        let faults = [
            (
                user.trim().is_empty(),
                "the user name for the location is empty",
                "give the account that logs in to the backup server",
            ),
            (
                user.chars().any(char::is_control),
                "the user name for the location contains control characters",
                "remove them",
            ),
            (
                user.chars().any(char::is_whitespace),
                "the user name for the location contains spaces",
                "backup servers' account names have none; remove them",
            ),
            // The appliance hands the user to the tools that reach the backup server: a leading
            // `-` would read as one of their options.
            (
                user.starts_with('-'),
                "the user name for the location begins with \"-\", which the backup tools \
                 would take for an option",
                "give the account name without the leading \"-\"",
            ),
        ];
        if let Some((_, message, hint)) = faults.into_iter().find(|(fault, ..)| *fault) {
            problems.push(Problem::new(Field::LocationUser, message).with_hint(hint));
        }
    }
    if password.is_some_and(|p| p.expose().is_empty()) {
        problems.push(
            Problem::new(
                Field::LocationPassword,
                "the password for the location is empty",
            )
            .with_hint("give the password of the backup server's account"),
        );
    }
}

/// A location problem with what to do about it.
fn hinted(message: impl Into<String>, hint: impl Into<String>) -> Vec<Problem> {
    vec![Problem::new(Field::Location, message).with_hint(hint)]
}

/// Splits `host[:port]/path` (or NFS's `host:/path`) into the host part and the path with its `/`.
fn split_host(rest: &str, location_type: LocationType) -> (&str, &str) {
    if location_type == LocationType::Nfs
        && let Some((host, _)) = rest.split_once(":/")
    {
        return (host, &rest[host.len() + 1..]);
    }
    rest.split_at(rest.find('/').unwrap_or(rest.len()))
}

fn example(location_type: LocationType, host: &str) -> String {
    match location_type {
        LocationType::Nfs => format!("nfs://{host}:/export/vcsa"),
        LocationType::Smb => format!("smb://{host}/share/vcsa"),
        other => format!("{}://{host}/vcsa", other.scheme()),
    }
}
