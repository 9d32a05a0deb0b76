//! The keyring: data keys derived from their masters, the audit chain's key,
//! and the key file that holds them.

use std::collections::BTreeMap;

use aes_gcm::{Aes256Gcm, Key, aead::KeyInit};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::{DataKey, Keyring, invalid};
use crate::StorageResult;

fn derive(master: &[u8; 32], purpose: &str) -> [u8; 32] {
    #[expect(clippy::expect_used, reason = "HMAC accepts a key of any length")]
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("HMAC takes any key length");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl DataKey {
    fn new(master: [u8; 32]) -> Self {
        let encryption = derive(&master, "awn data encryption v1");
        DataKey {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&encryption)),
            index_key: derive(&master, "awn lookup index v1"),
            master,
        }
    }

    fn check_value(&self) -> String {
        hex(&derive(&self.master, "awn key check v1"))
    }
}

/// The key file's content.
#[derive(Serialize, Deserialize)]
struct KeyFile {
    current: u32,
    /// Key id → the 32-byte key, base64url.
    keys: BTreeMap<u32, String>,
    /// The key of the audit chain's HMAC, base64url (added to older files at start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    audit: Option<String>,
}

fn random_master() -> [u8; 32] {
    let mut master = [0u8; 32];
    rand::rng().fill_bytes(&mut master);
    master
}

impl Keyring {
    /// A keyring with one new random key (id 1).
    pub fn generate() -> Self {
        Keyring {
            current: 1,
            keys: BTreeMap::from([(1, DataKey::new(random_master()))]),
            audit: random_master(),
            audit_generated: true,
        }
    }

    /// This keyring plus a new random key, which becomes the current one.
    pub fn rotated(&self) -> Self {
        let next = self.keys.keys().max().copied().unwrap_or(0) + 1;
        let mut keys: BTreeMap<u32, DataKey> =
            self.keys.iter().map(|(id, key)| (*id, DataKey::new(key.master))).collect();
        keys.insert(next, DataKey::new(random_master()));
        Keyring { current: next, keys, audit: self.audit, audit_generated: false }
    }

    pub fn current_id(&self) -> u32 {
        self.current
    }

    /// (id, check value) of every key, for the database's `data_keys`.
    pub fn check_values(&self) -> Vec<(u32, String)> {
        self.keys.iter().map(|(id, key)| (*id, key.check_value())).collect()
    }

    pub fn to_file_text(&self) -> String {
        let file = KeyFile {
            current: self.current,
            keys: self.keys.iter().map(|(id, key)| (*id, URL_SAFE_NO_PAD.encode(key.master))).collect(),
            audit: Some(URL_SAFE_NO_PAD.encode(self.audit)),
        };
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    pub fn from_file_text(text: &str) -> StorageResult<Self> {
        let file: KeyFile = serde_json::from_str(text).map_err(|e| invalid(format!("the data key file: {e}")))?;
        let mut keys = BTreeMap::new();
        for (id, encoded) in file.keys {
            let bytes = URL_SAFE_NO_PAD
                .decode(encoded.trim())
                .map_err(|_| invalid(format!("data key {id} is not base64url")))?;
            let master: [u8; 32] = bytes.try_into().map_err(|_| invalid(format!("data key {id} is not 32 bytes")))?;
            keys.insert(id, DataKey::new(master));
        }
        if !keys.contains_key(&file.current) {
            return Err(invalid(format!("the current data key {} is not in the key file", file.current)));
        }
        let (audit, audit_generated) = match file.audit {
            Some(encoded) => {
                let bytes =
                    URL_SAFE_NO_PAD.decode(encoded.trim()).map_err(|_| invalid("the audit key is not base64url"))?;
                (bytes.try_into().map_err(|_| invalid("the audit key is not 32 bytes"))?, false)
            }
            None => (random_master(), true),
        };
        Ok(Keyring { current: file.current, keys, audit, audit_generated })
    }

    /// The key of the audit chain's HMAC.
    pub(crate) fn audit_key(&self) -> &[u8; 32] {
        &self.audit
    }

    /// Whether the audit key was made now (the text read had none).
    pub fn audit_key_is_new(&self) -> bool {
        self.audit_generated
    }

    pub(super) fn key(&self, id: u32) -> StorageResult<&DataKey> {
        self.keys.get(&id).ok_or_else(|| invalid(format!("data key {id} is not in the key file")))
    }
}

pub(super) fn write_key_file(path: &std::path::Path, keyring: &Keyring) -> StorageResult<()> {
    use std::io::Write;
    let io = |e: std::io::Error| invalid(format!("writing the data key file {}: {e}", path.display()));
    if let Some(parent) = path.parent() {
        let mut folder = std::fs::DirBuilder::new();
        folder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
        folder.create(parent).map_err(io)?;
    }
    let temporary = path.with_extension("new");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Readable by the server's user only.
        options.mode(0o600);
    }
    let mut file = options.open(&temporary).map_err(io)?;
    file.write_all(keyring.to_file_text().as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    std::fs::rename(&temporary, path).map_err(io)
}
