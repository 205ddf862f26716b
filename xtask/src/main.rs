//! Project automation for vcsa-backup.
//!
//! `cargo xtask generate` lints `spec/vcsa-backup.yaml` and regenerates
//! `crates/vcsa-backup-api/src/generated.rs` from it with progenitor.
//! `cargo xtask generate --check` regenerates in memory and fails with a diff
//! when the checked-in file is stale.
//! `cargo xtask dist` builds the release artifacts into `target/dist/` (see [`dist`]).

mod diff;
mod dist;
mod enums;
mod generate;
mod lint;
mod rewrite;
mod spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask generate [--check] | cargo xtask dist

  generate          lint spec/vcsa-backup.yaml and rewrite crates/vcsa-backup-api/src/generated.rs
  generate --check  fail (exit 1) with a diff when the checked-in generated.rs is stale
  dist              build the release binaries, .deb, .rpm, .tar.gz and SHA256SUMS into target/dist/";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["dist"] => return report(dist::run(&workspace_root())),
        ["generate"] => false,
        ["generate", "--check"] => true,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    report(run(&workspace_root(), check))
}

fn report(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

fn run(root: &Path, check: bool) -> Result<(), String> {
    let spec_path = root.join("spec/vcsa-backup.yaml");
    let out_path = root.join("crates/vcsa-backup-api/src/generated.rs");
    let started = Instant::now();

    let spec = spec::load(&spec_path)?;
    let problems = lint::lint(&spec.raw);
    if !problems.is_empty() {
        let mut message = format!(
            "spec/vcsa-backup.yaml breaks {} lint rule(s); nothing was written:",
            problems.len()
        );
        for problem in &problems {
            message.push_str(&format!("\n  {problem}"));
        }
        return Err(message);
    }
    let code = generate::generate(&spec)?;

    if check {
        let current = std::fs::read_to_string(&out_path).unwrap_or_default();
        if current == code {
            eprintln!("generated.rs is up to date with the spec");
            return Ok(());
        }
        return Err(format!(
            "crates/vcsa-backup-api/src/generated.rs is stale; run `cargo xtask generate` and commit the result.\n{}",
            diff::unified(&current, &code)
        ));
    }

    // Write beside the target, then rename, so a failure never leaves half a file.
    let tmp = out_path.with_extension("rs.tmp");
    std::fs::write(&tmp, &code).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &out_path)
        .map_err(|e| format!("cannot replace {}: {e}", out_path.display()))?;
    eprintln!(
        "wrote {} ({} lines) in {:.2?}",
        out_path.strip_prefix(root).unwrap_or(&out_path).display(),
        code.lines().count(),
        started.elapsed()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch workspace holding a copy of the real spec.
    fn scratch() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("spec")).unwrap();
        std::fs::create_dir_all(dir.path().join("crates/vcsa-backup-api/src")).unwrap();
        std::fs::copy(
            workspace_root().join("spec/vcsa-backup.yaml"),
            dir.path().join("spec/vcsa-backup.yaml"),
        )
        .unwrap();
        dir
    }

    fn edit_spec(root: &Path, from: &str, to: &str) {
        let path = root.join("spec/vcsa-backup.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "the spec no longer contains {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    #[test]
    fn checked_in_code_is_what_the_spec_generates() {
        run(&workspace_root(), true).unwrap();
    }

    #[test]
    fn generation_is_deterministic() {
        let dir = scratch();
        run(dir.path(), false).unwrap();
        let first =
            std::fs::read_to_string(dir.path().join("crates/vcsa-backup-api/src/generated.rs"))
                .unwrap();
        run(dir.path(), false).unwrap();
        let second =
            std::fs::read_to_string(dir.path().join("crates/vcsa-backup-api/src/generated.rs"))
                .unwrap();
        assert_eq!(first, second);
        assert!(first.starts_with("// @generated"));
    }

    #[test]
    fn a_changed_description_makes_check_fail_with_a_diff_showing_it() {
        let dir = scratch();
        run(dir.path(), false).unwrap();
        run(dir.path(), true).unwrap();
        edit_spec(
            dir.path(),
            "description: See backup job progress/result.",
            "description: See how the backup job is doing.",
        );
        let error = run(dir.path(), true).unwrap_err();
        assert!(error.contains("generated.rs is stale"), "{error}");
        assert!(
            error
                .lines()
                .any(|l| l.starts_with('-') && l.contains("See backup job progress/result.")),
            "{error}"
        );
        assert!(
            error
                .lines()
                .any(|l| l.starts_with('+') && l.contains("See how the backup job is doing.")),
            "{error}"
        );
    }

    #[test]
    fn a_lint_failure_names_the_operation_and_writes_nothing() {
        let dir = scratch();
        edit_spec(
            dir.path(),
            "operationId: rest_list_parts",
            "operationId: rest_parts",
        );
        let error = run(dir.path(), false).unwrap_err();
        assert!(error.contains("nothing was written"), "{error}");
        assert!(error.contains("operation list_parts (GET /api/appliance/recovery/backup/parts): has no /rest twin named rest_list_parts"), "{error}");
        assert!(
            !dir.path()
                .join("crates/vcsa-backup-api/src/generated.rs")
                .exists()
        );
    }

    #[test]
    fn a_generator_panic_names_the_operation() {
        // Two different success schemas pass YAML and OpenAPI parsing but make progenitor panic;
        // the lints would refuse this spec, so go straight to the generator.
        let dir = scratch();
        edit_spec(
            dir.path(),
            "        \"200\":\n          description: The backup parts.\n",
            "        \"201\":\n          description: Other.\n          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/ReturnResult\"\n        \"200\":\n          description: The backup parts.\n",
        );
        let spec = spec::load(&dir.path().join("spec/vcsa-backup.yaml")).unwrap();
        assert!(!lint::lint(&spec.raw).is_empty());
        let error = generate::generate(&spec).unwrap_err();
        assert!(
            error.starts_with("progenitor panicked on operation list_parts (GET /api/appliance/recovery/backup/parts)"),
            "{error}"
        );
    }
}
