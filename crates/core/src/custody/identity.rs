//! A client identity for mutual TLS: a key in custody and its certificate chain, handed to
//! the transport (RFC 8705 §2). The private key goes to rustls and nowhere else.

use crate::error::{Error, Result};
use crate::ops::Registrar;
use crate::ProfileId;
use registrar_keys::cert;
use std::fmt;
use zeroize::Zeroizing;

/// What a TLS client presents: the chain (leaf first, DER) and the leaf's private key
/// (PKCS#8 DER, wiped on drop).
#[derive(Clone)]
pub struct ClientIdentity {
    /// The certificates, leaf first.
    pub chain: Vec<Vec<u8>>,
    /// The leaf's private key as PKCS#8 DER.
    pub key_pkcs8: Zeroizing<Vec<u8>>,
    /// The leaf's subject, to name it in errors.
    pub subject_dn: String,
    /// The key id, which distinguishes identities (the transport cache is keyed by it).
    pub kid: String,
}

impl fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClientIdentity({}, key {})", self.subject_dn, self.kid)
    }
}

impl Registrar {
    /// The identity of key `kid`: an error when it has no certificate.
    pub(crate) fn client_identity(&self, profile_id: &ProfileId, kid: &str) -> Result<ClientIdentity> {
        let certificate = self.client_certificate(profile_id, kid)?;
        Ok(ClientIdentity {
            chain: certificate.chain,
            key_pkcs8: self.private_key_pkcs8(profile_id, kid)?,
            subject_dn: certificate.subject_dn,
            kid: kid.to_string(),
        })
    }

    /// The public half of key `kid`'s identity, from the database alone: its certificate
    /// chain, checked to be within its validity; an error when it has no certificate.
    fn client_certificate(&self, profile_id: &ProfileId, kid: &str) -> Result<crate::http::ClientCertificate> {
        let record = self.key(profile_id, kid)?;
        let certificate = record.certificate.ok_or_else(|| {
            Error::config(
                "tls.client_certificate",
                format!("key {kid} has no certificate: make a self-signed one or import the one a CA issued"),
            )
        })?;
        usable(kid, &certificate, super::keys::now())?;
        Ok(crate::http::ClientCertificate {
            chain: cert::chain_from_pem(&certificate.pem)?,
            subject_dn: certificate.subject_dn,
        })
    }
}

/// A profile's `tls.client_certificate` naming a key gone from custody, said as that setting.
fn for_mutual_tls(kid: &str) -> impl Fn(Error) -> Error + '_ {
    move |e| super::keys::missing_as_setting(e, "tls.client_certificate", kid, "present for mutual TLS")
}

/// Refuses a certificate outside its validity, naming it: a provider would only refuse the
/// handshake or the call, so nothing is sent with it.
pub(crate) fn usable(kid: &str, certificate: &super::CertificateRecord, now: i64) -> Result<()> {
    use crate::tokens::times;
    let when = |at: i64| times::rfc3339(at).unwrap_or_default();
    let problem = if certificate.not_after <= now {
        Some(format!(
            "{} ({})",
            times::relative("exp", certificate.not_after, now),
            when(certificate.not_after)
        ))
    } else if certificate.not_before > now {
        Some(format!(
            "is not valid before {} ({})",
            when(certificate.not_before),
            times::relative("nbf", certificate.not_before, now)
        ))
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(why) => Err(Error::field(
            "certificate",
            format!(
                "the client certificate of key {kid} ({}) {why}; nothing was sent: make a new one or import the one the CA renewed",
                certificate.subject_dn
            ),
        )),
    }
}

impl Registrar {
    /// Reads the private keys a call of `profile` is about to use (the client certificate's
    /// and the request signing key) in one keychain batch, so that each read that follows
    /// finds its key at hand: on the Secret Service two round trips in all, not two each.
    /// The keys stay at hand until the returned guard drops, at the end of the call.
    pub(crate) fn read_profile_keys_ahead(
        &self,
        profile: &crate::profile::Profile,
    ) -> Option<crate::secrets::AheadGuard<'_>> {
        let keys: Vec<crate::secrets::SecretKey> = [
            profile.tls.client_certificate.as_deref(),
            profile.signing.request_signing_key.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(|kid| crate::secrets::SecretKey::private_key(&profile.id, kid))
        .collect();
        if keys.is_empty() {
            return None;
        }
        // A keychain that fails here fails the read that needs the key, which says so.
        self.secrets.read_ahead(&keys).ok()
    }

    /// The transport for `profile`: its TLS options and timeouts, and the client
    /// certificate it presents when it names one.
    pub(crate) fn transport(
        &self,
        profile: &crate::profile::Profile,
    ) -> Result<std::sync::Arc<dyn crate::http::Transport>> {
        let identity = profile
            .tls
            .client_certificate
            .as_deref()
            .map(|kid| self.client_identity(&profile.id, kid).map_err(for_mutual_tls(kid)))
            .transpose()?;
        self.transport_with(profile, identity.as_ref())
    }

    /// The transport for `profile`, made as far as it can be before its keys are read (a
    /// command waits for the keychain meanwhile): whole without a client certificate;
    /// awaiting the certificate's key when the factory can build it so (the certificate and
    /// its validity, which need only the database, are checked now); else nothing yet. [`EarlyTransport::finish`] completes it once the keys are at hand.
    pub(crate) fn early_transport(&self, profile: &crate::profile::Profile) -> Result<EarlyTransport> {
        let Some(kid) = profile.tls.client_certificate.as_deref() else {
            return Ok(EarlyTransport::Whole(self.transport_with(profile, None)?));
        };
        let certificate = self.client_certificate(&profile.id, kid).map_err(for_mutual_tls(kid))?;
        Ok(
            match self
                .transports
                .transport_awaiting_key(&profile.tls, &profile.timeouts, &certificate)?
            {
                Some((transport, key)) => EarlyTransport::AwaitingKey {
                    transport,
                    key,
                    kid: kid.to_string(),
                },
                None => EarlyTransport::Later,
            },
        )
    }

    /// The transport for `profile` presenting `identity` (a client's own certificate).
    pub(crate) fn transport_with(
        &self,
        profile: &crate::profile::Profile,
        identity: Option<&ClientIdentity>,
    ) -> Result<std::sync::Arc<dyn crate::http::Transport>> {
        self.transports.transport_for(&profile.tls, &profile.timeouts, identity)
    }
}

/// A call's transport as far as it could be made before the keys were read
/// ([`Registrar::early_transport`]).
pub(crate) enum EarlyTransport {
    /// Nothing to wait for (no client certificate).
    Whole(std::sync::Arc<dyn crate::http::Transport>),
    /// Built, its client certificate's key to be given.
    AwaitingKey {
        transport: std::sync::Arc<dyn crate::http::Transport>,
        key: std::sync::Arc<dyn crate::http::KeyToCome>,
        kid: String,
    },
    /// To be built once the keys are at hand.
    Later,
}

impl EarlyTransport {
    /// The whole transport, the certificate's key read (from the keys at hand) and given.
    pub(crate) fn finish(
        self,
        registrar: &Registrar,
        profile: &crate::profile::Profile,
    ) -> Result<std::sync::Arc<dyn crate::http::Transport>> {
        match self {
            EarlyTransport::Whole(transport) => Ok(transport),
            EarlyTransport::AwaitingKey { transport, key, kid } => {
                let private = registrar
                    .private_key_pkcs8(&profile.id, &kid)
                    .map_err(for_mutual_tls(&kid))?;
                key.give(&private)?;
                Ok(transport)
            }
            EarlyTransport::Later => registrar.transport(profile),
        }
    }
}
