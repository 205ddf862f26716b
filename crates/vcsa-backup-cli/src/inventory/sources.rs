//! Where an entry's secrets and certificates come from: password files and variables, and the
//! trust of its certificate, read with byte caps before anything is sent.

use std::path::PathBuf;

use toml::Spanned;
use vcsa_backup::Secret;

use super::{Layers, Lines, Problem, Reader, Trust};
use crate::files::{self, CERTIFICATE_CAP, PASSWORD_CAP};

/// Where a password comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PasswordSource {
    /// The first line of this file.
    File(PathBuf),
    /// This environment variable.
    Env(String),
}

/// An entry's password source, where it is written, and the entry it is for (none when it is
/// inherited from its group or `[defaults]`).
pub(super) struct Source {
    pub(super) source: PasswordSource,
    pub(super) line: usize,
    pub(super) entry: Option<String>,
}

const HOW_TO_TRUST: &str =
    "write trust = { thumbprint = \"AB:CD:...\" } or trust = { ca_file = \"/path/to/ca.pem\" }";

impl Reader<'_> {
    /// Where the entry's password comes from: its own source, else its group's, else
    /// `[defaults]`'.
    pub(super) fn password_source(&mut self, layers: &Layers, lines: &Lines) -> Option<Source> {
        let label = Some(lines.label.as_str());
        if let Some(inline) = &layers.own.password {
            // Never quote it: the point is to keep it out of files and messages.
            self.problem(inline, label, super::INLINE_PASSWORD);
            return None;
        }
        let Some((layer, own)) = layers.first(|e| {
            e.password.is_some() || e.password_file.is_some() || e.password_env.is_some()
        }) else {
            if self.purpose == super::Purpose::Config {
                return None;
            }
            self.at_entry(
                lines,
                "has no password source; add password_file = \"...\" or password_env = \"...\" \
                 here, under its [groups.NAME] or under [defaults]",
            );
            return None;
        };
        if layer.password.is_some() {
            // Said once, where it is written.
            return None;
        }
        let entry = if own { label } else { None };
        let (source, line) =
            self.source_of(&layer.password_file, &layer.password_env, entry, "")?;
        Some(Source {
            source,
            line,
            entry: entry.map(str::to_string),
        })
    }

    /// The source of a `{prefix}password_file` or `{prefix}password_env` pair (one at most),
    /// and its line.
    pub(super) fn source_of(
        &mut self,
        file: &Option<Spanned<PathBuf>>,
        env: &Option<Spanned<String>>,
        entry: Option<&str>,
        prefix: &str,
    ) -> Option<(PasswordSource, usize)> {
        match (file, env) {
            (Some(file), Some(_)) => {
                self.problem(
                    file,
                    entry,
                    format!(
                        "both {prefix}password_file and {prefix}password_env are given; keep one"
                    ),
                );
                None
            }
            (Some(file), None) => Some((
                PasswordSource::File(self.folder.join(file.get_ref())),
                self.line(file),
            )),
            (None, Some(env)) => {
                let name = env.get_ref().trim();
                if name.is_empty() || name.contains(['=', '\0']) {
                    self.problem(
                        env,
                        entry,
                        format!(
                            "{prefix}password_env must name an environment variable, such as \
                             VCSA_PASSWORD"
                        ),
                    );
                    return None;
                }
                Some((PasswordSource::Env(name.to_string()), self.line(env)))
            }
            (None, None) => None,
        }
    }

    /// The password of `source`, each source read once and its failure said once.
    pub(super) fn password(&mut self, source: &Source) -> Option<Secret> {
        if let Some(known) = self.passwords.get(&source.source) {
            return known.clone();
        }
        let secret = match source.source.read() {
            Ok(secret) => Some(secret),
            Err(message) => {
                self.problems.push(Problem {
                    line: Some(source.line),
                    entry: source.entry.clone(),
                    message,
                });
                None
            }
        };
        self.passwords.insert(source.source.clone(), secret.clone());
        secret
    }

    pub(super) fn trust(
        &mut self,
        raw: Option<&Spanned<toml::Value>>,
        entry: Option<&str>,
    ) -> Option<vcsa_backup::fleet::Trust> {
        let raw = raw?;
        let trust = match raw.get_ref().clone().try_into::<Trust>() {
            Ok(trust) => trust,
            Err(e) => {
                // Words for an administrator: the modes are what serde calls variants.
                let message = e
                    .message()
                    .trim_end()
                    .replace("unknown variant", "unknown mode");
                self.problem(raw, entry, format!("trust: {message}; {HOW_TO_TRUST}"));
                return None;
            }
        };
        match trust {
            Trust::Thumbprint(thumbprint) => {
                Some(vcsa_backup::fleet::Trust::Thumbprint(thumbprint))
            }
            Trust::CaFile(path) => {
                let path = self.folder.join(path);
                match files::read_capped(&path, CERTIFICATE_CAP) {
                    Ok(pem) => Some(vcsa_backup::fleet::Trust::CaPem(pem)),
                    Err(e) => {
                        self.problem(
                            raw,
                            entry,
                            format!(
                                "the CA certificate {} cannot be read ({e}); check trust.ca_file",
                                path.display()
                            ),
                        );
                        None
                    }
                }
            }
        }
    }
}

impl PasswordSource {
    /// The first line of the source, or what to say.
    pub fn read(&self) -> Result<Secret, String> {
        let first = match self {
            Self::File(path) => files::read_first_line(path, PASSWORD_CAP).map_err(|e| {
                format!(
                    "the password file {} cannot be read ({e}); check the path",
                    path.display()
                )
            })?,
            Self::Env(name) => std::env::var(name)
                .map_err(|_| {
                    format!(
                        "the environment variable {name} is not set (or not UTF-8); export it \
                         first"
                    )
                })?
                .lines()
                .next()
                .unwrap_or_default()
                .to_string(),
        };
        if first.is_empty() {
            return Err(match self {
                Self::File(path) => format!("the password file {} is empty", path.display()),
                Self::Env(name) => format!("the environment variable {name} is empty"),
            });
        }
        Ok(Secret::new(first))
    }
}
