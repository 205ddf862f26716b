//! Backups: the request sent to start or validate one, and the parts an appliance offers.

use vcsa_backup_api::{enums, types};

use super::{IntoDomain, ToWire, part_ids};
use crate::backup::location::LocationType;
use crate::backup::part::{Part, PartId};
use crate::backup::request::BackupRequest;

impl ToWire<types::BackupRequest> for BackupRequest {
    fn to_wire(&self) -> types::BackupRequest {
        types::BackupRequest {
            backup_password: self.backup_password.as_ref().map(|p| p.secret().to_wire()),
            comment: self.comment.clone(),
            fast_backup: self.fast_backup,
            location: self.location().to_string(),
            location_password: self.credentials.as_ref().map(|(_, p)| p.to_wire()),
            location_type: self.location_type().to_wire(),
            location_user: self.credentials.as_ref().map(|(user, _)| user.clone()),
            parts: part_ids(&self.parts),
        }
    }
}

/// By the name both give it (`SFTP`, `NFS`...).
impl ToWire<enums::LocationType> for LocationType {
    fn to_wire(&self) -> enums::LocationType {
        enums::LocationType::from(self.to_string())
    }
}

impl IntoDomain<Part> for types::Part {
    fn into_domain(self) -> Part {
        Part {
            id: PartId::new(self.id),
            name: self.name.into_domain(),
            description: self.description.into_domain(),
            selected_by_default: self.selected_by_default,
            optional: self.optional,
        }
    }
}
