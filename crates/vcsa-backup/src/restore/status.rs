//! What the appliance says about a restore and a reconciliation.

use chrono::{DateTime, Utc};

use crate::backup::part::PartId;
use crate::job::details::TaskState;
use crate::job::status::{JobState, Percent};
use crate::message::Message;

/// What validating a [`RestoreRequest`](crate::RestoreRequest) says about the backup: whether it
/// can be restored on this appliance, where it comes from, and why not.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct RestoreCheck {
    /// Whether the backup can be restored on this appliance; `messages` say why not.
    pub applicable: bool,
    /// The name of the appliance the backup came from.
    pub system_name: String,
    /// The version of the appliance the backup came from.
    pub version: String,
    /// The backup's comment.
    pub comment: String,
    /// When the backup was taken.
    pub taken_at: DateTime<Utc>,
    /// The parts the backup holds.
    pub parts: Vec<PartId>,
    /// Whether the restore needs the SSO administrator's credentials.
    pub sso_login_required: bool,
    /// Why the backup can or cannot be restored, and any warnings.
    pub messages: Vec<Message>,
}

/// The restore job's status. Before any restore its state is [`JobState::NotStarted`].
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct RestoreStatus {
    /// Where the restore is in its life.
    pub state: JobState,
    /// How far it has got.
    pub progress: Percent,
    /// What the appliance says about it.
    pub messages: Vec<Message>,
    /// The parts being restored (vSphere 8.0 Update 3 and later); empty means every part.
    pub parts: Vec<PartId>,
}

/// The reconciliation job of a restored appliance.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Reconciliation {
    /// Where the job is (the appliance's `status`): `RUNNING`, `SUCCEEDED`, `FAILED` (or
    /// `NONE`, not started).
    pub state: TaskState,
    /// How far it has got.
    pub progress: Percent,
    /// What the job is, in the appliance's words.
    pub description: Message,
    /// What the appliance says about it.
    pub messages: Vec<Message>,
    /// When it started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// Why it failed, as the appliance said it.
    pub error: Option<String>,
}
