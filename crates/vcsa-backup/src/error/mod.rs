//! The SDK's one error type, with a variant for each case that changes what the caller does next.

use std::error::Error as StdError;
use std::fmt;

use crate::job::JobId;

mod certificate;
pub(crate) mod problem;

pub use crate::server_error::{ServerError, ServerErrorType};
pub use certificate::PeerCertificate;
pub use problem::{BuildError, Field, Problem};

/// Everything that can go wrong, sorted by what to do next.
///
/// Each operation of [`Client`](crate::Client) lists the variants it can return. `Display` says
/// what happened and what to do, and prints the appliance's message stack when there is one.
///
/// ```
/// use vcsa_backup::{BackupRequest, Error};
///
/// let error: Error = BackupRequest::builder().build().unwrap_err().into();
/// assert!(matches!(error, Error::InvalidRequest(_)));
/// assert!(!error.is_retryable());
/// assert!(error.to_string().contains("location"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A backup or restore is already running (`FEATURE_IN_USE`): only one runs at a time.
    /// Wait for it to end, then try again.
    BackupInProgress(ServerError),
    /// The job, schedule or other resource named in the request does not exist (`NOT_FOUND`).
    NotFound(ServerError),
    /// The appliance refused the credentials (check the user name and password; retrying will
    /// not help), or refused the session it had just opened (check that a proxy in between
    /// passes the session header).
    #[non_exhaustive]
    NotAuthenticated {
        /// What was refused.
        reason: AuthFailure,
        /// The appliance's own answer, when it gave one.
        server: Option<Box<ServerError>>,
    },
    /// The session expired before the appliance accepted a call that changes something (start a
    /// backup, run a schedule, cancel a job). The call had no effect and was not repeated, so it
    /// cannot run twice; a new session is open, so calling again is safe.
    #[non_exhaustive]
    SessionExpired {
        /// The operation that was not carried out, in words (`start a backup`).
        operation: &'static str,
    },
    /// The user may not do this (`UNAUTHORIZED`): use an account with the backup privilege.
    NotAuthorized(ServerError),
    /// The appliance does not allow this in its state (`NOT_ALLOWED_IN_CURRENT_STATE`): a
    /// restore needs a freshly deployed appliance that awaits restore (after deployment, before
    /// its first boot configuration), and a normal appliance refuses it.
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
    /// A start (a backup, a schedule run) may or may not have happened: the request may have
    /// reached the appliance, its answer was lost (the connection dropped, a proxy answered 502,
    /// 503 or 504, or the client's time-out passed), and reading the appliance's jobs afterwards
    /// could not settle it: two jobs could be the one, or the appliance could not be read. The
    /// start was not sent again. Do not retry blindly: look at the appliance's recent jobs
    /// (`vcsa-backup list`) for a job at the location first.
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
    /// The log in succeeded, but the appliance refused the new session on the next call: the
    /// credentials are right. A proxy that drops the session header does this, and so does an
    /// appliance whose services are restarting.
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
    /// Whether the same call may succeed later without changing anything: a backup already
    /// running (once it ends), a transient failure, or a session that expired before a change.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::BackupInProgress(_) | Self::Transient { .. } | Self::SessionExpired { .. }
        )
    }

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

    pub(crate) fn problems_found(problems: Vec<Problem>) -> Self {
        Self::InvalidRequest(InvalidRequest::Problems(problems))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BackupInProgress(e) => write!(
                f,
                "a backup or restore is already running on the appliance; wait for it to finish, \
                 then try again ({e})"
            ),
            Self::NotFound(e) => write!(
                f,
                "the appliance has no such job or schedule ({e}); check the job id against the \
                 appliance's list of jobs, or the schedule id (appliances have one, usually \
                 \"default\")"
            ),
            Self::NotAuthenticated { reason, server } => {
                write!(f, "not logged in: {}", reason.what())?;
                if let Some(e) = server {
                    write!(f, " ({e})")?;
                }
                write!(f, "; {}", reason.advice())
            }
            Self::SessionExpired { operation } => write!(
                f,
                "the session expired before the appliance accepted \"{operation}\", so nothing \
                 was done; a new session is open, so it is safe to call again"
            ),
            Self::NotAllowedInCurrentState(e) => write!(
                f,
                "the appliance does not allow this in its current state ({e}); a restore needs \
                 a freshly deployed appliance that awaits restore (stage 1 of the installer \
                 done, before its first boot configuration)"
            ),
            Self::NotAuthorized(e) => write!(
                f,
                "the user is not allowed to do this; use an account with the backup privilege \
                 ({e})"
            ),
            Self::InvalidRequest(InvalidRequest::Problems(problems)) => {
                f.write_str("the request is invalid and was not sent: ")?;
                problem::write_problems(f, problems)?;
                f.write_str(". Fix these settings, then send the request again")
            }
            Self::InvalidRequest(InvalidRequest::Rejected(e)) => write!(
                f,
                "the appliance refused the request as invalid: {e} Fix the request as the \
                 messages say, then send it again; retrying it unchanged will fail the same way"
            ),
            Self::Transient { reason, server, .. } => {
                write!(f, "{reason}")?;
                if let Some(e) = server {
                    write!(f, " ({e})")?;
                }
                f.write_str("; this is usually temporary, try again in a moment")
            }
            Self::UntrustedCertificate {
                reason,
                certificate,
            } => {
                write!(
                    f,
                    "the appliance's TLS certificate is not trusted ({reason})"
                )?;
                if let Some(certificate) = certificate {
                    write!(
                        f,
                        "; it presented the certificate with SHA-256 thumbprint {}",
                        certificate.thumbprint_sha256()
                    )?;
                }
                f.write_str("; check the pinned thumbprint or the CA certificate you configured")
            }
            Self::Server(e) => {
                f.write_str("the appliance reported an error")?;
                if let Some(t) = &e.error_type {
                    write!(f, " ({t})")?;
                }
                write!(f, ": {e} {}", server_advice(e.error_type.as_ref()))
            }
            Self::MalformedResponse {
                status,
                reason,
                excerpt,
            } => {
                f.write_str("the appliance's answer could not be understood")?;
                if let Some(s) = status {
                    write!(f, " (HTTP {s})")?;
                }
                write!(f, ": {reason}")?;
                if !excerpt.is_empty() {
                    write!(f, "; it began: {excerpt}")?;
                }
                f.write_str(
                    "; check that the base URL points at the appliance itself, not a proxy or \
                     another service",
                )
            }
            Self::OutcomeUnknown {
                operation,
                location,
                candidates,
                reason,
            } => {
                write!(
                    f,
                    "the answer to \"{operation}\" was lost, and whether the appliance did it \
                     is unknown: {reason}"
                )?;
                if !candidates.is_empty() {
                    let ids: Vec<&str> = candidates.iter().map(JobId::as_str).collect();
                    write!(f, " (jobs that could be it: {})", ids.join(", "))?;
                }
                write!(
                    f,
                    "; it was not sent again. Before trying again, check the appliance's recent \
                     jobs (vcsa-backup list) for a backup to {location}"
                )
            }
            Self::Configuration { problems } => {
                f.write_str("the client settings are invalid, so nothing was sent: ")?;
                problem::write_problems(f, problems)
            }
        }
    }
}

/// What an administrator can do about an error the SDK has no dedicated variant for.
fn server_advice(error_type: Option<&ServerErrorType>) -> &'static str {
    use ServerErrorType as T;
    match error_type {
        Some(T::AlreadyExists) => {
            "Something by that name already exists: a backup in the target folder (choose \
             another folder), or a backup schedule (this appliance has one schedule, `default`: \
             change it with an update instead of creating another)."
        }
        Some(T::NotAllowedInCurrentState | T::ResourceInUse | T::ConcurrentChange) => {
            "The appliance is busy with something that prevents this now; wait for it to finish, \
             then try again."
        }
        Some(T::ResourceInaccessible) => {
            "The appliance could not reach the backup location; check from the appliance that \
             the server is reachable and the location's credentials are right."
        }
        Some(T::UnableToAllocateResource) => {
            "The appliance or the backup location ran out of resources, such as disk space; free \
             some, then try again."
        }
        Some(T::UnverifiedPeer) => {
            "The appliance could not verify the backup server's identity; check the server's \
             certificate or host key."
        }
        Some(T::Unsupported | T::OperationNotFound) => {
            "This appliance's version does not support it; check the vSphere version's \
             documentation."
        }
        Some(T::Canceled) => "The operation was cancelled; start it again if it is still needed.",
        _ => {
            "See the appliance's backup log (/var/log/vmware/applmgmt/backup.log) for the cause; \
             try again later, and contact VMware support if it keeps failing."
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Transient {
                source: Some(s), ..
            } => Some(s.as_ref()),
            _ => None,
        }
    }
}

impl From<BuildError> for Error {
    fn from(e: BuildError) -> Self {
        Self::problems_found(e.into_problems())
    }
}
