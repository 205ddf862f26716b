//! The backup catalog: system names and archives at a backup location, and the layout that puts
//! a manual backup among them.

use crate::catalog::layout;
use crate::catalog::{ApplianceLayout, ArchiveFilter, ArchiveInfo, ArchiveSummary, BackupLocation};
use crate::client::Client;
use crate::error::Error;
use crate::job::details::JobDetails;
use crate::job::id::JobId;
use crate::segment::IdKind;
use crate::wire::catalog_twins::{GetArchive, ListArchives, ListSystemNames};
use crate::wire::convert::IntoDomain;

impl Client {
    /// The system names that have backups at `location`: one per appliance (its host name),
    /// the folders under `<location>/vCenter/sn_*`.
    ///
    /// The catalog, from a location to one archive:
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).archive("sftp://nas.example.com/backups", "vcsa-01.example.com").run(async |sim, client, request| {
    /// use vcsa_backup::{ArchiveFilter, BackupLocation, Error, Secret};
    ///
    /// let location = BackupLocation::builder()
    ///     .location("sftp://nas.example.com/backups")
    ///     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    ///     .build()?;
    /// let names = client.list_system_names(&location).await?;
    /// assert_eq!(names, ["vcsa-01.example.com"]);
    /// let newest = ArchiveFilter::builder().max_results(5).build()?;
    /// for archive in client.list_archives(&location, &names[0], &newest).await? {
    ///     println!("{} {} {} {}", archive.id, archive.started_at, archive.version, archive.comment);
    ///     let info = client.get_archive(&location, &names[0], &archive.id).await?;
    ///     println!("{} from {} {}: parts {:?}", info.location, info.system_name, info.version, info.parts);
    /// }
    /// let missing = client.get_archive(&location, &names[0], "S_8.0_20000101-000000_").await;
    /// assert!(matches!(missing, Err(Error::NotFound(_))));
    /// # Ok(()) })
    /// ```
    ///
    /// On `/rest`, the location's password travels in the URL's query string: `/api` is the
    /// safer flavour for the catalog.
    ///
    /// # Errors
    ///
    /// - [`Error::NotFound`]: the location does not exist.
    /// - [`Error::InvalidRequest`]: the appliance refused the location or its credentials.
    /// - And [those of every call](Client#errors-of-every-call).
    pub async fn list_system_names(&self, location: &BackupLocation) -> Result<Vec<String>, Error> {
        let mut names = self.call(&ListSystemNames(location)).await?.0;
        names.sort();
        Ok(names)
    }

    /// The archives of one appliance (`system_name`) at `location`, newest first, as `filter`
    /// selects them (without one, the appliance's newest 128). An example walks the catalog,
    /// and a word on `/rest`, under [`list_system_names`](Self::list_system_names).
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: the system name cannot be one (nothing is sent), or the
    ///   appliance refused the location or the filter.
    /// - [`Error::NotFound`]: the location or the system name does not exist there.
    /// - And [those of every call](Client#errors-of-every-call).
    pub async fn list_archives(
        &self,
        location: &BackupLocation,
        system_name: &str,
        filter: &ArchiveFilter,
    ) -> Result<Vec<ArchiveSummary>, Error> {
        IdKind::SystemName.check(system_name)?;
        let archives = self
            .call(&ListArchives {
                location,
                system_name,
                filter,
            })
            .await?
            .0;
        let mut archives: Vec<ArchiveSummary> =
            archives.into_iter().map(IntoDomain::into_domain).collect();
        archives.sort_by_key(|a| std::cmp::Reverse(a.started_at));
        Ok(archives)
    }

    /// One archive of one appliance at `location`. An example walks the catalog, and a word on
    /// `/rest`, under [`list_system_names`](Self::list_system_names).
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: the system name or archive id cannot be one (nothing is
    ///   sent), or the appliance refused the location.
    /// - [`Error::NotFound`]: the location, the system name or the archive does not exist.
    /// - And [those of every call](Client#errors-of-every-call).
    pub async fn get_archive(
        &self,
        location: &BackupLocation,
        system_name: &str,
        archive: &str,
    ) -> Result<ArchiveInfo, Error> {
        IdKind::SystemName.check(system_name)?;
        IdKind::Archive.check(archive)?;
        self.call_into(&GetArchive {
            location,
            system_name,
            archive,
        })
        .await
    }

    /// Where this appliance's backups go in the appliance's layout at `location`: its system
    /// name and version, for [`ApplianceLayout::manual_backup_location`], which places a manual
    /// backup the way the appliance's own interface does, in a fresh folder the catalog lists.
    ///
    /// Each value is the caller's when given. Otherwise the version comes from the appliance's
    /// job history (the newest job that records one); the system name from the history (the
    /// newest job whose location follows the layout), else from the catalog at `location` (the
    /// one system name whose scheduled backups started when this appliance's scheduled jobs
    /// did), else from the client's base URL when its host is a name, not an IP address.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run(async |sim, client, request| {
    /// use vcsa_backup::{BackupLocation, BackupRequest, Secret};
    ///
    /// let root = BackupLocation::builder()
    ///     .location("sftp://nas.example.com/backups")
    ///     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    ///     .build()?;
    /// // A fresh appliance has no history yet: say its name and version.
    /// let layout = client
    ///     .get_backup_layout(&root, Some("vcsa.example.com"), Some("8.0.3.00400"))
    ///     .await?;
    /// let now = client.get_appliance_time().await?.local().expect("the appliance's local time");
    /// let request = BackupRequest::builder()
    ///     .location(layout.manual_backup_location(root.url(), now))
    ///     .location_credentials("backup", Secret::new("Nas-Pa55word!"))
    ///     .build()?;
    /// assert!(request.location().starts_with(
    ///     "sftp://nas.example.com/backups/vCenter/sn_vcsa.example.com/M_8.0.3.00400_"
    /// ));
    /// client.start_backup(&request).await?;
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidRequest`]: a value given is not a host name or a version, or a value
    ///   could not be found (the problem says which to give).
    /// - Those of [`list_job_details`](Self::list_job_details) and
    ///   [`list_archives`](Self::list_archives), when the history and the catalog are read.
    pub async fn get_backup_layout(
        &self,
        location: &BackupLocation,
        system_name: Option<&str>,
        version: Option<&str>,
    ) -> Result<ApplianceLayout, Error> {
        if let (Some(name), Some(version)) = (system_name, version) {
            return Ok(ApplianceLayout::new(name, version)?);
        }
        let history: Vec<(JobId, JobDetails)> =
            self.list_job_details(None).await?.into_iter().collect();
        let version = version
            .map(str::to_string)
            .or_else(|| layout::version_in_history(&history));
        let mut name = system_name
            .map(str::to_string)
            .or_else(|| layout::system_name_in_history(&history));
        if name.is_none() {
            name = layout::system_name_in_catalog(&history, &self.catalog(location).await?);
        }
        let host = url::Url::parse(self.base_url())
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
        let name = name.or_else(|| layout::host_system_name(host.as_deref()));
        Ok(ApplianceLayout::resolve(name, version)?)
    }

    /// Every system name at `location` with its archives; nothing when the location is empty.
    async fn catalog(
        &self,
        location: &BackupLocation,
    ) -> Result<Vec<(String, Vec<ArchiveSummary>)>, Error> {
        let (mut catalog, all) = (Vec::new(), ArchiveFilter::all());
        let names = self.list_system_names(location).await;
        for name in Error::unless_not_found(names)?.unwrap_or_default() {
            let archives = self.list_archives(location, &name, &all).await;
            if let Some(archives) = Error::unless_not_found(archives)? {
                catalog.push((name, archives));
            }
        }
        Ok(catalog)
    }
}
