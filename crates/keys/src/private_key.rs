//! A private key: generated or imported, encoded for keychains and signers, and its public
//! half as a JWK. The key material is wiped when the value is dropped and never printed.

use crate::jwk::{self, PublicJwk};
use crate::{b64, unb64, Alg, KeyError, KeyKind};
use ed25519_dalek::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _, EncodePublicKey as _};
use rsa::pkcs1::{DecodeRsaPrivateKey as _, EncodeRsaPrivateKey as _};
use rsa::traits::{PrivateKeyParts as _, PublicKeyParts as _};
use serde_json::Value;
use std::fmt;
use zeroize::Zeroizing;

/// The smallest RSA key Registrar generates or accepts (FAPI and Open Banking ask for 2048).
pub const MIN_RSA_BITS: usize = 2048;

/// How a stored two-prime RSA key begins: then its public exponent and its two primes,
/// big-endian, base64url without padding, separated by dots ([`PrivateKey::to_storage`]).
pub const RSA_PRIMES: &str = "registrar-rsa-primes:1:";

/// A private key Registrar holds.
#[derive(Clone)]
pub struct PrivateKey {
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    P256(p256::SecretKey),
    Rsa(Box<rsa::RsaPrivateKey>),
    Ed25519(Box<ed25519_dalek::SigningKey>),
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PrivateKey({}, thumbprint {})",
            self.kind().phrase(),
            self.thumbprint()
        )
    }
}

impl PrivateKey {
    /// A new key of `kind` from the operating system's random source; RSA keys get `rsa_bits`
    /// (at least [`MIN_RSA_BITS`]).
    pub fn generate(kind: KeyKind, rsa_bits: usize) -> Result<Self, KeyError> {
        let mut rng = rand_core::OsRng;
        let inner = match kind {
            KeyKind::P256 => Inner::P256(p256::SecretKey::random(&mut rng)),
            KeyKind::Rsa => {
                if rsa_bits < MIN_RSA_BITS {
                    return Err(KeyError::WeakRsa(rsa_bits));
                }
                let key = rsa::RsaPrivateKey::new(&mut rng, rsa_bits).map_err(|e| KeyError::Sign(e.to_string()))?;
                Inner::Rsa(Box::new(key))
            }
            KeyKind::Ed25519 => Inner::Ed25519(Box::new(ed25519_dalek::SigningKey::generate(&mut rng))),
        };
        Ok(Self { inner })
    }

    /// Reads a PEM private key: PKCS#8 (`PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`) or PKCS#1
    /// (`RSA PRIVATE KEY`). Encrypted keys, public keys and certificates are refused by name.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let label = pem
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix("-----BEGIN ").and_then(|l| l.strip_suffix("-----")))
            .ok_or_else(|| KeyError::Pem("no `-----BEGIN …-----` line".into()))?;
        let pem = pem.trim();
        let inner = match label {
            "PRIVATE KEY" => {
                if let Ok(k) = p256::SecretKey::from_pkcs8_pem(pem) {
                    Inner::P256(k)
                } else if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_pem(pem) {
                    Inner::Ed25519(Box::new(k))
                } else if let Ok(k) = <rsa::RsaPrivateKey as rsa::pkcs8::DecodePrivateKey>::from_pkcs8_pem(pem) {
                    Inner::Rsa(Box::new(k))
                } else {
                    return Err(KeyError::Pem(
                        "a PKCS#8 key, but not EC P-256, RSA or Ed25519 (the kinds Registrar uses)".into(),
                    ));
                }
            }
            "EC PRIVATE KEY" => Inner::P256(
                p256::SecretKey::from_sec1_pem(pem)
                    .map_err(|_| KeyError::Pem("an EC key, but not on P-256 or malformed".into()))?,
            ),
            "RSA PRIVATE KEY" => Inner::Rsa(Box::new(
                rsa::RsaPrivateKey::from_pkcs1_pem(pem)
                    .map_err(|e| KeyError::Pem(format!("a malformed RSA key: {e}")))?,
            )),
            "ENCRYPTED PRIVATE KEY" => {
                return Err(KeyError::Pem(
                    "the key is encrypted; decrypt it first (`openssl pkey -in key.pem -out plain.pem`)".into(),
                ))
            }
            "PUBLIC KEY" | "RSA PUBLIC KEY" => {
                return Err(KeyError::Pem(
                    "this is a public key; the private key is needed to sign".into(),
                ))
            }
            "CERTIFICATE" => {
                return Err(KeyError::Pem(
                    "this is a certificate; import it as a certificate, and its private key here".into(),
                ))
            }
            other => {
                return Err(KeyError::Pem(format!(
                    "a PEM block of type {other:?}, not a private key"
                )))
            }
        };
        Self::checked(inner)
    }

    /// Reads a private JWK (one with `d`): EC P-256, RSA (with its primes) or OKP Ed25519. The
    /// public members it carries must be this key's.
    pub fn from_jwk(jwk: &Value) -> Result<Self, KeyError> {
        let field = |name: &str| -> Result<Vec<u8>, KeyError> {
            let text = jwk
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| KeyError::Jwk(format!("`{name}` is missing")))?;
            unb64(name, text)
        };
        if jwk.get("d").is_none() {
            return Err(KeyError::Jwk(
                "it has no `d`: this is a public key; the private key is needed".into(),
            ));
        }
        let kty = jwk.get("kty").and_then(Value::as_str).unwrap_or_default();
        let inner = match kty {
            "EC" => {
                if jwk.get("crv").and_then(Value::as_str) != Some("P-256") {
                    return Err(KeyError::Jwk("only EC keys on P-256 are supported".into()));
                }
                let d = Zeroizing::new(field("d")?);
                Inner::P256(
                    p256::SecretKey::from_slice(&d).map_err(|_| KeyError::Jwk("`d` is not a P-256 scalar".into()))?,
                )
            }
            "RSA" => {
                let n = rsa::BigUint::from_bytes_be(&field("n")?);
                let e = rsa::BigUint::from_bytes_be(&field("e")?);
                let d = rsa::BigUint::from_bytes_be(&Zeroizing::new(field("d")?));
                let primes = match (field("p"), field("q")) {
                    (Ok(p), Ok(q)) => vec![rsa::BigUint::from_bytes_be(&p), rsa::BigUint::from_bytes_be(&q)],
                    _ => vec![],
                };
                let key = rsa::RsaPrivateKey::from_components(n, e, d, primes)
                    .map_err(|e| KeyError::Jwk(format!("the RSA components do not make a key: {e}")))?;
                Inner::Rsa(Box::new(key))
            }
            "OKP" => {
                if jwk.get("crv").and_then(Value::as_str) != Some("Ed25519") {
                    return Err(KeyError::Jwk("only OKP keys on Ed25519 are supported".into()));
                }
                let d = Zeroizing::new(field("d")?);
                let bytes: [u8; 32] = d
                    .as_slice()
                    .try_into()
                    .map_err(|_| KeyError::Jwk("`d` is not 32 bytes".into()))?;
                Inner::Ed25519(Box::new(ed25519_dalek::SigningKey::from_bytes(&bytes)))
            }
            other => return Err(KeyError::Jwk(format!("`kty` {other:?} is not EC, RSA or OKP"))),
        };
        let key = Self::checked(inner)?;
        // The public members, when present, must be this key's: a JWK pasted from two keys is refused.
        let public = key.public_jwk(key.kind().default_alg());
        for member in ["x", "y", "n", "e"] {
            if let Some(given) = jwk.get(member).and_then(Value::as_str) {
                if public.members.get(member).and_then(Value::as_str) != Some(given.trim_end_matches('=')) {
                    return Err(KeyError::Jwk(format!("`{member}` is not the public half of `d`")));
                }
            }
        }
        Ok(key)
    }

    /// The key as Registrar keeps it in the keychain: PKCS#8 PEM, except a two-prime RSA key,
    /// kept as its public exponent and primes ([`RSA_PRIMES`]). An RSA-2048 PEM is about 1,700
    /// characters, more than one keychain entry takes on Windows (1,280 UTF-16 units), so it
    /// was two entries and two reads for every signature; its primes are about 360 characters,
    /// and the rest of the key follows from them. [`PrivateKey::from_storage`] reads both.
    pub fn to_storage(&self) -> Zeroizing<String> {
        match &self.inner {
            Inner::Rsa(key) if key.primes().len() == 2 => {
                let part = |n: &rsa::BigUint| Zeroizing::new(b64(Zeroizing::new(n.to_bytes_be())));
                let parts = [part(key.e()), part(&key.primes()[0]), part(&key.primes()[1])];
                // Sized first, so no copy of the primes is left behind by a growing buffer.
                let mut out = Zeroizing::new(String::with_capacity(
                    RSA_PRIMES.len() + parts.iter().map(|p| p.len() + 1).sum::<usize>(),
                ));
                out.push_str(RSA_PRIMES);
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(p);
                }
                out
            }
            _ => self.to_pkcs8_pem(),
        }
    }

    /// Reads what [`PrivateKey::to_storage`] wrote, or a PEM key (what earlier versions kept).
    pub fn from_storage(text: &str) -> Result<Self, KeyError> {
        let Some(rest) = text.trim().strip_prefix(RSA_PRIMES) else {
            return Self::from_pem(text);
        };
        let malformed = || KeyError::Pem("a stored RSA key that is not three base64url numbers".into());
        let mut parts = rest.split('.');
        let (Some(e), Some(p), Some(q), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(malformed());
        };
        let number = |name: &str, text: &str| -> Result<rsa::BigUint, KeyError> {
            Ok(rsa::BigUint::from_bytes_be(&Zeroizing::new(unb64(name, text)?)))
        };
        let (p, q, e) = (number("p", p)?, number("q", q)?, number("e", e)?);
        // The crate computes p - 1 and q - 1 without asking: a zero would panic, not refuse.
        let big_enough = |n: &rsa::BigUint| n.bits() >= MIN_RSA_BITS / 2 - 8;
        if !big_enough(&p) || !big_enough(&q) || e.bits() < 2 {
            return Err(malformed());
        }
        let key = rsa::RsaPrivateKey::from_p_q(p, q, e)
            .map_err(|e| KeyError::Pem(format!("a stored RSA key whose primes do not make a key: {e}")))?;
        Self::checked(Inner::Rsa(Box::new(key)))
    }

    /// The key as PKCS#8 DER from what [`PrivateKey::to_storage`] wrote, for a consumer that
    /// parses and checks the key itself (rustls, through ring). A PKCS#8 PEM (how P-256 and
    /// Ed25519 keys are kept) is only unwrapped: parsed here as well, it cost a mutual-TLS
    /// call 0.3 ms, RustCrypto's P-256 parse checking the stored public point with a scalar
    /// multiplication and the encoding making another. Other forms (RSA primes, SEC1,
    /// PKCS#1) are parsed and encoded, and refused as [`PrivateKey::from_storage`] refuses
    /// them.
    pub fn pkcs8_der_from_storage(text: &str) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        match pkcs8_pem_der(text) {
            Some(der) => Ok(der),
            None => Ok(Self::from_storage(text)?.pkcs8_der()),
        }
    }

    fn checked(inner: Inner) -> Result<Self, KeyError> {
        if let Inner::Rsa(key) = &inner {
            let bits = key.size() * 8;
            if bits < MIN_RSA_BITS {
                return Err(KeyError::WeakRsa(bits));
            }
        }
        Ok(Self { inner })
    }

    /// The key's kind.
    pub fn kind(&self) -> KeyKind {
        match &self.inner {
            Inner::P256(_) => KeyKind::P256,
            Inner::Rsa(_) => KeyKind::Rsa,
            Inner::Ed25519(_) => KeyKind::Ed25519,
        }
    }

    /// The RSA modulus size in bits; `None` for other keys.
    pub fn rsa_bits(&self) -> Option<usize> {
        match &self.inner {
            Inner::Rsa(key) => Some(key.size() * 8),
            _ => None,
        }
    }

    /// The key as PKCS#8 PEM, for the keychain or an export the user asked for.
    pub fn to_pkcs8_pem(&self) -> Zeroizing<String> {
        pem_block("PRIVATE KEY", &self.pkcs8_der())
    }

    /// The key as PKCS#8 DER (what rcgen, rustls and jsonwebtoken's EC and Ed25519 signers take).
    pub fn pkcs8_der(&self) -> Zeroizing<Vec<u8>> {
        let der = match &self.inner {
            Inner::P256(k) => k.to_pkcs8_der().map(|d| d.as_bytes().to_vec()),
            Inner::Rsa(k) => rsa::pkcs8::EncodePrivateKey::to_pkcs8_der(k.as_ref()).map(|d| d.as_bytes().to_vec()),
            Inner::Ed25519(k) => k.to_pkcs8_der().map(|d| d.as_bytes().to_vec()),
        };
        // Encoding a well-formed in-memory key cannot fail; an empty key would fail loudly where used.
        Zeroizing::new(der.unwrap_or_default())
    }

    /// The public key as SubjectPublicKeyInfo DER, to compare with a certificate's.
    pub fn public_spki_der(&self) -> Vec<u8> {
        let der = match &self.inner {
            Inner::P256(k) => k.public_key().to_public_key_der().map(|d| d.as_bytes().to_vec()),
            Inner::Rsa(k) => {
                rsa::pkcs8::EncodePublicKey::to_public_key_der(&k.to_public_key()).map(|d| d.as_bytes().to_vec())
            }
            Inner::Ed25519(k) => k.verifying_key().to_public_key_der().map(|d| d.as_bytes().to_vec()),
        };
        der.unwrap_or_default()
    }

    /// The public half as a JWK for `alg`, its `kid` the RFC 7638 thumbprint.
    pub fn public_jwk(&self, alg: Alg) -> PublicJwk {
        let members = match &self.inner {
            Inner::P256(k) => {
                use p256::elliptic_curve::sec1::ToEncodedPoint as _;
                let point = k.public_key().to_encoded_point(false);
                jwk::ec_members(
                    point.x().map(|x| x.as_slice()).unwrap_or_default(),
                    point.y().map(|y| y.as_slice()).unwrap_or_default(),
                )
            }
            Inner::Rsa(k) => jwk::rsa_members(&k.n().to_bytes_be(), &k.e().to_bytes_be()),
            Inner::Ed25519(k) => jwk::okp_members(k.verifying_key().as_bytes()),
        };
        PublicJwk::new(members, alg)
    }

    /// The RFC 7638 SHA-256 thumbprint of the public key: the `kid` Registrar gives it.
    pub fn thumbprint(&self) -> String {
        self.public_jwk(self.kind().default_alg()).kid().to_string()
    }

    /// The key in the form jsonwebtoken signs with.
    pub(crate) fn encoding_key(&self) -> jsonwebtoken::EncodingKey {
        match &self.inner {
            Inner::P256(_) => jsonwebtoken::EncodingKey::from_ec_der(&self.pkcs8_der()),
            Inner::Ed25519(_) => jsonwebtoken::EncodingKey::from_ed_der(&self.pkcs8_der()),
            Inner::Rsa(k) => {
                let der = k.to_pkcs1_der().map(|d| d.as_bytes().to_vec()).unwrap_or_default();
                jsonwebtoken::EncodingKey::from_rsa_der(&Zeroizing::new(der))
            }
        }
    }
}

/// A PEM block: `label`, then standard base64 of `der` in 64-character lines. Wiped on drop,
/// as the block may hold a private key.
pub fn pem_block(label: &str, der: &[u8]) -> Zeroizing<String> {
    use base64::Engine as _;
    let text = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(der));
    let mut out = Zeroizing::new(String::with_capacity(
        text.len() + text.len() / 64 + 2 * label.len() + 40,
    ));
    out.push_str(&format!("-----BEGIN {label}-----\n"));
    for chunk in text.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The DER of `text` when it is one `PRIVATE KEY` PEM block and nothing else; `None` leaves
/// the full parse to say what it is.
fn pkcs8_pem_der(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    use base64::Engine as _;
    let body = text
        .trim()
        .strip_prefix("-----BEGIN PRIVATE KEY-----")?
        .strip_suffix("-----END PRIVATE KEY-----")?;
    let compact = Zeroizing::new(body.chars().filter(|c| !c.is_ascii_whitespace()).collect::<String>());
    let der = Zeroizing::new(
        base64::engine::general_purpose::STANDARD
            .decode(compact.as_bytes())
            .ok()?,
    );
    (!der.is_empty()).then_some(der)
}
