//! Fleets against simulated appliances: backups started together within a window, lists, each appliance's failure isolated, an account refused twice in a row not tried again.

use std::time::Duration;

use vcsa_backup::fleet::{Appliance, ApplianceFailure, BackupPlan, Fleet, GroupLimit};
use vcsa_backup::health::{HealthPolicy, Verdict};
use vcsa_backup::{BackupRequest, Client, Error, Secret};
use vcsa_backup_sim::{
    DEFAULT_PASSWORD, DEFAULT_USER, JobFailure, LostAnswer, LostOperation, RunningFleet, Simulator,
};

/// A password no simulated appliance takes.
const BAD: &str = "Not-the-Pa55word";

/// One appliance per simulator, in groups of `group_size` (none when zero); `edit` can change
/// each.
fn inventory(
    sims: &RunningFleet,
    group_size: usize,
    edit: impl Fn(usize, Appliance) -> Appliance,
) -> Vec<Appliance> {
    sims.appliances()
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut appliance = Appliance::new(
                a.name(),
                a.url(),
                DEFAULT_USER,
                Secret::new(DEFAULT_PASSWORD),
            );
            if let Some(group) = i.checked_div(group_size) {
                appliance = appliance.group(format!("g{}", group + 1));
            }
            edit(i, appliance)
        })
        .collect()
}

/// The fleet of `appliances`, which are valid.
fn fleet(appliances: Vec<Appliance>) -> Fleet {
    Fleet::new(appliances).expect("a valid fleet")
}

/// `appliance` logging in with `password` instead.
fn with_password(appliance: &Appliance, password: &str) -> Appliance {
    let changed = Appliance::new(
        appliance.name(),
        appliance.server(),
        DEFAULT_USER,
        Secret::new(password),
    );
    match appliance.group_name() {
        Some(group) => changed.group(group),
        None => changed,
    }
}

async fn sims(count: usize, history: usize) -> RunningFleet {
    Simulator::fleet(count)
        .template(
            Simulator::builder()
                .tls(false)
                .history(history)
                .job_duration(Duration::from_secs(600)),
        )
        .start()
        .await
        .expect("the simulators start")
}

fn client(url: &str) -> Client {
    Client::builder(url)
        .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
        .build()
        .unwrap()
}

/// Starts a manual backup on the appliance at `url`, so that it is busy when the fleet comes.
async fn make_busy(url: &str) {
    let busy = client(url);
    let request = BackupRequest::builder()
        .location("sftp://backup.example.com/vcsa/manual")
        .location_credentials("backup", Secret::new("s3cret"))
        .build()
        .unwrap();
    busy.start_backup(&request).await.unwrap();
    busy.logout().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn fifty_appliances_start_within_the_window_or_say_why_not() {
    let mut sims = sims(50, 2).await;
    let before: Vec<usize> = sims
        .appliances()
        .iter()
        .map(|a| a.control().state().jobs)
        .collect();

    // vcsa-003 is already running a backup.
    make_busy(sims.appliances()[2].url()).await;
    // vcsa-011 is briefly unavailable when the fleet comes: it answers 503 to the first call
    // and to the log in; the log in is tried again, and its backup starts in the window.
    sims.appliances()[10].control().fail_next(2);
    // vcsa-012 loses the answer to its start (a proxy's 502): the appliance's jobs show the
    // backup started, and it is not started again.
    sims.appliances()[11].control().lose_answers(
        LostOperation::RunSchedule,
        LostAnswer::BadGateway,
        1,
    );
    // vcsa-024 answers slowly: 45 s a call, beyond the 30 s window.
    sims.appliances()[23]
        .control()
        .set_response_delay(Duration::from_secs(45));
    // vcsa-040's schedule does not exist.
    // vcsa-017, vcsa-018 and vcsa-019 share a wrong password: two refusals in a row, and the
    // third is not tried.
    // vcsa-031 is switched off.
    sims.stop("vcsa-031").await;
    let inventory = inventory(&sims, 5, |_, a| match a.name() {
        "vcsa-017" | "vcsa-018" | "vcsa-019" => with_password(&a, BAD),
        "vcsa-041" => a.schedule("nightly"),
        _ => a,
    });
    assert_eq!(inventory.len(), 49);

    let window = Duration::from_secs(30);
    // Asking whether it answers and logging in take 45 s each on vcsa-024.
    let fleet = fleet(inventory)
        .jobs(10)
        .time_limit(Duration::from_secs(120));
    let plan = BackupPlan::schedules().window(window).comment("fleet test");
    let started = fleet.backup(&plan).await.unwrap();

    assert_eq!(started.groups.len(), 10);
    // Which two of the three sharing the wrong password tried it depends on which answered
    // first; the third was not tried.
    let refused: Vec<&str> = started
        .groups
        .iter()
        .flat_map(|g| &g.members)
        .filter(|m| {
            matches!(
                m.outcome,
                Err(ApplianceFailure::Error(Error::NotAuthenticated { .. }))
            )
        })
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    let mut seen = Vec::new();
    for group in &started.groups {
        for member in &group.members {
            seen.push(member.name.clone());
            let expectation = match member.name.as_str() {
                "vcsa-003" => "busy",
                name if refused.contains(&name) => "refused",
                "vcsa-017" | "vcsa-018" | "vcsa-019" => "not tried",
                "vcsa-024" => "late",
                "vcsa-041" => "no schedule",
                _ => "in window",
            };
            match (&member.outcome, expectation) {
                (Ok(s), "in window") => assert!(s.in_window, "{}: {s:?}", member.name),
                (Ok(s), "late") => {
                    assert!(!s.in_window);
                    assert!(s.accepted_after >= Duration::from_secs(45), "{s:?}");
                }
                (Err(ApplianceFailure::Error(Error::BackupInProgress(_))), "busy") => {}
                (Err(ApplianceFailure::Error(Error::NotAuthenticated { .. })), "refused") => {}
                (Err(ApplianceFailure::AccountRefused { refused_by, .. }), "not tried") => {
                    assert_eq!(refused_by, &refused)
                }
                (Err(ApplianceFailure::Error(Error::NotFound(_))), "no schedule") => {}
                (outcome, expected) => {
                    panic!("{}: expected {expected}, got {outcome:?}", member.name)
                }
            }
        }
    }
    seen.sort();
    let mut expected: Vec<String> = sims
        .appliances()
        .iter()
        .map(|a| a.name().to_string())
        .collect();
    expected.sort();
    assert_eq!(seen, expected, "every appliance is reported once");

    // The group of vcsa-024 did not make it; the others in its group started anyway.
    let late_group = started
        .groups
        .iter()
        .find(|g| g.group.as_deref() == Some("g5"))
        .unwrap();
    assert!(!late_group.all_in_window());
    assert!(
        started
            .groups
            .iter()
            .find(|g| g.group.as_deref() == Some("g2"))
            .unwrap()
            .all_in_window()
    );

    // Never two backups on one appliance (vcsa-012's lost answer included); the one not tried
    // was asked whether it answers, and nothing else.
    for a in sims.appliances() {
        let index: usize = a.name()["vcsa-".len()..].parse::<usize>().unwrap() - 1;
        let jobs = a.control().state().jobs;
        let expected = match a.name() {
            "vcsa-003" => before[index] + 1, // its own manual backup only
            "vcsa-017" | "vcsa-018" | "vcsa-019" | "vcsa-041" => before[index],
            _ => before[index] + 1,
        };
        assert_eq!(jobs, expected, "{}", a.name());
    }
    let not_tried = ["vcsa-017", "vcsa-018", "vcsa-019"]
        .into_iter()
        .find(|n| !refused.contains(n))
        .unwrap();
    let state = sims.get(not_tried).unwrap().control().state();
    assert_eq!((state.requests, state.logins), (1, 0), "{not_tried}");
}

#[tokio::test]
async fn a_group_larger_than_the_concurrency_starts_nothing() {
    let sims = sims(4, 0).await;
    let fleet = fleet(inventory(&sims, 3, |_, a| a)).jobs(2);
    let error = fleet.backup(&BackupPlan::schedules()).await.unwrap_err();
    assert_eq!(
        (error.group.as_str(), error.members, error.limit),
        ("g1", 3, GroupLimit::Jobs(2))
    );
    assert!(error.to_string().contains("nothing was started"), "{error}");
    // Nor when it may not all run at once.
    let plan = BackupPlan::schedules().max_running(2);
    let error = fleet.jobs(8).backup(&plan).await.unwrap_err();
    assert_eq!(error.limit, GroupLimit::MaxRunning(2));
    assert!(
        error
            .to_string()
            .contains("more than the 2 backups allowed to run at once"),
        "{error}"
    );
    for a in sims.appliances() {
        assert_eq!(a.control().state().jobs, 0, "{}", a.name());
        assert_eq!(a.control().state().live_sessions, 0, "{}", a.name());
    }
}

#[tokio::test]
async fn fleet_list_shows_each_newest_job() {
    let sims = sims(3, 2).await;
    let results = fleet(inventory(&sims, 0, |_, a| a)).list().await;
    assert_eq!(results.len(), 3);
    for (r, a) in results.iter().zip(sims.appliances()) {
        let state = r.outcome.as_ref().unwrap();
        assert_eq!(state.jobs, 2);
        assert_eq!(
            state.newest_job.as_ref().unwrap().id.as_str(),
            a.control().job_ids()[0]
        );
    }
}

/// Appliances given as clients the caller built are read like the others, each through its
/// own client.
#[tokio::test]
async fn a_fleet_of_ready_clients_lists_each_newest_job() {
    let sims = sims(2, 1).await;
    let appliances = sims
        .appliances()
        .iter()
        .map(|a| Appliance::with_client(a.name(), client(a.url())))
        .collect();
    let results = fleet(appliances).list().await;
    assert_eq!(results.len(), 2);
    for (r, a) in results.iter().zip(sims.appliances()) {
        assert_eq!(r.name, a.name());
        let state = r.outcome.as_ref().unwrap();
        assert_eq!(
            state.newest_job.as_ref().unwrap().id.as_str(),
            a.control().job_ids()[0]
        );
    }
}

/// A server that answers every request with a page that is not the appliance's API.
async fn garbage_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf).await;
                let body = "<html>Welcome</html>";
                let _ = stream
                    .write_all(format!(
                        "HTTP/1.1 201 Created\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    ).as_bytes())
                    .await;
            });
        }
    });
    url
}

#[tokio::test]
async fn fleet_check_isolates_each_appliance() {
    let sims = Simulator::fleet(4)
        .template(Simulator::builder().tls(false).job_duration(Duration::ZERO))
        .each(|i, a| a.history(if i == 1 { 0 } else { 3 }))
        .start()
        .await
        .unwrap();
    // vcsa-003's newest backup fails.
    sims.appliances()[2]
        .control()
        .fail_next_job(JobFailure::at(10, "The backup server is full."));
    let direct = client(sims.appliances()[2].url());
    direct.run_schedule("default", None).await.unwrap();
    direct.logout().await.unwrap();
    let garbage = garbage_server().await;
    let mut inventory = inventory(&sims, 0, |_, a| a);
    inventory.push(Appliance::new(
        "garbage",
        garbage,
        DEFAULT_USER,
        Secret::new(DEFAULT_PASSWORD),
    ));
    let policy = HealthPolicy::default().no_enabled_schedule_is_warning(false);
    let results = fleet(inventory).jobs(3).check(&policy).await;
    let verdicts: Vec<(String, Option<Verdict>)> = results
        .iter()
        .map(|r| {
            (
                r.name.clone(),
                r.outcome.as_ref().ok().map(|report| report.verdict),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("vcsa-001".to_string(), Some(Verdict::Ok)),
            ("vcsa-002".to_string(), Some(Verdict::Critical)),
            ("vcsa-003".to_string(), Some(Verdict::Critical)),
            ("vcsa-004".to_string(), Some(Verdict::Ok)),
            ("garbage".to_string(), None),
        ]
    );
    let failing = results[2].outcome.as_ref().unwrap();
    assert!(
        failing.summary().contains("The backup server is full"),
        "{}",
        failing.summary()
    );
    let garbage = results[4].outcome.as_ref().unwrap_err();
    assert!(
        matches!(
            garbage,
            ApplianceFailure::Error(Error::MalformedResponse { .. })
        ),
        "{garbage:?}"
    );
    for a in sims.appliances() {
        assert_eq!(
            a.control().state().live_sessions,
            0,
            "{}: logged out",
            a.name()
        );
    }
}

#[tokio::test(start_paused = true)]
async fn following_a_fleet_reports_every_backup_to_its_end_each_on_its_own() {
    use futures_util::StreamExt;
    use std::collections::BTreeMap;
    use vcsa_backup::JobState;
    use vcsa_backup::fleet::FollowEvent;
    use vcsa_backup::wait::{WaitError, WaitOptions};

    let mut sims = sims(6, 1).await;
    // vcsa-002's backup fails at 40%.
    sims.appliances()[1]
        .control()
        .fail_next_job(JobFailure::at(40, "The backup server is full."));
    // vcsa-006 is already busy: its start is refused, so there is nothing to follow.
    make_busy(sims.appliances()[5].url()).await;

    let fleet = fleet(inventory(&sims, 0, |_, a| a)).jobs(3);
    let logins_before: BTreeMap<String, u64> = sims
        .appliances()
        .iter()
        .map(|a| (a.name().to_string(), a.control().state().logins))
        .collect();

    let mut updates = fleet
        .backup_and_follow(&BackupPlan::schedules(), &WaitOptions::default())
        .unwrap();
    let mut started = BTreeMap::new();
    let mut progress: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut ended = BTreeMap::new();
    let mut faults_injected = false;
    while let Some(update) = updates.next().await {
        assert!(
            !ended.contains_key(&update.name),
            "{}: an update after its end",
            update.name
        );
        match update.event {
            FollowEvent::Started(outcome) => {
                assert!(
                    started
                        .insert(update.name.clone(), outcome.is_ok())
                        .is_none(),
                    "{}: started once",
                    update.name
                );
            }
            FollowEvent::Progress(status) => {
                assert!(
                    started[&update.name],
                    "{}: progress after its start",
                    update.name
                );
                assert_eq!(Some(status.id), update.job);
                progress
                    .entry(update.name.clone())
                    .or_default()
                    .push(status.progress.value());
                // Once everything started and runs: vcsa-003 goes unavailable for two minutes
                // (ridden out), vcsa-004 is switched off for good.
                if !faults_injected && started.len() == 6 && progress.len() >= 3 {
                    faults_injected = true;
                    sims.get("vcsa-003")
                        .unwrap()
                        .control()
                        .unavailable_for(Duration::from_secs(120));
                    assert!(sims.stop("vcsa-004").await);
                }
            }
            FollowEvent::Ended(outcome) => {
                ended.insert(update.name.clone(), outcome);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(faults_injected);

    let names: Vec<&str> = ended.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["vcsa-001", "vcsa-002", "vcsa-003", "vcsa-004", "vcsa-005"],
        "one end per started backup, none for the busy appliance"
    );
    for (name, outcome) in &ended {
        match (name.as_str(), outcome) {
            ("vcsa-001" | "vcsa-003" | "vcsa-005", Ok(job)) => {
                assert!(job.succeeded(), "{name}: {job:?}");
                assert_eq!(job.status.progress.value(), 100);
                let details = job.details.as_ref().expect("the details at the end");
                assert!(details.size_bytes.is_some(), "{name}: {details:?}");
            }
            ("vcsa-002", Ok(job)) => {
                assert_eq!(job.status.state, JobState::Failed);
                let text: Vec<String> = job.status.messages.iter().map(|m| m.to_string()).collect();
                assert!(
                    text.iter().any(|m| m.contains("The backup server is full")),
                    "{text:?}"
                );
            }
            ("vcsa-004", Err(ApplianceFailure::Wait(error))) => {
                assert!(matches!(**error, WaitError::ReadFailed(_)), "{error:?}");
            }
            (name, outcome) => panic!("{name}: unexpected {outcome:?}"),
        }
    }
    // Progress only moves forward.
    for (name, seen) in &progress {
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{name}: {seen:?}");
    }
    assert_eq!(started.len(), 6, "every appliance's start is reported");
    assert!(!started["vcsa-006"], "busy");
    // One session each, the start's, for following too (vcsa-003's outage did not end it),
    // given back at the end; nothing started twice.
    assert!(sims.get("vcsa-004").is_none(), "switched off");
    for a in sims.appliances() {
        let state = a.control().state();
        assert_eq!(state.logins, logins_before[a.name()] + 1, "{}", a.name());
        assert_eq!(state.live_sessions, 0, "{}: logged out", a.name());
        assert_eq!(state.jobs, 2, "{}: one new backup", a.name());
    }
}

/// `count` appliances; those in `other` accept another password than the rest.
async fn sims_with_other_password(count: usize, other: &'static [usize]) -> RunningFleet {
    Simulator::fleet(count)
        .template(Simulator::builder().tls(false).history(1))
        .each(move |i, a| {
            if other.contains(&i) {
                a.password("Another-D0main-Pa55")
            } else {
                a
            }
        })
        .start()
        .await
        .expect("the simulators start")
}

/// The requests each appliance received, in the inventory's order.
fn requests(sims: &RunningFleet) -> Vec<u64> {
    sims.appliances()
        .iter()
        .map(|a| a.control().state().requests)
        .collect()
}

fn is_refused_log_in(outcome: &Result<impl std::fmt::Debug, ApplianceFailure>) -> bool {
    matches!(
        outcome,
        Err(ApplianceFailure::Error(Error::NotAuthenticated { .. }))
    )
}

#[tokio::test]
async fn one_appliance_refusing_the_shared_account_does_not_stop_the_others() {
    // vcsa-001 is in another SSO domain: it refuses the password every other appliance takes.
    let sims = sims_with_other_password(5, &[0]).await;
    let results = fleet(inventory(&sims, 0, |_, a| a)).jobs(5).list().await;
    assert!(is_refused_log_in(&results[0].outcome), "{results:?}");
    for r in &results[1..] {
        assert_eq!(r.outcome.as_ref().unwrap().jobs, 1, "{}", r.name);
    }
    // One refused log in reached vcsa-001 (after the question whether it answers), and
    // nothing else; the others logged in once each.
    let states: Vec<_> = sims
        .appliances()
        .iter()
        .map(|a| a.control().state())
        .collect();
    assert_eq!((states[0].requests, states[0].logins), (2, 0));
    for (a, state) in sims.appliances().iter().zip(&states).skip(1) {
        assert_eq!(state.logins, 1, "{}", a.name());
        assert_eq!(state.live_sessions, 0, "{}: logged out", a.name());
    }
}

#[tokio::test]
async fn an_account_refused_twice_in_a_row_is_not_tried_on_the_others() {
    let sims = sims_with_other_password(5, &[]).await;
    // Every entry has the wrong password: the first two to answer refuse it, one after the
    // other.
    let inventory = inventory(&sims, 0, |_, a| with_password(&a, BAD));
    let results = fleet(inventory).jobs(5).list().await;
    let refused: Vec<&str> = results
        .iter()
        .filter(|r| is_refused_log_in(&r.outcome))
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(refused.len(), 2, "{results:?}");
    for r in results
        .iter()
        .filter(|r| !refused.contains(&r.name.as_str()))
    {
        match &r.outcome {
            Err(failure @ ApplianceFailure::AccountRefused { user, refused_by }) => {
                assert_eq!(user, DEFAULT_USER);
                assert_eq!(refused_by, &refused);
                let text = failure.to_string();
                let said = format!("{} and {} refused the log in", refused[0], refused[1]);
                assert!(text.contains(&said), "{text}");
            }
            other => panic!("{}: expected not tried, got {other:?}", r.name),
        }
    }
    // Two refused attempts in all; the others were only asked whether they answer.
    let mut requests = requests(&sims);
    requests.sort();
    assert_eq!(requests, [1, 1, 1, 2, 2]);
}

#[tokio::test]
async fn a_refusal_after_the_account_was_accepted_is_that_appliances_own() {
    // vcsa-001 accepts the account first; vcsa-002 and vcsa-004 refuse it (their passwords
    // were changed).
    let sims = sims_with_other_password(5, &[1, 3]).await;
    let results = fleet(inventory(&sims, 0, |_, a| a)).jobs(1).list().await;
    for (i, r) in results.iter().enumerate() {
        if i == 1 || i == 3 {
            assert!(is_refused_log_in(&r.outcome), "{}: {:?}", r.name, r.outcome);
        } else {
            assert_eq!(r.outcome.as_ref().unwrap().jobs, 1, "{}", r.name);
        }
    }
    let logins: Vec<u64> = sims
        .appliances()
        .iter()
        .map(|a| a.control().state().logins)
        .collect();
    assert_eq!(logins, [1, 0, 1, 0, 1]);
    // The question whether it answers, then one refused log in.
    assert_eq!(requests(&sims)[1], 2, "one refused log in on vcsa-002");
    assert_eq!(requests(&sims)[3], 2, "one refused log in on vcsa-004");
}

#[tokio::test(start_paused = true)]
async fn closing_a_follow_early_logs_out_and_leaves_the_backups_running() {
    use futures_util::StreamExt;
    use std::collections::BTreeSet;
    use vcsa_backup::fleet::FollowEvent;
    use vcsa_backup::wait::WaitOptions;

    // Jobs of ten minutes, and two running at once: the third waits for a place.
    let sims = sims(3, 0).await;
    let fleet = fleet(inventory(&sims, 0, |_, a| a));
    let plan = BackupPlan::schedules().max_running(2);
    let mut updates = fleet
        .backup_and_follow(&plan, &WaitOptions::default())
        .unwrap();
    let mut seen = BTreeSet::new();
    while seen.len() < 2 {
        let update = updates.next().await.expect("updates until every job ends");
        if matches!(update.event, FollowEvent::Progress(_)) {
            seen.insert(update.name);
        }
    }
    assert_eq!(seen, BTreeSet::from(["vcsa-001".into(), "vcsa-002".into()]));
    let open: usize = sims
        .appliances()
        .iter()
        .map(|a| a.control().state().live_sessions)
        .sum();
    assert_eq!(open, 2, "one session per running backup");
    updates.close().await;
    for a in sims.appliances() {
        let state = a.control().state();
        assert_eq!(state.live_sessions, 0, "{}: logged out", a.name());
        let started = a.name() != "vcsa-003";
        assert_eq!(
            state.running_job.is_some(),
            started,
            "{}: the backup goes on",
            a.name()
        );
        assert_eq!(
            state.jobs,
            usize::from(started),
            "{}: one backup, or none",
            a.name()
        );
    }
}
