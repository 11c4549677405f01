//! What can go wrong with a key, a signature or a certificate, each in words a user acts on.

/// Why a key, a JWS or a certificate could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The PEM text is not a private key this crate reads.
    #[error("not a usable private key: {0}")]
    Pem(String),
    /// The JWK is malformed or not a private key of a supported type.
    #[error("not a usable JWK: {0}")]
    Jwk(String),
    /// The algorithm does not go with the key (ES256 needs P-256, PS256/RS256 RSA, EdDSA Ed25519).
    #[error("{alg} cannot be used with {key} key")]
    AlgMismatch {
        /// The algorithm asked for.
        alg: String,
        /// The key's kind, as a phrase ("an EC P-256").
        key: String,
    },
    /// An algorithm this crate does not sign or verify with.
    #[error("the algorithm {0:?} is not supported (ES256, PS256, RS256 and EdDSA are)")]
    UnsupportedAlg(String),
    /// An RSA key shorter than 2048 bits.
    #[error("RSA keys must have at least 2048 bits; this one has {0}")]
    WeakRsa(usize),
    /// Signing failed.
    #[error("signing failed: {0}")]
    Sign(String),
    /// The JWS is malformed or its signature does not verify.
    #[error("{0}")]
    Jws(String),
    /// The certificate is malformed or could not be made.
    #[error("certificate: {0}")]
    Certificate(String),
}
