//! `registrar keys`, `registrar cert` and `registrar ssa` (issue 17): keys, client
//! certificates and software statements in a profile's custody. The core decides what is
//! kept where and what is refused; these commands read the user's input (private keys only
//! from a file or standard input, never from the command line), call it, and show the result.

pub mod cert;
pub mod keys;
mod serve;
pub mod ssa;

use crate::failure::Failure;
use registrar_core::custody::KeyRecord;
use registrar_core::{Error, Registrar};
use std::io::Read;
use std::path::Path;

/// The key `kid` names: its full kid, or a prefix only one of the profile's keys has (the
/// tables show kids shortened).
pub fn resolve_key(registrar: &Registrar, profile: &str, kid: &str) -> Result<KeyRecord, Failure> {
    match registrar.key(profile, kid) {
        Ok(key) => Ok(key),
        Err(Error::NotFound { what }) => {
            let kid = kid.trim_end_matches('…');
            let matching: Vec<KeyRecord> = registrar
                .keys(profile, None)?
                .into_iter()
                .filter(|k| !kid.is_empty() && k.kid.starts_with(kid))
                .collect();
            match matching.len() {
                1 => Ok(matching.into_iter().next().expect("one key")),
                0 => {
                    Err(Failure::from(Error::NotFound { what })
                        .hint(format!("`registrar keys list {profile}` lists them")))
                }
                n => Err(Failure::usage(format!(
                    "{n} keys of profile {profile} start with {kid}: give more of the kid"
                ))),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// Text from a file, or from standard input when `path` is `-` or `stdin` is set.
pub fn read_text(path: Option<&Path>, stdin: bool, what: &str) -> Result<String, Failure> {
    let text = match path {
        Some(p) if p.as_os_str() != "-" => {
            std::fs::read_to_string(p).map_err(|e| Failure::usage(format!("cannot read {}: {e}", p.display())))?
        }
        Some(_) | None if stdin || path.is_some() => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Failure::usage(format!("cannot read the {what} from standard input: {e}")))?;
            text
        }
        _ => return Err(Failure::usage(format!("give the {what} with --file PATH or --stdin"))),
    };
    if text.trim().is_empty() {
        return Err(Failure::usage(format!("the {what} is empty")));
    }
    Ok(text)
}

/// Writes `contents` to `path`; `private` files are created readable by their owner only
/// (0600), and an existing file is narrowed to that before anything is written into it.
pub fn write_file(path: &Path, contents: &[u8], private: bool) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure::usage(format!("cannot write {}: {e}", path.display()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        if path.exists() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(fail)?;
        }
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(path).map_err(fail)?;
    std::io::Write::write_all(&mut file, contents).map_err(fail)?;
    file.sync_all().map_err(fail)
}

/// A JWK Set from a file (for checking a software statement's signature).
pub fn read_jwks(path: &Path) -> Result<serde_json::Value, Failure> {
    let text = read_text(Some(path), false, "JWK Set")?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Failure::usage(format!("{} is not JSON: {e}", path.display())))?;
    if !value.get("keys").is_some_and(serde_json::Value::is_array) {
        return Err(Failure::usage(format!(
            "{} is not a JWK Set: it needs {{\"keys\": [...]}}",
            path.display()
        )));
    }
    Ok(value)
}
