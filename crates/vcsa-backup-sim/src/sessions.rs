//! Sessions: random tokens from the operating system's CSPRNG that expire when idle.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

struct Session {
    user: String,
    last_used: Instant,
}

/// The open sessions of the simulated appliance.
#[derive(Default)]
pub(crate) struct Sessions {
    by_token: HashMap<String, Session>,
    /// Sessions ever opened: successful log-ins.
    opened: u64,
}

/// The token source failed; the operating system could not supply random bytes.
#[derive(Debug)]
pub(crate) struct NoRandomness;

impl Sessions {
    /// Opens a session and returns its token: 128 random bits as 32 hex digits, like the appliance's.
    pub(crate) fn open(&mut self, user: &str, now: Instant) -> Result<String, NoRandomness> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|_| NoRandomness)?;
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        self.by_token.insert(
            token.clone(),
            Session {
                user: user.to_string(),
                last_used: now,
            },
        );
        self.opened += 1;
        Ok(token)
    }

    /// The user of a live session, refreshing its idle timer; an idle-expired session is removed.
    pub(crate) fn touch(&mut self, token: &str, now: Instant, idle: Duration) -> Option<String> {
        let session = self.by_token.get_mut(token)?;
        if now.saturating_duration_since(session.last_used) > idle {
            self.by_token.remove(token);
            return None;
        }
        session.last_used = now;
        Some(session.user.clone())
    }

    pub(crate) fn close(&mut self, token: &str) -> bool {
        self.by_token.remove(token).is_some()
    }

    pub(crate) fn expire_all(&mut self) {
        self.by_token.clear();
    }

    /// How many sessions were ever opened.
    pub(crate) fn opened(&self) -> u64 {
        self.opened
    }

    /// Sessions not yet idle-expired at `now`.
    pub(crate) fn live(&self, now: Instant, idle: Duration) -> usize {
        self.by_token
            .values()
            .filter(|s| now.saturating_duration_since(s.last_used) <= idle)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn tokens_are_random_hex_and_expire_when_idle() {
        let mut sessions = Sessions::default();
        let idle = Duration::from_secs(60);
        let t0 = Instant::now();
        let a = sessions.open("u", t0).unwrap();
        let b = sessions.open("u", t0).unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        // Use keeps a session alive past one idle period.
        assert_eq!(
            sessions
                .touch(&a, t0 + Duration::from_secs(50), idle)
                .as_deref(),
            Some("u")
        );
        assert!(
            sessions
                .touch(&a, t0 + Duration::from_secs(100), idle)
                .is_some()
        );
        // Idle for longer than the timeout: gone, and stays gone.
        assert!(
            sessions
                .touch(&b, t0 + Duration::from_secs(61), idle)
                .is_none()
        );
        assert!(sessions.touch(&b, t0, idle).is_none());
        assert_eq!(sessions.live(t0 + Duration::from_secs(100), idle), 1);
        assert_eq!(sessions.opened(), 2);
    }
}
