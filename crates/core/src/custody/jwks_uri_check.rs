//! Before a client is registered with a `jwks_uri` its provider must fetch, Registrar
//! fetches it once itself: a set that does not answer, is not JSON or holds no keys would
//! make the registration (or every later token request) fail at the provider, in words
//! that rarely name the URL.

use crate::error::{Error, Result};
use crate::http::{HttpRequest, Transport};
use crate::ops::Registrar;
use serde_json::Value;

impl Registrar {
    /// Checks that `uri` answers with a JWK Set holding at least one key; nothing is
    /// recorded in the history (this is not a call to the provider).
    pub(crate) async fn check_jwks_uri(&self, transport: &dyn Transport, uri: &str) -> Result<()> {
        let refuse = |why: String| Error::field("jwks_uri", format!("{uri} {why}; nothing was sent to the provider"));
        let url = url::Url::parse(uri).map_err(|e| refuse(format!("is not a URL ({e})")))?;
        let response = transport
            .send(HttpRequest::new(http::Method::GET, url))
            .await
            .map_err(|e| refuse(format!("does not answer: {e}")))?;
        if !response.is_success() {
            return Err(refuse(format!("answers HTTP {}, not a JWK Set", response.status)));
        }
        let set: Value = serde_json::from_slice(&response.body).map_err(|_| refuse("does not answer JSON".into()))?;
        match set.get("keys").and_then(Value::as_array) {
            Some(keys) if !keys.is_empty() => Ok(()),
            Some(_) => Err(refuse("publishes an empty JWK Set".into())),
            None => Err(refuse("answers JSON that is not a JWK Set (no \"keys\")".into())),
        }
    }
}
