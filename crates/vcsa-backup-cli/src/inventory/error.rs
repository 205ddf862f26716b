//! A bad inventory: every problem found, each with its line and entry, in words.

use std::fmt;
use std::path::{Path, PathBuf};

/// A bad inventory: every problem found, each naming its line and entry. Nothing was sent.
#[derive(Debug)]
pub struct InventoryError {
    pub(super) file: Option<PathBuf>,
    pub(super) problems: Vec<Problem>,
}

/// One problem in an inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The line it is on (from 1), when it has one.
    pub line: Option<usize>,
    /// The appliance entry it is in: `"name"`, or `#N` for the N-th entry without a name.
    pub entry: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl InventoryError {
    /// Every problem found.
    #[cfg(test)]
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for InventoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self
            .file
            .as_ref()
            .map_or_else(|| "the inventory".to_string(), |p| p.display().to_string());
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(&file)?;
            if let Some(line) = p.line {
                write!(f, ", line {line}")?;
            }
            if let Some(entry) = &p.entry {
                write!(f, " (appliance {entry})")?;
            }
            write!(f, ": {}", p.message)?;
        }
        Ok(())
    }
}

impl InventoryError {
    /// The same problems, said of the file at `path`.
    pub(super) fn in_file(mut self, path: &Path) -> Self {
        self.file = Some(path.to_path_buf());
        self
    }

    pub(super) fn one(line: Option<usize>, message: String) -> Self {
        Self {
            file: None,
            problems: vec![Problem {
                line,
                entry: None,
                message,
            }],
        }
    }
}
