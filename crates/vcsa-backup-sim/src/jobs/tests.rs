use super::*;
use crate::plan::{JobFailure, ProgressCurve};

fn spec() -> JobSpec {
    JobSpec {
        kind: DetailsType::Manual,
        location: "sftp://h/p".into(),
        location_user: String::new(),
        comment: String::new(),
        fast_backup: None,
        user: "u".into(),
        total_bytes: 1000,
    }
}

fn plan(duration: Duration, failure: Option<JobFailure>) -> RunPlan {
    RunPlan {
        curve: ProgressCurve::steady(duration),
        failure,
        ..RunPlan::default()
    }
}

#[tokio::test(start_paused = true)]
async fn pending_then_blocked_then_running() {
    let clock = Clock::new();
    let mut jobs = Jobs::default();
    let t0 = Instant::now();
    let s = Duration::from_secs;
    let waiting = RunPlan {
        curve: ProgressCurve::steady(s(100)),
        pending: s(10),
        blocked: s(5),
        failure: None,
    };
    let id = jobs.start(spec(), t0, &clock, waiting, "1").id.clone();
    let job = jobs.get(&id).unwrap();
    assert_eq!(job.phase(t0), Phase::Pending);
    assert_eq!(job.phase(t0 + s(9)), Phase::Pending);
    assert_eq!(job.phase(t0 + s(10)), Phase::Blocked);
    assert_eq!(job.phase(t0 + s(14)), Phase::Blocked);
    assert_eq!(job.phase(t0 + s(15)), Phase::Running { progress: 0 });
    assert_eq!(job.phase(t0 + s(65)), Phase::Running { progress: 50 });
    let done = t0 + s(115);
    assert_eq!(job.phase(done), Phase::Succeeded { ended: done });
    // The start is when it left PENDING; the duration counts from there.
    assert_eq!(job.start_utc(&job.phase(done)), clock.utc(t0 + s(10)));
    assert_eq!(job.duration_secs(&job.phase(done), done), 105);
    assert_eq!(jobs.active(t0).map(|j| j.id.as_str()), Some(id.as_str()));
    assert!(jobs.active(done).is_none());

    // Cancelled while pending: failed at 0%, started and ended at the cancel.
    let pending = RunPlan {
        pending: s(10),
        ..plan(s(100), None)
    };
    let id = jobs.start(spec(), done, &clock, pending, "1").id.clone();
    let job = jobs.get_mut(&id).unwrap();
    let at = done + s(3);
    assert!(job.cancel(at));
    let phase = job.phase(at + s(1));
    assert_eq!(
        phase,
        Phase::Failed {
            ended: at,
            progress: 0,
            cancelled: true
        }
    );
    assert_eq!(job.start_utc(&phase), job.utc_at(at));
    assert_eq!(job.duration_secs(&phase, at + s(50)), 0);
}

#[tokio::test(start_paused = true)]
async fn a_job_follows_its_progress_curve_and_ends_where_it_ends() {
    let clock = Clock::new();
    let mut jobs = Jobs::default();
    let t0 = Instant::now();
    let s = Duration::from_secs;
    // Stalls at 50%, then finishes early at 80%.
    let curve = ProgressCurve::new()
        .then(s(50), 50)
        .hold(s(100))
        .then(s(30), 80);
    let plan = RunPlan {
        curve: curve.clone(),
        ..RunPlan::default()
    };
    let id = jobs.start(spec(), t0, &clock, plan, "1").id.clone();
    let job = jobs.get(&id).unwrap();
    assert_eq!(job.phase(t0 + s(100)), Phase::Running { progress: 50 });
    assert_eq!(job.phase(t0 + s(179)), Phase::Running { progress: 79 });
    let end = t0 + s(180);
    assert_eq!(job.phase(end), Phase::Succeeded { ended: end });

    // A failure at a percentage the curve never reaches strikes at its end.
    let plan = RunPlan {
        curve,
        failure: Some(JobFailure::at(90, "late")),
        ..RunPlan::default()
    };
    let id = jobs.start(spec(), end, &clock, plan, "1").id.clone();
    let job = jobs.get(&id).unwrap();
    let failed = end + s(180);
    assert_eq!(
        job.phase(failed + s(1)),
        Phase::Failed {
            ended: failed,
            progress: 80,
            cancelled: false
        }
    );
}

#[tokio::test(start_paused = true)]
async fn progress_then_success_failure_and_cancel() {
    let clock = Clock::new();
    let mut jobs = Jobs::default();
    let t0 = Instant::now();
    let d = Duration::from_secs(100);
    let id = jobs
        .start(spec(), t0, &clock, plan(d, None), "1")
        .id
        .clone();
    let job = jobs.get(&id).unwrap();
    assert_eq!(job.phase(t0), Phase::Running { progress: 0 });
    assert_eq!(
        job.phase(t0 + Duration::from_secs(42)),
        Phase::Running { progress: 42 }
    );
    assert_eq!(job.phase(t0 + d), Phase::Succeeded { ended: t0 + d });

    // Same second: the id moves to the next free second.
    let failing = Some(JobFailure::at(30, "disk full"));
    let id2 = jobs
        .start(spec(), t0, &clock, plan(d, failing), "1")
        .id
        .clone();
    assert_ne!(id, id2);
    let job = jobs.get(&id2).unwrap();
    assert_eq!(
        job.phase(t0 + Duration::from_secs(29)),
        Phase::Running { progress: 29 }
    );
    let at = t0 + Duration::from_secs(30);
    assert_eq!(
        job.phase(at + d),
        Phase::Failed {
            ended: at,
            progress: 30,
            cancelled: false
        }
    );

    let id3 = jobs
        .start(spec(), t0, &clock, plan(d, None), "1")
        .id
        .clone();
    let job = jobs.get_mut(&id3).unwrap();
    let at = t0 + Duration::from_secs(10);
    assert!(job.cancel(at));
    assert!(!job.cancel(at + d));
    assert_eq!(
        job.phase(at + d),
        Phase::Failed {
            ended: at,
            progress: 10,
            cancelled: true
        }
    );
    let ids: Vec<_> = jobs.newest_first().map(|j| j.id.clone()).collect();
    assert_eq!(ids, vec![id3, id2, id]);
}
