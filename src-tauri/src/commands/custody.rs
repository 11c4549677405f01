//! Keys, certificates and software statements (issue 17): the core's custody operations
//! (`registrar_core::custody`) for the window's "Keys & certificates" view, the client's
//! Keys tab and the SSA inspector.
//!
//! A private key crosses into the app only when the user pastes it (import, wrapped in a
//! `Secret` at once) and leaves the keychain only through [`export_private_key`]: a save
//! dialog opened here, a 0600 file written here, after the window's confirmation; the key
//! never travels to the window. Files are written where the user picked in a save dialog,
//! never at a path the window names.

use super::export::{into_path, pick_save};
use super::{off_the_window, CommandResult};
use crate::state::AppState;
use registrar_core::custody::{
    CertificateSubject, CustodyExpiry, JwksServer, KeyRecord, NewKey, RotationOutcome, SoftwareStatement, SsaInspection,
};
use registrar_core::{Error, ErrorCode, ErrorView, Profile, ProfileId, ProfileSecrets, Registrar, Secret};
use serde::Deserialize;
use serde_json::Value;
use tauri::State;
use tauri_plugin_dialog::DialogExt;

#[tauri::command]
#[specta::specta]
pub async fn list_keys(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: Option<String>,
) -> CommandResult<Vec<KeyRecord>> {
    off_the_window(&state, move |r| Ok(r.keys(&profile, client_id.as_deref())?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn generate_key(state: State<'_, AppState>, profile: ProfileId, request: NewKey) -> CommandResult<KeyRecord> {
    off_the_window(&state, move |r| Ok(r.generate_key(&profile, &request)?)).await
}

/// A pasted private key (PEM or JWK): a `Secret` from here on, never logged or echoed.
#[tauri::command]
#[specta::specta]
pub async fn import_key(
    state: State<'_, AppState>,
    profile: ProfileId,
    material: String,
    request: NewKey,
) -> CommandResult<KeyRecord> {
    let material = Secret::new(material);
    off_the_window(&state, move |r| Ok(r.import_key(&profile, &material, &request)?)).await
}

/// Imports a private key from a file the user picks in the system's open dialog, read
/// here: the key does not pass through the window. `None` when the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn import_key_file<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    profile: ProfileId,
    request: NewKey,
) -> CommandResult<Option<KeyRecord>> {
    off_the_window(&state, move |r| {
        let Some(path) = pick_file(&app, &["pem", "key", "jwk", "json"])? else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| ErrorView::new(ErrorCode::Storage, format!("could not read {}: {e}", path.display())))?;
        Ok(Some(r.import_key(&profile, &Secret::new(text), &request)?))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_key(state: State<'_, AppState>, profile: ProfileId, kid: String) -> CommandResult<()> {
    off_the_window(&state, move |r| Ok(r.delete_key(&profile, &kid)?)).await
}

/// Sets when a key stops being published and used (seconds since the epoch; `None`: never).
#[tauri::command]
#[specta::specta]
pub async fn retire_key(
    state: State<'_, AppState>,
    profile: ProfileId,
    kid: String,
    at: Option<i64>,
) -> CommandResult<KeyRecord> {
    off_the_window(&state, move |r| Ok(r.retire_key(&profile, &kid, at)?)).await
}

/// Binds a key to a client (it then signs the client's assertions and presents its
/// certificate), or back to the profile with `None`.
#[tauri::command]
#[specta::specta]
pub async fn bind_key(
    state: State<'_, AppState>,
    profile: ProfileId,
    kid: String,
    client_id: Option<String>,
) -> CommandResult<KeyRecord> {
    off_the_window(&state, move |r| Ok(r.bind_key(&profile, &kid, client_id.as_deref())?)).await
}

/// The public JWK Set of a client's active keys, or of the profile's own with `None`.
#[tauri::command]
#[specta::specta]
pub async fn public_jwks(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: Option<String>,
) -> CommandResult<Value> {
    off_the_window(&state, move |r| Ok(r.public_jwks(&profile, client_id.as_deref())?)).await
}

/// Serves the public JWK Set of a client's active keys (the profile's own with `None`) at
/// a loopback URL, for a provider to fetch as `jwks_uri` in demos and tests; called again,
/// it serves the set as it is now at the same URL. Returns the URL.
#[tauri::command]
#[specta::specta]
pub async fn serve_public_jwks(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: Option<String>,
) -> CommandResult<String> {
    let (id, jwks) = off_the_window(&state, {
        let client_id = client_id.clone();
        move |r| {
            let p = r.profile(&profile)?;
            let jwks = r.public_jwks(&p.id, client_id.as_deref())?;
            Ok((p.id.to_string(), jwks))
        }
    })
    .await?;
    let mut served = state.jwks_served.lock().await;
    let key = (id, client_id);
    if let Some(server) = served.get(&key) {
        server.set(jwks);
        return Ok(server.url().to_string());
    }
    let server = JwksServer::start(None, jwks).await.map_err(|e| {
        ErrorView::new(
            ErrorCode::Internal,
            format!("could not serve the JWK Set on a loopback port: {e}"),
        )
    })?;
    let url = server.url().to_string();
    served.insert(key, server);
    Ok(url)
}

/// Stops serving a JWK Set started by [`serve_public_jwks`]; `false` when none was served.
#[tauri::command]
#[specta::specta]
pub async fn stop_serving_jwks(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: Option<String>,
) -> CommandResult<bool> {
    let id = off_the_window(&state, move |r| Ok(r.profile(&profile)?.id.to_string())).await?;
    Ok(state.jwks_served.lock().await.remove(&(id, client_id)).is_some())
}

/// Writes a key's private half (PKCS#8 PEM) to a file the user picks in the save dialog,
/// readable by the user alone. `confirmed` is the window's explicit confirmation: without
/// it nothing is read from the keychain. Returns the path written, `None` if cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_private_key<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    profile: ProfileId,
    kid: String,
    confirmed: bool,
) -> CommandResult<Option<String>> {
    require_confirmation(confirmed)?;
    off_the_window(&state, move |r| {
        // The key must exist before a dialog asks where to put it.
        r.key(&profile, &kid)?;
        let name = format!("{}.private.pem", short(&kid));
        let Some(path) = pick_save(&app, &name)? else {
            return Ok(None);
        };
        write_private_key(r, &profile, &kid, &path)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Refuses an export the user did not confirm, before anything is read.
fn require_confirmation(confirmed: bool) -> CommandResult<()> {
    if confirmed {
        Ok(())
    } else {
        Err(Error::field(
            "confirmed",
            "exporting a private key needs the user's explicit confirmation; nothing was read from the keychain",
        )
        .into())
    }
}

/// Writes a key's private half where the save dialog said: the user's alone (0600).
pub fn write_private_key(r: &Registrar, profile: &str, kid: &str, path: &std::path::Path) -> CommandResult<()> {
    let pem = r.export_private_key(profile, kid)?;
    registrar_core::private_files::write_private(path, pem.expose().as_bytes())
        .map_err(|e| ErrorView::new(ErrorCode::Storage, format!("could not write {}: {e}", path.display())))
}

/// Saves public text (a JWK Set, a certificate, a CSR) where the user picks. Refuses
/// anything holding a private key: those leave only through [`export_private_key`].
#[tauri::command]
#[specta::specta]
pub async fn save_public_text<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    text: String,
    suggested_name: String,
) -> CommandResult<Option<String>> {
    if text.contains("PRIVATE KEY") || looks_like_private_jwk(&text) {
        return Err(Error::field(
            "text",
            "this holds a private key; export it with \"Export private key\"",
        )
        .into());
    }
    off_the_window(&state, move |_| {
        let Some(path) = pick_save(&app, &suggested_name)? else {
            return Ok(None);
        };
        registrar_core::private_files::write_private(&path, text.as_bytes())
            .map_err(|e| ErrorView::new(ErrorCode::Storage, format!("could not write {}: {e}", path.display())))?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// A JWK, or a set of them, with a private member (`d`, or RSA's primes).
fn looks_like_private_jwk(text: &str) -> bool {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return false;
    };
    let private = |k: &Value| ["d", "p", "q"].iter().any(|m| k.get(m).is_some());
    private(&value) || value["keys"].as_array().is_some_and(|keys| keys.iter().any(private))
}

#[tauri::command]
#[specta::specta]
pub async fn self_signed_certificate(
    state: State<'_, AppState>,
    profile: ProfileId,
    kid: String,
    subject: CertificateSubject,
    days: u32,
) -> CommandResult<KeyRecord> {
    off_the_window(&state, move |r| {
        Ok(r.self_signed_certificate(&profile, &kid, &subject, days)?)
    })
    .await
}

/// A PKCS#10 request (PEM) for a CA to sign; its answer comes back with `import_certificate`.
#[tauri::command]
#[specta::specta]
pub async fn certificate_request(
    state: State<'_, AppState>,
    profile: ProfileId,
    kid: String,
    subject: CertificateSubject,
) -> CommandResult<String> {
    off_the_window(&state, move |r| Ok(r.certificate_request(&profile, &kid, &subject)?)).await
}

/// A certificate chain (PEM, leaf first) for the key named, or the profile's key it is for.
#[tauri::command]
#[specta::specta]
pub async fn import_certificate(
    state: State<'_, AppState>,
    profile: ProfileId,
    chain_pem: String,
    kid: Option<String>,
) -> CommandResult<KeyRecord> {
    off_the_window(&state, move |r| {
        Ok(r.import_certificate(&profile, &chain_pem, kid.as_deref())?)
    })
    .await
}

/// What a profile uses a key or a software statement for.
#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ProfileUse {
    /// `tls.client_certificate`: the key whose certificate every request presents.
    TransportCertificate,
    /// `signing.request_signing_key`: registration and update sent as a JWS.
    RequestSigningKey,
    /// `signing.software_statement`: the SSA (by label) every registration carries.
    SoftwareStatement,
}

/// Sets (or with `None` clears) what the profile uses, through the profile's save (and its
/// checks). Returns the profile saved.
#[tauri::command]
#[specta::specta]
pub async fn profile_use(
    state: State<'_, AppState>,
    profile: ProfileId,
    usage: ProfileUse,
    value: Option<String>,
) -> CommandResult<Profile> {
    off_the_window(&state, move |r| {
        let mut p = r.profile(&profile)?;
        match usage {
            ProfileUse::TransportCertificate => {
                if let Some(kid) = &value {
                    if r.key(&p.id, kid)?.certificate.is_none() {
                        return Err(Error::field(
                            "tls.client_certificate",
                            format!("key {} has no certificate yet: make or import one first", short(kid)),
                        )
                        .into());
                    }
                }
                p.tls.client_certificate = value;
            }
            ProfileUse::RequestSigningKey => {
                if let Some(kid) = &value {
                    r.key(&p.id, kid)?;
                }
                p.signing.request_signing_key = value;
            }
            ProfileUse::SoftwareStatement => {
                if let Some(label) = &value {
                    r.software_statement(&p.id, label)?;
                }
                p.signing.software_statement = value;
            }
        }
        Ok(r.save_profile(&p, &ProfileSecrets::default())?)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_software_statements(
    state: State<'_, AppState>,
    profile: ProfileId,
) -> CommandResult<Vec<SoftwareStatement>> {
    off_the_window(&state, move |r| Ok(r.software_statements(&profile)?)).await
}

/// Keeps a software statement under `label` (replacing one of that name); `source` says
/// where it came from (`pasted`, `signed locally`).
#[tauri::command]
#[specta::specta]
pub async fn keep_software_statement(
    state: State<'_, AppState>,
    profile: ProfileId,
    label: String,
    jwt: String,
    source: String,
) -> CommandResult<SoftwareStatement> {
    off_the_window(&state, move |r| {
        Ok(r.keep_software_statement(&profile, &label, &jwt, &source)?)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_software_statement(
    state: State<'_, AppState>,
    profile: ProfileId,
    label: String,
) -> CommandResult<()> {
    off_the_window(&state, move |r| Ok(r.remove_software_statement(&profile, &label)?)).await
}

/// Fetches a software statement from a directory (GET, with `token` as a Bearer token
/// when given) and keeps it under `label`.
#[tauri::command]
#[specta::specta]
pub async fn fetch_software_statement(
    state: State<'_, AppState>,
    profile: ProfileId,
    label: String,
    url: String,
    token: Option<String>,
) -> CommandResult<SoftwareStatement> {
    let token = token.filter(|t| !t.is_empty()).map(Secret::new);
    Ok(state
        .registrar
        .fetch_software_statement(&profile, &label, &url, token.as_ref())
        .await?)
}

/// Reads a software statement and checks its signature against `jwks` (a JWK Set as the
/// user pasted it) or the set at `jwks_uri`; neither: the signature is not checked.
#[tauri::command]
#[specta::specta]
pub async fn inspect_software_statement(
    state: State<'_, AppState>,
    profile: ProfileId,
    jwt: String,
    jwks: Option<String>,
    jwks_uri: Option<String>,
) -> CommandResult<SsaInspection> {
    let set = match jwks.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => Some(parse_jwks(text)?),
        None => None,
    };
    let uri = jwks_uri.as_deref().map(str::trim).filter(|u| !u.is_empty());
    Ok(state
        .registrar
        .inspect_software_statement(&profile, jwt.trim(), set, uri)
        .await?)
}

/// A pasted JWK Set; a single JWK is taken as a set of one.
fn parse_jwks(text: &str) -> Result<Value, ErrorView> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| Error::field("jwks", format!("the JWK Set is not JSON: {e}")))?;
    if value.get("keys").is_some_and(Value::is_array) {
        Ok(value)
    } else if value.get("kty").is_some() {
        Ok(serde_json::json!({ "keys": [value] }))
    } else {
        Err(Error::field("jwks", "not a JWK Set: it needs a \"keys\" array").into())
    }
}

/// Signs a software statement with the profile's key `kid`, playing a directory for tests
/// and demos; `lifetime_secs` sets `exp` when the claims have none.
#[tauri::command]
#[specta::specta]
pub async fn sign_software_statement(
    state: State<'_, AppState>,
    profile: ProfileId,
    kid: String,
    claims: Value,
    lifetime_secs: Option<i64>,
) -> CommandResult<String> {
    off_the_window(&state, move |r| {
        Ok(r.sign_software_statement(&profile, &kid, &claims, lifetime_secs)?)
    })
    .await
}

/// Adds a key to a client and retires its other keys after `overlap_secs`; a client that
/// carries its keys inline (`jwks`) is updated at the provider.
#[tauri::command]
#[specta::specta]
pub async fn rotate_client_key(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
    request: NewKey,
    overlap_secs: i64,
) -> CommandResult<RotationOutcome> {
    Ok(state
        .registrar
        .rotate_client_key(&profile, &client_id, &request, overlap_secs)
        .await?)
}

/// Drops the client's keys whose retirement time has passed, from the client and custody.
#[tauri::command]
#[specta::specta]
pub async fn finish_key_rotation(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
) -> CommandResult<RotationOutcome> {
    Ok(state.registrar.finish_key_rotation(&profile, &client_id).await?)
}

/// Certificates, retiring keys and software statements expiring within `within_days`
/// (or already expired), in every profile.
#[tauri::command]
#[specta::specta]
pub async fn expiring_custody(state: State<'_, AppState>, within_days: i64) -> CommandResult<Vec<CustodyExpiry>> {
    off_the_window(&state, move |r| Ok(r.expiring_custody(None, within_days * 86_400)?)).await
}

/// The first characters of a kid, for file names and messages.
fn short(kid: &str) -> &str {
    kid.get(..12).unwrap_or(kid)
}

fn pick_file<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    extensions: &[&str],
) -> CommandResult<Option<std::path::PathBuf>> {
    app.dialog()
        .file()
        .add_filter("Keys", extensions)
        .blocking_pick_file()
        .map(into_path)
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unconfirmed_export_is_refused() {
        let refused = require_confirmation(false).expect_err("refused");
        assert_eq!(refused.code, ErrorCode::Validation);
        assert!(require_confirmation(true).is_ok());
    }

    #[test]
    fn private_jwks_are_recognised() {
        assert!(looks_like_private_jwk(r#"{"kty":"EC","d":"x"}"#));
        assert!(looks_like_private_jwk(r#"{"keys":[{"kty":"RSA","n":"x","p":"y"}]}"#));
        assert!(!looks_like_private_jwk(r#"{"keys":[{"kty":"EC","x":"a","y":"b"}]}"#));
        assert!(!looks_like_private_jwk("-----BEGIN CERTIFICATE-----"));
    }

    #[test]
    fn a_single_jwk_is_a_set_of_one() {
        let set = parse_jwks(r#"{"kty":"EC","x":"a"}"#).expect("a set");
        assert_eq!(set["keys"].as_array().map(Vec::len), Some(1));
        assert!(parse_jwks("{}").is_err());
        assert!(parse_jwks("not json").is_err());
    }
}
