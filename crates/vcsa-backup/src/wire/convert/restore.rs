//! Restores and reconciliations: the request sent, and the answers.

use vcsa_backup_api::types;

use super::{FromWire, IntoDomain, ToWire, convert_all, part_ids, parts};
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

impl FromWire<types::RestoreMetadata> for RestoreCheck {
    fn from_wire(m: types::RestoreMetadata) -> Self {
        Self {
            applicable: m.applicable,
            system_name: m.boxname,
            version: m.version,
            comment: m.comment,
            taken_at: m.timestamp,
            parts: parts(m.parts),
            sso_login_required: m.sso_login_required.unwrap_or(false),
            messages: convert_all(m.messages),
        }
    }
}

impl FromWire<types::RestoreJobStatus> for RestoreStatus {
    fn from_wire(s: types::RestoreJobStatus) -> Self {
        Self {
            state: s.state.into_domain(),
            progress: Percent::clamped(s.progress),
            messages: convert_all(s.messages),
            parts: parts(s.parts),
        }
    }
}

impl FromWire<types::ReconciliationInfo> for Reconciliation {
    fn from_wire(i: types::ReconciliationInfo) -> Self {
        // The vendor's specification says a string; anything else is shown as JSON.
        let error = i.error.map(|e| match e {
            serde_json::Value::String(text) => text,
            other => other.to_string(),
        });
        Self {
            state: crate::job::details::TaskState::from(i.status.as_str()),
            progress: Percent::clamped(i.progress),
            description: i.description.into_domain(),
            messages: convert_all(i.messages),
            started_at: i.start_time,
            ended_at: i.end_time,
            error,
        }
    }
}
