//! The schedules operations in both flavours: create, get, list, update, delete, with the
//! appliance's validation; passwords kept but never returned; run uses the stored settings.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use vcsa_backup_sim::Simulator;

use crate::support::*;

fn nightly() -> Value {
    json!({
        "location": "sftp://backup.example.com/vcsa/nightly",
        "location_user": "backup",
        "location_password": "L0cation!pw",
        "backup_password": "Backup1!pw",
        "parts": ["seat"],
        "recurrence_info": { "hour": 2, "minute": 30, "days": ["MONDAY", "FRIDAY"] },
        "retention_info": { "max_count": 7 },
        "fast_backup": true,
    })
}

#[tokio::test(start_paused = true)]
async fn create_get_list_update_delete_on_api() {
    // Room for a second schedule beside `default`.
    let h = start(Simulator::builder().max_schedules(2)).await;
    let (status, body) = h
        .post(
            &format!("{API}/schedules"),
            json!({ "schedule": "nightly", "spec": nightly() }),
        )
        .await;
    assert_eq!((status, body), (204, Value::Null));

    let (status, info) = h.get(&format!("{API}/schedules/nightly")).await;
    assert_eq!(status, 200);
    assert_eq!(
        info,
        json!({
            "location": "sftp://backup.example.com/vcsa/nightly",
            "location_user": "backup",
            "parts": ["seat"],
            "enable": true,
            "recurrence_info": { "hour": 2, "minute": 30, "days": ["MONDAY", "FRIDAY"] },
            "retention_info": { "max_count": 7 },
            "fast_backup": true,
        })
    );

    let (status, all) = h.get(&format!("{API}/schedules")).await;
    assert_eq!(status, 200);
    assert_eq!(all["nightly"], info, "a map of id to info");
    assert_eq!(
        all["default"]["location"],
        "sftp://backup.example.com/vcsa/scheduled"
    );
    assert_eq!(all.as_object().unwrap().len(), 2);

    // PATCH changes what it names and keeps the rest.
    let (status, body) = h
        .call(
            Method::PATCH,
            &format!("{API}/schedules/nightly"),
            Some(json!({ "enable": false, "recurrence_info": { "hour": 23, "minute": 5 } })),
        )
        .await;
    assert_eq!((status, body), (204, Value::Null));
    let (_, info) = h.get(&format!("{API}/schedules/nightly")).await;
    assert_eq!(info["enable"], false);
    assert_eq!(info["recurrence_info"], json!({ "hour": 23, "minute": 5 }));
    assert_eq!(info["retention_info"], json!({ "max_count": 7 }));
    assert_eq!(info["parts"], json!(["seat"]));

    let (status, body) = h
        .call(Method::DELETE, &format!("{API}/schedules/nightly"), None)
        .await;
    assert_eq!((status, body), (204, Value::Null));
    let (status, body) = h.get(&format!("{API}/schedules/nightly")).await;
    assert_eq!((status, api_error_type(&body)), (404, "NOT_FOUND"));
    assert!(
        error_text(&body).contains("'nightly' does not exist"),
        "{body}"
    );
}

#[tokio::test(start_paused = true)]
async fn create_get_list_update_delete_on_rest() {
    // Room for a second schedule beside `default`.
    let h = start(Simulator::builder().max_schedules(2)).await;
    // /rest puts the id in the path and wraps the spec.
    let (status, body) = h
        .post(
            &format!("{REST}/schedules/nightly"),
            json!({ "spec": nightly() }),
        )
        .await;
    assert_eq!((status, body), (200, Value::Null));

    let (status, body) = h.get(&format!("{REST}/schedules/nightly")).await;
    assert_eq!(status, 200);
    let (_, api) = h.get(&format!("{API}/schedules/nightly")).await;
    assert_eq!(body, json!({ "value": api }));

    let (status, body) = h.get(&format!("{REST}/schedules")).await;
    assert_eq!(status, 200);
    let entries = body["value"].as_array().unwrap();
    let keys: Vec<&str> = entries.iter().map(|e| e["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["default", "nightly"]);
    assert_eq!(entries[1]["value"], api);

    // PUT .../schedules/update/{id}, wrapped.
    let (status, body) = h
        .call(
            Method::PUT,
            &format!("{REST}/schedules/update/nightly"),
            Some(json!({ "spec": { "parts": [], "retention_info": { "max_count": 3 } } })),
        )
        .await;
    assert_eq!((status, body), (200, Value::Null));
    let (_, body) = h.get(&format!("{REST}/schedules/nightly")).await;
    assert_eq!(body["value"]["parts"], json!([]));
    assert_eq!(body["value"]["retention_info"]["max_count"], 3);
    assert_eq!(body["value"]["recurrence_info"]["hour"], 2);

    let (status, body) = h
        .call(Method::DELETE, &format!("{REST}/schedules/nightly"), None)
        .await;
    assert_eq!((status, body), (200, Value::Null));
    for (method, path) in [
        (Method::GET, format!("{REST}/schedules/nightly")),
        (Method::DELETE, format!("{REST}/schedules/nightly")),
    ] {
        let (status, body) = h.call(method, &path, None).await;
        assert_eq!(
            (status, rest_error_type(&body)),
            (404, "not_found"),
            "{path}"
        );
    }
    let (status, body) = h
        .call(
            Method::PUT,
            &format!("{REST}/schedules/update/nightly"),
            Some(json!({ "spec": { "enable": true } })),
        )
        .await;
    assert_eq!((status, rest_error_type(&body)), (404, "not_found"));
}

#[tokio::test(start_paused = true)]
async fn one_schedule_unless_the_cap_is_raised() {
    let h = start(Simulator::builder()).await;
    let spec = json!({ "location": "sftp://backup.example.com/vcsa" });
    let words = "Only one backup schedule per appliance can exist, and 'default' does. Update it, \
                 or delete it first.";
    let (status, body) = h
        .post(
            &format!("{API}/schedules"),
            json!({ "schedule": "nightly", "spec": spec }),
        )
        .await;
    assert_eq!((status, api_error_type(&body)), (400, "ALREADY_EXISTS"));
    assert_eq!(error_text(&body), words);
    let (status, body) = h
        .post(
            &format!("{REST}/schedules/nightly"),
            json!({ "spec": spec }),
        )
        .await;
    assert_eq!((status, rest_error_type(&body)), (400, "already_exists"));
    assert_eq!(error_text(&body), words);
    assert_eq!(h.sim.control().state().schedules, ["default"]);

    // Deleted, `default` leaves room for one schedule of any name.
    let (status, _) = h
        .call(Method::DELETE, &format!("{API}/schedules/default"), None)
        .await;
    assert_eq!(status, 204);
    let (status, body) = h
        .post(
            &format!("{API}/schedules"),
            json!({ "schedule": "nightly", "spec": spec }),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(h.sim.control().state().schedules, ["nightly"]);

    // Schedules given at start must fit the cap.
    let err = Simulator::builder()
        .tls(false)
        .schedule("weekly")
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("at most 1"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn already_exists_and_not_found() {
    let h = start(Simulator::builder()).await;
    let spec = json!({ "location": "sftp://backup.example.com/vcsa" });
    let (status, body) = h
        .post(
            &format!("{API}/schedules"),
            json!({ "schedule": "default", "spec": spec }),
        )
        .await;
    assert_eq!((status, api_error_type(&body)), (400, "ALREADY_EXISTS"));
    assert!(
        error_text(&body).contains("'default' already exists"),
        "{body}"
    );
    let (status, body) = h
        .post(
            &format!("{REST}/schedules/default"),
            json!({ "spec": spec }),
        )
        .await;
    assert_eq!((status, rest_error_type(&body)), (400, "already_exists"));

    let (status, body) = h
        .call(
            Method::PATCH,
            &format!("{API}/schedules/missing"),
            Some(json!({ "enable": false })),
        )
        .await;
    assert_eq!((status, api_error_type(&body)), (404, "NOT_FOUND"));
    let (status, _) = h
        .call(Method::DELETE, &format!("{API}/schedules/missing"), None)
        .await;
    assert_eq!(status, 404);

    // A deleted schedule cannot run; with none left, the message says so.
    h.call(Method::DELETE, &format!("{API}/schedules/default"), None)
        .await;
    let (status, body) = h
        .post(&format!("{API}/schedules/default?action=run"), json!({}))
        .await;
    assert_eq!((status, api_error_type(&body)), (404, "NOT_FOUND"));
    assert!(
        error_text(&body).contains("The appliance has no schedules."),
        "{body}"
    );
    let (_, all) = h.get(&format!("{API}/schedules")).await;
    assert_eq!(all, json!({}));
}

/// A spec with one thing wrong, and what the message must say.
fn bad_specs() -> Vec<(Value, &'static str)> {
    let with = |patch: Value| {
        let mut spec = json!({ "location": "sftp://backup.example.com/vcsa" });
        for (k, v) in patch.as_object().unwrap() {
            spec[k] = v.clone();
        }
        spec
    };
    vec![
        (
            with(json!({ "recurrence_info": { "hour": 24, "minute": 0 } })),
            "The hour 24 is not valid: use 0 to 23",
        ),
        (
            with(json!({ "recurrence_info": { "hour": -1, "minute": 0 } })),
            "The hour -1 is not valid",
        ),
        (
            with(json!({ "recurrence_info": { "hour": 1, "minute": 60 } })),
            "The minute 60 is not valid: use 0 to 59",
        ),
        (
            with(
                json!({ "recurrence_info": { "hour": 1, "minute": 0, "days": ["MONDAY", "FUNDAY"] } }),
            ),
            "The day 'FUNDAY' is not a day of the week. Use MONDAY, TUESDAY",
        ),
        (
            with(json!({ "recurrence_info": { "hour": 1, "minute": 0, "days": ["monday"] } })),
            "The day 'monday' is not a day of the week",
        ),
        (
            with(json!({ "recurrence_info": { "hour": 1, "minute": 0, "days": [] } })),
            "The list of days is empty",
        ),
        (
            with(json!({ "retention_info": { "max_count": 0 } })),
            "The number of backups to keep is 0: keep at least 1",
        ),
        (
            with(json!({ "location": "gopher://backup.example.com/vcsa" })),
            "The location's protocol 'gopher' is not supported. Use one of: ftp, ftps, http, https, nfs, scp, sftp, smb.",
        ),
        (
            with(json!({ "location": "backup.example.com/vcsa" })),
            "The location must be a URL with a host",
        ),
        (
            with(json!({ "backup_password": "weakpass" })),
            "The backup password needs at least 1 uppercase letter.",
        ),
        (
            with(json!({ "parts": ["logs"] })),
            "The part 'logs' does not exist. Known parts: common, seat, supervisors.",
        ),
    ]
}

#[tokio::test(start_paused = true)]
async fn bad_specs_are_invalid_argument_with_messages_in_both_flavours() {
    let h = start(Simulator::builder()).await;
    for (spec, expected) in bad_specs() {
        let (status, body) = h
            .post(
                &format!("{API}/schedules"),
                json!({ "schedule": "bad", "spec": spec }),
            )
            .await;
        assert_eq!(
            (status, api_error_type(&body)),
            (400, "INVALID_ARGUMENT"),
            "{spec}"
        );
        assert!(error_text(&body).contains(expected), "{expected}: {body}");
        assert!(!error_text(&body).contains("weakpass"), "{body}");

        let (status, body) = h
            .post(&format!("{REST}/schedules/bad"), json!({ "spec": spec }))
            .await;
        assert_eq!(
            (status, rest_error_type(&body)),
            (400, "invalid_argument"),
            "{spec}"
        );
        assert!(error_text(&body).contains(expected), "{expected}: {body}");
    }
    // Nothing was created; an update that breaks a rule changes nothing.
    assert_eq!(h.sim.control().state().schedules, ["default"]);
    let (status, body) = h
        .call(
            Method::PATCH,
            &format!("{API}/schedules/default"),
            Some(json!({ "enable": false, "recurrence_info": { "hour": 24, "minute": 60 } })),
        )
        .await;
    assert_eq!(status, 400);
    let text = error_text(&body);
    assert!(
        text.contains("hour 24") && text.contains("minute 60"),
        "{text}"
    );
    let (_, info) = h.get(&format!("{API}/schedules/default")).await;
    assert_eq!(info["enable"], true);
    assert_eq!(
        info["recurrence_info"],
        json!({ "hour": 23, "minute": 0 }),
        "{info}"
    );

    // Several problems at once, and an id that cannot be used.
    let (status, body) = h
        .post(
            &format!("{API}/schedules"),
            json!({ "schedule": "a b", "spec": { "location": "sftp://h/p", "retention_info": { "max_count": 0 }, "recurrence_info": { "hour": 99, "minute": 0 } } }),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["messages"].as_array().unwrap().len(), 3, "{body}");
    assert!(error_text(&body).contains("The schedule id 'a b' cannot be used"));
}

#[tokio::test(start_paused = true)]
async fn malformed_bodies_are_refused_never_a_server_error() {
    let h = start(Simulator::builder()).await;
    let cases = [
        (Method::POST, format!("{API}/schedules"), "{"),
        (
            Method::POST,
            format!("{API}/schedules"),
            "{\"spec\": {\"location\": \"sftp://h/p\"}}",
        ),
        (
            Method::POST,
            format!("{API}/schedules"),
            "{\"schedule\": \"x\"}",
        ),
        (
            Method::POST,
            format!("{API}/schedules"),
            "{\"schedule\": \"x\", \"spec\": {\"location\": \"sftp://h/p\", \"recurrence_info\": {\"hour\": \"two\", \"minute\": 0}}}",
        ),
        (
            Method::POST,
            format!("{API}/schedules"),
            "{\"schedule\": \"x\", \"spec\": {\"location\": \"sftp://h/p\", \"enable\": null}}",
        ),
        (
            Method::POST,
            format!("{API}/schedules"),
            "{\"schedule\": \"x\", \"spec\": {\"location\": \"sftp://h/p\", \"recurrence_info\": {\"hour\": 1e300, \"minute\": 0}}}",
        ),
        (Method::PATCH, format!("{API}/schedules/default"), "[]"),
        (
            Method::POST,
            format!("{REST}/schedules/x"),
            "{\"location\": \"sftp://h/p\"}",
        ),
        (
            Method::PUT,
            format!("{REST}/schedules/update/default"),
            "{\"enable\": false}",
        ),
        (Method::PUT, format!("{REST}/schedules/update/default"), ""),
    ];
    for (method, path, body) in cases {
        let (status, err) = send(
            h.req(method.clone(), &path)
                .header("content-type", "application/json")
                .body(body),
        )
        .await;
        assert_eq!(status, 400, "{method} {path} {body}: {err}");
        assert!(!error_text(&err).is_empty(), "{err}");
    }
    // A password of the wrong type is named, never echoed.
    let (status, err) = h
        .post(
            &format!("{API}/schedules"),
            json!({ "schedule": "x", "spec": { "location": "sftp://h/p", "backup_password": 12345678 } }),
        )
        .await;
    assert_eq!(status, 400);
    assert!(error_text(&err).contains("backup_password"));
    assert!(!error_text(&err).contains("12345678"));
}

#[tokio::test(start_paused = true)]
async fn passwords_are_stored_but_never_returned() {
    // Room for a second schedule beside `default`.
    let h = start(Simulator::builder().max_schedules(2)).await;
    h.post(
        &format!("{API}/schedules"),
        json!({ "schedule": "nightly", "spec": nightly() }),
    )
    .await;
    for path in [
        format!("{API}/schedules"),
        format!("{API}/schedules/nightly"),
        format!("{REST}/schedules"),
        format!("{REST}/schedules/nightly"),
    ] {
        let (_, body) = h.get(&path).await;
        let text = body.to_string();
        assert!(!text.contains("password"), "{path}: {text}");
        assert!(!text.contains("Backup1!pw") && !text.contains("L0cation!pw"));
    }
    let control = h.sim.control();
    let stored = control.schedule_passwords("nightly").unwrap();
    assert_eq!(stored.backup_password.unwrap().expose(), "Backup1!pw");
    assert_eq!(stored.location_password.unwrap().expose(), "L0cation!pw");

    // An update without passwords keeps them; with one, replaces it.
    h.call(
        Method::PATCH,
        &format!("{API}/schedules/nightly"),
        Some(json!({ "location_user": "other" })),
    )
    .await;
    let stored = control.schedule_passwords("nightly").unwrap();
    assert_eq!(stored.backup_password.unwrap().expose(), "Backup1!pw");
    h.call(
        Method::PATCH,
        &format!("{API}/schedules/nightly"),
        Some(json!({ "backup_password": "N3w!password" })),
    )
    .await;
    let stored = control.schedule_passwords("nightly").unwrap();
    assert_eq!(stored.backup_password.unwrap().expose(), "N3w!password");
    assert!(control.schedule_passwords("missing").is_none());
}

#[tokio::test(start_paused = true)]
async fn run_uses_the_stored_settings_and_leaves_an_archive() {
    let h = start(Simulator::builder().job_duration(Duration::from_secs(60))).await;
    let (status, _) = h
        .call(
            Method::PATCH,
            &format!("{API}/schedules/default"),
            Some(json!({
                "location": "nfs://10.0.0.5:/export/vcsa",
                "location_user": "nfs-backup",
                "parts": ["supervisors"],
                "fast_backup": true,
            })),
        )
        .await;
    assert_eq!(status, 204);
    let (status, job) = h
        .post(
            &format!("{API}/schedules/default?action=run"),
            json!({ "comment": "before patching" }),
        )
        .await;
    assert_eq!(status, 200, "{job}");
    let id = job["id"].as_str().unwrap().to_string();
    let (_, details) = h.get(&format!("{API}/job/details?jobs={id}")).await;
    let info = &details[&id];
    assert_eq!(info["type"], "SCHEDULED");
    let written_to = info["location"].as_str().unwrap().to_string();
    assert_eq!(info["location_user"], "nfs-backup");
    assert_eq!(info["fast_backup"], true);

    // Not an archive while it runs; one once it succeeded, with its parts and comment.
    let location = json!({ "location": "nfs://10.0.0.5:/export/vcsa" });
    let (_, names) = h
        .post(&format!("{API}/system-name?action=list"), location.clone())
        .await;
    assert_eq!(names, json!([vcsa_backup_sim::DEFAULT_SYSTEM_NAME]));
    let archives_path = format!(
        "{API}/system-name/{}/archives?action=list",
        vcsa_backup_sim::DEFAULT_SYSTEM_NAME
    );
    let list = json!({ "loc_spec": location, "filter_spec": {} });
    let (_, archives) = h.post(&archives_path, list.clone()).await;
    assert_eq!(archives, json!([]));
    tokio::time::advance(Duration::from_secs(60)).await;
    let (_, archives) = h.post(&archives_path, list).await;
    let archives = archives.as_array().unwrap();
    assert_eq!(archives.len(), 1, "{archives:?}");
    let archive = archives[0]["archive"].as_str().unwrap();
    assert!(archive.starts_with("S_8.0.3.00400_"), "{archive}");
    // The job's details name the folder that became the archive.
    assert_eq!(
        written_to,
        format!("nfs://10.0.0.5:/export/vcsa/vCenter/sn_vcsa.example.com/{archive}")
    );
    assert_eq!(archives[0]["comment"], "before patching");
    let (_, info) = h
        .post(
            &format!(
                "{API}/system-name/{}/archives/{archive}?action=get",
                vcsa_backup_sim::DEFAULT_SYSTEM_NAME
            ),
            location,
        )
        .await;
    assert_eq!(info["parts"], json!(["common", "supervisors"]));
    assert_eq!(
        info["location"],
        format!(
            "nfs://10.0.0.5:/export/vcsa/vCenter/sn_{}/{archive}",
            vcsa_backup_sim::DEFAULT_SYSTEM_NAME
        )
    );
}
