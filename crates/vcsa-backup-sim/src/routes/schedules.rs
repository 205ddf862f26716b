//! The schedules operations in both flavours: list, get, create, update, delete and run.
//!
//! The flavours differ more here than anywhere: `/api` creates with `POST .../schedules` and
//! the id in the body, and updates with `PATCH`; `/rest` creates with `POST .../schedules/{id}`
//! (the path that also runs a schedule, with `?action=run`) and updates with
//! `PUT .../schedules/update/{id}`, both bodies wrapped as `{"spec": ...}`.

use std::sync::Arc;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use vcsa_backup_api::types::RunScheduleRequest;

use super::auth::Authed;
use super::reply::{
    API, App, PathIds, REST, RawBody, action, body_error, by_path, error_response, reply,
    unknown_action,
};
use crate::appliance::Appliance;
use crate::error::VapiError;
use crate::flavour::Flavour;
use crate::schedules::{ScheduleSpec, UpdateSpec};
use crate::validate::{decode, decode_object};

/// The members of a schedule body that are lists.
const LISTS: &[&str] = &["parts", "days"];

pub(super) fn routes() -> Router<Arc<Appliance>> {
    Router::new()
        .route(
            &format!("{API}/schedules"),
            get(list_schedules).post(api_create_schedule),
        )
        .route(&format!("{REST}/schedules"), get(list_schedules))
        .route(
            &format!("{API}/schedules/{{schedule}}"),
            get(get_schedule)
                .post(schedule_action)
                .patch(api_update_schedule)
                .delete(delete_schedule),
        )
        .route(
            &format!("{REST}/schedules/{{schedule}}"),
            get(get_schedule)
                .post(schedule_action)
                .delete(delete_schedule),
        )
        .route(
            &format!("{REST}/schedules/update/{{schedule}}"),
            put(rest_update_schedule),
        )
}

/// The answer of an operation that returns nothing: 204 on `/api`, 200 on `/rest`, no body.
fn done(app: &Appliance, flavour: Flavour, result: Result<(), VapiError>) -> Response {
    match (result, flavour) {
        (Ok(()), Flavour::Api) => StatusCode::NO_CONTENT.into_response(),
        (Ok(()), Flavour::Rest) => StatusCode::OK.into_response(),
        (Err(err), _) => error_response(app, flavour, &err),
    }
}

async fn list_schedules(State(app): App, who: Authed) -> Response {
    let schedules = app.list_schedules();
    let body = match who.flavour {
        Flavour::Api => Value::Object(
            schedules
                .into_iter()
                .map(|(id, info)| (id, serde_json::to_value(info).unwrap_or(Value::Null)))
                .collect::<Map<String, Value>>(),
        ),
        Flavour::Rest => Value::Array(
            schedules
                .into_iter()
                .map(|(id, info)| json!({ "key": id, "value": info }))
                .collect(),
        ),
    };
    reply(&app, who.flavour, StatusCode::OK, Ok(body))
}

async fn get_schedule(State(app): App, who: Authed, schedule: PathIds<String>) -> Response {
    let result = by_path(schedule, |id| app.get_schedule(&id));
    reply(&app, who.flavour, StatusCode::OK, result)
}

/// The `/api` create body: the id and the spec, keyed by their names.
#[derive(Deserialize)]
struct ApiCreate {
    schedule: String,
    spec: ScheduleSpec,
}

/// A `/rest` create or update body: the spec wrapped as `{"spec": ...}`.
#[derive(Deserialize)]
struct RestSpec<T> {
    spec: T,
}

async fn api_create_schedule(State(app): App, who: Authed, body: RawBody) -> Response {
    let result = body.map_err(body_error).and_then(|body| {
        let request = decode_object::<ApiCreate>(
            &body,
            "a schedule like {\"schedule\": \"default\", \"spec\": {\"location\": ...}}",
            LISTS,
        )?;
        app.create_schedule(&request.schedule, request.spec)
    });
    done(&app, who.flavour, result)
}

fn rest_create_schedule(app: &Appliance, id: &str, body: RawBody) -> Result<(), VapiError> {
    let body = body.map_err(body_error)?;
    let request = decode_object::<RestSpec<ScheduleSpec>>(
        &body,
        "a schedule wrapped as {\"spec\": {\"location\": ...}}",
        LISTS,
    )?;
    app.create_schedule(id, request.spec)
}

async fn api_update_schedule(
    State(app): App,
    who: Authed,
    schedule: PathIds<String>,
    body: RawBody,
) -> Response {
    let result = by_path(schedule, |id| {
        let body = body.map_err(body_error)?;
        let change = decode_object::<UpdateSpec>(
            &body,
            "a schedule change like {\"enable\": false}",
            LISTS,
        )?;
        app.update_schedule(&id, change)
    });
    done(&app, who.flavour, result)
}

async fn rest_update_schedule(
    State(app): App,
    who: Authed,
    schedule: PathIds<String>,
    body: RawBody,
) -> Response {
    let result = by_path(schedule, |id| {
        let body = body.map_err(body_error)?;
        let request = decode_object::<RestSpec<UpdateSpec>>(
            &body,
            "a schedule change wrapped as {\"spec\": {\"enable\": false}}",
            LISTS,
        )?;
        app.update_schedule(&id, request.spec)
    });
    done(&app, who.flavour, result)
}

async fn delete_schedule(State(app): App, who: Authed, schedule: PathIds<String>) -> Response {
    let result = by_path(schedule, |id| app.delete_schedule(&id));
    done(&app, who.flavour, result)
}

/// `POST .../schedules/{schedule}`: runs the schedule with `?action=run`; without an action it
/// is `/rest`'s create.
async fn schedule_action(
    State(app): App,
    who: Authed,
    schedule: PathIds<String>,
    RawQuery(query): RawQuery,
    body: RawBody,
) -> Response {
    let prefix = match who.flavour {
        Flavour::Api => API,
        Flavour::Rest => REST,
    };
    let id = match by_path(schedule, Ok) {
        Ok(id) => id,
        Err(err) => return error_response(&app, who.flavour, &err),
    };
    let run = match (action(&query), who.flavour) {
        (Some(a), _) if a == "run" => run_schedule(&app, &id, body, &who.user),
        (None, Flavour::Rest) => {
            return done(&app, who.flavour, rest_create_schedule(&app, &id, body));
        }
        (other, _) => Err(unknown_action(
            &format!("{prefix}/schedules/{id}"),
            other,
            "run",
        )),
    };
    reply(&app, who.flavour, StatusCode::OK, run)
}

fn run_schedule(
    app: &Appliance,
    id: &str,
    body: RawBody,
    user: &str,
) -> Result<vcsa_backup_api::types::BackupJobStatus, VapiError> {
    let body = body.map_err(body_error)?;
    // The body is optional: nothing at all means no comment.
    let request = if body.iter().all(u8::is_ascii_whitespace) {
        RunScheduleRequest::default()
    } else {
        decode::<RunScheduleRequest>(&body, "a run request like {\"comment\": \"...\"}")?
    };
    app.run_schedule(id, request.comment, user)
}
