//! The one log capture of these tests: a `tracing` subscriber that formats every event in memory
//! (plain text, no colours, no time stamps), for asserting what the SDK logs and what it never does.

use std::io;
use std::sync::{Arc, Mutex, Once, PoisonError};

use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::{DefaultGuard, Interest};
use tracing::{Event, Level, Metadata, Subscriber};
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
    ask_each_time();
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

/// Installs, once per test binary, a global subscriber that wants nothing but has every call site
/// asked each time. `tracing` caches a call site's interest over all live subscribers; a test
/// running on another thread without a capture could otherwise cache "never" for a call site
/// that this thread's capture wants, and its events would be lost.
pub fn ask_each_time() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Only fails when a global subscriber exists, which then takes part in the cache.
        let _ = tracing::subscriber::set_global_default(AskEachTime);
        tracing::callsite::rebuild_interest_cache();
    });
}

/// The subscriber of [`ask_each_time`].
struct AskEachTime;

impl Subscriber for AskEachTime {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        false
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}
