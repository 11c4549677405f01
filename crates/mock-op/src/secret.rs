//! Secrets the mock hands out and the comparisons it makes on them. All randomness comes
//! from the thread-local CSPRNG, and every comparison of a presented secret runs in constant
//! time, so the mock does not teach bad habits to code that copies it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::distr::Alphanumeric;
use rand::{Rng, RngCore};
use subtle::ConstantTimeEq;

/// `len` random bytes, base64url without padding.
pub(crate) fn token(len: usize) -> String {
    let mut bytes = vec![0u8; len];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `len` random characters from `[A-Za-z0-9]`.
pub(crate) fn alphanumeric(len: usize) -> String {
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// A random (v4) UUID in its hyphenated form.
pub(crate) fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A random UUID as 32 hex digits, the shape of Liberty's generated client ids.
pub(crate) fn uuid_simple() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Whether a presented secret equals the expected one, without leaking where they differ.
pub(crate) fn same(presented: &str, expected: &str) -> bool {
    presented.as_bytes().ct_eq(expected.as_bytes()).into()
}
