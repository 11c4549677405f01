//! The engine's settings: everything in which providers differ that is data, not code.
//! A provider outside the six presets (Keycloak, Curity, Okta...) is the generic preset
//! with a few of these changed.

use crate::metadata::ValidationRules;
use serde::{Deserialize, Serialize};

/// How a provider departs from RFC 7591/7592, as data: a kind's preset fills it, the user
/// may change any of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct EngineSettings {
    /// Which RFC 7592 operations the provider offers; the others are refused locally.
    pub operations: Operations,
    /// Where the client's management URL is when the provider returns no
    /// `registration_client_uri`: a reference relative to the registration endpoint, with
    /// `{client_id}` (WSO2: `../register/{client_id}`). A returned URI is always used verbatim.
    pub client_uri_template: Option<String>,
    /// Query parameters added to delete, as templates over `{client_id}`, `{client_name}`,
    /// `{username}` and the profile's extra parameters (WSO2: `userId`, `applicationName`).
    pub delete_query: Vec<(String, String)>,
    /// What update sends as `client_secret`.
    pub update_secret: UpdateSecret,
    /// The value a provider returns in place of a secret it will not show (Liberty: `*`).
    pub secret_mask: Option<String>,
    /// Send `If-Match` with the last ETag on update and delete.
    pub use_etag: bool,
    /// Authorization scheme for the initial access token (RFC 6750: `Bearer`).
    pub registration_scheme: String,
    /// Authorization scheme for the registration access token.
    pub management_scheme: String,
    /// How the client_credentials request authenticates at the token endpoint.
    pub token_auth: TokenAuthMethod,
    /// Where metadata validation relaxes for this provider (WSO2's redirect URIs...).
    pub validation: ValidationRules,
    /// Fields that change on their own (timestamps): never reported as drift.
    pub drift_ignore: Vec<String>,
    /// A URL that lists the provider's clients as JSON (an admin view), for orphans.
    pub list_endpoint: Option<String>,
    /// Hosts besides the registration endpoint's to which a client's registration access
    /// token may go (a `registration_client_uri` the provider names elsewhere). The user
    /// adds one after being asked; until then nothing is sent there.
    pub trusted_hosts: Vec<String>,
}

impl Default for EngineSettings {
    fn default() -> Self {
        Self {
            operations: Operations::all(),
            client_uri_template: None,
            delete_query: Vec::new(),
            update_secret: UpdateSecret::SendCurrent,
            secret_mask: None,
            use_etag: false,
            registration_scheme: "Bearer".into(),
            management_scheme: "Bearer".into(),
            token_auth: TokenAuthMethod::ClientSecretBasic,
            validation: ValidationRules::default(),
            drift_ignore: Vec::new(),
            list_endpoint: None,
            trusted_hosts: Vec::new(),
        }
    }
}

/// Which RFC 7592 operations a provider offers besides registration, which every one does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Operations {
    /// `GET` on the client's management URL (RFC 7592 §2.1).
    pub read: bool,
    /// `PUT` on the client's management URL (RFC 7592 §2.2).
    pub update: bool,
    /// `DELETE` on the client's management URL (RFC 7592 §2.3).
    pub delete: bool,
}

impl Operations {
    /// Read, update and delete: the RFC 7592 provider.
    pub const fn all() -> Self {
        Self {
            read: true,
            update: true,
            delete: true,
        }
    }

    /// Whether the provider offers `op`; registration is always offered.
    pub fn offers(&self, op: Operation) -> bool {
        match op {
            Operation::Register => true,
            Operation::Read => self.read,
            Operation::Update => self.update,
            Operation::Delete => self.delete,
        }
    }
}

impl Default for Operations {
    fn default() -> Self {
        Self::all()
    }
}

/// One call on a provider's registration API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum Operation {
    /// Registering a client (RFC 7591 §3).
    Register,
    /// Reading a client (RFC 7592 §2.1).
    Read,
    /// Replacing a client's metadata (RFC 7592 §2.2).
    Update,
    /// Deleting a client (RFC 7592 §2.3).
    Delete,
}

impl Operation {
    /// The operation's name, as serialised and shown in messages (`"update"`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Operation::Register => "register",
            Operation::Read => "read",
            Operation::Update => "update",
            Operation::Delete => "delete",
        }
    }
}

/// RFC 7592 section 2.2 lets update carry the current secret; Liberty wants `*` to keep it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum UpdateSecret {
    /// Send the current secret when it is known (it must match).
    SendCurrent,
    /// Send the profile's `secret_mask` to keep the secret unchanged.
    SendMask,
    /// Never send a secret.
    Omit,
}

/// How Registrar authenticates at a token endpoint as the profile's registering client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum), value(rename_all = "snake_case"))]
pub enum TokenAuthMethod {
    /// HTTP Basic (RFC 6749 §2.3.1), the default.
    ClientSecretBasic,
    /// The id and secret in the form body (RFC 6749 §2.3.1; SimpleIdServer).
    ClientSecretPost,
    /// A JWT assertion (RFC 7523) signed with the profile's key: its request signing key,
    /// else its newest active own key. No secret is stored.
    PrivateKeyJwt,
    /// The profile's client certificate (`tls.client_certificate`, RFC 8705); no secret.
    TlsClientAuth,
}

impl TokenAuthMethod {
    /// Whether the method sends the client secret.
    pub fn uses_secret(self) -> bool {
        matches!(
            self,
            TokenAuthMethod::ClientSecretBasic | TokenAuthMethod::ClientSecretPost
        )
    }
}
