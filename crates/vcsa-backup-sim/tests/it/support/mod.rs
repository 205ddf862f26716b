//! Shared test helpers: a simulator over plain HTTP on loopback and a raw reqwest client.
#![allow(dead_code)]

use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use vcsa_backup_sim::{
    DEFAULT_PASSWORD, DEFAULT_USER, RunningSimulator, SESSION_HEADER, SimulatorBuilder,
};

pub const API: &str = "/api/appliance/recovery/backup";
pub const REST: &str = "/rest/appliance/recovery/backup";

pub struct Harness {
    pub sim: RunningSimulator,
    pub http: reqwest::Client,
    pub token: String,
}

/// A client without a connection pool: pooled connections arm idle timers, which a paused
/// clock would jump to while a test waits for a response.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

pub async fn start(builder: SimulatorBuilder) -> Harness {
    let sim = builder.tls(false).start().await.unwrap();
    let http = client();
    let token = login_api(&http, sim.url()).await;
    Harness { sim, http, token }
}

/// A simulator over plain HTTP without a session (`token` is empty).
pub async fn start_without_login(builder: SimulatorBuilder) -> Harness {
    let sim = builder.tls(false).start().await.unwrap();
    Harness {
        sim,
        http: client(),
        token: String::new(),
    }
}

pub async fn login_api(http: &reqwest::Client, url: &str) -> String {
    let resp = http
        .post(format!("{url}/api/session"))
        .basic_auth(DEFAULT_USER, Some(DEFAULT_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    resp.json::<String>().await.unwrap()
}

impl Harness {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.url())
    }

    /// A request that carries the session header.
    pub fn req(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header(SESSION_HEADER, &self.token)
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self.req(method, path);
        if let Some(body) = body {
            req = req.json(&body);
        }
        send(req).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    /// Starts a manual backup through `/api` and returns its id.
    pub async fn start_backup(&self, location: &str) -> String {
        let (status, body) = self
            .post(&format!("{API}/job"), backup_request(location))
            .await;
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().unwrap().to_string()
    }
}

/// Sends a request; answers the status and the body as JSON (`Null` when empty).
pub async fn send(req: RequestBuilder) -> (u16, Value) {
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {bytes:?}"))
    };
    (status, body)
}

pub fn backup_request(location: &str) -> Value {
    json!({
        "parts": ["seat"],
        "location_type": "SFTP",
        "location": location,
        "location_user": "backup",
        "location_password": "Secr3t!pw",
        "backup_password": "VMware1!",
        "comment": "nightly",
    })
}

/// The error type of an `/api` error body.
pub fn api_error_type(body: &Value) -> &str {
    body["error_type"].as_str().unwrap_or_default()
}

/// The error type of a `/rest` error body, without the `com.vmware.vapi.std.errors.` prefix.
pub fn rest_error_type(body: &Value) -> &str {
    body["type"]
        .as_str()
        .and_then(|t| t.strip_prefix("com.vmware.vapi.std.errors."))
        .unwrap_or_default()
}

/// All default messages of an error body of either flavour, joined.
pub fn error_text(body: &Value) -> String {
    let messages = body
        .get("messages")
        .or_else(|| body["value"].get("messages"));
    messages
        .and_then(Value::as_array)
        .map(|m| {
            m.iter()
                .filter_map(|m| m["default_message"].as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .unwrap_or_default()
}
