//! The appliance's address: the one rule that turns what an administrator writes (a host name,
//! `host:port`, a URL copied from a browser) into the base URL the client sends to.

use crate::error::{BuildError, Field, Problem};

/// Paths a browser shows right after the host: the client adds `/api` and `/rest` itself, and
/// `/ui` is the vSphere Client's.
const BROWSER_PATHS: [&str; 3] = ["/api", "/rest", "/ui"];

/// The base URL the client uses for the appliance at `raw`, as
/// [`Client::builder`](crate::Client::builder) takes it.
///
/// - A bare host or `host:port` means HTTPS: `vcsa.example.com` is `https://vcsa.example.com`.
/// - A trailing `/` is dropped, and so is the `/api`, `/rest` or `/ui` a browser shows right
///   after the host.
/// - A reverse proxy's path prefix is kept: `https://proxy.example.com/vcenter1`; a longer path
///   ending in `/api` or `/rest` is refused, since the client adds those itself.
/// - Only `https://` (and `http://`, for a local test server) with a host; no query or fragment.
/// - A user name or password in the address (`https://user:password@host`, `user@host`) is
///   refused, and never repeated in the error: they are the client's credentials, given apart.
///
/// ```
/// use vcsa_backup::server_url;
///
/// assert_eq!(server_url("vcsa.example.com")?, "https://vcsa.example.com");
/// assert_eq!(server_url("10.0.0.5:8443")?, "https://10.0.0.5:8443");
/// assert_eq!(server_url("https://vcsa.example.com/ui/")?, "https://vcsa.example.com");
/// assert_eq!(
///     server_url("https://proxy.example.com/vcenter1/")?,
///     "https://proxy.example.com/vcenter1"
/// );
/// let error = server_url("https://root:VMware1!@vcsa.example.com").unwrap_err();
/// assert!(!error.to_string().contains("VMware1!"));
/// # Ok::<(), vcsa_backup::BuildError>(())
/// ```
///
/// # Errors
///
/// A [`BuildError`] with one [`Field::BaseUrl`] problem saying what is wrong with the address.
pub fn server_url(raw: &str) -> Result<String, BuildError> {
    normalise(raw).map_err(|problem| BuildError::new(vec![problem]))
}

/// [`server_url`], with the problem alone.
pub(crate) fn normalise(raw: &str) -> Result<String, Problem> {
    let raw = raw.trim();
    if raw.contains('@') {
        // Nothing of the address is quoted: the text before the @ is a user name or a password.
        return Err(Problem::new(
            Field::BaseUrl,
            "the address holds a user name or password (text before an @)",
        )
        .with_hint(
            "give the address alone, such as https://vcsa.example.com, and the user name and \
             password as the credentials",
        ));
    }
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("https://{raw}")
    };
    let mut url = with_scheme.trim_end_matches('/');
    for path in BROWSER_PATHS {
        if let Some(stripped) = url.strip_suffix(path)
            && stripped.matches('/').count() == 2
        {
            url = stripped;
        }
    }
    check(url, raw)
}

/// The address as `Debug` may show it: never with a user name or password.
pub(crate) fn shown(raw: &str) -> &str {
    if raw.contains('@') {
        "(hidden: it holds a user name or password)"
    } else {
        raw
    }
}

/// Checks `url`, quoting `raw` (what was given) in the problems. Neither holds an `@`, so
/// neither holds a user name or password: [`normalise`] refused those first.
fn check(url: &str, raw: &str) -> Result<String, Problem> {
    let problem = |message: String| Problem::new(Field::BaseUrl, message);
    let parsed = url::Url::parse(url).map_err(|e| {
        problem(format!("\"{raw}\" is not a URL ({e})"))
            .with_hint("give the appliance's address, such as https://vcsa.example.com")
    })?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(problem(format!("\"{raw}\" is not an https:// address"))
            .with_hint("start it with https:// (or http:// for a local test server)"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(problem(format!("\"{raw}\" names no host")));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(problem(format!(
            "\"{raw}\" has a query (?...) or a fragment (#...), which an address cannot keep"
        ))
        .with_hint("give the appliance's address, such as https://vcsa.example.com"));
    }
    let path = parsed.path().trim_end_matches('/');
    let last = path.rsplit('/').next().unwrap_or_default();
    if ["api", "rest"].iter().any(|p| last.eq_ignore_ascii_case(p)) {
        return Err(problem(format!(
            "\"{raw}\" ends in /{last}, which the client adds itself"
        ))
        .with_hint(
            "leave /api and /rest out, such as https://vcsa.example.com (a reverse proxy's \
             prefix stays: https://proxy.example.com/vcenter1)",
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}
