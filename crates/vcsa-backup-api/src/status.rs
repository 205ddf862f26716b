//! The HTTP status of a generated call's answer, even when its body could not be decoded.
//!
//! progenitor reports a body it cannot decode as `Error::InvalidResponsePayload`, without the
//! status code. The status still matters: an HTML page from a proxy with 502, 503 or 504 means
//! "try again later", while an undecodable 200 means the appliance speaks a different API.

use std::cell::Cell;
use std::future::Future;

use reqwest::StatusCode;

tokio::task_local! {
    static LAST_STATUS: Cell<Option<StatusCode>>;
}

/// Runs `call` (one or more generated calls) and returns its output with the status code of the
/// last answer it received, or `None` if no answer came (a connection failure).
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use vcsa_backup_api::{Auth, Client, status::capture_status};
///
/// let client = Client::new_with_client("http://127.0.0.1:9", reqwest::Client::new(), Auth::new());
/// let (result, status) = capture_status(client.list_jobs()).await;
/// assert!(result.is_err()); // nothing listens on the discard port
/// assert_eq!(status, None);
/// # });
/// ```
pub async fn capture_status<F: Future>(call: F) -> (F::Output, Option<StatusCode>) {
    LAST_STATUS
        .scope(Cell::new(None), async move {
            let output = call.await;
            (output, LAST_STATUS.with(Cell::get))
        })
        .await
}

/// Called by the hooks after every request; a no-op outside [`capture_status`].
pub(crate) fn record(status: Option<StatusCode>) {
    // Outside a capture scope there is nowhere to record, which is fine.
    let _ = LAST_STATUS.try_with(|last| last.set(status));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn outside_a_scope_recording_is_harmless() {
        record(Some(StatusCode::OK));
        let ((), status) = capture_status(async { record(Some(StatusCode::BAD_GATEWAY)) }).await;
        assert_eq!(status, Some(StatusCode::BAD_GATEWAY));
    }

    #[tokio::test]
    async fn the_last_answer_wins() {
        let ((), status) = capture_status(async {
            record(Some(StatusCode::UNAUTHORIZED));
            record(Some(StatusCode::OK));
        })
        .await;
        assert_eq!(status, Some(StatusCode::OK));
    }
}
