//! A loopback HTTP/1.1 server that records every request and answers one canned response.
//!
//! It listens on `127.0.0.1:0`, so tests never clash over ports and never leave the machine.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A request exactly as it arrived.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The HTTP method.
    pub method: String,
    /// The request target: path and query, as sent.
    pub path_and_query: String,
    /// Every header in arrival order, names lower-case.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The value of a header, if sent (once).
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.headers.iter().filter(|(n, _)| n == name);
        let first = values.next().map(|(_, v)| v.as_str());
        assert!(
            values.next().is_none(),
            "header {name} was sent more than once"
        );
        first
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
}

/// The running server; it stops when dropped.
pub struct Recorder {
    base_url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: JoinHandle<()>,
}

impl Recorder {
    /// Starts a server on a free loopback port that answers `canned` to every request.
    pub async fn start(canned: Canned) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let base_url = format!("http://{}", listener.local_addr().expect("bound address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let log = Arc::clone(&log);
                let canned = canned.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let log = Arc::clone(&log);
                        let canned = canned.clone();
                        async move { Ok::<_, Infallible>(answer(request, &log, &canned).await) }
                    });
                    // A client that hangs up early is not this server's concern.
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self {
            base_url,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`, the base URL to give the client.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("request log").clone()
    }

    /// The one request received; panics if there were none or several.
    pub fn single(&self) -> Recorded {
        let mut requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request: {requests:#?}"
        );
        requests.remove(0)
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn answer(
    request: Request<Incoming>,
    log: &Mutex<Vec<Recorded>>,
    canned: &Canned,
) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(e) => format!("<body could not be read: {e}>").into_bytes(),
    };
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str().to_string())
        .unwrap_or_else(|| parts.uri.to_string());
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    log.lock().expect("request log").push(Recorded {
        method: parts.method.to_string(),
        path_and_query,
        headers,
        body,
    });

    let status = StatusCode::from_u16(canned.status).expect("a valid canned status");
    let mut response = Response::builder().status(status);
    let body = match &canned.body {
        Some(json) => {
            response = response.header("content-type", "application/json");
            Bytes::from(json.clone())
        }
        None => Bytes::new(),
    };
    response
        .body(Full::new(body))
        .expect("a valid canned response")
}
