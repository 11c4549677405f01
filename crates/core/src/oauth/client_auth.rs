//! How the client proves who it is at the token, device authorization, introspection and
//! revocation endpoints (RFC 6749 §2.3, RFC 7523 §2.2, RFC 8705 §2), and which way a
//! registration's `token_endpoint_auth_method` asks for.
//!
//! Secrets come from the keychain ([`AuthMethod::client_auth`]); `private_key_jwt` and
//! mutual TLS from keys and certificates in custody (`Registrar::key_client_auth`): a
//! [`ClientAssertionSigner`] signs a fresh assertion per request, and a
//! [`ClientIdentity`] makes the transport present the client's certificate.

use crate::custody::ClientIdentity;
use crate::error::Result;
use crate::secret::Secret;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// Makes the signed JWT a client presents as `client_assertion` (RFC 7523 §2.2): `iss` and
/// `sub` the client id, `aud` the endpoint, a fresh `jti` and short `exp` each time.
pub trait ClientAssertionSigner: Send + Sync + fmt::Debug {
    /// A new assertion for `client_id` to present at `audience` (the endpoint's URL).
    fn assertion(&self, client_id: &str, audience: &str) -> Result<Secret>;
}

/// The `client_assertion_type` of a JWT assertion (RFC 7523 §2.2).
pub const JWT_BEARER_ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Puts `assertion` in a form request as `client_assertion` with its type (RFC 7523 §2.2),
/// replacing any there.
pub fn add_client_assertion(request: &mut crate::http::HttpRequest, assertion: &Secret) {
    let mut form: Vec<(String, String)> = url::form_urlencoded::parse(request.body.as_deref().unwrap_or_default())
        .into_owned()
        .filter(|(k, _)| k != "client_assertion" && k != "client_assertion_type")
        .collect();
    form.push(("client_assertion_type".into(), JWT_BEARER_ASSERTION.into()));
    form.push(("client_assertion".into(), assertion.expose().to_string()));
    request.body = Some(
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish()
            .into_bytes(),
    );
}

/// How the client authenticates.
#[derive(Clone)]
pub enum ClientAuth {
    /// `client_secret_basic`: HTTP Basic with the id and secret, each form-urlencoded first.
    SecretBasic {
        /// The client secret.
        secret: Secret,
    },
    /// `client_secret_post`: `client_id` and `client_secret` in the form.
    SecretPost {
        /// The client secret.
        secret: Secret,
    },
    /// `none`: a public client, known by `client_id` in the form alone; PKCE is required.
    None,
    /// `private_key_jwt`: `client_id`, `client_assertion` (made fresh for every request,
    /// device polls included) and `client_assertion_type` in the form.
    PrivateKeyJwt(Arc<dyn ClientAssertionSigner>),
    /// `tls_client_auth` / `self_signed_tls_client_auth`: the transport presents the
    /// client's certificate; the form carries `client_id`.
    TlsClientAuth {
        /// The certificate and key presented.
        identity: Arc<ClientIdentity>,
        /// `self_signed_tls_client_auth` rather than `tls_client_auth`.
        self_signed: bool,
    },
}

impl ClientAuth {
    /// The method's registered name.
    pub fn method(&self) -> AuthMethod {
        match self {
            ClientAuth::SecretBasic { .. } => AuthMethod::ClientSecretBasic,
            ClientAuth::SecretPost { .. } => AuthMethod::ClientSecretPost,
            ClientAuth::None => AuthMethod::None,
            ClientAuth::PrivateKeyJwt(_) => AuthMethod::PrivateKeyJwt,
            ClientAuth::TlsClientAuth { self_signed: false, .. } => AuthMethod::TlsClientAuth,
            ClientAuth::TlsClientAuth { self_signed: true, .. } => AuthMethod::SelfSignedTlsClientAuth,
        }
    }

    /// Whether the client is public (no credential of its own).
    pub fn is_public(&self) -> bool {
        matches!(self, ClientAuth::None)
    }

    /// The secret it sends, if it sends one.
    pub fn secret(&self) -> Option<&Secret> {
        match self {
            ClientAuth::SecretBasic { secret } | ClientAuth::SecretPost { secret } => Some(secret),
            _ => None,
        }
    }
}

impl fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.method().as_str())
    }
}

/// A registered `token_endpoint_auth_method`, as Registrar knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum AuthMethod {
    /// `client_secret_basic` (the default when none is registered, RFC 7591 §2).
    ClientSecretBasic,
    /// `client_secret_post`.
    ClientSecretPost,
    /// `none`.
    None,
    /// `client_secret_jwt` (RFC 7523 with an HMAC over the secret).
    ClientSecretJwt,
    /// `private_key_jwt`.
    PrivateKeyJwt,
    /// `tls_client_auth` (RFC 8705, a PKI certificate).
    TlsClientAuth,
    /// `self_signed_tls_client_auth` (RFC 8705, a certificate registered in the client's JWKS).
    SelfSignedTlsClientAuth,
}

impl AuthMethod {
    /// The method a registration asks for: its `token_endpoint_auth_method`, or
    /// `client_secret_basic` when it has none.
    pub fn from_registered(method: Option<&str>) -> Result<Self, ClientAuthError> {
        Ok(match method.map(str::trim).unwrap_or("client_secret_basic") {
            "" | "client_secret_basic" => AuthMethod::ClientSecretBasic,
            "client_secret_post" => AuthMethod::ClientSecretPost,
            "none" => AuthMethod::None,
            "client_secret_jwt" => AuthMethod::ClientSecretJwt,
            "private_key_jwt" => AuthMethod::PrivateKeyJwt,
            "tls_client_auth" => AuthMethod::TlsClientAuth,
            "self_signed_tls_client_auth" => AuthMethod::SelfSignedTlsClientAuth,
            other => {
                return Err(ClientAuthError::Unknown {
                    method: other.to_string(),
                })
            }
        })
    }

    /// The registered name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::ClientSecretBasic => "client_secret_basic",
            AuthMethod::ClientSecretPost => "client_secret_post",
            AuthMethod::None => "none",
            AuthMethod::ClientSecretJwt => "client_secret_jwt",
            AuthMethod::PrivateKeyJwt => "private_key_jwt",
            AuthMethod::TlsClientAuth => "tls_client_auth",
            AuthMethod::SelfSignedTlsClientAuth => "self_signed_tls_client_auth",
        }
    }

    /// Whether it is performed with a key or certificate in custody.
    pub fn needs_key(self) -> bool {
        matches!(
            self,
            AuthMethod::PrivateKeyJwt | AuthMethod::TlsClientAuth | AuthMethod::SelfSignedTlsClientAuth
        )
    }

    /// Whether the client authenticates with its certificate (RFC 8705), so the provider's
    /// `mtls_endpoint_aliases` apply.
    pub fn is_mutual_tls(self) -> bool {
        matches!(self, AuthMethod::TlsClientAuth | AuthMethod::SelfSignedTlsClientAuth)
    }

    /// Whether it needs the client secret.
    pub fn needs_secret(self) -> bool {
        matches!(
            self,
            AuthMethod::ClientSecretBasic | AuthMethod::ClientSecretPost | AuthMethod::ClientSecretJwt
        )
    }

    /// The [`ClientAuth`] for this method, given the client's stored secret: an error for
    /// a method that needs a key or certificate (see `Registrar::key_client_auth`) or one
    /// Registrar cannot perform (`client_secret_jwt`), or a secret that is needed and missing.
    pub fn client_auth(self, secret: Option<Secret>) -> Result<ClientAuth, ClientAuthError> {
        let needed = |secret: Option<Secret>| {
            secret
                .filter(|s| !s.is_empty())
                .ok_or(ClientAuthError::MissingSecret { method: self })
        };
        match self {
            AuthMethod::ClientSecretBasic => Ok(ClientAuth::SecretBasic {
                secret: needed(secret)?,
            }),
            AuthMethod::ClientSecretPost => Ok(ClientAuth::SecretPost {
                secret: needed(secret)?,
            }),
            AuthMethod::None => Ok(ClientAuth::None),
            AuthMethod::ClientSecretJwt
            | AuthMethod::PrivateKeyJwt
            | AuthMethod::TlsClientAuth
            | AuthMethod::SelfSignedTlsClientAuth => Err(ClientAuthError::NotYetSupported { method: self }),
        }
    }
}

/// Why the client cannot authenticate the way it is registered to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientAuthError {
    /// A method that needs what this call was not given (a key or certificate), or one
    /// Registrar does not perform (`client_secret_jwt`).
    #[error("the client authenticates with {}, which {}", .method.as_str(), if .method.needs_key() { "needs a key or certificate in Registrar's custody" } else { "Registrar does not perform; client_secret_basic, client_secret_post, none, private_key_jwt and the mutual TLS methods can be tried" })]
    NotYetSupported {
        /// The registered method.
        method: AuthMethod,
    },
    /// A method no specification Registrar knows defines.
    #[error("the client's token_endpoint_auth_method {method:?} is not one Registrar knows")]
    Unknown {
        /// The registered value.
        method: String,
    },
    /// The method needs the client secret and none is stored.
    #[error("the client authenticates with {} but no client secret is stored for it", .method.as_str())]
    MissingSecret {
        /// The registered method.
        method: AuthMethod,
    },
}

impl From<ClientAuthError> for crate::Error {
    fn from(e: ClientAuthError) -> Self {
        match e {
            ClientAuthError::MissingSecret { .. } => crate::Error::config("client_secret", e.to_string()),
            _ => crate::Error::Unsupported {
                operation: "trying the client".into(),
                provider: e.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_methods_map_to_what_is_needed() {
        assert_eq!(AuthMethod::from_registered(None), Ok(AuthMethod::ClientSecretBasic));
        assert_eq!(
            AuthMethod::from_registered(Some("client_secret_post")),
            Ok(AuthMethod::ClientSecretPost)
        );
        let s = || Some(Secret::new("s3cret"));
        assert!(matches!(
            AuthMethod::ClientSecretBasic.client_auth(s()),
            Ok(ClientAuth::SecretBasic { .. })
        ));
        assert!(matches!(AuthMethod::None.client_auth(None), Ok(ClientAuth::None)));
        assert_eq!(
            AuthMethod::ClientSecretPost.client_auth(None).unwrap_err(),
            ClientAuthError::MissingSecret {
                method: AuthMethod::ClientSecretPost
            }
        );
        for method in [
            "private_key_jwt",
            "tls_client_auth",
            "self_signed_tls_client_auth",
            "client_secret_jwt",
        ] {
            let m = AuthMethod::from_registered(Some(method)).unwrap();
            assert_eq!(m.as_str(), method);
            let e = m.client_auth(s()).unwrap_err();
            assert!(matches!(e, ClientAuthError::NotYetSupported { .. }), "{method}");
            assert!(e.to_string().contains(method), "{e}");
        }
        assert!(matches!(
            AuthMethod::from_registered(Some("magic")),
            Err(ClientAuthError::Unknown { .. })
        ));
    }

    #[test]
    fn the_debug_form_names_the_method_and_never_the_secret() {
        let auth = ClientAuth::SecretPost {
            secret: Secret::new("top-secret-value"),
        };
        assert_eq!(format!("{auth:?}"), "client_secret_post");
    }
}
