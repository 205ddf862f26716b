//! The backup catalog: which appliances (system names) have backups at a location, which
//! archives each has, and the folder layout that puts a backup in the catalog.

pub(crate) mod archive;
pub(crate) mod filter;
pub(crate) mod layout;
pub(crate) mod location;
pub(crate) mod name;

pub use archive::{ArchiveInfo, ArchiveSummary};
pub use filter::{ArchiveFilter, ArchiveFilterBuilder};
pub use layout::ApplianceLayout;
pub use location::{BackupLocation, BackupLocationBuilder};
pub use name::{ArchiveKind, ArchiveName};
