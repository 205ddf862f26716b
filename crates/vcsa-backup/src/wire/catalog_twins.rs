//! The catalog operations as [`Twins`] pairs (see [`twins`](super::twins)).
//!
//! `/api` takes the location in a POST body; `/rest` takes it in the query string, password
//! included. That URL is built and sent by the generated client and never kept: errors carry
//! no URL ([`classify`](super::classify) drops it), and nothing here logs one.

use vcsa_backup_api::{Client as Api, Secret, types};

use crate::catalog::filter::ArchiveFilter;
use crate::catalog::location::BackupLocation;
use crate::wire::convert::ToWire;
use crate::wire::dispatch::{ApiAnswer, Repeat, RestAnswer, Twins, wrapped_in_value};

wrapped_in_value! {
    types::RestSystemNameListValue => types::SystemNameList,
    types::RestArchiveSummaryListValue => types::ArchiveSummaryList,
    types::RestArchiveInfoValue => types::ArchiveInfo,
}

/// The location's password, the one secret each catalog operation sends.
fn secrets(location: &BackupLocation) -> Vec<&str> {
    location
        .password()
        .map(Secret::expose)
        .into_iter()
        .collect()
}

pub(crate) struct ListSystemNames<'a>(pub(crate) &'a BackupLocation);

impl Twins for ListSystemNames<'_> {
    const NAME: &'static str = "list_system_names";
    const DOES: &'static str = "list the system names at a backup location";
    const REPEAT: Repeat = Repeat::Yes;
    type Answer = types::SystemNameList;
    type Rest = types::RestSystemNameListValue;

    fn secrets(&self) -> Vec<&str> {
        secrets(self.0)
    }

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.list_system_names(&self.0.to_wire()).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        let l = self.0;
        let password = l.password().map(Secret::to_wire);
        api.rest_list_system_names(l.url(), password.as_ref(), l.user())
            .await
    }
}

pub(crate) struct ListArchives<'a> {
    pub(crate) location: &'a BackupLocation,
    pub(crate) system_name: &'a str,
    pub(crate) filter: &'a ArchiveFilter,
}

impl Twins for ListArchives<'_> {
    const NAME: &'static str = "list_archives";
    const DOES: &'static str = "list the archives of a system name";
    const REPEAT: Repeat = Repeat::Yes;
    type Answer = types::ArchiveSummaryList;
    type Rest = types::RestArchiveSummaryListValue;

    fn secrets(&self) -> Vec<&str> {
        secrets(self.location)
    }

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        let body = types::ListArchivesRequest {
            filter_spec: self.filter.to_wire(),
            loc_spec: self.location.to_wire(),
        };
        api.list_archives(self.system_name, &body).await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        let (l, f) = (self.location, self.filter);
        let password = l.password().map(Secret::to_wire);
        api.rest_list_archives(
            self.system_name,
            f.comment_contains(),
            f.until().as_ref(),
            f.max_results().map(i64::from),
            f.since().as_ref(),
            l.url(),
            password.as_ref(),
            l.user(),
        )
        .await
    }
}

pub(crate) struct GetArchive<'a> {
    pub(crate) location: &'a BackupLocation,
    pub(crate) system_name: &'a str,
    pub(crate) archive: &'a str,
}

impl Twins for GetArchive<'_> {
    const NAME: &'static str = "get_archive";
    const DOES: &'static str = "get an archive";
    const REPEAT: Repeat = Repeat::Yes;
    type Answer = types::ArchiveInfo;
    type Rest = types::RestArchiveInfoValue;

    fn secrets(&self) -> Vec<&str> {
        secrets(self.location)
    }

    async fn api(&self, api: &Api) -> ApiAnswer<Self::Answer> {
        api.get_archive(self.system_name, self.archive, &self.location.to_wire())
            .await
    }
    async fn rest(&self, api: &Api) -> RestAnswer<Self::Rest> {
        let l = self.location;
        let password = l.password().map(Secret::to_wire);
        api.rest_get_archive(
            self.system_name,
            self.archive,
            l.url(),
            password.as_ref(),
            l.user(),
        )
        .await
    }
}
