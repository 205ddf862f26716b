//! Trusting the appliance's certificate: by its SHA-256 thumbprint, the vendor's usual convention,
//! or by the system's and the caller's certificate authorities; and the certificate an appliance
//! presented when it was not trusted, so that a person can decide.
//!
//! Appliances ship with self-signed certificates, so administrators pin the certificate itself
//! rather than a chain: the thumbprint replaces chain and host-name checks, while the TLS
//! handshake signatures are still verified with the certificate's key.

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, OtherError, SignatureScheme};

use crate::error::{Field, PeerCertificate, Problem};

/// A SHA-256 certificate thumbprint: 32 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Thumbprint(pub(crate) [u8; 32]);

/// A certificate's SHA-256 thumbprint.
fn thumbprint_of(der: &[u8]) -> Thumbprint {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der);
    let bytes = digest.as_ref().try_into();
    Thumbprint(bytes.expect("a SHA-256 digest is 32 bytes"))
}

impl Thumbprint {
    /// Parses a thumbprint in any of the forms
    /// [`pin_thumbprint_sha256`](crate::ClientBuilder::pin_thumbprint_sha256) takes.
    pub(crate) fn parse(text: &str) -> Result<Self, Problem> {
        let digits = strip_label(text.trim());
        let hex: String = digits
            .chars()
            .filter(|c| !(matches!(c, ':' | '-') || c.is_whitespace()))
            .collect();
        let bad = || {
            Problem::new(
                Field::Thumbprint,
                format!("\"{text}\" is not a SHA-256 thumbprint"),
            )
            .with_hint(
                "give 64 hexadecimal digits, optionally in pairs separated by colons (as \
                 `openssl x509 -noout -fingerprint -sha256` prints them)",
            )
        };
        if hex.len() != 64 || !hex.is_ascii() {
            return Err(bad());
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(Self(bytes))
    }
}

/// What follows a `<digest> Fingerprint=` label whose digest is SHA-256 (any case, with or
/// without a dash: `SHA256`, `sha256`, `SHA-256`); the text unchanged when it has no label.
fn strip_label(text: &str) -> &str {
    let label = |label: &str| {
        let label = label.chars().filter(|c| !(c.is_whitespace() || *c == '-'));
        label
            .collect::<String>()
            .eq_ignore_ascii_case("sha256fingerprint")
    };
    match text.split_once('=') {
        Some((l, digits)) if label(l) => digits,
        // Another digest's fingerprint (SHA1 is the old default) would never match: refuse it.
        _ => text,
    }
}

impl fmt::Display for Thumbprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pairs: Vec<String> = self.0.iter().map(|b| format!("{b:02X}")).collect();
        f.write_str(&pairs.join(":"))
    }
}

/// Whom a TLS configuration trusts; the verifier holds it with the authorities' verifier built.
#[derive(Debug)]
pub(crate) enum Trust<A = Vec<CertificateDer<'static>>> {
    /// Exactly the certificates with these thumbprints.
    Pins(Vec<Thumbprint>),
    /// The system's certificate authorities and these (DER), checked as usual.
    Authorities(A),
    /// Nobody: the handshake stops at the certificate, which the error then holds.
    Nobody,
}

/// A TLS configuration that trusts `trust`, and whose refusals carry the certificate the
/// appliance presented (see [`Refused`]).
pub(crate) fn config(trust: Trust) -> Result<rustls::ClientConfig, Problem> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let setup = |e: Error| Problem::new(Field::HttpClient, format!("TLS could not be set up: {e}"));
    let check = match trust {
        Trust::Pins(pins) => Trust::Pins(pins),
        // The verifier reqwest itself would use, so that trust is the same as without this
        // wrapper.
        Trust::Authorities(extra) if extra.is_empty() => Trust::Authorities(
            rustls_platform_verifier::Verifier::new(provider.clone()).map_err(setup)?,
        ),
        Trust::Authorities(extra) => Trust::Authorities(
            rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider.clone())
                .map_err(setup)?,
        ),
        Trust::Nobody => Trust::Nobody,
    };
    let verifier = Arc::new(Verifier {
        check,
        algorithms: provider.signature_verification_algorithms,
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(setup)?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(config)
}

#[derive(Debug)]
struct Verifier {
    check: Trust<rustls_platform_verifier::Verifier>,
    /// The provider's, for the handshake signatures.
    algorithms: WebPkiSupportedAlgorithms,
}

/// A refused certificate: the one the appliance presented, and why it was refused.
#[derive(Debug, thiserror::Error)]
#[error(
    "the certificate with SHA-256 thumbprint {} was refused: {cause}",
    .certificate.thumbprint_sha256()
)]
pub(crate) struct Refused {
    pub(crate) certificate: PeerCertificate,
    pub(crate) cause: Error,
}

/// Why this crate's own checks refused a certificate.
#[derive(Debug, thiserror::Error)]
enum Untrusted {
    #[error("the appliance presented a certificate that is not the pinned one")]
    NotPinned,
    /// Only looked at, never trusted (`peer_certificate`).
    #[error("the certificate was only read, not trusted")]
    OnlyShown,
}

fn other(e: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(e))))
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let thumbprint = thumbprint_of(end_entity);
        let certificate = PeerCertificate::new(end_entity.to_vec(), thumbprint.to_string());
        let outcome = match &self.check {
            Trust::Pins(pins) if pins.contains(&thumbprint) => Ok(ServerCertVerified::assertion()),
            Trust::Pins(_) => Err(other(Untrusted::NotPinned)),
            Trust::Authorities(system) => system.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ),
            Trust::Nobody => Err(other(Untrusted::OnlyShown)),
        };
        outcome.map_err(|cause| other(Refused { certificate, cause }))
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
