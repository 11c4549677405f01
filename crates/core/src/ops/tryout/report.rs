//! What a try shows: the grant, the tokens explained (never their values), the ID token's
//! checks, and the HTTP exchanges of the flow as the history recorded them (redacted).

use super::session::TrySession;
use crate::error::Result;
use crate::oauth::TokenResponse;
use crate::ops::Registrar;
use crate::store::exchanges::{Exchange, HistoryFilter};
use crate::tokens::{explain_token_response, Expectations, TokenExplanation, TokenSet};
use serde::{Deserialize, Serialize};

/// The outcome of one grant (or a refresh), to show and to serialize.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct TryReport {
    /// The `grant_type` used: `authorization_code`, `refresh_token`, `client_credentials`
    /// or `urn:ietf:params:oauth:grant-type:device_code`.
    pub grant_type: String,
    /// The client tried.
    pub client_id: String,
    /// How it authenticated (`client_secret_basic`, `private_key_jwt`, `tls_client_auth`, …).
    #[serde(default)]
    pub auth_method: String,
    /// Where the tokens came from.
    pub token_endpoint: String,
    /// The token type the provider named (`Bearer`...).
    pub token_type: String,
    /// The access token's lifetime in seconds, when the provider said.
    pub expires_in_secs: Option<u64>,
    /// The granted scope, space-delimited, when the provider said.
    pub scope: Option<String>,
    /// The access token's length: one came back, nothing to misuse.
    pub access_token_length: usize,
    /// The tokens explained: kind, a redacted preview, claims, times, the ID token's checks.
    pub explanation: TokenExplanation,
    /// For a refresh: whether the provider issued a new refresh token (rotation), kept the
    /// old one, or sent none. `None` for the other grants.
    pub refresh_token_rotated: Option<bool>,
    /// What may be wrong without stopping the try (a list the provider does not advertise).
    pub warnings: Vec<String>,
    /// The flow's HTTP exchanges, oldest first, secrets masked as in the history.
    pub exchanges: Vec<Exchange>,
    /// The client certificate presented (mutual TLS), to compare with a bound token's
    /// `cnf.x5t#S256` (in a JWT access token's claims or in introspection).
    #[serde(default)]
    pub presented_certificate: Option<PresentedCertificate>,
}

/// A client certificate presented to the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct PresentedCertificate {
    /// Its subject, RFC 4514.
    pub subject_dn: String,
    /// base64url SHA-256 of its DER: a token bound to it carries this as `cnf.x5t#S256`.
    pub x5t_s256: String,
}

impl Registrar {
    /// The newest history row of a client: a try's exchanges are the ones after it.
    pub(super) fn exchanges_mark(&self, session: &TrySession) -> i64 {
        self.client_history(session, 1).first().map_or(0, |e| e.id)
    }

    fn client_history(&self, session: &TrySession, limit: u32) -> Vec<Exchange> {
        // The history is the record; failing to read it back only leaves the timeline empty.
        self.store
            .history(&HistoryFilter {
                profile_id: Some(session.profile.id.clone()),
                client_id: Some(session.client_id.clone()),
                limit: Some(limit),
            })
            .unwrap_or_default()
    }

    /// The report of `tokens` just obtained by `grant_type`: the ID token checked against
    /// the provider's JWK Set (fetched once more when it has no key for the token: key
    /// rotation), and the exchanges recorded since `mark`.
    pub(super) async fn report(
        &self,
        session: &mut TrySession,
        grant_type: &str,
        tokens: &TokenResponse,
        code: Option<&str>,
        mark: i64,
    ) -> Result<TryReport> {
        if tokens.id_token.is_some() && session.jwks.is_none() {
            session.jwks = self.fetch_jwks(session).await;
        }
        let mut explanation = self.explain(session, tokens, code);
        let mut warnings = session.warnings.clone();
        if explanation.needs_fresh_jwks() {
            // The key that signed the ID token is not in the set read earlier: the provider
            // rotated its keys since. Read it again, as a relying party must, and say so.
            if let Some(fresh) = self.fetch_jwks(session).await {
                session.jwks = Some(fresh);
                explanation = self.explain(session, tokens, code);
                warnings.push(
                    "the ID token's key was not in the JWK Set read earlier (the provider rotated its keys): jwks_uri was read again"
                        .into(),
                );
            }
        }
        let mut exchanges: Vec<Exchange> = self
            .client_history(session, 200)
            .into_iter()
            .filter(|e| e.id > mark)
            .collect();
        exchanges.reverse();
        Ok(TryReport {
            grant_type: grant_type.to_string(),
            client_id: session.client_id.clone(),
            auth_method: session.auth.method().as_str().to_string(),
            token_endpoint: session.token_endpoint.to_string(),
            token_type: tokens.token_type.clone(),
            expires_in_secs: tokens.expires_in.map(|d| d.as_secs()),
            scope: tokens.scope.clone(),
            access_token_length: tokens.access_token.expose().len(),
            explanation,
            refresh_token_rotated: None,
            warnings,
            exchanges,
            presented_certificate: presented_certificate(&session.auth),
        })
    }

    fn explain(&self, session: &TrySession, tokens: &TokenResponse, code: Option<&str>) -> TokenExplanation {
        let issuer = session.issuer.as_deref().unwrap_or_default();
        let mut expected = Expectations::new(issuer, &session.client_id);
        expected.nonce = session.nonce.as_deref();
        expected.access_token = Some(tokens.access_token.expose());
        expected.code = code;
        expected.registered_alg = session.registered_id_token_alg.as_deref();
        expected.client_secret = session.auth.secret().map(|s| s.expose());
        let set = TokenSet::from_secrets(
            Some(&tokens.access_token),
            tokens.id_token.as_ref(),
            tokens.refresh_token.as_ref(),
        );
        explain_token_response(set, expected, session.jwks.as_ref(), crate::store::now())
    }

    /// The provider's JWK Set, read from its `jwks_uri` (a `try` call in the history);
    /// `None` when it has none or it cannot be read (the signature check then says so).
    async fn fetch_jwks(&self, session: &TrySession) -> Option<serde_json::Value> {
        let uri = session.provider.jwks_uri.clone()?;
        self.session_client(session).ok()?.fetch_jwks(&uri).await.ok()
    }
}

/// The certificate a client authenticating with mutual TLS presents.
fn presented_certificate(auth: &crate::oauth::ClientAuth) -> Option<PresentedCertificate> {
    let crate::oauth::ClientAuth::TlsClientAuth { identity, .. } = auth else {
        return None;
    };
    let info = registrar_keys::cert::CertificateInfo::from_der(identity.chain.first()?).ok()?;
    Some(PresentedCertificate {
        subject_dn: info.subject_dn,
        x5t_s256: info.x5t_s256,
    })
}
