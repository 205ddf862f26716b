//! Reading the files an administrator names (password files, CA certificates, inventories) with
//! a byte cap, so a file that never ends (`/dev/zero`, a FIFO fed forever) is refused quickly
//! instead of filling memory. Standard input (`-`) and process substitution read the same way.

use std::io::{self, BufRead, Read};
use std::path::Path;

/// The most a password file may hold, first line and all: passwords are far shorter.
pub const PASSWORD_CAP: u64 = 4 * 1024;
/// The most a PEM bundle of CA certificates may hold.
pub const CERTIFICATE_CAP: u64 = 4 * 1024 * 1024;
/// The most a fleet inventory may hold: some 20,000 appliances of a few lines each.
pub const INVENTORY_CAP: u64 = 4 * 1024 * 1024;

/// Refuses a file that someone other than its owner may change, or whose owner is neither the
/// user running the command nor root, as ssh refuses such a configuration: a file that says
/// which certificates to trust and where passwords are sent must be writable by its user alone.
/// Only regular files are looked at: standard input (`-`), pipes (`<(...)`) and devices pass,
/// as do files that cannot be looked at (reading them says why).
pub fn refuse_writable_by_others(path: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if path == Path::new("-") {
            return Ok(());
        }
        let Some(metadata) = std::fs::metadata(path).ok().filter(|m| m.is_file()) else {
            return Ok(());
        };
        let user = rustix::process::geteuid().as_raw();
        let mode = metadata.mode() & 0o777;
        if mode & 0o022 != 0 {
            return Err(format!(
                "can be changed by other users (mode {mode:03o}), and it says where passwords go \
                 and which certificates to trust; make it writable by you alone: chmod go-w {}",
                path.display()
            ));
        }
        if metadata.uid() != user && metadata.uid() != 0 {
            return Err(format!(
                "belongs to another user (uid {}), who could change where passwords go and which \
                 certificates to trust; use a file of your own",
                metadata.uid()
            ));
        }
    }
    Ok(())
}

/// Reads all of `path` (standard input for `-`), refusing it once it holds more than `cap`
/// bytes. The error names the cap, in words an administrator can act on.
pub fn read_capped(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    if path == Path::new("-") {
        read_from(io::stdin().lock(), cap)
    } else {
        read_from(std::fs::File::open(path)?, cap)
    }
}

/// The first line of `path` (standard input for `-`) without its line ending, refusing a first
/// line longer than `cap` bytes. Reads no further than that line, so a terminal or a pipe that
/// stays open after it does not block.
pub fn read_first_line(path: &Path, cap: u64) -> io::Result<String> {
    let source: Box<dyn Read> = if path == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(path)?)
    };
    let mut line = String::new();
    io::BufReader::new(source.take(cap + 1)).read_line(&mut line)?;
    let line = line.trim_end_matches(['\n', '\r']);
    if line.len() as u64 > cap {
        return Err(too_large(cap));
    }
    Ok(line.to_string())
}

/// Reads `reader` to its end, or fails once it has given more than `cap` bytes.
pub fn read_from(reader: impl Read, cap: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(cap));
    }
    Ok(bytes)
}

fn too_large(cap: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "it holds more than {} (is it the right file?)",
            human_bytes(cap)
        ),
    )
}

fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{} MiB", b / (1024 * 1024)),
        b if b >= 1024 => format!("{} KiB", b / 1024),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_within_the_cap_is_read_whole() {
        assert_eq!(read_from(&b"secret\n"[..], 7).unwrap(), b"secret\n");
    }

    #[test]
    fn an_endless_first_line_is_refused_after_the_cap() {
        let error = read_first_line(Path::new("/dev/zero"), PASSWORD_CAP).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::FileTooLarge);
    }

    #[test]
    fn an_endless_source_is_refused_after_the_cap() {
        let error = read_from(io::repeat(0), PASSWORD_CAP).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::FileTooLarge);
        assert!(error.to_string().contains("more than 4 KiB"), "{error}");
    }
}
