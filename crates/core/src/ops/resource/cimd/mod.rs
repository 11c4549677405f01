//! Client ID Metadata Documents (issue 18): authoring and checking one, serving it over
//! HTTPS on loopback to try it, and keeping a CIMD client in a profile like any other.

mod document;
mod server;

pub use document::{check_document, check_document_url, metadata_document};
pub use server::MetadataDocumentServer;

use crate::error::{Error, Result};
use crate::metadata::ClientMetadata;
use crate::ops::Registrar;
use crate::store::registrations::{CredentialState, ProviderState, Registration};

impl Registrar {
    /// Keeps the client whose `client_id` is the URL of `document` in `profile`, as a
    /// profile entry like any registered one (tried, connected, listed, forgotten). Nothing
    /// is sent: the authorization server reads the document when the client first comes.
    /// The document is checked first; a client already in the profile is refused.
    pub fn keep_metadata_document_client(&self, profile: &str, document: &ClientMetadata) -> Result<Registration> {
        let profile = self.store.profile(profile)?;
        let url = document
            .str("client_id")
            .ok_or_else(|| Error::field("client_id", "is missing: it is the document's URL"))?
            .to_string();
        let problems = check_document(document, &url);
        if !problems.is_empty() {
            return Err(Error::Validation(problems));
        }
        if self.store.find_registration(&profile.id, &url)?.is_some() {
            return Err(Error::field("client_id", format!("{url} is already in this profile")));
        }
        let state = ProviderState {
            client_id: url,
            registration_client_uri: None,
            metadata_returned: document.without_secrets(),
            etag: None,
        };
        // No credential exists to store: the document is public.
        self.store
            .insert_registration(&profile.id, &state, None, CredentialState::Stored, None, None)
    }
}
