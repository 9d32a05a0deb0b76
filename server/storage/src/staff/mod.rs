//! Staff accounts: creation with an argon2id password (and a TOTP second factor for
//! the roles that need one, its secret encrypted at rest), sign-in throttled per
//! address and per username, sessions, the step-up before sensitive actions, the
//! change of one's own password, activation, and each account's acceptance of
//! the privacy policy (B2).
//!
//! Staff share the `sessions` table with beneficiaries; their rows carry
//! [`STAFF`] as the account kind, so `accounts::session_owner` serves both.

mod passwords;
mod reminders;
mod sign_in;

use awn_domain::{
    digits::normalize_digits,
    identity::clean_text,
    staff::{PasswordProblem, StaffRole, check_new_password, needs_second_factor},
};
use sqlx::Row;

use crate::{Database, StorageError, StorageResult};

pub use passwords::totp_code_at;
use passwords::{hash_password, totp};
pub use reminders::*;
pub use sign_in::*;

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

impl StaffAccount {
    /// The account's id, typed.
    pub fn staff_id(&self) -> awn_domain::ids::StaffId {
        awn_domain::ids::StaffId::new(self.id)
    }
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
    /// Long enough, but among the passwords guessed first (common words,
    /// keyboard runs, dates, names): see [`is_guessable`].
    TooGuessable,
}

/// Whether a password is among those an attacker tries first, by the zxcvbn
/// estimate (common and breached passwords, dictionary words, keyboard
/// patterns, repeats, dates, and the person's own names). The bar is score 3
/// of 4, about 10^10 guesses ("safely unguessable" against an offline attack
/// on a slow hash, which argon2id is).
pub async fn is_guessable(password: &str, personal: &[&str]) -> StorageResult<bool> {
    let password = password.to_owned();
    let personal: Vec<String> = personal.iter().map(|s| (*s).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let inputs: Vec<&str> = personal.iter().map(String::as_str).chain(["awn", "عون"]).collect();
        zxcvbn::zxcvbn(&password, &inputs).score() < zxcvbn::Score::Three
    })
    .await
    .map_err(|e| StorageError::Invalid(format!("password strength task: {e}")))
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
    if is_guessable(new.password, &[&username, &display_name]).await? {
        return Ok(Err(StaffProblem::TooGuessable));
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
    // Encrypted at rest; a tool run without the data keys writes it plain and
    // the server's next start seals it (see `crypto::encrypt_rows`).
    let stored_secret = match (&totp_secret, db.keys()) {
        (Some(secret), Ok(keys)) => Some(keys.encrypt_text(crate::crypto::TOTP_SECRET, secret)),
        (secret, _) => secret.clone(),
    };
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO staff_accounts (username, display_name, role, password_hash, totp_secret, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&username)
    .bind(&display_name)
    .bind(new.role.code())
    .bind(&password_hash)
    .bind(stored_secret)
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
/// in the same transaction. [`StorageError::NotFound`] for an unknown account.
pub async fn set_active(db: &Database, id: i64, active: bool) -> StorageResult<()> {
    let mut tx = db.begin_write().await?;
    let updated = sqlx::query("UPDATE staff_accounts SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if updated.rows_affected() != 1 {
        return Err(StorageError::NotFound(format!("no staff account {id}")));
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
    use super::{passwords::matching_totp_step, *};

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
