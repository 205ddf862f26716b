//! The artifacts: a `.deb` and an `.rpm` per product (from the metadata in its crate's
//! `Cargo.toml`, which names the staged files), a `.tar.gz` of the staged tree, and
//! `SHA256SUMS`.

use std::path::Path;
use std::process::Command;

use super::{Product, TARGET, tool};

/// `BINARY_VERSION-1_amd64.deb`, by cargo-deb.
pub fn deb(root: &Path, product: &Product, out: &Path) -> Result<(), String> {
    tool(
        Command::new("cargo")
            .current_dir(root)
            .args(["deb", "--no-build", "--no-strip", "--target", TARGET])
            .args(["--package", product.krate, "--output"])
            .arg(out),
        &format!("packaging {} as a .deb", product.binary),
    )?;
    Ok(())
}

/// `BINARY-VERSION-1.x86_64.rpm`, by cargo-generate-rpm.
pub fn rpm(root: &Path, product: &Product, out: &Path) -> Result<(), String> {
    tool(
        Command::new("cargo")
            .current_dir(root)
            .args(["generate-rpm", "--target", TARGET])
            // gzip, not the default zstd: RHEL 7's rpm reads no zstd payload.
            .args(["--payload-compress", "gzip"])
            .arg("--package")
            .arg(Path::new("crates").join(product.krate))
            .arg("--output")
            .arg(out),
        &format!("packaging {} as an .rpm", product.binary),
    )?;
    Ok(())
}

/// `NAME.tar.gz`: the staged tree in a folder `NAME/`, owned by root, in a stable order.
pub fn tarball(tree: &Path, out: &Path, name: &str) -> Result<(), String> {
    let (Some(parent), Some(folder)) = (tree.parent(), tree.file_name()) else {
        return Err(format!("{} is not a staged tree", tree.display()));
    };
    let folder = folder.to_string_lossy();
    tool(
        Command::new("tar")
            .arg("--create")
            .arg("--gzip")
            .args(["--sort=name", "--owner=0", "--group=0", "--numeric-owner"])
            .arg(format!("--transform=s,^{folder},{name},"))
            .arg("--file")
            .arg(out.join(format!("{name}.tar.gz")))
            .arg("--directory")
            .arg(parent)
            .arg(&*folder),
        &format!("packing {name}.tar.gz"),
    )?;
    Ok(())
}

/// `SHA256SUMS` over every artifact in `out`, as `sha256sum --check` reads it.
pub fn checksums(out: &Path) -> Result<(), String> {
    let mut names = std::fs::read_dir(out)
        .and_then(|dir| dir.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("cannot list {}: {e}", out.display()))?
        .into_iter()
        .map(|e| e.file_name())
        .collect::<Vec<_>>();
    names.sort();
    let sums = tool(
        Command::new("sha256sum").current_dir(out).args(&names),
        "computing SHA256SUMS",
    )?;
    std::fs::write(out.join("SHA256SUMS"), sums.stdout)
        .map_err(|e| format!("cannot write SHA256SUMS: {e}"))
}
