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

use std::collections::BTreeMap;

use aes_gcm::{
    Aes256Gcm, Key, Nonce,
    aead::{Aead, KeyInit, Payload},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::{StorageError, StorageResult};

const TEXT_PREFIX: &str = "enc1:";
/// The first bytes of an encrypted document file.
const FILE_MAGIC: &[u8; 8] = b"AWNENC1\0";
const NONCE_LEN: usize = 12;

fn derive(master: &[u8; 32], purpose: &str) -> [u8; 32] {
    #[expect(clippy::expect_used, reason = "HMAC accepts a key of any length")]
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("HMAC takes any key length");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One data key: the cipher, the key of the lookup hashes, and the check value
/// the database keeps.
struct DataKey {
    master: [u8; 32],
    cipher: Aes256Gcm,
    index_key: [u8; 32],
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

    fn key(&self, id: u32) -> StorageResult<&DataKey> {
        self.keys.get(&id).ok_or_else(|| invalid(format!("data key {id} is not in the key file")))
    }

    /// Encrypts `plain` for `column` with the current key.
    pub fn encrypt_text(&self, column: &str, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let key = &self.keys[&self.current];
        let sealed = key
            .cipher
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain.as_bytes(), aad: column.as_bytes() })
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{TEXT_PREFIX}{}:{}", self.current, URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The plain text of a stored value of `column`; text that was never
    /// encrypted comes back as it is.
    pub fn decrypt_text(&self, column: &str, stored: &str) -> StorageResult<String> {
        let Some(rest) = stored.strip_prefix(TEXT_PREFIX) else { return Ok(stored.to_owned()) };
        let (id, encoded) = rest.split_once(':').ok_or_else(|| invalid(format!("a malformed encrypted {column}")))?;
        let id: u32 = id.parse().map_err(|_| invalid(format!("a malformed encrypted {column}")))?;
        let bytes = URL_SAFE_NO_PAD.decode(encoded).map_err(|_| invalid(format!("a malformed encrypted {column}")))?;
        if bytes.len() < NONCE_LEN {
            return Err(invalid(format!("a malformed encrypted {column}")));
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plain = self
            .key(id)?
            .cipher
            .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad: column.as_bytes() })
            .map_err(|_| invalid(format!("an encrypted {column} that does not decrypt with key {id}")))?;
        String::from_utf8(plain).map_err(|_| invalid(format!("an encrypted {column} that is not text")))
    }

    pub fn decrypt_optional(&self, column: &str, stored: Option<String>) -> StorageResult<Option<String>> {
        stored.map(|s| self.decrypt_text(column, &s)).transpose()
    }

    /// Whether a stored value is encrypted with the current key already.
    pub fn is_current(&self, stored: &str) -> bool {
        stored
            .strip_prefix(TEXT_PREFIX)
            .and_then(|rest| rest.split_once(':'))
            .is_some_and(|(id, _)| id == self.current.to_string())
    }

    /// The keyed hash that finds `plain` in `column` by exact match.
    pub fn lookup_hash(&self, column: &str, plain: &str) -> String {
        let key = &self.keys[&self.current];
        #[expect(clippy::expect_used, reason = "HMAC accepts a key of any length")]
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.index_key).expect("HMAC takes any key length");
        mac.update(column.as_bytes());
        mac.update(b"\0");
        mac.update(plain.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

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

/// The encrypted columns of `support_requests`, by the name bound into each value.
pub const NATIONAL_ID: &str = "support_requests.national_id";
pub const BIRTH_DATE: &str = "support_requests.birth_date";
pub const EMAIL: &str = "support_requests.email";
pub const DRAFT: &str = "request_drafts.data";
pub const REQUEST_MOBILE: &str = "support_requests.mobile";
pub const ACCOUNT_MOBILE: &str = "beneficiary_accounts.mobile";
pub const CODE_MOBILE: &str = "sign_in_codes.mobile";
pub const INQUIRY_MOBILE: &str = "inquiries.contact_mobile";
pub const INQUIRY_EMAIL: &str = "inquiries.contact_email";
pub const RECIPIENT: &str = "outbox_messages.recipient";
/// A queued message's text: it may carry a sign-in code or a survey link's token.
pub const OUTBOX_BODY: &str = "outbox_messages.body";
pub const REPORTER_CONTACT: &str = "privacy_reports.reporter_contact";
/// A staff member's TOTP secret: a copy of the database must not sign anyone in.
pub const TOTP_SECRET: &str = "staff_accounts.totp_secret";

/// The lookup hash of a mobile number (E.164) or address: the same in every
/// table, so one number finds its account, codes, inquiries and messages.
pub fn contact_hash(keys: &Keyring, contact: &str) -> Option<String> {
    let contact = contact.trim();
    (!contact.is_empty() && !contact.starts_with("erased")).then(|| keys.lookup_hash("contact", contact))
}

/// The lookup hash of a national ID; none for an erased one.
pub fn national_id_hash(keys: &Keyring, national_id: &str) -> Option<String> {
    (!national_id.starts_with("erased:") && !national_id.is_empty()).then(|| keys.lookup_hash(NATIONAL_ID, national_id))
}

fn write_key_file(path: &std::path::Path, keyring: &Keyring) -> StorageResult<()> {
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

/// Reads the key file at `path` (creating it, with a new key, for a database
/// that has none yet), checks every key against the database, registers keys
/// new to it, installs them on `db` and encrypts whatever is not yet encrypted
/// with the current key (rows written before encryption, or an interrupted
/// rotation). Refuses, with the reason, a missing or mismatched key file.
pub async fn open(db: &crate::Database, path: &std::path::Path, now: i64) -> StorageResult<u64> {
    open_from(db, KeySource::File(path), now).await
}

/// Where the data keys come from: the key file, or the configuration itself
/// (`AWN_DATA_KEYS`, the key file's content, for servers given secrets by
/// their environment).
#[derive(Debug, Clone, Copy)]
pub enum KeySource<'a> {
    File(&'a std::path::Path),
    Configured(&'a str),
}

/// [`open`] from either source; configured keys are never written anywhere.
pub async fn open_from(db: &crate::Database, source: KeySource<'_>, now: i64) -> StorageResult<u64> {
    let registered = sqlx::query("SELECT id, check_value FROM data_keys ORDER BY id").fetch_all(db.pool()).await?;
    let path = match source {
        KeySource::File(path) => path,
        KeySource::Configured(text) => {
            let keyring = Keyring::from_file_text(text)?;
            if keyring.audit_key_is_new() {
                // Nothing can keep a key made here: every start would chain with another.
                return Err(invalid(
                    "AWN_DATA_KEYS has no \"audit\" key (the audit log's HMAC key): add one, 32 random bytes \
                     in base64url, e.g. from `head -c 32 /dev/urandom | basenc --base64url | tr -d =`",
                ));
            }
            // The database tells whether it met an audit key before (`audit::adopt_key`).
            return install_checked(db, keyring, std::path::Path::new("AWN_DATA_KEYS"), true, now).await;
        }
    };
    let keyring = match std::fs::read_to_string(path) {
        Ok(text) => {
            let keyring = Keyring::from_file_text(&text)?;
            if keyring.audit_key_is_new() {
                // A key file from before the audit key: it gains one, once.
                write_key_file(path, &keyring)?;
                tracing::warn!(file = %path.display(), "an audit key was added to the data key file");
            }
            keyring
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if !registered.is_empty() {
                return Err(invalid(format!(
                    "the data key file {} is missing, but this database holds data encrypted with its keys: \
                     restore the file (set AWN_DATA_KEY_FILE to where it is)",
                    path.display()
                )));
            }
            let keyring = Keyring::generate();
            write_key_file(path, &keyring)?;
            keyring
        }
        Err(error) => return Err(invalid(format!("reading the data key file {}: {error}", path.display()))),
    };
    let may_upgrade = keyring.audit_key_is_new();
    install_checked(db, keyring, path, may_upgrade, now).await
}

/// Registers keys new to the database, checks every key the database knows
/// against `keyring` (named `path` in messages), installs it and seals old rows.
/// `may_upgrade`: the audit key is new, so the audit chain may start using it here.
async fn install_checked(
    db: &crate::Database,
    keyring: Keyring,
    path: &std::path::Path,
    may_upgrade: bool,
    now: i64,
) -> StorageResult<u64> {
    use sqlx::Row;
    for (id, check) in keyring.check_values() {
        sqlx::query(
            "INSERT INTO data_keys (id, check_value, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
        )
        .bind(i64::from(id))
        .bind(&check)
        .bind(now)
        .execute(db.pool())
        .await?;
    }
    // Read again: another server may have registered a different key 1 meanwhile.
    let file_checks = keyring.check_values();
    for row in sqlx::query("SELECT id, check_value FROM data_keys ORDER BY id").fetch_all(db.pool()).await? {
        let id: i64 = row.try_get("id")?;
        let check: String = row.try_get("check_value")?;
        match file_checks.iter().find(|(file_id, _)| i64::from(*file_id) == id) {
            Some((_, file_check)) if *file_check == check => {}
            Some(_) => {
                return Err(invalid(format!(
                    "data key {id} in {} is not the key this database was encrypted with",
                    path.display()
                )));
            }
            None => {
                return Err(invalid(format!("data key {id}, which this database uses, is not in {}", path.display())));
            }
        }
    }
    // The audit chain's key is checked (and, the first time, adopted) before the
    // keys are installed: a wrong one must not start writing entries.
    let adoption = crate::audit::adopt_key(db, &keyring, may_upgrade).await?;
    match adoption {
        crate::audit::KeyAdoption::Known => {}
        crate::audit::KeyAdoption::Upgraded { hmac_from, sealed } => {
            tracing::info!(hmac_from, sealed, "the audit log is chained with the audit key from here on");
        }
        crate::audit::KeyAdoption::MarkerMissing => tracing::error!(
            "the audit log's record of where its HMAC chain starts is missing: the database was changed \
             behind Awn's back; run `awn verify-audit`"
        ),
    }
    if !db.install_keys(keyring) {
        return Err(invalid("the data keys were opened twice"));
    }
    let sealed = encrypt_rows(db).await?;
    if sealed > 0 {
        db.purge_old_versions().await?;
    }
    Ok(sealed)
}

/// Encrypts, with the current key, every personal value that is not yet: at
/// start (rows from before encryption) and after a rotation. Returns how many
/// values changed. Safe to run on several servers at once: each update checks
/// the value it replaces.
pub async fn encrypt_rows(db: &crate::Database) -> StorageResult<u64> {
    let keys = db.keys()?;
    let mut changed = 0;
    for column in &ENCRYPTED_COLUMNS {
        changed += reseal(db, keys, column).await?;
    }
    Ok(changed)
}

/// How a column's lookup hash is made from its plain value.
type LookupHash = fn(&Keyring, &str) -> Option<String>;

/// One encrypted column: where it is, the name bound into its values, and the
/// column of its lookup hash, if it has one.
#[derive(Clone, Copy)]
struct EncryptedColumn {
    table: &'static str,
    row_key: &'static str,
    column: &'static str,
    bound_to: &'static str,
    hash: Option<(&'static str, LookupHash)>,
}

const fn encrypted(
    table: &'static str,
    row_key: &'static str,
    column: &'static str,
    bound_to: &'static str,
) -> EncryptedColumn {
    EncryptedColumn { table, row_key, column, bound_to, hash: None }
}

const fn found_by(mut column: EncryptedColumn, hash_column: &'static str, hash: LookupHash) -> EncryptedColumn {
    column.hash = Some((hash_column, hash));
    column
}

/// Every column that holds personal data or a secret encrypted (B11).
const ENCRYPTED_COLUMNS: [EncryptedColumn; 13] = [
    found_by(encrypted("support_requests", "id", "national_id", NATIONAL_ID), "national_id_hash", national_id_hash),
    encrypted("support_requests", "id", "birth_date", BIRTH_DATE),
    encrypted("support_requests", "id", "email", EMAIL),
    encrypted("support_requests", "id", "mobile", REQUEST_MOBILE),
    encrypted("request_drafts", "beneficiary_id", "data", DRAFT),
    found_by(encrypted("beneficiary_accounts", "id", "mobile", ACCOUNT_MOBILE), "mobile_hash", contact_hash),
    found_by(encrypted("sign_in_codes", "id", "mobile", CODE_MOBILE), "mobile_hash", contact_hash),
    found_by(encrypted("inquiries", "id", "contact_mobile", INQUIRY_MOBILE), "contact_mobile_hash", contact_hash),
    encrypted("inquiries", "id", "contact_email", INQUIRY_EMAIL),
    found_by(encrypted("outbox_messages", "id", "recipient", RECIPIENT), "recipient_hash", contact_hash),
    encrypted("outbox_messages", "id", "body", OUTBOX_BODY),
    encrypted("privacy_reports", "id", "reporter_contact", REPORTER_CONTACT),
    encrypted("staff_accounts", "id", "totp_secret", TOTP_SECRET),
];

/// Re-encrypts with the current key every value of `table.column` that is not
/// under it yet (plain text from before encryption, or an older key), with
/// its lookup hash. Empty values and erasure markers stay as they are.
async fn reseal(db: &crate::Database, keys: &Keyring, encrypted: &EncryptedColumn) -> StorageResult<u64> {
    use sqlx::Row;
    let EncryptedColumn { table, row_key, column, bound_to, hash } = *encrypted;
    let current = format!("{TEXT_PREFIX}{}:%", keys.current_id());
    let rows = sqlx::query(&format!(
        "SELECT {row_key} AS row_key, {column} AS stored FROM {table} \
         WHERE {column} IS NOT NULL AND {column} <> '' AND {column} NOT LIKE $1 AND {column} NOT LIKE 'erased%'"
    ))
    .bind(&current)
    .fetch_all(db.pool())
    .await?;
    let set_hash = hash.map(|(hash_column, _)| format!(", {hash_column} = $4")).unwrap_or_default();
    let update = format!("UPDATE {table} SET {column} = $1{set_hash} WHERE {row_key} = $2 AND {column} = $3");
    let mut changed = 0;
    for row in &rows {
        let stored: String = row.try_get("stored")?;
        let plain = keys.decrypt_text(bound_to, &stored)?;
        let mut query = sqlx::query(&update)
            .bind(keys.encrypt_text(bound_to, &plain))
            .bind(row.try_get::<i64, _>("row_key")?)
            .bind(&stored);
        if let Some((_, make_hash)) = hash {
            query = query.bind(make_hash(keys, &plain));
        }
        changed += query.execute(db.pool()).await?.rows_affected();
    }
    Ok(changed)
}

/// `awn rotate-data-key`: adds a new key to the key file, makes it current, and
/// re-encrypts the database's values and the documents under `documents_dir`
/// with it. Run with the app servers stopped, then give every server the new file.
pub async fn rotate(
    db: &crate::Database,
    path: &std::path::Path,
    documents_dir: &std::path::Path,
    now: i64,
) -> StorageResult<(u32, u64, u64)> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| invalid(format!("reading the data key file {}: {e}", path.display())))?;
    let rotated = Keyring::from_file_text(&text)?.rotated();
    // The old file is kept beside the new one until everything is re-encrypted.
    std::fs::copy(path, path.with_extension("previous"))
        .map_err(|e| invalid(format!("keeping the old key file: {e}")))?;
    write_key_file(path, &rotated)?;
    // Opening with the new current key re-encrypts every row not yet under it.
    let rows = open(db, path, now).await?;
    let keys = db.keys()?;
    let mut files = 0;
    // Documents are kept two levels down: documents/{first two characters}/{key}.
    let mut folders = vec![documents_dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let file = entry.path();
            if file.is_dir() {
                folders.push(file);
                continue;
            }
            let Ok(stored) = std::fs::read(&file) else { continue };
            if keys.file_is_current(&stored) {
                continue;
            }
            let plain = keys.decrypt_file(&stored)?;
            let failed = |e: std::io::Error| invalid(format!("re-encrypting {}: {e}", file.display()));
            let temporary = file.with_extension("rotating");
            std::fs::write(&temporary, keys.encrypt_file(&plain)).map_err(failed)?;
            std::fs::rename(&temporary, &file).map_err(failed)?;
            files += 1;
        }
    }
    Ok((keys.current_id(), rows, files))
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
