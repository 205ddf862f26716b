//! What a backup request holds: the location, the parts, the encryption password.

pub(crate) mod location;
pub(crate) mod part;
pub(crate) mod password;
pub(crate) mod request;

pub use location::LocationType;
pub use part::{Part, PartId};
pub use password::{BackupPassword, PasswordError, PasswordRule};
pub use request::{BackupRequest, BackupRequestBuilder};
