//! How a secret crosses the session bus in a `dh-ietf1024-sha256-aes128-cbc-pkcs7` session:
//! AES-128-CBC with PKCS7 padding under the session key, a fresh random 16-byte IV per secret
//! (sent as the Secret's `parameters`). Plaintext only ever sits in buffers wiped on drop.

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use rand::RngCore;
use zeroize::Zeroizing;

type Encryptor = cbc::Encryptor<aes::Aes128>;
type Decryptor = cbc::Decryptor<aes::Aes128>;

pub(super) const KEY_BYTES: usize = 16;
const BLOCK_BYTES: usize = 16;

/// The AES key agreed with the Secret Service for this process's session.
pub(super) struct SessionKey(Zeroizing<[u8; KEY_BYTES]>);

impl SessionKey {
    pub(super) fn new(key: Zeroizing<[u8; KEY_BYTES]>) -> Self {
        Self(key)
    }

    #[cfg(test)]
    pub(super) fn bytes(&self) -> &[u8; KEY_BYTES] {
        &self.0
    }

    /// `(iv, ciphertext)` for `plaintext`.
    pub(super) fn encrypt(&self, plaintext: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let mut iv = [0u8; BLOCK_BYTES];
        rand::rng().fill_bytes(&mut iv);
        // Padded in place, in a buffer that is wiped afterwards: PKCS7 always adds 1..=16 bytes.
        let mut buffer = Zeroizing::new(vec![0u8; (plaintext.len() / BLOCK_BYTES + 1) * BLOCK_BYTES]);
        buffer[..plaintext.len()].copy_from_slice(plaintext);
        let ciphertext = Encryptor::new_from_slices(self.0.as_ref(), &iv)
            .expect("a 16-byte key and IV")
            .encrypt_padded_mut::<Pkcs7>(&mut buffer, plaintext.len())
            .expect("the buffer has room for the padding")
            .to_vec();
        (iv.to_vec(), ciphertext)
    }

    /// The plaintext, or `None` when the IV has the wrong size or the padding is wrong (a
    /// different key, or damaged data).
    pub(super) fn decrypt(&self, iv: &[u8], ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let decryptor = Decryptor::new_from_slices(self.0.as_ref(), iv).ok()?;
        let mut buffer = Zeroizing::new(ciphertext.to_vec());
        let len = decryptor.decrypt_padded_mut::<Pkcs7>(&mut buffer).ok()?.len();
        buffer.truncate(len);
        Some(buffer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SessionKey {
        SessionKey::new(Zeroizing::new([byte; KEY_BYTES]))
    }

    #[test]
    fn pkcs7_pads_to_the_next_whole_block() {
        let k = key(7);
        for (len, padded) in [(0, 16), (1, 16), (15, 16), (16, 32), (17, 32), (32, 48)] {
            let plaintext: Vec<u8> = (0..len as u8).collect();
            let (iv, ciphertext) = k.encrypt(&plaintext);
            assert_eq!(iv.len(), 16);
            assert_eq!(ciphertext.len(), padded, "{len} bytes");
            assert_eq!(k.decrypt(&iv, &ciphertext).unwrap().as_slice(), plaintext.as_slice());
        }
    }

    #[test]
    fn every_secret_gets_its_own_iv() {
        let k = key(7);
        let (iv1, c1) = k.encrypt(b"same");
        let (iv2, c2) = k.encrypt(b"same");
        assert_ne!(iv1, iv2);
        assert_ne!(c1, c2);
    }

    #[test]
    fn a_wrong_key_or_iv_does_not_give_the_plaintext() {
        let plaintext = b"a client secret of some length".as_slice();
        let (iv, ciphertext) = key(1).encrypt(plaintext);
        assert_ne!(
            key(2).decrypt(&iv, &ciphertext).as_deref().map(Vec::as_slice),
            Some(plaintext)
        );
        assert!(key(1).decrypt(&iv[..8], &ciphertext).is_none(), "a short IV");
        assert!(key(1).decrypt(&iv, &ciphertext[..20]).is_none(), "not whole blocks");
        assert!(key(1).decrypt(&iv, &[]).is_none(), "no padding at all");
    }
}
