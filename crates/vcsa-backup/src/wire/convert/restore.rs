//! Restores and reconciliations: the request sent, and the answers.

use vcsa_backup_api::types;

use super::{IntoDomain, ToWire, convert_all, part_ids, parts};
use crate::job::status::Percent;
use crate::restore::{Reconciliation, RestoreCheck, RestoreRequest, RestoreStatus};

/// The request as validate sends it: `ignore_warnings` only on a start.
pub(crate) fn restore_request(request: &RestoreRequest, start: bool) -> types::RestoreRequest {
    types::RestoreRequest {
        backup_password: request
            .backup_password
            .as_ref()
            .map(|p| p.secret().to_wire()),
        ignore_warnings: (start && request.ignore_warnings).then_some(true),
        location: request.location().to_string(),
        location_password: request.credentials.as_ref().map(|(_, p)| p.to_wire()),
        location_type: request.location_type.to_wire(),
        location_user: request.credentials.as_ref().map(|(user, _)| user.clone()),
        parts: part_ids(&request.parts),
        sso_admin_user_name: request.sso_admin_user().map(str::to_string),
        sso_admin_user_password: request.sso_admin.as_ref().map(|(_, p)| p.to_wire()),
    }
}

impl IntoDomain<RestoreCheck> for types::RestoreMetadata {
    fn into_domain(self) -> RestoreCheck {
        RestoreCheck {
            applicable: self.applicable,
            system_name: self.boxname,
            version: self.version,
            comment: self.comment,
            taken_at: self.timestamp,
            parts: parts(self.parts),
            sso_login_required: self.sso_login_required.unwrap_or(false),
            messages: convert_all(self.messages),
        }
    }
}

impl IntoDomain<RestoreStatus> for types::RestoreJobStatus {
    fn into_domain(self) -> RestoreStatus {
        RestoreStatus {
            state: self.state.into_domain(),
            progress: Percent::clamped(self.progress),
            messages: convert_all(self.messages),
            parts: parts(self.parts),
        }
    }
}

impl IntoDomain<Reconciliation> for types::ReconciliationInfo {
    fn into_domain(self) -> Reconciliation {
        // The vendor's specification says a string; anything else is shown as JSON.
        let error = self.error.map(|e| match e {
            serde_json::Value::String(text) => text,
            other => other.to_string(),
        });
        Reconciliation {
            state: self.status.into_domain(),
            progress: Percent::clamped(self.progress),
            description: self.description.into_domain(),
            messages: convert_all(self.messages),
            started_at: self.start_time,
            ended_at: self.end_time,
            error,
        }
    }
}
