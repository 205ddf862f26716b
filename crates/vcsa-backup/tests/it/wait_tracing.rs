//! What a wait tells `tracing`: a span per wait, an event per read, and never a secret.

use crate::support::wait as wait_support;

use crate::support::capture::capture;
use vcsa_backup::JobId;
use vcsa_backup::wait::{ExponentialBackoff, WaitOptions};
use wait_support::*;

#[tokio::test(start_paused = true)]
async fn each_read_is_an_event_inside_the_wait_span_and_no_secret_is_logged() {
    let (captured, _guard) = capture(tracing::Level::DEBUG);

    let path = job_path(JOB);
    let mut reads = 0;
    let appliance = Appliance::start(move |call| {
        call.is("GET", &path).then(|| {
            reads += 1;
            match reads {
                1 => job(JOB, "INPROGRESS", 10, &[]),
                2 => error(503, "SERVICE_UNAVAILABLE", "The service is restarting."),
                3 => job(JOB, "INPROGRESS", 60, &[]),
                _ => job(JOB, "SUCCEEDED", 100, &[]),
            }
        })
    })
    .await;

    appliance
        .client()
        .wait_for_job(
            &JobId::new(JOB),
            &WaitOptions::default().backoff(ExponentialBackoff::default()),
        )
        .await
        .expect("the job succeeds");

    let log = captured.text();
    assert!(!log.contains(PASSWORD), "{log}");
    assert!(!log.contains("session-token"), "{log}");
    let ours: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("vcsa_backup::wait"))
        .collect();
    insta::assert_yaml_snapshot!(ours);
}
