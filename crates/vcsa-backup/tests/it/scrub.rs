//! An error never shows a secret of the request (a location's password, the session token) in
//! whatever encoding the appliance quotes it back, nor the user information of a URL; a redirect
//! is shown by its scheme, host, port and path alone.

use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde_json::json;
use vcsa_backup::{BackupLocation, Error, Flavour, Secret};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{client, mount_login};

const CANARY: &str = "Ca nary/p@ss&w=rd+%?#";
const SYSTEM_NAME: &str = "/api/appliance/recovery/backup/system-name";
const WITHHELD: &str = "[withheld: the answer quoted a secret of the request]";

/// The error of listing system names at a location with password `secret`, when the appliance
/// answers `answer`.
async fn error_for(secret: &str, answer: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    mount_login(&server).await;
    Mock::given(method("POST"))
        .and(path(SYSTEM_NAME))
        .respond_with(answer)
        .mount(&server)
        .await;
    let location = BackupLocation::builder()
        .location("sftp://nas.example.com/backups")
        .location_credentials("backup", Secret::new(secret))
        .build()
        .unwrap();
    let client = client(&server, Flavour::Api);
    client.list_system_names(&location).await.unwrap_err()
}

/// The error the appliance's report of `text` becomes (as a message's id, text and argument,
/// and in its data), when the request carried `secret`; and the first message's text.
async fn reported(secret: &str, text: &str) -> (Error, String) {
    let body = json!({
        "error_type": "ERROR",
        "messages": [{"id": text, "default_message": text, "args": [text]}],
        "data": {text: [text, {"k": text}]},
    });
    let error = error_for(secret, ResponseTemplate::new(500).set_body_json(body)).await;
    let shown = error.appliance_messages()[0].text.clone();
    (error, shown)
}

/// What a `/rest` catalog URL looks like with the password in its query string.
fn echoed_url() -> String {
    let mut url =
        url::Url::parse("https://vcsa.example.com/rest/appliance/recovery/backup/system-name")
            .unwrap();
    url.query_pairs_mut()
        .append_pair("loc_spec.location", "sftp://h/b")
        .append_pair("loc_spec.location_password", CANARY);
    url.to_string()
}

/// `%2F` as `%2f`.
fn lower_hex(encoded: &str) -> String {
    let mut parts = encoded.split('%');
    let mut out = parts.next().unwrap().to_string();
    for part in parts {
        out.push('%');
        out.push_str(&part[..2].to_ascii_lowercase());
        out.push_str(&part[2..]);
    }
    out
}

#[tokio::test]
async fn every_encoding_of_a_secret_is_replaced_in_every_text_of_an_error() {
    let url = echoed_url();
    for text in [
        url.clone(),
        lower_hex(&url),
        json!({ "url": url, "raw": CANARY }).to_string(),
        format!("<html><body>{}</body></html>", url.replace('&', "&amp;")),
        format!(
            "GET {} HTTP/1.1",
            utf8_percent_encode(CANARY, NON_ALPHANUMERIC)
        ),
        // The session token the log in gave.
        "token: token-1".to_string(),
    ] {
        let (error, _) = reported(CANARY, &text).await;
        let out = format!("{error} {error:?}");
        assert!(out.contains("[redacted]"), "{out}");
        assert!(!out.contains(CANARY), "{out}");
        assert!(!out.contains("token-1"), "{out}");
        assert!(
            !percent_decode_str(&out)
                .decode_utf8_lossy()
                .contains(CANARY),
            "{out}"
        );
        assert!(!out.to_lowercase().contains("p%40ss"), "{out}");
    }
}

#[tokio::test]
async fn what_is_not_secret_stays() {
    let (_, out) = reported(CANARY, &echoed_url()).await;
    assert!(out.starts_with("https://vcsa.example.com/rest/appliance/recovery/backup/"));
    assert!(
        out.contains("loc_spec.location_password=[redacted]"),
        "{out}"
    );
}

/// Secrets and user information out, the rest kept; a text a secret can still be decoded from
/// (mixed-case hex, which no encoding the client replaces has) is withheld.
#[tokio::test]
async fn texts_lose_user_information_and_secrets_still_readable() {
    for (secret, text, expected) in [
        (CANARY, "nothing to hide", "nothing to hide"),
        ("a/b/c", "echo: a%2Fb%2fc", WITHHELD),
        (
            CANARY,
            "moved to https://admin:hunter2@other.example.com:8443/x?y",
            "moved to https://other.example.com:8443/x?y",
        ),
        (CANARY, "a://b@c and d://e", "a://c and d://e"),
    ] {
        assert_eq!(reported(secret, text).await.1, expected);
    }
}

#[tokio::test]
async fn a_redirect_is_shown_without_user_information_query_or_fragment() {
    for (location, expected) in [
        (
            "https://u:p@host.example.com/rest/x?pw=secret#frag",
            "https://host.example.com/rest/x",
        ),
        ("/rest/x?pw=secret", "/rest/x"),
        ("//u:p@h/x?q", "//h/x"),
    ] {
        let answer = ResponseTemplate::new(302).insert_header("location", location);
        let error = error_for(CANARY, answer).await;
        let Error::Configuration { problems, .. } = &error else {
            panic!("{error:?}")
        };
        let expected = format!("the appliance answered with a redirect (HTTP 302) to {expected}");
        assert_eq!(problems[0].message, expected);
    }
}
