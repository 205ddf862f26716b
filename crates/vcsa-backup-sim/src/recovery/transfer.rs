//! A catalog carried from one simulator to another: what each backup holds (system name,
//! version, parts, comment, the check data of its encryption password, the appliance's
//! schedules), so an appliance that awaits a restore knows the archives another one wrote.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::{
    Archive, Catalog, LayoutFolder, Origin, is_valid_archive_id, is_valid_system_name, location_key,
};

/// The archives of a simulator's catalog, as its admin endpoint exports them
/// (`GET /__sim/catalog`) and another simulator imports them
/// (`SimulatorBuilder::import_catalog`,
/// `Control::import_catalog`, `POST /__sim/catalog`).
///
/// It holds no password: an encrypted backup keeps a salted hash of its password, enough to
/// tell the right one from a wrong one.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use vcsa_backup_sim::{CatalogExport, Simulator};
///
/// let a = Simulator::builder().tls(false).start().await?;
/// let catalog: CatalogExport = a.control().export_catalog();
/// let b = Simulator::builder()
///     .tls(false)
///     .awaiting_restore(true)
///     .import_catalog(catalog)
///     .start()
///     .await?;
/// assert!(b.control().state().recovery.awaiting_restore);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogExport {
    archives: Vec<ExportedArchive>,
}

/// One archive of an export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct ExportedArchive {
    /// The backup location the archive lies under.
    location: String,
    system_name: String,
    archive: String,
    version: String,
    started: DateTime<Utc>,
    completed: DateTime<Utc>,
    parts: Vec<String>,
    comment: String,
    #[serde(flatten)]
    origin: Origin,
}

/// Why a catalog could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// The file could not be read.
    #[error("cannot read the catalog file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The text is not an exported catalog.
    #[error(
        "the catalog is not one a simulator exported ({0}). Export it with GET /__sim/catalog."
    )]
    Format(String),
    /// The admin endpoint could not be reached or did not answer a catalog.
    #[error("cannot fetch the catalog from {url}: {reason}")]
    Fetch {
        /// The address asked.
        url: String,
        /// What went wrong.
        reason: String,
    },
}

impl CatalogExport {
    /// How many archives it holds.
    pub fn len(&self) -> usize {
        self.archives.len()
    }

    /// Whether it holds no archive.
    pub fn is_empty(&self) -> bool {
        self.archives.is_empty()
    }

    /// Reads an export from JSON text.
    pub fn from_json(text: &str) -> Result<Self, CatalogError> {
        serde_json::from_str(text).map_err(|e| CatalogError::Format(e.to_string()))
    }

    /// Reads an export from a file (at most 16 MiB).
    pub fn read(path: &Path) -> Result<Self, CatalogError> {
        use std::io::Read as _;
        let read_error = |source| CatalogError::Read {
            path: path.display().to_string(),
            source,
        };
        let mut text = String::new();
        std::fs::File::open(path)
            .map_err(read_error)?
            .take(MAX_EXPORT_BYTES)
            .read_to_string(&mut text)
            .map_err(read_error)?;
        Self::from_json(&text)
    }

    /// Every archive of `catalog`.
    pub(crate) fn of(catalog: &Catalog) -> Self {
        let archives = catalog
            .iter()
            .map(|(folder, a)| ExportedArchive {
                location: folder.root,
                system_name: folder.system_name,
                archive: folder.archive,
                version: a.version.clone(),
                started: a.started,
                completed: a.completed,
                parts: a.parts.clone(),
                comment: a.comment.clone(),
                origin: a.origin.clone(),
            })
            .collect();
        Self { archives }
    }

    /// The archives as folders and records; an archive whose location is not a URL, or whose
    /// system name or folder name could not be a folder's, is left out.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (LayoutFolder, Archive)> + '_ {
        self.archives.iter().filter_map(|a| {
            if !is_valid_system_name(&a.system_name) || !is_valid_archive_id(&a.archive) {
                return None;
            }
            let folder = LayoutFolder {
                root: location_key(&a.location).ok()?,
                system_name: a.system_name.clone(),
                archive: a.archive.clone(),
            };
            let record = Archive {
                started: a.started,
                completed: a.completed,
                version: a.version.clone(),
                parts: a.parts.clone(),
                comment: a.comment.clone(),
                origin: a.origin.clone(),
            };
            Some((folder, record))
        })
    }
}

/// The most an export may weigh, read from a file or an admin endpoint.
pub(crate) const MAX_EXPORT_BYTES: u64 = 16 << 20;
