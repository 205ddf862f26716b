//! A scripted appliance for the wait tests: an HTTP server on 127.0.0.1:0, running on the test's
//! own (paused) tokio runtime, that answers each call from a script and logs when it came.
//!
//! It runs on the test's runtime on purpose: the clock it stamps calls with is the clock the wait
//! sleeps on, so the logged times are the wait's real schedule.

#![allow(dead_code)] // each test file uses a different part

use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::time::Instant;
use vcsa_backup::{Client, Flavour, Secret};

pub const USER: &str = "administrator@vsphere.local";
pub const PASSWORD: &str = "Appliance-Pa55word!";
pub const JOB: &str = "20260522-061503-24322831";
pub const OLDER_JOB: &str = "20260521-230000-24322831";
pub const NEW_JOB: &str = "20260522-080000-24322831";

/// One call as the script sees it.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub path: String,
    /// Time since the appliance started.
    pub at: Duration,
}

impl Call {
    pub fn is(&self, method: &str, path: &str) -> bool {
        self.method == method && self.path == path
    }
}

/// An answer: HTTP status and JSON body, or plain text (what a proxy in front of the appliance
/// sends).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub plain_text: bool,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            body,
            plain_text: false,
        }
    }

    pub fn text(status: u16, text: &str) -> Self {
        Self {
            status,
            body: Value::String(text.to_string()),
            plain_text: true,
        }
    }
}

/// What the script decides for a call: an answer, or the appliance's usual behaviour.
pub type Script = Box<dyn FnMut(&Call) -> Option<Reply> + Send>;

struct Inner {
    started: Instant,
    script: Script,
    sessions: HashSet<String>,
    logins: u32,
    refuse_logins: bool,
    log: Vec<String>,
}

/// The running scripted appliance.
#[derive(Clone)]
pub struct Appliance {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl Appliance {
    /// Starts serving on 127.0.0.1:0 on the current runtime.
    pub async fn start(script: impl FnMut(&Call) -> Option<Reply> + Send + 'static) -> Self {
        let inner = Arc::new(Mutex::new(Inner {
            started: Instant::now(),
            script: Box::new(script),
            sessions: HashSet::new(),
            logins: 0,
            refuse_logins: false,
            log: Vec::new(),
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let app = Router::new().fallback(answer).with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, inner }
    }

    /// A client for this appliance, on `/api`, logged in by its first call.
    pub fn client(&self) -> Client {
        Client::builder(&self.url)
            .credentials(USER, Secret::new(PASSWORD))
            .flavour(Flavour::Api)
            .build()
            .expect("a client for the scripted appliance")
    }

    /// The calls so far, one line each: `  12.345 s  GET /api/...  -> 200 INPROGRESS 40%`.
    pub fn log(&self) -> Vec<String> {
        self.lock().log.clone()
    }

    /// How many calls of `method path` were made.
    pub fn count(&self, method: &str, path: &str) -> usize {
        let needle = format!(" {method} {path} ");
        self.lock()
            .log
            .iter()
            .filter(|l| l.contains(&needle))
            .count()
    }

    /// Forgets every session, as an appliance does when they expire.
    pub fn expire_sessions(&self) {
        self.lock().sessions.clear();
    }

    /// From now on, refuses every log-in (a changed password).
    pub fn refuse_logins(&self) {
        self.lock().refuse_logins = true;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

async fn answer(
    State(inner): State<Arc<Mutex<Inner>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    _body: Bytes,
) -> Response {
    let mut inner = inner
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let call = Call {
        method: method.to_string(),
        path: uri.path().to_string(),
        at: inner.started.elapsed(),
    };
    let session = headers
        .get("vmware-api-session-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let reply = if call.is("POST", "/api/session") {
        if inner.refuse_logins {
            error(401, "UNAUTHENTICATED", "Authentication required.")
        } else {
            inner.logins += 1;
            let token = format!("session-token-{}", inner.logins);
            inner.sessions.insert(token.clone());
            Reply::json(201, json!(token))
        }
    } else if !session.is_some_and(|s| inner.sessions.contains(&s)) {
        error(
            401,
            "UNAUTHENTICATED",
            "This method requires authentication.",
        )
    } else {
        (inner.script)(&call).unwrap_or_else(|| error(404, "NOT_FOUND", "No such resource."))
    };
    let mut line = format!(
        "{:>9.3} s  {} {} -> {}",
        call.at.as_secs_f64(),
        call.method,
        call.path,
        reply.status
    );
    if let (Some(state), Some(progress)) = (reply.body.get("state"), reply.body.get("progress")) {
        let _ = write!(line, " {} {}%", state.as_str().unwrap_or("?"), progress);
    } else if let Some(kind) = reply.body.get("error_type") {
        let _ = write!(line, " {}", kind.as_str().unwrap_or("?"));
    } else if reply.plain_text {
        line.push_str(" (plain text)");
    }
    inner.log.push(line);
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match reply.body {
        Value::String(text) if reply.plain_text => (status, text).into_response(),
        body => (status, axum::Json(body)).into_response(),
    }
}

/// A job status body in the `/api` shape.
pub fn job(id: &str, state: &str, progress: u8, messages: &[&str]) -> Reply {
    let mut body = json!({
        "id": id,
        "state": state,
        "progress": progress,
        "messages": messages
            .iter()
            .enumerate()
            .map(|(n, text)| json!({"id": format!("com.vmware.backup.msg{n}"), "default_message": text, "args": []}))
            .collect::<Vec<_>>(),
        "start_time": "2026-05-22T06:15:03.000Z",
    });
    if state == "SUCCEEDED" || state == "FAILED" {
        body["end_time"] = json!("2026-05-22T06:45:03.000Z");
    }
    Reply::json(200, body)
}

/// A job that runs from `from` for `length` of appliance time and then succeeds.
pub fn timed_job(id: &str, at: Duration, from: Duration, length: Duration) -> Reply {
    let done = at.saturating_sub(from);
    if done >= length {
        job(id, "SUCCEEDED", 100, &["Backup job completed."])
    } else {
        let percent = (done.as_secs_f64() / length.as_secs_f64() * 100.0) as u8;
        job(id, "INPROGRESS", percent, &[])
    }
}

/// A vAPI error body in the `/api` shape.
pub fn error(status: u16, error_type: &str, message: &str) -> Reply {
    Reply::json(
        status,
        json!({
            "error_type": error_type,
            "messages": [{"id": format!("vapi.{}", error_type.to_lowercase()), "default_message": message, "args": []}],
        }),
    )
}

/// The path of a job's status.
pub fn job_path(id: &str) -> String {
    format!("/api/appliance/recovery/backup/job/{id}")
}

pub const JOBS_PATH: &str = "/api/appliance/recovery/backup/job";

pub fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}
