//! Answers lost after the work is done, as a bad network or a proxy loses them: the appliance
//! carries out the call (starts the backup or the restore, runs the schedule), then the connection drops
//! without an answer, a proxy answers 502, 503 or 504 with its own page, or no answer comes
//! until the client gives up. Set per operation for the next few calls, from the builder
//! (`SimulatorBuilder::lose_answers`), the control handle (`Control::lose_answers`) or the
//! admin endpoint (`POST /__sim/faults/lost-answers`).

use std::collections::BTreeMap;
use std::time::Duration;

use axum::http::Method;
use serde::{Deserialize, Serialize};

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
    pub(crate) fn of(method: &Method, path: &str, query: Option<&str>) -> Option<Self> {
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
}
