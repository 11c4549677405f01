//! The provider's JWK Set (`jwks_uri`), fetched through the recorded transport so the
//! ID token's signature can be checked against it (`crate::tokens`), and fetched again
//! when a `kid` is not in it (key rotation).

use super::client::OAuthClient;
use super::error::{Endpoint, FlowError};
use crate::error::Error;
use crate::http::HttpRequest;
use serde_json::Value;
use url::Url;

impl OAuthClient<'_> {
    /// The JWK Set at `jwks_uri`: a JSON object with a `keys` array.
    pub async fn fetch_jwks(&self, jwks_uri: &Url) -> Result<Value, FlowError> {
        let http = self.recorder(&[]);
        let mut request = HttpRequest::new(http::Method::GET, jwks_uri.clone());
        request.headers = vec![("Accept".into(), "application/jwk-set+json, application/json".into())];
        let response = http.send(request).await?;
        if !response.is_success() {
            return Err(FlowError::refused(Endpoint::Jwks, &response, &http.known()));
        }
        let set = crate::http::json_object(&response)
            .map_err(|why| Error::InvalidResponse(format!("the JWK Set at {jwks_uri}: {why}")))?;
        if !set.get("keys").is_some_and(Value::is_array) {
            return Err(
                Error::InvalidResponse(format!("the JWK Set at {jwks_uri} has no keys array (RFC 7517 §5)")).into(),
            );
        }
        Ok(Value::Object(set))
    }
}
