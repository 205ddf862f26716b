//! The configuration file: named appliances in the inventory's format (server, user, password
//! file or variable, trust), read by the inventory's one reader. Which file: `--config` or
//! `VCSA_CONFIG`, else `$XDG_CONFIG_HOME/vcsa-backup/config.toml`, else
//! `~/.config/vcsa-backup/config.toml`. Which appliance: `--appliance` or `VCSA_APPLIANCE`, else
//! the entry whose server is `--server`'s, else the only one in the file.

use std::path::{Path, PathBuf};

use crate::cli::GlobalArgs;
use crate::config_path::{default_file, shown_default};
use crate::failure::Failure;
use crate::inventory::{self, Purpose, Settings};

/// The configuration file and the appliance entry that apply to this command, if any.
pub struct Chosen {
    /// The file.
    pub file: PathBuf,
    /// The entry.
    pub settings: Settings,
}

/// The configuration file to read: the one named, or the default one when it exists.
pub fn file(global: &GlobalArgs) -> Option<PathBuf> {
    if let Some(named) = &global.config {
        return Some(named.clone());
    }
    let default = default_file()?;
    default.exists().then_some(default)
}

/// The appliance entry of the configuration file that applies: the one `--appliance` names,
/// else the one whose server is `--server`'s, else the file's only one when no server is given.
pub fn chosen(global: &GlobalArgs) -> Result<Option<Chosen>, Failure> {
    let Some(file) = file(global) else {
        return match &global.appliance {
            Some(name) => Err(Failure::input(
                format!("--appliance {name} needs a configuration file, and there is none"),
                format!(
                    "write the appliance's entry in {} (see `vcsa-backup --help`), or name the \
                     file with --config",
                    shown_default()
                ),
            )),
            None => Ok(None),
        };
    };
    let entries = inventory::load_settings(&file, Purpose::Config).map_err(|e| {
        Failure::input(
            "the configuration file cannot be used",
            "fix the lines named above; the format is in `vcsa-backup --help`",
        )
        .with_details(e.to_string().lines().map(str::to_string))
    })?;
    let server = given(global.server.as_deref()).map(|s| vcsa_backup::server_url(s).ok());
    let found = match (&global.appliance, server) {
        (Some(name), _) => Some(
            entries
                .into_iter()
                .find(|e| e.name == *name)
                .ok_or_else(|| unknown(name, &file))?,
        ),
        (None, Some(server)) => entries
            .into_iter()
            .find(|e| server.as_deref() == Some(e.server.as_str())),
        (None, None) if entries.len() == 1 => entries.into_iter().next(),
        (None, None) => None,
    };
    Ok(found.map(|settings| Chosen { file, settings }))
}

/// The names of the appliances of the configuration file, for a hint (empty without a file or
/// when it cannot be read: the command's own error says why).
pub fn names(global: &GlobalArgs) -> Vec<String> {
    file(global)
        .and_then(|file| inventory::load_settings(&file, Purpose::Config).ok())
        .map(|entries| entries.into_iter().map(|e| e.name).collect())
        .unwrap_or_default()
}

/// A setting given as an option or variable, unless empty.
pub fn given(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

fn unknown(name: &str, file: &Path) -> Failure {
    let names = inventory::load_settings(file, Purpose::Config)
        .map(|entries| entries.into_iter().map(|e| e.name).collect::<Vec<_>>())
        .unwrap_or_default();
    Failure::input(
        format!(
            "no appliance is named \"{}\" in the configuration file {}",
            name.escape_debug(),
            file.display()
        ),
        format!(
            "give --appliance one of the names it holds: {}",
            names.join(", ")
        ),
    )
}
