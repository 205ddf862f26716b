//! `fleet schedule ...`: every appliance's schedule, as the inventory declares it.

use clap::{Args, Subcommand};

use super::FleetArgs;
use super::schedule::ApplyMode;

/// `fleet schedule ...`.
#[derive(Debug, Subcommand)]
pub enum FleetScheduleCommand {
    /// Make every appliance's schedule match the inventory's `schedule` table (its own, its
    /// group's or [defaults]'), as `schedule apply` does for one appliance.
    ///
    /// Creates a missing schedule, changes only the settings that differ, or changes nothing;
    /// passwords are sent on create, when the location user changes, or with
    /// --send-passwords. Prints one row per appliance with what differs. With --check, changes
    /// nothing and exits 1 when any appliance differs, naming them (for cron and monitoring).
    #[command(after_long_help = FLEET_SCHEDULE_EXAMPLES)]
    Apply(FleetScheduleApplyArgs),
}

const FLEET_SCHEDULE_EXAMPLES: &str = "\
Examples:
  # Every appliance of the inventory, then a drift check later (exits 1 if any differs):
  vcsa-backup fleet schedule apply --inventory /etc/vcsa/fleet.toml
  vcsa-backup fleet schedule apply --inventory /etc/vcsa/fleet.toml --check
  # What would change on one group, changing nothing:
  vcsa-backup fleet schedule apply --inventory /etc/vcsa/fleet.toml --only sso-east --dry-run";

/// `fleet schedule apply`.
#[derive(Debug, Args)]
pub struct FleetScheduleApplyArgs {
    /// The inventory and the concurrency.
    #[command(flatten)]
    pub fleet: FleetArgs,

    /// How the apply goes (--check: exit 1 when any appliance's schedule differs).
    #[command(flatten)]
    pub mode: ApplyMode,
}
