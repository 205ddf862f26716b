//! Why a command failed, the exit code that tells a script, and the words that tell a person.

use std::fmt;

use serde::Serialize;

use vcsa_backup::{
    AuthFailure, BuildError, Error, Field, InvalidRequest, JobId, JobStatus, Message,
    PeerCertificate, Problem, ServerError, ServerErrorType,
};

use crate::certificate::{CHECK_IT, CertificateView, pin_lines};

/// The documented exit codes (see `vcsa-backup --help`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything worked.
    Success = 0,
    /// The job, the check or the cancel request failed.
    JobFailed = 1,
    /// A wrong option, a refused request, an unknown job or schedule.
    InvalidInput = 2,
    /// The deadline passed before the job ended.
    DeadlinePassed = 3,
    /// Another backup or restore is running.
    BackupInProgress = 4,
    /// Wrong credentials, or not allowed.
    Authentication = 5,
    /// The appliance could not be reached, timed out, is busy, or is not trusted.
    Connection = 6,
    /// The appliance answered with something unexpected.
    Appliance = 7,
    /// A change's answer was lost (a start, a cancel, a schedule change), and the appliance
    /// could not say whether it was done.
    OutcomeUnknown = 8,
    /// The result could not be written to standard output (sysexits' `EX_IOERR`).
    Output = 74,
    /// Ctrl-C while following a job (the job goes on).
    Interrupted = 130,
}

impl ExitCode {
    /// A stable name for scripts reading JSON errors.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::JobFailed => "job_failed",
            Self::InvalidInput => "invalid_input",
            Self::DeadlinePassed => "deadline_passed",
            Self::BackupInProgress => "backup_in_progress",
            Self::Authentication => "authentication",
            Self::Connection => "connection",
            Self::Appliance => "appliance",
            Self::OutcomeUnknown => "outcome_unknown",
            Self::Output => "output",
            Self::Interrupted => "interrupted",
        }
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        Self::from(code as u8)
    }
}

/// A command's failure: a headline, the appliance's message stack, and what to do next.
#[derive(Debug)]
pub struct Failure {
    code: ExitCode,
    headline: String,
    details: Vec<String>,
    hint: Option<String>,
    result_printed: bool,
    job: Option<Box<StoppedJob>>,
}

/// A job the command stopped following before its end, as the JSON error names it.
#[derive(Debug, Serialize)]
pub struct StoppedJob {
    /// The job's id.
    pub id: String,
    /// Its last known state as the appliance sends it (`INPROGRESS`); `null` when none was read.
    pub state: Option<String>,
    /// Its last known progress, percent; `null` when none was read.
    pub progress: Option<u8>,
    /// The command that follows it again.
    pub follow: String,
    /// The command that cancels it.
    pub cancel: String,
}

impl StoppedJob {
    fn new(job: &JobId, last: Option<&JobStatus>) -> Self {
        Self {
            id: job.to_string(),
            state: last.map(|s| s.state.as_str().to_string()),
            progress: last.map(|s| s.progress.value()),
            follow: format!("vcsa-backup status {job} --wait"),
            cancel: format!("vcsa-backup cancel {job}"),
        }
    }
}

impl Failure {
    /// Bad input from the user (options, files, prompts).
    pub fn input(headline: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            code: ExitCode::InvalidInput,
            headline: headline.into(),
            details: Vec::new(),
            hint: Some(hint.into()),
            result_printed: false,
            job: None,
        }
    }

    /// A failure with an exit code and headline of the caller's choice.
    pub fn new(code: ExitCode, headline: impl Into<String>) -> Self {
        Self {
            code,
            headline: headline.into(),
            details: Vec::new(),
            hint: None,
            result_printed: false,
            job: None,
        }
    }

    /// The same failure with what to do next.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same failure with more lines of detail (such as the appliance's messages).
    pub fn with_details(mut self, details: impl IntoIterator<Item = String>) -> Self {
        self.details.extend(details);
        self
    }

    /// Marks a failure whose command already printed its result (the failed job, the refused
    /// check): with JSON output that result is the one document on standard output.
    pub fn after_result(mut self) -> Self {
        self.result_printed = true;
        self
    }

    /// Whether the command printed its result before failing.
    pub fn result_printed(&self) -> bool {
        self.result_printed
    }

    /// Waiting gave up at the deadline, before `job` ended (`last`: its last status read).
    pub fn deadline(job: &JobId, last: Option<&JobStatus>) -> Self {
        Self::new(
            ExitCode::DeadlinePassed,
            format!("the deadline passed before job {job} ended; the job goes on on the appliance"),
        )
        .while_following(job, last)
    }

    /// The same failure, which ended the following of `job` before the job's end (`last`: its
    /// last status read): the headline names the job.
    pub fn stopped_following(mut self, job: &JobId, last: Option<&JobStatus>) -> Self {
        self.headline = format!("stopped following job {job}: {}", self.headline);
        self.while_following(job, last)
    }

    /// The same failure, met while following `job` (`last`: its last status read): says where
    /// the job was and how to follow it again or cancel it, in words and, for scripts, in the
    /// JSON error's `job`.
    pub fn while_following(mut self, job: &JobId, last: Option<&JobStatus>) -> Self {
        let stopped = StoppedJob::new(job, last);
        self.details.insert(
            0,
            match last {
                Some(status) => format!(
                    "last known state: {}, {}% done",
                    status.state.describe(),
                    status.progress.value()
                ),
                None => "no state of the job was read".to_string(),
            },
        );
        let next = format!(
            "follow it with `{}`, or stop it with `{}`",
            stopped.follow, stopped.cancel
        );
        self.hint = Some(match self.hint.take() {
            Some(hint) => format!("{hint}; then {next}"),
            None => next,
        });
        self.job = Some(Box::new(stopped));
        self
    }

    /// The job the command stopped following, when that is how it failed.
    pub fn job(&self) -> Option<&StoppedJob> {
        self.job.as_deref()
    }

    /// The headline, detail lines and hint, for JSON.
    pub fn parts(&self) -> (&str, &[String], Option<&str>) {
        (&self.headline, &self.details, self.hint.as_deref())
    }

    /// The exit code for this failure.
    pub fn exit_code(&self) -> ExitCode {
        self.code
    }
}

impl fmt::Display for Failure {
    /// `error: <headline>`, indented detail lines, then `hint: <what to do>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.headline)?;
        for line in &self.details {
            write!(f, "\n  {line}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

/// The appliance's message stack as lines: the message, then each cause.
pub fn message_stack(error: &ServerError) -> Vec<String> {
    stack_lines(&error.messages)
}

/// The appliance's messages as lines: the first, then each cause.
fn stack_lines(messages: &[Message]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for (i, message) in messages.iter().enumerate() {
        let text = message.to_string();
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if i == 0 {
            lines.push(format!("the appliance said: {text}"));
        } else {
            lines.push(format!("  because: {text}"));
        }
    }
    lines
}

/// A problem found by the SDK, named by the option that sets it.
pub fn problem(p: &Problem) -> String {
    let option = match p.field {
        Field::BaseUrl => "--server",
        Field::User => "--user",
        Field::Password => "the password",
        Field::Timeout => "--request-timeout",
        Field::RootCertificate => "--ca-cert",
        Field::Thumbprint => "--thumbprint",
        Field::Location => "--location",
        Field::LocationType => "--location-type",
        Field::LocationUser => "--location-user",
        Field::LocationPassword => "the backup server password",
        Field::Parts => "--part",
        Field::BackupPassword => "the backup encryption password",
        Field::Comment => "--comment",
        Field::Hour | Field::Minute | Field::Time => "--at",
        Field::Days => "--days",
        Field::Retention => "--keep",
        Field::Enabled => "--enable/--disable",
        Field::FastBackup => "--fast",
        Field::Schedule => "the schedule id",
        Field::Since => "--since",
        Field::Until => "--until",
        Field::MaxResults => "--limit",
        Field::SystemName => "the system name",
        Field::Version => "--appliance-version",
        Field::Archive => "the archive id",
        other => other.describe(),
    };
    let mut line = format!("{option}: {}", p.message);
    if let Some(hint) = &p.hint {
        line.push_str("; ");
        line.push_str(hint);
    }
    // The command that lists the parts says more than the SDK can.
    if p.field == Field::Parts {
        line.push_str("; `vcsa-backup parts` lists the appliance's parts");
    }
    line
}

/// The SDK's own words for `error`: what happened as the headline, its advice as the hint.
fn in_sdk_words(code: ExitCode, error: &Error) -> Failure {
    let failure = Failure::new(code, error.summary());
    match error.hint() {
        Some(hint) => failure.with_hint(hint),
        None => failure,
    }
}

impl From<BuildError> for Failure {
    fn from(error: BuildError) -> Self {
        Error::from(error).into()
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let failure = match &error {
            Error::BackupInProgress(_) => Failure::new(
                ExitCode::BackupInProgress,
                "another backup or restore is already running on the appliance",
            )
            .with_hint(
                "only one runs at a time: wait for it to end (`vcsa-backup list` shows it), or \
                 start with `backup --when-idle` to begin as soon as it does",
            ),
            Error::NotFound(_) => {
                Failure::new(ExitCode::InvalidInput, "not found on the appliance")
                    .with_hint("check the id: `vcsa-backup list` shows recent jobs")
            }
            Error::NotAuthenticated {
                reason: AuthFailure::FreshSessionRefused,
                ..
            } => Failure::new(
                ExitCode::Connection,
                "the log in succeeded, but the appliance refused the new session at once",
            )
            .with_hint(
                "the password is right; if a proxy stands between this machine and the \
                 appliance, check that it passes the vmware-api-session-id header, otherwise try \
                 again in a moment",
            ),
            Error::NotAuthenticated { reason, .. } => Failure::new(
                ExitCode::Authentication,
                match reason {
                    AuthFailure::LoginRefused { user } => {
                        format!("could not log in: the appliance refused the log in of \"{user}\"")
                    }
                    _ => "could not log in: the appliance did not accept the credentials".into(),
                },
            )
            .with_hint(
                "check --user and the password (VCSA_PASSWORD, --password-file or the prompt), \
                 and that the account is not locked",
            ),
            Error::NotAllowedInCurrentState(_) => Failure::new(
                ExitCode::InvalidInput,
                "the appliance does not allow this in its current state",
            )
            .with_hint(
                "a restore needs a freshly deployed appliance that awaits restore (--server \
                 HOST:5480 --user root); a reconciliation, a restored one",
            ),
            Error::NotAuthorized(_) => Failure::new(
                ExitCode::Authentication,
                "the user is not allowed to do this",
            )
            .with_hint("log in with an account that has the appliance's backup privilege"),
            Error::SessionExpired { .. } => in_sdk_words(ExitCode::Connection, &error),
            Error::InvalidRequest(InvalidRequest::Problems(problems)) => Failure::new(
                ExitCode::InvalidInput,
                "the request is invalid and was not sent",
            )
            .with_details(problems.iter().map(|p| format!("- {}", problem(p))))
            .with_hint("fix the options above and run the command again"),
            Error::InvalidRequest(_) => Failure::new(
                ExitCode::InvalidInput,
                "the appliance refused the request as invalid",
            )
            .with_hint("fix the request; repeating it unchanged will not help"),
            // Not 6: that tells scripts to try again, which could do the change twice.
            Error::Transient {
                change: Some(_), ..
            } => in_sdk_words(ExitCode::OutcomeUnknown, &error),
            // The SDK's reason already names the root cause (refused, DNS, time-out); the rest of
            // the transport's chain only repeats it in library words.
            Error::Transient { reason, .. } => Failure::new(
                ExitCode::Connection,
                format!("could not talk to the appliance: {reason}"),
            )
            .with_hint("check --server and the network; if the appliance is busy or starting, try again in a moment"),
            Error::UntrustedCertificate {
                reason,
                certificate,
                ..
            } => untrusted(reason, certificate.as_deref()),
            Error::Server(_) => in_sdk_words(ExitCode::Appliance, &error),
            Error::MalformedResponse { .. } => in_sdk_words(ExitCode::Appliance, &error),
            // Not 6: that tells scripts to try again, which could start a second backup.
            // The summary names the jobs that could be the one it started.
            Error::OutcomeUnknown { location, .. } => {
                Failure::new(ExitCode::OutcomeUnknown, error.summary())
                .with_hint(format!(
                    "do not start it again blindly: `vcsa-backup list` shows the recent jobs; \
                     look for one at {location}, then follow it with `vcsa-backup status <job> \
                     --wait`"
                ))
            }
            Error::Configuration { problems, .. } => Failure::new(
                ExitCode::InvalidInput,
                "the connection settings are invalid",
            )
            .with_details(problems.iter().map(|p| format!("- {}", problem(p))))
            .with_hint("fix the options above and run the command again"),
            _ => in_sdk_words(ExitCode::Appliance, &error),
        };
        failure.with_details(stack_lines(error.appliance_messages()))
    }
}

/// The failure of a command whose appliance presented a certificate it does not trust.
fn untrusted(reason: &str, certificate: Option<&PeerCertificate>) -> Failure {
    let failure = Failure::new(
        ExitCode::Connection,
        format!("the appliance's TLS certificate is not trusted: {reason}"),
    );
    let Some(certificate) = certificate else {
        return failure.with_hint(
            "pass the certificate's SHA-256 thumbprint with --thumbprint (or VCSA_THUMBPRINT), \
             or its CA with --ca-cert (or VCSA_CA_CERT); `vcsa-backup trust SERVER` shows it",
        );
    };
    let view = CertificateView::new(certificate);
    let details = crate::human::fields(&view.fields());
    let pins = pin_lines(&view.thumbprint_sha256);
    failure
        .with_details(details.lines().map(|l| format!("presented: {l}")))
        .with_hint(format!(
            "{CHECK_IT}\nthen pin it with one of:\n  {}",
            pins.join("\n  ")
        ))
}

/// A failure about schedule `id`, with the words for a missing or existing one.
pub fn schedule_failure(id: &str, error: Error) -> Failure {
    match &error {
        Error::NotFound(e) => Failure::new(
            ExitCode::InvalidInput,
            format!("there is no schedule \"{id}\" on the appliance"),
        )
        .with_details(message_stack(e))
        .with_hint(
            "`vcsa-backup schedule list` lists the schedules; `vcsa-backup schedule create` \
             creates one",
        ),
        Error::Server(e) if e.error_type == Some(ServerErrorType::AlreadyExists) => Failure::new(
            ExitCode::InvalidInput,
            format!(
                "schedule \"{id}\" was not created: it already exists, or the appliance already \
                 has its one schedule"
            ),
        )
        .with_details(message_stack(e))
        .with_hint(
            "this appliance has one schedule, `default`: change it with `vcsa-backup schedule \
             update default` or `schedule apply default`, or delete it first",
        ),
        _ => Failure::from(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vcsa_backup::{Message, ServerErrorType};

    fn in_use() -> Error {
        let mut e = ServerError::new(
            Some(ServerErrorType::FeatureInUse),
            vec![
                Message::new(
                    "com.vmware.backup.in_progress",
                    "A backup is already running.",
                ),
                Message::new("com.vmware.backup.job", "Job 20250101-000000-1 is at 40%"),
            ],
        );
        e.status = Some(400);
        Error::BackupInProgress(e)
    }

    #[test]
    fn a_backup_in_progress_prints_the_stack_and_a_hint() {
        let failure = Failure::from(in_use());
        assert_eq!(failure.exit_code(), ExitCode::BackupInProgress);
        assert_eq!(
            failure.to_string(),
            "error: another backup or restore is already running on the appliance\n  \
             the appliance said: A backup is already running.\n    because: Job \
             20250101-000000-1 is at 40%\nhint: only one runs at a time: wait for it to end \
             (`vcsa-backup list` shows it), or start with `backup --when-idle` to begin as soon \
             as it does"
        );
    }

    #[test]
    fn every_error_kind_has_its_exit_code() {
        let server = || ServerError::new(None, vec![Message::new("x", "broken")]);
        let cases = [
            (in_use(), ExitCode::BackupInProgress),
            (Error::NotFound(server()), ExitCode::InvalidInput),
            (Error::NotAuthorized(server()), ExitCode::Authentication),
            (Error::Server(server()), ExitCode::Appliance),
            (
                vcsa_backup::Client::builder("not a url")
                    .build()
                    .unwrap_err(),
                ExitCode::InvalidInput,
            ),
            (
                vcsa_backup::BackupRequest::builder()
                    .build()
                    .unwrap_err()
                    .into(),
                ExitCode::InvalidInput,
            ),
        ];
        for (error, code) in cases {
            let shown = error.to_string();
            assert_eq!(Failure::from(error).exit_code(), code, "{shown}");
        }
    }

    #[test]
    fn problems_are_named_by_the_options_that_set_them() {
        let error = vcsa_backup::BackupRequest::builder()
            .location("sftp://backup.example.com/vcsa")
            .part("bad part")
            .build()
            .unwrap_err();
        let shown = Failure::from(error).to_string();
        assert!(
            shown.contains("--part: \"bad part\" is not a part id; part ids are words"),
            "{shown}"
        );
        let error = vcsa_backup::Client::builder("ftp://vcsa")
            .build()
            .unwrap_err();
        let shown = Failure::from(error).to_string();
        assert!(
            shown.contains("- --server: \"ftp://vcsa\" is not an https:// address"),
            "{shown}"
        );
    }

    #[test]
    fn the_deadline_says_the_job_goes_on() {
        let job = vcsa_backup::JobId::new("20250101-000000-1");
        let last: vcsa_backup::JobStatus = serde_json::from_value(serde_json::json!({
            "id": "20250101-000000-1",
            "state": "INPROGRESS",
            "progress": 40,
            "messages": [],
            "started_at": "2025-01-01T00:00:00Z",
            "ended_at": null,
        }))
        .expect("a status");
        let failure = Failure::deadline(&job, Some(&last));
        assert_eq!(failure.exit_code(), ExitCode::DeadlinePassed);
        let text = failure.to_string();
        assert!(text.contains("the job goes on"), "{text}");
        assert!(text.contains("in progress, 40% done"), "{text}");
        assert!(
            text.contains("vcsa-backup status 20250101-000000-1 --wait"),
            "{text}"
        );
        assert!(
            text.contains("vcsa-backup cancel 20250101-000000-1"),
            "{text}"
        );
        let stopped = failure.job().expect("the job, for JSON");
        assert_eq!(stopped.state.as_deref(), Some("INPROGRESS"));
        assert_eq!(stopped.progress, Some(40));
    }

    #[test]
    fn a_read_that_ends_the_wait_names_the_job_and_keeps_its_cause() {
        let job = vcsa_backup::JobId::new("20250101-000000-1");
        let failure = Failure::new(ExitCode::Connection, "the appliance could not be reached")
            .with_hint("check the network")
            .stopped_following(&job, None);
        assert_eq!(failure.exit_code(), ExitCode::Connection);
        let text = failure.to_string();
        assert!(
            text.starts_with(
                "error: stopped following job 20250101-000000-1: the appliance could not be reached"
            ),
            "{text}"
        );
        assert!(text.contains("no state of the job was read"), "{text}");
        assert!(
            text.contains("check the network; then follow it with `vcsa-backup status"),
            "{text}"
        );
        assert_eq!(failure.job().expect("the job").state, None);
    }
}
