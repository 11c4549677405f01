//! Issue 18, Client ID Metadata Documents in the window, as `registrar cimd` does them:
//! the document for the URL it will be hosted at (checked as the user types), saved as a
//! JSON file to host, its client kept in a profile, or served over HTTPS on loopback with
//! a CA made for the run. One core call each; the running server is kept in the app state.

use super::export::{file_name, pick_save};
use super::{off_the_window, CommandResult};
use crate::state::AppState;
use registrar_core::{
    metadata_document, ClientMetadata, Error, ErrorCode, ErrorView, FieldError, MetadataDocumentServer, ProfileId,
    Registration,
};
use serde::Serialize;
use tauri::State;

/// The file, in the data directory, that holds the PEM of the served document's CA (the
/// CLI's `cimd serve` writes the same one).
pub const CA_FILE: &str = "cimd-ca.pem";

/// A document checked against the draft's rules for the URL it will be served at.
#[derive(Debug, Serialize, specta::Type)]
pub struct CimdCheck {
    /// The document to host when it is valid: the metadata with `client_id` set to the URL.
    pub document: Option<ClientMetadata>,
    /// What is wrong, by field (`client_id` for the URL); empty when the document is valid.
    pub errors: Vec<FieldError>,
}

/// A document served on loopback by [`cimd_serve`].
#[derive(Debug, Serialize, specta::Type)]
pub struct CimdServing {
    /// The document's URL, `https://localhost:PORT/NAME.json`: the client's `client_id`.
    pub url: String,
    /// Where the PEM of the run's CA was written: the authorization server must trust it.
    pub ca_file: String,
    /// The document served.
    pub document: ClientMetadata,
    /// True when its client was put in the profile now (false without a profile, or when
    /// the profile already had it from an earlier run on the same URL).
    pub kept: bool,
}

/// The document to host at `url`: `metadata` with `client_id` set to `url`, or what is
/// wrong with it, field by field. For live messages: an invalid document is an answer, not
/// an error.
#[tauri::command]
#[specta::specta]
pub fn cimd_document(url: String, metadata: ClientMetadata) -> CommandResult<CimdCheck> {
    Ok(match metadata_document(&url, &metadata) {
        Ok(document) => CimdCheck {
            document: Some(document),
            errors: Vec::new(),
        },
        Err(errors) => CimdCheck { document: None, errors },
    })
}

/// Serves `metadata` as the document `NAME.json` over HTTPS on 127.0.0.1 (a free port),
/// with a certificate from a CA made for this run, whose PEM is written to the data
/// directory. With a profile, the client (`client_id` = the URL) is kept in it unless it
/// is already there. One document at a time: a second start replaces the first.
#[tauri::command]
#[specta::specta]
pub async fn cimd_serve(
    state: State<'_, AppState>,
    profile: Option<ProfileId>,
    metadata: ClientMetadata,
    name: String,
) -> CommandResult<CimdServing> {
    // The profile must exist before anything is started.
    let profile = match profile {
        Some(p) => Some(off_the_window(&state, move |r| Ok(r.profile(&p)?.id)).await?),
        None => None,
    };
    let server = MetadataDocumentServer::start(None, &name, &metadata).await?;
    let ca_file = state.data_dir.path().join(CA_FILE);
    // A certificate, public: written as `registrar cimd serve` writes it.
    std::fs::write(&ca_file, server.ca_pem()).map_err(|e| {
        ErrorView::new(
            ErrorCode::Storage,
            format!("could not write {}: {e}", ca_file.display()),
        )
    })?;
    let kept = match profile {
        Some(profile) => {
            let document = server.document().clone();
            off_the_window(&state, move |r| {
                let url = document.str("client_id").unwrap_or_default().to_string();
                // A client kept from an earlier run with the same URL is the same client.
                if r.registration(&profile, &url).is_ok() {
                    return Ok(false);
                }
                r.keep_metadata_document_client(&profile, &document)?;
                Ok(true)
            })
            .await?
        }
        None => false,
    };
    let serving = CimdServing {
        url: server.url().to_string(),
        ca_file: ca_file.display().to_string(),
        document: server.document().clone(),
        kept,
    };
    // The one served before, if any, stops here.
    let _previous = state.cimd_served.lock().await.replace(server);
    Ok(serving)
}

/// Stops the document [`cimd_serve`] started; `false` when none was served.
#[tauri::command]
#[specta::specta]
pub async fn cimd_stop(state: State<'_, AppState>) -> CommandResult<bool> {
    Ok(state.cimd_served.lock().await.take().is_some())
}

/// Keeps the client of a hosted document (its `client_id` is its URL) in the profile.
/// Nothing is sent: the authorization server reads the document when the client comes.
#[tauri::command]
#[specta::specta]
pub async fn cimd_keep(
    state: State<'_, AppState>,
    profile: ProfileId,
    document: ClientMetadata,
) -> CommandResult<Registration> {
    off_the_window(&state, move |r| {
        Ok(r.keep_metadata_document_client(&profile, &document)?)
    })
    .await
}

/// Saves the document to host at `url` as a JSON file where the system's save dialog says
/// (named after the URL's last segment). An invalid document is refused, field by field,
/// before any dialog opens. Returns the path written, or `None` when the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn cimd_save<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    url: String,
    metadata: ClientMetadata,
) -> CommandResult<Option<String>> {
    let document = metadata_document(&url, &metadata).map_err(Error::Validation)?;
    let text = serde_json::to_string_pretty(&document).map_err(|e| {
        ErrorView::new(
            ErrorCode::Internal,
            format!("the document cannot be written as JSON: {e}"),
        )
    })?;
    off_the_window(&state, move |_| {
        let Some(path) = pick_save(&app, &suggested_name(&url))? else {
            return Ok(None);
        };
        // A public document, to be hosted: written as `registrar cimd new --out` writes it.
        std::fs::write(&path, format!("{text}\n"))
            .map_err(|e| ErrorView::new(ErrorCode::Storage, format!("could not write {}: {e}", path.display())))?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// The file name to suggest for the document hosted at `url`: the URL's last path segment
/// (with `.json` added when it has no extension), else `client.json`.
fn suggested_name(url: &str) -> String {
    let last = url::Url::parse(url)
        .ok()
        .and_then(|u| u.path_segments().and_then(|mut s| s.next_back().map(str::to_string)))
        .filter(|s| !s.is_empty() && s != "." && s != "..")
        .unwrap_or_else(|| "client".into());
    let name = if last.contains('.') {
        last
    } else {
        format!("{last}.json")
    };
    file_name(&name)
}

#[cfg(test)]
mod tests {
    use super::suggested_name;

    #[test]
    fn the_file_is_named_after_the_url() {
        assert_eq!(
            suggested_name("https://app.example.com/oauth/client.json"),
            "client.json"
        );
        assert_eq!(
            suggested_name("https://app.example.com/clients/desktop"),
            "desktop.json"
        );
        assert_eq!(suggested_name("https://app.example.com/"), "client.json");
        assert_eq!(suggested_name("not a url"), "client.json");
    }
}
