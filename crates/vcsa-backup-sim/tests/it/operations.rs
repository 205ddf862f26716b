//! Every vendor operation in both flavours, over raw HTTP, with the appliance's status codes and
//! body shapes. Time runs on tokio's paused clock, so job progress is exact.

use crate::support;

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use support::*;
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, SESSION_HEADER, Simulator};

fn is_job_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    parts.len() == 3
        && parts[0].len() == 8
        && parts[1].len() == 6
        && parts[0]
            .chars()
            .chain(parts[1].chars())
            .all(|c| c.is_ascii_digit())
        && parts[2] == vcsa_backup_sim::DEFAULT_BUILD
}

#[tokio::test(start_paused = true)]
async fn log_in_and_out_in_both_flavours() {
    let h = start(Simulator::builder()).await;
    assert_eq!(h.token.len(), 32);
    assert!(h.token.chars().all(|c| c.is_ascii_hexdigit()));

    // /rest log in: 200 with the token wrapped in "value".
    let (status, body) = send(
        h.http
            .post(h.url("/rest/com/vmware/cis/session"))
            .basic_auth(DEFAULT_USER, Some(DEFAULT_PASSWORD)),
    )
    .await;
    assert_eq!(status, 200);
    let rest_token = body["value"].as_str().unwrap().to_string();
    assert_ne!(rest_token, h.token);

    // A token from either flavour works on both.
    let (status, _) = send(
        h.http
            .get(h.url(&format!("{REST}/parts")))
            .header(SESSION_HEADER, &h.token),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = send(
        h.http
            .get(h.url(&format!("{API}/parts")))
            .header(SESSION_HEADER, &rest_token),
    )
    .await;
    assert_eq!(status, 200);

    // /api log out: 204 and no body; the token is dead afterwards.
    let (status, body) = h.call(Method::DELETE, "/api/session", None).await;
    assert_eq!((status, body), (204, Value::Null));
    assert_eq!(h.get(&format!("{API}/job")).await.0, 401);

    // /rest log out: 200 and no body.
    let logout = h
        .http
        .delete(h.url("/rest/com/vmware/cis/session"))
        .header(SESSION_HEADER, &rest_token);
    assert_eq!(send(logout).await, (200, Value::Null));
    let again = h
        .http
        .delete(h.url("/rest/com/vmware/cis/session"))
        .header(SESSION_HEADER, &rest_token);
    assert_eq!(send(again).await.0, 401);
}

#[tokio::test(start_paused = true)]
async fn a_job_advances_then_succeeds_in_both_flavours() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(100))).await;
    let (status, job) = h
        .post(
            &format!("{API}/job"),
            backup_request("sftp://nas.example.com/b/1"),
        )
        .await;
    assert_eq!(status, 201);
    let id = job["id"].as_str().unwrap().to_string();
    assert!(is_job_id(&id), "{id}");
    assert_eq!(job["state"], "INPROGRESS");
    assert_eq!(job["progress"], 0);
    assert_eq!(job["messages"], json!([]));
    assert!(job.get("end_time").is_none());
    assert!(job["start_time"].as_str().unwrap().ends_with('Z'));

    tokio::time::advance(Duration::from_secs(25)).await;
    let (status, api) = h.get(&format!("{API}/job/{id}")).await;
    assert_eq!(
        (status, api["state"].clone(), api["progress"].clone()),
        (200, json!("INPROGRESS"), json!(25))
    );
    let (status, rest) = h.get(&format!("{REST}/job/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(rest["value"], api, "/rest wraps the same status in value");

    tokio::time::advance(Duration::from_secs(75)).await;
    let (_, done) = h.get(&format!("{API}/job/{id}")).await;
    assert_eq!(done["state"], "SUCCEEDED");
    assert_eq!(done["progress"], 100);
    let start = chrono::DateTime::parse_from_rfc3339(done["start_time"].as_str().unwrap()).unwrap();
    let end = chrono::DateTime::parse_from_rfc3339(done["end_time"].as_str().unwrap()).unwrap();
    assert_eq!((end - start).num_seconds(), 100);
}

#[tokio::test(start_paused = true)]
async fn create_job_rest_takes_piece_and_answers_200_value() {
    let h = start(Simulator::builder()).await;
    let (status, body) = h
        .post(
            &format!("{REST}/job"),
            json!({ "piece": backup_request("sftp://nas.example.com/b/r") }),
        )
        .await;
    assert_eq!(status, 200);
    assert!(is_job_id(body["value"]["id"].as_str().unwrap()));
    assert_eq!(body["value"]["state"], "INPROGRESS");
}

#[tokio::test(start_paused = true)]
async fn list_jobs_is_newest_first_in_both_flavours() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(10))).await;
    let first = h.start_backup("sftp://nas.example.com/b/1").await;
    tokio::time::advance(Duration::from_secs(11)).await;
    let second = h.start_backup("sftp://nas.example.com/b/2").await;
    assert_ne!(first, second);
    let (status, api) = h.get(&format!("{API}/job")).await;
    assert_eq!((status, api.clone()), (200, json!([second, first])));
    let (status, rest) = h.get(&format!("{REST}/job")).await;
    assert_eq!((status, rest), (200, json!({ "value": api })));
}

#[tokio::test(start_paused = true)]
async fn one_backup_at_a_time_feature_in_use() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(60))).await;
    let running = h.start_backup("sftp://nas.example.com/b/1").await;

    let (status, body) = h
        .post(
            &format!("{API}/job"),
            backup_request("sftp://nas.example.com/b/2"),
        )
        .await;
    assert_eq!((status, api_error_type(&body)), (400, "FEATURE_IN_USE"));
    assert!(error_text(&body).contains(&running), "{body}");
    let (status, body) = h
        .post(
            &format!("{REST}/job"),
            json!({ "piece": backup_request("sftp://nas.example.com/b/3") }),
        )
        .await;
    assert_eq!((status, rest_error_type(&body)), (400, "feature_in_use"));
    let (status, body) = h
        .post(&format!("{API}/schedules/default?action=run"), json!({}))
        .await;
    assert_eq!((status, api_error_type(&body)), (400, "FEATURE_IN_USE"));
    let (status, body) = h
        .post(&format!("{REST}/schedules/default?action=run"), json!({}))
        .await;
    assert_eq!((status, rest_error_type(&body)), (400, "feature_in_use"));

    // Once it ends, the next one starts.
    tokio::time::advance(Duration::from_secs(60)).await;
    h.start_backup("sftp://nas.example.com/b/4").await;
}

#[tokio::test(start_paused = true)]
async fn unknown_job_and_schedule_answer_not_found() {
    let h = start(Simulator::builder()).await;
    let id = "20200101-000000-1";
    for (path, method) in [
        (format!("{API}/job/{id}"), Method::GET),
        (format!("{API}/job/{id}?action=cancel"), Method::POST),
        (format!("{API}/schedules/weekly?action=run"), Method::POST),
    ] {
        let (status, body) = h.call(method, &path, None).await;
        assert_eq!(
            (status, api_error_type(&body)),
            (404, "NOT_FOUND"),
            "{path}"
        );
    }
    for (path, method) in [
        (format!("{REST}/job/{id}"), Method::GET),
        (format!("{REST}/job/{id}/cancel"), Method::POST),
        (format!("{REST}/schedules/weekly?action=run"), Method::POST),
    ] {
        let (status, body) = h.call(method, &path, None).await;
        assert_eq!(
            (status, rest_error_type(&body)),
            (404, "not_found"),
            "{path}"
        );
    }
    let (status, body) = h.get(&format!("{API}/job/details?jobs={id}")).await;
    assert_eq!((status, api_error_type(&body)), (404, "NOT_FOUND"));
}

#[tokio::test(start_paused = true)]
async fn cancel_in_both_flavours() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(100))).await;
    let id = h.start_backup("sftp://nas.example.com/b/1").await;
    tokio::time::advance(Duration::from_secs(30)).await;
    let (status, body) = h
        .call(Method::POST, &format!("{API}/job/{id}?action=cancel"), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "OK");
    assert!(body["messages"].as_array().is_some_and(|m| !m.is_empty()));

    let (_, job) = h.get(&format!("{API}/job/{id}")).await;
    assert_eq!(
        (job["state"].clone(), job["progress"].clone()),
        (json!("FAILED"), json!(30))
    );
    assert!(job["end_time"].is_string());
    assert!(
        job["messages"][0]["default_message"]
            .as_str()
            .unwrap()
            .contains("canceled")
    );

    // Cancelling an ended job: 200 with FAIL, in /rest wrapped.
    let (status, body) = h
        .call(Method::POST, &format!("{REST}/job/{id}/cancel"), None)
        .await;
    assert_eq!(
        (status, body["value"]["status"].clone()),
        (200, json!("FAIL"))
    );

    // A cancel frees the appliance for the next backup.
    let next = h.start_backup("sftp://nas.example.com/b/2").await;
    let (status, body) = h
        .call(Method::POST, &format!("{REST}/job/{next}/cancel"), None)
        .await;
    assert_eq!(
        (status, body["value"]["status"].clone()),
        (200, json!("OK"))
    );

    // POST on a job without ?action=cancel is not an operation.
    let (status, body) = h.call(Method::POST, &format!("{API}/job/{id}"), None).await;
    assert_eq!(
        (status, api_error_type(&body)),
        (404, "OPERATION_NOT_FOUND")
    );
}

#[tokio::test(start_paused = true)]
async fn details_fields_follow_the_status() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(100))).await;
    let done = h.start_backup("sftp://nas.example.com/b/1").await;
    tokio::time::advance(Duration::from_secs(100)).await;
    let running = h.start_backup("sftp://nas.example.com/b/2").await;
    tokio::time::advance(Duration::from_secs(40)).await;

    let (status, all) = h.get(&format!("{API}/job/details")).await;
    assert_eq!(status, 200);
    let map = all.as_object().unwrap();
    assert_eq!(map.len(), 2);

    let r = &map[&running];
    assert_eq!(r["status"], "RUNNING");
    assert_eq!(r["type"], "MANUAL");
    assert_eq!(r["cancelable"], true);
    assert_eq!(r["duration"], 40);
    assert_eq!(r["progress"]["completed"], 40);
    assert_eq!(r["progress"]["total"], 100);
    assert!(r["size"].as_i64().unwrap() > 0);
    assert!(r["start_time"].is_string());
    assert!(r.get("end_time").is_none());
    assert!(r.get("error").is_none());
    assert_eq!(r["location"], "sftp://nas.example.com/b/2");
    assert_eq!(r["location_user"], "backup");
    assert_eq!(r["user"], DEFAULT_USER);
    assert_eq!(r["build"]["build_number"], vcsa_backup_sim::DEFAULT_BUILD);
    assert!(
        r["description"]["default_message"]
            .as_str()
            .unwrap()
            .contains("nightly")
    );

    let d = &map[&done];
    assert_eq!(d["status"], "SUCCEEDED");
    assert_eq!(d["cancelable"], false);
    assert_eq!(d["duration"], 100);
    assert_eq!(d["progress"]["completed"], 100);
    assert!(d["end_time"].is_string());
    // Size grows with progress: the finished job (same parts) reports more than the running one.
    assert!(d["size"].as_i64().unwrap() > r["size"].as_i64().unwrap());

    // /api filter: jobs=A.
    let (_, one) = h.get(&format!("{API}/job/details?jobs={done}")).await;
    assert_eq!(
        one.as_object().unwrap().keys().collect::<Vec<_>>(),
        vec![&done]
    );

    // /rest: list of key/value, newest first; indexed, repeated and JSON-body filters.
    let (status, rest) = h.get(&format!("{REST}/job/details")).await;
    assert_eq!(status, 200);
    let keys: Vec<&str> = rest["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec![running.as_str(), done.as_str()]);
    assert_eq!(rest["value"][1]["value"], map[&done]);

    for query in [
        format!("filter.jobs.1={done}"),
        format!("filter.jobs={done}"),
    ] {
        let (status, body) = h.get(&format!("{REST}/job/details?{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(body["value"].as_array().unwrap().len(), 1, "{query}");
        assert_eq!(body["value"][0]["key"], json!(done), "{query}");
    }
    let (_, both) = h
        .get(&format!(
            "{REST}/job/details?filter.jobs.1={done}&filter.jobs.2={running}"
        ))
        .await;
    assert_eq!(both["value"].as_array().unwrap().len(), 2);

    let (status, body) = h
        .call(
            Method::GET,
            &format!("{REST}/job/details"),
            Some(json!({ "filter": { "jobs": [running] } })),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["value"].as_array().unwrap().len(), 1);
    assert_eq!(body["value"][0]["key"], json!(running));
    let (_, body) = h
        .call(Method::GET, &format!("{REST}/job/details"), Some(json!({})))
        .await;
    assert_eq!(body["value"].as_array().unwrap().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn run_schedule_in_both_flavours() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(10))).await;
    // /api, no body at all.
    let (status, job) =
        send(h.req(Method::POST, &format!("{API}/schedules/default?action=run"))).await;
    assert_eq!(status, 200);
    assert_eq!(job["state"], "INPROGRESS");
    let first = job["id"].as_str().unwrap().to_string();
    tokio::time::advance(Duration::from_secs(10)).await;

    // /rest, with a comment; the answer is wrapped.
    let (status, body) = h
        .post(
            &format!("{REST}/schedules/default?action=run"),
            json!({ "comment": "before upgrade" }),
        )
        .await;
    assert_eq!(status, 200);
    let second = body["value"]["id"].as_str().unwrap().to_string();

    let (_, details) = h.get(&format!("{API}/job/details")).await;
    assert_eq!(details[&first]["type"], "SCHEDULED");
    assert_eq!(details[&second]["type"], "SCHEDULED");
    assert!(
        details[&second]["description"]["default_message"]
            .as_str()
            .unwrap()
            .contains("before upgrade")
    );

    // The action is part of the operation.
    let (status, body) = h.post(&format!("{API}/schedules/default"), json!({})).await;
    assert_eq!(
        (status, api_error_type(&body)),
        (404, "OPERATION_NOT_FOUND")
    );
}

#[tokio::test(start_paused = true)]
async fn more_schedules_than_default() {
    let h = start(
        Simulator::builder()
            .job_duration(Duration::from_secs(10))
            .max_schedules(3)
            .schedule("weekly")
            .schedule("hourly"),
    )
    .await;
    assert_eq!(
        h.sim.control().state().schedules,
        vec!["default", "hourly", "weekly"]
    );
    let (status, job) = h
        .post(&format!("{API}/schedules/weekly?action=run"), json!({}))
        .await;
    assert_eq!(status, 200, "{job}");
    let id = job["id"].as_str().unwrap().to_string();
    let (_, details) = h.get(&format!("{API}/job/details?jobs={id}")).await;
    assert_eq!(details[&id]["type"], "SCHEDULED");
    // The job writes a fresh folder in the appliance's layout under the schedule's location.
    let location = details[&id]["location"].as_str().unwrap();
    assert!(
        location.starts_with(
            "sftp://backup.example.com/vcsa/weekly/vCenter/sn_vcsa.example.com/S_8.0.3.00400_"
        ),
        "{location}"
    );
    tokio::time::advance(Duration::from_secs(10)).await;
    let (status, body) = h
        .post(&format!("{REST}/schedules/hourly?action=run"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");

    // An unknown id names every schedule there is.
    let (status, body) = h
        .post(&format!("{API}/schedules/daily?action=run"), json!({}))
        .await;
    assert_eq!((status, api_error_type(&body)), (404, "NOT_FOUND"));
    assert!(
        error_text(&body).contains("the schedules 'default', 'hourly', 'weekly'"),
        "{body}"
    );
}

#[tokio::test]
async fn unusable_schedule_ids_are_refused_at_start() {
    for bad in ["", "a/b", "week ly", ".."] {
        let err = Simulator::builder()
            .tls(false)
            .schedule(bad)
            .start()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, vcsa_backup_sim::StartError::Schedule(id) if id == bad),
            "{err:?}"
        );
        assert!(err.to_string().contains("letters, digits"), "{err}");
    }
}

#[tokio::test(start_paused = true)]
async fn parts_in_both_flavours() {
    let h = start(Simulator::builder()).await;
    let (status, api) = h.get(&format!("{API}/parts")).await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = api
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["common", "seat", "supervisors"]);
    assert_eq!(api[0]["optional"], false);
    assert_eq!(api[1]["selected_by_default"], true);
    assert!(api[1]["name"]["default_message"].is_string());
    let (status, rest) = h.get(&format!("{REST}/parts")).await;
    assert_eq!((status, rest), (200, json!({ "value": api })));
}

#[tokio::test(start_paused = true)]
async fn validate_in_both_flavours() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(10))).await;
    let fresh = backup_request("sftp://nas.example.com/b/fresh");
    let (status, body) = h
        .post(&format!("{API}?action=validate"), fresh.clone())
        .await;
    assert_eq!(
        (status, body),
        (200, json!({ "status": "OK", "messages": [] }))
    );
    let (status, body) = h
        .post(&format!("{REST}/validate"), json!({ "piece": fresh }))
        .await;
    assert_eq!(
        (status, body),
        (200, json!({ "value": { "status": "OK", "messages": [] } }))
    );

    // After a backup there, the folder is no longer empty (any spelling of it).
    h.start_backup("sftp://nas.example.com/b/used").await;
    let (_, body) = h
        .post(
            &format!("{API}?action=validate"),
            backup_request("sftp://NAS.example.com/b/used/"),
        )
        .await;
    assert_eq!(body["status"], "FAIL");
    assert!(
        error_text(&body).contains("already contains a backup"),
        "{body}"
    );

    // An unreachable server fails; SCP warns that SFTP is expected.
    let (_, body) = h
        .post(
            &format!("{API}?action=validate"),
            backup_request("sftp://nas.invalid/b"),
        )
        .await;
    assert_eq!(body["status"], "FAIL");
    let mut scp = backup_request("scp://nas.example.com/b/scp");
    scp["location_type"] = json!("SCP");
    let (_, body) = h.post(&format!("{API}?action=validate"), scp).await;
    assert_eq!(body["status"], "WARNING");

    // Validate takes no action other than its own.
    let (status, body) = h
        .post(&format!("{API}?action=check"), backup_request("sftp://h/p"))
        .await;
    assert_eq!(
        (status, api_error_type(&body)),
        (404, "OPERATION_NOT_FOUND")
    );
}

#[tokio::test(start_paused = true)]
async fn create_into_a_used_folder_is_invalid() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(1))).await;
    let mut first = backup_request("nfs://10.0.0.5:/export/vcsa");
    first["location_type"] = json!("NFS");
    assert_eq!(h.post(&format!("{API}/job"), first).await.0, 201);
    tokio::time::advance(Duration::from_secs(2)).await;
    let mut again = backup_request("nfs://10.0.0.5:/export/vcsa/");
    again["location_type"] = json!("NFS");
    let (status, body) = h.post(&format!("{API}/job"), again).await;
    assert_eq!((status, api_error_type(&body)), (400, "INVALID_ARGUMENT"));
    assert!(error_text(&body).contains("already contains a backup"));
}

#[tokio::test(start_paused = true)]
async fn unknown_paths_and_methods_answer_in_the_flavour_shape() {
    let h = start(Simulator::builder()).await;
    let (status, body) = h.get("/api/appliance/recovery/nothing").await;
    assert_eq!((status, api_error_type(&body)), (404, "NOT_FOUND"));
    let (status, body) = h.get("/rest/appliance/recovery/nothing").await;
    assert_eq!((status, rest_error_type(&body)), (404, "not_found"));
    let (status, body) = h.call(Method::PUT, &format!("{REST}/parts"), None).await;
    assert_eq!(
        (status, rest_error_type(&body)),
        (405, "operation_not_found")
    );
}

#[tokio::test(start_paused = true)]
async fn seeded_history_is_newest_first_and_unique() {
    let h = start(
        Simulator::builder()
            .job_duration(Duration::from_secs(1))
            .history(500),
    )
    .await;
    let live = h.start_backup("sftp://nas.example.com/b/live").await;
    h.sim.control().seed_history(500).unwrap();
    let (_, ids) = h.get(&format!("{API}/job")).await;
    let ids: Vec<String> = serde_json::from_value(ids).unwrap();
    assert_eq!(ids.len(), 1001);
    assert_eq!(ids[0], live);
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(
        ids, sorted,
        "ids are timestamps, so newest first is descending order"
    );
    sorted.dedup();
    assert_eq!(sorted.len(), 1001);
    let (_, old) = h.get(&format!("{API}/job/{}", ids[1000])).await;
    assert_eq!(old["state"], "SUCCEEDED");
}

#[tokio::test(start_paused = true)]
async fn absurd_durations_are_clamped_not_fatal() {
    let h = start(
        Simulator::builder()
            .job_duration(Duration::MAX)
            .session_idle_timeout(Duration::MAX),
    )
    .await;
    h.sim
        .control()
        .fail_next_job(vcsa_backup_sim::JobFailure::at(99, "late"));
    let id = h.start_backup("sftp://nas.example.com/b/forever").await;
    tokio::time::advance(vcsa_backup_sim::MAX_JOB_DURATION / 2).await;
    let (status, job) = h.get(&format!("{API}/job/{id}")).await;
    assert_eq!(
        (status, job["state"].clone(), job["progress"].clone()),
        (200, json!("INPROGRESS"), json!(50))
    );
    let (status, _) = h.get(&format!("{API}/job/details")).await;
    assert_eq!(status, 200);
}
