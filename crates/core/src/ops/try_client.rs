//! Prove a registration works: get a token with the client's own credentials where its
//! grant types allow it without a browser (`client_credentials`).

use super::call::{CallInfo, CallKind};
use super::client_credentials::TokenRequest;
use super::Registrar;
use crate::error::{Error, Result};
use crate::profile::TokenAuthMethod;
use crate::secrets::SecretKey;
use serde::{Deserialize, Serialize};

/// The token endpoint's answer, with the token itself left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct TryReport {
    /// The grant used: always `client_credentials` for now.
    pub grant_type: String,
    /// Where the token came from (the profile's token endpoint).
    pub token_endpoint: String,
    /// The token type the provider named (`Bearer`...).
    pub token_type: String,
    /// The token's lifetime in seconds, when the provider said.
    pub expires_in_secs: Option<u64>,
    /// The granted scope, space-delimited, when the provider said.
    pub scope: Option<String>,
    /// The token's length: enough to show one came back, nothing to misuse.
    pub access_token_length: usize,
}

impl Registrar {
    /// Gets a token with the client's own id and secret (`client_credentials`). Unsupported
    /// when its grant types or its `token_endpoint_auth_method` need a browser or keys.
    pub async fn try_client(&self, profile: &str, client_id: &str) -> Result<TryReport> {
        let profile = self.store.profile(profile)?;
        let reg = self.store.registration(&profile.id, client_id)?;
        let meta = &reg.metadata_returned;
        if !meta.grant_types().contains(&"client_credentials") {
            return Err(Error::Unsupported {
                operation: "trying the client".into(),
                provider: format!(
                    "its grant types ({}) need a user in a browser; only client_credentials can be tried here",
                    meta.grant_types().join(", ")
                ),
            });
        }
        let auth = match meta.token_endpoint_auth_method() {
            "client_secret_post" => TokenAuthMethod::ClientSecretPost,
            "client_secret_basic" => TokenAuthMethod::ClientSecretBasic,
            other => {
                return Err(Error::Unsupported {
                    operation: "trying the client".into(),
                    provider: format!(
                        "its token_endpoint_auth_method is {other}, which needs keys Registrar does not hold"
                    ),
                })
            }
        };
        let token_endpoint = profile
            .token_endpoint
            .clone()
            .ok_or_else(|| Error::config("token_endpoint", "is needed to try a client; discover it or enter it"))?;
        let secret = self
            .secrets
            .get(&SecretKey::client_secret(&profile.id, client_id))?
            .ok_or_else(|| Error::config("client_secret", format!("no client secret is stored for {client_id}")))?;
        let transport = self.transports.transport(&profile)?;
        let info = CallInfo {
            profile_id: Some(&profile.id),
            client_id: Some(client_id),
            operation: CallKind::Try,
        };
        let grant = self
            .client_credentials(
                info,
                transport.as_ref(),
                TokenRequest {
                    token_endpoint: &token_endpoint,
                    client_id,
                    client_secret: &secret,
                    scope: None,
                    auth,
                },
            )
            .await?;
        Ok(TryReport {
            grant_type: "client_credentials".into(),
            token_endpoint,
            token_type: grant.token_type,
            expires_in_secs: grant.expires_in.map(|d| d.as_secs()),
            scope: grant.scope,
            access_token_length: grant.access_token.expose().len(),
        })
    }
}
