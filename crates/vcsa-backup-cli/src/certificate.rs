//! A certificate the appliance presented, as a person checks it before trusting it: its SHA-256
//! thumbprint, subject, issuer and validity, and the option, variable and configuration line
//! that pin it. Shown by `trust` and by the untrusted-certificate error ([`crate::failure`]).

use serde::Serialize;
use vcsa_backup::PeerCertificate;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::config_path::shown_default;

/// What a person reads of a certificate.
#[derive(Debug, Serialize)]
pub struct CertificateView {
    /// `AB:CD:...`, as `--thumbprint` takes it.
    pub thumbprint_sha256: String,
    /// The subject, such as `CN=vcsa.example.com`; `null` when the certificate cannot be read.
    pub subject: Option<String>,
    /// Who signed it (the subject again when self-signed).
    pub issuer: Option<String>,
    /// The start of its validity (RFC 3339, UTC).
    pub not_before: Option<String>,
    /// The end of its validity (RFC 3339, UTC).
    pub not_after: Option<String>,
}

impl CertificateView {
    /// The facts of `certificate`; what its DER does not give is left out.
    pub fn new(certificate: &PeerCertificate) -> Self {
        let parsed = X509Certificate::from_der(certificate.der())
            .ok()
            .map(|(_, c)| c);
        let time = |t: x509_parser::time::ASN1Time| {
            chrono::DateTime::from_timestamp(t.timestamp(), 0)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        };
        Self {
            thumbprint_sha256: certificate.thumbprint_sha256(),
            subject: parsed.as_ref().map(|c| c.subject().to_string()),
            issuer: parsed.as_ref().map(|c| c.issuer().to_string()),
            not_before: parsed.as_ref().and_then(|c| time(c.validity().not_before)),
            not_after: parsed.as_ref().and_then(|c| time(c.validity().not_after)),
        }
    }

    /// `Field  value` pairs for a person.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let unknown = || "(could not be read)".to_string();
        vec![
            ("SHA-256 thumbprint", self.thumbprint_sha256.clone()),
            ("Subject", self.subject.clone().unwrap_or_else(unknown)),
            ("Issuer", self.issuer.clone().unwrap_or_else(unknown)),
            (
                "Valid",
                format!(
                    "from {} to {}",
                    self.not_before.as_deref().unwrap_or("?"),
                    self.not_after.as_deref().unwrap_or("?")
                ),
            ),
        ]
    }
}

/// How to check a thumbprint at its source before pinning it.
pub const CHECK_IT: &str = "first check that it is your appliance's: its shell prints the \
     thumbprint of its certificate with\n  /usr/lib/vmware-vmafd/bin/vecs-cli entry getcert --store \
     MACHINE_SSL_CERT --alias __MACHINE_CERT | openssl x509 -noout -fingerprint -sha256";

/// The option, the variable and the configuration line that pin `thumbprint`.
pub fn pin_lines(thumbprint: &str) -> Vec<String> {
    vec![
        format!("--thumbprint {thumbprint}"),
        format!("export VCSA_THUMBPRINT={thumbprint}"),
        format!(
            "trust = {{ thumbprint = \"{thumbprint}\" }}   # in the appliance's entry of {}",
            shown_default()
        ),
    ]
}
