//! Waiting for a restore and for a reconciliation: a backup's wait's deadline, backoff and
//! fault policy (sized for a restore), with progress that never goes back (a figure read after
//! the appliance's services restarted).

use std::future::Future;
use std::time::Duration;

use super::options::WaitOptions;
use crate::error::RecoveryWaitError;
use crate::job::details::TaskState;
use crate::job::status::{JobState, Percent};
use crate::restore::{Reconciliation, RestoreStatus};
use crate::retry::Stop;
use crate::retry::backoff::ExponentialBackoff;
use crate::retry::faults::RetryTransient;
use crate::{Client, Error, Message, ServerError};

/// How long a restore's wait rides out an appliance that does not answer, refuses sessions or
/// answers 503 by default: its services restart during a restore, for minutes at a time.
pub const RESTORE_OUTAGE: Duration = Duration::from_secs(30 * 60);

impl WaitOptions {
    /// The options of a restore's or a reconciliation's wait: up to 12 hours, a read every
    /// 1 s growing to 30 s ([`ExponentialBackoff::default`]), riding out the failures
    /// [`RetryTransient`] does for `outage` in a row ([`RESTORE_OUTAGE`], 30 minutes, by default).
    pub fn for_restore(outage: Duration) -> Self {
        Self::default()
            .backoff(ExponentialBackoff::default())
            .fault_policy(RetryTransient::new(outage))
    }
}

/// What a recovery wait follows: a restore or a reconciliation.
trait Followed: Sized {
    /// Whether it ended: `Some(true)` succeeded, `Some(false)` failed.
    fn ended(&self) -> Option<bool>;
    /// Its progress, kept from going back.
    fn progress(&mut self) -> &mut Percent;
}

/// Each status [`Followed`], and its wait's error as an [`Error`].
macro_rules! followed {
    ($($status:ty: $succeeded:expr),*) => {$(
        /// [`Error::RecoveryWait`], keeping of the last status its messages.
        impl From<RecoveryWaitError<$status>> for Error {
            fn from(error: RecoveryWaitError<$status>) -> Self {
                Self::RecoveryWait(Box::new(error.map_last(|status| status.messages)))
            }
        }

        impl Followed for $status {
            fn ended(&self) -> Option<bool> {
                self.state.is_terminal().then_some(self.state == $succeeded)
            }
            fn progress(&mut self) -> &mut Percent {
                &mut self.progress
            }
        }
    )*};
}

followed!(RestoreStatus: JobState::Succeeded, Reconciliation: TaskState::Succeeded);

impl Client {
    /// Waits until the restore ends, riding out the appliance's restarts as `options`'
    /// fault policy allows (see [`WaitOptions::for_restore`]); `on_status` sees every status
    /// read, progress never going back. Never starts anything.
    ///
    /// # Errors
    ///
    /// [`RecoveryWaitError`]: the restore failed, the deadline passed, or a read failed for good.
    pub async fn wait_for_restore(
        &self,
        options: &WaitOptions,
        on_status: impl FnMut(&RestoreStatus),
    ) -> Result<RestoreStatus, RecoveryWaitError<RestoreStatus>> {
        follow(
            options,
            || async { self.restore_status().await.map(Some) },
            on_status,
        )
        .await
    }

    /// Waits until the reconciliation ends, as [`wait_for_restore`](Self::wait_for_restore)
    /// does. When the appliance stops showing the job (it answers 404 once a job has ended),
    /// the job has ended and the wait returns the last status it read: its `status` may still
    /// say `RUNNING`, and the appliance reports nothing more about it.
    ///
    /// # Errors
    ///
    /// [`RecoveryWaitError`]: the reconciliation failed, the deadline passed, a read failed for
    /// good, or no reconciliation job was running at the first read ([`Error::NotFound`]).
    pub async fn wait_for_reconciliation(
        &self,
        options: &WaitOptions,
        on_status: impl FnMut(&Reconciliation),
    ) -> Result<Reconciliation, RecoveryWaitError<Reconciliation>> {
        follow(options, || self.reconciliation_status(), on_status).await
    }
}

/// Reads until the job ends; `None` from `read` means the job is no longer shown.
async fn follow<T, F, Fut>(
    options: &WaitOptions,
    mut read: F,
    mut on_status: impl FnMut(&T),
) -> Result<T, RecoveryWaitError<T>>
where
    T: Followed,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, Error>> + Send,
{
    let mut pace = options.pace(options.start());
    let mut last: Option<T> = None;
    loop {
        let decide = |error: &_, streak: &_| options.faults.on_error(error, streak);
        let mut status = match pace
            .retry_within("reading the job", None, decide, &mut read)
            .await
        {
            Ok(Some(status)) => status,
            Ok(None) => {
                return last.ok_or_else(|| RecoveryWaitError::ReadFailed {
                    last: None,
                    error: no_job(),
                    summary: pace.summary(),
                });
            }
            Err(Stop::GaveUp(error)) => {
                return Err(RecoveryWaitError::ReadFailed {
                    last,
                    error,
                    summary: pace.summary(),
                });
            }
            Err(Stop::OutOfTime(error)) => {
                return Err(RecoveryWaitError::TimedOut {
                    last,
                    error: Some(error),
                    summary: pace.summary(),
                });
            }
        };
        if let Some(before) = &mut last {
            *status.progress() = (*before.progress()).max(*status.progress());
        }
        on_status(&status);
        match status.ended() {
            Some(true) => return Ok(status),
            Some(false) => {
                return Err(RecoveryWaitError::Failed {
                    last: status,
                    summary: pace.summary(),
                });
            }
            None => {}
        }
        last = Some(status);
        if pace.schedule(None).is_none() {
            return Err(RecoveryWaitError::TimedOut {
                last,
                error: None,
                summary: pace.summary(),
            });
        }
    }
}

/// A reconciliation wait that found no job at its first read.
fn no_job() -> Error {
    let none = Message::new(
        "vcsa_backup.reconciliation.none",
        "no reconciliation job is running; start one first",
    );
    Error::NotFound(ServerError {
        status: Some(404),
        ..ServerError::new(None, vec![none])
    })
}
