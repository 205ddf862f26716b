//! Schedules, the catalog and the appliance's clock through the SDK, in both flavours, against
//! the simulator on a paused clock: a schedule is created, applied again with no change, changed
//! by apply, fires, leaves archives the catalog lists and filters, is pruned by retention, and
//! is deleted.

use std::time::Duration;

use chrono::{DateTime, Utc};
use vcsa_backup::{
    ApplyOptions, ArchiveFilter, ArchiveKind, BackupLocation, BackupRequest, BlockReason, Client,
    DayOfWeek, Error, Field, Flavour, InvalidRequest, JobKind, PartId, ScheduleAction,
    ScheduleSpec, ScheduleSpecBuilder, Secret, TaskState,
};
use vcsa_backup_sim::{
    DEFAULT_PASSWORD, DEFAULT_SYSTEM_NAME, DEFAULT_USER, RunningSimulator, Simulator,
};

const DAY: Duration = Duration::from_secs(24 * 3600);
const ROOT: &str = "sftp://nas.example.com/backups";
const NAS_PASSWORD: &str = "Nas-Pa55word!";
const BACKUP_PASSWORD: &str = "Backup-2024!";

/// Monday 2026-05-18, 00:30 UTC.
fn monday() -> DateTime<Utc> {
    "2026-05-18T00:30:00Z".parse().unwrap()
}

/// A simulator with room for the tests' own schedules beside `default` (an appliance keeps one
/// unless told otherwise).
async fn sim() -> RunningSimulator {
    Simulator::builder()
        .tls(false)
        .max_schedules(3)
        .start_time(monday())
        .job_duration(Duration::from_secs(600))
        .session_idle_timeout(40 * DAY)
        .start()
        .await
        .expect("simulator starts")
}

fn client(sim: &RunningSimulator, flavour: Flavour) -> Client {
    Client::builder(sim.url())
        .credentials(DEFAULT_USER, Secret::new(DEFAULT_PASSWORD))
        .flavour(flavour)
        .build()
        .expect("valid settings")
}

fn spec() -> ScheduleSpecBuilder {
    ScheduleSpec::builder()
        .location(ROOT)
        .location_credentials("backup", Secret::new(NAS_PASSWORD))
        .backup_password(Secret::new(BACKUP_PASSWORD))
        .part(PartId::SEAT)
}

fn location() -> BackupLocation {
    BackupLocation::builder()
        .location(ROOT)
        .location_credentials("backup", Secret::new(NAS_PASSWORD))
        .build()
        .unwrap()
}

fn fields(diff: &vcsa_backup::ScheduleDiff) -> Vec<Field> {
    diff.changes().iter().map(|c| c.field).collect()
}

#[tokio::test(start_paused = true)]
async fn create_apply_again_change_and_delete_in_both_flavours() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(&sim, flavour);
        let nightly = spec().at(2, 30).keep(2).build().unwrap();

        let created = client
            .apply_schedule("nightly", &nightly, &ApplyOptions::new())
            .await
            .unwrap();
        assert_eq!(created.action(), &ScheduleAction::Create, "{flavour}");
        assert!(created.is_applied());
        let stored = client.get_schedule("nightly").await.unwrap();
        assert_eq!(stored.location, ROOT);
        assert_eq!(stored.location_user.as_deref(), Some("backup"));
        assert!(stored.parts.contains(&PartId::SEAT), "{stored:?}");
        assert_eq!(
            stored.to_string(),
            "nightly: every day at 02:30 to sftp://nas.example.com/backups (seat), keep the newest 2"
        );
        let passwords = sim.control().schedule_passwords("nightly").unwrap();
        assert_eq!(passwords.location_password.unwrap().expose(), NAS_PASSWORD);
        assert_eq!(passwords.backup_password.unwrap().expose(), BACKUP_PASSWORD);

        let again = client
            .apply_schedule("nightly", &nightly, &ApplyOptions::new())
            .await
            .unwrap();
        assert!(again.is_unchanged(), "{flavour}: {again}");
        assert!(!again.is_applied());

        // A dry run says what would change and changes nothing.
        let weekdays = spec()
            .at(3, 15)
            .days([
                DayOfWeek::Monday,
                DayOfWeek::Tuesday,
                DayOfWeek::Wednesday,
                DayOfWeek::Thursday,
                DayOfWeek::Friday,
            ])
            .keep(2)
            .build()
            .unwrap();
        let dry = client
            .apply_schedule("nightly", &weekdays, &ApplyOptions::new().dry_run(true))
            .await
            .unwrap();
        assert_eq!(dry.action(), &ScheduleAction::Update);
        assert!(!dry.is_applied());
        assert_eq!(fields(&dry), [Field::Time, Field::Days]);
        assert_eq!(client.get_schedule("nightly").await.unwrap(), stored);

        let changed = client
            .apply_schedule("nightly", &weekdays, &ApplyOptions::new())
            .await
            .unwrap();
        assert!(changed.is_applied(), "{flavour}");
        let now = client.get_schedule("nightly").await.unwrap();
        assert_eq!(
            now.recurrence.as_ref().unwrap().to_string(),
            "Monday, Tuesday, Wednesday, Thursday and Friday at 03:15"
        );
        assert!(
            client
                .apply_schedule("nightly", &weekdays, &ApplyOptions::new())
                .await
                .unwrap()
                .is_unchanged()
        );

        // Back to every day: all seven days are sent, and the next apply finds nothing to do.
        let daily = spec().at(3, 15).keep(2).build().unwrap();
        let back = client
            .apply_schedule("nightly", &daily, &ApplyOptions::new())
            .await
            .unwrap();
        assert_eq!(fields(&back), [Field::Days]);
        let daily_again = client
            .apply_schedule("nightly", &daily, &ApplyOptions::new())
            .await
            .unwrap();
        assert!(daily_again.is_unchanged(), "{flavour}: {daily_again}");

        // The passwords are sent only when asked.
        let rotated = spec()
            .location_credentials("backup", Secret::new("New-Nas-Pa55!"))
            .at(3, 15)
            .keep(2)
            .build()
            .unwrap();
        let quiet = client
            .apply_schedule("nightly", &rotated, &ApplyOptions::new())
            .await
            .unwrap();
        assert!(quiet.is_unchanged());
        let sent = client
            .apply_schedule(
                "nightly",
                &rotated,
                &ApplyOptions::new().send_passwords(true),
            )
            .await
            .unwrap();
        assert_eq!(
            fields(&sent),
            [Field::LocationPassword, Field::BackupPassword]
        );
        let passwords = sim.control().schedule_passwords("nightly").unwrap();
        assert_eq!(
            passwords.location_password.unwrap().expose(),
            "New-Nas-Pa55!"
        );

        client.delete_schedule("nightly").await.unwrap();
        assert!(matches!(
            client.get_schedule("nightly").await,
            Err(Error::NotFound(_))
        ));
        let absent = client
            .apply_schedule("nightly", &daily, &ApplyOptions::new().dry_run(true))
            .await
            .unwrap();
        assert_eq!(absent.action(), &ScheduleAction::Create);
        sim.shutdown().await;
    }
}

#[tokio::test(start_paused = true)]
async fn removing_a_setting_needs_a_recreate_the_caller_allows() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(&sim, flavour);
        let kept = spec().at(2, 30).keep(7).build().unwrap();
        client.create_schedule("nightly", &kept).await.unwrap();

        let keep_all = spec().at(2, 30).build().unwrap();
        let refused = client
            .apply_schedule("nightly", &keep_all, &ApplyOptions::new())
            .await
            .unwrap_err();
        let Error::InvalidRequest(InvalidRequest::Problems(problems)) = &refused else {
            panic!("{flavour}: {refused:?}");
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, vcsa_backup::Field::Retention);
        assert!(
            refused.to_string().contains("allow recreating"),
            "{refused}"
        );
        let dry = client
            .apply_schedule("nightly", &keep_all, &ApplyOptions::new().dry_run(true))
            .await
            .unwrap();
        assert_eq!(
            dry.action(),
            &ScheduleAction::Blocked(vec![BlockReason::CannotUnset(Field::Retention)])
        );
        assert_eq!(
            client
                .get_schedule("nightly")
                .await
                .unwrap()
                .retention
                .unwrap()
                .max_count,
            7,
            "nothing was sent"
        );

        let recreated = client
            .apply_schedule(
                "nightly",
                &keep_all,
                &ApplyOptions::new().allow_recreate(true),
            )
            .await
            .unwrap();
        assert_eq!(recreated.action(), &ScheduleAction::Recreate);
        assert!(recreated.is_applied());
        assert_eq!(
            client.get_schedule("nightly").await.unwrap().retention,
            None
        );
        let passwords = sim.control().schedule_passwords("nightly").unwrap();
        assert_eq!(passwords.backup_password.unwrap().expose(), BACKUP_PASSWORD);
        assert!(
            client
                .apply_schedule("nightly", &keep_all, &ApplyOptions::new())
                .await
                .unwrap()
                .is_unchanged()
        );
        sim.shutdown().await;
    }
}

#[tokio::test(start_paused = true)]
async fn partial_updates_keep_the_other_settings() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(&sim, flavour);
        let weekend = spec()
            .at(23, 0)
            .days([DayOfWeek::Saturday, DayOfWeek::Sunday])
            .keep(3)
            .build()
            .unwrap();
        client.create_schedule("weekend", &weekend).await.unwrap();

        // A new time keeps the days; new days keep the time.
        let time = ScheduleSpec::builder().at(1, 30).build_update().unwrap();
        client.update_schedule("weekend", &time).await.unwrap();
        let days = ScheduleSpec::builder()
            .days([DayOfWeek::Sunday])
            .build_update()
            .unwrap();
        client.update_schedule("weekend", &days).await.unwrap();
        let now = client.get_schedule("weekend").await.unwrap();
        assert_eq!(
            now.recurrence.unwrap().to_string(),
            "Sunday at 01:30",
            "{flavour}"
        );
        assert_eq!(now.retention.unwrap().max_count, 3);
        assert!(now.parts.contains(&PartId::SEAT));

        let disable = ScheduleSpec::builder()
            .enabled(false)
            .parts(Vec::<PartId>::new())
            .build_update()
            .unwrap();
        client.update_schedule("weekend", &disable).await.unwrap();
        let now = client.get_schedule("weekend").await.unwrap();
        assert!(!now.enabled);
        assert!(!now.parts.contains(&PartId::SEAT), "{now:?}");

        // Days for a schedule with no time are refused before the update is sent.
        let no_time = spec().build().unwrap();
        client.create_schedule("manual", &no_time).await.unwrap();
        let error = client.update_schedule("manual", &days).await.unwrap_err();
        assert_eq!(
            error.problems()[0].field,
            vcsa_backup::Field::Days,
            "{error}"
        );
        sim.shutdown().await;
    }
}

#[tokio::test(start_paused = true)]
async fn a_schedule_fires_leaves_archives_and_retention_prunes_them() {
    for flavour in [Flavour::Api, Flavour::Rest] {
        let sim = sim().await;
        let client = client(&sim, flavour);
        let nightly = spec().at(2, 30).keep(2).build().unwrap();
        client
            .apply_schedule("nightly", &nightly, &ApplyOptions::new())
            .await
            .unwrap();

        // To Wednesday 03:30: Monday's, Tuesday's and Wednesday's backups at 02:30 (the 00:00
        // UTC retention passes so far found at most two).
        tokio::time::advance(2 * DAY + Duration::from_secs(3 * 3600)).await;
        let details = client.list_job_details(None).await.unwrap();
        // Beside `default`'s, at 23:00 each day at its own location.
        let scheduled: Vec<_> = details
            .values()
            .filter(|d| d.kind == JobKind::Scheduled && d.location.starts_with(ROOT))
            .collect();
        assert_eq!(scheduled.len(), 3, "{flavour}: {details:?}");
        assert!(
            scheduled.iter().all(|d| d.state == TaskState::Succeeded),
            "{scheduled:?}"
        );

        let location = location();
        assert_eq!(
            client.list_system_names(&location).await.unwrap(),
            [DEFAULT_SYSTEM_NAME]
        );
        let all = ArchiveFilter::all();
        let archives = client
            .list_archives(&location, DEFAULT_SYSTEM_NAME, &all)
            .await
            .unwrap();
        let ids: Vec<&str> = archives.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "S_8.0.3.00400_20260520-023000_",
                "S_8.0.3.00400_20260519-023000_",
                "S_8.0.3.00400_20260518-023000_",
            ],
            "{flavour}: newest first"
        );
        assert!(
            archives
                .iter()
                .all(|a| a.name().unwrap().kind == ArchiveKind::Scheduled)
        );

        let newest = ArchiveFilter::builder().max_results(1).build().unwrap();
        let one = client
            .list_archives(&location, DEFAULT_SYSTEM_NAME, &newest)
            .await
            .unwrap();
        assert_eq!(one, archives[..1]);
        let since = ArchiveFilter::builder()
            .since("2026-05-19T00:00:00Z".parse().unwrap())
            .until("2026-05-19T23:59:59Z".parse().unwrap())
            .build()
            .unwrap();
        let tuesday = client
            .list_archives(&location, DEFAULT_SYSTEM_NAME, &since)
            .await
            .unwrap();
        assert_eq!(tuesday, archives[1..2], "{flavour}");
        let info = client
            .get_archive(&location, DEFAULT_SYSTEM_NAME, &archives[0].id)
            .await
            .unwrap();
        assert_eq!(info.system_name, DEFAULT_SYSTEM_NAME);
        assert!(info.parts.contains(&PartId::SEAT), "{info:?}");
        assert!(info.location.starts_with(ROOT), "{info:?}");

        // A manual backup placed in the appliance's layout joins the catalog and survives
        // retention. The version comes from the job history; the system name from the catalog,
        // whose scheduled backups started when this appliance's scheduled jobs did.
        let layout = client
            .get_backup_layout(&location, None, None)
            .await
            .unwrap();
        assert_eq!(layout.system_name(), DEFAULT_SYSTEM_NAME);
        assert_eq!(layout.version(), "8.0.3.00400");
        let local = client.get_appliance_time().await.unwrap().local().unwrap();
        let request = BackupRequest::builder()
            .location(layout.manual_backup_location(ROOT, local))
            .location_credentials("backup", Secret::new(NAS_PASSWORD))
            .comment("before the upgrade")
            .build()
            .unwrap();
        let job = client.start_backup(&request).await.unwrap();
        tokio::time::advance(Duration::from_secs(601)).await;
        assert!(client.get_job(&job.id).await.unwrap().state.is_terminal());

        // From Wednesday 03:40 to Friday 00:40: Thursday's pass removes Monday's backup,
        // Thursday's fires at 02:30, Friday's pass removes Tuesday's.
        tokio::time::advance(Duration::from_secs(45 * 3600)).await;
        let after = client
            .list_archives(&location, DEFAULT_SYSTEM_NAME, &all)
            .await
            .unwrap();
        let ids: Vec<&str> = after.iter().map(|a| a.id.as_str()).collect();
        let manual: Vec<_> = after
            .iter()
            .filter(|a| a.name().unwrap().kind == ArchiveKind::Manual)
            .collect();
        assert_eq!(manual.len(), 1, "{flavour}: {ids:?}");
        assert_eq!(manual[0].comment, "before the upgrade");
        let comment = ArchiveFilter::builder()
            .comment_contains("upgrade")
            .build()
            .unwrap();
        assert_eq!(
            client
                .list_archives(&location, DEFAULT_SYSTEM_NAME, &comment)
                .await
                .unwrap(),
            manual.into_iter().cloned().collect::<Vec<_>>()
        );
        let scheduled: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| id.starts_with("S_"))
            .collect();
        assert_eq!(
            scheduled,
            [
                "S_8.0.3.00400_20260521-023000_",
                "S_8.0.3.00400_20260520-023000_"
            ],
            "{flavour}: retention keeps the newest two scheduled backups"
        );

        client.delete_schedule("nightly").await.unwrap();
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn the_catalog_refuses_what_does_not_exist() {
    let sim = Simulator::builder().tls(false).start().await.unwrap();
    for flavour in [Flavour::Api, Flavour::Rest] {
        let client = client(&sim, flavour);
        let location = location();
        assert!(matches!(
            client.list_system_names(&location).await,
            Err(Error::NotFound(_))
        ));
        let names = client
            .list_archives(&location, "no-such-appliance", &ArchiveFilter::all())
            .await;
        assert!(
            matches!(names, Err(Error::NotFound(_))),
            "{flavour}: {names:?}"
        );
        // Names that cannot be a path segment are refused before anything is sent.
        for bad in ["", "a/b", ".."] {
            let error = client
                .list_archives(&location, bad, &ArchiveFilter::all())
                .await
                .unwrap_err();
            assert_eq!(
                error.problems()[0].field,
                vcsa_backup::Field::SystemName,
                "{bad}"
            );
        }
    }
}

#[tokio::test]
async fn part_sizes_and_the_clock() {
    let sim = Simulator::builder()
        .tls(false)
        .time_zone("Europe/Berlin")
        .start_time(monday())
        .start()
        .await
        .unwrap();
    for flavour in [Flavour::Api, Flavour::Rest] {
        let client = client(&sim, flavour);
        for part in client.list_parts().await.unwrap() {
            let size = client.get_part_size(&part.id).await.unwrap();
            assert!(size > 0, "{flavour}: {}", part.id);
        }
        assert!(matches!(
            client.get_part_size(&PartId::new("nonsense")).await,
            Err(Error::NotFound(_))
        ));
        assert_eq!(
            client
                .get_part_size(&PartId::new("a b"))
                .await
                .unwrap_err()
                .problems()[0]
                .field,
            vcsa_backup::Field::Parts
        );
        let time = client.get_appliance_time().await.unwrap();
        assert_eq!(time.time_zone, "Europe/Berlin");
        assert!((time.now - monday()).num_seconds().abs() < 60, "{time:?}");
        assert_eq!(
            time.utc_offset().unwrap().to_string(),
            "+02:00",
            "{flavour}: {time:?}"
        );
    }
}

#[tokio::test]
async fn bad_schedules_are_refused_before_anything_is_sent() {
    let sim = Simulator::builder()
        .tls(false)
        .max_schedules(2)
        .start()
        .await
        .unwrap();
    let client = client(&sim, Flavour::Api);
    let error = ScheduleSpec::builder()
        .location("gopher://nas/backups")
        .at(24, 60)
        .days([DayOfWeek::from("FUNDAY")])
        .keep(0)
        .backup_password(Secret::new("weak"))
        .build()
        .unwrap_err();
    let fields: Vec<_> = error.problems().iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        [
            vcsa_backup::Field::Location,
            vcsa_backup::Field::Days,
            vcsa_backup::Field::Hour,
            vcsa_backup::Field::Minute,
            vcsa_backup::Field::Retention,
            vcsa_backup::Field::BackupPassword
        ]
    );
    for bad in ["", "a/b", "x?y", "..", ".", "a\\b"] {
        let error = client.get_schedule(bad).await.unwrap_err();
        assert_eq!(
            error.problems()[0].field,
            vcsa_backup::Field::Schedule,
            "{bad}"
        );
    }
    let spec = spec().build().unwrap();
    for error in [
        client.create_schedule("a/b", &spec).await.unwrap_err(),
        client.delete_schedule("").await.unwrap_err(),
    ] {
        assert_eq!(
            error.problems()[0].field,
            vcsa_backup::Field::Schedule,
            "{error}"
        );
    }
    // The appliance's own refusal of a schedule that exists.
    client.create_schedule("dup", &spec).await.unwrap();
    let exists = client.create_schedule("dup", &spec).await.unwrap_err();
    assert_eq!(
        exists.server_error().and_then(|e| e.error_type.clone()),
        Some(vcsa_backup::ServerErrorType::AlreadyExists),
        "{exists}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_next_run_is_right_across_a_daylight_saving_change() {
    // Friday 2027-03-12, 12:00 UTC (07:00 in New York, UTC-5). The clocks go forward on
    // Sunday the 14th, so Monday's 02:00 is at UTC-4: 06:00 UTC, not 07:00.
    let friday: DateTime<Utc> = "2027-03-12T12:00:00Z".parse().unwrap();
    let sim = Simulator::builder()
        .tls(false)
        .time_zone("America/New_York")
        .start_time(friday)
        .job_duration(Duration::from_secs(600))
        .session_idle_timeout(40 * DAY)
        .start()
        .await
        .unwrap();
    let client = client(&sim, Flavour::Api);
    // The appliance's schedule, on Mondays at 02:00.
    let mondays = ScheduleSpec::builder()
        .at(2, 0)
        .days([DayOfWeek::Monday])
        .build_update()
        .unwrap();
    client.update_schedule("default", &mondays).await.unwrap();
    let schedule = client.get_schedule("default").await.unwrap();
    let time = client.get_appliance_time().await.unwrap();
    let next = time
        .next_run(schedule.recurrence.as_ref().unwrap())
        .unwrap();
    assert_eq!(next.to_rfc3339(), "2027-03-15T06:00:00+00:00");
    let local = time.to_local(next).unwrap();
    assert_eq!(local.to_string(), "2027-03-15 02:00:00", "in EDT");

    // The simulator fires it exactly then: nothing a minute before, the job a minute after.
    let until = |at: DateTime<Utc>| (at - friday).to_std().unwrap();
    tokio::time::advance(until(next) - Duration::from_secs(60)).await;
    let scheduled = |details: &std::collections::BTreeMap<_, vcsa_backup::JobDetails>| {
        details
            .values()
            .filter(|d| d.kind == JobKind::Scheduled)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert!(scheduled(&client.list_job_details(None).await.unwrap()).is_empty());
    tokio::time::advance(Duration::from_secs(120)).await;
    let fired = scheduled(&client.list_job_details(None).await.unwrap());
    assert_eq!(fired.len(), 1, "{fired:?}");
    assert_eq!(fired[0].started_at, Some(next), "{fired:?}");
    sim.shutdown().await;
}
