//! Files only the user may read: the data directory (0700), the database and anything
//! written with a secret in it (0600), written atomically (a temporary file in the same
//! directory, synced, then renamed), so a crash never leaves half a file and no other
//! account on the machine ever sees one. On other platforms the user's profile folder
//! already keeps other accounts out, and the modes are not applied.

use std::io::Write;
use std::path::Path;

/// Creates `dir` (and its parents) and makes it private to the user. A shared directory
/// someone pointed the data directory at (world-writable or sticky, like `/tmp`) is left
/// as it is: its files are still private.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    if is_shared(dir)? {
        return Ok(());
    }
    restrict(dir, 0o700)
}

#[cfg(unix)]
fn is_shared(dir: &Path) -> std::io::Result<bool> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir)?.permissions().mode();
    Ok(mode & 0o1002 != 0)
}

#[cfg(not(unix))]
fn is_shared(_dir: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Makes an existing file readable and writable by the user only.
pub fn make_private(path: &Path) -> std::io::Result<()> {
    restrict(path, 0o600)
}

/// Writes `bytes` to `path` atomically, readable by the user only.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file"))?;
    let temporary = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        uuid::Uuid::new_v4().simple()
    ));
    let written = (|| {
        let mut file = open_private(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).create_new(true).open(path)
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn directories_and_files_are_the_users_alone_and_writes_are_whole() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/b");
        create_private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        let file = dir.join("export.env");
        std::fs::write(&file, "old, world-readable").unwrap();
        write_private(&file, b"CLIENT_SECRET=s").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "CLIENT_SECRET=s");
        assert_eq!(mode(&file), 0o600, "replaced, not rewritten in place with the old mode");
        let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");

        let shared = root.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
        create_private_dir(&shared).unwrap();
        assert_eq!(
            mode(&shared) & 0o777,
            0o777,
            "a shared directory like /tmp is left alone"
        );
    }
}

#[cfg(all(test, unix))]
mod store_tests {
    use std::os::unix::fs::PermissionsExt;

    /// Review item 10: the data directory and every database file are the user's alone.
    #[test]
    fn the_database_and_its_directory_are_private() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        let db = dir.join("registrar.sqlite3");
        let store = crate::store::Store::open(&db).unwrap();
        let p = crate::Profile::new("p", crate::ProviderKind::Generic, "https://op.example/register");
        store.save_profile(&p).unwrap();
        let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        for suffix in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
    }
}
