//! A profile describes one OpenID Provider: where it registers clients, how registration
//! and management authenticate, how its API bends the RFCs (the engine settings, filled
//! from a preset), and how to reach it (TLS, timeouts). Secrets are not part of it: they
//! live in the keychain under keys derived from the profile's id.

mod bound_resource;
mod id;
mod kind;
mod local_mock;
mod settings;
mod transport_options;
mod vendor_fields;
mod vendor_presets;

pub use bound_resource::{BoundResource, ResourceProtocol};
pub use id::ProfileId;
pub use kind::ProviderKind;
pub use local_mock::LocalProvider;
pub use settings::{EngineSettings, Operation, Operations, TokenAuthMethod, UpdateSecret};
pub use transport_options::{Timeouts, TlsOptions};
pub use vendor_fields::{vendor_fields, VendorField, VendorFieldType};

use crate::metadata::FieldError;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use url::Url;

/// One provider as Registrar talks to it: endpoints, authentication, engine settings and
/// transport options. Holds no secret ([`ProfileSecrets`] go to the keychain).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Profile {
    /// Stable id; keychain entries are keyed by it, so renaming keeps secrets.
    pub id: ProfileId,
    /// What the user calls it; unique among profiles, not empty, and free to change.
    pub name: String,
    /// The product it is, which chose the preset its settings started from.
    pub kind: ProviderKind,
    /// The OpenID issuer, for discovery and the probe; `None` when unknown.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Where clients are registered (RFC 7591 §3); https, or http on a loopback host only.
    pub registration_endpoint: String,
    /// Where `client_credentials` tokens come from: for registration auth and for trying a client.
    #[serde(default)]
    pub token_endpoint: Option<String>,
    /// How a registration request is authorised.
    pub registration_auth: RegistrationAuth,
    /// How read, update and delete are authorised.
    pub management_auth: ManagementAuth,
    /// How this provider departs from the RFCs, from the kind's preset and then edited.
    pub settings: EngineSettings,
    /// Parameters a provider needs that no RFC names (WSO2's `userId`, `applicationName`);
    /// they override the preset's templates.
    #[serde(default)]
    pub extra_params: BTreeMap<String, String>,
    /// Extra CA certificates, and unchecked TLS for loopback hosts only.
    #[serde(default)]
    pub tls: TlsOptions,
    /// How long to wait for the provider.
    #[serde(default)]
    pub timeouts: Timeouts,
    /// Signed requests, software statements and FAPI rules (keys are in custody).
    #[serde(default)]
    pub signing: SigningSettings,
    /// The protected resource (an MCP server) the profile was discovered from, if any.
    #[serde(default)]
    pub resource: Option<BoundResource>,
}

/// How a profile signs what it sends, and what it includes, as Open Banking and FAPI
/// providers ask (issue 17).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct SigningSettings {
    /// Send registration and update requests as a JWS signed with this key (its `kid`),
    /// `Content-Type: application/jwt` (Open Banking UK DCR); `None` sends JSON.
    pub request_signing_key: Option<String>,
    /// The `aud` of signed requests; the profile's issuer when `None`.
    pub request_audience: Option<String>,
    /// The software statement (by label) every registration carries, unless the metadata
    /// has its own; checked for expiry before anything is sent.
    pub software_statement: Option<String>,
    /// FAPI rules: keys and signing algorithms limited to PS256 and ES256.
    pub fapi: bool,
}

/// How a registration request proves it may register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum RegistrationAuth {
    /// Open registration.
    None,
    /// An initial access token (RFC 7591 section 3), sent with the profile's scheme.
    InitialAccessToken,
    /// HTTP Basic with an administrator's user name; the password is in the keychain.
    Basic {
        /// The administrator's user name; must not be empty.
        username: String,
    },
    /// A token obtained first with `client_credentials` at the token endpoint.
    ClientCredentials {
        /// The client that gets the token; its secret is in the keychain. Must not be empty.
        client_id: String,
        /// The scope to ask for (SimpleIdServer's `register`); `None` asks for none.
        #[serde(default)]
        scope: Option<String>,
    },
}

/// How read, update and delete authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum ManagementAuth {
    /// The registration access token the provider issued for the client (RFC 7592).
    RegistrationAccessToken,
    /// The profile's own registration credentials, whichever they are: Basic admin
    /// (Liberty, WSO2), an API or initial access token (Okta's `SSWS` token), or a token
    /// got with `client_credentials`. They only ever go to the registration endpoint's host.
    AdminCredentials,
}

/// The profile's secrets, as entered; stored in the keychain, never with the profile.
#[derive(Debug, Clone, Default)]
pub struct ProfileSecrets {
    /// For [`RegistrationAuth::InitialAccessToken`]; `None` keeps what is stored.
    pub initial_access_token: Option<Secret>,
    /// For [`RegistrationAuth::Basic`]; `None` keeps what is stored.
    pub admin_password: Option<Secret>,
    /// For [`RegistrationAuth::ClientCredentials`]; `None` keeps what is stored.
    pub client_credentials_secret: Option<Secret>,
}

impl Profile {
    /// A profile for `kind`, with its preset and a fresh id.
    pub fn new(name: impl Into<String>, kind: ProviderKind, registration_endpoint: impl Into<String>) -> Self {
        let preset = kind.preset();
        Self {
            id: ProfileId::generate(),
            name: name.into(),
            kind,
            issuer: None,
            registration_endpoint: registration_endpoint.into(),
            token_endpoint: None,
            registration_auth: preset.registration_auth,
            management_auth: preset.management_auth,
            settings: preset.settings,
            extra_params: BTreeMap::new(),
            tls: TlsOptions::default(),
            timeouts: Timeouts::default(),
            signing: SigningSettings {
                fapi: kind == ProviderKind::OpenBanking,
                ..SigningSettings::default()
            },
            resource: None,
        }
    }

    /// The metadata rules for this profile: its provider's, with FAPI's and the software
    /// statement's from its signing settings.
    pub fn validation_rules(&self) -> crate::metadata::ValidationRules {
        crate::metadata::ValidationRules {
            fapi: self.signing.fapi,
            statement_supplies_keys: self.signing.software_statement.is_some(),
            ..self.settings.validation
        }
    }

    /// The administrator user name, when the profile has one.
    pub fn admin_username(&self) -> Option<&str> {
        match &self.registration_auth {
            RegistrationAuth::Basic { username } => Some(username),
            _ => None,
        }
    }

    /// Every problem with the profile's settings; empty when it can be used.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.name.trim().is_empty() {
            errors.push(FieldError::new("name", "must not be empty"));
        }
        match check_endpoint(&self.registration_endpoint) {
            Ok(url) => {
                if self.tls.accept_invalid_certificates && !is_loopback_host(&url) {
                    errors.push(FieldError::new(
                        "tls.accept_invalid_certificates",
                        "is only allowed for loopback hosts (127.0.0.1, ::1, localhost); add the provider's CA certificate instead",
                    ));
                }
            }
            Err(message) => errors.push(FieldError::new("registration_endpoint", message)),
        }
        for (field, value) in [
            ("issuer", &self.issuer),
            ("token_endpoint", &self.token_endpoint),
            ("settings.list_endpoint", &self.settings.list_endpoint),
        ] {
            if let Some(value) = value {
                match check_endpoint(value) {
                    Err(message) => errors.push(FieldError::new(field, message)),
                    // Every host the profile talks to must be loopback for unchecked TLS.
                    Ok(url) if self.tls.accept_invalid_certificates && !is_loopback_host(&url) => {
                        errors.push(FieldError::new(
                            "tls.accept_invalid_certificates",
                            format!("is only allowed when every host is loopback, and {field} is {value}"),
                        ));
                    }
                    Ok(_) => {}
                }
            }
        }
        for (field, scheme) in [
            ("settings.registration_scheme", &self.settings.registration_scheme),
            ("settings.management_scheme", &self.settings.management_scheme),
        ] {
            if !is_token(scheme) {
                errors.push(FieldError::new(
                    field,
                    format!("{scheme:?} is not an HTTP authentication scheme: one word of letters, digits and !#$%&'*+-.^_`|~ (RFC 7235), such as Bearer"),
                ));
            }
        }
        match &self.registration_auth {
            RegistrationAuth::Basic { username } if username.trim().is_empty() => {
                errors.push(FieldError::new("registration_auth.username", "must not be empty"));
            }
            RegistrationAuth::ClientCredentials { client_id, .. } => {
                if client_id.trim().is_empty() {
                    errors.push(FieldError::new("registration_auth.client_id", "must not be empty"));
                }
                if self.token_endpoint.is_none() {
                    errors.push(FieldError::new(
                        "token_endpoint",
                        "is needed to get a registration token with client_credentials",
                    ));
                }
            }
            _ => {}
        }
        if self.management_auth == ManagementAuth::AdminCredentials && self.registration_auth == RegistrationAuth::None
        {
            errors.push(FieldError::new(
                "management_auth",
                "uses the profile's own credentials, but registration is open and has none; choose how registration authenticates",
            ));
        }
        errors
    }
}

/// An endpoint must be an absolute https URL; plain http only reaches loopback hosts, so
/// credentials never cross a network in clear text.
fn check_endpoint(raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|e| format!("is not an absolute URL ({e})"))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback_host(&url) => Ok(url),
        "http" => Err("must use https (plain http is only allowed for loopback hosts)".into()),
        other => Err(format!("must be an https URL, not {other}:")),
    }
}

/// RFC 7230's `token` (1*tchar), which RFC 7235 makes an auth scheme: no spaces, quotes,
/// parentheses or control characters, so a scheme can never carry a second header value
/// or shell syntax such as `$(...)` (generated scripts quote it as data all the same).
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

pub(crate) fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_give_usable_defaults_and_checks_catch_mistakes() {
        let mut p = Profile::new(
            "wso2",
            ProviderKind::Wso2,
            "https://is.example/identity/connect/register",
        );
        assert_eq!(
            p.check().iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            vec!["registration_auth.username"]
        );
        p.registration_auth = RegistrationAuth::Basic {
            username: "admin".into(),
        };
        assert!(p.check().is_empty());
        p.registration_endpoint = "http://is.example/register".into();
        p.tls.accept_invalid_certificates = true;
        assert_eq!(p.check().len(), 1, "{:?}", p.check());
        p.registration_endpoint = "https://is.example/register".into();
        assert_eq!(p.check()[0].field, "tls.accept_invalid_certificates");
        p.registration_endpoint = "https://127.0.0.1:9443/register".into();
        assert!(p.check().is_empty());
        p.token_endpoint = Some("https://idp.example.org/token".into());
        assert_eq!(
            p.check()[0].field,
            "tls.accept_invalid_certificates",
            "every host counts"
        );
    }

    #[test]
    fn authentication_schemes_are_single_tokens() {
        let mut p = Profile::new("p", ProviderKind::Generic, "https://op.example/register");
        for ok in ["Bearer", "SSWS", "DPoP", "token"] {
            p.settings.management_scheme = ok.into();
            assert!(p.check().is_empty(), "{ok}");
        }
        for bad in [
            "",
            "Bearer x",
            "$(touch /tmp/pwned)",
            "a\"b",
            "Bearer\r\nX-Evil: 1",
            "(x)",
        ] {
            p.settings.management_scheme = bad.into();
            let fields: Vec<_> = p.check().into_iter().map(|e| e.field).collect();
            assert_eq!(fields, vec!["settings.management_scheme"], "{bad:?}");
        }
    }
}
