//! Fleets through outages and at scale: appliances that never answer hold nobody up, a fleet
//! deadline ends a check, at most so many backups run at once, manual backups in each
//! appliance's layout.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::time::Instant;
use vcsa_backup::fleet::{Appliance, ApplianceFailure, BackupPlan, Fleet, FollowEvent};
use vcsa_backup::health::HealthPolicy;
use vcsa_backup::wait::WaitOptions;
use vcsa_backup::{BackupLocation, BackupRequest, Error, Secret};
use vcsa_backup_sim::{DEFAULT_PASSWORD, DEFAULT_USER, RunningFleet, Simulator};

/// A loopback address that accepts connections and never answers on them: an appliance whose
/// services hang. The listener runs as long as the test's runtime.
async fn black_hole() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    url
}

/// `count` appliances that never answer, all sharing one account.
async fn hanging(count: usize) -> Vec<Appliance> {
    let mut appliances = Vec::with_capacity(count);
    for i in 0..count {
        appliances.push(Appliance::new(
            format!("hang-{i:03}"),
            black_hole().await,
            DEFAULT_USER,
            DEFAULT_PASSWORD,
        ));
    }
    appliances
}

async fn sims(count: usize, history: usize, job: Duration) -> RunningFleet {
    Simulator::fleet(count)
        .template(
            Simulator::builder()
                .tls(false)
                .history(history)
                .job_duration(job),
        )
        .start()
        .await
        .expect("the simulators start")
}

/// Every simulated appliance, logging in with `password`.
fn inventory(sims: &RunningFleet, password: &str) -> Vec<Appliance> {
    sims.appliances()
        .iter()
        .map(|a| Appliance::new(a.name(), a.url(), DEFAULT_USER, password))
        .collect()
}

#[tokio::test(start_paused = true)]
async fn appliances_that_never_answer_take_their_time_limit_side_by_side() {
    // Ten, eight at a time, 3 s each: two rounds, not ten in a row behind the shared account.
    let fleet = Fleet::new(hanging(10).await)
        .unwrap()
        .deadline(Instant::now() + Duration::from_secs(600));
    let policy = HealthPolicy::default().time_limit(Duration::from_secs(3));
    let began = Instant::now();
    let results = fleet.check(&policy).await;
    let took = began.elapsed();
    assert!(took <= Duration::from_secs(7), "{took:?}");
    for r in &results {
        assert!(
            matches!(r.outcome, Err(ApplianceFailure::TimedOut { .. })),
            "{}: {:?}",
            r.name,
            r.outcome
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_hundred_hanging_appliances_end_in_about_the_rounds_they_take() {
    let fleet = Fleet::new(hanging(100).await).unwrap().jobs(25);
    let policy = HealthPolicy::default().time_limit(Duration::from_secs(5));
    let began = Instant::now();
    let results = fleet.check(&policy).await;
    let took = began.elapsed();
    // ceil(100 / 25) x 5 s.
    assert!(took <= Duration::from_secs(21), "{took:?}");
    assert_eq!(results.len(), 100);
    assert!(results.iter().all(|r| r.outcome.is_err()));
}

#[tokio::test(start_paused = true)]
async fn the_fleet_deadline_ends_a_check_with_the_appliances_not_read() {
    // Twenty that never answer, two at a time, 3 s each: 30 s without the deadline of 10 s.
    let fleet = Fleet::new(hanging(20).await)
        .unwrap()
        .jobs(2)
        .deadline(Instant::now() + Duration::from_secs(10));
    let policy = HealthPolicy::default().time_limit(Duration::from_secs(3));
    let began = Instant::now();
    let results = fleet.check(&policy).await;
    let took = began.elapsed();
    assert!(
        (Duration::from_secs(10)..Duration::from_secs(11)).contains(&took),
        "{took:?}"
    );
    let timed_out = results
        .iter()
        .filter(|r| matches!(r.outcome, Err(ApplianceFailure::TimedOut { .. })))
        .count();
    let not_read: Vec<&str> = results
        .iter()
        .filter(|r| matches!(r.outcome, Err(ApplianceFailure::DeadlinePassed { .. })))
        .map(|r| r.name.as_str())
        .collect();
    // Three rounds of two ended before the deadline; the others were not read.
    assert_eq!(timed_out, 6, "{results:?}");
    assert_eq!(not_read.len(), 14);
    let said = results[19].outcome.as_ref().unwrap_err().to_string();
    assert!(
        said.contains("deadline, 10s after the start, passed"),
        "{said}"
    );
}

#[tokio::test(start_paused = true)]
async fn hanging_refusing_and_good_appliances_mixed_the_good_ones_are_read() {
    // Good ones, others with the same user and a wrong password, and hanging ones, all mixed,
    // the wrong password shared by those refusing.
    let good = sims(6, 1, Duration::from_secs(60)).await;
    let refusing = sims(6, 1, Duration::from_secs(60)).await;
    let mut appliances = Vec::new();
    let hangs = hanging(6).await;
    let wrong = inventory(&refusing, "Not-the-Pa55word");
    for (i, (good, (hang, wrong))) in inventory(&good, DEFAULT_PASSWORD)
        .into_iter()
        .zip(hangs.into_iter().zip(wrong))
        .enumerate()
    {
        appliances.push(hang);
        appliances.push(wrong);
        // Names are unique across the three sets.
        let name = format!("good-{i}");
        appliances.push(Appliance::new(
            name,
            good.server(),
            DEFAULT_USER,
            DEFAULT_PASSWORD,
        ));
    }
    let fleet = Fleet::new(appliances)
        .unwrap()
        .jobs(4)
        .time_limit(Duration::from_secs(5));
    let began = Instant::now();
    let results = fleet.list().await;
    let took = began.elapsed();
    // Six hanging appliances, four at a time: two rounds of their time limit at most.
    assert!(took <= Duration::from_secs(11), "{took:?}");
    for r in &results {
        let kind = r.name.split('-').next().unwrap();
        match (kind, &r.outcome) {
            ("good", Ok(state)) => assert_eq!(state.jobs, 1, "{}", r.name),
            ("hang", Err(ApplianceFailure::TimedOut { .. })) => {}
            ("vcsa", Err(ApplianceFailure::Error(Error::NotAuthenticated { .. })))
            | ("vcsa", Err(ApplianceFailure::AccountRefused { .. })) => {}
            (_, outcome) => panic!("{}: {outcome:?}", r.name),
        }
    }
    // The wrong password was refused twice in all: no third try could lock the account.
    let refused_log_ins: u64 = refusing
        .appliances()
        .iter()
        .map(|a| a.control().state().requests.saturating_sub(1))
        .sum();
    assert_eq!(refused_log_ins, 2);
}

#[tokio::test(start_paused = true)]
async fn at_most_max_running_backups_run_at_once_and_every_one_is_followed() {
    let sims = Arc::new(sims(50, 1, Duration::from_secs(60)).await);
    let fleet = Fleet::new(inventory(&sims, DEFAULT_PASSWORD))
        .unwrap()
        .jobs(8);
    // The simulators' own state, read every simulated half second while the fleet works: how
    // many hold a running backup.
    let most = Arc::new(AtomicUsize::new(0));
    let watcher = {
        let (sims, most) = (sims.clone(), most.clone());
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_millis(500));
            loop {
                every.tick().await;
                let running = sims
                    .appliances()
                    .iter()
                    .filter(|a| a.control().state().running_job.is_some())
                    .count();
                most.fetch_max(running, Ordering::SeqCst);
            }
        })
    };
    let running_now = || {
        sims.appliances()
            .iter()
            .filter(|a| a.control().state().running_job.is_some())
            .count()
    };
    let plan = BackupPlan::schedules().max_running(5);
    let mut updates = fleet
        .backup_and_follow(&plan, &WaitOptions::default())
        .unwrap();
    let (mut started, mut succeeded) = (0, 0);
    while let Some(update) = updates.next().await {
        // And at every update.
        most.fetch_max(running_now(), Ordering::SeqCst);
        match update.event {
            FollowEvent::Started(outcome) => {
                outcome.unwrap();
                started += 1;
            }
            FollowEvent::Ended(outcome) => {
                assert!(outcome.unwrap().succeeded(), "{}", update.name);
                succeeded += 1;
            }
            _ => {}
        }
    }
    watcher.abort();
    assert_eq!((started, succeeded), (50, 50));
    assert_eq!(
        most.load(Ordering::SeqCst),
        5,
        "never more than 5, and 5 at times"
    );
    for a in sims.appliances() {
        let state = a.control().state();
        assert_eq!(state.jobs, 2, "{}: one new backup", a.name());
        assert_eq!(state.live_sessions, 0, "{}: logged out", a.name());
    }
}

#[tokio::test(start_paused = true)]
async fn a_fleet_backs_up_into_each_appliance_s_layout() {
    let sims = sims(3, 0, Duration::from_secs(30)).await;
    // Each appliance in service: one earlier backup in its layout, whose folder names it.
    for a in sims.appliances() {
        let client = vcsa_backup::Client::builder(a.url())
            .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
            .build()
            .unwrap();
        let earlier = BackupRequest::builder()
            .location(format!(
                "sftp://backup.example.com/fleet/vCenter/sn_{}/M_8.0.3_20240101-000000_",
                a.name()
            ))
            .location_credentials("backup", Secret::new("s3cret"))
            .build()
            .unwrap();
        let job = client.start_backup(&earlier).await.unwrap();
        client
            .watch_job(&job.id, &WaitOptions::default())
            .await
            .unwrap();
        client.logout().await.unwrap();
    }
    let fleet = Fleet::new(inventory(&sims, DEFAULT_PASSWORD)).unwrap();
    let root = BackupLocation::builder()
        .location("sftp://backup.example.com/fleet/")
        .location_credentials("backup", Secret::new("s3cret"))
        .build()
        .unwrap();
    let request = BackupRequest::builder().location_credentials("backup", Secret::new("s3cret"));
    let plan = BackupPlan::into_layout(root, request).comment("before the upgrade");
    let started = fleet.backup(&plan).await.unwrap();
    for member in started.groups.iter().flat_map(|g| &g.members) {
        let job = &member.outcome.as_ref().unwrap().job;
        let client = vcsa_backup::Client::builder(member.server.as_str())
            .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
            .build()
            .unwrap();
        let details = client.list_job_details(None).await.unwrap();
        let location = &details[&job.id].location;
        let folder = format!(
            "sftp://backup.example.com/fleet/vCenter/sn_{}/M_",
            member.name
        );
        assert!(location.starts_with(&folder), "{location}");
        assert!(
            !location.ends_with("20240101-000000_"),
            "a new folder: {location}"
        );
        assert_eq!(details.len(), 2, "one new backup");
        client.logout().await.unwrap();
    }
}
