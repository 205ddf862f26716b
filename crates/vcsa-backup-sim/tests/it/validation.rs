//! Input checked like the appliance: every bad request is 400 INVALID_ARGUMENT in the flavour's
//! error shape, with messages that say what to fix; never a 500.

use crate::support;

use reqwest::Method;
use serde_json::{Value, json};
use support::*;
use vcsa_backup_sim::Simulator;

/// Sends raw bytes as the body.
async fn raw(h: &Harness, path: &str, body: &'static str) -> (u16, Value) {
    send(
        h.req(Method::POST, path)
            .header("content-type", "application/json")
            .body(body),
    )
    .await
}

#[tokio::test(start_paused = true)]
async fn malformed_json_is_invalid_argument_in_both_shapes() {
    let h = start(Simulator::builder()).await;
    for body in ["{", "not json", "{\"parts\": [}", "", "{} {}"] {
        let (status, err) = raw(&h, &format!("{API}/job"), body).await;
        assert_eq!(
            (status, api_error_type(&err)),
            (400, "INVALID_ARGUMENT"),
            "{body:?}: {err}"
        );
        assert!(!error_text(&err).is_empty());
        let (status, err) = raw(&h, &format!("{REST}/job"), body).await;
        assert_eq!(
            (status, rest_error_type(&err)),
            (400, "invalid_argument"),
            "{body:?}: {err}"
        );
        assert!(err["value"]["messages"][0]["default_message"].is_string());
    }
}

#[tokio::test(start_paused = true)]
async fn missing_and_mistyped_fields_are_named() {
    let h = start(Simulator::builder()).await;
    let cases = [
        (
            json!({"parts": [], "location": "sftp://h/p"}),
            "location_type",
        ),
        (json!({"parts": [], "location_type": "SFTP"}), "location"),
        (
            json!({"location_type": "SFTP", "location": "sftp://h/p"}),
            "parts",
        ),
        (
            json!({"parts": "seat", "location_type": "SFTP", "location": "sftp://h/p"}),
            "parts",
        ),
        (
            json!({"parts": [1], "location_type": "SFTP", "location": "sftp://h/p"}),
            "parts[0]",
        ),
        (
            json!({"parts": [], "location_type": "SFTP", "location": "sftp://h/p", "fast_backup": "yes"}),
            "fast_backup",
        ),
        (
            json!({"parts": [], "location_type": 7, "location": "sftp://h/p"}),
            "location_type",
        ),
        (json!([]), "backup request"),
        (json!(null), "backup request"),
        (
            json!({"parts": [], "location_type": "SFTP", "location": "sftp://h/p", "comment": null}),
            "'comment' is null",
        ),
    ];
    for (body, field) in cases {
        let (status, err) = h.post(&format!("{API}/job"), body.clone()).await;
        assert_eq!(
            (status, api_error_type(&err)),
            (400, "INVALID_ARGUMENT"),
            "{body}"
        );
        assert!(
            error_text(&err).contains(field),
            "{body}: {}",
            error_text(&err)
        );
        let (status, err) = h
            .post(&format!("{API}?action=validate"), body.clone())
            .await;
        assert_eq!(status, 400, "validate {body}: {err}");
    }
    // The optional run body may be left out, but its field may not be null.
    let (status, err) = h
        .post(
            &format!("{API}/schedules/default?action=run"),
            json!({"comment": null}),
        )
        .await;
    assert_eq!((status, api_error_type(&err)), (400, "INVALID_ARGUMENT"));
    assert!(error_text(&err).contains("'comment' is null"), "{err}");
    // /rest needs the piece wrapper.
    let (status, err) = h
        .post(&format!("{REST}/job"), backup_request("sftp://h/p"))
        .await;
    assert_eq!((status, rest_error_type(&err)), (400, "invalid_argument"));
    assert!(error_text(&err).contains("piece"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn location_type_and_url_must_agree() {
    let h = start(Simulator::builder()).await;
    let mut unknown = backup_request("gopher://h/p");
    unknown["location_type"] = json!("GOPHER");
    let (status, err) = h.post(&format!("{API}/job"), unknown).await;
    assert_eq!((status, api_error_type(&err)), (400, "INVALID_ARGUMENT"));
    assert!(
        error_text(&err).contains("'GOPHER' is not supported"),
        "{err}"
    );

    let mut mismatch = backup_request("smb://server/share/vcsa");
    mismatch["location_type"] = json!("NFS");
    let (status, err) = h.post(&format!("{API}?action=validate"), mismatch).await;
    assert_eq!(status, 400);
    assert!(error_text(&err).contains("location type is NFS"), "{err}");

    for location in ["not a url", "/var/backups", "sftp:///no-host"] {
        let (status, err) = h
            .post(&format!("{API}/job"), backup_request(location))
            .await;
        assert_eq!(status, 400, "{location}");
        assert!(
            error_text(&err).contains("must be a URL"),
            "{location}: {err}"
        );
    }

    let mut unknown_part = backup_request("sftp://h/p");
    unknown_part["parts"] = json!(["seat", "logs"]);
    let (status, err) = h
        .post(
            &format!("{REST}/validate"),
            json!({ "piece": unknown_part }),
        )
        .await;
    assert_eq!((status, rest_error_type(&err)), (400, "invalid_argument"));
    assert!(error_text(&err).contains("'logs' does not exist"));
}

#[tokio::test(start_paused = true)]
async fn backup_password_rules_without_echoing_it() {
    let h = start(Simulator::builder()).await;
    let cases = [
        ("Sh0rt!", "at least 8 characters"),
        ("Waaaaaaaaaaaaaaaaay2long!", "more than 20 characters"),
        ("nouppercase1!", "uppercase"),
        ("NOLOWERCASE1!", "lowercase"),
        ("NoDigitsHere!", "numeric digit"),
        ("NoSpecial123", "special character"),
        ("Has space1!", "visible ASCII"),
    ];
    for (password, rule) in cases {
        let mut req = backup_request("sftp://h/p");
        req["backup_password"] = json!(password);
        let (status, err) = h.post(&format!("{API}/job"), req).await;
        assert_eq!(
            (status, api_error_type(&err)),
            (400, "INVALID_ARGUMENT"),
            "{password}"
        );
        let text = err.to_string();
        assert!(text.contains(rule), "{password}: {text}");
        assert!(
            !text.contains(password),
            "the password must not come back: {text}"
        );
    }
    assert_eq!(
        h.sim.control().state().jobs,
        0,
        "no job started from an invalid request"
    );
}

#[tokio::test(start_paused = true)]
async fn garbage_never_causes_a_server_error() {
    let h = start(Simulator::builder()).await;
    let bodies: [&'static str; 8] = [
        "\u{0}\u{1}",
        "[[[[[[[[[[[[[[[[[[[[",
        "{\"piece\": null}",
        "{\"comment\": {\"nested\": true}}",
        "{\"filter\": {\"jobs\": \"A\"}}",
        "1e999999",
        "\"\\ud800\"",
        "{\"parts\": [], \"location_type\": \"SFTP\", \"location\": \"sftp://h/p\", \"backup_password\": 12345678}",
    ];
    let paths = [
        (Method::POST, format!("{API}/job")),
        (Method::POST, format!("{REST}/job")),
        (Method::POST, format!("{API}?action=validate")),
        (Method::POST, format!("{REST}/validate")),
        (Method::POST, format!("{API}/schedules/default?action=run")),
        (Method::POST, format!("{REST}/schedules/default?action=run")),
        (Method::GET, format!("{REST}/job/details")),
        (Method::GET, format!("{API}/job/%FF%FE")),
        (Method::POST, format!("{REST}/job/%C0/cancel")),
    ];
    let mut refused = 0;
    for (method, path) in &paths {
        for body in bodies {
            // Cancel whatever a body that happens to be acceptable started, to keep probing.
            h.sim.control().set_job_duration(std::time::Duration::ZERO);
            let (status, err) = send(h.req(method.clone(), path).body(body)).await;
            assert!(status < 500, "{method} {path} {body:?}: {status} {err}");
            if status >= 400 {
                refused += 1;
                let shaped = !api_error_type(&err).is_empty() || !rest_error_type(&err).is_empty();
                assert!(shaped, "{method} {path} {body:?}: {err}");
            }
        }
    }
    // Bodies with unknown fields only are acceptable where the body is optional; all else is refused.
    assert!(refused >= 60, "{refused}");
}
