//! Settings for a [`Client`]: where the appliance is, who logs in, whom to trust, or the caller's
//! own HTTP client.

use std::fmt;
use std::time::Duration;

use vcsa_backup_api::Secret;

use crate::address;
use crate::client::Client;
use crate::error::{Error, Field, Problem};
use crate::human::and_list;
use crate::wire::flavour::Flavour;
#[cfg(feature = "rustls")]
use crate::wire::tls::Thumbprint;

/// How long one request may take unless [`ClientBuilder::request_timeout`] says otherwise.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// The longest wait for a connection, whatever the request time-out.
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds a [`Client`]; made by [`Client::builder`]. Settings are checked by [`build`](Self::build),
/// which reports every problem at once.
#[derive(Clone, Default)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<(String, Secret)>,
    flavour: Option<Flavour>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    root_certificates: Vec<Vec<u8>>,
    pins: Vec<String>,
    accept_invalid_certs: bool,
    http_client: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &address::shown(&self.base_url))
            .field("user", &self.credentials.as_ref().map(|(u, _)| u))
            .field("password", &self.credentials.as_ref().map(|(_, p)| p))
            .field("flavour", &self.flavour)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("root_certificates", &self.root_certificates.len())
            .field("pins", &self.pins)
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .field("http_client", &self.http_client.is_some())
            .finish()
    }
}

impl Client {
    /// Starts building a client for the appliance at `address`, such as `vcsa.example.com` or
    /// `https://vcsa.example.com`: the client adds `/api` or `/rest` itself. Behind a reverse
    /// proxy, give the proxy's path prefix too, with or without a trailing `/`:
    /// `https://proxy.example.com/vcenter1` sends to `/vcenter1/api/...` or `/vcenter1/rest/...`.
    /// [`server_url`](crate::server_url) says how the address is read.
    ///
    /// ```
    /// use vcsa_backup::{Client, Error, Field, Secret};
    ///
    /// let client = Client::builder("vcsa.example.com")
    ///     .credentials("administrator@vsphere.local", Secret::new("VMware1!"))
    ///     .build()?;
    /// assert_eq!(client.base_url(), "https://vcsa.example.com");
    /// // Every settings problem is reported at once, before anything is sent.
    /// let Err(Error::Configuration { problems, .. }) = Client::builder("ftp://vcsa.example.com")
    ///     .credentials("", Secret::new(""))
    ///     .build()
    /// else {
    ///     panic!("expected a configuration error");
    /// };
    /// let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
    /// assert_eq!(fields, [Field::BaseUrl, Field::User, Field::Password]);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn builder(address: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: address.into(),
            ..ClientBuilder::default()
        }
    }
}

impl ClientBuilder {
    /// The user who logs in, such as `administrator@vsphere.local`, and the password.
    pub fn credentials(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Some((user.into(), password.into()));
        self
    }

    /// Speaks this API flavour. Without it the client finds out on first use, at no extra cost.
    pub fn flavour(mut self, flavour: Flavour) -> Self {
        self.flavour = Some(flavour);
        self
    }

    /// How long one request may take, from connecting to reading the whole answer (default 60 s).
    /// Waiting for a backup to finish is many requests, each with this limit.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` sent with every request (default `vcsa-backup/<version>`); appears in the
    /// appliance's logs.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Also trusts the certificate authorities in this PEM data (one or more certificates), such
    /// as the appliance's own CA: download `https://<appliance>/certs/download.zip`, unzip it and
    /// pass the contents of the `.0` file under `certs/lin/` (PEM). The system's trusted
    /// authorities stay trusted.
    pub fn add_root_certificate_pem(mut self, pem: &[u8]) -> Self {
        self.root_certificates.push(pem.to_vec());
        self
    }

    /// Trusts the appliance's certificate by its SHA-256 thumbprint, as shown by the vSphere
    /// client or `openssl x509 -noout -fingerprint -sha256`: hex digits in any case, in pairs
    /// separated by colons or spaces or not at all; the `SHA256 Fingerprint=` label OpenSSL
    /// prints (`sha256 Fingerprint=` from OpenSSL 3) may be left on.
    ///
    /// Call it more than once to accept any of several certificates (while one is being
    /// replaced). Pinning replaces the usual checks: only a pinned certificate is accepted,
    /// whoever signed it and whatever host name it carries. Needs the `rustls` feature (the
    /// default).
    #[cfg(feature = "rustls")]
    #[cfg_attr(docsrs, doc(cfg(feature = "rustls")))]
    pub fn pin_thumbprint_sha256(mut self, thumbprint: &str) -> Self {
        self.pins.push(thumbprint.to_string());
        self
    }

    /// **Dangerous**: accepts any certificate, so anyone between the client and the appliance
    /// can read the credentials and the backup passwords. For throw-away lab appliances only;
    /// pin the thumbprint instead ([`pin_thumbprint_sha256`][pin]).
    ///
    #[cfg_attr(feature = "rustls", doc = "[pin]: Self::pin_thumbprint_sha256")]
    // Without rustls the method does not exist: the link goes to the features instead.
    #[cfg_attr(not(feature = "rustls"), doc = "[pin]: crate#features")]
    pub fn danger_accept_invalid_certs(mut self) -> Self {
        self.accept_invalid_certs = true;
        self
    }

    /// Sends every request through this HTTP client, as it is: for a proxy, extra headers, or
    /// connection settings this builder does not offer. The client still adds the log-in and
    /// session headers and the `/api` or `/rest` path.
    ///
    /// A ready-made client cannot be changed, so the settings this builder would put into the
    /// HTTP client it builds (a time-out, a user agent, CA certificates, pins, accepting any
    /// certificate) cannot be combined with it: [`build`](Self::build) refuses them with a
    /// [`Field::HttpClient`] problem rather than ignore them. Set them on the
    /// [`reqwest::ClientBuilder`] instead, and there also:
    ///
    /// - a time-out: reqwest has none by default, and a request to an appliance that stopped
    ///   answering would then wait for ever;
    /// - `redirect(reqwest::redirect::Policy::none())`: the session token travels in a header
    ///   that reqwest keeps when it follows a redirect to another host.
    ///
    /// ```
    /// use std::time::Duration;
    /// use vcsa_backup::{Client, Secret, reqwest};
    ///
    /// let mut headers = reqwest::header::HeaderMap::new();
    /// headers.insert("x-tenant", "backups".parse().unwrap());
    /// let http = reqwest::Client::builder()
    ///     .default_headers(headers)
    ///     .timeout(Duration::from_secs(60))
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()?;
    /// let client = Client::builder("https://proxy.example.com/vcenter1")
    ///     .credentials("administrator@vsphere.local", Secret::new("VMware1!"))
    ///     .http_client(http)
    ///     .build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Checks the settings and builds the client. Nothing is sent until the first call.
    ///
    /// # Errors
    ///
    /// [`Error::Configuration`] listing every problem: an address that
    /// [`server_url`](crate::server_url) refuses, an empty user name or
    /// password, a user name holding `:` or control characters (HTTP Basic log-in cannot carry
    /// them), PEM data with no certificate, a malformed thumbprint, pinning together with
    /// accepting any certificate, or settings of the HTTP client together with
    /// [`http_client`](Self::http_client).
    pub fn build(mut self) -> Result<Client, Error> {
        let mut problems = Vec::new();
        let base_url = address::normalise(&self.base_url)
            .map_err(|p| problems.push(p))
            .ok();
        if let Some((user, password)) = &self.credentials {
            problems.extend(check_credentials(user, password));
        }
        let http = match self.http_client.take() {
            Some(supplied) => {
                problems.extend(self.conflicts_with_supplied_client());
                Some(supplied)
            }
            None => self.http(&mut problems),
        };
        match (base_url, http) {
            (Some(base_url), Some(http)) if problems.is_empty() => Ok(Client::from_parts(
                &base_url,
                http,
                self.credentials,
                self.flavour,
            )),
            _ => Err(Error::Configuration { problems }),
        }
    }

    /// The settings that would go into the HTTP client this builder makes, set together with
    /// a ready-made one: a problem naming them, if any.
    fn conflicts_with_supplied_client(&self) -> Option<Problem> {
        let set: Vec<&str> = [
            (self.timeout.is_some(), "a time-out"),
            (self.user_agent.is_some(), "a user agent"),
            (!self.root_certificates.is_empty(), "a CA certificate"),
            (!self.pins.is_empty(), "a pinned thumbprint"),
            (self.accept_invalid_certs, "accepting any certificate"),
        ]
        .into_iter()
        .filter_map(|(set, name)| set.then_some(name))
        .collect();
        (!set.is_empty()).then(|| {
            Problem::new(
                Field::HttpClient,
                format!(
                    "the HTTP client was given ready-made, so {} cannot be applied to it",
                    and_list(&set)
                ),
            )
            .with_hint("set these on the HTTP client itself, or leave the ready-made client out")
        })
    }

    /// The HTTP client made from these settings; `None` with the problems found.
    fn http(&self, problems: &mut Vec<Problem>) -> Option<reqwest::Client> {
        let default_agent = concat!("vcsa-backup/", env!("CARGO_PKG_VERSION"));
        let user_agent = self.user_agent.as_deref().unwrap_or(default_agent);
        let user_agent = reqwest::header::HeaderValue::from_str(user_agent)
            .map_err(|_| {
                problems.push(Problem::new(
                    Field::UserAgent,
                    "the user agent must be visible ASCII text",
                ))
            })
            .ok();
        let timeout = self.timeout.unwrap_or(DEFAULT_REQUEST_TIMEOUT);
        if timeout.is_zero() {
            problems.push(Problem::new(
                Field::Timeout,
                "the time-out must be longer than zero",
            ));
        }

        let mut http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(MAX_CONNECT_TIMEOUT))
            // Session tokens and Basic credentials must never follow a redirect elsewhere.
            .redirect(reqwest::redirect::Policy::none());
        if let Some(agent) = user_agent {
            http = http.user_agent(agent);
        }
        for (i, pem) in self.root_certificates.iter().enumerate() {
            match reqwest::Certificate::from_pem_bundle(pem) {
                Ok(certs) if !certs.is_empty() => {
                    for cert in certs {
                        http = http.add_root_certificate(cert);
                    }
                }
                _ => problems.push(
                    Problem::new(
                        Field::RootCertificate,
                        format!(
                            "CA certificate #{} is not PEM data holding a certificate",
                            i + 1
                        ),
                    )
                    .with_hint("give the text that starts with -----BEGIN CERTIFICATE-----"),
                ),
            }
        }
        if self.accept_invalid_certs {
            http = http.tls_danger_accept_invalid_certs(true);
        }
        #[cfg(feature = "rustls")]
        {
            http = self.trust(http, problems);
        }

        if !problems.is_empty() {
            return None;
        }
        http.build()
            .map_err(|e| {
                problems.push(Problem::new(
                    Field::HttpClient,
                    format!("the HTTP client could not be set up: {e}"),
                ))
            })
            .ok()
    }

    /// Trusts exactly the pinned certificates if any are pinned, otherwise the system's and the
    /// given certificate authorities, through this crate's own verifier: its refusals keep the
    /// certificate the appliance presented, for the error to show. Accepting any certificate needs
    /// no verifier.
    #[cfg(feature = "rustls")]
    fn trust(
        &self,
        http: reqwest::ClientBuilder,
        problems: &mut Vec<Problem>,
    ) -> reqwest::ClientBuilder {
        use crate::wire::tls::{Trust, config};
        use rustls::pki_types::{CertificateDer, pem::PemObject};
        let parsed: Vec<Thumbprint> = self
            .pins
            .iter()
            .filter_map(|p| Thumbprint::parse(p).map_err(|e| problems.push(e)).ok())
            .collect();
        if self.accept_invalid_certs {
            if !self.pins.is_empty() {
                problems.push(
                    Problem::new(
                        Field::Thumbprint,
                        "a pinned thumbprint and accepting any certificate contradict each other",
                    )
                    .with_hint("keep the pin"),
                );
            }
            return http;
        }
        if parsed.len() < self.pins.len() {
            return http;
        }
        let trust = if self.pins.is_empty() {
            // Checked as PEM by `http` already; a bundle that fails here was reported there.
            let roots = self
                .root_certificates
                .iter()
                .flat_map(|pem| CertificateDer::pem_slice_iter(pem).filter_map(Result::ok))
                .collect();
            Trust::Authorities(roots)
        } else {
            Trust::Pins(parsed)
        };
        match config(trust) {
            Ok(config) => http.tls_backend_preconfigured(config),
            Err(e) => {
                problems.push(e);
                http
            }
        }
    }
}

/// What HTTP Basic authentication can carry: a user name without `:` (the separator) or control
/// characters, and a password at all. Never quotes the password.
fn check_credentials(user: &str, password: &Secret) -> Vec<Problem> {
    let mut problems = Vec::new();
    if user.trim().is_empty() {
        problems.push(
            Problem::new(Field::User, "the user name is empty").with_hint(
                "give the appliance account that logs in, such as administrator@vsphere.local",
            ),
        );
    } else {
        let refused = [
            (
                user.contains(':'),
                "':', which HTTP Basic log-in cannot carry",
                "check that the user name and password were not swapped or joined",
            ),
            (
                user.chars().any(char::is_control),
                "control characters (such as a line break from a file it was read from)",
                "remove them",
            ),
        ];
        for (_, what, hint) in refused.into_iter().filter(|(found, ..)| *found) {
            let user = user.escape_debug();
            let message = format!("the user name \"{user}\" contains {what}");
            problems.push(Problem::new(Field::User, message).with_hint(hint));
        }
    }
    if password.expose().is_empty() {
        problems.push(
            Problem::new(Field::Password, "the password is empty")
                .with_hint("give the password of the appliance account that logs in"),
        );
    }
    problems
}
