//! Document files encrypted on disk: a magic header, the key id, the nonce,
//! then the sealed bytes.

use aes_gcm::{
    Nonce,
    aead::{Aead, Payload},
};
use rand::RngCore;

use super::{Keyring, NONCE_LEN, invalid};
use crate::StorageResult;

/// The first bytes of an encrypted document file.
const FILE_MAGIC: &[u8; 8] = b"AWNENC1\0";

impl Keyring {
    /// A document's bytes as written to disk.
    pub fn encrypt_file(&self, plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self.keys[&self.current]
            .cipher
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain, aad: FILE_MAGIC })
            .unwrap_or_default();
        let mut bytes = Vec::with_capacity(FILE_MAGIC.len() + 4 + NONCE_LEN + sealed.len());
        bytes.extend_from_slice(FILE_MAGIC);
        bytes.extend_from_slice(&self.current.to_be_bytes());
        bytes.extend_from_slice(&nonce);
        bytes.extend(sealed);
        bytes
    }

    /// A document's bytes read from disk; a file written before encryption is
    /// returned as it is.
    pub fn decrypt_file(&self, stored: &[u8]) -> StorageResult<Vec<u8>> {
        let Some(rest) = stored.strip_prefix(FILE_MAGIC.as_slice()) else { return Ok(stored.to_vec()) };
        if rest.len() < 4 + NONCE_LEN {
            return Err(invalid("a malformed encrypted document"));
        }
        let (id, rest) = rest.split_at(4);
        let id = u32::from_be_bytes([id[0], id[1], id[2], id[3]]);
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        self.key(id)?
            .cipher
            .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad: FILE_MAGIC })
            .map_err(|_| invalid(format!("an encrypted document that does not decrypt with key {id}")))
    }

    /// Whether document bytes are encrypted with the current key already.
    pub fn file_is_current(&self, stored: &[u8]) -> bool {
        stored
            .strip_prefix(FILE_MAGIC.as_slice())
            .is_some_and(|rest| rest.len() >= 4 && rest[..4] == self.current.to_be_bytes())
    }
}
