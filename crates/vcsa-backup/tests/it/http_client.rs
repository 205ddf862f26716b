//! The caller's own HTTP client, and a base URL behind a reverse proxy's path prefix.

use crate::support::*;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;
use vcsa_backup::{BackupRequest, Client, Flavour, Secret};
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_supplied_http_client_sends_every_request() {
    let server = MockServer::start().await;
    mount_login(&server).await;
    Mock::given(method("GET"))
        .and(path(API_JOB))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-tenant", "blue".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .user_agent("backup-portal/2.1")
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = Client::builder(server.uri())
        .credentials(USER, Secret::new(PASSWORD))
        .http_client(http)
        .build()
        .unwrap();
    client.list_jobs().await.unwrap();
    client.logout().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let seen: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        seen,
        [
            "POST /api/session",
            &format!("GET {API_JOB}"),
            "DELETE /api/session"
        ]
    );
    for request in &requests {
        let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
        assert_eq!(header("x-tenant"), Some("blue"), "{}", request.url.path());
        assert_eq!(
            header("user-agent"),
            Some("backup-portal/2.1"),
            "{}",
            request.url.path()
        );
    }
    // The SDK's own headers still go with it.
    assert!(requests[0].headers.contains_key("authorization"));
    assert!(requests[1].headers.contains_key("vmware-api-session-id"));
}

/// A reverse proxy serving the appliance under `/vcenter1`: forwards what comes under the
/// prefix (without it) to the simulator and answers 404 to anything else; records every path it
/// was asked for. With `no_api`, it hides `/api`, like an appliance before vSphere 7.0 U2.
struct Proxy {
    url: String,
    paths: Arc<Mutex<Vec<String>>>,
}

#[derive(Clone)]
struct Upstream {
    to: String,
    no_api: bool,
    http: reqwest::Client,
    paths: Arc<Mutex<Vec<String>>>,
}

const PREFIX: &str = "/vcenter1";

impl Proxy {
    async fn start(to: &str, no_api: bool) -> Self {
        let paths = Arc::new(Mutex::new(Vec::new()));
        let upstream = Upstream {
            to: to.to_string(),
            no_api,
            http: reqwest::Client::new(),
            paths: paths.clone(),
        };
        let app = axum::Router::new().fallback(forward).with_state(upstream);
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, paths }
    }

    fn paths(&self) -> Vec<String> {
        self.paths.lock().unwrap().clone()
    }
}

async fn forward(State(upstream): State<Upstream>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    upstream
        .paths
        .lock()
        .unwrap()
        .push(parts.uri.path().to_string());
    let status = |code: StatusCode| {
        Response::builder()
            .status(code)
            .body(Body::empty())
            .unwrap()
    };
    let Some(inner) = path_and_query.strip_prefix(PREFIX) else {
        return status(StatusCode::NOT_FOUND);
    };
    if upstream.no_api && (inner == "/api" || inner.starts_with("/api/")) {
        return status(StatusCode::NOT_FOUND);
    }
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let mut headers = parts.headers;
    headers.remove(reqwest::header::HOST);
    let answer = upstream
        .http
        .request(parts.method, format!("{}{inner}", upstream.to))
        .headers(headers)
        .body(body)
        .send()
        .await
        .unwrap();
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        response = response.header(name, value);
    }
    response
        .body(Body::from(answer.bytes().await.unwrap()))
        .unwrap()
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_reaches_the_appliance_behind_it() {
    let sim = Simulator::builder().tls(false).start().await.unwrap();
    for (no_api, flavour) in [(false, Flavour::Api), (true, Flavour::Rest)] {
        let proxy = Proxy::start(sim.url(), no_api).await;
        for base in [
            format!("{}{PREFIX}", proxy.url),
            format!("{}{PREFIX}/", proxy.url),
        ] {
            let client = Client::builder(&base)
                .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
                .build()
                .unwrap();
            assert_eq!(client.base_url(), format!("{}{PREFIX}", proxy.url));
            // Finding out the flavour, logging in, an operation, logging out: all through the
            // prefix.
            assert_eq!(client.flavour().await.unwrap(), flavour, "{base}");
            let request = BackupRequest::builder()
                .location("sftp://backup.example.com/vcsa/through-a-proxy")
                .location_credentials("backup", Secret::new("s3cret"))
                .build()
                .unwrap();
            client.validate_backup(&request).await.unwrap();
            client.list_jobs().await.unwrap();
            client.logout().await.unwrap();
        }
        let paths = proxy.paths();
        assert!(
            paths
                .iter()
                .all(|p| p.starts_with("/vcenter1/api/") || p.starts_with("/vcenter1/rest/")),
            "{paths:#?}"
        );
        let rest = paths
            .iter()
            .filter(|p| p.starts_with("/vcenter1/rest/"))
            .count();
        match flavour {
            Flavour::Api => assert_eq!(rest, 0, "{paths:#?}"),
            // Each client tried /api once, found it missing, and spoke /rest from then on.
            _ => assert_eq!(paths.len() - rest, 2, "{paths:#?}"),
        }
    }
}
