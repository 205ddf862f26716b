//! Tests of the one normalisation of a server address (`server_url`), through the public API.

use vcsa_backup::*;

fn normalised(raw: &str) -> String {
    server_url(raw).unwrap_or_else(|e| panic!("{raw}: {e}"))
}

/// The one problem [`server_url`] finds in `raw`.
fn refused(raw: &str) -> Problem {
    let error = server_url(raw).expect_err(raw);
    assert_eq!(error.problems().len(), 1, "{error}");
    error.problems()[0].clone()
}

#[test]
fn a_bare_host_means_https() {
    assert_eq!(normalised("vcsa.example.com"), "https://vcsa.example.com");
    assert_eq!(normalised("10.0.0.5:8443"), "https://10.0.0.5:8443");
    assert_eq!(
        normalised("  vcsa.example.com/  "),
        "https://vcsa.example.com"
    );
}

#[test]
fn urls_copied_from_a_browser_are_trimmed() {
    assert_eq!(
        normalised("https://vcsa.example.com/"),
        "https://vcsa.example.com"
    );
    assert_eq!(
        normalised("https://vcsa.example.com/ui"),
        "https://vcsa.example.com"
    );
    assert_eq!(
        normalised("http://127.0.0.1:8080/api/"),
        "http://127.0.0.1:8080"
    );
    assert_eq!(normalised("https://vcsa/rest"), "https://vcsa");
    // A reverse proxy's prefix is kept.
    assert_eq!(
        normalised("https://proxy.example.com/vcenter1/"),
        "https://proxy.example.com/vcenter1"
    );
    assert_eq!(
        normalised("https://proxy:8443/dc-1/vcsa%201/"),
        "https://proxy:8443/dc-1/vcsa%201"
    );
    // A deeper path ending in the client's own part is a mistake, not a prefix.
    let deeper = refused("https://proxy/vcsa/api");
    assert!(deeper.message.contains("ends in /api"), "{deeper}");
    assert!(server_url("https://proxy/vcenter1/API").is_err());
}

#[test]
fn what_an_address_cannot_be_is_refused() {
    assert!(server_url("https://vcsa/?x=1").is_err());
    assert!(server_url("https://vcsa/#top").is_err());
    let ftp = refused("ftp://vcsa");
    assert!(ftp.to_string().contains("https://"), "{ftp}");
    let spaced = refused("vcsa example.com");
    assert!(
        spaced
            .message
            .starts_with("\"vcsa example.com\" is not a URL"),
        "quotes what was given: {spaced}"
    );
    assert_eq!(
        server_url("").unwrap_err().problems()[0].field,
        Field::BaseUrl
    );
}

#[test]
fn credentials_in_the_address_are_refused_and_never_repeated() {
    for raw in [
        "https://admin:canary-pw@vcsa.example.com",
        "admin:canary-pw@vcsa.example.com",
        "https://canary-pw@vcsa.example.com/",
        "https://admin:canary/pw@vcsa.example.com",
        "https://admin:canary#pw@vcsa.example.com",
    ] {
        let error = server_url(raw).unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(text.contains("user name or password"), "{raw}: {text}");
        for secret in ["canary", "admin"] {
            assert!(!text.contains(secret), "{raw}: {text}");
        }
        let builder = Client::builder(raw);
        assert!(!format!("{builder:?}").contains("canary"));
    }
}
