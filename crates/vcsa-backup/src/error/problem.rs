//! Problems found before anything is sent: in a request, or in the client's own settings.

use std::fmt;

/// Declares [`Field`] with each setting's words beside it, for [`Field::describe`].
macro_rules! fields {
    (
        $(#[$meta:meta])*
        pub enum Field { $( $(#[$vmeta:meta])* $variant:ident => $words:literal, )* }
    ) => {
        $(#[$meta])*
        pub enum Field {
            $( $(#[$vmeta])* $variant, )*
        }

        impl Field {
            /// The setting in an administrator's words, as `Display` prints it.
            pub fn describe(self) -> &'static str {
                match self {
                    $( Self::$variant => $words, )*
                }
            }
        }
    };
}

fields! {
    /// The setting a [`Problem`] is about.
    ///
    /// `Display` names it in an administrator's words (`location user name`); a program that
    /// shows problems to people under its own names for the settings (a command-line tool's
    /// options, a form's labels) matches on the variant instead.
    ///
    /// ```
    /// use vcsa_backup::{BackupRequest, Field};
    ///
    /// let error = BackupRequest::builder().build().unwrap_err();
    /// let option = |field: Field| match field {
    ///     Field::Location => "--location",
    ///     _ => "another option",
    /// };
    /// assert_eq!(option(error.problems()[0].field), "--location");
    /// assert_eq!(Field::LocationUser.to_string(), "location user name");
    /// ```
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Field {
        // The client's settings.
        /// The appliance's address.
        BaseUrl => "appliance address",
        /// The user name that logs in to the appliance.
        User => "user name",
        /// The password that logs in to the appliance.
        Password => "password",
        /// The `User-Agent` sent with every request.
        UserAgent => "user agent",
        /// The time-out of one request.
        Timeout => "time-out",
        /// A certificate authority to trust, as PEM data.
        RootCertificate => "CA certificate",
        /// A pinned certificate thumbprint.
        Thumbprint => "certificate thumbprint",
        /// The HTTP client as a whole (its TLS set-up, say).
        HttpClient => "HTTP client",

        // A backup request, or a schedule's.
        /// Where backups go.
        Location => "backup location",
        /// The protocol of the location.
        LocationType => "location type",
        /// The user name for the location.
        LocationUser => "location user name",
        /// The password for the location.
        LocationPassword => "location password",
        /// The optional parts to back up.
        Parts => "parts",
        /// The password that encrypts backups.
        BackupPassword => "backup encryption password",
        /// A comment stored with a backup.
        Comment => "comment",
        /// A backup schedule's id.
        Schedule => "schedule",
        /// The days of the week a schedule runs on.
        Days => "days",
        /// The hour a schedule runs at.
        Hour => "hour",
        /// The minute a schedule runs at.
        Minute => "minute",
        /// How many backups a schedule keeps.
        Retention => "retention",
        /// Whether a schedule runs on its own.
        Enabled => "enabled",
        /// The time of day a schedule runs at.
        Time => "time of day",
        /// Whether the fast database backup is asked for.
        FastBackup => "fast backup",

        // Reading a backup location's catalog.
        /// The earliest backup time to list.
        Since => "earliest time",
        /// The latest backup time to list.
        Until => "latest time",
        /// How many backups to list at most.
        MaxResults => "most results",
        /// The appliance's system name, as backup folders carry it.
        SystemName => "system name",
        /// The appliance's version, as backup folders carry it.
        Version => "version",
        /// A backup's id in the catalog.
        Archive => "backup id",

        /// A job's id.
        Job => "job id",

        /// The SSO administrator's user name, for a restore or a reconciliation.
        SsoUser => "SSO administrator user name",

        // A fleet's and a health check's settings.
        /// An appliance of a fleet (the message names which, and the setting).
        Appliance => "fleet",
        /// How many appliances a fleet works on at once.
        Concurrency => "appliances worked on at once",
        /// The ages past which a health check calls the newest backup too old.
        BackupAge => "backup age limits",

        /// The request as a whole, when no one setting is at fault.
        Request => "request",
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// One problem with a setting, found before anything was sent: which setting, what is wrong,
/// and what to do about it. Never holds a password.
///
/// ```
/// use vcsa_backup::{Field, Problem};
///
/// let problem = Problem::new(Field::Hour, "25 is not an hour").with_hint("give 0 to 23");
/// assert_eq!(problem.to_string(), "hour: 25 is not an hour; give 0 to 23");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// The setting at fault.
    pub field: Field,
    /// What is wrong.
    pub message: String,
    /// What to do about it, when there is more to say than the message does.
    pub hint: Option<String>,
}

impl Problem {
    /// A problem with `field`.
    pub fn new(field: Field, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
            hint: None,
        }
    }

    /// The same problem with what to do about it.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Problem {
    /// `<setting>: <what is wrong>; <what to do>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

/// A request builder refused its settings: every problem, all found at once, before anything
/// was sent. Converts into [`Error::InvalidRequest`](crate::Error::InvalidRequest) with `?`.
///
/// ```
/// use vcsa_backup::{BackupRequest, Field, Secret};
///
/// let error = BackupRequest::builder()
///     .location("nfs://filer:/export/vcsa")
///     .location_credentials("backup", Secret::new("s3cret"))
///     .build()
///     .unwrap_err();
/// assert_eq!(error.problems()[0].field, Field::LocationUser);
/// println!("{error}");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the request is invalid: {}. Fix these settings, then build it again", joined(.problems))]
pub struct BuildError {
    pub(crate) problems: Vec<Problem>,
}

impl BuildError {
    pub(crate) fn new(problems: Vec<Problem>) -> Self {
        Self { problems }
    }

    /// Every problem found; never empty.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

/// The problems on one line, separated by `; `.
pub(crate) fn joined(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    lines.join("; ")
}
