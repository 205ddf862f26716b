//! The tree a product installs, relative to the prefix (`/usr` for the packages): the binary,
//! its gzipped manual pages, the shell completions and the documents. The `.deb`, the `.rpm`
//! and the tarball all hold exactly this tree.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Product, tool};

/// Where each shell finds a completion script under the prefix, and its file name.
const COMPLETIONS: [(&str, &str, &str); 3] = [
    ("bash", "share/bash-completion/completions", ""),
    ("zsh", "share/zsh/vendor-completions", "_"),
    ("fish", "share/fish/vendor_completions.d", ".fish"),
];

/// Lays out `product`'s tree under `release/stage/BINARY` (emptied first) and returns it.
pub fn tree(root: &Path, release: &Path, product: &Product) -> Result<PathBuf, String> {
    let tree = release.join("stage").join(product.binary);
    if tree.exists() {
        fs::remove_dir_all(&tree).map_err(|e| cannot("empty", &tree, e))?;
    }
    let binary = release.join(product.binary);
    let bin = make_dir(&tree.join("bin"))?;
    copy(&binary, &bin.join(product.binary))?;

    let man = make_dir(&tree.join("share/man/man1"))?;
    if product.binary == "vcsa-backup" {
        tool(
            Command::new(&binary).arg("man").arg("--out").arg(&man),
            "writing the manual pages",
        )?;
        for (shell, folder, affix) in COMPLETIONS {
            let script = tool(
                Command::new(&binary).args(["completions", shell]),
                "writing the shell completions",
            )?
            .stdout;
            let name = match shell {
                "zsh" => format!("{affix}{}", product.binary),
                _ => format!("{}{affix}", product.binary),
            };
            let folder = make_dir(&tree.join(folder))?;
            write(&folder.join(name), &script)?;
        }
    } else {
        let help = tool(
            Command::new(&binary).arg("--help"),
            "reading the simulator's help",
        )?;
        let page = help_page(product.binary, &String::from_utf8_lossy(&help.stdout));
        write(&man.join(format!("{}.1", product.binary)), page.as_bytes())?;
    }
    // Manual pages are installed compressed (Debian policy; man reads them so everywhere).
    tool(
        Command::new("sh")
            .arg("-c")
            .arg("gzip -9 -n -- \"$0\"/*.1")
            .arg(&man),
        "compressing the manual pages",
    )?;

    let doc = make_dir(&tree.join("share/doc").join(product.binary))?;
    for (source, name) in [
        (product.readme, "README.md"),
        ("LICENSE-MIT", "LICENSE-MIT"),
        ("LICENSE-APACHE", "LICENSE-APACHE"),
    ] {
        copy(&root.join(source), &doc.join(name))?;
    }
    Ok(tree)
}

/// A manual page for a command whose page is its `--help` text, kept as printed.
fn help_page(name: &str, help: &str) -> String {
    let summary = help.lines().next().unwrap_or_default();
    let mut page = roff::Roff::new();
    page.control(
        "TH",
        [
            name.to_uppercase().as_str(),
            "1",
            "",
            &format!("{name} {}", env!("CARGO_PKG_VERSION")),
            "",
        ],
    )
    .control("SH", ["NAME"])
    .text([roff::roman(format!("{name} - {summary}"))])
    .control("SH", ["DESCRIPTION"])
    .control("nf", []);
    for line in help.lines() {
        page.text([roff::roman(line)]);
    }
    page.control("fi", []);
    page.render()
}

fn make_dir(path: &Path) -> Result<PathBuf, String> {
    fs::create_dir_all(path).map_err(|e| cannot("create", path, e))?;
    Ok(path.to_path_buf())
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to)
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))?;
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    fs::write(path, bytes).map_err(|e| cannot("write", path, e))
}

fn cannot(what: &str, path: &Path, e: std::io::Error) -> String {
    format!("cannot {what} {}: {e}", path.display())
}
