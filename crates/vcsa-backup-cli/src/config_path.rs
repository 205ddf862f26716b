//! Where the configuration file is when none is named: below every module that reads it or
//! names it in a message.

use std::path::{Path, PathBuf};

/// `$XDG_CONFIG_HOME/vcsa-backup/config.toml`, else `~/.config/vcsa-backup/config.toml`.
pub fn default_file() -> Option<PathBuf> {
    let non_empty = |name| std::env::var_os(name).filter(|v| !v.is_empty());
    let base = non_empty("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| non_empty("HOME").map(|home| Path::new(&home).join(".config")))?;
    Some(base.join("vcsa-backup").join("config.toml"))
}

/// The default file's path for messages, `~/.config/vcsa-backup/config.toml` when unknown.
pub fn shown_default() -> String {
    default_file().map_or_else(
        || "~/.config/vcsa-backup/config.toml".to_string(),
        |p| p.display().to_string(),
    )
}
