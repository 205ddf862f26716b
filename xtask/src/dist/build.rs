//! The release binaries, through cargo-zigbuild: zig links them against glibc 2.17's symbols,
//! so they start on old distributions as well as new ones.

use std::path::Path;
use std::process::Command;

use super::{GLIBC, Product, TARGET};

/// Builds every product's binary in the release profile (stripped: see the root `Cargo.toml`).
pub fn binaries(root: &Path, products: &[Product]) -> Result<(), String> {
    let mut command = Command::new("cargo");
    command
        .current_dir(root)
        .args(["zigbuild", "--release", "--locked", "--target"])
        .arg(format!("{TARGET}.{GLIBC}"));
    for product in products {
        command.args(["--package", product.krate, "--bin", product.binary]);
    }
    eprintln!(
        "building the release binaries for {TARGET} with glibc {GLIBC} symbols (cargo zigbuild)"
    );
    // The build's own progress goes to the terminal as it happens.
    let status = command.status().map_err(|e| {
        format!("cannot run cargo zigbuild ({e}); `.ci/run` installs cargo-zigbuild and zig")
    })?;
    if status.success() {
        return Ok(());
    }
    Err(format!(
        "cargo zigbuild failed ({status}): see its output above (`no such command: zigbuild` \
         means cargo-zigbuild is not installed; `.ci/run` installs it and zig)"
    ))
}
