//! Turning the global options into an SDK client: the server address, the password, TLS trust.

use vcsa_backup::{BuildError, Client};

use crate::cli::GlobalArgs;
use crate::failure::{Failure, problem};
use crate::secrets;

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
    let url = vcsa_backup::server_url(server).map_err(refused_server)?;
    if plain_http_off_this_machine(&url) {
        crate::output::say(&format!(
            "warning: {url} is plain HTTP: the password and the backup passwords cross the \
             network unencrypted; use https://"
        ));
    }
    let password = secrets::required_for(
        &secrets::APPLIANCE,
        global.password_file.as_deref(),
        Some(&format!("{} on {url}", global.user)),
    )?;
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
        crate::output::say(
            "warning: --insecure: the appliance's certificate is not checked; anyone on the \
             network path can read the password",
        );
        builder = builder.danger_accept_invalid_certs();
    }
    Ok(builder.build()?)
}

/// A `--server` the SDK refused: what is wrong (never the user name or password the address may
/// hold), and where the credentials go instead.
fn refused_server(error: BuildError) -> Failure {
    Failure::input(
        "the appliance address given to --server is invalid",
        "give --server the appliance's address alone, such as vcsa.example.com; the user goes in \
         --user and the password in --password-file (or VCSA_PASSWORD, or the prompt)",
    )
    .with_details(error.problems().iter().map(|p| format!("- {}", problem(p))))
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
}
