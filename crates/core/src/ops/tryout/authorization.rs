//! The authorization code grant with PKCE (S256), RFC 8252 style: the URL is built and
//! shown first, the shell opens it in the system browser, and the redirect comes back to a
//! one-shot listener on a loopback port — or, for a client with only `https` or
//! custom-scheme redirect URIs, the user pastes the final URL back. `state`, `iss` (RFC
//! 9207) and, in the ID token, `nonce` are checked.

use super::session::{TryOutcome, TrySession};
use super::target::{TryGrant, TryTarget};
use crate::error::{Error, Result};
use crate::oauth::{parse_callback, AuthorizationRequest, Endpoint, LoopbackListener, Pkce};
use crate::ops::Registrar;
use std::time::Duration;
use url::Url;

/// Where the provider sends the browser back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectMode {
    /// To a loopback redirect URI the client has registered (`http://127.0.0.1:…`,
    /// `http://localhost:…`, `http://[::1]:…`), on whose port Registrar listens.
    Loopback,
    /// To `redirect_uri` (one of the client's), whose final URL the user pastes back.
    Paste {
        /// The registered redirect URI to use.
        redirect_uri: String,
    },
}

/// The authorization request's parameters beyond the client's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationOptions {
    /// `scope`; `None`: `openid` when the provider is an OpenID provider, else none.
    pub scope: Option<String>,
    /// `prompt` (`login`, `consent`, `select_account`, `none`).
    pub prompt: Option<String>,
    /// `acr_values`.
    pub acr_values: Option<String>,
    /// `login_hint`.
    pub login_hint: Option<String>,
    /// `resource` indicators (RFC 8707).
    pub resource: Vec<String>,
    /// Other parameters, sent as given.
    pub extra: Vec<(String, String)>,
    /// Where the answer comes back.
    pub redirect: RedirectMode,
    /// For [`RedirectMode::Loopback`] when the client has no loopback redirect URI: add
    /// one for this try and remove it afterwards — two updates at the provider, journalled
    /// like any other. A shell asks the user before setting this.
    pub add_loopback: bool,
}

impl Default for AuthorizationOptions {
    fn default() -> Self {
        Self {
            scope: None,
            prompt: None,
            acr_values: None,
            login_hint: None,
            resource: Vec::new(),
            extra: Vec::new(),
            redirect: RedirectMode::Loopback,
            add_loopback: false,
        }
    }
}

/// An authorization request sent to the user, waiting for its answer.
pub struct PendingAuthorization {
    session: TrySession,
    url: Url,
    redirect_uri: String,
    state: String,
    pkce: Pkce,
    listener: Option<LoopbackListener>,
    mark: i64,
    /// A redirect URI added for this try, to remove when it ends.
    added_redirect: Option<String>,
}

impl std::fmt::Debug for PendingAuthorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingAuthorization")
            .field("url", &self.url.as_str())
            .field("redirect_uri", &self.redirect_uri)
            .field("listening", &self.listener.is_some())
            .finish_non_exhaustive()
    }
}

impl PendingAuthorization {
    /// The URL to open in the browser (show it first: the user may open it elsewhere).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The redirect URI the request names.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Whether Registrar listens for the redirect (else the user pastes it).
    pub fn listens(&self) -> bool {
        self.listener.is_some()
    }

    /// The redirect URI added to the client for this try, removed when it ends.
    pub fn added_redirect(&self) -> Option<&str> {
        self.added_redirect.as_deref()
    }

    /// Waits for the browser to come back to the loopback listener, at most `timeout`;
    /// the listener is closed when this returns, whatever the result. Dropping the future
    /// (Ctrl-C, a closed window) closes it too.
    pub async fn wait_for_redirect(&mut self, timeout: Duration) -> Result<Url> {
        let listener = self.listener.take().ok_or_else(|| {
            Error::config(
                "redirect_uri",
                "is not a loopback address Registrar listens on: paste the final URL instead",
            )
        })?;
        listener.wait(timeout).await.map_err(|e| Error::Network {
            url: self.redirect_uri.clone(),
            detail: e.to_string(),
            maybe_applied: false,
        })
    }
}

impl Registrar {
    /// Builds the authorization request (fresh `state`, `nonce` and PKCE verifier) and,
    /// for [`RedirectMode::Loopback`], starts listening on the registered loopback
    /// redirect URI's port. Nothing is sent to the provider yet.
    pub async fn authorization_begin(
        &self,
        target: &TryTarget,
        options: AuthorizationOptions,
    ) -> Result<PendingAuthorization> {
        if target.grant != TryGrant::AuthorizationCode {
            return Err(Error::config(
                "grant",
                "authorization_begin is for the authorization code grant",
            ));
        }
        let endpoint = target.provider.require(Endpoint::Authorization)?.clone();
        let registered = target.registration.metadata_returned.redirect_uris();
        let mut added_redirect = None;
        let has_loopback = registered.iter().any(|u| loopback(u).is_some());
        let (redirect_uri, listener) = match &options.redirect {
            RedirectMode::Loopback if !has_loopback && options.add_loopback => {
                let listener = LoopbackListener::bind(None, crate::oauth::DEFAULT_CALLBACK_PATH)
                    .await
                    .map_err(|e| Error::Network {
                        url: "http://127.0.0.1".into(),
                        detail: e.to_string(),
                        maybe_applied: false,
                    })?;
                let uri = listener.redirect_uri();
                self.add_redirect(target, &uri).await?;
                added_redirect = Some(uri.clone());
                (uri, Some(listener))
            }
            RedirectMode::Loopback => {
                let chosen = registered
                    .iter()
                    .find_map(|u| loopback(u).map(|parts| (u.to_string(), parts)))
                    .ok_or_else(|| {
                        Error::config(
                            "redirect_uris",
                            format!(
                                "hold no loopback address ({}) for Registrar to listen on: let Registrar add one for the try, paste the final URL back instead, or register one such as http://127.0.0.1:8765/callback",
                                if registered.is_empty() { "none registered".to_string() } else { registered.join(", ") }
                            ),
                        )
                    })?;
                let (uri, (port, path)) = chosen;
                let listener = LoopbackListener::bind(port, &path).await.map_err(|e| Error::Network {
                    url: uri.clone(),
                    detail: e.to_string(),
                    maybe_applied: false,
                })?;
                // A registered URI without a port (RFC 8252 §7.3 lets the provider accept
                // any): send the one bound.
                let uri = if port.is_none() { listener.redirect_uri() } else { uri };
                (uri, Some(listener))
            }
            RedirectMode::Paste { redirect_uri } => {
                if !registered.contains(&redirect_uri.as_str()) {
                    return Err(Error::field(
                        "redirect_uri",
                        format!("{redirect_uri} is not one of the client's ({})", registered.join(", ")),
                    ));
                }
                (redirect_uri.clone(), None)
            }
        };
        let pkce = Pkce::new_s256();
        let mut request = AuthorizationRequest::new(endpoint, &target.registration.client_id, &redirect_uri, &pkce);
        let openid = target.provider.jwks_uri.is_some() || target.provider.userinfo_endpoint.is_some();
        request.scope = options.scope.clone().or_else(|| openid.then(|| "openid".to_string()));
        if !request
            .scope
            .as_deref()
            .unwrap_or_default()
            .split(' ')
            .any(|s| s == "openid")
        {
            // Without openid there is no ID token, so no nonce to check.
            request.nonce = None;
        }
        request.prompt = options.prompt;
        request.acr_values = options.acr_values;
        request.login_hint = options.login_hint;
        request.resource = options.resource;
        request.extra = options.extra;
        let url = request.url()?;
        let session = TrySession::new(target, request.nonce.clone())?;
        let mark = self.exchanges_mark(&session);
        Ok(PendingAuthorization {
            session,
            url,
            redirect_uri,
            state: request.state,
            pkce,
            listener,
            mark,
            added_redirect,
        })
    }

    /// Ends an authorization that will not be finished: stops listening and removes a
    /// redirect URI added for it.
    pub async fn authorization_cancel(&self, pending: PendingAuthorization) -> Result<()> {
        match &pending.added_redirect {
            Some(uri) => self.remove_redirect(&pending.session, uri).await,
            None => Ok(()),
        }
    }

    async fn add_redirect(&self, target: &TryTarget, uri: &str) -> Result<()> {
        self.edit_redirects(&target.profile.id, &target.registration.client_id, uri, true)
            .await
    }

    async fn remove_redirect(&self, session: &TrySession, uri: &str) -> Result<()> {
        self.edit_redirects(&session.profile.id, &session.client_id, uri, false)
            .await
    }

    /// Adds `uri` to the client's redirect URIs at the provider, or removes it: an update
    /// of the client as stored now, journalled like any other.
    async fn edit_redirects(&self, profile: &crate::ProfileId, client_id: &str, uri: &str, add: bool) -> Result<()> {
        let stored = self.store.registration(profile, client_id)?;
        let mut desired = stored.metadata_returned.without_secrets();
        let mut uris: Vec<String> = desired.redirect_uris().into_iter().map(str::to_string).collect();
        uris.retain(|u| u != uri);
        if add {
            uris.push(uri.to_string());
        }
        desired.set("redirect_uris", serde_json::json!(uris));
        self.update(profile, client_id, desired).await.map(|_| ())
    }

    /// Checks the redirect the browser came back with (`state`, `iss`, an error such as
    /// `access_denied`), exchanges the code with the PKCE verifier, and explains the tokens.
    /// A redirect URI added for the try is removed afterwards, whatever the outcome; if
    /// that fails, the report's warnings say so.
    pub async fn authorization_finish(&self, pending: PendingAuthorization, callback: &Url) -> Result<TryOutcome> {
        let added = pending.added_redirect.clone();
        let session = pending.session.clone();
        let result = self.exchange_callback(pending, callback).await;
        let Some(uri) = added else { return result };
        let removed = self.remove_redirect(&session, &uri).await;
        match (result, removed) {
            (Ok(mut outcome), Err(e)) => {
                outcome.report.warnings.push(format!(
                    "the redirect URI {uri} added for this try could not be removed ({e}); remove it with an update"
                ));
                Ok(outcome)
            }
            (result, _) => result,
        }
    }

    async fn exchange_callback(&self, pending: PendingAuthorization, callback: &Url) -> Result<TryOutcome> {
        let PendingAuthorization {
            mut session,
            redirect_uri,
            state,
            pkce,
            mark,
            ..
        } = pending;
        let code = parse_callback(
            callback,
            &state,
            session.issuer.as_deref(),
            session.provider.authorization_response_iss_parameter_supported,
        )
        .map_err(|e| match e {
            crate::oauth::CallbackError::ProviderError { error, description, .. } => Error::Provider {
                status: 0,
                code: Some(error),
                description: Some(format!(
                    "the authorization endpoint redirected with this error{}",
                    description.map(|d| format!(": {d}")).unwrap_or_default()
                )),
                field: None,
            },
            other => Error::InvalidResponse(other.to_string()),
        })?;
        let client = self.session_client(&session)?;
        let tokens = client
            .exchange_code(&session.token_endpoint, &code, &redirect_uri, &pkce.verifier)
            .await?;
        let report = self
            .report(
                &mut session,
                "authorization_code",
                &tokens,
                Some(code.secret().expose()),
                mark,
            )
            .await?;
        session.tokens = Some(tokens);
        Ok(TryOutcome { session, report })
    }
}

/// The port (when given) and path of a loopback redirect URI; `None` for any other.
fn loopback(uri: &str) -> Option<(Option<u16>, String)> {
    let url = Url::parse(uri).ok()?;
    let host = url.host_str()?;
    if url.scheme() != "http" || !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
        return None;
    }
    // The listener binds 127.0.0.1: a browser resolving `localhost` to ::1 first still
    // falls back to it, and `[::1]` redirects are rare enough to refuse clearly below.
    if host == "[::1]" {
        return None;
    }
    Some((url.port(), url.path().to_string()))
}

#[cfg(test)]
mod tests {
    use super::loopback;

    #[test]
    fn only_plain_http_loopback_addresses_are_listened_on() {
        assert_eq!(
            loopback("http://127.0.0.1:8765/callback"),
            Some((Some(8765), "/callback".into()))
        );
        assert_eq!(loopback("http://localhost/cb"), Some((None, "/cb".into())));
        assert_eq!(loopback("https://127.0.0.1:8765/callback"), None);
        assert_eq!(loopback("https://app.example/cb"), None);
        assert_eq!(loopback("com.example.app:/cb"), None);
    }
}
