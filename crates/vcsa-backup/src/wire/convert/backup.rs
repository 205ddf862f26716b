//! Backups: the request sent to start or validate one, and the parts an appliance offers.

use vcsa_backup_api::{enums, types};

use super::{FromWire, IntoDomain, ToWire, part_ids};
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

impl ToWire<enums::LocationType> for LocationType {
    fn to_wire(&self) -> enums::LocationType {
        use enums::LocationType as W;
        match self {
            Self::Ftp => W::Ftp,
            Self::Ftps => W::Ftps,
            Self::Http => W::Http,
            Self::Https => W::Https,
            Self::Scp => W::Scp,
            Self::Sftp => W::Sftp,
            Self::Nfs => W::Nfs,
            Self::Smb => W::Smb,
        }
    }
}

impl FromWire<types::Part> for Part {
    fn from_wire(p: types::Part) -> Self {
        Self {
            id: PartId::new(p.id),
            name: p.name.into_domain(),
            description: p.description.into_domain(),
            selected_by_default: p.selected_by_default,
            optional: p.optional,
        }
    }
}
