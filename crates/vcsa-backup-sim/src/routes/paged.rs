//! Answers as long as the history: every job's id, or every job's details. They are written a
//! page at a time, each page read under the lock and sent before the next is read, so a long
//! history is answered in little memory however many clients read it at once.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, stream};
use serde::Serialize;
use vcsa_backup_api::types::DetailsInfo;

use crate::appliance::Appliance;
use crate::flavour::Flavour;
use crate::jobs::Cursor;

/// Jobs per page: a few hundred kilobytes of details at most.
const PAGE: usize = 256;

/// Every job id, newest first: `[...]` for `/api`, `{"value": [...]}` for `/rest`.
pub(super) fn job_ids(app: Arc<Appliance>, flavour: Flavour) -> Response {
    let (open, close) = match flavour {
        Flavour::Api => ("[", "]"),
        Flavour::Rest => ("{\"value\":[", "]}"),
    };
    answer(open, close, move |cursor, out| {
        let (ids, next) = app.ids_page(cursor, PAGE);
        for id in &ids {
            out.element(id)?;
        }
        Ok(next)
    })
}

/// Every job's details, newest first: `{"<id>": {...}, ...}` for `/api`, and
/// `{"value": [{"key": "<id>", "value": {...}}, ...]}` for `/rest`.
pub(super) fn job_details(app: Arc<Appliance>, flavour: Flavour) -> Response {
    #[derive(Serialize)]
    struct Entry<'a> {
        key: &'a str,
        value: &'a DetailsInfo,
    }
    let (open, close) = match flavour {
        Flavour::Api => ("{", "}"),
        Flavour::Rest => ("{\"value\":[", "]}"),
    };
    answer(open, close, move |cursor, out| {
        let (page, next) = app.details_page(cursor, PAGE);
        for (id, info) in &page {
            match flavour {
                Flavour::Api => {
                    out.element(id)?;
                    out.bytes.push(b':');
                    serde_json::to_writer(&mut out.bytes, info)?;
                }
                Flavour::Rest => out.element(&Entry {
                    key: id,
                    value: info,
                })?,
            }
        }
        Ok(next)
    })
}

/// The answer being written: the bytes of the page at hand, and whether an element came
/// before (in this page or an earlier one).
#[derive(Default)]
struct Page {
    bytes: Vec<u8>,
    after_first: bool,
}

impl Page {
    /// Appends one element of the JSON array or object, after a comma unless it is the first.
    fn element(&mut self, value: &impl Serialize) -> serde_json::Result<()> {
        if std::mem::replace(&mut self.after_first, true) {
            self.bytes.push(b',');
        }
        serde_json::to_writer(&mut self.bytes, value)
    }
}

/// A 200 answer of `open`, the pages `page` writes one after the other, and `close`.
///
/// `page` writes the page at `cursor` and answers where the next one starts. An answer of one
/// page is sent whole (with its length, as before paging); a longer one is streamed. A page
/// that cannot be written ends the answer early, which the client sees as a broken body rather
/// than as valid JSON.
fn answer<F>(open: &'static str, close: &'static str, mut page: F) -> Response
where
    F: FnMut(Cursor, &mut Page) -> serde_json::Result<Cursor> + Send + 'static,
{
    let mut out = Page {
        bytes: open.as_bytes().to_vec(),
        after_first: false,
    };
    let body = match page(Cursor::Newest, &mut out) {
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Ok(Cursor::End) => {
            out.bytes.extend_from_slice(close.as_bytes());
            Body::from(out.bytes)
        }
        Ok(next) => {
            let first = Bytes::from(std::mem::take(&mut out.bytes));
            let rest = stream::unfold(
                (Some(next), page, out),
                move |(cursor, mut page, mut out)| async move {
                    let next = match page(cursor?, &mut out) {
                        Ok(next) => next,
                        Err(err) => return Some((Err(err), (None, page, out))),
                    };
                    if next == Cursor::End {
                        out.bytes.extend_from_slice(close.as_bytes());
                    }
                    let bytes = Bytes::from(std::mem::take(&mut out.bytes));
                    let next = (next != Cursor::End).then_some(next);
                    Some((Ok(bytes), (next, page, out)))
                },
            );
            Body::from_stream(stream::once(async { Ok(first) }).chain(rest))
        }
    };
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}
