//! HTTPS by default: a fresh CA and server certificate, the thumbprint of the certificate the
//! server actually presents, and clients that trust the CA or nothing.

use reqwest::tls::{Certificate, TlsInfo};
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};

fn sha256_thumbprint(der: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der);
    digest
        .as_ref()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

#[tokio::test]
async fn https_with_a_trusted_ca_and_a_pinnable_thumbprint() {
    let sim = Simulator::builder().start().await.unwrap();
    assert!(sim.url().starts_with("https://127.0.0.1:"));
    let ca = Certificate::from_pem(sim.ca_certificate_pem().unwrap().as_bytes()).unwrap();
    let http = reqwest::Client::builder()
        .tls_certs_only([ca])
        .tls_info(true)
        .build()
        .unwrap();

    let resp = http
        .post(format!("{}/api/session", sim.url()))
        .basic_auth(DEFAULT_USER, Some(DEFAULT_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let presented = resp
        .extensions()
        .get::<TlsInfo>()
        .and_then(|i| i.peer_certificate())
        .unwrap()
        .to_vec();
    assert_eq!(sim.thumbprint().unwrap(), sha256_thumbprint(&presented));
    let thumbprint = sim.thumbprint().unwrap();
    assert_eq!(thumbprint.len(), 95);
    assert!(
        thumbprint
            .chars()
            .all(|c| c == ':' || c.is_ascii_digit() || c.is_ascii_uppercase())
    );

    // The certificate names localhost too.
    let localhost = format!("https://localhost:{}/api/session", sim.addr().port());
    let resp = http
        .post(localhost)
        .basic_auth(DEFAULT_USER, Some(DEFAULT_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);

    // The server certificate alone (PEM) is what it presented.
    let pem = sim.certificate_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));

    // A client that trusts nothing of ours refuses the connection.
    let strict = reqwest::Client::builder()
        .tls_certs_only([])
        .build()
        .unwrap();
    let err = strict
        .get(format!("{}/api/session", sim.url()))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_connect() || err.is_request(), "{err:?}");

    // Each simulator has its own certificate.
    let other = Simulator::builder().start().await.unwrap();
    assert_ne!(other.thumbprint(), sim.thumbprint());
    other.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn plain_http_has_no_certificate() {
    let sim = Simulator::builder().tls(false).start().await.unwrap();
    assert!(sim.url().starts_with("http://127.0.0.1:"));
    assert_eq!(
        (
            sim.thumbprint(),
            sim.certificate_pem(),
            sim.ca_certificate_pem()
        ),
        (None, None, None)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_busy_port_is_reported_clearly() {
    let sim = Simulator::builder().tls(false).start().await.unwrap();
    let err = Simulator::builder()
        .tls(false)
        .listen(sim.addr())
        .start()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(&sim.addr().to_string()) && text.contains("port 0"),
        "{text}"
    );
}
