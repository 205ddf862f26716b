//! `--only`: the appliances whose name or group matches a pattern, with shell-style globs.

use glob::Pattern;

use super::{InventoryError, Settings};

/// The appliances of `settings` whose name or group matches one of `only` (all of them when
/// `only` is empty), in the inventory's order.
///
/// # Errors
///
/// When a pattern is not one, or the patterns select no appliance.
pub fn select(settings: Vec<Settings>, only: &[String]) -> Result<Vec<Settings>, InventoryError> {
    if only.is_empty() {
        return Ok(settings);
    }
    let mut patterns = Vec::with_capacity(only.len());
    for text in only {
        let pattern = Pattern::new(text.trim()).map_err(|e| {
            InventoryError::one(
                None,
                format!(
                    "--only {text:?} is not a pattern ({}); use * for any characters, ? for one, \
                     [abc] for one of a set",
                    e.msg
                ),
            )
        })?;
        patterns.push(pattern);
    }
    let matches = |s: &Settings| {
        patterns
            .iter()
            .any(|p| p.matches(&s.name) || s.group.as_deref().is_some_and(|group| p.matches(group)))
    };
    let total = settings.len();
    let mut groups: Vec<&str> = settings.iter().filter_map(|s| s.group.as_deref()).collect();
    groups.sort_unstable();
    groups.dedup();
    let groups = match groups.is_empty() {
        true => "it has no groups".to_string(),
        false => format!("its groups are {}", groups.join(", ")),
    };
    if !settings.iter().any(matches) {
        return Err(InventoryError::one(
            None,
            format!(
                "--only {} selects none of its {total} appliance(s): no name or group matches \
                 ({groups}); nothing was sent",
                only.join(",")
            ),
        ));
    }
    let chosen: Vec<Settings> = settings.into_iter().filter(matches).collect();
    Ok(chosen)
}
