//! Before a client is registered with a `jwks_uri` its provider must fetch, Registrar
//! fetches it once itself: a set that does not answer, is not JSON or holds no keys would
//! make the registration (or every later token request) fail at the provider, in words
//! that rarely name the URL. [`read_jwk_set`] is that one read, for every check of a
//! published set.

use crate::error::{Error, Result};
use crate::http::{HttpRequest, Transport};
use crate::ops::{CallInfo, Registrar};
use serde_json::Value;

impl Registrar {
    /// Checks that `uri` answers with a JWK Set holding at least one key; nothing is
    /// recorded in the history (this is not a call to the provider).
    pub(crate) async fn check_jwks_uri(&self, transport: &dyn Transport, uri: &str) -> Result<()> {
        let refuse = |why: String| Error::field("jwks_uri", format!("{uri} {why}; nothing was sent to the provider"));
        let set = self.read_jwk_set(transport, uri, None).await.map_err(refuse)?;
        match set["keys"].as_array() {
            Some(keys) if !keys.is_empty() => Ok(()),
            _ => Err(refuse("publishes an empty JWK Set".into())),
        }
    }

    /// The JWK Set at `uri`, recorded in the history as `record` says (or not at all); an
    /// error is what went wrong, as a phrase that follows the URL ("does not answer: …").
    pub(crate) async fn read_jwk_set(
        &self,
        transport: &dyn Transport,
        uri: &str,
        record: Option<CallInfo<'_>>,
    ) -> std::result::Result<Value, String> {
        let url = url::Url::parse(uri).map_err(|e| format!("is not a URL ({e})"))?;
        let request = HttpRequest::new(http::Method::GET, url);
        let response = match record {
            Some(info) => self
                .send_recorded(info, transport, request, &[])
                .await
                .0
                .map_err(|e| e.to_string()),
            None => transport.send(request).await.map_err(|e| e.to_string()),
        }
        .map_err(|e| format!("does not answer: {e}"))?;
        if !response.is_success() {
            return Err(format!("answers HTTP {}, not a JWK Set", response.status));
        }
        let set: Value = serde_json::from_slice(&response.body).map_err(|_| "does not answer JSON".to_string())?;
        if !set["keys"].is_array() {
            return Err("answers JSON that is not a JWK Set (no \"keys\")".into());
        }
        Ok(set)
    }
}
