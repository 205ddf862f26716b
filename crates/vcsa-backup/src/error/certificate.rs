//! The certificate an appliance presented when it was not trusted (the TLS layer fills it in).

use std::fmt;

/// The certificate an appliance presented in a TLS handshake that did not trust it, as the
/// handshake saw it: what a person compares (with the appliance's console, say) before pinning
/// it. Held by [`Error::UntrustedCertificate`](crate::Error::UntrustedCertificate) and returned
/// by `peer_certificate` (with the `rustls` feature).
#[derive(Clone, PartialEq, Eq)]
pub struct PeerCertificate {
    der: Vec<u8>,
    /// `AB:CD:...`.
    thumbprint: String,
}

impl PeerCertificate {
    /// The certificate (DER) and its thumbprint, as the TLS layer computed it.
    #[cfg_attr(not(feature = "rustls"), allow(dead_code))]
    pub(crate) fn new(der: Vec<u8>, thumbprint: String) -> Self {
        Self { der, thumbprint }
    }

    /// The certificate itself, DER-encoded (X.509): its subject, issuer and validity are in it.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Its SHA-256 thumbprint as `AB:CD:...` (upper-case pairs joined by colons), the form
    /// `openssl x509 -noout -fingerprint -sha256` prints and
    /// [`ClientBuilder::pin_thumbprint_sha256`](crate::ClientBuilder) takes.
    pub fn thumbprint_sha256(&self) -> String {
        self.thumbprint.clone()
    }
}

impl fmt::Debug for PeerCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PeerCertificate")
            .field("thumbprint_sha256", &self.thumbprint)
            .field("der_bytes", &self.der.len())
            .finish()
    }
}
