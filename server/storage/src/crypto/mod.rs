//! Encryption at rest (B11): the personal data a leaked database file or disk
//! would expose most (national ID, birth date, email, the draft being written,
//! uploaded documents) is stored encrypted with AES-256-GCM, and the national
//! ID keeps an exact-match lookup through a keyed hash (HMAC-SHA-256).
//!
//! Keys live outside the database, in a key file (`AWN_DATA_KEY_FILE`, by default
//! `data-keys/data-keys.json` beside the data directory, never in it; readable
//! by the server's user only). The same file holds the audit chain's HMAC key
//! (`audit`, see `audit.rs`), added to older files at start. The database keeps
//! only a check value per key, so a server started with the wrong or a missing
//! key file refuses to start instead of writing data nobody can read. Rotation
//! (`awn rotate-data-key`) adds a key, makes it current and re-encrypts
//! everything with it; older keys stay in the file to read backups.
//!
//! Stored text is `enc1:{key id}:{base64url(nonce ‖ ciphertext ‖ tag)}`, bound
//! to its column (the column's name is the associated data), so a value copied
//! to another column does not decrypt. Text without the prefix is read as it is:
//! rows written before encryption (sealed at start) and markers such as `erased:…`.
//!
//! The seams: the keyring and its key file (`keyring.rs`), the encryption of
//! column values and their lookup hashes (`fields.rs`), of document files
//! (`files.rs`), and the keys at work on the database: checked at start, rows
//! sealed, rotation (`sealing.rs`).

mod fields;
mod files;
mod keyring;
mod sealing;

use std::collections::BTreeMap;

use aes_gcm::Aes256Gcm;

use crate::StorageError;

pub use fields::*;
pub use sealing::*;

const NONCE_LEN: usize = 12;

/// One data key: the cipher, the key of the lookup hashes, and the check value
/// the database keeps.
struct DataKey {
    master: [u8; 32],
    cipher: Aes256Gcm,
    index_key: [u8; 32],
}

/// The data keys: the current one encrypts, every one decrypts; and the audit
/// chain's key, which never changes.
pub struct Keyring {
    current: u32,
    keys: BTreeMap<u32, DataKey>,
    audit: [u8; 32],
    /// The text it was read from had no audit key: this one is new.
    audit_generated: bool,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the keys themselves.
        f.debug_struct("Keyring")
            .field("current", &self.current)
            .field("ids", &self.keys.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

fn invalid(what: impl Into<String>) -> StorageError {
    StorageError::Invalid(what.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_is_bound_to_its_column() {
        let keys = Keyring::generate();
        let stored = keys.encrypt_text("national_id", "1000000008");
        assert!(stored.starts_with("enc1:1:") && !stored.contains("1000000008"));
        assert_ne!(stored, keys.encrypt_text("national_id", "1000000008"), "a fresh nonce every time");
        assert_eq!(keys.decrypt_text("national_id", &stored).unwrap(), "1000000008");
        assert!(keys.decrypt_text("birth_date", &stored).is_err(), "moved to another column it does not decrypt");
        assert_eq!(keys.decrypt_text("national_id", "erased:7").unwrap(), "erased:7", "plain markers pass through");
    }

    #[test]
    fn a_rotated_keyring_reads_the_old_and_writes_the_new() {
        let old = Keyring::generate();
        let stored = old.encrypt_text("email", "a@example.org");
        let file = old.encrypt_file(b"%PDF-1.4");
        let rotated = Keyring::from_file_text(&old.rotated().to_file_text()).unwrap();
        assert_eq!(rotated.current_id(), 2);
        assert_eq!(rotated.decrypt_text("email", &stored).unwrap(), "a@example.org");
        assert_eq!(rotated.decrypt_file(&file).unwrap(), b"%PDF-1.4");
        assert!(!rotated.is_current(&stored) && rotated.is_current(&rotated.encrypt_text("email", "x")));
        assert!(!rotated.file_is_current(&file));
        assert_ne!(old.lookup_hash("national_id", "1"), rotated.lookup_hash("national_id", "1"));
        // A key file without the key a value needs cannot read it.
        let other = Keyring::generate();
        assert!(other.decrypt_text("email", &stored).is_err());
    }

    #[test]
    fn lookup_hashes_are_keyed_and_per_column() {
        let keys = Keyring::generate();
        assert_eq!(keys.lookup_hash("national_id", "1000000008"), keys.lookup_hash("national_id", "1000000008"));
        assert_ne!(keys.lookup_hash("national_id", "1000000008"), keys.lookup_hash("mobile", "1000000008"));
        assert_ne!(
            keys.lookup_hash("national_id", "1000000008"),
            Keyring::generate().lookup_hash("national_id", "1000000008")
        );
    }

    #[test]
    fn files_round_trip_and_old_plain_files_still_read() {
        let keys = Keyring::generate();
        let stored = keys.encrypt_file(b"\x89PNG secret scan");
        assert!(!stored.windows(6).any(|w| w == b"secret"));
        assert_eq!(keys.decrypt_file(&stored).unwrap(), b"\x89PNG secret scan");
        assert_eq!(keys.decrypt_file(b"%PDF-1.4 legacy").unwrap(), b"%PDF-1.4 legacy");
        let mut tampered = stored.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(keys.decrypt_file(&tampered).is_err(), "authenticated: a changed byte is refused");
    }
}
