//! The one place an operation goes to its `/api` or `/rest` twin: [`send`] calls the flavour's
//! half of a [`Twins`] (see [`twins`](super::twins)), turns failures into [`Error`] (scrubbed of
//! the request's secrets by [`scrub`](super::scrub)) and reports every request, log-ins
//! included, as one DEBUG event on [`TARGET`]: the operation's name (never the URL: on `/rest`
//! it can carry a password), the flavour, the HTTP status or the transport failure, and the
//! duration. Without a subscriber that wants it, that costs one check of a cached level.

use std::future::Future;
use std::time::Instant;

use progenitor_client::{Error as WireError, ResponseValue};
use vcsa_backup_api::{Client as Api, ClientInfo as _, Secret, types};

use crate::error::{Error, ServerError};
use crate::wire::classify::{self, Body};
use crate::wire::convert::IntoDomain;
use crate::wire::flavour::Flavour;
use crate::wire::scrub::Scrub;

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
    /// The secrets the request carries (passwords), scrubbed from whatever the server answers.
    fn secrets(&self) -> Vec<&str> {
        Vec::new()
    }
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

/// `/rest` answers that hold the `/api` answer in `value`.
macro_rules! wrapped_in_value {
    ($($rest:ty => $api:ty,)*) => {
        $(impl $crate::wire::dispatch::RestAnswerOf<$api> for $rest {
            fn into_api(self) -> $api {
                self.value
            }
        })*
    };
}
pub(crate) use wrapped_in_value;

/// The [`Twins`] impl of an operation: its type, name, what it does, whether it repeats, its
/// `/api` and `/rest` answers; then, naming the operation and the generated client, the `/api`
/// call and the `/rest` call; and, when the request carries any, its secrets. An operation
/// without arguments starts with `struct` and names the two generated methods alone; one that
/// borrows a single argument starts with `struct Op(&Argument)`, which declares it.
macro_rules! twins {
    (struct $ty:ident(&$arg:ty): $($rest:tt)*) => {
        pub(crate) struct $ty<'a>(pub(crate) &'a $arg);

        $crate::wire::dispatch::twins!($ty<'_>: $($rest)*);
    };
    (struct $ty:ident: $name:literal, $does:literal, $repeat:ident, $answer:ty, $rest:ty,
     $call_api:ident, $call_rest:ident $(, answer: $body:ident)?) => {
        pub(crate) struct $ty;

        $crate::wire::dispatch::twins!($ty: $name, $does, $repeat, $answer, $rest,
            |_, api| api.$call_api().await, api.$call_rest().await $(, answer: $body)?);
    };
    ($ty:ty: $name:literal, $does:literal, $repeat:ident, $answer:ty, $rest:ty,
     |$op:pat_param, $api:ident| $call_api:expr, $call_rest:expr
     $(, secrets: $secrets:expr)? $(, answer: $body:ident)? $(,)?) => {
        impl $crate::wire::dispatch::Twins for $ty {
            const NAME: &'static str = $name;
            const DOES: &'static str = $does;
            const REPEAT: $crate::wire::dispatch::Repeat = $crate::wire::dispatch::Repeat::$repeat;
            $(const ANSWER: $crate::wire::classify::Body = $crate::wire::classify::Body::$body;)?
            type Answer = $answer;
            type Rest = $rest;

            $(fn secrets(&self) -> Vec<&str> {
                let $op = self;
                $secrets
            })?

            async fn api(
                &self,
                $api: &vcsa_backup_api::Client,
            ) -> $crate::wire::dispatch::ApiAnswer<$answer> {
                let $op = self;
                $call_api
            }
            async fn rest(
                &self,
                $api: &vcsa_backup_api::Client,
            ) -> $crate::wire::dispatch::RestAnswer<$rest> {
                let $op = self;
                $call_rest
            }
        }
    };
}
pub(crate) use twins;

/// Sends `operation` in `flavour`.
pub(crate) async fn send<T: Twins>(
    api: &Api,
    flavour: Flavour,
    operation: &T,
) -> Result<T::Answer, Error> {
    exchange(api, flavour, operation).await.0
}

/// The `tracing` target of the per-request events.
pub(crate) const TARGET: &str = "vcsa_backup::http";

/// Sends `operation` in `flavour`; also returns the HTTP status of the answer, when one came.
/// Reports the request to `tracing` (see the module's documentation).
pub(crate) async fn exchange<T: Twins>(
    api: &Api,
    flavour: Flavour,
    operation: &T,
) -> (Result<T::Answer, Error>, Option<u16>) {
    // The clock is read only when the event will be recorded: next to nothing otherwise.
    let started = tracing::enabled!(target: TARGET, tracing::Level::DEBUG).then(Instant::now);
    // Built only when an answer is a failure: the secrets this request carried.
    let scrub = || {
        let session = api.inner().secrets();
        let operation = operation.secrets();
        Scrub::new(
            operation
                .into_iter()
                .chain(session.iter().map(Secret::expose)),
        )
    };
    let (result, status) = match flavour {
        Flavour::Api => settle(operation.api(api).await, T::ANSWER, scrub).await,
        Flavour::Rest => {
            let (result, status) = settle(operation.rest(api).await, T::ANSWER, scrub).await;
            (result.map(RestAnswerOf::into_api), status)
        }
    };
    if let Some(started) = started {
        report(T::NAME, flavour, status, &result, started);
    }
    (result, status)
}

/// The per-request event. Only names, numbers and fixed words: never a URL, body or header.
#[cold]
fn report<A>(
    operation: &'static str,
    flavour: Flavour,
    status: Option<u16>,
    result: &Result<A, Error>,
    started: Instant,
) {
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    // The flavour without its slash; the status or, when no answer came, the failure (a field
    // that is `None` is left out of the event).
    let flavour = &flavour.prefix()[1..];
    let failure = status.is_none().then(|| failure_kind(result));
    tracing::debug!(
        target: TARGET,
        operation,
        flavour,
        status,
        failure,
        duration_ms,
        "request"
    );
}

/// Why no answer came, in a word or two: for the per-request event.
fn failure_kind<A>(result: &Result<A, Error>) -> &'static str {
    let Err(error) = result else {
        return "none";
    };
    match error {
        Error::UntrustedCertificate { .. } => "untrusted certificate",
        Error::Transient {
            source: Some(source),
            ..
        } => match source.downcast_ref::<reqwest::Error>() {
            Some(e) if e.is_timeout() => "timeout",
            Some(e) if e.is_connect() => "connect",
            Some(e) if e.is_body() || e.is_decode() => "answer cut off",
            _ => "connection",
        },
        Error::MalformedResponse { .. } => "undecodable answer",
        Error::InvalidRequest(_) => "request not built",
        _ => "other",
    }
}

/// The value of an answer, or its failure as an [`Error`]; with the HTTP status either way.
async fn settle<T, E: IntoDomain<ServerError>>(
    answer: Result<ResponseValue<T>, WireError<E>>,
    body: Body,
    scrub: impl FnOnce() -> Scrub,
) -> (Result<T, Error>, Option<u16>) {
    match answer {
        Ok(value) => {
            let status = value.status().as_u16();
            (Ok(value.into_inner()), Some(status))
        }
        Err(e) => {
            let status = e.status().map(|s| s.as_u16());
            (Err(classify::from_wire(e, body, &scrub()).await), status)
        }
    }
}
