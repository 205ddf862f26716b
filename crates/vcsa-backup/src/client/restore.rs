//! The recovery operations: connecting to an appliance that awaits restore, validating and
//! starting a restore, its status and cancel, and the reconciliation job that follows.

use vcsa_backup_api::Secret;

use crate::address::server_url;
use crate::client::Client;
use crate::client::builder::ClientBuilder;
use crate::client::resolve::{may_have_started, settle};
use crate::error::{BuildError, Error};
use crate::job::status::{JobState, Outcome};
use crate::restore::{Reconciliation, RestoreCheck, RestoreRequest, RestoreStatus};
use crate::wire::convert::IntoDomain;
use crate::wire::restore_twins::{
    CancelRestoreJob, GetReconciliationJob, GetRecovery, GetRestoreJob, StartReconciliation,
    StartRestore, ValidateRestore,
};

/// The port an appliance that awaits restore serves the recovery API on (its management
/// interface), when the address names none.
pub const RESTORE_PORT: u16 = 5480;
/// The account that usually logs in to an appliance that awaits restore.
pub const RESTORE_USER: &str = "root";

impl Client {
    /// A builder for a client of an appliance that awaits restore: `address` as for
    /// [`Client::builder`], on port [`RESTORE_PORT`] unless it names one. Set the credentials
    /// (usually [`RESTORE_USER`]) and the trust options as for any client.
    ///
    /// ```
    /// use vcsa_backup::{Client, RESTORE_USER, Secret};
    ///
    /// let client = Client::restore_builder("vcsa-new.example.com")?
    ///     .credentials(RESTORE_USER, Secret::new("VMware1!"))
    ///     .build()?;
    /// assert_eq!(client.base_url(), "https://vcsa-new.example.com:5480");
    /// let other = Client::restore_builder("https://10.0.0.7:8443")?.build()?;
    /// assert_eq!(other.base_url(), "https://10.0.0.7:8443");
    /// # Ok::<(), vcsa_backup::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`BuildError`] when the address cannot be an appliance's (see [`server_url`]).
    pub fn restore_builder(address: &str) -> Result<ClientBuilder, BuildError> {
        let base = server_url(address)?;
        let with_port = url::Url::parse(&base).ok().and_then(|mut url| {
            let unset = url.port().is_none() && url.set_port(Some(RESTORE_PORT)).is_ok();
            unset.then(|| url.as_str().trim_end_matches('/').to_string())
        });
        Ok(Client::builder(with_port.unwrap_or(base)))
    }

    /// Whether the appliance supports backup and restore.
    ///
    /// # Errors
    ///
    /// Those of [every call](Client#errors-of-every-call).
    pub async fn recovery_supported(&self) -> Result<bool, Error> {
        Ok(self.call(&GetRecovery).await?.supported)
    }

    /// Asks an appliance that awaits restore to check `request` without restoring: whether the
    /// backup can be restored here, where it comes from, and why not. Never sends
    /// `ignore_warnings`.
    ///
    /// # Errors
    ///
    /// - [`Error::NotAllowedInCurrentState`]: the appliance does not await a restore.
    /// - [`Error::InvalidRequest`]: the appliance refused the request (no backup in the folder,
    ///   a wrong encryption password, wrong credentials for the location).
    /// - [`Error::NotFound`]: the location or the backup does not exist.
    /// - And [those of every call](Client#errors-of-every-call).
    pub async fn validate_restore(&self, request: &RestoreRequest) -> Result<RestoreCheck, Error> {
        self.call_into(&ValidateRestore(request)).await
    }

    /// Starts restoring `request`'s backup into an appliance that awaits restore. Never sent
    /// twice: a lost answer is settled as for [`start_backup`](Self::start_backup), by the
    /// restore's status: a restore in any state but `NONE` is this one; `NONE` means nothing
    /// started.
    ///
    /// # Errors
    ///
    /// - [`Error::NotAllowedInCurrentState`]: the appliance does not await a restore (restore
    ///   is allowed only after deployment and before its first boot configuration).
    /// - [`Error::BackupInProgress`]: a backup or restore is already running.
    /// - [`Error::InvalidRequest`], [`Error::NotFound`]: the appliance refused the request.
    /// - [`Error::OutcomeUnknown`]: the answer was lost and the status could not be read.
    /// - And [those of every call](Client#errors-of-every-call).
    pub async fn start_restore(&self, request: &RestoreRequest) -> Result<RestoreStatus, Error> {
        // Logged in first, so that a failure to log in is never taken for a lost answer.
        self.session().await?;
        let lost = match self.call(&StartRestore(request)).await {
            Err(error) if may_have_started(&error) => error,
            other => return other.map(IntoDomain::into_domain),
        };
        tracing::warn!(
            error = %lost,
            "the answer to the restore's start was lost; reading its status to find out whether it started"
        );
        match settle("reading the restore after a lost answer", || {
            self.restore_status()
        })
        .await
        {
            Ok(status) if status.state == JobState::NotStarted => Err(lost.lost_change(None)),
            Ok(status) => Ok(status),
            Err(error) => Err(Error::OutcomeUnknown {
                operation: "start a restore",
                location: request.location().to_string(),
                candidates: Vec::new(),
                reason: format!("the restore's status could not be read ({error})"),
            }),
        }
    }

    /// The restore job's status; its state is `NONE` before any restore.
    ///
    /// # Errors
    ///
    /// Those of [every call](Client#errors-of-every-call).
    pub async fn restore_status(&self) -> Result<RestoreStatus, Error> {
        self.call_into(&GetRestoreJob).await
    }

    /// Asks the appliance to cancel the restore; the outcome says whether it agreed.
    ///
    /// # Errors
    ///
    /// Those of [every call](Client#errors-of-every-call).
    pub async fn cancel_restore(&self) -> Result<Outcome, Error> {
        self.call_into(&CancelRestoreJob).await
    }

    /// Starts the reconciliation of a restored appliance with its enhanced linked mode
    /// partners, with the SSO administrator's credentials; `ignore_warnings` goes ahead despite
    /// warnings. Never repeated by the client.
    ///
    /// # Errors
    ///
    /// - [`Error::NotAllowedInCurrentState`]: the appliance cannot reconcile now.
    /// - [`Error::InvalidRequest`]: the appliance refused the request (wrong SSO credentials).
    /// - And [those of every call](Client#errors-of-every-call).
    pub async fn start_reconciliation(
        &self,
        sso_admin: Option<(&str, &Secret)>,
        ignore_warnings: bool,
    ) -> Result<Reconciliation, Error> {
        let start = StartReconciliation {
            sso_admin,
            ignore_warnings,
        };
        self.call_into(&start).await
    }

    /// The reconciliation job, or `None` when none is running: the appliance answers 404 then,
    /// before any reconciliation and possibly after one ended.
    ///
    /// # Errors
    ///
    /// Those of [every call](Client#errors-of-every-call).
    pub async fn reconciliation_status(&self) -> Result<Option<Reconciliation>, Error> {
        let info = Error::unless_not_found(self.call(&GetReconciliationJob).await)?;
        Ok(info.map(IntoDomain::into_domain))
    }
}
