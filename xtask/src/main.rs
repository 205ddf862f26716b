//! Project automation for vcsa-backup.
//!
//! `cargo xtask generate` lints `spec/vcsa-backup.yaml` and regenerates
//! `crates/vcsa-backup-api/src/generated.rs` from it with progenitor.
//! `cargo xtask generate --check` regenerates in memory and fails with a diff
//! when the checked-in file is stale.

mod diff;
mod enums;
mod generate;
mod lint;
mod spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask generate [--check]

  generate          lint spec/vcsa-backup.yaml and rewrite crates/vcsa-backup-api/src/generated.rs
  generate --check  fail (exit 1) with a diff when the checked-in generated.rs is stale";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate"] => false,
        ["generate", "--check"] => true,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&workspace_root(), check) {
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
