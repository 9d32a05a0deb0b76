//! The keys at work on the database: checked against it at start, rows not
//! yet under the current key sealed, and rotation.

use super::{
    ACCOUNT_MOBILE, BIRTH_DATE, CODE_MOBILE, DRAFT, EMAIL, INQUIRY_EMAIL, INQUIRY_MOBILE, Keyring, MEMBER_BIRTH_DATE,
    MEMBER_NATIONAL_ID, MEMBERSHIP_MOBILE, MEMBERSHIP_NATIONAL_ID, NATIONAL_ID, OUTBOX_BODY, RECIPIENT,
    REPORTER_CONTACT, REQUEST_MOBILE, STAFF_EMAIL, STAFF_MOBILE, SUPPORTER_EMAIL, SUPPORTER_MOBILE, TOTP_SECRET,
    VOLUNTEER_MOBILE, contact_hash, fields::TEXT_PREFIX, invalid, keyring::write_key_file, national_id_hash,
};
use crate::StorageResult;

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
const ENCRYPTED_COLUMNS: [EncryptedColumn; 22] = [
    found_by(encrypted("support_requests", "id", "national_id", NATIONAL_ID), "national_id_hash", national_id_hash),
    encrypted("support_requests", "id", "birth_date", BIRTH_DATE),
    // A household member's ID has the applicant's lookup hash: one person, one hash, either role.
    found_by(
        encrypted("household_members", "id", "national_id", MEMBER_NATIONAL_ID),
        "national_id_hash",
        national_id_hash,
    ),
    encrypted("household_members", "id", "birth_date", MEMBER_BIRTH_DATE),
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
    encrypted("staff_accounts", "id", "contact_mobile", STAFF_MOBILE),
    encrypted("staff_accounts", "id", "contact_email", STAFF_EMAIL),
    found_by(encrypted("supporters", "id", "mobile", SUPPORTER_MOBILE), "mobile_hash", contact_hash),
    encrypted("supporters", "id", "email", SUPPORTER_EMAIL),
    found_by(encrypted("members", "id", "national_id", MEMBERSHIP_NATIONAL_ID), "national_id_hash", national_id_hash),
    found_by(encrypted("members", "id", "mobile", MEMBERSHIP_MOBILE), "mobile_hash", contact_hash),
    found_by(encrypted("volunteers", "id", "mobile", VOLUNTEER_MOBILE), "mobile_hash", contact_hash),
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
