//! Loading the spec: YAML text to a raw JSON tree (for the lints) and to `openapiv3` types (for the generator).

use std::path::Path;

/// The spec in both forms.
pub struct Spec {
    /// The document as plain JSON values, which the lints walk.
    pub raw: serde_json::Value,
    /// The typed document progenitor reads.
    pub typed: openapiv3::OpenAPI,
}

pub fn load(path: &Path) -> Result<Spec, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn parse(text: &str) -> Result<Spec, String> {
    let raw: serde_json::Value =
        serde_saphyr::from_str(text).map_err(|e| format!("not valid YAML: {e}"))?;
    let typed: openapiv3::OpenAPI = serde_json::from_value(raw.clone())
        .map_err(|e| format!("not a valid OpenAPI 3.0 document: {e}"))?;
    Ok(Spec { raw, typed })
}
