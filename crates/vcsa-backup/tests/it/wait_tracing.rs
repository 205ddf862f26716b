//! What a wait tells `tracing`: a span per wait, an event per read, and never a secret.

use crate::support::wait as wait_support;

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use tracing_subscriber::fmt::MakeWriter;
use vcsa_backup::JobId;
use vcsa_backup::wait::{ExponentialBackoff, WaitOptions};
use wait_support::*;

/// Collects the formatted log in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test(start_paused = true)]
async fn each_read_is_an_event_inside_the_wait_span_and_no_secret_is_logged() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        // Colour codes depend on the environment (a terminal, NO_COLOR); the snapshot must not.
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .without_time()
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Other tests of this binary, on other threads, may have registered the wait's call sites
    // while no subscriber wanted them: have them asked again now that this one does.
    tracing::callsite::rebuild_interest_cache();

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
