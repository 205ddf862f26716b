//! Schedules fire on their recurrence (minute, hour, days, in the appliance's time zone) on the
//! simulator's clock: a paused-clock test advances a week and sees each backup at its time.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use vcsa_backup_sim::{DEFAULT_BUILD, DEFAULT_SYSTEM_NAME, Simulator, SimulatorBuilder};

use crate::support::*;

pub const DAY: Duration = Duration::from_secs(24 * 3600);

/// Monday 2026-05-18, 00:30 UTC.
pub fn monday() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-05-18T00:30:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// A simulator whose clock starts on [`monday`], with sessions that outlive a simulated month,
/// and room for several schedules besides `default`.
pub fn on_monday() -> SimulatorBuilder {
    Simulator::builder()
        .max_schedules(4)
        .start_time(monday())
        .job_duration(Duration::from_secs(600))
        .session_idle_timeout(40 * DAY)
}

/// Starts `builder` with the test's own schedules alone: `default` (every day at 23:00) is
/// deleted, so that only the firings a test sets up happen.
pub async fn start_alone(builder: SimulatorBuilder) -> Harness {
    let h = start(builder).await;
    let (status, body) = h
        .call(Method::DELETE, &format!("{API}/schedules/default"), None)
        .await;
    assert_eq!(status, 204, "{body}");
    h
}

pub async fn create(h: &Harness, id: &str, spec: Value) {
    let (status, body) = h
        .post(
            &format!("{API}/schedules"),
            json!({ "schedule": id, "spec": spec }),
        )
        .await;
    assert_eq!(status, 204, "{body}");
}

/// The jobs as `(id, type, location)`, oldest first.
async fn jobs(h: &Harness) -> Vec<(String, String, String)> {
    let (_, details) = h.get(&format!("{API}/job/details")).await;
    let mut jobs: Vec<(String, String, String)> = details
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, d)| {
            (
                id.clone(),
                d["type"].as_str().unwrap().to_string(),
                d["location"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    jobs.sort();
    jobs
}

fn job_id(stamp: &str) -> String {
    format!("{stamp}-{DEFAULT_BUILD}")
}

#[tokio::test(start_paused = true)]
async fn a_week_of_firings_on_the_right_days_and_times() {
    let h = start_alone(on_monday()).await;
    create(
        &h,
        "weekdays",
        json!({
            "location": "sftp://backup.example.com/weekdays",
            "recurrence_info": { "hour": 2, "minute": 30, "days": ["MONDAY", "WEDNESDAY", "FRIDAY"] },
        }),
    )
    .await;
    create(
        &h,
        "sunday",
        json!({
            "location": "sftp://backup.example.com/sunday",
            "recurrence_info": { "hour": 23, "minute": 45, "days": ["SUNDAY"] },
        }),
    )
    .await;
    // Enabled is the default; a disabled one and one without a recurrence never fire.
    create(
        &h,
        "off",
        json!({
            "location": "sftp://backup.example.com/off",
            "enable": false,
            "recurrence_info": { "hour": 3, "minute": 0 },
        }),
    )
    .await;

    tokio::time::advance(7 * DAY).await;
    // Each job reports the fresh folder it wrote under its schedule's location.
    let scheduled = |stamp: &str, location: &str| {
        (
            job_id(stamp),
            "SCHEDULED".to_string(),
            format!(
                "sftp://backup.example.com/{location}/vCenter/sn_vcsa.example.com/S_8.0.3.00400_{stamp}_"
            ),
        )
    };
    assert_eq!(
        jobs(&h).await,
        vec![
            scheduled("20260518-023000", "weekdays"),
            scheduled("20260520-023000", "weekdays"),
            scheduled("20260522-023000", "weekdays"),
            scheduled("20260524-234500", "sunday"),
        ]
    );

    // The week after: the same days again, in the same order, from the same clock.
    tokio::time::advance(7 * DAY).await;
    let ids: Vec<String> = jobs(&h).await.into_iter().map(|j| j.0).collect();
    assert_eq!(ids.len(), 8);
    assert_eq!(
        ids[4..],
        [
            job_id("20260525-023000"),
            job_id("20260527-023000"),
            job_id("20260529-023000"),
            job_id("20260531-234500"),
        ]
    );

    // Each left an archive in a fresh S_ folder named for its start.
    let (_, archives) = h
        .post(
            &format!("{API}/system-name/{DEFAULT_SYSTEM_NAME}/archives?action=list"),
            json!({ "loc_spec": { "location": "sftp://backup.example.com/weekdays" }, "filter_spec": {} }),
        )
        .await;
    let names: Vec<&str> = archives
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["archive"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "S_8.0.3.00400_20260529-023000_",
            "S_8.0.3.00400_20260527-023000_",
            "S_8.0.3.00400_20260525-023000_",
            "S_8.0.3.00400_20260522-023000_",
            "S_8.0.3.00400_20260520-023000_",
            "S_8.0.3.00400_20260518-023000_",
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn small_steps_and_one_big_step_see_the_same_jobs() {
    let spec = json!({
        "location": "sftp://backup.example.com/daily",
        "recurrence_info": { "hour": 12, "minute": 0 },
    });
    let big = start_alone(on_monday()).await;
    create(&big, "daily", spec.clone()).await;
    tokio::time::advance(3 * DAY).await;
    let at_once = jobs(&big).await;

    let small = start_alone(on_monday()).await;
    create(&small, "daily", spec).await;
    for _ in 0..(3 * 24) {
        tokio::time::advance(Duration::from_secs(3600)).await;
        small.get(&format!("{API}/job")).await;
    }
    assert_eq!(jobs(&small).await, at_once);
    assert_eq!(at_once.len(), 3);
    assert_eq!(at_once[0].0, job_id("20260518-120000"));
}

#[tokio::test(start_paused = true)]
async fn times_are_in_the_appliance_time_zone() {
    let h = start_alone(on_monday().time_zone("Europe/Berlin")).await;
    create(
        &h,
        "berlin",
        json!({
            "location": "sftp://backup.example.com/berlin",
            "recurrence_info": { "hour": 1, "minute": 15, "days": ["TUESDAY"] },
        }),
    )
    .await;
    tokio::time::advance(7 * DAY).await;
    // 01:15 on Tuesday in Berlin (summer time, UTC+2) is 23:15 on Monday in UTC; job ids are
    // UTC, the backup folder is stamped in the appliance's time.
    let fired = jobs(&h).await;
    assert_eq!(fired.len(), 1, "{fired:?}");
    assert_eq!(fired[0].0, job_id("20260518-231500"));
    let (_, archives) = h
        .post(
            &format!("{API}/system-name/{DEFAULT_SYSTEM_NAME}/archives?action=list"),
            json!({ "loc_spec": { "location": "sftp://backup.example.com/berlin" }, "filter_spec": {} }),
        )
        .await;
    assert_eq!(archives[0]["archive"], "S_8.0.3.00400_20260519-011500_");
    assert_eq!(archives[0]["timestamp"], "2026-05-18T23:15:00Z");
}

#[tokio::test(start_paused = true)]
async fn a_running_backup_keeps_a_firing_from_starting() {
    let h = start_alone(on_monday().job_duration(Duration::from_secs(3600))).await;
    create(
        &h,
        "daily",
        json!({
            "location": "sftp://backup.example.com/daily",
            "recurrence_info": { "hour": 1, "minute": 0 },
        }),
    )
    .await;
    // 00:30: a one-hour manual backup still holds the appliance at 01:00.
    let manual = h.start_backup("sftp://backup.example.com/manual/1").await;
    tokio::time::advance(DAY).await;
    let fired = jobs(&h).await;
    assert_eq!(fired.len(), 1, "Monday's firing did not start: {fired:?}");
    assert_eq!(fired[0].0, manual);
    // Tuesday's did, and while it runs a manual backup answers FEATURE_IN_USE.
    tokio::time::advance(Duration::from_secs(3600)).await;
    let fired = jobs(&h).await;
    assert_eq!(fired.last().unwrap().0, job_id("20260519-010000"));
    let (status, body) = h
        .post(
            &format!("{API}/job"),
            backup_request("sftp://backup.example.com/manual/2"),
        )
        .await;
    assert_eq!((status, api_error_type(&body)), (400, "FEATURE_IN_USE"));
    assert!(error_text(&body).contains("20260519-010000"), "{body}");
}

#[tokio::test(start_paused = true)]
async fn disabling_stops_firing_and_enabling_resumes_it() {
    let h = start_alone(on_monday()).await;
    create(
        &h,
        "daily",
        json!({
            "location": "sftp://backup.example.com/daily",
            "recurrence_info": { "hour": 6, "minute": 0 },
        }),
    )
    .await;
    tokio::time::advance(DAY).await; // Monday 06:00 fired
    let disable = json!({ "enable": false });
    h.call(
        Method::PATCH,
        &format!("{API}/schedules/daily"),
        Some(disable),
    )
    .await;
    tokio::time::advance(2 * DAY).await; // Tuesday and Wednesday did not
    h.call(
        Method::PUT,
        &format!("{REST}/schedules/update/daily"),
        Some(json!({ "spec": { "enable": true, "recurrence_info": { "hour": 7, "minute": 10 } } })),
    )
    .await;
    tokio::time::advance(DAY).await; // Thursday 07:10 did
    let ids: Vec<String> = jobs(&h).await.into_iter().map(|j| j.0).collect();
    assert_eq!(ids, [job_id("20260518-060000"), job_id("20260521-071000")]);
    // Deleted, it fires no more.
    h.call(Method::DELETE, &format!("{API}/schedules/daily"), None)
        .await;
    tokio::time::advance(3 * DAY).await;
    assert_eq!(jobs(&h).await.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn the_next_job_faults_apply_to_a_firing() {
    let h = start_alone(on_monday()).await;
    create(
        &h,
        "daily",
        json!({
            "location": "sftp://backup.example.com/daily",
            "recurrence_info": { "hour": 1, "minute": 0 },
        }),
    )
    .await;
    h.sim
        .control()
        .fail_next_job(vcsa_backup_sim::JobFailure::at(
            50,
            "The backup server is full.",
        ));
    tokio::time::advance(DAY).await;
    let id = job_id("20260518-010000");
    let (_, job) = h.get(&format!("{API}/job/{id}")).await;
    assert_eq!(job["state"], "FAILED");
    assert_eq!(
        job["messages"][0]["default_message"],
        "The backup server is full."
    );
    // A failed backup leaves no archive.
    let (_, archives) = h
        .post(
            &format!("{API}/system-name/{DEFAULT_SYSTEM_NAME}/archives?action=list"),
            json!({ "loc_spec": { "location": "sftp://backup.example.com/daily" }, "filter_spec": {} }),
        )
        .await;
    assert_eq!(archives, json!([]));
}
