//! The signing algorithms Registrar uses and the kinds of key that carry them.

use crate::KeyError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A JWS algorithm (RFC 7518, RFC 8037) Registrar signs and verifies with. FAPI allows PS256
/// and ES256 only; RS256 and EdDSA are for providers that ask for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Alg {
    /// ECDSA with P-256 and SHA-256.
    ES256,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// Ed25519 (RFC 8037).
    EdDSA,
}

impl Alg {
    /// Every algorithm, strongest-first for a FAPI profile.
    pub const ALL: [Alg; 4] = [Alg::PS256, Alg::ES256, Alg::RS256, Alg::EdDSA];

    /// The registered name.
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::ES256 => "ES256",
            Alg::PS256 => "PS256",
            Alg::RS256 => "RS256",
            Alg::EdDSA => "EdDSA",
        }
    }

    /// Whether FAPI 1 Advanced and FAPI 2 allow it.
    pub fn is_fapi(self) -> bool {
        matches!(self, Alg::PS256 | Alg::ES256)
    }

    /// The kind of key it needs.
    pub fn key_kind(self) -> KeyKind {
        match self {
            Alg::ES256 => KeyKind::P256,
            Alg::PS256 | Alg::RS256 => KeyKind::Rsa,
            Alg::EdDSA => KeyKind::Ed25519,
        }
    }

    pub(crate) fn jsonwebtoken(self) -> jsonwebtoken::Algorithm {
        match self {
            Alg::ES256 => jsonwebtoken::Algorithm::ES256,
            Alg::PS256 => jsonwebtoken::Algorithm::PS256,
            Alg::RS256 => jsonwebtoken::Algorithm::RS256,
            Alg::EdDSA => jsonwebtoken::Algorithm::EdDSA,
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Alg {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        Ok(match s {
            "ES256" => Alg::ES256,
            "PS256" => Alg::PS256,
            "RS256" => Alg::RS256,
            "EdDSA" => Alg::EdDSA,
            other => return Err(KeyError::UnsupportedAlg(other.to_string())),
        })
    }
}

/// The kinds of key Registrar generates and imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyKind {
    /// An EC key on NIST P-256 (ES256).
    P256,
    /// An RSA key of 2048 bits or more (PS256, RS256).
    Rsa,
    /// An Ed25519 key (EdDSA).
    Ed25519,
}

impl KeyKind {
    /// The algorithm a new key of this kind signs with unless told otherwise.
    pub fn default_alg(self) -> Alg {
        match self {
            KeyKind::P256 => Alg::ES256,
            KeyKind::Rsa => Alg::PS256,
            KeyKind::Ed25519 => Alg::EdDSA,
        }
    }

    /// The kind as a phrase for messages ("an EC P-256").
    pub fn phrase(self) -> &'static str {
        match self {
            KeyKind::P256 => "an EC P-256",
            KeyKind::Rsa => "an RSA",
            KeyKind::Ed25519 => "an Ed25519",
        }
    }

    /// Checks that `alg` goes with this kind of key.
    pub fn check(self, alg: Alg) -> Result<(), KeyError> {
        if alg.key_kind() == self {
            Ok(())
        } else {
            Err(KeyError::AlgMismatch {
                alg: alg.to_string(),
                key: self.phrase().into(),
            })
        }
    }
}

impl FromStr for KeyKind {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "p256" | "p-256" | "ec" | "es256" => KeyKind::P256,
            "rsa" | "ps256" | "rs256" => KeyKind::Rsa,
            "ed25519" | "eddsa" | "okp" => KeyKind::Ed25519,
            other => {
                return Err(KeyError::Pem(format!(
                    "unknown key type {other:?}: choose p256, rsa or ed25519"
                )))
            }
        })
    }
}
