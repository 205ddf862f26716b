//! Reading another simulator's catalog from its admin endpoint, on this machine only: a
//! simulator's certificate is self-signed and fresh at every start, so the address must be a
//! loopback one and the certificate is not checked.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use hyper::Request;
use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::net::TcpStream;
use url::Url;

use super::transfer::{CatalogError, CatalogExport, MAX_EXPORT_BYTES};
use crate::flavour::ADMIN_PREFIX;

impl CatalogExport {
    /// Fetches the catalog of another simulator on this machine, from its base URL (like
    /// `https://127.0.0.1:50123`, as `RunningSimulator::url`
    /// gives it) or its export address (`.../__sim/catalog`). Only loopback addresses are
    /// accepted: the simulator's self-signed certificate is not checked.
    pub async fn fetch(url: &str) -> Result<Self, CatalogError> {
        let failed = |reason: String| CatalogError::Fetch {
            url: url.to_string(),
            reason,
        };
        let mut parsed = Url::parse(url).map_err(|e| failed(e.to_string()))?;
        let export_path = format!("{ADMIN_PREFIX}/catalog");
        if parsed.path() != export_path {
            parsed.set_path(&export_path);
        }
        let addr = loopback_addr(&parsed).ok_or_else(|| {
            failed(
                "only a simulator on this machine can be asked (http or https on 127.0.0.1, \
                 [::1] or localhost, with a port)"
                    .to_string(),
            )
        })?;
        let tcp = TcpStream::connect(addr)
            .await
            .map_err(|e| failed(format!("cannot connect: {e}")))?;
        let request = Request::get(parsed.path())
            .header(hyper::header::HOST, addr.to_string())
            .body(Body::empty())
            .map_err(|e| failed(e.to_string()))?;
        let response = if parsed.scheme() == "https" {
            let tls = tokio_rustls::TlsConnector::from(Arc::new(unchecked_tls()?))
                .connect(ServerName::IpAddress(addr.ip().into()), tcp)
                .await
                .map_err(|e| failed(format!("TLS handshake failed: {e}")))?;
            send(TokioIo::new(tls), request).await
        } else {
            send(TokioIo::new(tcp), request).await
        }
        .map_err(failed)?;
        Self::from_json(&response)
    }
}

/// The socket address of a loopback `http` or `https` URL.
fn loopback_addr(url: &Url) -> Option<SocketAddr> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let ip = match url.host()? {
        url::Host::Ipv4(ip) => ip.into(),
        url::Host::Ipv6(ip) => ip.into(),
        url::Host::Domain("localhost") => std::net::Ipv4Addr::LOCALHOST.into(),
        url::Host::Domain(_) => return None,
    };
    let addr = SocketAddr::new(ip, url.port_or_known_default()?);
    addr.ip().is_loopback().then_some(addr)
}

async fn send<IO>(io: IO, request: Request<Body>) -> Result<String, String>
where
    IO: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| format!("no HTTP connection: {e}"))?;
    tokio::spawn(connection);
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("no answer: {e}"))?;
    let status = response.status();
    let limit = usize::try_from(MAX_EXPORT_BYTES).unwrap_or(usize::MAX);
    let bytes = axum::body::to_bytes(Body::new(response.into_body()), limit)
        .await
        .map_err(|e| format!("the answer could not be read: {e}"))?;
    if !status.is_success() {
        return Err(format!(
            "it answered {status}; is it a simulator's admin URL?"
        ));
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| "the answer is not text".to_string())
}

fn unchecked_tls() -> Result<rustls::ClientConfig, CatalogError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| CatalogError::Fetch {
            url: String::new(),
            reason: format!("cannot set up TLS: {e}"),
        })?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AnyLoopbackCertificate(provider)))
        .with_no_client_auth();
    Ok(config)
}

/// Accepts the certificate a simulator on this machine presents (checked signatures, any
/// issuer): [`loopback_addr`] lets only loopback addresses through.
#[derive(Debug)]
struct AnyLoopbackCertificate(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for AnyLoopbackCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_addresses_are_asked() {
        let addr = |u: &str| loopback_addr(&Url::parse(u).unwrap());
        assert!(addr("https://127.0.0.1:8443").is_some());
        assert!(addr("http://[::1]:80/__sim/catalog").is_some());
        assert!(addr("https://localhost:5480").is_some());
        assert!(addr("https://10.0.0.5:443").is_none());
        assert!(addr("https://vcsa.example.com").is_none());
        assert!(addr("ftp://127.0.0.1:21").is_none());
    }
}
