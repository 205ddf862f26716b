//! A readable diff for `--check`.

pub fn unified(old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header("checked-in generated.rs", "generated from spec")
        .to_string()
}
