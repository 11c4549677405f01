//! Keys and certificates in Registrar's custody, as pure functions: no store, no network.
//!
//! - [`PrivateKey`]: generated (EC P-256, RSA, Ed25519) or imported (PEM in PKCS#8, SEC1 or
//!   PKCS#1; a private JWK), kept as bytes that are wiped on drop and never printed.
//! - [`jwk`]: the public half as a JWK with an RFC 7638 thumbprint for its `kid`.
//! - [`jws`]: compact JWS signing and verification against a JWK Set.
//! - [`cert`]: self-signed certificates and CSRs for a key, and any certificate read: its
//!   subject (RFC 4514), names, validity and SHA-256 thumbprint, and whether it is the key's.
//!
//! The cryptography is RustCrypto's (p256, rsa, ed25519-dalek), jsonwebtoken's and rcgen's /
//! ring's; this crate only chooses, encodes and explains.

#![warn(missing_docs)]

pub mod alg;
pub mod cert;
mod error;
pub mod jwk;
pub mod jws;
mod loopback_ca;
mod private_key;

pub use alg::{Alg, KeyKind};
pub use error::KeyError;
pub use loopback_ca::{loopback_identity, LoopbackIdentity};
pub use private_key::{pem_block, PrivateKey, RSA_PRIMES};

/// base64url without padding, as JOSE writes every binary value.
pub(crate) fn b64(bytes: impl AsRef<[u8]>) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The inverse of [`b64`]; tolerates padding, which some tools add.
pub(crate) fn unb64(field: &str, text: &str) -> Result<Vec<u8>, KeyError> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| KeyError::Jwk(format!("`{field}` is not base64url")))
}
