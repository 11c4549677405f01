//! Keys, certificates and software statements in a profile's custody (issue 17): what Open
//! Banking, FAPI and PKI users register and authenticate with instead of a shared secret.
//!
//! - [`KeyRecord`]: a key's public half and facts (SQLite); its private half is only in the
//!   keychain, under [`crate::secrets::SecretKey::PrivateKey`], and leaves it only when the
//!   user exports it.
//! - Certificates belong to a key: self-signed, or a CSR's answer from a CA, imported.
//! - [`SoftwareStatement`]s are kept per profile and checked before they are sent.
//!
//! The cryptography is `registrar-keys`'; this module decides what is kept where, what is
//! used for what, and what is refused.

mod assertion;
mod authenticate;
mod certificates;
mod expiry;
mod identity;
mod jwks_server;
mod jwks_uri_check;
mod keys;
mod methods;
mod published;
mod register_keys;
mod rotation;
mod signed_request;
mod software_statements;

pub use assertion::StoredKeySigner;
pub use certificates::{CertificateRecord, CertificateSubject};
pub use expiry::{CustodyExpiry, ExpiringKind};
pub use identity::ClientIdentity;
pub use jwks_server::JwksServer;
pub(crate) use keys::now;
pub use keys::{KeyRecord, NewKey};
pub use methods::AuthMethodChoice;
pub use registrar_keys::{Alg, KeyKind};
pub use rotation::{kids, RotationOutcome};
pub use software_statements::{SignatureCheck, SoftwareStatement, SsaClaims, SsaInspection};

use crate::error::Error;

impl From<registrar_keys::KeyError> for Error {
    fn from(e: registrar_keys::KeyError) -> Self {
        Error::field("key", e.to_string())
    }
}
