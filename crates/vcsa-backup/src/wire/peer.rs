//! The certificate an appliance presents, read without trusting it or sending a request: what a
//! person compares before pinning it.

use std::time::Duration;

use super::classify::from_transport;
use super::tls::{Trust, config};
use crate::error::{Error, Field, PeerCertificate, Problem};

/// The certificate the appliance at `server` presents (a host name, `host:port` or `https://`
/// URL, as [`server_url`](crate::server_url) reads it), read with a TLS handshake that stops at
/// the certificate: no request is sent, no credentials are needed, and nothing is trusted. For
/// showing a person what to pin ([`PeerCertificate::thumbprint_sha256`](crate::PeerCertificate::thumbprint_sha256)) before the first
/// log-in. Needs the `rustls` feature (the default).
///
/// # Errors
///
/// [`Error::Configuration`](Error::Configuration) for an address that cannot be read or
/// that speaks plain HTTP (which has no certificate); [`Error::Transient`](Error::Transient)
/// when the appliance cannot be reached within `timeout` or the handshake fails before a
/// certificate.
#[cfg_attr(docsrs, doc(cfg(feature = "rustls")))]
pub async fn peer_certificate(server: &str, timeout: Duration) -> Result<PeerCertificate, Error> {
    let configuration = |problem| Error::Configuration {
        problems: vec![problem],
    };
    let base_url = crate::address::normalise(server).map_err(configuration)?;
    if !base_url.starts_with("https://") {
        return Err(configuration(
            Problem::new(
                Field::BaseUrl,
                "the address speaks plain HTTP, which has no certificate",
            )
            .with_hint("give the appliance's https:// address, or its host name alone"),
        ));
    }
    let http = reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .tls_backend_preconfigured(config(Trust::Nobody).map_err(configuration)?)
        .build()
        .map_err(|e| {
            let reason = format!("the HTTP client could not be set up: {e}");
            configuration(Problem::new(Field::HttpClient, reason))
        })?;
    match http.get(&base_url).send().await {
        Err(e) => match from_transport(e) {
            Error::UntrustedCertificate {
                certificate: Some(certificate),
                ..
            } => Ok(*certificate),
            other => Err(other),
        },
        // Only a verifier that trusted it lets an answer through: this one trusts nobody.
        Ok(_) => Err(Error::transient(
            "the appliance answered without presenting a certificate",
            None,
            None,
        )),
    }
}
