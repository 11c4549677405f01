//! Where entries were last found: their items' object paths, kept in a small file beside the
//! caller's data, so that the next process asks for their secrets in the same round trip as
//! the searches that find them ([`super::SecretServiceStore::get_many`]).
//!
//! A hint is never trusted on its own. The secrets of hinted items are requested after the
//! searches in one batch, the daemon answers in order, and a secret is used only for the
//! item the search for that name found first; a stale hint (the entry rewritten, the
//! keyring replaced) costs the round trip it meant to save, and is corrected. The file holds
//! entry names and object paths (`/org/freedesktop/secrets/collection/login/12`), nothing
//! secret; it is written only when a hint changes, privately, by rename.

use dbus::Path;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

/// The most entries remembered: the last names read, newest kept. A command reads a few; a
/// bulk read of many clients' credentials would otherwise grow the file without end.
const MOST: usize = 256;

#[derive(Debug)]
pub(super) struct ItemHints {
    file: PathBuf,
    /// Name → path, oldest first; read from the file on first use.
    known: Mutex<Option<Vec<(String, String)>>>,
}

impl ItemHints {
    pub(super) fn new(file: PathBuf) -> Self {
        Self {
            file,
            known: Mutex::new(None),
        }
    }

    /// The path each name was last found at, if remembered.
    pub(super) fn paths(&self, names: &[&str]) -> Vec<Option<Path<'static>>> {
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        let known = known.get_or_insert_with(|| self.read());
        names
            .iter()
            .map(|name| {
                known
                    .iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .and_then(|(_, path)| Path::new(path.clone()).ok())
            })
            .collect()
    }

    /// Remembers where each name was found (`None`: it is absent), writing the file when
    /// that changes anything. A failed write only loses the saving.
    pub(super) fn remember<'a>(&self, found: impl IntoIterator<Item = (&'a str, Option<&'a Path<'static>>)>) {
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        let known = known.get_or_insert_with(|| self.read());
        let mut changed = false;
        for (name, path) in found {
            let at = known.iter().position(|(n, _)| n == name);
            match (at, path) {
                (Some(i), Some(path)) if known[i].1 == **path => {}
                (Some(i), _) => {
                    known.remove(i);
                    changed = true;
                    if let Some(path) = path {
                        known.push((name.to_string(), path.to_string()));
                    }
                }
                (None, Some(path)) => {
                    known.push((name.to_string(), path.to_string()));
                    changed = true;
                }
                (None, None) => {}
            }
        }
        if changed {
            let over = known.len().saturating_sub(MOST);
            known.drain(..over);
            let _ = self.write(known);
        }
    }

    /// The file's hints; none when it is missing or unreadable (it is only a help).
    fn read(&self) -> Vec<(String, String)> {
        std::fs::read(&self.file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Vec<(String, String)>>(&bytes).ok())
            .unwrap_or_default()
    }

    fn write(&self, known: &[(String, String)]) -> std::io::Result<()> {
        use std::io::Write as _;
        use std::os::unix::fs::OpenOptionsExt as _;
        let text = serde_json::to_vec(known).map_err(std::io::Error::other)?;
        let mut temporary = self.file.clone().into_os_string();
        temporary.push(format!(".{}.tmp", std::process::id()));
        let temporary = PathBuf::from(temporary);
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temporary)?;
        out.write_all(&text)?;
        drop(out);
        std::fs::rename(&temporary, &self.file).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
    }
}

/// The distinct paths among `hints`, for one `GetSecrets`.
pub(super) fn distinct(hints: &[Option<Path<'static>>]) -> Vec<Path<'static>> {
    let mut paths: Vec<Path<'static>> = Vec::new();
    for path in hints.iter().flatten() {
        if !paths.contains(path) {
            paths.push(path.clone());
        }
    }
    paths
}

/// Secrets by item, as `GetSecrets` answers.
pub(super) type ByItem = HashMap<Path<'static>, zeroize::Zeroizing<Vec<u8>>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn path(n: u32) -> Path<'static> {
        Path::new(format!("/org/freedesktop/secrets/collection/login/{n}")).unwrap()
    }

    fn dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("registrar-hints-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn hints_outlive_the_process_that_learnt_them_and_follow_changes() {
        let file = dir("outlive").join("keychain-items.json");
        let first = ItemHints::new(file.clone());
        assert_eq!(first.paths(&["a", "b"]), vec![None, None]);
        first.remember([("a", Some(&path(1))), ("b", Some(&path(2)))]);

        let next = ItemHints::new(file.clone());
        assert_eq!(next.paths(&["b", "a", "c"]), vec![Some(path(2)), Some(path(1)), None]);
        // Rewritten elsewhere, and gone.
        next.remember([("a", Some(&path(7))), ("b", None)]);
        assert_eq!(
            ItemHints::new(file.clone()).paths(&["a", "b"]),
            vec![Some(path(7)), None]
        );

        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the file is the user's alone");
    }

    #[test]
    fn unchanged_hints_are_not_written_again() {
        let file = dir("unchanged").join("keychain-items.json");
        let hints = ItemHints::new(file.clone());
        hints.remember([("a", Some(&path(1)))]);
        std::fs::remove_file(&file).unwrap();
        hints.remember([("a", Some(&path(1)))]);
        assert!(!file.exists(), "nothing changed, nothing written");
    }

    #[test]
    fn a_damaged_file_is_no_hint_and_the_oldest_names_go_first() {
        let file = dir("damaged").join("keychain-items.json");
        std::fs::write(&file, b"{not json").unwrap();
        let hints = ItemHints::new(file.clone());
        assert_eq!(hints.paths(&["a"]), vec![None]);
        let names: Vec<String> = (0..MOST + 10).map(|i| format!("n{i}")).collect();
        let paths: Vec<Path<'static>> = (0..MOST + 10).map(|i| path(i as u32)).collect();
        hints.remember(names.iter().map(String::as_str).zip(paths.iter().map(Some)));
        let again = ItemHints::new(file);
        assert_eq!(again.paths(&["n0", "n9"]), vec![None, None], "the oldest are dropped");
        assert_eq!(again.paths(&[&names[MOST + 9]]), vec![Some(paths[MOST + 9].clone())]);
    }

    #[test]
    fn distinct_paths_once_each() {
        assert_eq!(
            distinct(&[Some(path(1)), None, Some(path(1)), Some(path(2))]),
            vec![path(1), path(2)]
        );
    }
}
