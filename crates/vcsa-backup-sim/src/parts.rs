//! The parts a backup can include, as the parts operation lists them.

use vcsa_backup_api::types::Part;

use crate::error::message;

/// One part: its id, how it is described, and how much data it adds to a backup.
pub(crate) struct PartSpec {
    pub(crate) id: &'static str,
    name: &'static str,
    description: &'static str,
    selected_by_default: bool,
    optional: bool,
    /// Bytes this part adds to a backup; `size` in job details grows towards the sum.
    pub(crate) bytes: i64,
}

pub(crate) const COMMON: &str = "common";

pub(crate) const PARTS: &[PartSpec] = &[
    PartSpec {
        id: COMMON,
        name: "Common",
        description: "Inventory and configuration: always part of a backup.",
        selected_by_default: true,
        optional: false,
        bytes: 384 * 1024 * 1024,
    },
    PartSpec {
        id: "seat",
        name: "Stats, Events, and Tasks",
        description: "Historical data: statistics, events and tasks. Can be large.",
        selected_by_default: true,
        optional: true,
        bytes: 2 * 1024 * 1024 * 1024,
    },
    PartSpec {
        id: "supervisors",
        name: "Supervisors Control Plane",
        description: "Supervisor control plane configuration (vSphere with Tanzu).",
        selected_by_default: false,
        optional: true,
        bytes: 96 * 1024 * 1024,
    },
];

pub(crate) fn find(id: &str) -> Option<&'static PartSpec> {
    PARTS.iter().find(|p| p.id == id)
}

/// The parts list as the wire carries it.
pub(crate) fn list() -> Vec<Part> {
    PARTS
        .iter()
        .map(|p| Part {
            id: p.id.to_string(),
            name: message(
                &format!("com.vmware.appliance.backup.parts.{}", p.id),
                p.name,
            ),
            description: message(
                &format!("com.vmware.appliance.backup.parts.{}.description", p.id),
                p.description,
            ),
            selected_by_default: p.selected_by_default,
            optional: p.optional,
            standalone: None,
        })
        .collect()
}

/// The estimated size of a part in MB, as the part size operation answers it.
pub(crate) fn size_mb(id: &str) -> Option<i64> {
    find(id).map(|p| p.bytes / (1024 * 1024))
}

/// Total bytes of a backup of these parts; `common` is always included.
pub(crate) fn backup_bytes(ids: &[String]) -> i64 {
    let extra: i64 = PARTS
        .iter()
        .filter(|p| p.id != COMMON && ids.iter().any(|id| id == p.id))
        .map(|p| p.bytes)
        .sum();
    PARTS[0].bytes + extra
}
