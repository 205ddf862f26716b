//! Sessions: HTTP Basic log in, idle expiry on tokio's paused clock, and the real 401 bodies.

use crate::support;

use std::time::Duration;

use serde_json::{Value, json};
use support::*;
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, SESSION_HEADER, Simulator};

/// The exact `/rest` 401 body of a real appliance.
fn rest_401() -> Value {
    json!({"type":"com.vmware.vapi.std.errors.unauthenticated","value":{"messages":[{"args":[],
        "default_message":"This method requires authentication.","id":"vapi.method.authentication.required"}]}})
}

fn api_401() -> Value {
    json!({"error_type":"UNAUTHENTICATED","messages":[{"args":[],
        "default_message":"This method requires authentication.","id":"vapi.method.authentication.required"}]})
}

#[tokio::test(start_paused = true)]
async fn missing_or_unknown_session_answers_the_real_401_bodies() {
    let h = start(Simulator::builder()).await;
    let (status, body) = send(h.http.get(h.url(&format!("{REST}/job")))).await;
    assert_eq!((status, body), (401, rest_401()));
    let (status, body) = send(h.http.get(h.url(&format!("{API}/job")))).await;
    assert_eq!((status, body), (401, api_401()));
    let bogus = h
        .http
        .get(h.url(&format!("{REST}/parts")))
        .header(SESSION_HEADER, "0123456789abcdef0123456789abcdef");
    assert_eq!(send(bogus).await, (401, rest_401()));
}

#[tokio::test(start_paused = true)]
async fn wrong_credentials_are_refused_in_both_flavours() {
    let h = start_without_login(
        Simulator::builder()
            .user("ops@vsphere.local")
            .password("Corr3ct!pw"),
    )
    .await;
    for (path, wrong_user, wrong_password) in [
        ("/api/session", "ops@vsphere.local", "nope"),
        ("/api/session", DEFAULT_USER, "Corr3ct!pw"),
        (
            "/rest/com/vmware/cis/session",
            "ops@vsphere.local",
            "Corr3ct!pw2",
        ),
    ] {
        let (status, body) = send(
            h.http
                .post(h.url(path))
                .basic_auth(wrong_user, Some(wrong_password)),
        )
        .await;
        assert_eq!(status, 401, "{path}");
        let text = body.to_string();
        assert!(
            text.contains("UNAUTHENTICATED") || text.contains("unauthenticated"),
            "{text}"
        );
        assert!(
            !text.contains(wrong_password),
            "the password never comes back: {text}"
        );
    }
    // No credentials at all.
    let (status, _) = send(h.http.post(h.url("/api/session"))).await;
    assert_eq!(status, 401);
    // The right ones.
    let (status, body) = send(
        h.http
            .post(h.url("/rest/com/vmware/cis/session"))
            .basic_auth("ops@vsphere.local", Some("Corr3ct!pw")),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body["value"].is_string());
}

#[tokio::test(start_paused = true)]
async fn sessions_expire_when_idle_and_use_keeps_them_alive() {
    let h = start(Simulator::builder().session_idle_timeout(Duration::from_secs(60))).await;
    let path = format!("{API}/job");
    // Used every 50 s, the session outlives several idle periods.
    for _ in 0..4 {
        tokio::time::advance(Duration::from_secs(50)).await;
        assert_eq!(h.get(&path).await.0, 200);
    }
    // Idle for longer than the timeout: gone, in both flavours, and log in again works.
    tokio::time::advance(Duration::from_secs(61)).await;
    assert_eq!(h.get(&path).await, (401, api_401()));
    assert_eq!(h.get(&format!("{REST}/job")).await, (401, rest_401()));
    let token = login_api(&h.http, h.sim.url()).await;
    let again = h.http.get(h.url(&path)).header(SESSION_HEADER, token);
    assert_eq!(send(again).await.0, 200);
}

#[tokio::test(start_paused = true)]
async fn expire_all_sessions_now() {
    let h = start(Simulator::builder()).await;
    assert_eq!(h.sim.control().state().live_sessions, 1);
    h.sim.control().expire_sessions();
    assert_eq!(h.sim.control().state().live_sessions, 0);
    assert_eq!(h.get(&format!("{API}/parts")).await.0, 401);
    let token = send(
        h.http
            .post(h.url("/rest/com/vmware/cis/session"))
            .basic_auth(DEFAULT_USER, Some(DEFAULT_PASSWORD)),
    )
    .await;
    assert_eq!(token.0, 200);
}
