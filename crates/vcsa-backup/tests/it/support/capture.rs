//! The one log capture of these tests: a `tracing` subscriber that formats every event in memory
//! (plain text, no colours, no time stamps), for asserting what the SDK logs and what it never does.

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use tracing::Level;
use tracing::subscriber::DefaultGuard;
use tracing_subscriber::fmt::MakeWriter;

/// Every formatted log line, kept in memory; clones share it.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// A subscriber recording events at `level` and above into this capture.
    pub fn subscriber(&self, level: Level) -> impl tracing::Subscriber + Send + Sync + 'static {
        tracing_subscriber::fmt()
            .with_writer(self.clone())
            // Colour codes depend on the environment (a terminal, NO_COLOR); tests must not.
            .with_ansi(false)
            .with_max_level(level)
            .without_time()
            .finish()
    }

    /// Everything captured so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }

    /// The captured lines with `target` (such as `vcsa_backup::http:`).
    pub fn lines_of(&self, target: &str) -> Vec<String> {
        let needle = format!(" {target}: ");
        self.text()
            .lines()
            .filter(|line| line.contains(&needle))
            .map(str::to_string)
            .collect()
    }
}

/// Captures every event at `level` and above on this thread until the guard is dropped (a
/// `#[tokio::test]` runs its future on the test's thread).
pub fn capture(level: Level) -> (Captured, DefaultGuard) {
    let captured = Captured::default();
    let guard = tracing::subscriber::set_default(captured.subscriber(level));
    // Other tests of this binary, on other threads, may have registered the SDK's call sites
    // while no subscriber wanted them: have them asked again now that this one does.
    tracing::callsite::rebuild_interest_cache();
    (captured, guard)
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
