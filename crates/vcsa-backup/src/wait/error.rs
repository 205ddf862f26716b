//! The errors a wait ends with (declared beside [`Error`], which holds them), and how a
//! restore's or a reconciliation's becomes an [`Error`] with `?`.

pub use crate::error::{
    BlockingJob, JobFailed, NotStarted, NotStartedReason, ReadFailed, RecoveryWaitError, Stalled,
    TimedOut, WaitError,
};

use crate::Error;
use crate::restore::{Reconciliation, RestoreStatus};

/// [`Error::RecoveryWait`], keeping of the restore's last status its messages.
impl From<RecoveryWaitError<RestoreStatus>> for Error {
    fn from(error: RecoveryWaitError<RestoreStatus>) -> Self {
        Self::RecoveryWait(Box::new(error.map_last(|status| status.messages)))
    }
}

/// [`Error::RecoveryWait`], keeping of the reconciliation's last status its messages.
impl From<RecoveryWaitError<Reconciliation>> for Error {
    fn from(error: RecoveryWaitError<Reconciliation>) -> Self {
        Self::RecoveryWait(Box::new(error.map_last(|status| status.messages)))
    }
}
