//! A client's own credentials from custody: the key that signs its `private_key_jwt`
//! assertions, or the certificate it presents for `tls_client_auth` and
//! `self_signed_tls_client_auth`, each checked against what the provider advertises.

use super::assertion::StoredKeySigner;
use super::keys::{now, KeyRecord};
use crate::error::{Error, Result};
use crate::oauth::{AuthMethod, ClientAuth, ProviderMetadata};
use crate::ops::Registrar;
use crate::profile::Profile;
use std::sync::Arc;

impl Registrar {
    /// How `client_id` authenticates with `method`, which needs a key or a certificate:
    /// the newest active key bound to the client (for mutual TLS, one with a certificate,
    /// else the profile's own certificate). Refused, in words, when custody holds none, or
    /// when the provider lists assertion algorithms and the key's is not among them.
    pub(crate) fn key_client_auth(
        &self,
        profile: &Profile,
        client_id: &str,
        method: AuthMethod,
        provider: Option<&ProviderMetadata>,
    ) -> Result<ClientAuth> {
        let t = now();
        let mut keys: Vec<KeyRecord> = self
            .keys(&profile.id, Some(client_id))?
            .into_iter()
            .filter(|k| k.is_active(t))
            .collect();
        keys.reverse(); // newest first
        match method {
            AuthMethod::PrivateKeyJwt => {
                let key = keys.first().ok_or_else(|| {
                    Error::config(
                        "keys",
                        format!(
                            "client {client_id} authenticates with private_key_jwt, but Registrar holds no active key for it: generate or import one for the client (and register its public key)"
                        ),
                    )
                })?;
                let alg = key.algorithm()?;
                if let Some(listed) = provider.and_then(|p| p.token_endpoint_auth_signing_alg_values_supported.as_ref())
                {
                    if !listed.iter().any(|a| a == alg.as_str()) {
                        return Err(Error::config(
                            "keys",
                            format!(
                                "key {} signs with {alg}, which the provider does not list in token_endpoint_auth_signing_alg_values_supported ({}); nothing was sent",
                                key.kid,
                                listed.join(", ")
                            ),
                        ));
                    }
                }
                if profile.signing.fapi && !alg.is_fapi() {
                    return Err(Error::config(
                        "keys",
                        format!(
                            "key {} signs with {alg}; a FAPI profile allows PS256 and ES256 only",
                            key.kid
                        ),
                    ));
                }
                let private = self.private_key(&profile.id, &key.kid)?;
                // A FAPI provider must accept its issuer as `aud` at every endpoint (the
                // token endpoint's URL only at the token endpoint): name it when known.
                let audience = provider.and_then(|p| p.issuer.clone()).filter(|_| profile.signing.fapi);
                Ok(ClientAuth::PrivateKeyJwt(Arc::new(
                    StoredKeySigner::new(private, alg, key.kid.clone()).with_audience(audience),
                )))
            }
            AuthMethod::TlsClientAuth | AuthMethod::SelfSignedTlsClientAuth => {
                // The client's own certificate when it has one; an expired one is said as
                // such, never silently replaced by the profile's (another subject, another
                // key: the provider would refuse it, or bind the token to the wrong one).
                let own: Vec<&KeyRecord> = keys.iter().filter(|k| k.certificate.is_some()).collect();
                let kid = match own
                    .iter()
                    .find(|k| k.certificate.as_ref().is_some_and(|c| c.not_after > t))
                {
                    Some(key) => key.kid.clone(),
                    None => match own.first() {
                        Some(key) => key.kid.clone(),
                        None => profile.tls.client_certificate.clone().ok_or_else(|| {
                            Error::config(
                                "keys",
                                format!(
                                    "client {client_id} authenticates with {}, but Registrar holds no certificate for it: make a self-signed one or import the one a CA issued",
                                    method.as_str()
                                ),
                            )
                        })?,
                    },
                };
                let identity = self.client_identity(&profile.id, &kid)?;
                Ok(ClientAuth::TlsClientAuth {
                    identity: Arc::new(identity),
                    self_signed: method == AuthMethod::SelfSignedTlsClientAuth,
                })
            }
            other => Ok(other.client_auth(None)?),
        }
    }
}
