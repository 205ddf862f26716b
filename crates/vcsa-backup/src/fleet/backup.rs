//! `fleet backup`: start the backups of each group together, within a window.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::fleet::accounts::Accounts;
use crate::fleet::run::{ApplianceFailure, ApplianceResult, close, result};
use crate::fleet::{Appliance, Fleet};
use crate::job::JobStatus;

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
    /// When the group's start requests went out (the local clock).
    pub opened_at: DateTime<Utc>,
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
    /// How long after the group's start requests went out the appliance accepted this one.
    pub accepted_after: Duration,
    /// Whether it was accepted within the window.
    pub in_window: bool,
}

/// A group has more appliances than the fleet works on at once, so its start requests could
/// not all go out together. Nothing was started.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the group \"{group}\" has {members} appliances, more than the {jobs} worked on at once, so \
     their backups could not start together; nothing was started: allow at least {members} at \
     once"
)]
#[non_exhaustive]
pub struct GroupTooLarge {
    /// The group.
    pub group: String,
    /// How many appliances it has.
    pub members: usize,
    /// How many the fleet works on at once.
    pub jobs: usize,
}

impl Fleet {
    /// Starts a backup on every appliance, by running its schedule
    /// ([`Appliance::schedule`], [`DEFAULT_SCHEDULE`](crate::fleet::DEFAULT_SCHEDULE) unless set), group by group: the members of a group are logged in
    /// to first, then their start requests go out together, and each must be accepted within
    /// `window` of that moment on the local clock (the vendor asks for 5 minutes for the
    /// vCenters of one SSO domain). Several groups run at once as long as their appliances fit
    /// in [`jobs`](Self::jobs).
    ///
    /// A start request is sent once and never repeated. A backup accepted after the window
    /// keeps running (the result says so: [`BackupStarted::in_window`]); nothing is cancelled.
    ///
    /// ```
    /// # include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/doc_fixture.rs")).run_fleet(2, async |servers| {
    /// use std::time::Duration;
    /// use vcsa_backup::Secret;
    /// use vcsa_backup::fleet::{Appliance, Fleet};
    ///
    /// let password = Secret::new(std::env::var("VCSA_PASSWORD")?);
    /// let appliances = servers.iter().map(|server| {
    ///     Appliance::new(server, server, "administrator@vsphere.local", password.clone())
    ///         .group("sso-east")
    /// });
    /// let fleet = Fleet::new(appliances)?.jobs(8);
    /// let started = fleet.backup(Duration::from_secs(5 * 60), Some("before the upgrade")).await?;
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
    /// [`jobs`](Self::jobs). Every appliance's own failure is in its result.
    pub async fn backup(
        &self,
        window: Duration,
        comment: Option<&str>,
    ) -> Result<FleetBackup, GroupTooLarge> {
        let groups = self.groups();
        if let Some((Some(group), members)) =
            groups.iter().find(|(_, m)| m.len() > self.concurrency())
        {
            return Err(GroupTooLarge {
                group: group.clone(),
                members: members.len(),
                jobs: self.concurrency(),
            });
        }
        let slots = Semaphore::new(self.concurrency());
        let accounts = Accounts::default();
        let runs = groups.into_iter().map(|(group, members)| {
            let (slots, accounts) = (&slots, &accounts);
            async move {
                // Fits: checked above. A closed semaphore cannot happen; run anyway if it did.
                let _slots = slots.acquire_many(members.len() as u32).await;
                self.backup_group(group, &members, window, comment, accounts)
                    .await
            }
        });
        Ok(FleetBackup {
            window,
            groups: futures_util::future::join_all(runs).await,
        })
    }

    /// The appliances by group, in the order of each group's first appliance; an appliance
    /// without a group alone.
    fn groups(&self) -> Vec<(Option<String>, Vec<&Appliance>)> {
        let mut groups: Vec<(Option<String>, Vec<&Appliance>)> = Vec::new();
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        for entry in self.appliances() {
            let known = entry.group.as_deref().and_then(|g| by_name.get(g));
            match (known, entry.group.as_deref()) {
                (Some(&at), _) => groups[at].1.push(entry),
                (None, group) => {
                    if let Some(group) = group {
                        by_name.insert(group, groups.len());
                    }
                    groups.push((entry.group.clone(), vec![entry]));
                }
            }
        }
        groups
    }

    async fn backup_group(
        &self,
        group: Option<String>,
        members: &[&Appliance],
        window: Duration,
        comment: Option<&str>,
        accounts: &Accounts,
    ) -> GroupBackup {
        let limit = self.login_time_limit();
        // Log in to all first, so the window measures the start requests alone.
        let sessions = futures_util::future::join_all(
            members
                .iter()
                .map(|entry| self.open(entry, accounts, limit)),
        )
        .await;
        let opened_at = Utc::now();
        let opened = Instant::now();
        let starts = members
            .iter()
            .zip(sessions)
            .map(|(entry, session)| async move {
                let outcome = match session {
                    Err(failure) => Err(failure),
                    Ok(client) => {
                        let started = client.run_schedule(&entry.schedule, comment).await;
                        let accepted_after = opened.elapsed();
                        close(&client).await;
                        started
                            .map(|job| BackupStarted {
                                job,
                                accepted_after,
                                in_window: accepted_after <= window,
                            })
                            .map_err(ApplianceFailure::Error)
                    }
                };
                result(entry, outcome)
            });
        GroupBackup {
            group,
            opened_at,
            members: futures_util::future::join_all(starts).await,
        }
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
