//! An appliance that awaits a restore: the recovery root, restore validate, start, status and
//! cancel in both flavours, the backups it knows from another simulator's catalog, the
//! restore's phases and outage on the paused clock, the appliance it becomes, and the
//! reconciliation jobs it then runs.

use crate::support;

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use support::*;
use vcsa_backup_sim::{
    ADMIN_PREFIX, CatalogExport, DEFAULT_PASSWORD, DEFAULT_RESTORE_USER, DEFAULT_USER,
    ReconciliationTiming, RestoreTiming, RunningSimulator, SESSION_HEADER, Simulator,
    SimulatorBuilder,
};

const RECOVERY: &str = "/api/appliance/recovery";
const REST_RECOVERY: &str = "/rest/appliance/recovery";
const SSO_USER: &str = "administrator@vsphere.local";
const ENCRYPTION: &str = "VMware1!";

fn s(secs: u64) -> Duration {
    Duration::from_secs(secs)
}

/// 20 s of work with 10 s of each outage kind: the outage spans 10 s to 40 s.
fn timing() -> RestoreTiming {
    RestoreTiming {
        duration: s(20),
        no_answer: s(10),
        sessions_refused: s(10),
        unavailable: s(10),
    }
}

/// Appliance A, version 8.0.2.00100 with a `weekly` schedule, after one manual backup into
/// its layout; answers it and the backup's folder.
async fn backed_up_a() -> (Harness, String) {
    let a = start(
        Simulator::builder()
            .system_name("vcsa-a.example.com")
            .version("8.0.2.00100")
            .max_schedules(2)
            .schedule("weekly")
            .job_duration(Duration::ZERO),
    )
    .await;
    let folder =
        "sftp://nas.example.com/vcsa/vCenter/sn_vcsa-a.example.com/M_8.0.2.00100_20260518-020000_";
    a.start_backup(folder).await;
    assert_eq!(a.sim.control().state().archives, 1);
    (a, folder.to_string())
}

/// Appliance B, deployed and awaiting a restore, knowing A's catalog; logged in as root.
async fn awaiting_b(a: &RunningSimulator, builder: SimulatorBuilder) -> Harness {
    let sim = builder
        .awaiting_restore(true)
        .import_catalog(a.control().export_catalog())
        .tls(false)
        .start()
        .await
        .unwrap();
    let http = client();
    let token = login(&http, sim.url(), DEFAULT_RESTORE_USER).await;
    Harness { sim, http, token }
}

async fn login(http: &reqwest::Client, url: &str, user: &str) -> String {
    let resp = http
        .post(format!("{url}/api/session"))
        .basic_auth(user, Some(DEFAULT_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    resp.json::<String>().await.unwrap()
}

fn restore_request(folder: &str, password: &str) -> Value {
    json!({
        "location_type": "SFTP",
        "location": folder,
        "location_user": "backup",
        "location_password": "Secr3t!pw",
        "backup_password": password,
        "sso_admin_user_name": SSO_USER,
        "sso_admin_user_password": "Sso!Pass1",
    })
}

async fn restore_status(h: &Harness) -> Value {
    let (status, body) = h.get(&format!("{RECOVERY}/restore/job")).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test(start_paused = true)]
async fn the_recovery_root_and_a_status_before_any_restore_in_both_flavours() {
    let (a, _) = backed_up_a().await;
    let b = awaiting_b(&a.sim, Simulator::builder()).await;
    for h in [&a, &b] {
        assert_eq!(h.get(RECOVERY).await, (200, json!({"supported": true})));
        assert_eq!(
            h.get(REST_RECOVERY).await,
            (200, json!({"value": {"supported": true}}))
        );
        let (status, rest) = h.get(&format!("{REST_RECOVERY}/restore/job")).await;
        assert_eq!(status, 200);
        assert_eq!(rest["value"]["state"], "NONE");
        assert_eq!(rest["value"]["progress"], 0);
    }
    assert_eq!(restore_status(&b).await["state"], "NONE");
    assert!(b.sim.control().state().recovery.awaiting_restore);
    assert_eq!(b.sim.control().state().recovery.restores_started, 0);
}

#[tokio::test(start_paused = true)]
async fn an_appliance_awaiting_restore_refuses_the_backup_operations() {
    let (a, _) = backed_up_a().await;
    let b = awaiting_b(&a.sim, Simulator::builder()).await;
    for (method, path) in [
        (Method::GET, format!("{API}/job")),
        (Method::GET, format!("{API}/parts")),
        (Method::GET, format!("{REST}/schedules")),
        (Method::POST, format!("{API}/job")),
    ] {
        let body = (method == Method::POST).then(|| backup_request("sftp://nas.example.com/b"));
        let (status, err) = b.call(method.clone(), &path, body).await;
        assert_eq!(status, 400, "{path}: {err}");
        let kind = if path.starts_with("/rest") {
            rest_error_type(&err).to_ascii_uppercase()
        } else {
            api_error_type(&err).to_string()
        };
        assert_eq!(kind, "NOT_ALLOWED_IN_CURRENT_STATE", "{path}");
        assert!(error_text(&err).contains("awaits a restore"), "{err}");
    }
    // The catalog reads the backup server: it finds the backup to restore.
    let (status, names) = b
        .post(
            &format!("{API}/system-name?action=list"),
            json!({"location": "sftp://nas.example.com/vcsa"}),
        )
        .await;
    assert_eq!(status, 200, "{names}");
    assert_eq!(names, json!(["vcsa-a.example.com"]));
    // Without a session the answer is the usual 401.
    let (status, _) = send(b.http.get(b.url(&format!("{API}/job")))).await;
    assert_eq!(status, 401);
    // Its account is root unless told otherwise.
    let denied = b
        .http
        .post(b.url("/api/session"))
        .basic_auth(DEFAULT_USER, Some(DEFAULT_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 401);
}

#[tokio::test(start_paused = true)]
async fn a_configured_appliance_refuses_a_restore_as_the_vendor_does() {
    let (a, folder) = backed_up_a().await;
    for path in [
        format!("{RECOVERY}/restore/job"),
        format!("{RECOVERY}/restore?action=validate"),
    ] {
        let (status, err) = a.post(&path, restore_request(&folder, ENCRYPTION)).await;
        assert_eq!(status, 400, "{path}");
        assert_eq!(api_error_type(&err), "NOT_ALLOWED_IN_CURRENT_STATE");
        assert!(
            error_text(&err)
                .starts_with("Restore is allowed only after deployment and before firstboot"),
            "{err}"
        );
    }
    let (status, err) = a
        .post(
            &format!("{REST_RECOVERY}/restore/job"),
            json!({"piece": restore_request(&folder, ENCRYPTION)}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(rest_error_type(&err), "not_allowed_in_current_state");
}

#[tokio::test(start_paused = true)]
async fn validate_tells_the_backup_from_another_simulators_catalog_in_both_flavours() {
    let (a, folder) = backed_up_a().await;
    let b = awaiting_b(&a.sim, Simulator::builder()).await;
    let (status, api) = b
        .post(
            &format!("{RECOVERY}/restore?action=validate"),
            restore_request(&folder, ENCRYPTION),
        )
        .await;
    assert_eq!(status, 200, "{api}");
    assert_eq!(api["applicable"], true);
    assert_eq!(api["boxname"], "vcsa-a.example.com");
    assert_eq!(api["version"], "8.0.2.00100");
    assert_eq!(api["comment"], "nightly");
    assert_eq!(api["parts"], json!(["common", "seat"]));
    assert_eq!(api["sso_login_required"], true);
    assert_eq!(api["messages"], json!([]));
    let (status, rest) = b
        .post(
            &format!("{REST_RECOVERY}/restore/validate"),
            json!({"piece": restore_request(&folder, ENCRYPTION)}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(rest["value"], api);
}

#[tokio::test(start_paused = true)]
async fn each_refusal_has_its_own_answer() {
    let (a, folder) = backed_up_a().await;
    // An appliance older than the backup.
    let old = awaiting_b(&a.sim, Simulator::builder().version("8.0.1.00000")).await;
    let (status, meta) = old
        .post(
            &format!("{RECOVERY}/restore?action=validate"),
            restore_request(&folder, ENCRYPTION),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(meta["applicable"], false);
    assert!(error_text(&meta).contains("newer than this appliance's version 8.0.1.00000"));
    let (status, job) = old
        .post(
            &format!("{RECOVERY}/restore/job"),
            restore_request(&folder, ENCRYPTION),
        )
        .await;
    assert_eq!(status, 201, "the job starts, and fails at once");
    assert_eq!(job["state"], "FAILED");
    assert!(error_text(&job).contains("newer than"));
    assert_eq!(restore_status(&old).await["state"], "FAILED");
    assert!(old.sim.control().state().recovery.awaiting_restore);

    let b = awaiting_b(&a.sim, Simulator::builder()).await;
    let missing = folder.replace(
        "M_8.0.2.00100_20260518-020000_",
        "M_8.0.2.00100_20990101-000000_",
    );
    let cases = [
        (
            restore_request(&missing, ENCRYPTION),
            "No backup was found at",
        ),
        (
            restore_request(&folder, "Wrong!Pass1"),
            "the encryption password is missing or wrong",
        ),
        (
            restore_request("sftp://nas.example.com/vcsa", ENCRYPTION),
            "No backup was found at",
        ),
    ];
    for (request, words) in cases {
        for path in ["/restore?action=validate", "/restore/job"] {
            let (status, err) = b.post(&format!("{RECOVERY}{path}"), request.clone()).await;
            assert_eq!(status, 400, "{path}: {err}");
            assert_eq!(api_error_type(&err), "INVALID_ARGUMENT");
            assert!(error_text(&err).contains(words), "{path}: {err}");
        }
    }
    // The location comes back whole, without a password in its URL.
    let with_password = missing.replace("sftp://", "sftp://backup:Secr3t!pw@");
    let (_, err) = b
        .post(
            &format!("{RECOVERY}/restore?action=validate"),
            restore_request(&with_password, ENCRYPTION),
        )
        .await;
    let text = error_text(&err);
    assert!(text.contains("sftp://backup@nas.example.com/vcsa/vCenter/sn_vcsa-a.example.com/M_8.0.2.00100_20990101-000000_"), "{text}");
    assert!(!text.contains("Secr3t"), "{text}");
    let mut no_sso = restore_request(&folder, ENCRYPTION);
    no_sso
        .as_object_mut()
        .unwrap()
        .remove("sso_admin_user_password");
    let (status, err) = b.post(&format!("{RECOVERY}/restore/job"), no_sso).await;
    assert_eq!(status, 400);
    assert!(error_text(&err).contains("SSO administrator"), "{err}");
    assert_eq!(b.sim.control().state().recovery.restores_started, 0);
}

/// Whether a call gets no answer at all (the connection closes).
async fn unanswered(h: &Harness) -> bool {
    h.req(Method::GET, &format!("{RECOVERY}/restore/job"))
        .send()
        .await
        .is_err()
}

#[tokio::test(start_paused = true)]
async fn a_restore_runs_in_phases_through_its_outage_and_makes_the_backed_up_appliance() {
    let (a, folder) = backed_up_a().await;
    let mut b = awaiting_b(&a.sim, Simulator::builder().restore_timing(timing())).await;
    let (status, job) = b
        .post(
            &format!("{RECOVERY}/restore/job"),
            restore_request(&folder, ENCRYPTION),
        )
        .await;
    assert_eq!(status, 201, "{job}");
    assert_eq!(job["state"], "INPROGRESS");
    assert_eq!(job["progress"], 0);
    // Never two restores.
    let (status, err) = b
        .post(
            &format!("{RECOVERY}/restore/job"),
            restore_request(&folder, ENCRYPTION),
        )
        .await;
    assert_eq!((status, api_error_type(&err)), (400, "FEATURE_IN_USE"));

    tokio::time::advance(s(5)).await;
    let half_way = restore_status(&b).await;
    assert_eq!(half_way["progress"], 25);
    assert!(error_text(&half_way).contains("configuration files"));

    // The outage: no answer, then sessions refused, then 503.
    tokio::time::advance(s(5)).await;
    assert!(unanswered(&b).await);
    assert_eq!(
        b.sim.control().state().recovery.outage.as_deref(),
        Some("no_answer")
    );
    tokio::time::advance(s(10)).await;
    let (status, _) = b.get(&format!("{RECOVERY}/restore/job")).await;
    assert_eq!(status, 401, "the session ended with the services");
    let token = login(&b.http, b.sim.url(), DEFAULT_RESTORE_USER).await;
    let (status, _) = send(
        b.http
            .get(b.url(&format!("{RECOVERY}/restore/job")))
            .header(SESSION_HEADER, &token),
    )
    .await;
    assert_eq!(status, 401, "a new session ends at once");
    tokio::time::advance(s(10)).await;
    let (status, err) = send(
        b.http
            .post(b.url("/api/session"))
            .basic_auth(DEFAULT_RESTORE_USER, Some(DEFAULT_PASSWORD)),
    )
    .await;
    assert_eq!((status, api_error_type(&err)), (503, "SERVICE_UNAVAILABLE"));

    // After the outage: the second half, then success.
    tokio::time::advance(s(10)).await;
    b.token = login(&b.http, b.sim.url(), DEFAULT_RESTORE_USER).await;
    let after = restore_status(&b).await;
    assert_eq!(after["state"], "INPROGRESS");
    assert_eq!(after["progress"], 50);
    tokio::time::advance(s(10)).await;
    let done = restore_status(&b).await;
    assert_eq!(done["state"], "SUCCEEDED");
    assert_eq!(done["progress"], 100);

    let state = b.sim.control().state();
    assert_eq!(state.recovery.restores_started, 1);
    assert!(!state.recovery.awaiting_restore);
    assert_eq!(state.recovery.outage, None);
    assert_eq!(
        (
            state.recovery.unanswered,
            state.recovery.sessions_refused,
            state.recovery.unavailable
        ),
        (1, 3, 1)
    );
    assert_eq!(state.schedules, ["default", "weekly"], "A's schedules");
    // Its history holds the backup it was restored from.
    let (_, ids) = b.get(&format!("{API}/job")).await;
    let restored_from = ids[0].as_str().unwrap().to_string();
    assert_eq!(ids.as_array().unwrap().len(), 1);
    let (_, job) = b.get(&format!("{API}/job/{restored_from}")).await;
    assert_eq!(job["state"], "SUCCEEDED");
    let (_, details) = b
        .get(&format!("{API}/job/details?jobs={restored_from}"))
        .await;
    assert_eq!(details[&restored_from]["location"], folder.as_str());
    // A normal appliance now, with A's system name and version: a backup goes to its folder.
    let (status, run) = b
        .post(&format!("{API}/schedules/default?action=run"), json!({}))
        .await;
    assert_eq!(status, 200, "{run}");
    let id = run["id"].as_str().unwrap();
    let (_, details) = b.get(&format!("{API}/job/details?jobs={id}")).await;
    let location = details[id]["location"].as_str().unwrap();
    assert!(
        location.contains("/vCenter/sn_vcsa-a.example.com/S_8.0.2.00100_"),
        "{location}"
    );
    // And it refuses another restore.
    let (status, err) = b
        .post(
            &format!("{RECOVERY}/restore/job"),
            restore_request(&folder, ENCRYPTION),
        )
        .await;
    assert_eq!(
        (status, api_error_type(&err)),
        (400, "NOT_ALLOWED_IN_CURRENT_STATE")
    );
}

#[tokio::test(start_paused = true)]
async fn cancel_answers_a_result_and_works_only_before_the_outage() {
    let (a, folder) = backed_up_a().await;
    let mut b = awaiting_b(&a.sim, Simulator::builder().restore_timing(timing())).await;
    let cancel = format!("{RECOVERY}/restore/job?action=cancel");
    let (status, none) = b.post(&cancel, json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(none["status"], "FAIL");
    assert!(error_text(&none).contains("No restore is running"));

    b.post(
        &format!("{RECOVERY}/restore/job"),
        restore_request(&folder, ENCRYPTION),
    )
    .await;
    tokio::time::advance(s(2)).await;
    let (status, ok) = b
        .post(&format!("{REST_RECOVERY}/restore/job/cancel"), json!({}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(ok["value"]["status"], "OK");
    let status = restore_status(&b).await;
    assert_eq!(status["state"], "FAILED");
    assert_eq!(status["progress"], 10);
    assert!(b.sim.control().state().recovery.awaiting_restore);

    // Once the services have gone down it is too late.
    b.post(
        &format!("{RECOVERY}/restore/job"),
        restore_request(&folder, ENCRYPTION),
    )
    .await;
    tokio::time::advance(s(41)).await;
    b.token = login(&b.http, b.sim.url(), DEFAULT_RESTORE_USER).await;
    let (_, late) = b.post(&cancel, json!({})).await;
    assert_eq!(late["status"], "FAIL");
    assert!(error_text(&late).contains("can no longer be canceled"));
    assert_eq!(b.sim.control().state().recovery.restores_started, 2);
}

#[tokio::test(start_paused = true)]
async fn reconciliation_jobs_run_on_a_restored_appliance() {
    let (a, folder) = backed_up_a().await;
    let quick = RestoreTiming {
        duration: s(2),
        no_answer: Duration::ZERO,
        sessions_refused: Duration::ZERO,
        unavailable: Duration::ZERO,
    };
    let mut b = awaiting_b(
        &a.sim,
        Simulator::builder()
            .restore_timing(quick)
            .reconciliation_timing(ReconciliationTiming {
                duration: s(10),
                kept: s(30),
            }),
    )
    .await;
    let spec = json!({"sso_admin_user_name": SSO_USER, "sso_admin_user_password": "Sso!Pass1"});
    let job = format!("{RECOVERY}/reconciliation/job");
    let (status, err) = b.post(&job, spec.clone()).await;
    assert_eq!(
        (status, api_error_type(&err)),
        (400, "NOT_ALLOWED_IN_CURRENT_STATE")
    );

    b.post(
        &format!("{RECOVERY}/restore/job"),
        restore_request(&folder, ENCRYPTION),
    )
    .await;
    tokio::time::advance(s(2)).await;
    b.token = login(&b.http, b.sim.url(), DEFAULT_RESTORE_USER).await;
    assert_eq!(restore_status(&b).await["state"], "SUCCEEDED");

    let (status, err) = b.get(&job).await;
    assert_eq!(
        (status, api_error_type(&err)),
        (404, "NOT_FOUND"),
        "none yet"
    );
    let (status, err) = b.post(&job, json!({})).await;
    assert_eq!(status, 400, "the SSO administrator is needed: {err}");
    let (status, started) = b.post(&job, spec.clone()).await;
    assert_eq!(status, 201, "{started}");
    assert_eq!(started["status"], "RUNNING");
    let (status, again) = b
        .post(
            &format!("{REST_RECOVERY}/reconciliation/job"),
            json!({"spec": spec}),
        )
        .await;
    assert_eq!((status, rest_error_type(&again)), (400, "feature_in_use"));
    tokio::time::advance(s(5)).await;
    let (_, running) = b.get(&format!("{REST_RECOVERY}/reconciliation/job")).await;
    assert_eq!(running["value"]["progress"], 50);
    tokio::time::advance(s(5)).await;
    let (_, done) = b.get(&job).await;
    assert_eq!(done["status"], "SUCCEEDED");
    assert_eq!(done["progress"], 100);
    assert!(done["end_time"].is_string());
    tokio::time::advance(s(30)).await;
    assert_eq!(
        b.get(&job).await.0,
        404,
        "gone once it has ended a while ago"
    );
    assert_eq!(b.sim.control().state().recovery.reconciliations_started, 1);
}

#[tokio::test]
async fn the_catalog_goes_from_one_simulator_to_another_over_the_admin_endpoint() {
    let (a, folder) = backed_up_a().await;
    let (status, export) = send(a.http.get(a.url(&format!("{ADMIN_PREFIX}/catalog")))).await;
    assert_eq!(status, 200);
    let text = export.to_string();
    assert!(
        text.contains("vcsa-a.example.com") && text.contains("weekly"),
        "{text}"
    );
    assert!(!text.contains(ENCRYPTION), "never the password in clear");

    let b = start_without_login(Simulator::builder().awaiting_restore(true)).await;
    let (status, state) = send(
        b.http
            .post(b.url(&format!("{ADMIN_PREFIX}/catalog")))
            .json(&export),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(state["archives"], 1);
    let (status, err) = send(
        b.http
            .post(b.url(&format!("{ADMIN_PREFIX}/catalog")))
            .json(&json!({"archives": "none"})),
    )
    .await;
    assert_eq!(status, 400);
    assert!(err["error"].as_str().unwrap().contains("invalid"));

    // Fetched from its URL, over HTTPS too.
    let https_a = Simulator::builder().start().await.unwrap();
    https_a
        .control()
        .import_catalog(&CatalogExport::from_json(&text).unwrap());
    for url in [a.sim.url(), https_a.url()] {
        let fetched = CatalogExport::fetch(url).await.unwrap();
        assert_eq!(fetched.len(), 1, "{url}");
        let c = awaiting_b(&a.sim, Simulator::builder().import_catalog(fetched)).await;
        let (status, meta) = c
            .post(
                &format!("{RECOVERY}/restore?action=validate"),
                restore_request(&folder, ENCRYPTION),
            )
            .await;
        assert_eq!((status, meta["applicable"].clone()), (200, json!(true)));
    }
    let refused = CatalogExport::fetch("https://192.0.2.1:443")
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("only a simulator on this machine")
    );
}
