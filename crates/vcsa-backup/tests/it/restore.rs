//! Restores and reconciliations against the simulator, on tokio's paused clock: a backup of
//! appliance A restored into appliance B through a 20-minute outage without a second start,
//! progress that never goes back, a start whose answer is lost settled from the restore's
//! status, each refusal as its own error, and the reconciliation after; and what a validate
//! and a start send.

use std::time::Duration;

use serde_json::{Value, json};

use vcsa_backup::wait::{RESTORE_OUTAGE, RecoveryWaitError, WaitOptions};
use vcsa_backup::{
    BackupLocation, BackupRequest, Client, Error, Flavour, JobState, PartId, RESTORE_USER,
    RestoreRequest, RetryAdvice, Secret, TaskState,
};
use vcsa_backup_sim::{
    DEFAULT_PASSWORD, DEFAULT_USER, LostAnswer, LostOperation, ReconciliationTiming, RestoreTiming,
    RunningSimulator, Simulator, SimulatorBuilder,
};

use crate::support;

/// The advice after a transient failure of a read, or of a start known not to have happened.
const AFTER_A_PAUSE: RetryAdvice = RetryAdvice::After(RetryAdvice::TRANSIENT_PAUSE);

const ROOT: &str = "sftp://nas.example.com/vcsa";
const SYSTEM: &str = "vcsa-a.example.com";
const ENCRYPTION: &str = "VMware1!";
const SSO_USER: &str = "administrator@vsphere.local";

fn minutes(n: u64) -> Duration {
    Duration::from_secs(60 * n)
}

fn root() -> BackupLocation {
    BackupLocation::builder()
        .location(ROOT)
        .location_credentials("backup", Secret::new("Secr3t!pw"))
        .build()
        .expect("a valid root")
}

/// Appliance A (8.0.2) after one backup into its layout; the archive's name.
async fn backed_up_a() -> (RunningSimulator, String) {
    let a = Simulator::builder()
        .system_name(SYSTEM)
        .version("8.0.2.00100")
        .job_duration(Duration::ZERO)
        .tls(false)
        .start()
        .await
        .expect("A starts");
    let archive = "M_8.0.2.00100_20260518-020000_";
    let request = BackupRequest::builder()
        .location(format!("{ROOT}/vCenter/sn_{SYSTEM}/{archive}"))
        .location_credentials("backup", Secret::new("Secr3t!pw"))
        .part(PartId::SEAT)
        .backup_password(Secret::new(ENCRYPTION))
        .build()
        .expect("a valid backup");
    let client = Client::builder(a.url())
        .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
        .build()
        .expect("valid settings");
    client.start_backup(&request).await.expect("A backs up");
    (a, archive.to_string())
}

/// Appliance B, awaiting a restore and knowing A's catalog, and a client of it as root.
async fn awaiting_b(
    a: &RunningSimulator,
    builder: SimulatorBuilder,
    flavour: Flavour,
) -> (RunningSimulator, Client) {
    let b = builder
        .awaiting_restore(true)
        .import_catalog(a.control().export_catalog())
        .tls(false)
        .start()
        .await
        .expect("B starts");
    let client = Client::builder(b.url())
        .credentials(RESTORE_USER, Secret::new(DEFAULT_PASSWORD))
        .flavour(flavour)
        .build()
        .expect("valid settings");
    (b, client)
}

fn request(archive: &str, encryption: &str) -> RestoreRequest {
    RestoreRequest::builder()
        .archive(&root(), SYSTEM, archive)
        .backup_password(Secret::new(encryption))
        .sso_admin(SSO_USER, Secret::new("Sso!Pass1"))
        .build()
        .expect("a valid restore request")
}

#[tokio::test(start_paused = true)]
async fn a_restore_rides_out_a_twenty_minute_outage_without_starting_twice() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let (a, archive) = backed_up_a().await;
        let timing = RestoreTiming {
            duration: minutes(10),
            no_answer: minutes(7),
            sessions_refused: minutes(6),
            unavailable: minutes(7),
        };
        assert_eq!(timing.outage(), minutes(20));
        let (b, client) =
            awaiting_b(&a, Simulator::builder().restore_timing(timing), flavour).await;
        let request = request(&archive, ENCRYPTION);

        let check = client.validate_restore(&request).await.expect("validated");
        assert!(check.applicable, "{flavour}: {:?}", check.messages);
        assert_eq!(
            (check.system_name.as_str(), check.version.as_str()),
            (SYSTEM, "8.0.2.00100")
        );
        assert!(check.sso_login_required);

        let started = client.start_restore(&request).await.expect("started");
        assert_eq!(started.state, JobState::InProgress);
        let began = tokio::time::Instant::now();
        let mut seen = Vec::new();
        let done = client
            .wait_for_restore(&WaitOptions::for_restore(RESTORE_OUTAGE), |s| {
                seen.push(s.progress.value())
            })
            .await
            .unwrap_or_else(|e| panic!("{flavour}: the restore ends: {e}"));

        assert_eq!(done.state, JobState::Succeeded, "{flavour}");
        assert!(
            began.elapsed() >= minutes(30),
            "{flavour}: work and outage took their time"
        );
        assert!(
            seen.windows(2).all(|w| w[0] <= w[1]),
            "{flavour}: progress went back: {seen:?}"
        );
        let recovery = b.control().state().recovery;
        assert_eq!(recovery.restores_started, 1, "{flavour}: started once");
        assert!(
            !recovery.awaiting_restore,
            "{flavour}: B is now a configured appliance"
        );
        assert!(
            recovery.unanswered + recovery.sessions_refused + recovery.unavailable > 0,
            "{flavour}: the wait read through the outage: {recovery:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_wait_with_a_shorter_outage_limit_gives_up_during_the_outage() {
    let (a, archive) = backed_up_a().await;
    let timing = RestoreTiming {
        duration: minutes(2),
        no_answer: minutes(20),
        sessions_refused: Duration::ZERO,
        unavailable: Duration::ZERO,
    };
    let (b, client) = awaiting_b(
        &a,
        Simulator::builder().restore_timing(timing),
        Flavour::Api,
    )
    .await;
    client
        .start_restore(&request(&archive, ENCRYPTION))
        .await
        .expect("started");
    let error = client
        .wait_for_restore(&WaitOptions::for_restore(minutes(5)), |_| {})
        .await
        .unwrap_err();
    match error {
        RecoveryWaitError::ReadFailed {
            last: Some(last),
            error,
            ..
        } => {
            assert_eq!(error.retry_advice(), AFTER_A_PAUSE, "{error}");
            assert_eq!(last.state, JobState::InProgress);
        }
        other => panic!("expected a read failure after the outage limit: {other:?}"),
    }
    assert_eq!(b.control().state().recovery.restores_started, 1);
}

/// The answer to a restore's start lost after B carried out the call: a started restore is
/// returned as running, never sent again; a refused one is the original error, safe to retry.
#[tokio::test(start_paused = true)]
async fn a_restore_start_whose_answer_is_lost_is_settled_from_the_restore_status() {
    let steady = RestoreTiming {
        duration: minutes(10),
        no_answer: Duration::ZERO,
        sessions_refused: Duration::ZERO,
        unavailable: Duration::ZERO,
    };
    for flavour in [Flavour::Api, Flavour::Rest] {
        let (a, archive) = backed_up_a().await;
        for lost in [
            LostAnswer::Dropped,
            LostAnswer::BadGateway,
            LostAnswer::ServiceUnavailable,
            LostAnswer::GatewayTimeout,
            LostAnswer::Hang,
        ] {
            let (b, client) =
                awaiting_b(&a, Simulator::builder().restore_timing(steady), flavour).await;
            b.control()
                .lose_answers(LostOperation::StartRestore, lost, 1);
            let started = client
                .start_restore(&request(&archive, ENCRYPTION))
                .await
                .unwrap_or_else(|e| panic!("{flavour} {lost:?}: {e}"));
            assert!(
                b.control().state().faults.lost_answers.is_empty(),
                "{flavour} {lost:?}: the answer was lost"
            );
            assert_eq!(started.state, JobState::InProgress, "{flavour} {lost:?}");
            assert_eq!(
                b.control().state().recovery.restores_started,
                1,
                "{flavour} {lost:?}: started once"
            );

            let (b, client) =
                awaiting_b(&a, Simulator::builder().restore_timing(steady), flavour).await;
            b.control()
                .lose_answers(LostOperation::StartRestore, lost, 1);
            let error = client
                .start_restore(&request(&archive, "Wr0ng-Passw0rd!"))
                .await
                .expect_err("refused, then the refusal was lost");
            assert!(
                matches!(error, Error::Transient { .. }),
                "{flavour} {lost:?}: the original error: {error:?}"
            );
            // Settled from the restore's status: nothing started.
            assert_eq!(error.retry_advice(), AFTER_A_PAUSE);
            assert_eq!(b.control().state().recovery.restores_started, 0);
        }
    }
}

#[tokio::test(start_paused = true)]
async fn each_refusal_is_its_own_error() {
    let (a, archive) = backed_up_a().await;

    // A configured appliance refuses a restore.
    let client = Client::builder(a.url())
        .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
        .build()
        .unwrap();
    let error = client
        .start_restore(&request(&archive, ENCRYPTION))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::NotAllowedInCurrentState(_)),
        "{error:?}"
    );
    assert!(error.to_string().contains("awaits restore"), "{error}");

    let (b, client) = awaiting_b(&a, Simulator::builder(), Flavour::Api).await;
    // A wrong encryption password, and a folder without a backup: refused as invalid.
    let error = client
        .validate_restore(&request(&archive, "Wr0ng-Passw0rd!"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(!error.to_string().contains("Wr0ng-Passw0rd!"), "{error}");
    let error = client
        .validate_restore(&request("M_8.0.2.00100_20200101-000000_", ENCRYPTION))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert_eq!(b.control().state().recovery.restores_started, 0);

    // A backup newer than the appliance: validation says it does not apply, and why.
    let (old, client) = awaiting_b(
        &a,
        Simulator::builder().version("8.0.1.00000"),
        Flavour::Api,
    )
    .await;
    let check = client
        .validate_restore(&request(&archive, ENCRYPTION))
        .await
        .unwrap();
    assert!(!check.applicable);
    assert!(
        check.messages.iter().any(|m| m.text.contains("newer")),
        "{:?}",
        check.messages
    );
    assert_eq!(old.control().state().recovery.restores_started, 0);
}

/// A reconciliation on a restored B, kept in view `kept` after its end: it ends the wait either
/// way, with SUCCEEDED when the wait saw it, with the last status read when the appliance had
/// already stopped showing it (404).
#[tokio::test(start_paused = true)]
async fn a_reconciliation_is_followed_to_its_end_even_when_it_vanishes() {
    for (kept, seen_end) in [(minutes(60), true), (Duration::ZERO, false)] {
        let (a, archive) = backed_up_a().await;
        let quick = RestoreTiming {
            duration: Duration::from_secs(2),
            no_answer: Duration::ZERO,
            sessions_refused: Duration::ZERO,
            unavailable: Duration::ZERO,
        };
        let timing = ReconciliationTiming {
            duration: minutes(3),
            kept,
        };
        let builder = Simulator::builder()
            .restore_timing(quick)
            .reconciliation_timing(timing);
        let (b, client) = awaiting_b(&a, builder, Flavour::Api).await;
        client
            .start_restore(&request(&archive, ENCRYPTION))
            .await
            .unwrap();
        client
            .wait_for_restore(&WaitOptions::for_restore(RESTORE_OUTAGE), |_| {})
            .await
            .unwrap();

        assert_eq!(
            client.reconciliation_status().await.unwrap(),
            None,
            "none yet"
        );
        let sso = Secret::new("Sso!Pass1");
        let started = client
            .start_reconciliation(Some((SSO_USER, &sso)), false)
            .await
            .unwrap();
        assert_eq!(started.state, TaskState::Running);
        let mut reads = 0;
        let done = client
            .wait_for_reconciliation(&WaitOptions::for_restore(RESTORE_OUTAGE), |_| reads += 1)
            .await
            .unwrap();
        assert!(reads > 1);
        if seen_end {
            assert_eq!(done.state, TaskState::Succeeded);
            assert_eq!(done.progress.value(), 100);
        } else {
            assert_eq!(done.state, TaskState::Running, "the last status read");
        }
        assert_eq!(b.control().state().recovery.reconciliations_started, 1);
    }
}

/// The bodies a validate and a start of `request` send.
async fn sent_restore_bodies(request: &RestoreRequest) -> (Value, Value) {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    const VALIDATE: &str = "/api/appliance/recovery/restore";
    const START: &str = "/api/appliance/recovery/restore/job";
    let server = MockServer::start().await;
    support::mount_login(&server).await;
    let metadata = json!({"applicable": true, "boxname": "a", "comment": "", "messages": [],
        "parts": ["common"], "timestamp": "2025-01-02T10:15:01Z", "version": "8.0"});
    let status = json!({"messages": [], "progress": 0, "state": "INPROGRESS"});
    for (at, code, answer) in [(VALIDATE, 200, metadata), (START, 201, status)] {
        Mock::given(method("POST"))
            .and(path(at))
            .respond_with(ResponseTemplate::new(code).set_body_json(answer))
            .mount(&server)
            .await;
    }
    let client = support::client(&server, Flavour::Api);
    client.validate_restore(request).await.unwrap();
    client.start_restore(request).await.unwrap();
    let sent = server.received_requests().await.unwrap_or_default();
    let body = |at| {
        let request = sent.iter().find(|r| r.url.path() == at).unwrap();
        serde_json::from_slice::<Value>(&request.body).unwrap()
    };
    (body(VALIDATE), body(START))
}

#[tokio::test]
async fn warnings_are_ignored_only_on_a_start_that_asks() {
    let request = RestoreRequest::builder()
        .location("sftp://nas.example.com/b/vCenter/sn_a/S_8.0_20250102-101501_")
        .location_credentials("backup", Secret::new("Loc-Pa55!"))
        .sso_admin("administrator@vsphere.local", Secret::new("Sso-Pa55!"))
        .ignore_warnings()
        .build()
        .unwrap();
    let (validate, start) = sent_restore_bodies(&request).await;
    assert_eq!(validate.get("ignore_warnings"), None);
    assert_eq!(start["ignore_warnings"], true);
    assert_eq!(start["sso_admin_user_password"], "Sso-Pa55!");
    assert_eq!(start["location_password"], "Loc-Pa55!");
}
