//! The catalog in both flavours: system names at a location, archives (newest first, filtered),
//! one archive; `/api` POST bodies, `/rest` dotted query parameters and the JSON body on the GET;
//! NOT_FOUND for what does not exist.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use vcsa_backup_sim::{ArchiveSeed, DEFAULT_SYSTEM_NAME, Simulator};

use crate::firing::{monday, on_monday};
use crate::support::*;

const LOCATION: &str = "sftp://backup.example.com/catalog";
const OTHER: &str = "vcsa-02.example.com";

/// Seeds four archives of this appliance a day apart (the oldest 4 days before Monday, comments
/// `day 1` .. `day 4`, the odd ones scheduled) and one of another appliance.
fn seed(h: &Harness) {
    let control = h.sim.control();
    for day in 1..=4 {
        control
            .seed_archive(ArchiveSeed {
                location: LOCATION.into(),
                system_name: DEFAULT_SYSTEM_NAME.into(),
                timestamp: monday() - chrono::Duration::days(5 - day),
                completed: Some(
                    monday() - chrono::Duration::days(5 - day) + chrono::Duration::minutes(14),
                ),
                scheduled: day % 2 == 1,
                parts: Some(vec!["seat".into()]),
                comment: Some(format!("day {day}")),
                ..ArchiveSeed::default()
            })
            .unwrap();
    }
    control
        .seed_archive(ArchiveSeed {
            location: format!("{LOCATION}/"),
            system_name: OTHER.into(),
            timestamp: monday(),
            archive: Some("S_7.0.3.01000_20260518-003000_".into()),
            version: Some("7.0.3.01000".into()),
            ..ArchiveSeed::default()
        })
        .unwrap();
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|a| a["comment"].as_str().unwrap().to_string())
        .collect()
}

async fn api_list(h: &Harness, filter: Value) -> (u16, Value) {
    h.post(
        &format!("{API}/system-name/{DEFAULT_SYSTEM_NAME}/archives?action=list"),
        json!({ "loc_spec": { "location": LOCATION }, "filter_spec": filter }),
    )
    .await
}

/// `/rest` list with dotted query parameters (the location is added).
async fn rest_list(h: &Harness, query: &[(&str, &str)]) -> (u16, Value) {
    let mut params = vec![
        ("loc_spec.location", LOCATION),
        ("loc_spec.location_user", "backup"),
        ("loc_spec.location_password", "Secr3t!pw"),
    ];
    params.extend_from_slice(query);
    send(
        h.req(
            Method::GET,
            &format!("{REST}/system-name/{DEFAULT_SYSTEM_NAME}/archives"),
        )
        .query(&params),
    )
    .await
}

#[tokio::test(start_paused = true)]
async fn system_names_in_both_flavours() {
    let h = start(on_monday()).await;
    seed(&h);
    let expected = json!([OTHER, DEFAULT_SYSTEM_NAME]);
    let (status, names) = h
        .post(
            &format!("{API}/system-name?action=list"),
            json!({ "location": LOCATION, "location_user": "backup", "location_password": "Secr3t!pw" }),
        )
        .await;
    assert_eq!((status, names), (200, expected.clone()));
    // A trailing slash and the host's case do not matter.
    let (_, names) = h
        .post(
            &format!("{API}/system-name?action=list"),
            json!({ "location": "sftp://Backup.Example.com/catalog/" }),
        )
        .await;
    assert_eq!(names, expected);

    let (status, names) = send(h.req(Method::GET, &format!("{REST}/system-name")).query(&[
        ("loc_spec.location", LOCATION),
        ("loc_spec.location_password", "Secr3t!pw"),
    ]))
    .await;
    assert_eq!((status, names), (200, json!({ "value": expected })));
    // The vendor SDK's form: the inputs as a JSON body on the GET.
    let (status, names) = h
        .call(
            Method::GET,
            &format!("{REST}/system-name"),
            Some(json!({ "loc_spec": { "location": LOCATION, "location_password": "Secr3t!pw" } })),
        )
        .await;
    assert_eq!((status, names), (200, json!({ "value": expected })));
}

#[tokio::test(start_paused = true)]
async fn archives_newest_first_and_filtered_in_both_flavours() {
    let h = start(on_monday()).await;
    seed(&h);
    let (status, all) = api_list(&h, json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&all), ["day 4", "day 3", "day 2", "day 1"]);
    assert_eq!(
        all[0],
        json!({
            "archive": "M_8.0.3.00400_20260517-003000_",
            "timestamp": "2026-05-17T00:30:00Z",
            "version": "8.0.3.00400",
            "comment": "day 4",
        })
    );
    assert_eq!(all[1]["archive"], "S_8.0.3.00400_20260516-003000_");

    // The same on /rest, with dotted parameters and with a JSON body.
    let (status, rest) = rest_list(&h, &[]).await;
    assert_eq!((status, &rest["value"]), (200, &all));
    let (_, body_form) = h
        .call(
            Method::GET,
            &format!("{REST}/system-name/{DEFAULT_SYSTEM_NAME}/archives"),
            Some(json!({ "loc_spec": { "location": LOCATION }, "filter_spec": {} })),
        )
        .await;
    assert_eq!(body_form["value"], all);

    // Start and end are inclusive and compare the start of the backup.
    let filters = [
        (
            json!({ "start_timestamp": "2026-05-15T00:30:00Z" }),
            vec!["day 4", "day 3", "day 2"],
        ),
        (
            json!({ "end_timestamp": "2026-05-15T00:30:00Z" }),
            vec!["day 2", "day 1"],
        ),
        (
            json!({ "start_timestamp": "2026-05-15T00:00:00Z", "end_timestamp": "2026-05-16T12:00:00+02:00" }),
            vec!["day 3", "day 2"],
        ),
        (json!({ "comment_substring": "day 3" }), vec!["day 3"]),
        (json!({ "comment_substring": "Day" }), vec![]),
        (json!({ "max_results": 2 }), vec!["day 4", "day 3"]),
        (
            json!({ "comment_substring": "day", "max_results": 3, "end_timestamp": "2026-05-16T00:30:00Z" }),
            vec!["day 3", "day 2", "day 1"],
        ),
    ];
    for (filter, expected) in filters {
        let (status, list) = api_list(&h, filter.clone()).await;
        assert_eq!(status, 200, "{filter}: {list}");
        assert_eq!(ids(&list), expected, "{filter}");
        let query: Vec<(String, String)> = filter
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                let v = v
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string());
                (format!("filter_spec.{k}"), v)
            })
            .collect();
        let query: Vec<(&str, &str)> = query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (status, list) = rest_list(&h, &query).await;
        assert_eq!(status, 200, "{filter}: {list}");
        assert_eq!(ids(&list["value"]), expected, "/rest {filter}");
        let (_, list) = h
            .call(
                Method::GET,
                &format!("{REST}/system-name/{DEFAULT_SYSTEM_NAME}/archives"),
                Some(json!({ "loc_spec": { "location": LOCATION }, "filter_spec": filter })),
            )
            .await;
        assert_eq!(ids(&list["value"]), expected, "/rest body {filter}");
    }
}

#[tokio::test(start_paused = true)]
async fn at_most_128_archives_unless_asked() {
    let h = start(on_monday()).await;
    let control = h.sim.control();
    for n in 0..130 {
        control
            .seed_archive(ArchiveSeed {
                location: LOCATION.into(),
                system_name: DEFAULT_SYSTEM_NAME.into(),
                timestamp: monday() - chrono::Duration::hours(n),
                scheduled: true,
                comment: Some(format!("{n}")),
                ..ArchiveSeed::default()
            })
            .unwrap();
    }
    let (_, list) = api_list(&h, json!({})).await;
    let comments = ids(&list);
    assert_eq!(comments.len(), 128);
    assert_eq!((comments[0].as_str(), comments[127].as_str()), ("0", "127"));
    let (_, list) = api_list(&h, json!({ "max_results": 1000 })).await;
    assert_eq!(ids(&list).len(), 130);
}

#[tokio::test(start_paused = true)]
async fn one_archive_in_both_flavours() {
    let h = start(on_monday()).await;
    seed(&h);
    let archive = "S_8.0.3.00400_20260516-003000_";
    let (status, info) = h
        .post(
            &format!("{API}/system-name/{DEFAULT_SYSTEM_NAME}/archives/{archive}?action=get"),
            json!({ "location": LOCATION, "location_user": "backup" }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        info,
        json!({
            "timestamp": "2026-05-16T00:44:00Z",
            "location": format!("{LOCATION}/vCenter/sn_{DEFAULT_SYSTEM_NAME}/{archive}"),
            "parts": ["common", "seat"],
            "version": "8.0.3.00400",
            "system_name": DEFAULT_SYSTEM_NAME,
            "comment": "day 3",
        })
    );
    let path = format!("{REST}/system-name/{DEFAULT_SYSTEM_NAME}/archives/{archive}");
    let (status, rest) = send(h.req(Method::GET, &path).query(&[
        ("spec.location", LOCATION),
        ("spec.location_password", "Secr3t!pw"),
    ]))
    .await;
    assert_eq!((status, rest), (200, json!({ "value": info })));
    let (status, rest) = h
        .call(
            Method::GET,
            &path,
            Some(json!({ "spec": { "location": LOCATION } })),
        )
        .await;
    assert_eq!((status, rest), (200, json!({ "value": info })));

    // Another appliance's archive, its version kept.
    let (_, other) = h
        .post(
            &format!(
                "{API}/system-name/{OTHER}/archives/S_7.0.3.01000_20260518-003000_?action=get"
            ),
            json!({ "location": LOCATION }),
        )
        .await;
    assert_eq!(other["version"], "7.0.3.01000");
    assert_eq!(other["parts"], json!(["common"]));
    assert_eq!(other["system_name"], OTHER);
}

#[tokio::test(start_paused = true)]
async fn what_does_not_exist_is_not_found_in_both_flavours() {
    let h = start(on_monday()).await;
    seed(&h);
    let nowhere = "sftp://backup.example.com/nowhere";
    let api_cases = [
        (
            format!("{API}/system-name?action=list"),
            json!({ "location": nowhere }),
            "There are no backups at sftp://backup.example.com/nowhere",
        ),
        (
            format!("{API}/system-name/{DEFAULT_SYSTEM_NAME}/archives?action=list"),
            json!({ "loc_spec": { "location": nowhere }, "filter_spec": {} }),
            "There are no backups at",
        ),
        (
            format!("{API}/system-name/vcsa-09.example.com/archives?action=list"),
            json!({ "loc_spec": { "location": LOCATION }, "filter_spec": {} }),
            "holds no backups of the system name 'vcsa-09.example.com'. System names there: 'vcsa-02.example.com', 'vcsa.example.com'.",
        ),
        (
            format!("{API}/system-name/{DEFAULT_SYSTEM_NAME}/archives/S_1_?action=get"),
            json!({ "location": LOCATION }),
            "has no archive 'S_1_'",
        ),
        (
            format!("{API}/system-name/vcsa-09.example.com/archives/S_1_?action=get"),
            json!({ "location": LOCATION }),
            "holds no backups of the system name",
        ),
    ];
    for (path, body, text) in api_cases {
        let (status, err) = h.post(&path, body).await;
        assert_eq!((status, api_error_type(&err)), (404, "NOT_FOUND"), "{path}");
        assert!(error_text(&err).contains(text), "{path}: {err}");
    }
    let rest_cases = [
        (format!("{REST}/system-name"), "loc_spec", nowhere),
        (
            format!("{REST}/system-name/{DEFAULT_SYSTEM_NAME}/archives"),
            "loc_spec",
            nowhere,
        ),
        (
            format!("{REST}/system-name/vcsa-09.example.com/archives"),
            "loc_spec",
            LOCATION,
        ),
        (
            format!("{REST}/system-name/{DEFAULT_SYSTEM_NAME}/archives/S_1_"),
            "spec",
            LOCATION,
        ),
    ];
    for (path, group, location) in rest_cases {
        let (status, err) = send(h.req(Method::GET, &path).query(&[
            (format!("{group}.location"), location),
            (format!("{group}.location_password"), "Secr3t!pw"),
        ]))
        .await;
        assert_eq!(
            (status, rest_error_type(&err)),
            (404, "not_found"),
            "{path}"
        );
        assert!(!err.to_string().contains("Secr3t"), "{err}");
    }
}

#[tokio::test(start_paused = true)]
async fn bad_catalog_inputs_are_refused() {
    let h = start(Simulator::builder()).await;
    let name = DEFAULT_SYSTEM_NAME;
    let api_cases = [
        (format!("{API}/system-name?action=list"), json!({})),
        (
            format!("{API}/system-name?action=list"),
            json!({ "location": "not a url" }),
        ),
        (
            format!("{API}/system-name/{name}/archives?action=list"),
            json!({ "loc_spec": { "location": LOCATION } }),
        ),
        (
            format!("{API}/system-name/{name}/archives?action=list"),
            json!({ "filter_spec": {} }),
        ),
        (
            format!("{API}/system-name/{name}/archives?action=list"),
            json!({ "loc_spec": { "location": LOCATION }, "filter_spec": { "max_results": 0 } }),
        ),
        (
            format!("{API}/system-name/{name}/archives?action=list"),
            json!({ "loc_spec": { "location": LOCATION }, "filter_spec": { "start_timestamp": "yesterday" } }),
        ),
        (
            format!("{API}/system-name/{name}/archives?action=list"),
            json!({ "loc_spec": { "location": LOCATION }, "filter_spec": { "start_timestamp": "2026-05-18T00:00:00Z", "end_timestamp": "2026-05-17T00:00:00Z" } }),
        ),
        (
            format!("{API}/system-name/{name}/archives/S_1_?action=get"),
            json!({ "location": 5 }),
        ),
    ];
    for (path, body) in api_cases {
        let (status, err) = h.post(&path, body.clone()).await;
        assert_eq!(
            (status, api_error_type(&err)),
            (400, "INVALID_ARGUMENT"),
            "{path} {body}: {err}"
        );
    }
    // The action is part of the operation.
    for path in [
        format!("{API}/system-name"),
        format!("{API}/system-name?action=get"),
        format!("{API}/system-name/{name}/archives?action=get"),
        format!("{API}/system-name/{name}/archives/S_1_?action=list"),
    ] {
        let (status, err) = h.post(&path, json!({ "location": LOCATION })).await;
        assert_eq!(
            (status, api_error_type(&err)),
            (404, "OPERATION_NOT_FOUND"),
            "{path}"
        );
    }
    let rest_cases: [(String, Vec<(&str, &str)>); 5] = [
        (format!("{REST}/system-name"), vec![]),
        (
            format!("{REST}/system-name"),
            vec![("loc_spec.location_user", "backup")],
        ),
        (
            format!("{REST}/system-name/{name}/archives"),
            vec![
                ("loc_spec.location", LOCATION),
                ("filter_spec.max_results", "ten"),
            ],
        ),
        (
            format!("{REST}/system-name/{name}/archives"),
            vec![
                ("loc_spec.location", LOCATION),
                ("filter_spec.end_timestamp", "2026-13-01"),
            ],
        ),
        (
            format!("{REST}/system-name/{name}/archives/S_1_"),
            vec![("loc_spec.location", LOCATION)],
        ),
    ];
    for (path, query) in rest_cases {
        let (status, err) = send(h.req(Method::GET, &path).query(&query)).await;
        assert_eq!(
            (status, rest_error_type(&err)),
            (400, "invalid_argument"),
            "{path} {query:?}: {err}"
        );
        assert!(!error_text(&err).is_empty());
    }
    // A malformed JSON body on the GET, too.
    let (status, _) = send(
        h.req(Method::GET, &format!("{REST}/system-name"))
            .header("content-type", "application/json")
            .body("{"),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test(start_paused = true)]
async fn manual_backups_into_the_layout_are_archives() {
    let h = start(on_monday().job_duration(Duration::from_secs(60))).await;
    let folder =
        format!("{LOCATION}/vCenter/sn_{DEFAULT_SYSTEM_NAME}/M_8.0.3.00400_20260518-003000_");
    let id = h.start_backup(&folder).await;
    // Nothing to list while it runs, though the system name's folder exists.
    let (_, names) = h
        .post(
            &format!("{API}/system-name?action=list"),
            json!({ "location": LOCATION }),
        )
        .await;
    assert_eq!(names, json!([DEFAULT_SYSTEM_NAME]));
    let (_, list) = api_list(&h, json!({})).await;
    assert_eq!(list, json!([]));
    tokio::time::advance(Duration::from_secs(60)).await;
    let (_, list) = api_list(&h, json!({})).await;
    assert_eq!(
        list,
        json!([{
            "archive": "M_8.0.3.00400_20260518-003000_",
            "timestamp": "2026-05-18T00:30:00Z",
            "version": "8.0.3.00400",
            "comment": "nightly",
        }])
    );
    let (_, details) = h.get(&format!("{API}/job/details?jobs={id}")).await;
    assert_eq!(details[&id]["location"], folder);
    // The folder holds a backup now: the same folder again is refused.
    let (status, err) = h.post(&format!("{API}/job"), backup_request(&folder)).await;
    assert_eq!((status, api_error_type(&err)), (400, "INVALID_ARGUMENT"));
    assert!(
        error_text(&err).contains("already contains a backup"),
        "{err}"
    );
    // A seeded archive's folder is taken as well.
    let seeded = format!("{LOCATION}/vCenter/sn_{OTHER}/M_x_");
    h.sim
        .control()
        .seed_archive(ArchiveSeed {
            location: LOCATION.into(),
            system_name: OTHER.into(),
            timestamp: monday(),
            archive: Some("M_x_".into()),
            ..ArchiveSeed::default()
        })
        .unwrap();
    let (status, _) = h.post(&format!("{API}/job"), backup_request(&seeded)).await;
    assert_eq!(status, 400);
    // A backup outside the layout is no archive.
    h.start_backup(&format!("{LOCATION}/plain")).await;
    tokio::time::advance(Duration::from_secs(60)).await;
    let (_, list) = api_list(&h, json!({})).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn seeding_refuses_what_cannot_be() {
    let h = start(on_monday()).await;
    let control = h.sim.control();
    let good = ArchiveSeed {
        location: LOCATION.into(),
        system_name: DEFAULT_SYSTEM_NAME.into(),
        timestamp: monday(),
        ..ArchiveSeed::default()
    };
    control.seed_archive(good.clone()).unwrap();
    let err = control.seed_archive(good.clone()).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    for bad in [
        ArchiveSeed {
            location: "nowhere".into(),
            ..good.clone()
        },
        ArchiveSeed {
            system_name: "a/b".into(),
            ..good.clone()
        },
        ArchiveSeed {
            archive: Some("X_1_".into()),
            ..good.clone()
        },
        ArchiveSeed {
            parts: Some(vec!["logs".into()]),
            ..good.clone()
        },
    ] {
        assert!(control.seed_archive(bad.clone()).is_err(), "{bad:?}");
    }
    // Over HTTP: the same seed, a 400 with the reason for a bad one.
    let (status, state) = send(h.http.post(h.url("/__sim/archives")).json(&json!({
        "location": LOCATION,
        "system_name": OTHER,
        "timestamp": "2026-05-01T02:30:00Z",
        "scheduled": true,
    })))
    .await;
    assert_eq!((status, &state["archives"]), (200, &json!(2)), "{state}");
    let (_, names) = h
        .post(
            &format!("{API}/system-name?action=list"),
            json!({ "location": LOCATION }),
        )
        .await;
    assert_eq!(names, json!([OTHER, DEFAULT_SYSTEM_NAME]));
    let (status, err) = send(h.http.post(h.url("/__sim/archives")).json(&json!({
        "location": LOCATION,
        "system_name": "bad name",
        "timestamp": "2026-05-01T02:30:00Z",
    })))
    .await;
    assert_eq!(status, 400);
    assert!(
        err["error"].as_str().unwrap().contains("system name"),
        "{err}"
    );
}
