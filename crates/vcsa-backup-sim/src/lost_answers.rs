//! Answers lost after the work is done, as a bad network or a proxy loses them: the appliance
//! carries out the call (starts the backup or the restore, runs the schedule), then the connection drops
//! without an answer, a proxy answers 502, 503 or 504 with its own page, or no answer comes
//! until the client gives up. Set per operation for the next few calls, from the builder
//! ([`SimulatorBuilder::lose_answers`](crate::SimulatorBuilder::lose_answers)), the control handle ([`Control::lose_answers`]) or the
//! admin endpoint (`POST /__sim/faults/lost-answers`).

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tower::util::MapResult;

use crate::appliance::Appliance;
use crate::control::Control;
use crate::faults::Faults;
use crate::flavour::json_response;

/// How long an answer lost with [`LostAnswer::Hang`] is held before the connection drops:
/// longer than any client waits.
pub const HANG: Duration = Duration::from_secs(3600);

/// The operations whose answers can be lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LostOperation {
    /// Start a backup (`POST .../backup/job`).
    StartBackup,
    /// Run a backup schedule (`POST .../backup/schedules/{id}?action=run`).
    RunSchedule,
    /// Cancel a job (`POST .../job/{id}?action=cancel`, `/rest`: `.../job/{id}/cancel`).
    CancelJob,
    /// Start a restore (`POST .../recovery/restore/job`).
    StartRestore,
    /// Start a reconciliation (`POST .../recovery/reconciliation/job`).
    StartReconciliation,
    /// Every vendor call (log in included); used after the operation's own setting.
    Any,
}

impl LostOperation {
    /// The operation a request calls, if it is one of those named above.
    fn of(method: &Method, path: &str, query: Option<&str>) -> Option<Self> {
        if method != Method::POST {
            return None;
        }
        let rest = path
            .strip_prefix("/api")
            .or_else(|| path.strip_prefix("/rest"))?;
        let rest = rest.strip_prefix("/appliance/recovery")?;
        let action = |name: &str| {
            query.is_some_and(|q| q.split('&').any(|pair| pair == format!("action={name}")))
        };
        match rest {
            "/backup/job" => Some(Self::StartBackup),
            "/restore/job" if !action("cancel") => Some(Self::StartRestore),
            "/reconciliation/job" => Some(Self::StartReconciliation),
            _ if rest.starts_with("/backup/schedules/") && action("run") => Some(Self::RunSchedule),
            _ if rest.starts_with("/backup/job/")
                && (action("cancel") || rest.ends_with("/cancel")) =>
            {
                Some(Self::CancelJob)
            }
            _ => None,
        }
    }
}

/// How an answer is lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LostAnswer {
    /// The connection closes without an answer.
    Dropped,
    /// A proxy answers 502 Bad Gateway with its own HTML page.
    BadGateway,
    /// A proxy answers 503 Service Unavailable with its own HTML page.
    ServiceUnavailable,
    /// A proxy answers 504 Gateway Timeout with its own HTML page.
    GatewayTimeout,
    /// No answer comes for [`HANG`], then the connection closes: the client's time-out passes
    /// first.
    Hang,
}

/// The answers to lose for one operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostAnswers {
    /// How they are lost.
    pub answer: LostAnswer,
    /// How many of the next calls lose their answer.
    pub count: u32,
}

impl Faults {
    /// How the answer to a call of `operation` made now is lost, if it is; counts it.
    fn take_lost_answer(&mut self, operation: Option<LostOperation>) -> Option<LostAnswer> {
        let key = operation
            .filter(|op| self.lost_answers.contains_key(op))
            .or_else(|| {
                self.lost_answers
                    .contains_key(&LostOperation::Any)
                    .then_some(LostOperation::Any)
            })?;
        let lost = self.lost_answers.get_mut(&key)?;
        lost.count = lost.count.saturating_sub(1);
        let answer = lost.answer;
        if lost.count == 0 {
            self.lost_answers.remove(&key);
        }
        Some(answer)
    }
}

/// Sets `count` answers to lose, replacing the setting of that operation (a count of 0 clears it).
pub(crate) fn set(
    lost: &mut BTreeMap<LostOperation, LostAnswers>,
    op: LostOperation,
    answer: LostAnswer,
    count: u32,
) {
    if count == 0 {
        lost.remove(&op);
    } else {
        lost.insert(op, LostAnswers { answer, count });
    }
}

impl Control {
    /// The next `count` calls of `operation` are carried out, then their answers are lost as
    /// `answer` says.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use vcsa_backup_sim::{LostAnswer, LostOperation, Simulator};
    ///
    /// let sim = Simulator::builder().tls(false).start().await?;
    /// // The next backup starts, but the client sees a proxy's 504 instead of its job.
    /// sim.control().lose_answers(LostOperation::StartBackup, LostAnswer::GatewayTimeout, 1);
    /// assert_eq!(sim.control().state().faults.lost_answers[&LostOperation::StartBackup].count, 1);
    /// sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn lose_answers(&self, operation: LostOperation, answer: LostAnswer, count: u32) {
        self.appliance
            .update_faults(|f| set(&mut f.lost_answers, operation, answer, count));
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_told_apart_in_both_flavours() {
        let of = |method: Method, path: &str, query: Option<&str>| {
            LostOperation::of(&method, path, query)
        };
        let start = Some(LostOperation::StartBackup);
        assert_eq!(
            of(Method::POST, "/api/appliance/recovery/backup/job", None),
            start
        );
        assert_eq!(
            of(Method::POST, "/rest/appliance/recovery/backup/job", None),
            start
        );
        assert_eq!(
            of(Method::GET, "/api/appliance/recovery/backup/job", None),
            None
        );
        let run = Some(LostOperation::RunSchedule);
        for prefix in ["/api", "/rest"] {
            let path = format!("{prefix}/appliance/recovery/backup/schedules/default");
            assert_eq!(of(Method::POST, &path, Some("action=run")), run);
            assert_eq!(of(Method::POST, &path, None), None, "a create");
        }
        let cancel = Some(LostOperation::CancelJob);
        assert_eq!(
            of(
                Method::POST,
                "/api/appliance/recovery/backup/job/1",
                Some("action=cancel")
            ),
            cancel
        );
        assert_eq!(
            of(
                Method::POST,
                "/rest/appliance/recovery/backup/job/1/cancel",
                None
            ),
            cancel
        );
        for prefix in ["/api", "/rest"] {
            let restore = format!("{prefix}/appliance/recovery/restore/job");
            assert_eq!(
                of(Method::POST, &restore, None),
                Some(LostOperation::StartRestore)
            );
            assert_eq!(of(Method::GET, &restore, None), None, "a status read");
            let reconcile = format!("{prefix}/appliance/recovery/reconciliation/job");
            assert_eq!(
                of(Method::POST, &reconcile, None),
                Some(LostOperation::StartReconciliation)
            );
        }
        assert_eq!(
            of(
                Method::POST,
                "/api/appliance/recovery/restore/job",
                Some("action=cancel")
            ),
            None,
            "a restore's cancel"
        );
        assert_eq!(of(Method::POST, "/api/session", None), None);
    }

    #[test]
    fn the_operations_own_setting_comes_first_then_any_and_counts_run_out() {
        let mut faults = Faults::default();
        set(
            &mut faults.lost_answers,
            LostOperation::StartBackup,
            LostAnswer::Dropped,
            1,
        );
        set(
            &mut faults.lost_answers,
            LostOperation::Any,
            LostAnswer::BadGateway,
            2,
        );
        let start = Some(LostOperation::StartBackup);
        assert_eq!(faults.take_lost_answer(start), Some(LostAnswer::Dropped));
        assert_eq!(faults.take_lost_answer(start), Some(LostAnswer::BadGateway));
        assert_eq!(faults.take_lost_answer(None), Some(LostAnswer::BadGateway));
        assert_eq!(faults.take_lost_answer(start), None);
        assert!(faults.lost_answers.is_empty());
        set(
            &mut faults.lost_answers,
            LostOperation::RunSchedule,
            LostAnswer::Hang,
            3,
        );
        set(
            &mut faults.lost_answers,
            LostOperation::RunSchedule,
            LostAnswer::Hang,
            0,
        );
        assert!(faults.lost_answers.is_empty(), "a count of 0 clears it");
    }
}
