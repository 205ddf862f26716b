//! Faults a test can inject: failing calls (the next few, or all of them for a while), sessions
//! refused right after log in, failing jobs, uneven progress, slow answers, values from the
//! future.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::limits::MAX_JOB_DURATION;
use crate::lost_answers::{LostAnswer, LostAnswers, LostOperation};
use crate::plan::{JobFailure, JobWait, ProgressCurve};

/// Which enumeration in responses an injected unknown value replaces.
///
/// The vendor declares all its enumerations open; a client must survive a value it has never seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnumField {
    /// `state` of a job status (`INPROGRESS`, `SUCCEEDED`...).
    JobState,
    /// `status` of job details (`RUNNING`, `SUCCEEDED`...).
    DetailsStatus,
    /// `type` of job details (`MANUAL`, `SCHEDULED`).
    DetailsType,
    /// `status` of a cancel or validate result (`OK`, `WARNING`, `FAIL`).
    ReturnStatus,
    /// The error type of error bodies (`error_type` in `/api`, the suffix of `type` in `/rest`).
    ErrorType,
}

/// The faults in force, as the admin endpoint reports them.
///
/// Times are on the simulator's clock (which follows tokio's, so a paused clock moves them too).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Faults {
    /// How many of the next vendor API calls answer 503 SERVICE_UNAVAILABLE.
    pub fail_next: u32,
    /// Every vendor API call (log in included) answers 503 SERVICE_UNAVAILABLE until then.
    #[serde(default)]
    pub unavailable_until: Option<DateTime<Utc>>,
    /// Every session opened until then ends right after log in: the log in succeeds, and the
    /// next call with the new session answers 401 UNAUTHENTICATED.
    #[serde(default)]
    pub sessions_refused_until: Option<DateTime<Utc>>,
    /// Added to every vendor API answer, in milliseconds.
    pub delay_ms: u64,
    /// How the next backup job (manual or scheduled) fails, if it should.
    pub next_job_failure: Option<JobFailure>,
    /// How long the next backup job (manual or scheduled) waits as PENDING, then BLOCKED.
    #[serde(default)]
    pub next_job_wait: Option<JobWait>,
    /// How the progress of the next backup job (manual or scheduled) moves, in place of the
    /// steady run over the configured job duration.
    #[serde(default)]
    pub next_job_progress: Option<ProgressCurve>,
    /// Enumerations whose value in every response is replaced by the given unknown value.
    pub unknown_enums: BTreeMap<EnumField, String>,
    /// Operations whose next answers are lost after the work is done (left out when none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lost_answers: BTreeMap<LostOperation, LostAnswers>,
}

impl Faults {
    pub(crate) fn delay(&self) -> Duration {
        Duration::from_millis(self.delay_ms)
    }

    pub(crate) fn unknown(&self, field: EnumField) -> Option<&str> {
        self.unknown_enums.get(&field).map(String::as_str)
    }

    /// Whether a vendor call made `now` fails with 503; counts it against `fail_next`
    /// unless the appliance is unavailable for a span of time anyway.
    pub(crate) fn take_failure(&mut self, now: DateTime<Utc>) -> bool {
        if self.unavailable_until.is_some_and(|until| now < until) {
            true
        } else if self.fail_next > 0 {
            self.fail_next -= 1;
            true
        } else {
            false
        }
    }

    /// Whether a session opened `now` ends right after log in.
    pub(crate) fn refuses_new_sessions(&self, now: DateTime<Utc>) -> bool {
        self.sessions_refused_until.is_some_and(|until| now < until)
    }
}

/// `now + span` on the simulator's clock, saturating far in the future.
pub(crate) fn until(now: DateTime<Utc>, span: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(span.min(MAX_JOB_DURATION))
        .ok()
        .and_then(|span| now.checked_add_signed(span))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

impl Faults {
    /// How the answer to a call of `operation` made now is lost, if it is; counts it.
    pub(crate) fn take_lost_answer(
        &mut self,
        operation: Option<LostOperation>,
    ) -> Option<LostAnswer> {
        let key = operation
            .filter(|op| self.lost_answers.contains_key(op))
            .or_else(|| {
                self.lost_answers
                    .contains_key(&LostOperation::Any)
                    .then_some(LostOperation::Any)
            })?;
        let lost = self.lost_answers.get_mut(&key)?;
        lost.count = lost.count.saturating_sub(1);
        let answer = lost.answer;
        if lost.count == 0 {
            self.lost_answers.remove(&key);
        }
        Some(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lost_answers::set;

    #[test]
    fn an_outage_fails_every_call_until_it_ends_without_using_up_fail_next() {
        let now = Utc::now();
        let mut faults = Faults {
            fail_next: 1,
            unavailable_until: Some(until(now, Duration::from_secs(60))),
            ..Faults::default()
        };
        assert!(faults.take_failure(now));
        assert!(faults.take_failure(until(now, Duration::from_secs(59))));
        assert_eq!(faults.fail_next, 1);
        let after = until(now, Duration::from_secs(60));
        assert!(faults.take_failure(after), "then the counted failure");
        assert!(!faults.take_failure(after));
    }

    #[test]
    fn sessions_are_refused_only_inside_the_span() {
        let now = Utc::now();
        let faults = Faults {
            sessions_refused_until: Some(until(now, Duration::from_secs(120))),
            ..Faults::default()
        };
        assert!(faults.refuses_new_sessions(now));
        assert!(!faults.refuses_new_sessions(until(now, Duration::from_secs(120))));
        assert!(!Faults::default().refuses_new_sessions(now));
        assert!(until(now, Duration::MAX) > until(now, Duration::from_secs(86_400 * 365)));
    }

    #[test]
    fn the_operations_own_setting_comes_first_then_any_and_counts_run_out() {
        let mut faults = Faults::default();
        set(
            &mut faults.lost_answers,
            LostOperation::StartBackup,
            LostAnswer::Dropped,
            1,
        );
        set(
            &mut faults.lost_answers,
            LostOperation::Any,
            LostAnswer::BadGateway,
            2,
        );
        let start = Some(LostOperation::StartBackup);
        assert_eq!(faults.take_lost_answer(start), Some(LostAnswer::Dropped));
        assert_eq!(faults.take_lost_answer(start), Some(LostAnswer::BadGateway));
        assert_eq!(faults.take_lost_answer(None), Some(LostAnswer::BadGateway));
        assert_eq!(faults.take_lost_answer(start), None);
        assert!(faults.lost_answers.is_empty());
        set(
            &mut faults.lost_answers,
            LostOperation::RunSchedule,
            LostAnswer::Hang,
            3,
        );
        set(
            &mut faults.lost_answers,
            LostOperation::RunSchedule,
            LostAnswer::Hang,
            0,
        );
        assert!(faults.lost_answers.is_empty(), "a count of 0 clears it");
    }
}
