//! The options of `schedule create`, `update` and `apply`, as the SDK's schedule builder takes
//! them. The builder checks them all at once, so every problem is reported in one go.

use vcsa_backup::{ScheduleSpec, ScheduleSpecBuilder, Secret};

use crate::cli::ScheduleOptions;
use crate::failure::Failure;
use crate::secrets;

/// The passwords given for a schedule, read from their safe sources.
#[derive(Clone, Default)]
pub struct Passwords {
    /// The backup server's, read when `--location-user` is given.
    pub location: Option<Secret>,
    /// The encryption password, from its file, the environment or (with `--encrypt`) a prompt.
    pub backup: Option<Secret>,
}

impl Passwords {
    /// Reads the passwords the options call for, asking on the terminal for those not given
    /// (naming the user on the backup server at `location`, when known).
    pub fn read(options: &ScheduleOptions, location: Option<&str>) -> Result<Self, Failure> {
        let location = match &options.target.location_user {
            Some(user) => Some(secrets::required_for(
                &secrets::LOCATION,
                options.target.location_password_file.as_deref(),
                location.map(|l| secrets::account(user, l)).as_deref(),
            )?),
            None => None,
        };
        let backup = secrets::optional(
            &secrets::BACKUP,
            options.target.backup_password_file.as_deref(),
            options.target.encrypt,
        )?;
        Ok(Self { location, backup })
    }

    /// Reads only the passwords given in files or the environment: never asks, never requires
    /// one. For a run that may send none (a dry run, or an update that keeps the user).
    pub fn given(options: &ScheduleOptions) -> Result<Self, Failure> {
        let location = match &options.target.location_user {
            Some(_) => secrets::optional(
                &secrets::LOCATION,
                options.target.location_password_file.as_deref(),
                false,
            )?,
            None => None,
        };
        let backup = secrets::optional(
            &secrets::BACKUP,
            options.target.backup_password_file.as_deref(),
            false,
        )?;
        Ok(Self { location, backup })
    }

    /// Whether any password was given.
    pub fn any(&self) -> bool {
        self.location.is_some() || self.backup.is_some()
    }
}

/// A builder holding the location (when given), the `parts` (when set) and exactly the options
/// given, so that an update changes only those.
pub fn builder(
    location: Option<&str>,
    options: &ScheduleOptions,
    passwords: Passwords,
    parts: Option<&[String]>,
) -> ScheduleSpecBuilder {
    let mut b = ScheduleSpec::builder();
    if let Some(location) = location {
        b = b.location(location);
    }
    if let Some(user) = &options.target.location_user {
        b = match passwords.location {
            Some(password) => b.location_credentials(user.clone(), password),
            None => b.location_user(user.clone()),
        };
    }
    if let Some(password) = passwords.backup {
        b = b.backup_password(password);
    }
    if let Some(parts) = parts {
        b = b.parts(parts.iter().map(String::as_str));
    }
    if let Some(enabled) = options.enabled() {
        b = b.enabled(enabled);
    }
    if let Some(at) = options.at {
        b = b.at(at.hour, at.minute);
    }
    let days = crate::cli::days(&options.days);
    if !days.is_empty() {
        b = b.days(days);
    }
    if let Some(keep) = options.keep {
        b = b.keep(keep);
    }
    if let Some(fast) = options.fast_backup() {
        b = b.fast_backup(fast);
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command, ScheduleCommand};
    use clap::Parser;
    use vcsa_backup::{Field, PartId, Retention};

    fn options(args: &[&str]) -> ScheduleOptions {
        let mut argv = vec!["vcsa-backup", "schedule", "update", "nightly"];
        argv.extend(args);
        match Cli::try_parse_from(argv).unwrap().command {
            Command::Schedule(ScheduleCommand::Update(u)) => u.options,
            other => panic!("{other:?}"),
        }
    }

    fn fields(error: &vcsa_backup::BuildError) -> Vec<Field> {
        error.problems().iter().map(|p| p.field).collect()
    }

    #[test]
    fn every_option_reaches_the_spec() {
        let o = options(&[
            "--at",
            "23:30",
            "--days",
            "mon,Wednesday,FRI",
            "--keep",
            "7",
            "--part",
            "seat",
            "--fast",
            "--disable",
        ]);
        let spec = builder(
            Some("sftp://nas/backups"),
            &o,
            Passwords::default(),
            Some(&o.target.parts),
        )
        .build()
        .unwrap();
        assert_eq!(
            spec.recurrence().unwrap().to_string(),
            "Monday, Wednesday and Friday at 23:30"
        );
        assert_eq!(spec.retention(), Some(Retention { max_count: 7 }));
        assert_eq!(spec.parts(), [PartId::SEAT]);
        assert_eq!(spec.fast_backup(), Some(true));
        assert!(!spec.is_enabled());
    }

    #[test]
    fn options_left_out_stay_unset() {
        let spec = builder(
            Some("nfs://filer:/b"),
            &options(&[]),
            Passwords::default(),
            None,
        )
        .build()
        .unwrap();
        assert!(spec.is_enabled());
        assert_eq!(spec.recurrence(), None);
        assert_eq!(spec.retention(), None);
        assert_eq!(spec.fast_backup(), None);
    }

    #[test]
    fn bad_values_are_all_reported_by_the_builder() {
        let o = options(&["--at", "24:60", "--days", "mon,funday", "--keep", "0"]);
        let error = builder(Some("gopher://nas/b"), &o, Passwords::default(), None)
            .build()
            .unwrap_err();
        assert_eq!(
            fields(&error),
            [
                Field::Location,
                Field::Days,
                Field::Hour,
                Field::Minute,
                Field::Retention
            ]
        );
        assert!(error.to_string().contains("\"funday\""), "{error}");
    }

    #[test]
    fn a_weak_backup_password_is_refused_without_showing_it() {
        let passwords = Passwords {
            location: None,
            backup: Some(Secret::new("weak")),
        };
        let error = builder(Some("sftp://nas/b"), &options(&[]), passwords, None)
            .build()
            .unwrap_err();
        assert_eq!(fields(&error), [Field::BackupPassword]);
        assert!(!error.to_string().contains("\"weak\""), "{error}");
    }
}
