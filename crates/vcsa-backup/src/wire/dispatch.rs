//! The one place an operation goes to its `/api` or `/rest` twin.
//!
//! Each operation the appliance offers in both flavours is a small type implementing [`Twins`]
//! (see [`twins`](super::twins)): the generated call of each flavour, and the `/api` answer that
//! the `/rest` answer converts into. [`send`] picks the twin for the flavour, turns failures into
//! [`Error`] and reports the request to `tracing`. Sessions and domain types are the client's
//! business, above this layer.

use std::future::Future;

use progenitor_client::{Error as WireError, ResponseValue};
use vcsa_backup_api::{Client as Api, types};

use crate::error::Error;
use crate::wire::classify::{self, Body, IntoServerError};
use crate::wire::flavour::Flavour;

/// What a generated `/api` call returns.
pub(crate) type ApiAnswer<T> = Result<ResponseValue<T>, WireError<types::StdError>>;
/// What a generated `/rest` call returns.
pub(crate) type RestAnswer<T> = Result<ResponseValue<T>, WireError<types::RestError>>;

/// Whether an operation may be sent again after a new log in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// It only reads (or only checks): sending it twice changes nothing.
    Yes,
    /// It starts or stops work: never sent twice without the caller's say.
    No,
}

/// One operation, as the generated call of each flavour.
pub(crate) trait Twins: Sync {
    /// The client operation it serves, such as `get_job`, for logs.
    const NAME: &'static str;
    /// What it does in an administrator's words, such as "start a backup", for errors.
    const DOES: &'static str;
    /// Whether it may be sent again after a new log in: only reads and checks may.
    const REPEAT: Repeat;
    /// Whether its answer may hold a session token, so must never be quoted in errors.
    const ANSWER: Body = Body::Quotable;
    /// The `/api` answer.
    type Answer;
    /// The `/rest` answer, which holds the `/api` one (usually in `value`).
    type Rest: RestAnswerOf<Self::Answer>;

    /// Sends the `/api` twin.
    fn api(&self, api: &Api) -> impl Future<Output = ApiAnswer<Self::Answer>> + Send;
    /// Sends the `/rest` twin.
    fn rest(&self, api: &Api) -> impl Future<Output = RestAnswer<Self::Rest>> + Send;
}

/// A `/rest` answer, converted into its `/api` twin's answer.
pub(crate) trait RestAnswerOf<T> {
    fn into_api(self) -> T;
}

/// Sends `operation` in `flavour`.
pub(crate) async fn send<T: Twins>(
    api: &Api,
    flavour: Flavour,
    operation: &T,
) -> Result<T::Answer, Error> {
    exchange(api, flavour, operation).await.0
}

/// Sends `operation` in `flavour`; also returns the HTTP status of the answer, when one came.
pub(crate) async fn exchange<T: Twins>(
    api: &Api,
    flavour: Flavour,
    operation: &T,
) -> (Result<T::Answer, Error>, Option<u16>) {
    match flavour {
        Flavour::Api => settle(operation.api(api).await, T::ANSWER).await,
        Flavour::Rest => {
            let (result, status) = settle(operation.rest(api).await, T::ANSWER).await;
            (result.map(RestAnswerOf::into_api), status)
        }
    }
}

/// The value of an answer, or its failure as an [`Error`]; with the HTTP status either way.
async fn settle<T, E: IntoServerError>(
    answer: Result<ResponseValue<T>, WireError<E>>,
    body: Body,
) -> (Result<T, Error>, Option<u16>) {
    match answer {
        Ok(value) => {
            let status = value.status().as_u16();
            (Ok(value.into_inner()), Some(status))
        }
        Err(e) => {
            let status = e.status().map(|s| s.as_u16());
            (Err(classify::from_wire(e, body).await), status)
        }
    }
}
