//! TLS trust: thumbprint pinning, an extra CA, the system roots and the explicit opt-out, against
//! servers whose certificates are made during the test.

use std::sync::Arc;

use rcgen::{CertificateParams, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vcsa_backup::{Client, Error, Field, Flavour, Secret};
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, RunningSimulator, Simulator};

const WRONG_PIN: &str = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

async fn https_sim() -> RunningSimulator {
    Simulator::builder().tls(true).start().await.unwrap()
}

fn builder(url: &str) -> vcsa_backup::ClientBuilder {
    Client::builder(url)
        .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
        .flavour(Flavour::Api)
}

fn assert_untrusted(result: Result<Vec<vcsa_backup::JobId>, Error>) -> String {
    match result {
        Err(e @ Error::UntrustedCertificate { .. }) => {
            assert_eq!(e.retry_advice(), vcsa_backup::RetryAdvice::Never);
            e.to_string()
        }
        other => panic!("expected an untrusted certificate, got {other:?}"),
    }
}

#[tokio::test]
async fn pinned_thumbprint_is_accepted_and_a_wrong_one_rejected() {
    let sim = https_sim().await;
    let pin = sim.thumbprint().unwrap();

    let client = builder(sim.url())
        .pin_thumbprint_sha256(pin)
        .build()
        .unwrap();
    client.list_jobs().await.unwrap();

    // The usual spellings, as browsers and `openssl x509 -fingerprint -sha256` print them, are
    // the same pin.
    let lower = pin.to_lowercase();
    let mixed: String = pin
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_lowercase()
            } else {
                c
            }
        })
        .collect();
    for spelling in [
        format!("SHA256 Fingerprint={pin}"), // OpenSSL 1.x
        format!("sha256 Fingerprint={pin}"), // OpenSSL 3
        format!("sha256 Fingerprint={lower}"),
        format!("SHA-256 fingerprint={pin}"),
        format!("  sha256 Fingerprint={pin}\n"), // pasted with its line break
        pin.replace(':', " "),
        lower.replace(':', " "),
        pin.replace(':', ""),
        lower.replace(':', ""),
        mixed,
    ] {
        builder(sim.url())
            .pin_thumbprint_sha256(&spelling)
            .build()
            .unwrap()
            .list_jobs()
            .await
            .unwrap();
    }

    let sessions = sim.control().state().live_sessions;
    let wrong = builder(sim.url())
        .pin_thumbprint_sha256(WRONG_PIN)
        .build()
        .unwrap();
    let message = assert_untrusted(wrong.list_jobs().await);
    assert!(
        message.contains(pin),
        "names the certificate actually seen: {message}"
    );
    assert_eq!(
        sim.control().state().live_sessions,
        sessions,
        "the credentials never reached a server with the wrong certificate"
    );

    // Any of several pins will do, for certificate rotation.
    let either = builder(sim.url())
        .pin_thumbprint_sha256(WRONG_PIN)
        .pin_thumbprint_sha256(pin)
        .build()
        .unwrap();
    either.list_jobs().await.unwrap();
    sim.shutdown().await;
}

#[test]
fn malformed_pins_are_refused_before_anything_is_sent() {
    let colons = "AB:".repeat(31) + "CD";
    for bad in [
        "AB:CD".to_string(),
        "G".repeat(64),
        "é".repeat(32),
        // A SHA-1 fingerprint's label is refused rather than stripped, whatever follows.
        format!("SHA1 Fingerprint={colons}"),
        format!("AB:{colons}"), // 33 bytes
    ] {
        let Err(Error::Configuration { problems, .. }) =
            builder("https://vcsa").pin_thumbprint_sha256(&bad).build()
        else {
            panic!("{bad:?} was taken for a thumbprint");
        };
        assert_eq!(problems[0].field, Field::Thumbprint, "{bad:?}");
    }
    assert!(
        builder("https://vcsa")
            .pin_thumbprint_sha256(&colons)
            .build()
            .is_ok()
    );
}

#[tokio::test]
async fn extra_ca_is_trusted_and_system_roots_alone_are_not() {
    let sim = https_sim().await;
    let ca = sim.ca_certificate_pem().unwrap().as_bytes();
    builder(sim.url())
        .add_root_certificate_pem(ca)
        .build()
        .unwrap()
        .list_jobs()
        .await
        .unwrap();

    let default = builder(sim.url()).build().unwrap();
    assert_untrusted(default.list_jobs().await);

    let auto = Client::builder(sim.url())
        .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
        .build()
        .unwrap();
    assert!(matches!(
        auto.flavour().await,
        Err(Error::UntrustedCertificate { .. })
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn the_explicit_opt_out_accepts_any_certificate() {
    let sim = https_sim().await;
    let client = builder(sim.url())
        .danger_accept_invalid_certs()
        .build()
        .unwrap();
    client.list_jobs().await.unwrap();
    sim.shutdown().await;
}

#[tokio::test]
async fn pin_and_opt_out_together_are_refused() {
    let result = builder("https://127.0.0.1:1")
        .pin_thumbprint_sha256(WRONG_PIN)
        .danger_accept_invalid_certs()
        .build();
    assert!(matches!(result, Err(Error::Configuration { .. })));
}

/// A one-shot HTTPS server with a self-signed certificate made here, answering a log in and one
/// empty job list; the thumbprint is computed here too, independently of the SDK.
async fn self_signed_server() -> (String, String) {
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let der = cert.der().to_vec();
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &der);
    let thumbprint = digest
        .as_ref()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":");

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(der)],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                loop {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        if tls.read(&mut byte).await.unwrap_or(0) == 0 {
                            return;
                        }
                        head.push(byte[0]);
                    }
                    let head = String::from_utf8_lossy(&head);
                    let (status, body) = if head.starts_with("POST /api/session") {
                        ("201 Created", "\"token-from-test-server\"")
                    } else {
                        ("200 OK", "[\"20240101-000000-1\"]")
                    };
                    let response = format!(
                        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if tls.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, thumbprint)
}

#[tokio::test]
async fn pinning_a_self_signed_certificate_made_in_the_test() {
    let (url, thumbprint) = self_signed_server().await;
    let ids = builder(&url)
        .pin_thumbprint_sha256(&thumbprint)
        .build()
        .unwrap()
        .list_jobs()
        .await
        .unwrap();
    assert_eq!(ids.len(), 1);

    let wrong = builder(&url)
        .pin_thumbprint_sha256(WRONG_PIN)
        .build()
        .unwrap();
    let message = assert_untrusted(wrong.list_jobs().await);
    assert!(message.contains(&thumbprint), "{message}");

    let unpinned = builder(&url).build().unwrap();
    assert_untrusted(unpinned.list_jobs().await);
}
