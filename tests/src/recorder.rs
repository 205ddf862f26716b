//! The loopback server the tests talk to: wiremock's `MockServer` (the mock server the SDK's tests
//! use too), answering one canned response to every request and recording each request.
//!
//! wiremock listens on `127.0.0.1`, on a port of the system's choosing, so tests never clash over
//! ports and never leave the machine. What stays here is only the view a snapshot takes of a
//! request ([`Recorded`]), because wiremock hands the request target over parsed into a URL with
//! a host of its own and the headers as a map.

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A request as it arrived.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The HTTP method.
    pub method: String,
    /// The request target: path and query, as sent.
    pub path_and_query: String,
    /// Every header (each value of a repeated one), names lower-case.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Recorded {
    fn from_wiremock(request: &wiremock::Request) -> Self {
        Self {
            method: request.method.to_string(),
            // Everything from the path on: wiremock prefixes the target with a host of its own.
            path_and_query: request.url[url::Position::BeforePath..].to_string(),
            headers: request
                .headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_string(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: request.body.clone(),
        }
    }
}

/// What the server answers to every request.
#[derive(Debug, Clone)]
pub struct Canned {
    /// The status code.
    pub status: u16,
    /// A JSON body, or none.
    pub body: Option<String>,
}

impl Canned {
    /// A response with a JSON body.
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Self {
            status,
            body: Some(body.to_string()),
        }
    }

    /// A response without a body.
    pub fn empty(status: u16) -> Self {
        Self { status, body: None }
    }

    fn template(&self) -> ResponseTemplate {
        let template = ResponseTemplate::new(self.status);
        match &self.body {
            Some(json) => template.set_body_raw(json.clone(), "application/json"),
            None => template,
        }
    }
}

/// The running server; it stops (goes back to wiremock's pool) when dropped.
pub struct Recorder {
    server: MockServer,
    base_url: String,
}

impl Recorder {
    /// Starts a server on a free loopback port that answers `canned` to every request.
    pub async fn start(canned: Canned) -> Self {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(canned.template())
            .mount(&server)
            .await;
        let base_url = server.uri();
        Self { server, base_url }
    }

    /// `http://127.0.0.1:<port>`, the base URL to give the client.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every request received so far.
    pub async fn requests(&self) -> Vec<Recorded> {
        self.server
            .received_requests()
            .await
            .expect("wiremock records requests by default")
            .iter()
            .map(Recorded::from_wiremock)
            .collect()
    }

    /// The one request received; panics if there were none or several.
    pub async fn single(&self) -> Recorded {
        let mut requests = self.requests().await;
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request: {requests:#?}"
        );
        requests.remove(0)
    }
}
