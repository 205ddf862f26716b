//! Turning the global options into an SDK client: the server URL, the password, TLS trust.

use vcsa_backup::Client;

use crate::cli::GlobalArgs;
use crate::failure::Failure;
use crate::secrets;

/// The base URL for `--server`: a bare host (or `host:port`) means HTTPS; a trailing `/` or the
/// `/api`, `/rest` or `/ui` path people copy from the browser is dropped.
pub fn base_url(server: &str) -> String {
    let server = server.trim();
    let with_scheme = if server.contains("://") {
        server.to_string()
    } else {
        format!("https://{server}")
    };
    let mut url = with_scheme.trim_end_matches('/').to_string();
    for suffix in ["/api", "/rest", "/ui"] {
        if let Some(stripped) = url.strip_suffix(suffix)
            && stripped.matches('/').count() == 2
        {
            url = stripped.to_string();
        }
    }
    url
}

/// A client for the appliance named by `--server`, logging in as `--user` with the password
/// from its safe sources. Nothing is sent yet.
pub fn client(global: &GlobalArgs) -> Result<Client, Failure> {
    let Some(server) = global.server.as_deref().filter(|s| !s.trim().is_empty()) else {
        return Err(Failure::input(
            "no appliance given",
            "pass --server HOST (or set VCSA_SERVER); try `vcsa-backup demo` to see the tool \
             against a simulated appliance",
        ));
    };
    let url = base_url(server);
    if plain_http_off_this_machine(&url) {
        eprintln!(
            "warning: {url} is plain HTTP: the password and the backup passwords cross the \
             network unencrypted; use https://"
        );
    }
    let password = secrets::required(&secrets::APPLIANCE, global.password_file.as_deref())?;
    let mut builder = Client::builder(url)
        .credentials(global.user.clone(), password)
        .timeout(global.request_timeout)
        .user_agent(concat!("vcsa-backup-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(flavour) = global.flavour.chosen() {
        builder = builder.flavour(flavour);
    }
    if let Some(path) = &global.ca_cert {
        let pem = crate::files::read_capped(path, crate::files::CERTIFICATE_CAP).map_err(|e| {
            Failure::input(
                format!("could not read the CA certificate {}: {e}", path.display()),
                "check the path given to --ca-cert",
            )
        })?;
        builder = builder.add_root_certificate_pem(&pem);
    }
    if let Some(thumbprint) = &global.thumbprint {
        builder = builder.pin_thumbprint_sha256(thumbprint);
    }
    if global.insecure {
        eprintln!(
            "warning: --insecure: the appliance's certificate is not checked; anyone on the \
             network path can read the password"
        );
        builder = builder.danger_accept_invalid_certs();
    }
    Ok(builder.build()?)
}

/// Plain HTTP to anything but this machine (a simulator or a tunnel on loopback is fine).
fn plain_http_off_this_machine(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    !(host == "localhost" || host.starts_with("127.") || rest.starts_with("[::1]"))
}

#[cfg(test)]
mod tests {
    use super::base_url;

    #[test]
    fn plain_http_is_flagged_unless_on_loopback() {
        use super::plain_http_off_this_machine as flagged;
        assert!(flagged("http://vcsa.example.com"));
        assert!(flagged("http://10.0.0.5:8080"));
        assert!(!flagged("http://127.0.0.1:8080"));
        assert!(!flagged("http://localhost:80"));
        assert!(!flagged("http://[::1]:80"));
        assert!(!flagged("https://vcsa.example.com"));
    }

    #[test]
    fn a_bare_host_means_https() {
        assert_eq!(base_url("vcsa.example.com"), "https://vcsa.example.com");
        assert_eq!(base_url("10.0.0.5:8443"), "https://10.0.0.5:8443");
    }

    #[test]
    fn urls_copied_from_a_browser_are_trimmed() {
        assert_eq!(
            base_url("https://vcsa.example.com/"),
            "https://vcsa.example.com"
        );
        assert_eq!(
            base_url("https://vcsa.example.com/ui"),
            "https://vcsa.example.com"
        );
        assert_eq!(
            base_url("http://127.0.0.1:8080/api/"),
            "http://127.0.0.1:8080"
        );
        // A deeper path is the user's choice (a proxy, say): kept for the SDK to judge.
        assert_eq!(base_url("https://proxy/vcsa/api"), "https://proxy/vcsa/api");
        // A reverse proxy's prefix, which the SDK accepts.
        assert_eq!(
            base_url("https://proxy.example.com/vcenter1/"),
            "https://proxy.example.com/vcenter1"
        );
    }
}
