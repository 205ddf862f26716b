//! Tests of catalog::layout, through the public API: the layout, and how a client finds an
//! appliance's system name and version from its job history and the catalog.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{Value, json};
use vcsa_backup::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support;

#[test]
fn bad_names_and_versions_are_refused() {
    let error = ApplianceLayout::new("vcsa/01", "8.0 U3").unwrap_err();
    let fields: Vec<_> = error.problems().iter().map(|p| p.field).collect();
    assert_eq!(fields, [Field::SystemName, Field::Version]);
    for name in ["", ".hidden", "a b", "..", "a\\b"] {
        assert!(ApplianceLayout::new(name, "8.0").is_err(), "{name}");
    }
    assert!(ApplianceLayout::new("vcsa_01.lab-2.example", "8.0.3.00400").is_ok());
}

#[test]
fn manual_backups_get_a_fresh_folder_each_second() {
    let at = |s| {
        NaiveDate::from_ymd_opt(2024, 5, 31)
            .unwrap()
            .and_hms_opt(14, 5, s)
            .unwrap()
    };
    let layout = ApplianceLayout::new("vcsa-01", "8.0.3.00400").unwrap();
    let root = "nfs://filer:/export/backups";
    let first = layout.manual_backup_location(root, at(9));
    let second = layout.manual_backup_location(root, at(10));
    assert_eq!(
        first,
        "nfs://filer:/export/backups/vCenter/sn_vcsa-01/M_8.0.3.00400_20240531-140509_"
    );
    assert_ne!(first, second);
    assert_eq!(
        layout.system_folder(&format!("{root}//")),
        format!("{root}/vCenter/sn_vcsa-01")
    );
    // The catalog reads the folder back as a manual backup of this version.
    let name = ArchiveName::parse(first.rsplit('/').next().unwrap()).unwrap();
    assert_eq!(name.kind, ArchiveKind::Manual);
    assert_eq!(name.version, "8.0.3.00400");
}

const DETAILS: &str = "/api/appliance/recovery/backup/job/details";
const NAMES: &str = "/api/appliance/recovery/backup/system-name";

/// A finished job in the history: its id (which says when it started), location and version.
type Job<'a> = (&'a str, &'a str, Option<&'a str>);
/// A system name in the catalog, with its archives: id and start.
type Catalogued<'a> = (&'a str, &'a [(&'a str, &'a str)]);

async fn answer(server: &MockServer, verb: &str, at: &str, body: Value) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

/// The layout a client finds, with neither the system name nor the version given, on an
/// appliance whose job history is `history` and whose backup location holds `catalog`.
async fn found(history: &[Job<'_>], catalog: &[Catalogued<'_>]) -> Result<ApplianceLayout, Error> {
    let server = MockServer::start().await;
    support::mount_login(&server).await;
    let mut details = json!({});
    for (id, location, version) in history {
        let started = NaiveDateTime::parse_from_str(&id[..15], "%Y%m%d-%H%M%S").unwrap();
        details[*id] = json!({
            "location": location, "location_user": "", "type": "SCHEDULED", "messages": [],
            "description": {"id": "d", "default_message": "d", "args": []},
            "service": "", "operation": "", "status": "SUCCEEDED", "cancelable": false,
            "start_time": started.and_utc(),
        });
        if let Some(version) = version {
            details[*id]["build"] =
                json!({"version_name": "vCenter Server", "version": version, "build_number": "1"});
        }
    }
    answer(&server, "GET", DETAILS, details).await;
    let names: Vec<&str> = catalog.iter().map(|(name, _)| *name).collect();
    answer(&server, "POST", NAMES, json!(names)).await;
    for (name, archives) in catalog {
        let archives: Vec<Value> = archives
            .iter()
            .map(|(id, at)| json!({"archive": id, "timestamp": at, "version": "8.0.3.00400", "comment": ""}))
            .collect();
        answer(
            &server,
            "POST",
            &format!("{NAMES}/{name}/archives"),
            json!(archives),
        )
        .await;
    }
    let location = BackupLocation::builder().location("sftp://nas/b").build()?;
    support::client(&server, Flavour::Api)
        .get_backup_layout(&location, None, None)
        .await
}

fn missing(found: Result<ApplianceLayout, Error>) -> Vec<Field> {
    let error = found.unwrap_err();
    error.problems().iter().map(|p| p.field).collect()
}

#[tokio::test]
async fn the_job_history_says_the_name_and_the_newest_version() {
    let ours = ApplianceLayout::new("vcsa-01", "8.0.2").unwrap();
    let at = NaiveDateTime::parse_from_str("20240530-230000", "%Y%m%d-%H%M%S").unwrap();
    let manual = ours.manual_backup_location("sftp://nas/b", at);
    let history = [
        (
            "20240529-230000-1",
            "sftp://nas/b/vCenter/sn_old-name/S_8.0.2_20240529-230000_",
            Some("8.0.2"),
        ),
        (
            "20240531-120000-1",
            "sftp://nas/b/manual-folder",
            Some("8.0.3.00400"),
        ),
        ("20240530-230000-1", manual.as_str(), None),
    ];
    let layout = found(&history, &[]).await.unwrap();
    // The newest in the layout, and the newest with a version.
    assert_eq!(
        (layout.system_name(), layout.version()),
        ("vcsa-01", "8.0.3.00400")
    );
    // Neither in the history, in an empty catalog or in an address that is not a name.
    assert_eq!(
        missing(found(&history[1..2], &[]).await),
        [Field::SystemName]
    );
    assert_eq!(
        missing(found(&[], &[]).await),
        [Field::SystemName, Field::Version]
    );
    let error = found(&[], &[]).await.unwrap_err();
    assert!(error.to_string().contains("such as 8.0.3.00400"), "{error}");
}

#[tokio::test]
async fn the_catalog_names_the_appliance_whose_scheduled_backups_match_its_jobs() {
    let history = [
        ("20240530-230000-1", "sftp://nas/b", Some("8.0.3.00400")),
        ("20240531-230000-1", "sftp://nas/b", Some("8.0.3.00400")),
    ];
    let ours: Catalogued = (
        "vcsa-01",
        &[("S_8.0.3.00400_20240531-230001_", "2024-05-31T23:00:01Z")],
    );
    let other: Catalogued = (
        "vcsa-02",
        &[("S_8.0.3.00400_20240531-120000_", "2024-05-31T12:00:00Z")],
    );
    let manual_at_the_same_time: Catalogued = (
        "vcsa-03",
        &[("M_8.0.3.00400_20240530-230000_", "2024-05-30T23:00:00Z")],
    );
    let layout = found(&history, &[other, ours, manual_at_the_same_time])
        .await
        .unwrap();
    assert_eq!(layout.system_name(), "vcsa-01");
    assert_eq!(
        missing(found(&history, &[other]).await),
        [Field::SystemName]
    );
    let twin = ("vcsa-01-copy", ours.1);
    assert_eq!(
        missing(found(&history, &[ours, twin]).await),
        [Field::SystemName],
        "ambiguous"
    );
}
