//! The catalog operations in both flavours: system names at a location, the archives of a
//! system name, one archive.
//!
//! `/api` takes the inputs as the body of a `POST ...?action=list|get` (a bare LocationSpec, or
//! `{"loc_spec", "filter_spec"}` for the archive list). `/rest` takes them as dotted query
//! parameters of a `GET` (`loc_spec.location=...`, `filter_spec.max_results=...`,
//! `spec.location=...`), or, as the vendor's own SDK sends them, as a JSON body on the `GET`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use vcsa_backup_api::Secret;

use super::auth::Authed;
use super::reply::{
    API, App, PathIds, REST, RawBody, action, body_error, by_path, reply, unknown_action,
};
use crate::appliance::Appliance;
use crate::catalog::{FilterSpec, LocationSpec};
use crate::error::{VapiError, message};
use crate::validate::{decode_lenient, decode_object};

pub(super) fn routes() -> Router<Arc<Appliance>> {
    Router::new()
        .route(
            &format!("{API}/system-name"),
            axum::routing::post(api_system_names),
        )
        .route(&format!("{REST}/system-name"), get(rest_system_names))
        .route(
            &format!("{API}/system-name/{{system_name}}/archives"),
            axum::routing::post(api_archives),
        )
        .route(
            &format!("{REST}/system-name/{{system_name}}/archives"),
            get(rest_archives),
        )
        .route(
            &format!("{API}/system-name/{{system_name}}/archives/{{archive}}"),
            axum::routing::post(api_archive),
        )
        .route(
            &format!("{REST}/system-name/{{system_name}}/archives/{{archive}}"),
            get(rest_archive),
        )
}

fn invalid(id: &str, text: String) -> VapiError {
    VapiError::invalid_argument(vec![message(
        &format!("com.vmware.applmgmt.backup.{id}"),
        text,
    )])
}

/// Checks `?action=` and reads the body of an `/api` catalog call.
fn api_body(
    path: &str,
    query: &Option<String>,
    expected: &str,
    body: RawBody,
) -> Result<Bytes, VapiError> {
    match action(query) {
        Some(a) if a == expected => body.map_err(body_error),
        other => Err(unknown_action(path, other, expected)),
    }
}

async fn api_system_names(
    State(app): App,
    who: Authed,
    RawQuery(query): RawQuery,
    body: RawBody,
) -> Response {
    let path = format!("{API}/system-name");
    let result = api_body(&path, &query, "list", body).and_then(|body| {
        let spec = decode_object::<LocationSpec>(
            &body,
            "a location like {\"location\": \"sftp://...\"}",
            &[],
        )?;
        app.list_system_names(&spec)
    });
    reply(&app, who.flavour, StatusCode::OK, result)
}

/// The `/api` archive list body: both members required (`"filter_spec": {}` for no filter).
#[derive(Deserialize)]
struct ApiArchivesList {
    loc_spec: LocationSpec,
    filter_spec: FilterSpec,
}

async fn api_archives(
    State(app): App,
    who: Authed,
    system_name: PathIds<String>,
    RawQuery(query): RawQuery,
    body: RawBody,
) -> Response {
    let result = by_path(system_name, |name| {
        let path = format!("{API}/system-name/{name}/archives");
        let body = api_body(&path, &query, "list", body)?;
        let request = decode_object::<ApiArchivesList>(
            &body,
            "{\"loc_spec\": {\"location\": ...}, \"filter_spec\": {}}",
            &[],
        )?;
        app.list_archives(&request.loc_spec, &name, &request.filter_spec)
    });
    reply(&app, who.flavour, StatusCode::OK, result)
}

async fn api_archive(
    State(app): App,
    who: Authed,
    ids: PathIds<(String, String)>,
    RawQuery(query): RawQuery,
    body: RawBody,
) -> Response {
    let result = by_path(ids, |(name, archive)| {
        let path = format!("{API}/system-name/{name}/archives/{archive}");
        let body = api_body(&path, &query, "get", body)?;
        let spec = decode_object::<LocationSpec>(
            &body,
            "a location like {\"location\": \"sftp://...\"}",
            &[],
        )?;
        app.get_archive(&spec, &name, &archive)
    });
    reply(&app, who.flavour, StatusCode::OK, result)
}

// ---------------------------------------------------------------------- /rest inputs

/// The query's parameters by name; a repeated one keeps its last value.
fn query_params(query: Option<&str>) -> BTreeMap<String, String> {
    query
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn has_group(params: &BTreeMap<String, String>, group: &str) -> bool {
    params.keys().any(|k| {
        k.strip_prefix(group)
            .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// A LocationSpec from `<group>.location`, `<group>.location_user`, `<group>.location_password`.
fn query_location(
    params: &BTreeMap<String, String>,
    group: &str,
) -> Result<LocationSpec, VapiError> {
    let field = |name: &str| params.get(&format!("{group}.{name}")).cloned();
    let location = field("location").ok_or_else(|| {
        invalid(
            "location.missing",
            format!("The location is missing: pass {group}.location=URL in the query."),
        )
    })?;
    Ok(LocationSpec {
        location,
        location_user: field("location_user"),
        location_password: field("location_password").map(Secret::new),
    })
}

fn query_filter(params: &BTreeMap<String, String>) -> Result<FilterSpec, VapiError> {
    let field = |name: &str| params.get(&format!("filter_spec.{name}"));
    let timestamp = |name: &str| -> Result<Option<DateTime<Utc>>, VapiError> {
        field(name)
            .map(|v| {
                DateTime::parse_from_rfc3339(v)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| {
                        invalid(
                            "archive.filter.timestamp",
                            format!(
                                "filter_spec.{name} is not a date and time: use RFC 3339, like 2026-05-18T02:30:00Z."
                            ),
                        )
                    })
            })
            .transpose()
    };
    let max_results = field("max_results")
        .map(|v| {
            v.parse::<i64>().map_err(|_| {
                invalid(
                    "archive.filter.max_results",
                    "filter_spec.max_results is not a whole number: use a count like 10."
                        .to_string(),
                )
            })
        })
        .transpose()?;
    Ok(FilterSpec {
        start_timestamp: timestamp("start_timestamp")?,
        end_timestamp: timestamp("end_timestamp")?,
        comment_substring: field("comment_substring").cloned(),
        max_results,
    })
}

/// The inputs of a `/rest` catalog call sent as a JSON body on the GET.
#[derive(Default, Deserialize)]
struct RestBody {
    #[serde(default)]
    loc_spec: Option<LocationSpec>,
    #[serde(default)]
    filter_spec: Option<FilterSpec>,
    #[serde(default)]
    spec: Option<LocationSpec>,
}

fn rest_body(body: RawBody) -> Result<RestBody, VapiError> {
    let body = body.map_err(body_error)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(RestBody::default());
    }
    decode_lenient::<RestBody>(
        &body,
        "the inputs like {\"loc_spec\": {\"location\": ...}, \"filter_spec\": {}}",
    )
}

fn missing_location(group: &str) -> VapiError {
    invalid(
        "location.missing",
        format!(
            "The location is missing: pass {group}.location=URL in the query, or {{\"{group}\": {{\"location\": URL}}}} as the body."
        ),
    )
}

/// The location and filter of a `/rest` call: from the query when it has them, else the body.
fn rest_inputs(
    query: Option<&str>,
    body: RawBody,
    group: &str,
) -> Result<(LocationSpec, FilterSpec), VapiError> {
    let params = query_params(query);
    if has_group(&params, group) {
        return Ok((query_location(&params, group)?, query_filter(&params)?));
    }
    let body = rest_body(body)?;
    let location = if group == "spec" {
        body.spec
    } else {
        body.loc_spec
    };
    let location = location.ok_or_else(|| missing_location(group))?;
    Ok((location, body.filter_spec.unwrap_or_default()))
}

async fn rest_system_names(
    State(app): App,
    who: Authed,
    RawQuery(query): RawQuery,
    body: RawBody,
) -> Response {
    let result = rest_inputs(query.as_deref(), body, "loc_spec")
        .and_then(|(spec, _)| app.list_system_names(&spec));
    reply(&app, who.flavour, StatusCode::OK, result)
}

async fn rest_archives(
    State(app): App,
    who: Authed,
    system_name: PathIds<String>,
    RawQuery(query): RawQuery,
    body: RawBody,
) -> Response {
    let result = by_path(system_name, |name| {
        let (spec, filter) = rest_inputs(query.as_deref(), body, "loc_spec")?;
        app.list_archives(&spec, &name, &filter)
    });
    reply(&app, who.flavour, StatusCode::OK, result)
}

async fn rest_archive(
    State(app): App,
    who: Authed,
    ids: PathIds<(String, String)>,
    RawQuery(query): RawQuery,
    body: RawBody,
) -> Response {
    let result = by_path(ids, |(name, archive)| {
        let (spec, _) = rest_inputs(query.as_deref(), body, "spec")?;
        app.get_archive(&spec, &name, &archive)
    });
    reply(&app, who.flavour, StatusCode::OK, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_query_parameters() {
        let params = query_params(Some(
            "loc_spec.location=sftp%3A%2F%2Fh%2Fp&loc_spec.location_user=bob&loc_spec.location_password=S3cret%21&filter_spec.max_results=5&filter_spec.start_timestamp=2026-05-18T00%3A00%3A00Z&filter_spec.comment_substring=night",
        ));
        assert!(has_group(&params, "loc_spec"));
        assert!(!has_group(&params, "spec"));
        let location = query_location(&params, "loc_spec").unwrap();
        assert_eq!(location.location, "sftp://h/p");
        assert_eq!(location.location_user.as_deref(), Some("bob"));
        assert_eq!(
            location.location_password.as_ref().map(Secret::expose),
            Some("S3cret!")
        );
        let filter = query_filter(&params).unwrap();
        assert_eq!(filter.max_results, Some(5));
        assert_eq!(filter.comment_substring.as_deref(), Some("night"));
        assert_eq!(
            filter.start_timestamp.map(|t| t.to_rfc3339()),
            Some("2026-05-18T00:00:00+00:00".to_string())
        );
        assert!(filter.end_timestamp.is_none());

        let bad = query_params(Some(
            "filter_spec.max_results=many&filter_spec.end_timestamp=x",
        ));
        assert!(query_filter(&bad).is_err());
        let no_location = query_params(Some("loc_spec.location_user=bob"));
        assert!(query_location(&no_location, "loc_spec").is_err());
    }
}
