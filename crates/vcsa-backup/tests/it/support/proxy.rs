//! A forwarding proxy on loopback that loses the answer to a start: it forwards every request
//! to the appliance, and when the request starts a backup or runs a schedule, drops the
//! connection or answers a gateway page instead of the appliance's answer. One request per
//! connection (`Connection: close`), enough for a client's calls one after another.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use vcsa_backup::reqwest;

/// What the proxy answers in place of the start's answer.
#[derive(Clone, Copy, Debug)]
pub enum Replace {
    /// Close the connection without a byte.
    Drop,
    /// A gateway page with this status.
    Page(u16),
}

/// A running proxy.
pub struct Proxy {
    pub url: String,
    /// Starts forwarded to the appliance.
    pub starts_forwarded: Arc<AtomicUsize>,
}

struct Shared {
    upstream: String,
    replace: Replace,
    /// After the start, every request answers a 503 page: the appliance cannot be read.
    unreadable_after: bool,
    started: AtomicBool,
    starts_forwarded: Arc<AtomicUsize>,
    http: reqwest::Client,
}

impl Proxy {
    pub async fn start(upstream: &str, replace: Replace, unreadable_after: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let starts_forwarded = Arc::new(AtomicUsize::new(0));
        let shared = Arc::new(Shared {
            upstream: upstream.to_string(),
            replace,
            unreadable_after,
            started: AtomicBool::new(false),
            starts_forwarded: starts_forwarded.clone(),
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .unwrap(),
        });
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        Self {
            url,
            starts_forwarded,
        }
    }
}

/// Reads one request (head and `Content-Length` body); `None` when the client went away.
async fn read_request(
    stream: &mut TcpStream,
) -> Option<(String, String, Vec<(String, String)>, Vec<u8>)> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let target = request_line.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((method, target, headers, body))
}

fn is_start(method: &str, target: &str) -> bool {
    let path = target.split('?').next().unwrap_or_default();
    method == "POST"
        && (path.ends_with("/appliance/recovery/backup/job") || target.contains("action=run"))
}

async fn respond(stream: &mut TcpStream, status: u16, content_type: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status} Proxy\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body).await;
    let _ = stream.shutdown().await;
}

async fn serve(mut stream: TcpStream, shared: Arc<Shared>) {
    let Some((method, target, headers, body)) = read_request(&mut stream).await else {
        return;
    };
    let page = |status: u16| format!("<html><body><h1>{status} from the proxy</h1></body></html>");
    if shared.unreadable_after && shared.started.load(Ordering::SeqCst) {
        respond(&mut stream, 503, "text/html", page(503).as_bytes()).await;
        return;
    }
    let mut forward = shared.http.request(
        method.parse().unwrap(),
        format!("{}{target}", shared.upstream),
    );
    for (name, value) in &headers {
        if !matches!(name.as_str(), "host" | "connection" | "content-length") {
            forward = forward.header(name, value);
        }
    }
    let Ok(answer) = forward.body(body).send().await else {
        return;
    };
    let status = answer.status().as_u16();
    let content_type = answer
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_string();
    let bytes = answer.bytes().await.unwrap_or_default();
    if is_start(&method, &target) {
        shared.starts_forwarded.fetch_add(1, Ordering::SeqCst);
        shared.started.store(true, Ordering::SeqCst);
        match shared.replace {
            Replace::Drop => return,
            Replace::Page(status) => {
                respond(&mut stream, status, "text/html", page(status).as_bytes()).await;
                return;
            }
        }
    }
    respond(&mut stream, status, &content_type, &bytes).await;
}
