//! Staff accounts: creation with an argon2id password (and a TOTP second factor for
//! the roles that need one), sign-in with lockout, sessions, activation, and each
//! account's acceptance of the privacy policy (B2).
//!
//! Staff share the `sessions` table with beneficiaries; their rows carry
//! [`STAFF`] as the account kind, so `accounts::session_owner` serves both.

use std::sync::OnceLock;

use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
};
use awn_domain::{
    digits::normalize_digits,
    identity::clean_text,
    staff::{PasswordProblem, StaffRole, check_new_password, lockout_wait_seconds, needs_second_factor},
};
use rand::RngCore;
use sqlx::Row;

use crate::{
    Database, StorageError, StorageResult,
    secrets::{new_token, same_hash},
};

/// Account kind of staff in the sessions table.
pub const STAFF: &str = "staff";
/// The issuer shown by authenticator apps.
pub const TOTP_ISSUER: &str = "Awn";
/// Digits of a TOTP code.
pub const TOTP_DIGITS: usize = 6;
/// Seconds of a TOTP step.
pub const TOTP_STEP_SECONDS: i64 = 30;
/// Shortest and longest username.
pub const MIN_USERNAME_CHARS: usize = 3;
pub const MAX_USERNAME_CHARS: usize = 64;

/// How a staff member is named in request timelines, messages and records.
pub fn actor(staff_id: i64) -> String {
    format!("staff:{staff_id}")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    pub active: bool,
    pub totp_enrolled: bool,
}

#[derive(Debug, Clone)]
pub struct NewStaff<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: StaffRole,
    pub password: &'a str,
}

/// A created account. For roles needing a second factor, the TOTP secret (base32)
/// and its `otpauth://` URI are shown once to the person enrolling it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedStaff {
    pub id: i64,
    pub totp_secret: Option<String>,
    pub otpauth_uri: Option<String>,
}

/// Why an account was not created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffProblem {
    UsernameTaken,
    Password(PasswordProblem),
    /// Empty, too short or long, or with characters other than letters, digits and `._-@`.
    UsernameInvalid,
    DisplayNameRequired,
}

/// The form a username is stored and looked up in: trimmed, digits in ASCII, lower case.
pub fn normalize_username(username: &str) -> String {
    normalize_digits(username.trim()).to_lowercase()
}

fn username_is_valid(username: &str) -> bool {
    let length = username.chars().count();
    (MIN_USERNAME_CHARS..=MAX_USERNAME_CHARS).contains(&length)
        && username.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

/// Creates a staff account. The password is checked by the domain's rules and
/// stored only as an argon2id hash.
pub async fn create(db: &Database, new: NewStaff<'_>, now: i64) -> StorageResult<Result<CreatedStaff, StaffProblem>> {
    let username = normalize_username(new.username);
    if !username_is_valid(&username) {
        return Ok(Err(StaffProblem::UsernameInvalid));
    }
    let display_name = clean_text(new.display_name);
    if display_name.is_empty() {
        return Ok(Err(StaffProblem::DisplayNameRequired));
    }
    if let Err(problem) = check_new_password(new.password, &username) {
        return Ok(Err(StaffProblem::Password(problem)));
    }
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM staff_accounts WHERE username = $1")
        .bind(&username)
        .fetch_optional(db.pool())
        .await?;
    if taken.is_some() {
        return Ok(Err(StaffProblem::UsernameTaken));
    }
    let password_hash = hash_password(new.password.to_owned()).await?;
    let (totp_secret, otpauth_uri) = if needs_second_factor(new.role) {
        let secret = totp_rs::Secret::generate_secret();
        let bytes = secret.to_bytes().map_err(|e| StorageError::Invalid(format!("TOTP secret: {e:?}")))?;
        let totp = totp(bytes, &username)?;
        (Some(totp.get_secret_base32()), Some(totp.get_url()))
    } else {
        (None, None)
    };
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO staff_accounts (username, display_name, role, password_hash, totp_secret, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&username)
    .bind(&display_name)
    .bind(new.role.code())
    .bind(&password_hash)
    .bind(totp_secret.clone())
    .bind(now)
    .fetch_one(db.pool())
    .await;
    match inserted {
        Ok(id) => Ok(Ok(CreatedStaff { id, totp_secret, otpauth_uri })),
        // The same username created at the same moment by someone else.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(Err(StaffProblem::UsernameTaken)),
        Err(e) => Err(e.into()),
    }
}

fn totp(secret: Vec<u8>, account_name: &str) -> StorageResult<totp_rs::TOTP> {
    totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        TOTP_DIGITS,
        0,
        TOTP_STEP_SECONDS as u64,
        secret,
        Some(TOTP_ISSUER.to_owned()),
        account_name.to_owned(),
    )
    .map_err(|e| StorageError::Invalid(format!("TOTP parameters: {e}")))
}

fn decode_secret(secret_base32: &str) -> Option<Vec<u8>> {
    totp_rs::Secret::Encoded(secret_base32.trim().to_uppercase()).to_bytes().ok()
}

/// The 6-digit code of a base32 secret at a moment (30-second steps, SHA-1, as
/// authenticator apps compute it); `None` for a malformed secret or a negative time.
pub fn totp_code_at(secret_base32: &str, unix_seconds: i64) -> Option<String> {
    let time = u64::try_from(unix_seconds).ok()?;
    let totp = totp(decode_secret(secret_base32)?, "").ok()?;
    Some(totp.generate(time))
}

/// The step of `now` whose code matches, looking one step either side for clock
/// drift, and only at steps after the last one accepted (no replay).
fn matching_totp_step(secret_base32: &str, typed: &str, now: i64, last_step: Option<i64>) -> Option<i64> {
    let typed: String = normalize_digits(typed).chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != TOTP_DIGITS || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let step = now.div_euclid(TOTP_STEP_SECONDS);
    let mut found = None;
    // Every candidate is computed and compared, so timing tells nothing of which matched.
    for candidate in [step - 1, step, step + 1] {
        let code = totp_code_at(secret_base32, candidate * TOTP_STEP_SECONDS)?;
        if same_hash(&code, &typed) && last_step.is_none_or(|last| candidate > last) {
            found = Some(candidate);
        }
    }
    found
}

/// Hashes with argon2id and its default parameters (19 MiB, 2 passes), off the
/// async threads: hashing is deliberately slow.
async fn hash_password(password: String) -> StorageResult<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&salt).map_err(|e| StorageError::Invalid(format!("salt: {e}")))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| StorageError::Invalid(format!("password hashing: {e}")))
    })
    .await
    .map_err(|e| StorageError::Invalid(format!("password hashing task: {e}")))?
}

async fn verify_password(password: String, stored: String) -> StorageResult<bool> {
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&stored) else { return false };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
    .map_err(|e| StorageError::Invalid(format!("password verification task: {e}")))
}

/// A hash of a random password with the same parameters, checked for unknown
/// usernames so they take as long to refuse as a wrong password.
async fn dummy_hash() -> StorageResult<String> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash.clone());
    }
    let hash = hash_password(new_token()).await?;
    Ok(DUMMY.get_or_init(|| hash).clone())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffSignIn {
    /// Signed in: a brand-new session (any earlier one of this browser is ended).
    SignedIn { account: StaffAccount, session_token: String },
    /// Unknown username, wrong password or wrong code: the same answer for all.
    WrongCredentials,
    /// The password is right and the role needs a code: ask for it (not counted).
    SecondFactorNeeded,
    /// Too many failures: nothing is checked until the wait is over.
    LockedOut { wait_seconds: i64 },
    /// The password (and code) are right but the account is deactivated.
    Inactive,
}

const ACCOUNT_COLUMNS: &str = "id, username, display_name, role, active, totp_secret";

fn account_from_row(row: &sqlx::any::AnyRow) -> StorageResult<StaffAccount> {
    let role: String = row.try_get("role")?;
    let totp_secret: Option<String> = row.try_get("totp_secret")?;
    Ok(StaffAccount {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: StaffRole::from_code(&role).ok_or_else(|| StorageError::Invalid(format!("staff role `{role}`")))?,
        active: row.try_get::<i64, _>("active")? != 0,
        totp_enrolled: totp_secret.is_some(),
    })
}

/// Signs a staff member in. The lockout is checked before anything else, so
/// while it lasts even the right password is refused; a wrong password or code
/// counts a failure (atomically, in the database); success resets the count and
/// rotates the session.
pub async fn sign_in(
    db: &Database,
    username: &str,
    password: &str,
    totp_code: Option<&str>,
    previous_session_token: Option<&str>,
    now: i64,
) -> StorageResult<StaffSignIn> {
    let username = normalize_username(username);
    let row = sqlx::query(&format!(
        "SELECT {ACCOUNT_COLUMNS}, password_hash, totp_last_step, failed_sign_ins, last_failed_at \
         FROM staff_accounts WHERE username = $1"
    ))
    .bind(&username)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        // Same work as for a real account, so timing does not tell which names exist.
        verify_password(password.to_owned(), dummy_hash().await?).await?;
        return Ok(StaffSignIn::WrongCredentials);
    };
    let account = account_from_row(&row)?;
    let failed: i64 = row.try_get("failed_sign_ins")?;
    let last_failed_at: Option<i64> = row.try_get("last_failed_at")?;
    if let Some(wait_seconds) = lockout_wait_seconds(failed, last_failed_at, now) {
        return Ok(StaffSignIn::LockedOut { wait_seconds });
    }
    let stored_hash: String = row.try_get("password_hash")?;
    if !verify_password(password.to_owned(), stored_hash).await? {
        count_failure(db, account.id, now).await?;
        return Ok(StaffSignIn::WrongCredentials);
    }
    let totp_secret: Option<String> = row.try_get("totp_secret")?;
    let mut accepted_step = None;
    if needs_second_factor(account.role) || totp_secret.is_some() {
        let Some(secret) = totp_secret else {
            return Err(StorageError::Invalid(format!(
                "staff account {} needs a second factor but has none",
                account.id
            )));
        };
        let Some(code) = totp_code.filter(|code| !code.trim().is_empty()) else {
            return Ok(StaffSignIn::SecondFactorNeeded);
        };
        let last_step: Option<i64> = row.try_get("totp_last_step")?;
        match matching_totp_step(&secret, code, now, last_step) {
            Some(step) => accepted_step = Some(step),
            None => {
                count_failure(db, account.id, now).await?;
                return Ok(StaffSignIn::WrongCredentials);
            }
        }
    }
    if !account.active {
        return Ok(StaffSignIn::Inactive);
    }

    let mut tx = db.begin_write().await?;
    let reset = sqlx::query(
        "UPDATE staff_accounts SET failed_sign_ins = 0, last_failed_at = NULL, \
           totp_last_step = COALESCE($1, totp_last_step) \
         WHERE id = $2 AND active = 1 AND (totp_last_step IS NULL OR $1 IS NULL OR totp_last_step < $1)",
    )
    .bind(accepted_step)
    .bind(account.id)
    .execute(&mut *tx)
    .await?;
    if reset.rows_affected() != 1 {
        // Deactivated, or the same code used by a parallel sign-in, meanwhile.
        return Ok(StaffSignIn::WrongCredentials);
    }
    let session_token =
        crate::accounts::start_session_in(&mut tx, STAFF, account.id, previous_session_token, now).await?;
    tx.commit().await?;
    Ok(StaffSignIn::SignedIn { account, session_token })
}

async fn count_failure(db: &Database, staff_id: i64, now: i64) -> StorageResult<()> {
    sqlx::query("UPDATE staff_accounts SET failed_sign_ins = failed_sign_ins + 1, last_failed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(staff_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn by_id(db: &Database, id: i64) -> StorageResult<Option<StaffAccount>> {
    let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM staff_accounts WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(account_from_row).transpose()
}

/// Every account, active ones first, then by display name.
pub async fn list(db: &Database) -> StorageResult<Vec<StaffAccount>> {
    let rows =
        sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM staff_accounts ORDER BY active DESC, display_name, id"))
            .fetch_all(db.pool())
            .await?;
    rows.iter().map(account_from_row).collect()
}

/// Activates or deactivates an account; deactivating also ends all its sessions,
/// in the same transaction. [`StorageError::Invalid`] for an unknown account.
pub async fn set_active(db: &Database, id: i64, active: bool) -> StorageResult<()> {
    let mut tx = db.begin_write().await?;
    let updated = sqlx::query("UPDATE staff_accounts SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if updated.rows_affected() != 1 {
        return Err(StorageError::Invalid(format!("no staff account {id}")));
    }
    if !active {
        sqlx::query("DELETE FROM sessions WHERE account_kind = $1 AND account_id = $2")
            .bind(STAFF)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// How many staff accounts exist (the first-run set-up creates the first admin).
pub async fn count(db: &Database) -> StorageResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM staff_accounts").fetch_one(db.pool()).await?)
}

/// Records that the account accepted a version of the privacy policy (B2).
/// Accepting again keeps the first acceptance's time.
pub async fn accept_policy(db: &Database, staff_id: i64, version: &str, now: i64) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO staff_policy_acceptances (staff_id, policy_version, accepted_at) VALUES ($1, $2, $3) \
         ON CONFLICT (staff_id, policy_version) DO NOTHING",
    )
    .bind(staff_id)
    .bind(version)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn has_accepted(db: &Database, staff_id: i64, version: &str) -> StorageResult<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT staff_id FROM staff_policy_acceptances WHERE staff_id = $1 AND policy_version = $2")
            .bind(staff_id)
            .bind(version)
            .fetch_optional(db.pool())
            .await?;
    Ok(found.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_trimmed_lowered_and_checked() {
        assert_eq!(normalize_username("  Sara.Admin "), "sara.admin");
        assert_eq!(normalize_username("ريم١٢"), "ريم12");
        assert!(username_is_valid("sara.admin"));
        assert!(username_is_valid("fahad@awn.sa"));
        assert!(username_is_valid("ريم"));
        assert!(!username_is_valid("ab"));
        assert!(!username_is_valid("sara admin"));
        assert!(!username_is_valid("sara:admin"));
        assert!(!username_is_valid(&"x".repeat(MAX_USERNAME_CHARS + 1)));
    }

    #[test]
    fn totp_codes_match_the_rfc_6238_vectors() {
        // RFC 6238, appendix B, SHA-1: the secret "12345678901234567890".
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assert_eq!(totp_code_at(secret, 59).as_deref(), Some("287082"));
        assert_eq!(totp_code_at(secret, 1_111_111_109).as_deref(), Some("081804"));
        assert_eq!(totp_code_at(secret, 1_234_567_890).as_deref(), Some("005924"));
        assert_eq!(totp_code_at("not base32!", 59), None);
        assert_eq!(totp_code_at(secret, -1), None);
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_in_any_digits_and_only_once() {
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        let now = 1_800_000_015;
        let step = now / 30;
        let code = totp_code_at(secret, now).unwrap();
        assert_eq!(matching_totp_step(secret, &code, now, None), Some(step));
        assert_eq!(matching_totp_step(secret, &code, now + 30, None), Some(step));
        assert_eq!(matching_totp_step(secret, &code, now - 30, None), Some(step));
        assert_eq!(matching_totp_step(secret, &code, now + 60, None), None);
        let arabic: String = code.chars().map(|c| char::from_u32(0x0660 + c.to_digit(10).unwrap()).unwrap()).collect();
        assert_eq!(matching_totp_step(secret, &arabic, now, None), Some(step));
        assert_eq!(matching_totp_step(secret, &format!("{} {}", &code[..3], &code[3..]), now, None), Some(step));
        assert_eq!(matching_totp_step(secret, &code, now, Some(step)), None, "replayed");
        assert_eq!(matching_totp_step(secret, "12345", now, None), None);
    }
}
