//! Answers lost after the work is done (see `crate::lost_answers`): the vendor calls'
//! middleware that carries out a call and then loses its answer, the service wrapper that
//! closes a connection without an answer, and the admin request that sets lost answers.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;
use tower::util::MapResult;

use crate::appliance::Appliance;
use crate::control::Control;
use crate::flavour::json_response;
use crate::lost_answers::{HANG, LostAnswer, LostOperation};

/// The admin request that sets lost answers.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Lose {
    operation: LostOperation,
    answer: LostAnswer,
    count: u32,
}

/// `POST /__sim/faults/lost-answers` `{"operation": "start_backup", "answer": "dropped", "count": 1}`.
pub(crate) async fn admin(State(app): State<Arc<Appliance>>, body: Bytes) -> Response {
    match serde_json::from_slice::<Lose>(&body) {
        Ok(lose) => {
            let control = Control {
                appliance: app.clone(),
            };
            control.lose_answers(lose.operation, lose.answer, lose.count);
            json_response(StatusCode::OK, &app.snapshot())
        }
        Err(err) => json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "error": format!(
                "The admin request body is invalid: {err}. Send {{\"operation\": \"start_backup\", \
                 \"answer\": \"dropped\", \"count\": 1}} (answers: dropped, bad_gateway, \
                 service_unavailable, gateway_timeout, hang)."
            ) }),
        ),
    }
}

/// Marks a response whose connection is to close without it; see [`drop_marked`].
#[derive(Clone, Copy)]
struct DropConnection;

/// The service error that makes the HTTP server close a connection without an answer.
#[derive(Debug, thiserror::Error)]
#[error("the answer was dropped (simulated fault)")]
pub(crate) struct AnswerDropped;

impl From<Infallible> for AnswerDropped {
    fn from(never: Infallible) -> Self {
        match never {}
    }
}

/// The application as served: a response marked by [`lose`] becomes [`AnswerDropped`], on
/// which the HTTP server closes the connection without a byte of answer.
pub(crate) fn service(app: axum::Router) -> MapResult<axum::Router, DropMarked> {
    MapResult::new(app, drop_marked)
}

type DropMarked = fn(Result<Response, Infallible>) -> Result<Response, AnswerDropped>;

fn drop_marked(result: Result<Response, Infallible>) -> Result<Response, AnswerDropped> {
    match result {
        Ok(response) if response.extensions().get::<DropConnection>().is_some() => {
            Err(AnswerDropped)
        }
        Ok(response) => Ok(response),
        Err(never) => match never {},
    }
}

/// The vendor calls' middleware: carries out the call, then loses its answer if told to.
pub(crate) async fn lose(State(app): State<Arc<Appliance>>, req: Request, next: Next) -> Response {
    let operation = LostOperation::of(req.method(), req.uri().path(), req.uri().query());
    let lost = app.lock().faults.take_lost_answer(operation);
    let response = next.run(req).await;
    let Some(lost) = lost else {
        return response;
    };
    let (status, title) = match lost {
        LostAnswer::Dropped => return dropped(),
        LostAnswer::Hang => {
            tokio::time::sleep(HANG).await;
            return dropped();
        }
        LostAnswer::BadGateway => (StatusCode::BAD_GATEWAY, "502 Bad Gateway"),
        LostAnswer::ServiceUnavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            "503 Service Temporarily Unavailable",
        ),
        LostAnswer::GatewayTimeout => (StatusCode::GATEWAY_TIMEOUT, "504 Gateway Time-out"),
    };
    let page = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    );
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/html"),
    );
    response
}

/// A response whose connection closes without an answer.
pub(crate) fn dropped() -> Response {
    let mut response = Response::new(Body::empty());
    response.extensions_mut().insert(DropConnection);
    response
}
