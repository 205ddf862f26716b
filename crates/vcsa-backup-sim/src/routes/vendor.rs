//! The vendor's operations, each serving both flavours: `/api` answers bare bodies, `/rest`
//! wraps them as `{"value": ...}` and takes create and validate bodies as `{"piece": ...}`.
//! The schedules and catalog operations have their own modules.

use std::sync::Arc;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use vcsa_backup_api::types::{BackupRequest, RestBackupRequestPiece};

use super::auth::{Authed, basic_credentials};
use super::paged;
use super::reply::{
    API, App, PathIds, REST, RawBody, action, body_error, by_path, error_response, reply,
    unknown_action,
};
use crate::appliance::Appliance;
use crate::error::VapiError;
use crate::flavour::Flavour;
use crate::validate::{decode, decode_lenient};

pub(super) fn routes() -> Router<Arc<Appliance>> {
    Router::new()
        .route("/api/session", post(login).delete(logout))
        .route("/rest/com/vmware/cis/session", post(login).delete(logout))
        .route(&format!("{API}/job"), get(list_jobs).post(create_job))
        .route(&format!("{REST}/job"), get(list_jobs).post(create_job))
        .route(&format!("{API}/job/details"), get(details))
        .route(&format!("{REST}/job/details"), get(details))
        .route(
            &format!("{API}/job/{{id}}"),
            get(get_job).post(api_job_action),
        )
        .route(&format!("{REST}/job/{{id}}"), get(get_job))
        .route(&format!("{REST}/job/{{id}}/cancel"), post(rest_cancel_job))
        .route(&format!("{API}/parts"), get(parts))
        .route(&format!("{REST}/parts"), get(parts))
        .route(&format!("{API}/parts/{{id}}"), get(part_size))
        .route(&format!("{REST}/parts/{{id}}"), get(part_size))
        .route(API, post(api_backup_action))
        .route(&format!("{REST}/validate"), post(rest_validate))
        .route("/api/appliance/system/time", get(system_time))
        .route("/rest/appliance/system/time", get(system_time))
}

// ---------------------------------------------------------------------- sessions

async fn login(State(app): App, uri: Uri, headers: HeaderMap) -> Response {
    let flavour = Flavour::of_path(uri.path());
    let result = match basic_credentials(&headers) {
        Some((user, password)) => app.login(&user, &password),
        None => Err(VapiError::unauthenticated()),
    };
    reply(&app, flavour, StatusCode::CREATED, result)
}

async fn logout(State(app): App, who: Authed) -> Response {
    match app.logout(&who.token) {
        Ok(()) => match who.flavour {
            Flavour::Api => StatusCode::NO_CONTENT.into_response(),
            Flavour::Rest => StatusCode::OK.into_response(),
        },
        Err(err) => error_response(&app, who.flavour, &err),
    }
}

// ---------------------------------------------------------------------- jobs

async fn list_jobs(State(app): App, who: Authed) -> Response {
    paged::job_ids(app, who.flavour)
}

/// The backup request of a create or validate body, unwrapped from `piece` for `/rest`.
fn backup_request(flavour: Flavour, body: RawBody) -> Result<BackupRequest, VapiError> {
    let body = body.map_err(body_error)?;
    match flavour {
        Flavour::Api => decode::<BackupRequest>(&body, "a backup request"),
        Flavour::Rest => {
            decode::<RestBackupRequestPiece>(&body, "a backup request wrapped as {\"piece\": ...}")
                .map(|p| p.piece)
        }
    }
}

async fn create_job(State(app): App, who: Authed, body: RawBody) -> Response {
    let result = backup_request(who.flavour, body).and_then(|req| app.create_job(&req, &who.user));
    reply(&app, who.flavour, StatusCode::CREATED, result)
}

async fn get_job(State(app): App, who: Authed, id: PathIds<String>) -> Response {
    let result = by_path(id, |id| app.get_job(&id));
    reply(&app, who.flavour, StatusCode::OK, result)
}

async fn api_job_action(
    State(app): App,
    who: Authed,
    id: PathIds<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let result = by_path(id, |id| match action(&query) {
        Some(a) if a == "cancel" => app.cancel_job(&id),
        other => Err(unknown_action(&format!("{API}/job/{id}"), other, "cancel")),
    });
    reply(&app, who.flavour, StatusCode::OK, result)
}

async fn rest_cancel_job(State(app): App, who: Authed, id: PathIds<String>) -> Response {
    let result = by_path(id, |id| app.cancel_job(&id));
    reply(&app, who.flavour, StatusCode::OK, result)
}

// ---------------------------------------------------------------------- details

/// The `/rest` details filter sent as a JSON body by the vendor's own SDK.
#[derive(Deserialize)]
struct RestDetailsBody {
    #[serde(default)]
    filter: Option<RestDetailsFilter>,
}

#[derive(Deserialize)]
struct RestDetailsFilter {
    #[serde(default)]
    jobs: Option<Vec<String>>,
}

/// Job ids from the query: `jobs=A` (`/api`), or `filter.jobs=A` repeated and
/// `filter.jobs.1=A&filter.jobs.2=B` indexed (`/rest`), kept in index order.
fn query_jobs(flavour: Flavour, query: Option<&str>) -> Option<Vec<String>> {
    let query = query?;
    let mut plain = Vec::new();
    let mut indexed: Vec<(u64, String)> = Vec::new();
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match flavour {
            Flavour::Api if key == "jobs" => plain.push(value.into_owned()),
            Flavour::Rest if key == "filter.jobs" => plain.push(value.into_owned()),
            Flavour::Rest => {
                if let Some(n) = key
                    .strip_prefix("filter.jobs.")
                    .and_then(|n| n.parse::<u64>().ok())
                {
                    indexed.push((n, value.into_owned()));
                }
            }
            Flavour::Api => {}
        }
    }
    indexed.sort_by_key(|(n, _)| *n);
    plain.extend(indexed.into_iter().map(|(_, v)| v));
    (!plain.is_empty()).then_some(plain)
}

async fn details(
    State(app): App,
    who: Authed,
    RawQuery(query): RawQuery,
    body: RawBody,
) -> Response {
    let flavour = who.flavour;
    let filter = match (query_jobs(flavour, query.as_deref()), flavour) {
        (Some(ids), _) => Ok(Some(ids)),
        (None, Flavour::Api) => Ok(None),
        (None, Flavour::Rest) => body.map_err(body_error).and_then(|body| {
            if body.iter().all(u8::is_ascii_whitespace) {
                return Ok(None);
            }
            decode_lenient::<RestDetailsBody>(
                &body,
                "a details filter like {\"filter\": {\"jobs\": [...]}}",
            )
            .map(|b| b.filter.and_then(|f| f.jobs).filter(|ids| !ids.is_empty()))
        }),
    };
    let ids = match filter {
        Ok(Some(ids)) => ids,
        Ok(None) => return paged::job_details(app, flavour),
        Err(err) => return error_response(&app, flavour, &err),
    };
    let result = app.details(&ids).map(|entries| match flavour {
        Flavour::Api => {
            let map: Map<String, Value> = entries
                .into_iter()
                .map(|(id, info)| (id, serde_json::to_value(info).unwrap_or(Value::Null)))
                .collect();
            Value::Object(map)
        }
        Flavour::Rest => Value::Array(
            entries
                .into_iter()
                .map(|(id, info)| json!({ "key": id, "value": info }))
                .collect(),
        ),
    });
    reply(&app, flavour, StatusCode::OK, result)
}

// ---------------------------------------------------------------------- parts, validate, clock

async fn parts(State(app): App, who: Authed) -> Response {
    reply(&app, who.flavour, StatusCode::OK, Ok(app.parts()))
}

async fn part_size(State(app): App, who: Authed, id: PathIds<String>) -> Response {
    let result = by_path(id, |id| app.part_size(&id));
    reply(&app, who.flavour, StatusCode::OK, result)
}

async fn system_time(State(app): App, who: Authed) -> Response {
    reply(&app, who.flavour, StatusCode::OK, Ok(app.system_time()))
}

async fn api_backup_action(
    State(app): App,
    who: Authed,
    RawQuery(query): RawQuery,
    body: RawBody,
) -> Response {
    let result = match action(&query) {
        Some(a) if a == "validate" => {
            backup_request(who.flavour, body).and_then(|req| app.validate(&req))
        }
        other => Err(unknown_action(API, other, "validate")),
    };
    reply(&app, who.flavour, StatusCode::OK, result)
}

async fn rest_validate(State(app): App, who: Authed, body: RawBody) -> Response {
    let result = backup_request(who.flavour, body).and_then(|req| app.validate(&req));
    reply(&app, who.flavour, StatusCode::OK, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_filter_accepts_indexed_and_repeated_forms() {
        let q = Some("filter.jobs.2=B&filter.jobs.1=A&filter.jobs.10=C");
        assert_eq!(
            query_jobs(Flavour::Rest, q),
            Some(vec!["A".into(), "B".into(), "C".into()])
        );
        let q = Some("filter.jobs=A&filter.jobs=B");
        assert_eq!(
            query_jobs(Flavour::Rest, q),
            Some(vec!["A".into(), "B".into()])
        );
        assert_eq!(query_jobs(Flavour::Rest, Some("jobs=A")), None);
        assert_eq!(
            query_jobs(Flavour::Api, Some("jobs=A&jobs=B")),
            Some(vec!["A".into(), "B".into()])
        );
        assert_eq!(query_jobs(Flavour::Api, None), None);
    }
}
