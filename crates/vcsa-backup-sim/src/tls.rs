//! A fresh certificate authority and server certificate per run, as the appliance has its own
//! CA (VMCA) that signs its server certificate. TLS through rustls with aws-lc-rs, the provider
//! reqwest's rustls already uses.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

/// What the server needs to speak TLS, and what clients need to trust it.
pub(crate) struct TlsMaterial {
    pub(crate) acceptor: TlsAcceptor,
    /// SHA-256 of the server certificate, colon-separated upper-case hex.
    pub(crate) thumbprint: String,
    pub(crate) server_pem: String,
    pub(crate) ca_pem: String,
}

/// What could not be made, and why.
#[derive(Debug, thiserror::Error)]
#[error("{what}: {detail}")]
pub(crate) struct TlsError {
    what: &'static str,
    detail: String,
}

fn tls_error(what: &'static str, err: impl std::fmt::Display) -> TlsError {
    TlsError {
        what,
        detail: err.to_string(),
    }
}

/// Generates the CA and a server certificate valid for `names` (DNS names or IP addresses).
pub(crate) fn generate(names: Vec<String>) -> Result<TlsMaterial, TlsError> {
    let mut ca_params =
        CertificateParams::new(Vec::<String>::new()).map_err(|e| tls_error("CA parameters", e))?;
    let mut ca_name = DistinguishedName::new();
    ca_name.push(DnType::CommonName, "vcsa-backup-sim CA");
    ca_name.push(DnType::OrganizationName, "vcsa-backup simulator");
    ca_params.distinguished_name = ca_name;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().map_err(|e| tls_error("CA key", e))?;
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key)
        .map_err(|e| tls_error("CA certificate", e))?;

    let mut params =
        CertificateParams::new(names).map_err(|e| tls_error("server certificate names", e))?;
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, "vcsa-backup-sim");
    params.distinguished_name = name;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let key = KeyPair::generate().map_err(|e| tls_error("server key", e))?;
    let cert = params
        .signed_by(&key, &ca)
        .map_err(|e| tls_error("server certificate", e))?;

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error("TLS versions", e))?
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone(), ca.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .map_err(|e| tls_error("TLS configuration", e))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];

    Ok(TlsMaterial {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        thumbprint: thumbprint(cert.der()),
        server_pem: cert.pem(),
        ca_pem: ca.pem(),
    })
}

/// SHA-256 of a DER certificate in the vendor's usual form: `AB:CD:...`.
pub(crate) fn thumbprint(der: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der);
    digest
        .as_ref()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_is_colon_separated_upper_hex_sha256() {
        // SHA-256 of the empty input is well known.
        assert_eq!(
            thumbprint(b""),
            "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55"
        );
    }
}
