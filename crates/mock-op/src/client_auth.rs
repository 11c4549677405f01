//! Who is calling the token, device authorization, introspection and revocation endpoints
//! (RFC 6749 §2.3): a confidential client by its secret, in an HTTP Basic header or in the
//! form (either is accepted whichever the client registered, as most providers do, so a
//! client that picks the other one still gets through); a public client
//! (`token_endpoint_auth_method: none`) by its `client_id` alone; any client that registered
//! keys by `private_key_jwt` ([`crate::client_assertion`]). The openbanking dialect has its
//! own rules (mutual TLS, no secrets), in its module.

use http::HeaderMap;
use serde_json::Value;

use crate::error::ApiError;
use crate::state::Shared;
use crate::store::ClientRecord;
use crate::tls::PeerCertificate;
use crate::{auth, client_assertion, dialects, secret, Dialect};

const REALM: &str = r#"Basic realm="token""#;

/// An authenticated (or, if public, identified) client.
#[derive(Debug)]
pub(crate) struct Client {
    pub(crate) id: String,
    pub(crate) public: bool,
    /// Its grant types (RFC 7591's default `authorization_code` if it registered none).
    pub(crate) grant_types: Vec<String>,
    /// `None`: any scope.
    pub(crate) allowed_scope: Option<String>,
    pub(crate) name: String,
    pub(crate) redirect_uris: Vec<String>,
    /// SimpleIdServer's built-in registering client, whose tokens unlock registration.
    pub(crate) registrar: bool,
    /// RFC 8705 §3: the `x5t#S256` of the client certificate of the request, which the
    /// access tokens issued to it are bound to.
    pub(crate) bound_to: Option<String>,
}

impl Client {
    pub(crate) fn may_use(&self, grant_type: &str) -> bool {
        self.grant_types.iter().any(|g| g == grant_type)
    }
}

/// The first value of a form field.
pub(crate) fn field<'f>(form: &'f [(String, String)], name: &str) -> Option<&'f str> {
    form.iter().find(|(key, _)| key == name).map(|(_, v)| v.as_str())
}

/// Authenticates the caller of an endpoint that takes client credentials; `peer` is the
/// certificate of the connection (mutual TLS), if it presented one.
pub(crate) async fn authenticate(
    shared: &Shared,
    headers: &HeaderMap,
    form: &[(String, String)],
    peer: Option<&PeerCertificate>,
) -> Result<Client, ApiError> {
    let mut client = if shared.dialect == Dialect::OpenBanking {
        dialects::openbanking::authenticate_client(shared, headers, form, peer).await?
    } else if client_assertion::present(form) {
        let id = client_assertion::verify(shared, form, client_assertion::ANY_ASYMMETRIC).await?;
        lookup(shared, &id).ok_or_else(|| ApiError::invalid_client(None))?
    } else {
        by_secret(shared, headers, form)?
    };
    client.bound_to = peer.map(PeerCertificate::thumbprint);
    Ok(client)
}

/// A client by its secret (Basic or form), or a public one by its id.
fn by_secret(shared: &Shared, headers: &HeaderMap, form: &[(String, String)]) -> Result<Client, ApiError> {
    let basic = auth::basic(headers);
    let challenge = basic.is_some().then_some(REALM);
    let refused = || ApiError::invalid_client(challenge);
    let (client_id, client_secret) = match &basic {
        Some(basic) => (decode(&basic.user), Some(basic.password.clone())),
        None => (
            field(form, "client_id").unwrap_or_default().to_owned(),
            field(form, "client_secret").map(str::to_owned),
        ),
    };
    if client_id.is_empty() {
        return Err(refused());
    }
    let creds = &shared.credentials;
    if let (Some(id), Some(expected)) = (&creds.registrar_client_id, &creds.registrar_client_secret) {
        if client_id == *id {
            let ok = client_secret.as_deref().is_some_and(|s| matches_secret(s, expected));
            return ok
                .then(|| Client {
                    id: client_id.clone(),
                    public: false,
                    grant_types: vec!["client_credentials".into()],
                    allowed_scope: Some(creds.registration_scope.clone().unwrap_or_else(|| "register".into())),
                    name: client_id.clone(),
                    redirect_uris: Vec::new(),
                    registrar: true,
                    bound_to: None,
                })
                .ok_or_else(refused);
        }
    }
    let client = shared.store.read(&client_id, |record| {
        let client = describe(&client_id, record);
        let secret_ok = match (client.public, client_secret.as_deref(), record.secret()) {
            (true, _, _) => true,
            (false, Some(presented), Some(expected)) => matches_secret(presented, &expected),
            (false, _, _) => false,
        };
        secret_ok.then_some(client)
    });
    client.flatten().ok_or_else(refused)
}

/// A registered client by id, without authentication: at the authorization endpoint the
/// browser, not the client, is calling.
pub(crate) fn lookup(shared: &Shared, client_id: &str) -> Option<Client> {
    shared.store.read(client_id, |record| describe(client_id, record))
}

pub(crate) fn describe(client_id: &str, record: &ClientRecord) -> Client {
    let meta = record.metadata();
    let strings = |key: &str| -> Option<Vec<String>> {
        meta.get(key)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
    };
    Client {
        id: client_id.to_owned(),
        public: meta.get("token_endpoint_auth_method").and_then(Value::as_str) == Some("none"),
        grant_types: strings("grant_types").unwrap_or_else(|| vec!["authorization_code".into()]),
        allowed_scope: meta
            .get("scope")
            .and_then(Value::as_str)
            .filter(|s| *s != "ALL_SCOPES")
            .map(str::to_owned),
        name: meta
            .get("client_name")
            .and_then(Value::as_str)
            .unwrap_or(client_id)
            .to_owned(),
        redirect_uris: strings("redirect_uris").unwrap_or_default(),
        registrar: false,
        bound_to: None,
    }
}

/// RFC 6749 §2.3.1 wants Basic credentials form-encoded, and many clients skip that; both
/// spellings are accepted.
fn matches_secret(presented: &str, expected: &str) -> bool {
    if secret::same(presented, expected) {
        return true;
    }
    let decoded = decode(presented);
    decoded != presented && secret::same(&decoded, expected)
}

fn decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("s={text}").as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

/// The requested scopes the client may have; all it may have if it asked for none.
pub(crate) fn narrow_scope(requested: Option<&str>, allowed: Option<&str>) -> String {
    let requested: Vec<&str> = match requested {
        Some(requested) => requested.split_whitespace().collect(),
        None => return allowed.unwrap_or("openid").to_owned(),
    };
    match allowed {
        None => requested.join(" "),
        Some(allowed) => {
            let allowed: Vec<&str> = allowed.split_whitespace().collect();
            requested
                .into_iter()
                .filter(|s| allowed.contains(s))
                .collect::<Vec<_>>()
                .join(" ")
        }
    }
}
