//! The slow and secret parts of staff passwords and codes: argon2id hashing
//! behind a bound on concurrent work, and TOTP (RFC 6238) codes.

use std::sync::OnceLock;

use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
};
use awn_domain::digits::normalize_digits;
use rand::RngCore;

use super::{TOTP_DIGITS, TOTP_ISSUER, TOTP_STEP_SECONDS};
use crate::{
    StorageError, StorageResult,
    secrets::{new_token, same_hash},
};

pub(super) fn totp(secret: Vec<u8>, account_name: &str) -> StorageResult<totp_rs::TOTP> {
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

pub(super) fn decode_secret(secret_base32: &str) -> Option<Vec<u8>> {
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
pub(super) fn matching_totp_step(secret_base32: &str, typed: &str, now: i64, last_step: Option<i64>) -> Option<i64> {
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

/// The argon2 work allowed at once in this process: one per core. Each check
/// holds ~19 MiB and tens of milliseconds of a core; without a bound, a burst
/// of sign-ins queues unbounded memory on the blocking pool.
fn password_work() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        tokio::sync::Semaphore::new(cores)
    })
}

/// Runs argon2 work off the async threads, behind [`password_work`].
pub(super) async fn argon2_work<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> StorageResult<T> {
    let _permit =
        password_work().acquire().await.map_err(|e| StorageError::Invalid(format!("password work closed: {e}")))?;
    tokio::task::spawn_blocking(work).await.map_err(|e| StorageError::Invalid(format!("password task: {e}")))
}

/// Hashes with argon2id and its default parameters (19 MiB, 2 passes), off the
/// async threads: hashing is deliberately slow.
pub(super) async fn hash_password(password: String) -> StorageResult<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    argon2_work(move || {
        let salt = SaltString::encode_b64(&salt).map_err(|e| StorageError::Invalid(format!("salt: {e}")))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| StorageError::Invalid(format!("password hashing: {e}")))
    })
    .await?
}

pub(super) async fn verify_password(password: String, stored: String) -> StorageResult<bool> {
    argon2_work(move || {
        let Ok(parsed) = PasswordHash::new(&stored) else { return false };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
}

/// A hash of a random password with the same parameters, checked for unknown
/// usernames so they take as long to refuse as a wrong password.
pub(super) async fn dummy_hash() -> StorageResult<String> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash.clone());
    }
    let hash = hash_password(new_token()).await?;
    Ok(DUMMY.get_or_init(|| hash).clone())
}
