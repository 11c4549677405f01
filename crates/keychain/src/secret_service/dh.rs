//! The key agreement of the Secret Service's `dh-ietf1024-sha256-aes128-cbc-pkcs7` session:
//! Diffie-Hellman in the 1024-bit "Second Oakley Group" (RFC 2409 section 6.2, generator 2),
//! the shared secret digested by HKDF-SHA256 (no salt, empty info) into an AES-128 key.
//!
//! `BigUint::modpow` multiplies in Montgomery form for an odd modulus such as this prime; a
//! square-and-multiply with a full division per step made the two exponentiations of a session
//! most of a short command's CPU time.

use super::cipher::{SessionKey, KEY_BYTES};
use hkdf::Hkdf;
use num_bigint::BigUint;
use rand::RngCore;
use sha2::Sha256;
use zeroize::Zeroizing;

/// Bytes of the prime, so of a padded public key or shared secret.
const GROUP_BYTES: usize = 128;

/// Bytes of the private exponent. A 1024-bit group offers about 80 bits of security; the
/// best attack on a short exponent (Pollard's lambda) costs 2^(bits/2), so 256 random bits
/// keep it at 128, beyond what the group gives. A full-length exponent would only make
/// each exponentiation four times slower (measured: a third of a short command's CPU).
const PRIVATE_BYTES: usize = 32;

/// RFC 2409 section 6.2: 2^1024 - 2^960 - 1 + 2^64 * { [2^894 pi] + 129093 }.
const PRIME_HEX: &[u8] = b"\
    FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74\
    020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437\
    4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED\
    EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF";

const GENERATOR: u32 = 2;

fn prime() -> BigUint {
    BigUint::parse_bytes(PRIME_HEX, 16).expect("the prime is valid hexadecimal")
}

/// One side of the exchange: a private exponent of [`PRIVATE_BYTES`] random bytes and its
/// public key.
pub(super) struct KeyPair {
    private: BigUint,
    public: BigUint,
}

impl KeyPair {
    pub(super) fn generate() -> Self {
        let mut random = Zeroizing::new([0u8; PRIVATE_BYTES]);
        rand::rng().fill_bytes(random.as_mut());
        let private = BigUint::from_bytes_be(random.as_ref());
        let public = BigUint::from(GENERATOR).modpow(&private, &prime());
        Self { private, public }
    }

    /// The public key, big-endian (the form the API transfers), padded to the group's size.
    pub(super) fn public_key(&self) -> Vec<u8> {
        padded(&self.public).to_vec()
    }

    /// The session key both sides derive, or `None` when `peer` is not a usable public key
    /// (outside 2..=p-2, which would make the shared secret guessable).
    pub(super) fn session_key(&self, peer: &[u8]) -> Option<SessionKey> {
        let p = prime();
        let peer = BigUint::from_bytes_be(peer);
        if peer < BigUint::from(2u32) || peer > &p - 2u32 {
            return None;
        }
        let shared = padded(&peer.modpow(&self.private, &p));
        let mut key = Zeroizing::new([0u8; KEY_BYTES]);
        Hkdf::<Sha256>::new(None, shared.as_ref())
            .expand(&[], key.as_mut())
            .expect("16 bytes is a valid HKDF-SHA256 output length");
        Some(SessionKey::new(key))
    }
}

impl KeyPair {
    /// Overwrites the private exponent's digits with zeros in place. num-bigint has no
    /// zeroize support; `assign_from_slice` writes into the digit buffer it already has
    /// (the same length needs no new allocation) before the value is dropped.
    fn wipe(&mut self) {
        let digits = self.private.bits().div_ceil(32) as usize;
        self.private.assign_from_slice(&vec![0u32; digits]);
    }
}

impl Drop for KeyPair {
    fn drop(&mut self) {
        self.wipe();
    }
}

/// `n` big-endian, left-padded with zeros to the group's size: both sides must feed HKDF the
/// same bytes even when the number happens to have leading zero bytes.
fn padded(n: &BigUint) -> Zeroizing<[u8; GROUP_BYTES]> {
    let bytes = Zeroizing::new(n.to_bytes_be());
    let mut out = Zeroizing::new([0u8; GROUP_BYTES]);
    out[GROUP_BYTES - bytes.len()..].copy_from_slice(&bytes);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prime_is_the_second_oakley_group() {
        let p = prime();
        assert_eq!(p.bits(), 1024);
        let bytes = p.to_bytes_be();
        // 2^1024 - 2^960 - 1 + ...: the top and bottom 64 bits are all ones.
        assert!(bytes[..8].iter().chain(&bytes[120..]).all(|&b| b == 0xFF));
        assert_eq!(&bytes[8..12], &[0xC9, 0x0F, 0xDA, 0xA2]);
    }

    #[test]
    fn both_sides_derive_the_same_key() {
        let (a, b) = (KeyPair::generate(), KeyPair::generate());
        assert_eq!(a.public_key().len(), GROUP_BYTES);
        let ka = a.session_key(&b.public_key()).unwrap();
        let kb = b.session_key(&a.public_key()).unwrap();
        assert_eq!(*ka.bytes(), *kb.bytes());

        let (iv, ciphertext) = ka.encrypt(b"client secret");
        assert_eq!(kb.decrypt(&iv, &ciphertext).unwrap().as_slice(), b"client secret");

        // A third party's key is another key.
        let c = KeyPair::generate();
        assert_ne!(*ka.bytes(), *c.session_key(&b.public_key()).unwrap().bytes());
    }

    #[test]
    fn a_public_key_without_leading_zeros_gives_the_same_key() {
        let (a, b) = (KeyPair::generate(), KeyPair::generate());
        let short = b.public.to_bytes_be();
        assert_eq!(
            *a.session_key(&short).unwrap().bytes(),
            *a.session_key(&b.public_key()).unwrap().bytes()
        );
    }

    #[test]
    fn the_private_exponent_is_wiped() {
        let mut pair = KeyPair::generate();
        assert!(pair.private.bits() > 200);
        pair.wipe();
        assert_eq!(pair.private, BigUint::default());
    }

    #[test]
    fn degenerate_public_keys_are_refused() {
        let a = KeyPair::generate();
        let p = prime();
        for bad in [
            BigUint::from(0u32),
            BigUint::from(1u32),
            &p - 1u32,
            p.clone(),
            &p + 5u32,
        ] {
            assert!(a.session_key(&bad.to_bytes_be()).is_none(), "{bad:x}");
        }
        assert!(a.session_key(&[]).is_none());
        assert!(a.session_key(&[2]).is_some());
    }
}
