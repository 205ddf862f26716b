//! Backups: the request sent to start or validate one, and the parts an appliance offers.

use vcsa_backup_api::{Secret, enums, types};

use super::{FromWire, IntoDomain, ToWire};
use crate::backup::location::LocationType;
use crate::backup::part::{Part, PartId};
use crate::backup::request::BackupRequest;

impl ToWire<types::BackupRequest> for BackupRequest {
    fn to_wire(&self) -> types::BackupRequest {
        types::BackupRequest {
            backup_password: self.backup_password().map(|p| p.secret().to_wire()),
            comment: self.comment().map(str::to_string),
            fast_backup: self.fast_backup(),
            location: self.location().to_string(),
            location_password: self.location_password().map(Secret::to_wire),
            location_type: self.location_type().to_wire(),
            location_user: self.location_user().map(str::to_string),
            parts: self
                .parts()
                .iter()
                .map(|p| p.as_str().to_string())
                .collect(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_form() {
        let request = BackupRequest::builder()
            .location("10.0.0.5:/export/vcsa")
            .location_type(LocationType::Nfs)
            .part(PartId::SEAT)
            .fast_backup(true)
            .build()
            .unwrap();
        let wire: types::BackupRequest = request.to_wire();
        assert_eq!(
            serde_json::to_value(wire).unwrap(),
            serde_json::json!({
                "location": "nfs://10.0.0.5:/export/vcsa",
                "location_type": "NFS",
                "parts": ["seat"],
                "fast_backup": true
            })
        );
    }

    #[test]
    fn passwords_travel_in_the_request() {
        let request = BackupRequest::builder()
            .location("sftp://backup.example.com/vcsa")
            .location_credentials("backup", Secret::new("Loc-Pa55!"))
            .backup_password(Secret::new("Backup-2024!"))
            .comment("before the upgrade")
            .build()
            .unwrap();
        let wire: types::BackupRequest = request.to_wire();
        assert_eq!(wire.location_user.as_deref(), Some("backup"));
        assert_eq!(wire.location_password.unwrap().expose(), "Loc-Pa55!");
        assert_eq!(wire.backup_password.unwrap().expose(), "Backup-2024!");
        assert_eq!(wire.comment.as_deref(), Some("before the upgrade"));
        assert_eq!(wire.location_type, enums::LocationType::Sftp);
    }
}
