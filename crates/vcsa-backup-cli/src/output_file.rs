//! Writing a result into a file the administrator names (`check --output-file`): only ever a
//! regular file, replaced whole, so a reader (node_exporter's textfile collector) never sees
//! half of one, and nothing else found at that path (a link, a device, a pipe) is replaced.

use std::fs::{self, FileType};
use std::io::{self, Write};
use std::path::Path;

/// Refuses a `path` that exists and is not a regular file, saying what it is. A path that does
/// not exist yet is fine: the file is created.
pub fn check_target(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(meta) if meta.file_type().is_file() => Ok(()),
        Ok(meta) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "it is {}, not a regular file, and is left as it is: name a regular file, or a \
                 path where one can be created",
                what(meta.file_type())
            ),
        )),
    }
}

/// What a file that is not a regular one is, in words.
fn what(kind: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// Writes `text` to `path` atomically: a new temporary file in the same folder (created
/// exclusively, under an unpredictable name, so nothing planted there is followed), then a
/// rename over `path`. Refuses a `path` that is not a regular file (see [`check_target`]).
pub fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    check_target(path)?;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // Readable as any new file of the user's (the umask decides), as before: node_exporter
    // reads it as another user. The library's default is the owner only.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    // Removed again when dropped before the rename.
    let mut file = builder.tempfile_in(folder)?;
    file.write_all(text.as_bytes())?;
    file.as_file().sync_all()?;
    // Once more, as late as possible: the path may have changed while the file was written.
    check_target(path)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::symlink;
    use std::path::PathBuf;

    use super::*;

    /// A fresh folder for one test.
    fn folder(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("vcsa-output-file-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    }

    #[test]
    fn a_new_file_is_created_and_an_old_one_replaced_whole() {
        let dir = folder("regular");
        let path = dir.join("vcsa.prom");
        write_atomically(&path, "first\n").expect("written");
        write_atomically(&path, "second\n").expect("replaced");
        assert_eq!(fs::read_to_string(&path).expect("read"), "second\n");
        // Nothing is left behind but the file itself.
        assert_eq!(fs::read_dir(&dir).expect("listed").count(), 1);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_symbolic_link_is_refused_and_left_pointing_where_it_did() {
        let dir = folder("symlink");
        let victim = dir.join("victim");
        fs::write(&victim, "precious\n").expect("planted");
        let path = dir.join("vcsa.prom");
        symlink(&victim, &path).expect("a link");

        let error = write_atomically(&path, "figures\n").expect_err("refused");
        assert!(error.to_string().contains("a symbolic link"), "{error}");
        assert_eq!(fs::read_link(&path).expect("still a link"), victim);
        assert_eq!(fs::read_to_string(&victim).expect("read"), "precious\n");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_fifo_and_a_device_are_refused_and_left_as_they_are() {
        let dir = folder("fifo");
        let fifo = dir.join("vcsa.prom");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());

        let error = write_atomically(&fifo, "figures\n").expect_err("refused");
        assert!(error.to_string().contains("a named pipe"), "{error}");
        assert!(
            std::os::unix::fs::FileTypeExt::is_fifo(
                &fs::symlink_metadata(&fifo)
                    .expect("still there")
                    .file_type()
            ),
            "still a FIFO"
        );

        let error = write_atomically(Path::new("/dev/null"), "figures\n").expect_err("refused");
        assert!(error.to_string().contains("a device"), "{error}");
        // Nothing was left in the folder of the refused FIFO but the FIFO.
        assert_eq!(fs::read_dir(&dir).expect("listed").count(), 1);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_link_planted_at_the_old_predictable_temporary_name_is_not_followed() {
        let dir = folder("planted");
        let victim = dir.join("victim");
        fs::write(&victim, "precious\n").expect("planted");
        // The name the temporary file used to have: folder/.NAME.PID.tmp.
        let planted = dir.join(format!(".vcsa.prom.{}.tmp", std::process::id()));
        symlink(&victim, &planted).expect("a link");

        let path = dir.join("vcsa.prom");
        write_atomically(&path, "figures\n").expect("written");
        assert_eq!(fs::read_to_string(&path).expect("read"), "figures\n");
        assert_eq!(fs::read_to_string(&victim).expect("read"), "precious\n");
        assert_eq!(fs::read_link(&planted).expect("still a link"), victim);
        let _ = fs::remove_dir_all(&dir);
    }
}
