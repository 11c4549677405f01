//! A request to a protected resource with the access token as a Bearer credential
//! (RFC 6750 §2.1), recorded in the history as the client's `try` call with the token
//! masked.

use super::client::OAuthClient;
use crate::error::Result;
use crate::http::{HttpRequest, HttpResponse};
use crate::secret::Secret;

impl OAuthClient<'_> {
    /// Sends `request` with `Authorization: Bearer <access_token>`; any answer is returned,
    /// a refusal included (the caller reads its challenge).
    pub async fn bearer_call(&self, request: HttpRequest, access_token: &Secret) -> Result<HttpResponse> {
        let request = request.header("Authorization", format!("Bearer {}", access_token.expose()));
        self.recorder(&[access_token]).send(request).await
    }
}
