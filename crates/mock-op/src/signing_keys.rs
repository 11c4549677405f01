//! The keys ID tokens are signed with, and the JWK Set published at `jwks_uri`. ES256 (P-256)
//! because its keys are made in microseconds, where an RSA key costs a debug build seconds.
//! Rotation (an admin switch) makes a new current key and either keeps publishing the old one,
//! as a provider does during a rollover, or withdraws it at once, so that a client holding a
//! token signed with it sees verification fail.

use std::fmt;
use std::sync::{Mutex, PoisonError};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::EncodePrivateKey;
use rand::RngCore;
use serde_json::{json, Value};

use crate::secret;

/// The JWS algorithm of every ID token.
pub(crate) const ALGORITHM: &str = "ES256";

struct SigningKey {
    kid: String,
    encoding: EncodingKey,
    public_jwk: Value,
}

impl SigningKey {
    fn generate() -> Self {
        let secret = loop {
            let mut bytes = [0u8; 32];
            rand::rng().fill_bytes(&mut bytes);
            // Fails only for zero or a value above the group order: about 2^-32.
            if let Ok(key) = p256::SecretKey::from_slice(&bytes) {
                break key;
            }
        };
        let der = secret
            .to_pkcs8_der()
            .expect("a valid P-256 key always encodes as PKCS#8");
        let point = secret.public_key().to_encoded_point(false);
        let coordinate =
            |c: Option<&p256::FieldBytes>| URL_SAFE_NO_PAD.encode(c.map(|b| b.as_slice()).unwrap_or_default());
        let kid = secret::token(12);
        let public_jwk = json!({
            "kty": "EC",
            "crv": "P-256",
            "x": coordinate(point.x()),
            "y": coordinate(point.y()),
            "kid": kid,
            "alg": ALGORITHM,
            "use": "sig",
        });
        SigningKey {
            kid,
            encoding: EncodingKey::from_ec_der(der.as_bytes()),
            public_jwk,
        }
    }
}

struct Ring {
    current: SigningKey,
    /// Older keys still published (a rollover in progress).
    previous: Vec<SigningKey>,
}

/// One mock's signing keys.
pub(crate) struct SigningKeys {
    ring: Mutex<Ring>,
}

impl SigningKeys {
    pub(crate) fn new() -> Self {
        SigningKeys {
            ring: Mutex::new(Ring {
                current: SigningKey::generate(),
                previous: Vec::new(),
            }),
        }
    }

    /// A compact JWS of `claims` with the current key, its `kid` in the header.
    pub(crate) fn sign(&self, claims: &Value) -> String {
        let ring = self.lock();
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(ring.current.kid.clone());
        // Signing with a well-formed key over serialisable JSON does not fail.
        jsonwebtoken::encode(&header, claims, &ring.current.encoding).expect("ES256 signing")
    }

    /// The JWK Set: the current key first, then any still published.
    pub(crate) fn jwks(&self) -> Value {
        let ring = self.lock();
        let keys: Vec<Value> = std::iter::once(&ring.current)
            .chain(&ring.previous)
            .map(|key| key.public_jwk.clone())
            .collect();
        json!({ "keys": keys })
    }

    /// Makes a new current key; the old ones stay published if `keep_previous`. The new kid.
    pub(crate) fn rotate(&self, keep_previous: bool) -> String {
        let mut ring = self.lock();
        let old = std::mem::replace(&mut ring.current, SigningKey::generate());
        if keep_previous {
            ring.previous.insert(0, old);
        } else {
            ring.previous.clear();
        }
        ring.current.kid.clone()
    }

    /// The kid new ID tokens are signed with.
    pub(crate) fn current_kid(&self) -> String {
        self.lock().current.kid.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Ring> {
        self.ring.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for SigningKeys {
    // Private keys stay out of debug output; the kids are enough to tell keys apart.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ring = self.lock();
        f.debug_struct("SigningKeys")
            .field("current", &ring.current.kid)
            .field("previous", &ring.previous.iter().map(|k| &k.kid).collect::<Vec<_>>())
            .finish()
    }
}

/// Breaks a JWS's signature (one bit of its first byte), leaving header and claims intact.
pub(crate) fn corrupt_signature(jws: &str) -> String {
    let Some((signed, signature)) = jws.rsplit_once('.') else {
        return jws.to_owned();
    };
    let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap_or_default();
    if let Some(first) = bytes.first_mut() {
        *first ^= 0x01;
    }
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(bytes))
}
