//! Where passwords come from: a file, an environment variable or a prompt on the terminal, never
//! a command-line argument (those show in `ps` and in shell history).

use std::io::{self, IsTerminal};
use std::path::Path;

use vcsa_backup::Secret;

use crate::failure::Failure;

/// One password the tool may need, and the ways to supply it.
#[derive(Clone, Copy, Debug)]
pub struct PasswordSpec {
    /// What the password is for, in words (`the appliance password`).
    pub what: &'static str,
    /// The environment variable that may hold it.
    pub env: &'static str,
    /// The option naming a file that may hold it.
    pub file_option: &'static str,
    /// The prompt shown on the terminal.
    pub prompt: &'static str,
}

/// The password of the user logging in to the appliance.
pub const APPLIANCE: PasswordSpec = PasswordSpec {
    what: "the appliance password",
    env: "VCSA_PASSWORD",
    file_option: "--password-file",
    prompt: "Appliance password: ",
};

/// The password of the user on the backup server.
pub const LOCATION: PasswordSpec = PasswordSpec {
    what: "the backup server password",
    env: "VCSA_LOCATION_PASSWORD",
    file_option: "--location-password-file",
    prompt: "Backup server password: ",
};

/// The password that encrypts the backup.
pub const BACKUP: PasswordSpec = PasswordSpec {
    what: "the backup encryption password",
    env: "VCSA_BACKUP_PASSWORD",
    file_option: "--backup-password-file",
    prompt: "Backup encryption password: ",
};

/// Reads a password that must be supplied: from `file` if given, else from the environment
/// variable, else from a prompt when standard input is a terminal.
pub fn required(spec: &PasswordSpec, file: Option<&Path>) -> Result<Secret, Failure> {
    required_for(spec, file, None)
}

/// As [`required`], with a prompt that names the `account` (`backup on nas.example.com`), so
/// that the person typing knows which password is asked for.
pub fn required_for(
    spec: &PasswordSpec,
    file: Option<&Path>,
    account: Option<&str>,
) -> Result<Secret, Failure> {
    if let Some(secret) = from_file_or_env(spec, file)? {
        return Ok(secret);
    }
    if io::stdin().is_terminal() {
        return prompt(spec, false, account);
    }
    Err(Failure::input(
        format!(
            "{} is needed and there is no terminal to ask for it",
            spec.what
        ),
        format!(
            "set the {} environment variable or pass {} FILE",
            spec.env, spec.file_option
        ),
    ))
}

/// Reads a password the user asked for with a flag or supplied: from `file` if given, else from
/// the environment variable, else from a prompt (twice, to catch typing mistakes) when `ask`.
pub fn optional(
    spec: &PasswordSpec,
    file: Option<&Path>,
    ask: bool,
) -> Result<Option<Secret>, Failure> {
    if let Some(secret) = from_file_or_env(spec, file)? {
        return Ok(Some(secret));
    }
    if !ask {
        return Ok(None);
    }
    if !io::stdin().is_terminal() {
        return Err(Failure::input(
            format!(
                "{} was asked for, but there is no terminal to type it",
                spec.what
            ),
            format!(
                "set the {} environment variable or pass {} FILE",
                spec.env, spec.file_option
            ),
        ));
    }
    prompt(spec, true, None).map(Some)
}

/// `user on host` for a prompt: the host of a backup location's URL, as typed.
pub fn account(user: &str, location: &str) -> String {
    let after_scheme = location
        .split_once("://")
        .map_or(location, |(_, rest)| rest);
    let host = after_scheme
        .split('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(':');
    format!("{user} on {host}")
}

fn from_file_or_env(spec: &PasswordSpec, file: Option<&Path>) -> Result<Option<Secret>, Failure> {
    if let Some(path) = file {
        return read_file(spec, path).map(Some);
    }
    match std::env::var(spec.env) {
        Ok(value) if !value.is_empty() => Ok(Some(Secret::new(value))),
        Ok(_) => Ok(None),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Failure::input(
            format!("the {} environment variable is not valid UTF-8", spec.env),
            "set it to the password as plain text",
        )),
    }
}

/// The first line of the file (or of standard input for `-`), without its line ending.
fn read_file(spec: &PasswordSpec, path: &Path) -> Result<Secret, Failure> {
    let shown = path.display();
    let line = crate::files::read_first_line(path, crate::files::PASSWORD_CAP).map_err(|e| {
        Failure::input(
            format!("could not read {} from {shown}: {e}", spec.what),
            format!("check the path given to {}", spec.file_option),
        )
    })?;
    if line.is_empty() {
        return Err(Failure::input(
            format!("{shown} holds no password on its first line"),
            format!("put {} on the first line of the file", spec.what),
        ));
    }
    Ok(Secret::new(line))
}

fn prompt(spec: &PasswordSpec, confirm: bool, account: Option<&str>) -> Result<Secret, Failure> {
    let failed = |e: io::Error| {
        Failure::input(
            format!("could not read {} from the terminal: {e}", spec.what),
            format!(
                "set the {} environment variable or pass {} FILE",
                spec.env, spec.file_option
            ),
        )
    };
    let prompt = match account {
        Some(account) => format!("{} for {account}: ", spec.prompt.trim_end_matches(": ")),
        None => spec.prompt.to_string(),
    };
    let first = Secret::new(rpassword::prompt_password(prompt).map_err(failed)?);
    if first.expose().is_empty() {
        return Err(Failure::input(
            format!("{} is empty", spec.what),
            "type the password at the prompt",
        ));
    }
    if confirm {
        let again = Secret::new(rpassword::prompt_password("Repeat it: ").map_err(failed)?);
        if again.expose() != first.expose() {
            return Err(Failure::input(
                format!("the two entries of {} differ", spec.what),
                "run the command again and type the same password twice",
            ));
        }
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_with_env(env: &'static str) -> PasswordSpec {
        PasswordSpec { env, ..APPLIANCE }
    }

    #[test]
    fn a_file_gives_its_first_line_without_the_line_ending() {
        let dir = std::env::temp_dir().join(format!("vcsa-cli-secret-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pw");
        std::fs::write(&path, "s3cret pass\r\nsecond line\n").unwrap();
        let secret = required(&spec_with_env("VCSA_TEST_UNSET_1"), Some(&path)).unwrap();
        assert_eq!(secret.expose(), "s3cret pass");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_empty_or_missing_file_is_an_input_error_naming_the_file() {
        let dir = std::env::temp_dir().join(format!("vcsa-cli-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pw");
        std::fs::write(&path, "\n").unwrap();
        let spec = spec_with_env("VCSA_TEST_UNSET_2");
        let error = required(&spec, Some(&path)).unwrap_err();
        assert_eq!(error.exit_code(), crate::failure::ExitCode::InvalidInput);
        assert!(error.to_string().contains("holds no password"), "{error}");
        let error = required(&spec, Some(&dir.join("absent"))).unwrap_err();
        assert!(error.to_string().contains("could not read"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_account_is_the_user_on_the_location_host() {
        assert_eq!(
            account("backup", "sftp://nas.example.com/vcsa"),
            "backup on nas.example.com"
        );
        assert_eq!(account("b", "nfs://10.0.0.5:/export"), "b on 10.0.0.5");
        assert_eq!(account("b", "smb://filer:445/share"), "b on filer:445");
    }

    #[test]
    fn an_optional_password_not_asked_for_is_none() {
        let spec = spec_with_env("VCSA_TEST_UNSET_3");
        assert!(optional(&spec, None, false).unwrap().is_none());
    }
}
