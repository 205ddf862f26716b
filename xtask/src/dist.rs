//! `cargo xtask dist`: the release artifacts an administrator installs without Rust, in
//! `target/dist/`: for each binary a `.deb`, an `.rpm` and a `.tar.gz` holding the same files
//! (the binary, its manual pages, the shell completions, README and licences), and
//! `SHA256SUMS` over them all.
//!
//! The binaries are built for x86_64 Linux needing glibc 2.17 at most (RHEL 7 and later,
//! Ubuntu 14.04 and later) with cargo-zigbuild; cargo-deb and cargo-generate-rpm package the
//! staged tree as the metadata in each crate's `Cargo.toml` says. `.ci/run` installs the tools
//! (pinned versions) and proves the packages by installing one.

mod archive;
mod build;
mod stage;

use std::path::Path;
use std::process::Command;

/// The target the binaries are built for; zig links them against [`GLIBC`]'s symbols.
const TARGET: &str = "x86_64-unknown-linux-gnu";
/// The newest glibc a binary may need.
const GLIBC: &str = "2.17";
/// The architecture in the tarballs' names.
const ARCH: &str = "x86_64-linux";

/// One binary and how it is packaged.
struct Product {
    /// The crate that builds it.
    krate: &'static str,
    /// The binary, which is also the name of its packages.
    binary: &'static str,
    /// Its README, from the workspace root.
    readme: &'static str,
}

const PRODUCTS: [Product; 2] = [
    Product {
        krate: "vcsa-backup-cli",
        binary: "vcsa-backup",
        readme: "README.md",
    },
    Product {
        krate: "vcsa-backup-sim",
        binary: "vcsa-backup-sim",
        readme: "crates/vcsa-backup-sim/README.md",
    },
];

/// Builds, stages and packages every product into `target/dist/`, then lists it.
pub fn run(root: &Path) -> Result<(), String> {
    build::binaries(root, &PRODUCTS)?;
    // The packaging tools read their assets from `target/release/...`, which they map to this
    // folder for `--target`: the staged trees live here for them.
    let release = root.join("target").join(TARGET).join("release");
    let out = root.join("target/dist");
    if out.exists() {
        std::fs::remove_dir_all(&out)
            .map_err(|e| format!("cannot empty {}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let version = env!("CARGO_PKG_VERSION");
    for product in &PRODUCTS {
        let staged = stage::tree(root, &release, product)?;
        archive::deb(root, product, &out)?;
        archive::rpm(root, product, &out)?;
        archive::tarball(
            &staged,
            &out,
            &format!("{}-{version}-{ARCH}", product.binary),
        )?;
    }
    archive::checksums(&out)?;
    list(root, &out)
}

/// Runs `command`, failing with what it was for and, when the tool is missing, how to install it.
fn tool(command: &mut Command, what: &str) -> Result<std::process::Output, String> {
    let program = command.get_program().to_string_lossy().into_owned();
    let output = command.output().map_err(|e| {
        format!("{what}: cannot run {program} ({e}); `.ci/run` installs the tools `cargo xtask dist` needs")
    })?;
    if output.status.success() {
        return Ok(output);
    }
    Err(format!(
        "{what}: {program} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

/// Prints every artifact with its size.
fn list(root: &Path, out: &Path) -> Result<(), String> {
    let mut entries = std::fs::read_dir(out)
        .and_then(|dir| dir.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("cannot list {}: {e}", out.display()))?;
    entries.sort_by_key(|e| e.file_name());
    println!("{}:", out.strip_prefix(root).unwrap_or(out).display());
    for entry in entries {
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        println!(
            "  {:>9}  {}",
            format!("{:.1} MiB", size as f64 / (1024.0 * 1024.0)),
            entry.file_name().to_string_lossy()
        );
    }
    Ok(())
}
