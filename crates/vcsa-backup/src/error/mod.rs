//! The SDK's one error type, [`Error`], with a variant for each case that changes what the caller
//! does next.
//!
//! Each call returns its narrowest error: [`Error`] for a call to the appliance, [`BuildError`]
//! for a builder, [`WaitError`] or [`RecoveryWaitError`] for a wait, and the fleet's and the health
//! policy's own errors for their settings. Each converts into [`Error`] with `?`.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

use crate::job::JobId;
use crate::message::Message;

mod advice;
mod certificate;
pub(crate) mod problem;
mod wait;

pub use crate::server_error::{ServerError, ServerErrorType};
pub use advice::RetryAdvice;
pub use certificate::PeerCertificate;
pub use problem::{BuildError, Field, Problem};
pub use wait::{
    BlockingJob, JobFailed, NotStarted, NotStartedReason, ReadFailed, RecoveryWaitError, Stalled,
    TimedOut, WaitError, WaitSummary,
};

/// Everything that can go wrong, sorted by what to do next.
///
/// Each operation of [`Client`](crate::Client) lists the variants it can return. `Display` says
/// what happened and what to do, and prints the appliance's message stack when there is one
/// ([`summary`](Self::summary)'s example shows the parts).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A backup or restore is already running (`FEATURE_IN_USE`): only one runs at a time.
    /// Wait for it to end, then try again.
    BackupInProgress(ServerError),
    /// The job, schedule or other resource named in the request does not exist (`NOT_FOUND`).
    NotFound(ServerError),
    /// The appliance refused the log in or the session; [`AuthFailure`] says which.
    #[non_exhaustive]
    NotAuthenticated {
        /// What was refused.
        reason: AuthFailure,
        /// The appliance's own answer, when it gave one.
        server: Option<Box<ServerError>>,
    },
    /// The session expired before the appliance accepted a change (start a backup, run a
    /// schedule, cancel a job): nothing was done, and a new session is open to call again.
    #[non_exhaustive]
    SessionExpired {
        /// The operation that was not carried out, in words (`start a backup`).
        operation: &'static str,
    },
    /// The user may not do this (`UNAUTHORIZED`): use an account with the backup privilege.
    NotAuthorized(ServerError),
    /// The appliance does not allow this in its state (`NOT_ALLOWED_IN_CURRENT_STATE`), such as
    /// a restore to an appliance that does not await one.
    NotAllowedInCurrentState(ServerError),
    /// The request is wrong: found before sending it, or refused by the appliance
    /// (`INVALID_ARGUMENT`). Fix it; retrying unchanged will not help.
    InvalidRequest(InvalidRequest),
    /// The appliance could not be reached, did not answer in time, or is busy or starting
    /// (`SERVICE_UNAVAILABLE`, `TIMED_OUT`, `RESOURCE_BUSY`, connection failures, and HTTP 502,
    /// 503 or 504 pages from its web front end or a proxy). Try again later.
    #[non_exhaustive]
    Transient {
        /// What went wrong.
        reason: String,
        /// The appliance's own answer, when it gave one.
        server: Option<Box<ServerError>>,
        /// The underlying transport error, when there was one.
        source: Option<Box<dyn StdError + Send + Sync>>,
        /// The change the request carried (`start a restore`), when it may have reached the
        /// appliance before its answer was lost ([`RetryAdvice::CheckFirst`]).
        change: Option<&'static str>,
    },
    /// The appliance's TLS certificate is not trusted: it does not match the pinned thumbprint or
    /// is not signed by a trusted authority. Check the thumbprint or the CA certificate.
    #[non_exhaustive]
    UntrustedCertificate {
        /// What the TLS layer reported.
        reason: String,
        /// The certificate the appliance presented, when the TLS layer saw one (with the
        /// `rustls` feature): its thumbprint is what to pin once a person has checked it.
        certificate: Option<Box<PeerCertificate>>,
    },
    /// Any other error the appliance reported; its type, messages and data are kept.
    Server(ServerError),
    /// The appliance's answer could not be understood: the wrong shape, truncated, or not JSON.
    /// Not transient: an undecodable answer usually means the base URL points at something other
    /// than the appliance's API.
    #[non_exhaustive]
    MalformedResponse {
        /// The HTTP status of an error answer; `None` for a success answer (the generated
        /// client does not keep the status of a body it could not decode) or no answer.
        status: Option<u16>,
        /// What was wrong with it.
        reason: String,
        /// The start of the body, for diagnosis (redacted where it could hold a session token).
        excerpt: String,
    },
    /// A start (a backup, a schedule run) whose answer was lost may or may not have happened,
    /// and the appliance's jobs could not settle it (two could be the one, or they could not be
    /// read). It was not sent again; look at the appliance's recent jobs before retrying.
    #[non_exhaustive]
    OutcomeUnknown {
        /// The operation whose answer was lost, in words (`start a backup`).
        operation: &'static str,
        /// Where the backup would go: the backup's location, or the schedule's location root.
        location: String,
        /// Jobs that could be the one started (empty when the appliance could not be read).
        candidates: Vec<JobId>,
        /// Why it could not be settled.
        reason: String,
    },
    /// The client's own settings are wrong: found by [`ClientBuilder::build`](crate::ClientBuilder::build)
    /// (base URL, credentials, certificates, thumbprints), or a base URL the appliance redirects
    /// away from.
    #[non_exhaustive]
    Configuration {
        /// Every problem found.
        problems: Vec<Problem>,
    },
    /// A backup's wait ended without the job's success; the wait's own error says why, with the
    /// job's last status.
    Wait(#[from] WaitError),
    /// A restore's or a reconciliation's wait ended without its success; of the job's last
    /// status, its messages are kept.
    RecoveryWait(#[source] Box<RecoveryWaitError<Vec<Message>>>),
}

/// Why the appliance did not accept a log in or a session: [`Error::NotAuthenticated`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthFailure {
    /// The client was built without a user name and password.
    NoCredentials,
    /// The appliance refused the log in of this user: a wrong user name or password, or a
    /// locked account. Retrying will not help (and failed log ins can lock the account).
    LoginRefused {
        /// The user name that was refused.
        user: String,
    },
    /// The appliance did not accept the session (or the credentials) a call was sent with.
    SessionRefused,
    /// The log in succeeded, but the appliance refused the new session on the next call: a proxy
    /// that drops the session header does this, and so do services restarting.
    FreshSessionRefused,
}

impl AuthFailure {
    /// What happened.
    fn what(&self) -> String {
        match self {
            Self::NoCredentials => "no user name and password were given to the client".into(),
            Self::LoginRefused { user } => {
                format!("the appliance refused the log in of \"{user}\"")
            }
            Self::SessionRefused => {
                "the appliance did not accept the session or the credentials".into()
            }
            Self::FreshSessionRefused => {
                "the log in succeeded, but the appliance refused the new session at once".into()
            }
        }
    }

    /// What to do about it.
    fn advice(&self) -> &'static str {
        match self {
            Self::NoCredentials => "give the user name and password of the appliance account",
            Self::LoginRefused { .. } | Self::SessionRefused => {
                "check the user name and password, and that the account is not locked"
            }
            // The credentials were just accepted: suspecting them would mislead.
            Self::FreshSessionRefused => {
                "if a proxy stands between the client and the appliance, check that it passes the \
                 vmware-api-session-id header, otherwise try again later"
            }
        }
    }
}

impl fmt::Display for AuthFailure {
    /// What happened, then what to do.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.what(), self.advice())
    }
}

/// Why a request is invalid: problems found before sending it, or the appliance's refusal.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum InvalidRequest {
    /// Problems found before anything was sent, every one of them.
    Problems(Vec<Problem>),
    /// The appliance refused the request.
    Rejected(ServerError),
}

impl Error {
    /// The appliance's own report, for the variants that carry one.
    pub fn server_error(&self) -> Option<&ServerError> {
        match self {
            Self::BackupInProgress(e)
            | Self::NotFound(e)
            | Self::NotAuthorized(e)
            | Self::NotAllowedInCurrentState(e)
            | Self::Server(e)
            | Self::InvalidRequest(InvalidRequest::Rejected(e)) => Some(e),
            Self::NotAuthenticated { server, .. } | Self::Transient { server, .. } => {
                server.as_deref()
            }
            _ => None,
        }
    }

    /// The problems found before sending, for an invalid request caught by the SDK.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Self::InvalidRequest(InvalidRequest::Problems(p)) => p,
            _ => &[],
        }
    }

    /// A [`MalformedResponse`](Self::MalformedResponse) to a success answer, with no excerpt: an
    /// answer that decoded but cannot be what it says, such as a negative size.
    pub(crate) fn malformed(reason: impl Into<String>) -> Self {
        Self::MalformedResponse {
            status: None,
            reason: reason.into(),
            excerpt: String::new(),
        }
    }

    pub(crate) fn problems_found(problems: Vec<Problem>) -> Self {
        Self::InvalidRequest(InvalidRequest::Problems(problems))
    }

    /// The same refusal, for `reason`; any other error as it is.
    pub(crate) fn refused_as(self, reason: AuthFailure) -> Self {
        match self {
            Self::NotAuthenticated { server, .. } => Self::NotAuthenticated { reason, server },
            other => other,
        }
    }

    /// `None` for [`NotFound`](Self::NotFound), the other errors as they are.
    pub(crate) fn unless_not_found<T>(result: Result<T, Self>) -> Result<Option<T>, Self> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(Self::NotFound(_)) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// A [`Transient`](Self::Transient) failure of no change.
    pub(crate) fn transient(
        reason: impl Into<String>,
        server: Option<ServerError>,
        source: Option<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Self::Transient {
            reason: reason.into(),
            server: server.map(Box::new),
            source,
            change: None,
        }
    }

    /// The same transient failure, met by `change` (`start a restore`) whose request may have
    /// reached the appliance; `None` once the appliance's jobs showed that it was not done.
    pub(crate) fn lost_change(mut self, change: Option<&'static str>) -> Self {
        if let Self::Transient { change: lost, .. } = &mut self {
            *lost = change;
        }
        self
    }

    /// What happened, in an administrator's words, without the appliance's messages or the
    /// advice: `a backup or restore is already running on the appliance`.
    ///
    /// ```
    /// use vcsa_backup::{Error, Message, ServerError};
    ///
    /// let said = ServerError::new(None, vec![Message::new("busy", "A backup is running")]);
    /// let error = Error::BackupInProgress(said);
    /// assert_eq!(error.summary(), "a backup or restore is already running on the appliance");
    /// assert_eq!(error.appliance_messages()[0].to_string(), "A backup is running");
    /// assert_eq!(error.hint().as_deref(), Some("wait for it to finish, then try again"));
    /// assert_eq!(
    ///     error.to_string(),
    ///     "a backup or restore is already running on the appliance (A backup is running.); \
    ///      wait for it to finish, then try again"
    /// );
    /// ```
    pub fn summary(&self) -> Cow<'_, str> {
        match self {
            Self::BackupInProgress(_) => {
                "a backup or restore is already running on the appliance".into()
            }
            Self::NotFound(_) => "the appliance has no such job or schedule".into(),
            Self::NotAuthenticated { reason, .. } => {
                format!("not logged in: {}", reason.what()).into()
            }
            Self::SessionExpired { operation } => format!(
                "the session expired before the appliance accepted \"{operation}\", so nothing \
                 was done"
            )
            .into(),
            Self::NotAllowedInCurrentState(_) => {
                "the appliance does not allow this in its current state".into()
            }
            Self::NotAuthorized(_) => "the user is not allowed to do this".into(),
            Self::InvalidRequest(InvalidRequest::Problems(problems)) => format!(
                "the request is invalid and was not sent: {}",
                problem::joined(problems)
            )
            .into(),
            Self::InvalidRequest(InvalidRequest::Rejected(_)) => {
                "the appliance refused the request as invalid".into()
            }
            Self::Transient { reason, .. } => reason.as_str().into(),
            Self::UntrustedCertificate {
                reason,
                certificate,
            } => {
                let mut text = format!("the appliance's TLS certificate is not trusted ({reason})");
                if let Some(certificate) = certificate {
                    text += "; it presented the certificate with SHA-256 thumbprint ";
                    text += &certificate.thumbprint_sha256();
                }
                text.into()
            }
            Self::Server(e) => match &e.error_type {
                Some(t) => format!("the appliance reported an error, {t}").into(),
                None => "the appliance reported an error".into(),
            },
            Self::MalformedResponse {
                status,
                reason,
                excerpt,
            } => {
                let status = status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
                let mut text =
                    format!("the appliance's answer could not be understood{status}: {reason}");
                if !excerpt.is_empty() {
                    text += "; it began: ";
                    text += excerpt;
                }
                text.into()
            }
            Self::OutcomeUnknown {
                operation,
                candidates,
                reason,
                ..
            } => {
                let mut text = format!(
                    "the answer to \"{operation}\" was lost, and whether the appliance did it is \
                     unknown: {reason}"
                );
                if !candidates.is_empty() {
                    let ids: Vec<&str> = candidates.iter().map(JobId::as_str).collect();
                    text += &format!(" (jobs that could be it: {})", ids.join(", "));
                }
                text.into()
            }
            Self::Configuration { problems } => format!(
                "the client settings are invalid, so nothing was sent: {}",
                problem::joined(problems)
            )
            .into(),
            Self::Wait(e) => e.summary().into(),
            Self::RecoveryWait(e) => e.to_string().into(),
        }
    }

    /// The appliance's own messages, first the failure then each cause; empty when it sent none.
    pub fn appliance_messages(&self) -> &[Message] {
        match (self, self.server_error()) {
            (_, Some(e)) => &e.messages,
            (Self::Wait(e), None) => e.appliance_messages(),
            (Self::RecoveryWait(e), None) => e.appliance_messages(),
            _ => &[],
        }
    }

    /// What to do next, in an administrator's words; `None` when [`summary`](Self::summary)
    /// already says it (a failed read's wait error or a recovery wait's does).
    pub fn hint(&self) -> Option<Cow<'static, str>> {
        let hint: Cow<'static, str> = match self {
            Self::BackupInProgress(_) => "wait for it to finish, then try again".into(),
            Self::NotFound(_) => "check the job id against the appliance's list of jobs, or the \
                                  schedule id (appliances have one, usually \"default\")"
                .into(),
            Self::NotAuthenticated { reason, .. } => reason.advice().into(),
            Self::SessionExpired { .. } => {
                "a new session is open, so it is safe to call again".into()
            }
            Self::NotAllowedInCurrentState(_) => {
                "a restore needs a freshly deployed appliance that awaits restore (stage 1 of the \
                 installer done, before its first boot configuration)"
                    .into()
            }
            Self::NotAuthorized(_) => "use an account with the backup privilege".into(),
            Self::InvalidRequest(InvalidRequest::Problems(_)) => {
                "fix these settings, then send the request again".into()
            }
            Self::InvalidRequest(InvalidRequest::Rejected(_)) => {
                "fix the request as the messages say, then send it again; retrying it unchanged \
                 will fail the same way"
                    .into()
            }
            Self::Transient { change: None, .. } => {
                "this is usually temporary, try again in a moment".into()
            }
            Self::Transient {
                change: Some(change),
                ..
            } => format!(
                "the request may have reached the appliance before the answer was lost, so check \
                 whether it did \"{change}\" before sending it again"
            )
            .into(),
            Self::UntrustedCertificate { .. } => {
                "check the pinned thumbprint or the CA certificate you configured".into()
            }
            Self::Server(e) => server_advice(e.error_type.as_ref()).into(),
            Self::MalformedResponse { .. } => {
                "check that the base URL points at the appliance itself, not a proxy or another \
                 service"
                    .into()
            }
            Self::OutcomeUnknown { location, .. } => format!(
                "it was not sent again; before trying again, check the appliance's recent jobs \
                 (vcsa-backup list) for a backup to {location}"
            )
            .into(),
            Self::Configuration { .. } => "fix these settings, then build the client again".into(),
            Self::Wait(e) => return e.hint().map(Cow::Borrowed),
            Self::RecoveryWait(_) => return None,
        };
        Some(hint)
    }
}

impl fmt::Display for Error {
    /// `<summary> (<the appliance's messages>); <hint>`; a wait's error as it says itself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Self::Wait(e) = self {
            return e.fmt(f);
        }
        f.write_str(&self.summary())?;
        if let Some(e) = self.server_error() {
            write!(f, " ({e})")?;
        }
        match self.hint() {
            Some(hint) => write!(f, "; {hint}"),
            None => Ok(()),
        }
    }
}

/// What an administrator can do about an error the SDK has no dedicated variant for.
fn server_advice(error_type: Option<&ServerErrorType>) -> &'static str {
    use ServerErrorType as T;
    match error_type {
        Some(T::AlreadyExists) => {
            "something by that name already exists: a backup in the target folder (choose \
             another folder), or a backup schedule (this appliance has one schedule, `default`: \
             change it with an update instead of creating another)"
        }
        Some(T::NotAllowedInCurrentState | T::ResourceInUse | T::ConcurrentChange) => {
            "the appliance is busy with something that prevents this now; wait for it to finish, \
             then try again"
        }
        Some(T::ResourceInaccessible) => {
            "the appliance could not reach the backup location; check from the appliance that \
             the server is reachable and the location's credentials are right"
        }
        Some(T::UnableToAllocateResource) => {
            "the appliance or the backup location ran out of resources, such as disk space; free \
             some, then try again"
        }
        Some(T::UnverifiedPeer) => {
            "the appliance could not verify the backup server's identity; check the server's \
             certificate or host key"
        }
        Some(T::Unsupported | T::OperationNotFound) => {
            "this appliance's version does not support it; check the vSphere version's \
             documentation"
        }
        Some(T::Canceled) => "the operation was cancelled; start it again if it is still needed",
        _ => {
            "see the appliance's backup log (/var/log/vmware/applmgmt/backup.log) for the cause; \
             try again later, and contact VMware support if it keeps failing"
        }
    }
}

impl From<BuildError> for Error {
    fn from(e: BuildError) -> Self {
        Self::problems_found(e.problems)
    }
}
