//! `fleet backup`: what a fleet backup starts (each appliance's schedule, or a manual backup in
//! each appliance's layout), and the results of starting it, group by group.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;

use crate::backup::{BackupRequest, BackupRequestBuilder};
use crate::catalog::BackupLocation;
use crate::client::Client;
use crate::error::Error;
use crate::fleet::failure::ApplianceResult;
use crate::fleet::run::result;
use crate::fleet::{Appliance, Fleet, FollowEvent};
use crate::job::JobStatus;
use crate::macros::setters;

/// The window a group's start requests must all be accepted in unless told otherwise: what the
/// vendor asks for the vCenters of one SSO domain.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(5 * 60);

/// What a fleet backup starts on every appliance, within which window, and how many may run
/// at once: see [`Fleet::backup`] and [`Fleet::backup_and_follow`].
///
/// ```
/// use std::time::Duration;
/// use vcsa_backup::{BackupLocation, BackupRequest};
/// use vcsa_backup::fleet::BackupPlan;
///
/// // Each appliance's schedule, the groups' requests accepted within 5 minutes.
/// let nightly = BackupPlan::schedules().comment("before the upgrade");
/// // A manual backup of each appliance into its own folder under the root, as its management
/// // interface names it, at most 10 running at once.
/// let root = BackupLocation::builder()
///     .location("sftp://nas.example.com/backups")
///     .location_credentials("backup", "Nas-Pa55word!")
///     .build()?;
/// let request =
///     BackupRequest::builder().location_credentials("backup", "Nas-Pa55word!");
/// let manual = BackupPlan::into_layout(root, request)
///     .window(Duration::from_secs(120))
///     .max_running(10);
/// # let _ = (nightly, manual);
/// # Ok::<(), vcsa_backup::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct BackupPlan {
    /// A manual backup into a fresh folder of each appliance's layout under this root, with
    /// these settings; `None`: each appliance's schedule.
    layout: Option<(BackupLocation, BackupRequestBuilder)>,
    pub(crate) window: Duration,
    pub(crate) comment: Option<String>,
    pub(crate) max_running: Option<usize>,
}

impl BackupPlan {
    /// Runs each appliance's schedule ([`Appliance::schedule`],
    /// [`DEFAULT_SCHEDULE`](crate::fleet::DEFAULT_SCHEDULE) unless set), within
    /// [`DEFAULT_WINDOW`].
    pub fn schedules() -> Self {
        Self::with(None)
    }

    /// Starts a manual backup of each appliance into a fresh folder under `root`, named as the
    /// appliance's own interface names it (`<root>/vCenter/sn_<system name>/M_<version>_<time>_`,
    /// see [`Client::get_backup_layout`]), with the settings of `request` (parts, passwords,
    /// fast backup; its location is set per appliance). `root`'s credentials read its catalog;
    /// give the request its own with
    /// [`location_credentials`](BackupRequestBuilder::location_credentials).
    pub fn into_layout(root: BackupLocation, request: BackupRequestBuilder) -> Self {
        Self::with(Some((root, request)))
    }

    fn with(layout: Option<(BackupLocation, BackupRequestBuilder)>) -> Self {
        Self {
            layout,
            window: DEFAULT_WINDOW,
            comment: None,
            max_running: None,
        }
    }

    setters! {
        /// How long a group's start requests have to be accepted in, from when they go out
        /// together (default [`DEFAULT_WINDOW`]).
        window(window: Duration);

        /// A comment stored with every backup.
        comment(comment: impl Into<String>) => Some;
    }

    /// At most this many backups running at once across the fleet (at least one): a group
    /// starts once there are places for all its appliances, and a place frees when a backup
    /// ends. Without it, every group starts as soon as its appliances fit in
    /// [`Fleet::jobs`].
    #[must_use]
    pub fn max_running(mut self, max: usize) -> Self {
        self.max_running = Some(max.max(1));
        self
    }

    /// Gets an appliance's start ready once logged in: for a manual backup, reads its layout
    /// and clock to name its folder (`None`: its schedule runs). Nothing starts.
    pub(crate) async fn prepare(&self, client: &Client) -> Result<Option<BackupRequest>, Error> {
        let Some((root, request)) = &self.layout else {
            return Ok(None);
        };
        let layout = client.get_backup_layout(root, None, None).await?;
        let now = client.get_appliance_time().await?;
        let local = now.local().ok_or_else(|| {
            Error::malformed(format!(
                "the appliance's clock reads \"{} {}\", which is not a date and time, so the \
                 backup's folder cannot be named; start this appliance's backup with a location \
                 of its own",
                now.date, now.time
            ))
        })?;
        let mut request = request
            .clone()
            .location(layout.manual_backup_location(root.url(), local));
        if let Some(comment) = &self.comment {
            request = request.comment(comment.clone());
        }
        Ok(Some(request.build()?))
    }
}

/// The backups a fleet started, group by group.
#[derive(Debug)]
#[non_exhaustive]
pub struct FleetBackup {
    /// How long each group's start requests had to be accepted in.
    pub window: Duration,
    /// Every group, in the order of their first appliance in the inventory; an appliance
    /// without a group is a group of its own.
    pub groups: Vec<GroupBackup>,
}

/// One group's backups.
#[derive(Debug)]
#[non_exhaustive]
pub struct GroupBackup {
    /// The group's name; `None` for an appliance without a group.
    pub group: Option<String>,
    /// Each appliance of the group, in the inventory's order.
    pub members: Vec<ApplianceResult<BackupStarted>>,
}

impl GroupBackup {
    /// Whether every appliance of the group accepted its start within the window.
    pub fn all_in_window(&self) -> bool {
        self.members
            .iter()
            .all(|m| m.outcome.as_ref().is_ok_and(|s| s.in_window))
    }
}

/// A backup an appliance accepted. It runs on: nothing cancels it, in the window or not.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct BackupStarted {
    /// The job, as the appliance reported it on accepting the start.
    pub job: JobStatus,
    /// When its group's start requests went out (the local clock).
    pub requested_at: DateTime<Utc>,
    /// How long after the group's start requests went out the appliance accepted this one.
    pub accepted_after: Duration,
    /// Whether it was accepted within the window.
    pub in_window: bool,
}

/// A group has more appliances than the fleet works on at once, or than may run at once, so
/// its start requests could not all go out together. Nothing was started.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the group \"{group}\" has {members} appliances, more than the {limit}, so their backups \
     could not start together; nothing was started: allow at least {members} at once"
)]
#[non_exhaustive]
pub struct GroupTooLarge {
    /// The group.
    pub group: String,
    /// How many appliances it has.
    pub members: usize,
    /// The limit it passes.
    pub limit: GroupLimit,
}

/// The limit a [`GroupTooLarge`] passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupLimit {
    /// [`Fleet::jobs`]: how many appliances the fleet works on at once.
    Jobs(usize),
    /// [`BackupPlan::max_running`]: how many backups may run at once.
    MaxRunning(usize),
}

impl std::fmt::Display for GroupLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Jobs(n) => write!(f, "{n} worked on at once"),
            Self::MaxRunning(n) => write!(f, "{n} backups allowed to run at once"),
        }
    }
}

impl Fleet {
    /// Starts a backup on every appliance as `plan` says, group by group: a group's members
    /// are logged in to first, then their start requests go out together, and each must be
    /// accepted within the plan's [window](BackupPlan::window). Groups run at once while they
    /// fit in [`jobs`](Self::jobs) and the plan's [`max_running`](BackupPlan::max_running).
    /// Returns once every start was answered.
    ///
    /// A start the appliance did not take (503, a session expired) is sent again within the
    /// window; one whose answer was lost is looked up in the appliance's jobs, never sent
    /// again. A backup accepted after the window keeps running
    /// ([`BackupStarted::in_window`] says so).
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc/fixture.rs")).run_fleet(2, async |servers| {
    /// use std::time::Duration;
    /// use vcsa_backup::fleet::{Appliance, BackupPlan, Fleet};
    ///
    /// let password = std::env::var("VCSA_PASSWORD")?;
    /// let appliances = servers.iter().map(|server| {
    ///     Appliance::new(server, server, "administrator@vsphere.local", password.as_str())
    ///         .group("sso-east")
    /// });
    /// let fleet = Fleet::new(appliances)?.jobs(8);
    /// let started = fleet.backup(&BackupPlan::schedules().comment("before the upgrade")).await?;
    /// for group in &started.groups {
    ///     assert!(group.all_in_window());
    ///     for member in &group.members {
    ///         let job = &member.outcome.as_ref().unwrap().job;
    ///         println!("{}: backup {} started", member.name, job.id);
    ///     }
    /// }
    /// # Ok(()) })
    /// ```
    ///
    /// # Errors
    ///
    /// [`GroupTooLarge`] before anything is sent, when a group has more appliances than
    /// [`jobs`](Self::jobs), or than the plan's `max_running`. Every appliance's own failure
    /// is in its result.
    pub async fn backup(&self, plan: &BackupPlan) -> Result<FleetBackup, GroupTooLarge> {
        let follow = plan
            .max_running
            .map(|_| crate::wait::WaitOptions::default());
        let mut updates = self.run_backups(plan, follow)?;
        let mut started = HashMap::new();
        while let Some(update) = updates.next().await {
            if let FollowEvent::Started(outcome) = update.event {
                started.insert(update.name, outcome);
            }
        }
        // Every appliance's updates begin with its start: none is left out.
        let groups = self
            .groups()
            .into_iter()
            .map(|(group, members)| {
                let members = members
                    .iter()
                    .filter_map(|entry| Some(result(entry, started.remove(&entry.name)?)))
                    .collect();
                GroupBackup { group, members }
            })
            .collect();
        Ok(FleetBackup {
            window: plan.window,
            groups,
        })
    }

    /// The appliances by group, in the order of each group's first appliance; an appliance
    /// without a group alone.
    pub(crate) fn groups(&self) -> Vec<(Option<String>, Vec<Appliance>)> {
        let mut groups: Vec<(Option<String>, Vec<Appliance>)> = Vec::new();
        // An appliance without a group is known by its position: a group of its own.
        let mut at: HashMap<Result<&str, usize>, usize> = HashMap::new();
        for (index, entry) in self.appliances().iter().enumerate() {
            let group = *at
                .entry(entry.group.as_deref().ok_or(index))
                .or_insert_with(|| {
                    groups.push((entry.group.clone(), Vec::new()));
                    groups.len() - 1
                });
            groups[group].1.push(entry.clone());
        }
        groups
    }

    /// The first group that cannot start together under `plan`, if any.
    pub(crate) fn too_large(&self, plan: &BackupPlan) -> Result<(), GroupTooLarge> {
        let limits = [
            Some(GroupLimit::Jobs(self.jobs)),
            plan.max_running.map(GroupLimit::MaxRunning),
        ];
        for (group, members) in self.groups() {
            let Some(group) = group else { continue };
            for limit in limits.iter().flatten() {
                let (GroupLimit::Jobs(max) | GroupLimit::MaxRunning(max)) = *limit;
                if members.len() > max {
                    return Err(GroupTooLarge {
                        group,
                        members: members.len(),
                        limit: *limit,
                    });
                }
            }
        }
        Ok(())
    }
}

/// [`Error::InvalidRequest`](crate::Error::InvalidRequest) about the number of appliances
/// worked on at once, so that `?` works in a function returning [`Error`](crate::Error).
impl From<GroupTooLarge> for crate::Error {
    fn from(error: GroupTooLarge) -> Self {
        let problem = crate::Problem::new(crate::Field::Concurrency, error.to_string());
        Self::problems_found(vec![problem])
    }
}
