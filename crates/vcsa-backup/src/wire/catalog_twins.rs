//! The catalog operations as [`Twins`] pairs (see [`twins`](super::twins)).
//!
//! `/api` takes the location in a POST body; `/rest` takes it in the query string, password
//! included. That URL is built and sent by the generated client and never kept: errors carry
//! no URL ([`classify`](super::classify) drops it), and nothing here logs one.

use vcsa_backup_api::{Secret, types};

use crate::catalog::filter::ArchiveFilter;
use crate::catalog::location::BackupLocation;
use crate::wire::convert::ToWire;
use crate::wire::dispatch::{twins, wrapped_in_value};

wrapped_in_value! {
    types::RestSystemNameListValue => types::SystemNameList,
    types::RestArchiveSummaryListValue => types::ArchiveSummaryList,
    types::RestArchiveInfoValue => types::ArchiveInfo,
}

/// The location's password, the one secret each catalog operation sends.
fn secrets(location: &BackupLocation) -> Vec<&str> {
    Vec::from_iter(location.password().map(Secret::expose))
}

twins!(struct ListSystemNames(&BackupLocation): "list_system_names",
    "list the system names at a backup location", Yes, types::SystemNameList, types::RestSystemNameListValue,
    |op, api| api.list_system_names(&op.0.to_wire()).await,
    {
        let l = op.0;
        let password = l.password().map(Secret::to_wire);
        api.rest_list_system_names(l.url(), password.as_ref(), l.user()).await
    },
    secrets: secrets(op.0));

pub(crate) struct ListArchives<'a> {
    pub(crate) location: &'a BackupLocation,
    pub(crate) system_name: &'a str,
    pub(crate) filter: &'a ArchiveFilter,
}

twins!(ListArchives<'_>: "list_archives", "list the archives of a system name", Yes,
    types::ArchiveSummaryList, types::RestArchiveSummaryListValue,
    |op, api| {
        let body = types::ListArchivesRequest {
            filter_spec: op.filter.to_wire(),
            loc_spec: op.location.to_wire(),
        };
        api.list_archives(op.system_name, &body).await
    },
    {
        let (l, f) = (op.location, op.filter);
        let password = l.password().map(Secret::to_wire);
        api.rest_list_archives(
            op.system_name,
            f.comment_contains(),
            f.until().as_ref(),
            f.max_results().map(i64::from),
            f.since().as_ref(),
            l.url(),
            password.as_ref(),
            l.user(),
        )
        .await
    },
    secrets: secrets(op.location));

pub(crate) struct GetArchive<'a> {
    pub(crate) location: &'a BackupLocation,
    pub(crate) system_name: &'a str,
    pub(crate) archive: &'a str,
}

twins!(GetArchive<'_>: "get_archive", "get an archive", Yes,
    types::ArchiveInfo, types::RestArchiveInfoValue,
    |op, api| api.get_archive(op.system_name, op.archive, &op.location.to_wire()).await,
    {
        let l = op.location;
        let password = l.password().map(Secret::to_wire);
        api.rest_get_archive(op.system_name, op.archive, l.url(), password.as_ref(), l.user())
            .await
    },
    secrets: secrets(op.location));
