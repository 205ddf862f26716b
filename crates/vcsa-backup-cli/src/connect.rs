//! Turning the global options, the environment and the configuration file into an SDK client:
//! the server address, the user, the password, TLS trust. An option wins over its environment
//! variable (clap reads both), which wins over the configuration file's appliance entry.

use vcsa_backup::fleet::Trust;
use vcsa_backup::{BuildError, Client, Secret};

use crate::cli::GlobalArgs;
use crate::config::{self, Chosen, given};
use crate::failure::{Failure, problem};
use crate::secrets;

/// The user an appliance logs in as when nothing names one.
const DEFAULT_USER: &str = "administrator@vsphere.local";

/// A client for the appliance the options, the environment or the configuration file name,
/// logging in with the password from its safe sources. Nothing is sent yet.
pub fn client(global: &GlobalArgs) -> Result<Client, Failure> {
    let (server, chosen) = server(global)?;
    let url = vcsa_backup::server_url(&server).map_err(refused_server)?;
    if plain_http_off_this_machine(&url) {
        crate::output::say(&format!(
            "warning: {url} is plain HTTP: the password and the backup passwords cross the \
             network unencrypted; use https://"
        ));
    }
    let entry = chosen.as_ref().map(|c| &c.settings);
    let user = given(global.user.as_deref())
        .map(str::to_string)
        .or_else(|| entry.map(|e| e.user.clone()))
        .unwrap_or_else(|| DEFAULT_USER.to_string());
    let password = password(global, chosen.as_ref(), &format!("{user} on {url}"))?;
    let mut builder = Client::builder(url)
        .credentials(user, password)
        .request_timeout(global.request_timeout)
        .user_agent(concat!("vcsa-backup-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(flavour) = global.flavour.chosen() {
        builder = builder.flavour(flavour);
    }
    let trust_given = global.ca_cert.is_some() || global.thumbprint.is_some() || global.insecure;
    let (ca_cert, thumbprint) = if global.insecure {
        insecure_over_variables(global)?
    } else {
        (global.ca_cert.as_ref(), global.thumbprint.as_ref())
    };
    if let Some(path) = ca_cert {
        let pem = crate::files::read_capped(path, crate::files::CERTIFICATE_CAP).map_err(|e| {
            Failure::input(
                format!("could not read the CA certificate {}: {e}", path.display()),
                "check the path given to --ca-cert (or VCSA_CA_CERT)",
            )
        })?;
        builder = builder.add_root_certificate_pem(&pem);
    }
    if let Some(thumbprint) = thumbprint {
        builder = builder.pin_thumbprint_sha256(thumbprint);
    }
    if global.insecure {
        crate::output::say(
            "warning: --insecure: the appliance's certificate is not checked; anyone on the \
             network path can read the password",
        );
        builder = builder.danger_accept_invalid_certs();
    }
    // The file's trust counts only when no option or variable says whom to trust.
    match entry
        .and_then(|e| e.trust.as_ref())
        .filter(|_| !trust_given)
    {
        Some(Trust::Thumbprint(thumbprint)) => builder = builder.pin_thumbprint_sha256(thumbprint),
        Some(Trust::CaPem(pem)) => builder = builder.add_root_certificate_pem(pem),
        Some(_) | None => {}
    }
    Ok(builder.build()?)
}

/// With `--insecure`, the trust options left: none. The option wins over VCSA_THUMBPRINT and
/// VCSA_CA_CERT; typed together with `--thumbprint` or `--ca-cert`, it contradicts them.
fn insecure_over_variables(
    global: &GlobalArgs,
) -> Result<(Option<&std::path::PathBuf>, Option<&String>), Failure> {
    let from = |variable: &str, value: &std::ffi::OsStr| {
        std::env::var_os(variable).is_some_and(|v| v == value)
    };
    let typed = [
        global
            .thumbprint
            .as_ref()
            .filter(|t| !from("VCSA_THUMBPRINT", t.as_ref()))
            .map(|_| "--thumbprint"),
        global
            .ca_cert
            .as_ref()
            .filter(|c| !from("VCSA_CA_CERT", c.as_os_str()))
            .map(|_| "--ca-cert"),
    ];
    match typed.into_iter().flatten().next() {
        Some(option) => Err(Failure::input(
            format!("--insecure and {option} contradict each other"),
            format!("keep {option}: it checks the certificate"),
        )),
        None => Ok((None, None)),
    }
}

/// The server to talk to (the option or variable, else the configuration file's entry), and
/// the entry that applies.
pub fn server(global: &GlobalArgs) -> Result<(String, Option<Chosen>), Failure> {
    let chosen = config::chosen(global)?;
    let server = given(global.server.as_deref())
        .map(str::to_string)
        .or_else(|| chosen.as_ref().map(|c| c.settings.server.clone()));
    match server {
        Some(server) => Ok((server, chosen)),
        None => {
            let names = config::names(global);
            let hint = if names.is_empty() {
                "pass --server HOST (or set VCSA_SERVER, or write the appliance in the \
                 configuration file: see `vcsa-backup --help`); try `vcsa-backup demo` to see the \
                 tool against a simulated appliance"
                    .to_string()
            } else {
                format!(
                    "pass --server HOST, or --appliance NAME (or VCSA_APPLIANCE) with a name of \
                     the configuration file: {}",
                    names.join(", ")
                )
            };
            Err(Failure::input("no appliance given", hint))
        }
    }
}

/// The password: `--password-file`, else VCSA_PASSWORD, else the configuration file's source,
/// else the prompt.
fn password(
    global: &GlobalArgs,
    chosen: Option<&Chosen>,
    account: &str,
) -> Result<Secret, Failure> {
    let from_env = std::env::var_os(secrets::APPLIANCE.env).is_some_and(|v| !v.is_empty());
    if global.password_file.is_none()
        && !from_env
        && let Some(chosen) = chosen
    {
        let read = chosen.settings.read_password().map_err(|message| {
            Failure::input(
                format!(
                    "the password of appliance \"{}\" in {}: {message}",
                    chosen.settings.name,
                    chosen.file.display()
                ),
                "fix its password_file or password_env, or pass --password-file",
            )
        })?;
        if let Some(secret) = read {
            return Ok(secret);
        }
    }
    secrets::required_for(
        &secrets::APPLIANCE,
        global.password_file.as_deref(),
        Some(account),
    )
}

/// A `--server` the SDK refused: what is wrong (never the user name or password the address may
/// hold), and where the credentials go instead.
pub fn refused_server(error: BuildError) -> Failure {
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
