//! Registration and update requests as a JWS (Open Banking UK DCR v3.3): the metadata as
//! claims with `iss`, `aud`, `iat`, `exp` and `jti`, signed with a key in custody,
//! `Content-Type: application/jwt`.

use super::keys::now;
use crate::error::{Error, Result};
use crate::ops::Registrar;
use crate::profile::Profile;
use registrar_keys::{jws, Alg, PrivateKey};
use serde_json::{Map, Value};

/// How long a signed request is valid: Open Banking asks for a short life.
const LIFETIME_SECS: i64 = 300;

/// The key and the names a profile signs its requests with.
pub(crate) struct SignedRequest {
    /// The private key as the keychain keeps it: parsed by `sign`, on the signing thread.
    key: crate::Secret,
    alg: Alg,
    kid: String,
    audience: String,
}

impl std::fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SignedRequest({} {} for {})", self.alg, self.kid, self.audience)
    }
}

impl SignedRequest {
    /// The compact JWS of `metadata`. `iss` is the software statement's `software_id` when
    /// the metadata carries one (Open Banking), else the metadata's `software_id`, else the
    /// key id; fields the metadata already sets are kept.
    pub fn sign(&self, metadata: &Map<String, Value>) -> Result<String> {
        let key = PrivateKey::from_storage(self.key.expose())?;
        let mut claims = metadata.clone();
        let iss = claims
            .get("software_statement")
            .and_then(Value::as_str)
            .and_then(|ssa| jws::peek(ssa).ok())
            .and_then(|read| {
                read.claims
                    .get("software_id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .or_else(|| claims.get("software_id").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_else(|| self.kid.clone());
        let t = now();
        claims.entry("iss").or_insert_with(|| iss.into());
        claims.entry("aud").or_insert_with(|| self.audience.clone().into());
        claims.insert("iat".into(), t.into());
        claims.insert("exp".into(), (t + LIFETIME_SECS).into());
        claims.insert("jti".into(), uuid::Uuid::new_v4().to_string().into());
        Ok(jws::sign(
            &key,
            self.alg,
            Some(&self.kid),
            Some("JWT"),
            &Value::Object(claims),
        )?)
    }
}

/// How a profile signs its requests, settled before its key is read: which key, with which
/// algorithm, for which audience.
pub(crate) struct SigningPlan {
    kid: String,
    alg: Alg,
    audience: String,
}

impl Registrar {
    /// How `profile` signs `body`, when it signs its requests: everything that can refuse the
    /// signed request but the key itself (the key's record, its algorithm against FAPI, the
    /// audience, whether the provider could find the key), checked from the database alone,
    /// so a command does it while the keychain opens.
    pub(crate) fn signing_plan(&self, profile: &Profile, body: &Map<String, Value>) -> Result<Option<SigningPlan>> {
        let Some(kid) = profile.signing.request_signing_key.as_deref() else {
            return Ok(None);
        };
        let record = self.key(&profile.id, kid).map_err(|e| {
            super::keys::missing_as_setting(e, "signing.request_signing_key", kid, "sign its registrations")
        })?;
        let alg = record.algorithm()?;
        if profile.signing.fapi && !alg.is_fapi() {
            return Err(Error::config(
                "signing.request_signing_key",
                format!("key {kid} signs with {alg}; a FAPI profile signs with PS256 or ES256 only"),
            ));
        }
        let audience = profile
            .signing
            .request_audience
            .clone()
            .or_else(|| profile.issuer.clone())
            .ok_or_else(|| {
                Error::config(
                    "signing.request_audience",
                    "a signed request needs an `aud`: set the profile's issuer or the request audience",
                )
            })?;
        verifiable(kid, body)?;
        Ok(Some(SigningPlan {
            kid: kid.to_string(),
            alg,
            audience,
        }))
    }
}

impl Registrar {
    /// The metadata a registration or update of `profile` sends: the profile's software
    /// statement added unless the metadata has one (for an update, `fresh`, the profile's
    /// replaces an old one the provider echoed), and whichever goes checked for expiry
    /// first. What this returns is what is stored as sent, and what the answer is compared
    /// with. Nothing is sent when this fails.
    pub(crate) fn outgoing_metadata(
        &self,
        profile: &Profile,
        metadata: crate::metadata::ClientMetadata,
        fresh: bool,
    ) -> Result<crate::metadata::ClientMetadata> {
        let mut metadata = metadata;
        let own = metadata
            .str("software_statement")
            .filter(|_| !(fresh && profile.signing.software_statement.is_some()));
        match (own, &profile.signing.software_statement) {
            (Some(own), _) => super::software_statements::check_sendable(own, "in the metadata")?,
            (None, Some(label)) => {
                let ssa = self.software_statement(&profile.id, label)?;
                super::software_statements::check_sendable(&ssa.jwt, &format!("{label:?}"))?;
                metadata.set("software_statement", Value::String(ssa.jwt));
            }
            (None, None) => {}
        }
        Ok(metadata)
    }

    /// The body of a registration or an update (from [`Registrar::outgoing_metadata`]): JSON,
    /// or, with a [`PendingSignature`], a JWS: its key is read here (a read the caller
    /// batched with the transport's key, see [`Registrar::read_profile_keys_ahead`]) and
    /// handed to the signing thread, which parses it and signs while the caller prepares
    /// the rest of the call; [`OutgoingBody::into_request`] collects the signature.
    pub(crate) fn outgoing_body(
        &self,
        profile: &Profile,
        signing: Option<PendingSignature>,
        body: &Map<String, Value>,
    ) -> Result<OutgoingBody> {
        Ok(match signing {
            Some(pending) => {
                let key = self.stored_private_key(&profile.id, &pending.kid)?;
                // Refused only when the thread is gone (a panic), which the task then shows.
                let _ = pending.key.send(key);
                OutgoingBody::Signing(pending.task)
            }
            None => OutgoingBody::Json(Value::Object(body.clone())),
        })
    }
}

impl SigningPlan {
    /// Starts the thread that will sign `body` once it is given the key: started now, while
    /// the keychain opens, it is running when the key comes (a thread started then waited
    /// 0.2 to 0.4 ms for a core, all of it on the call's path). Dropped before the key is
    /// given (its read failed), the thread ends without signing.
    pub(crate) fn start(self, body: &Map<String, Value>) -> PendingSignature {
        let (key, waiting) = std::sync::mpsc::sync_channel::<crate::Secret>(1);
        let body = body.clone();
        let kid = self.kid.clone();
        let task = tokio::task::spawn_blocking(move || {
            let key = waiting.recv().map_err(|_| {
                Error::config(
                    "signing.request_signing_key",
                    "the key was not read; nothing was signed",
                )
            })?;
            SignedRequest {
                key,
                alg: self.alg,
                kid: self.kid,
                audience: self.audience,
            }
            .sign(&body)
        });
        PendingSignature { kid, key, task }
    }
}

/// A signature begun before its key was read ([`SigningPlan::start`]).
pub(crate) struct PendingSignature {
    kid: String,
    key: std::sync::mpsc::SyncSender<crate::Secret>,
    task: tokio::task::JoinHandle<Result<String>>,
}

/// A request body on its way. An RSA signature takes about a millisecond of CPU, as long as
/// building the call's mutual-TLS transport: made side by side on the machine's other core,
/// signing adds almost nothing to the call. Dropped unread (the call failed before it was
/// sent), the signature is thrown away and the key with it.
pub(crate) enum OutgoingBody {
    /// Unsigned: the metadata as JSON.
    Json(Value),
    /// The compact JWS being made.
    Signing(tokio::task::JoinHandle<Result<String>>),
}

impl OutgoingBody {
    /// `request` with this body: `application/json`, or `application/jwt` once signed.
    pub(crate) async fn into_request(self, request: crate::http::HttpRequest) -> Result<crate::http::HttpRequest> {
        match self {
            OutgoingBody::Json(body) => Ok(request.json(&body)),
            OutgoingBody::Signing(task) => match task.await {
                Ok(signed) => Ok(request.jwt(signed?)),
                // A panic while signing is the same bug it would be on this thread.
                Err(stopped) if stopped.is_panic() => std::panic::resume_unwind(stopped.into_panic()),
                Err(stopped) => Err(Error::config(
                    "signing.request_signing_key",
                    format!("the request was not signed ({stopped}); nothing was sent"),
                )),
            },
        }
    }
}

/// Refuses a request signed with a key the provider cannot find: the body and its software
/// statement carry key sets (`jwks`, `software_jwks`) and no URL of one (`jwks_uri`,
/// `software_jwks_endpoint`), and none of the sets holds `kid`. When nothing names keys at
/// all, or a URL does, the provider may know more than the body says: nothing is refused.
fn verifiable(kid: &str, body: &Map<String, Value>) -> Result<()> {
    let statement = body
        .get("software_statement")
        .and_then(Value::as_str)
        .and_then(|ssa| jws::peek(ssa).ok())
        .map(|read| read.claims)
        .unwrap_or(Value::Null);
    let urls = [
        body.get("jwks_uri"),
        statement.get("software_jwks_endpoint"),
        statement.get("jwks_uri"),
    ];
    if urls.iter().flatten().any(|u| u.is_string()) {
        return Ok(());
    }
    let sets: Vec<&Value> = [body.get("jwks"), statement.get("software_jwks")]
        .into_iter()
        .flatten()
        .collect();
    if sets.is_empty() || sets.iter().any(|set| super::kids(set).iter().any(|k| k == kid)) {
        return Ok(());
    }
    Err(Error::config(
        "signing.request_signing_key",
        format!(
            "the request would be signed with key {kid}, which neither the request's jwks nor the software statement's software_jwks holds, and neither names a jwks_uri: the provider could not verify it; add the key to jwks or sign with a key the statement lists; nothing was sent"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn a_key_the_provider_cannot_find_is_refused_only_when_that_is_certain() {
        let held = json!({"keys": [{"kid": "a"}]});
        assert!(verifiable("a", &body(json!({"jwks": held}))).is_ok());
        assert!(verifiable("b", &body(json!({"jwks": held}))).is_err());
        assert!(verifiable("b", &body(json!({"jwks": held, "jwks_uri": "https://x/jwks"}))).is_ok());
        assert!(verifiable("b", &body(json!({}))).is_ok(), "nothing names keys");
    }

    fn plan(kid: &str) -> SigningPlan {
        SigningPlan {
            kid: kid.into(),
            alg: Alg::ES256,
            audience: "https://op.example".into(),
        }
    }

    #[tokio::test]
    async fn a_signature_begun_before_its_key_signs_the_body_once_given_the_key() {
        let key = PrivateKey::generate(registrar_keys::KeyKind::P256, 2048).unwrap();
        let jwk = key.public_jwk(Alg::ES256);
        let pending = plan(jwk.kid()).start(&body(json!({"client_name": "early"})));
        pending.key.send(crate::Secret::new(key.to_storage().as_str())).unwrap();
        let jws = pending.task.await.unwrap().unwrap();
        let read = jws::verify(
            &jws,
            &registrar_keys::jwk::set(std::slice::from_ref(&jwk)),
            &[Alg::ES256],
        )
        .unwrap();
        assert_eq!(read.kid(), Some(jwk.kid()));
        assert_eq!(read.claims["client_name"], "early");
        assert_eq!(read.claims["aud"], "https://op.example");
    }

    #[tokio::test]
    async fn a_signature_whose_key_never_comes_ends_without_signing() {
        let pending = plan("never-read").start(&body(json!({})));
        let task = pending.task;
        drop(pending.key);
        let ended = tokio::time::timeout(std::time::Duration::from_secs(10), task)
            .await
            .expect("the signing thread ends when its key's sender is dropped")
            .unwrap();
        let refused = ended.unwrap_err().to_string();
        assert!(refused.contains("nothing was signed"), "{refused}");
    }
}
