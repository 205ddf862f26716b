//! Built backup requests: what `Debug` shows, what goes on the wire in each flavour (snapshotted
//! with secrets redacted, after checking the real values were sent), and what is refused.

use crate::support;

use serde_json::{Value, json};
use support::*;
use vcsa_backup::{
    BackupLocation, BackupRequest, Flavour, LocationType, PartId, ScheduleSpec, Secret,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LOCATION_PASSWORD: &str = "L0cation-Pass";
const BACKUP_PASSWORD: &str = "Backup-2024!";

fn full_request() -> BackupRequest {
    BackupRequest::builder()
        .location("sftp://backup.example.com:2222/vcsa/2024-06-01")
        .location_credentials("backup-user", Secret::new(LOCATION_PASSWORD))
        .parts([PartId::SEAT, PartId::SUPERVISORS])
        .backup_password(Secret::new(BACKUP_PASSWORD))
        .comment("before the upgrade")
        .fast_backup(true)
        .build()
        .unwrap()
}

/// Every settings type and builder that holds a password shows it redacted in its `Debug`.
#[test]
fn no_builder_or_settings_type_shows_a_password_in_its_debug() {
    let request = BackupRequest::builder()
        .location("sftp://backup.example.com/vcsa")
        .location_credentials("backup-user", Secret::new(LOCATION_PASSWORD))
        .backup_password(Secret::new(BACKUP_PASSWORD));
    let location = BackupLocation::builder()
        .location("sftp://backup.example.com/vcsa")
        .location_credentials("backup-user", Secret::new(LOCATION_PASSWORD));
    let schedule = ScheduleSpec::builder()
        .location("sftp://backup.example.com/vcsa")
        .location_credentials("backup-user", Secret::new(LOCATION_PASSWORD))
        .backup_password(Secret::new(BACKUP_PASSWORD))
        .at(23, 30)
        .keep(7);
    let shown = [
        format!("{request:?}"),
        format!("{:?}", request.build().unwrap()),
        format!("{location:?}"),
        format!("{:?}", location.build().unwrap()),
        format!("{schedule:?}"),
        format!("{:?}", schedule.clone().build().unwrap()),
        format!("{:?}", schedule.build_update().unwrap()),
    ];
    for shown in shown {
        assert!(shown.contains("backup-user"), "{shown}");
        assert!(
            !shown.contains(LOCATION_PASSWORD) && !shown.contains(BACKUP_PASSWORD),
            "{shown}"
        );
    }
}

#[test]
fn debug_of_built_requests_hides_secrets() {
    let shown = format!("{:#?}", full_request());
    assert!(!shown.contains(LOCATION_PASSWORD) && !shown.contains(BACKUP_PASSWORD));
    insta::assert_snapshot!("debug_full_request", shown);

    let minimal = BackupRequest::builder()
        .location("10.0.0.5:/export/vcsa")
        .location_type(LocationType::Nfs)
        .build()
        .unwrap();
    insta::assert_snapshot!("debug_minimal_nfs_request", format!("{minimal:#?}"));
}

/// Starts a backup with `request` and returns the JSON body the server received.
async fn sent_body(flavour: Flavour, request: &BackupRequest) -> Value {
    let server = MockServer::start().await;
    mount_login(&server).await;
    let (at, answer) = match flavour {
        Flavour::Rest => (
            REST_JOB,
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": job_status_json("20240601-100000-1")})),
        ),
        _ => (
            API_JOB,
            ResponseTemplate::new(201).set_body_json(job_status_json("20240601-100000-1")),
        ),
    };
    Mock::given(method("POST"))
        .and(path(at))
        .respond_with(answer)
        .mount(&server)
        .await;
    let job = client(&server, flavour)
        .start_backup(request)
        .await
        .unwrap();
    assert_eq!(job.id.as_str(), "20240601-100000-1");
    let sent = requests_to(&server, "POST", at).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].headers.get("vmware-api-session-id").unwrap(),
        "token-1"
    );
    serde_json::from_slice(&sent[0].body).unwrap()
}

#[tokio::test]
async fn wire_bodies_in_both_flavours() {
    let request = full_request();

    let api = sent_body(Flavour::Api, &request).await;
    assert_eq!(
        api["backup_password"], BACKUP_PASSWORD,
        "the real value goes on the wire"
    );
    assert_eq!(api["location_password"], LOCATION_PASSWORD);
    insta::assert_json_snapshot!("wire_api_start", api, {
        ".backup_password" => "[redacted]",
        ".location_password" => "[redacted]",
    });

    let rest = sent_body(Flavour::Rest, &request).await;
    assert_eq!(rest["piece"], api, "/rest wraps the same request in piece");
}

#[tokio::test]
async fn an_nfs_location_goes_as_a_url() {
    let request = BackupRequest::builder()
        .location("10.0.0.5:/export/vcsa")
        .location_type(LocationType::Nfs)
        .part(PartId::SEAT)
        .fast_backup(true)
        .build()
        .unwrap();
    assert_eq!(
        sent_body(Flavour::Api, &request).await,
        json!({
            "location": "nfs://10.0.0.5:/export/vcsa",
            "location_type": "NFS",
            "parts": ["seat"],
            "fast_backup": true
        })
    );
}

#[tokio::test]
async fn optional_fields_are_left_out_of_the_wire() {
    let request = BackupRequest::builder()
        .location("smb://filer/share/vcsa")
        .location_credentials("DOMAIN\\backup", Secret::new(LOCATION_PASSWORD))
        .build()
        .unwrap();
    let body = sent_body(Flavour::Api, &request).await;
    insta::assert_json_snapshot!("wire_api_minimal_smb", body, {".location_password" => "[redacted]"});
}

#[test]
fn refusals_name_every_problem_without_secrets() {
    let cases: Vec<(&str, vcsa_backup::BackupRequestBuilder)> = vec![
        ("nothing set", BackupRequest::builder()),
        (
            "type disagrees with the scheme, weak password",
            BackupRequest::builder()
                .location("sftp://h/b")
                .location_type(LocationType::Nfs)
                .backup_password(Secret::new("weak pw")),
        ),
        (
            "credentials in the URL, duplicate part",
            BackupRequest::builder()
                .location("ftp://me:hunter2@h/b")
                .parts(["seat", "seat"]),
        ),
        (
            "NFS with credentials and no folder",
            BackupRequest::builder()
                .location("nfs://filer:/")
                .location_credentials("u", Secret::new("hunter2")),
        ),
        (
            "no scheme and no type",
            BackupRequest::builder().location("backup.example.com/vcsa"),
        ),
        (
            "unknown protocol, empty password, bad part id",
            BackupRequest::builder()
                .location("gopher://h/b")
                .location_credentials("u", Secret::new(""))
                .part("two words"),
        ),
    ];
    let mut rendered = String::new();
    for (name, builder) in cases {
        let error = builder.build().unwrap_err();
        let shown = error.to_string();
        assert!(
            !shown.contains("hunter2") && !shown.contains("weak pw"),
            "{shown}"
        );
        rendered.push_str(&format!("{name}:\n"));
        for problem in error.problems() {
            rendered.push_str(&format!("  - {problem}\n"));
        }
    }
    insta::assert_snapshot!("refused_requests", rendered);
}
