//! The workspace-wide snapshot secret scan: which values count as secrets, which files are
//! snapshots, and whether a text gives one away.
//!
//! The secrets are this crate's own ([`secrets::all`]), the explicit list of values the other
//! crates' tests use ([`secrets::ELSEWHERE`]), and every password or token literal found in the
//! workspace's Rust sources by [`harvest`], so a password a new test introduces is covered without
//! anyone remembering to list it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use base64::Engine as _;
use regex::Regex;
use walkdir::{DirEntry, WalkDir};

use crate::secrets;

/// Literals shorter than this are not scanned for: `"x"` or `"weak"` would match ordinary text.
pub const MIN_SECRET_LEN: usize = 6;

/// Where a string literal in Rust source is a password or a token.
static CONTEXTS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // Secret::new("..."), Secret::from("...")
        r#"Secret::(?:new|from)\(\s*"([^"\\]*)""#,
        // const PASSWORD: &str = "...", static SESSION_TOKEN: &str = "..."
        r#"(?i)(?:const|static)\s+\w*(?:password|passwd|token|secret)\w*\s*:\s*&(?:'static\s+)?str\s*=\s*"([^"\\]*)""#,
        // .password("..."), .backup_password("..."), .basic_auth(user, Some("..."))
        r#"\.(?:\w*password|basic_auth)\(\s*(?:[^,()]*,\s*)?(?:Some\(\s*)?"([^"\\]*)""#,
        // "location_password": "..." (JSON bodies in json! or raw strings)
        r#"(?i)"\w*(?:password|token)"\s*:\s*"([^"\\]*)""#,
        // .env("VCSA_PASSWORD", "...")
        r#"(?i)\.env\(\s*"\w*(?:password|token|secret)\w*"\s*,\s*"([^"\\]*)""#,
        // "--password", "..." on a command line (not "--password-file", which takes a path)
        r#""--[\w-]*password"\s*,\s*"([^"\\]*)""#,
    ]
    .iter()
    .map(|pattern| Regex::new(pattern).expect("a valid secret context pattern"))
    .collect()
});

/// A list of secrets: `let secrets = [...]`, `for secret in [...]`.
static SECRET_LISTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:let\s+)?\w*secrets?\s*(?::[^=\[]*)?(?:=|\bin)\s*&?\[([^\]]*)\]")
        .expect("a valid secret list pattern")
});

/// A string literal inside a list.
static LITERAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""([^"\\]*)""#).expect("a valid literal pattern"));

/// An HTTP Basic credential: the value is only base64, so a scan must decode it.
static BASIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"Basic\s+([A-Za-z0-9+/]{4,}={0,2})").expect("a valid pattern"));

/// Whether a literal is worth scanning for: long enough, and not a plain lower-case word (a
/// literal like `"secret"` or `"password"` appears in ordinary text for other reasons), an option
/// name (`"--password", "--http"` in a list of flags) or a sentence or format string.
fn is_scannable(value: &str) -> bool {
    value.chars().count() >= MIN_SECRET_LEN
        && !value.starts_with("--")
        && !value.chars().all(|c| c.is_ascii_lowercase())
        && !value.chars().any(char::is_whitespace)
        && !value.contains('{')
}

/// Every password or token literal in one Rust source text.
pub fn harvest(source: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for context in CONTEXTS.iter() {
        for capture in context.captures_iter(source) {
            found.insert(capture[1].to_string());
        }
    }
    for list in SECRET_LISTS.captures_iter(source) {
        for literal in LITERAL.captures_iter(&list[1]) {
            found.insert(literal[1].to_string());
        }
    }
    found.retain(|value| is_scannable(value));
    found
}

/// Skips build output, version control and other hidden folders.
fn is_source_entry(entry: &DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    entry.depth() == 0 || !(name == "target" || name.starts_with('.'))
}

fn files_under(root: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = WalkDir::new(root)
        .into_iter()
        .filter_entry(is_source_entry)
        .filter_map(|entry| {
            let entry = entry.unwrap_or_else(|e| panic!("cannot walk {}: {e}", root.display()));
            let name = entry.file_name().to_string_lossy();
            (entry.file_type().is_file() && keep(&name)).then(|| entry.into_path())
        })
        .collect();
    files.sort();
    files
}

/// Every snapshot file under `root`, pending ones (`.snap.new`) included; `target/` and hidden
/// folders are skipped.
pub fn snapshot_files(root: &Path) -> Vec<PathBuf> {
    files_under(root, |name| {
        name.ends_with(".snap") || name.ends_with(".snap.new")
    })
}

/// Every password or token literal in the Rust sources under `root` (`target/` skipped).
pub fn harvest_sources(root: &Path) -> BTreeSet<String> {
    files_under(root, |name| name.ends_with(".rs"))
        .iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            harvest(&text)
        })
        .collect()
}

/// Every secret a snapshot under `root` must not hold: this crate's, the explicit list of the
/// other crates' and everything [`harvest_sources`] finds.
pub fn workspace_secrets(root: &Path) -> Vec<String> {
    let mut all: BTreeSet<String> = secrets::all().into_iter().collect();
    all.extend(secrets::ELSEWHERE.iter().map(|s| s.to_string()));
    all.extend(harvest_sources(root));
    all.into_iter().collect()
}

/// The indexes (into `secrets`) of the secrets a text holds, plainly, form-encoded (as a query
/// string carries them) or inside an HTTP Basic credential. Indexes, not values, so a report never
/// repeats the secret it found.
pub fn leaked(text: &str, secrets: &[String]) -> Vec<usize> {
    let decoded: Vec<String> = BASIC
        .captures_iter(text)
        .filter_map(|capture| {
            base64::engine::general_purpose::STANDARD
                .decode(&capture[1])
                .ok()
        })
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    secrets
        .iter()
        .enumerate()
        .filter(|(_, secret)| {
            text.contains(secret.as_str())
                || text.contains(&secrets::form_encoded(secret))
                || decoded.iter().any(|d| d.contains(secret.as_str()))
        })
        .map(|(index, _)| index)
        .collect()
}

/// One line per snapshot under `root` that holds a secret, naming the file (relative to `root`)
/// and the secret's index; and the number of snapshot files scanned.
pub fn scan(root: &Path, secrets: &[String]) -> (Vec<String>, usize) {
    let files = snapshot_files(root);
    let mut leaks = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let shown = path.strip_prefix(root).unwrap_or(path).display();
        for index in leaked(&text, secrets) {
            leaks.push(format!("{shown} holds secret #{index}"));
        }
    }
    (leaks, files.len())
}
