//! The duration formatter, which lives below the errors that print durations.

pub use crate::human::HumanDuration;
