//! Backup health for monitoring: is the newest successful backup recent enough, did the newest
//! job fail, will a schedule run the next one?
//!
//! [`HealthPolicy`] holds the thresholds; [`HealthReport`] is what a check found, with a
//! [`Verdict`] in the monitoring convention (OK, WARNING, CRITICAL, UNKNOWN) and the reasons for
//! it. Ages are judged by the appliance's own clock, so a monitoring host whose clock drifts
//! does not raise false alarms.

/// Builder setters that store their argument in a field: `name(field: Type);` stores it as
/// given (through `Into`), `name(field: Type) => Some;` stores `Some` of it, and
/// `name(field in inner: Type)` stores it in `self.inner.field`.
macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident($field:ident $(in $inner:ident)?: $ty:ty)
        $(=> $some:ident)?;)*) => {$(
        $(#[$doc])*
        #[must_use]
        #[allow(clippy::double_must_use)] // for builders that are `#[must_use]` themselves
        pub fn $name(mut self, $field: $ty) -> Self {
            self$(.$inner)?.$field = setters!(@store $field $($some)?);
            self
        }
    )*};
    (@store $value:ident) => { $value.into() };
    (@store $value:ident Some) => { Some($value.into()) };
}
pub(crate) use setters;

mod check;
mod evaluate;
mod missed;
mod policy;
mod report;
mod verdict;

pub use policy::{
    DEFAULT_MISSED_RUN_GRACE, DEFAULT_MISSED_RUNS_CRITICAL, DEFAULT_TIME_LIMIT, HealthPolicy,
    PolicyError,
};
pub use report::{HealthReport, LastSuccess, NewestJob, Reason, ReasonKind, ScheduleHealth};
pub use verdict::Verdict;
