//! Staff accounts: creation with an argon2id password (and a TOTP second factor for
//! the roles that need one, its secret encrypted at rest), sign-in throttled per
//! address and per username, sessions, the step-up before sensitive actions, the
//! change of one's own password, activation, and each account's acceptance of
//! the privacy policy (B2).
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
    staff::{
        LONGEST_WAIT_SECONDS, MAX_FAILED_SIGN_INS, MAX_FAILED_SIGN_INS_PER_USERNAME, PasswordProblem, StaffRole, check_new_password,
        needs_second_factor, throttle_wait_seconds,
    },
};
use rand::RngCore;
use sqlx::Row;

use crate::{
    Database, StorageError, StorageResult,
    accounts::SessionTimes,
    secrets::{hash_token, new_token, same_hash},
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
async fn argon2_work<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> StorageResult<T> {
    let _permit = password_work()
        .acquire()
        .await
        .map_err(|e| StorageError::Invalid(format!("password work closed: {e}")))?;
    tokio::task::spawn_blocking(work).await.map_err(|e| StorageError::Invalid(format!("password task: {e}")))
}

/// Hashes with argon2id and its default parameters (19 MiB, 2 passes), off the
/// async threads: hashing is deliberately slow.
async fn hash_password(password: String) -> StorageResult<String> {
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

async fn verify_password(password: String, stored: String) -> StorageResult<bool> {
    argon2_work(move || {
        let Ok(parsed) = PasswordHash::new(&stored) else { return false };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
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

#[derive(Clone, PartialEq, Eq)]
pub enum StaffSignIn {
    /// Signed in: a brand-new session (any earlier one of this browser is ended).
    SignedIn { account: StaffAccount, session_token: String },
    /// Unknown username, wrong password, wrong code or a deactivated account:
    /// one answer for all, so the form tells nothing of which accounts exist.
    WrongCredentials,
    /// The password is right and the role needs a code: ask for it (not counted).
    SecondFactorNeeded,
    /// Too many failures for this username from this address (or, for a
    /// guesser spread over many addresses, for this username): nothing is
    /// checked until the wait is over. The same for every username, known or not.
    Throttled { wait_seconds: i64 },
}

/// Never the session token: a debug line in a log must not sign anyone in.
impl std::fmt::Debug for StaffSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StaffSignIn::SignedIn { account, .. } => {
                f.debug_struct("SignedIn").field("account", account).field("session_token", &"[redacted]").finish()
            }
            StaffSignIn::WrongCredentials => f.write_str("WrongCredentials"),
            StaffSignIn::SecondFactorNeeded => f.write_str("SecondFactorNeeded"),
            StaffSignIn::Throttled { wait_seconds } => {
                f.debug_struct("Throttled").field("wait_seconds", wait_seconds).finish()
            }
        }
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

/// Default staff session limits: 30 minutes without use, 12 hours at most.
pub const DEFAULT_STAFF_SESSION: SessionTimes = SessionTimes { idle_seconds: 30 * 60, lifetime_seconds: 12 * 3600 };

/// A sign-in attempt: what was typed, from where, and the session to start.
#[derive(Debug, Clone, Copy)]
pub struct SignInAttempt<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub totp_code: Option<&'a str>,
    /// The client's address (or any stable text naming where the attempt
    /// comes from); only its keyed hash is stored.
    pub client: &'a str,
    pub previous_session_token: Option<&'a str>,
    pub session: SessionTimes,
    pub now: i64,
}

/// [`sign_in_from`] from an unnamed address with the default session limits
/// (tools and tests).
pub async fn sign_in(
    db: &Database,
    username: &str,
    password: &str,
    totp_code: Option<&str>,
    previous_session_token: Option<&str>,
    now: i64,
) -> StorageResult<StaffSignIn> {
    sign_in_from(
        db,
        SignInAttempt {
            username,
            password,
            totp_code,
            client: "",
            previous_session_token,
            session: DEFAULT_STAFF_SESSION,
            now,
        },
    )
    .await
}

/// Signs a staff member in; see [`check_credentials`] for how guessing is
/// bounded. Success resets the throttle and rotates the session.
pub async fn sign_in_from(db: &Database, attempt: SignInAttempt<'_>) -> StorageResult<StaffSignIn> {
    let now = attempt.now;
    let checked = check_credentials(
        db,
        Typed { username: attempt.username, password: attempt.password, totp_code: attempt.totp_code },
        attempt.client,
        now,
    )
    .await?;
    let (account, accepted_step, keys) = match checked {
        Checked::Verified { account, accepted_step, keys } => (account, accepted_step, keys),
        Checked::Wrong => return Ok(StaffSignIn::WrongCredentials),
        Checked::SecondFactorNeeded => return Ok(StaffSignIn::SecondFactorNeeded),
        Checked::Throttled { wait_seconds } => return Ok(StaffSignIn::Throttled { wait_seconds }),
    };
    let mut tx = db.begin_write().await?;
    if !consume_step(&mut tx, account.id, accepted_step).await? {
        // Deactivated, or the same code used by a parallel sign-in, meanwhile.
        return Ok(StaffSignIn::WrongCredentials);
    }
    forget_failures(&mut tx, &keys).await?;
    let session_token = crate::accounts::start_session_in(
        &mut tx,
        STAFF,
        account.id,
        attempt.previous_session_token,
        now,
        attempt.session,
    )
    .await?;
    tx.commit().await?;
    purge_old_throttles(db, now).await?;
    Ok(StaffSignIn::SignedIn { account, session_token })
}

/// What was typed to prove who one is.
#[derive(Debug, Clone, Copy)]
struct Typed<'a> {
    username: &'a str,
    password: &'a str,
    totp_code: Option<&'a str>,
}

/// The two throttle keys of an attempt (keyed hashes).
struct ThrottleKeys {
    /// This username from this address.
    pair: String,
    /// This username from anywhere.
    username: String,
}

impl ThrottleKeys {
    fn new(db: &Database, username: &str, client: &str) -> Self {
        // Keyed with the data key when there is one: an address is personal data,
        // and a plain hash of the few billion IPv4 addresses is easily reversed.
        let hash = |text: &str| match db.keys() {
            Ok(keys) => keys.lookup_hash("staff_sign_in_throttle", text),
            Err(_) => hash_token(text),
        };
        ThrottleKeys {
            pair: hash(&format!("pair\0{client}\0{username}")),
            username: hash(&format!("username\0{username}")),
        }
    }
}

enum Checked {
    Verified { account: StaffAccount, accepted_step: Option<i64>, keys: ThrottleKeys },
    Wrong,
    SecondFactorNeeded,
    Throttled { wait_seconds: i64 },
}

/// Whose password is checked once the attempt is counted.
enum Check {
    /// The account's own hash.
    Real,
    /// A dummy hash: the same work and answer as for an unknown username.
    Dummy,
}

/// The SQL of [`throttle_wait_seconds`] for `failures` (an SQL expression): a
/// `CASE` over the few counts that differ, so one `UPDATE` sets the wait.
fn wait_sql(failures: &str, free: i64) -> String {
    let mut sql = format!("CASE WHEN {failures} < {free} THEN 0");
    let mut count = free;
    loop {
        let wait = throttle_wait_seconds(count, free);
        if wait >= LONGEST_WAIT_SECONDS {
            break;
        }
        sql.push_str(&format!(" WHEN {failures} = {count} THEN {wait}"));
        count += 1;
    }
    sql.push_str(&format!(" ELSE {LONGEST_WAIT_SECONDS} END"));
    sql
}

/// Counts an attempt on `key` before anything is checked, if the key is not
/// waiting: the count and the next wait are set in one `UPDATE … RETURNING`,
/// so parallel attempts cannot all pass on the same old count. Returns the
/// failures counted before this attempt, or `None` while the key waits.
async fn reserve(
    connection: &mut sqlx::AnyConnection,
    key: &str,
    free: i64,
    now: i64,
) -> StorageResult<Option<i64>> {
    sqlx::query(
        "INSERT INTO staff_sign_in_throttle (key_hash, failures, blocked_until, updated_at) VALUES ($1, 0, 0, $2) \
         ON CONFLICT (key_hash) DO NOTHING",
    )
    .bind(key)
    .bind(now)
    .execute(&mut *connection)
    .await?;
    let counted: Option<i64> = sqlx::query_scalar(&format!(
        "UPDATE staff_sign_in_throttle \
         SET failures = failures + 1, blocked_until = $2 + {}, updated_at = $2 \
         WHERE key_hash = $1 AND blocked_until <= $2 RETURNING failures",
        wait_sql("(failures + 1)", free)
    ))
    .bind(key)
    .bind(now)
    .fetch_optional(&mut *connection)
    .await?;
    Ok(counted.map(|failures| failures - 1))
}

/// Seconds until `key` may be tried again (at least one).
async fn wait_of(db: &Database, key: &str, now: i64) -> StorageResult<i64> {
    let until: Option<i64> = sqlx::query_scalar("SELECT blocked_until FROM staff_sign_in_throttle WHERE key_hash = $1")
        .bind(key)
        .fetch_optional(db.pool())
        .await?;
    Ok(until.map_or(1, |until| (until - now).max(1)))
}

/// Takes back the attempt counted on both keys (the password was right and
/// only the code is missing: asking for it is not a failure).
async fn refund(db: &Database, keys: &ThrottleKeys, now: i64) -> StorageResult<()> {
    for (key, free) in [(&keys.pair, MAX_FAILED_SIGN_INS), (&keys.username, MAX_FAILED_SIGN_INS_PER_USERNAME)] {
        sqlx::query(&format!(
            "UPDATE staff_sign_in_throttle SET failures = failures - 1, \
               blocked_until = CASE WHEN failures - 1 < {free} THEN 0 ELSE blocked_until END, updated_at = $2 \
             WHERE key_hash = $1 AND failures > 0"
        ))
        .bind(key)
        .bind(now)
        .execute(db.pool())
        .await?;
    }
    Ok(())
}

/// Forgets the failures of both keys (the right person proved who they are).
async fn forget_failures(connection: &mut sqlx::AnyConnection, keys: &ThrottleKeys) -> StorageResult<()> {
    // One row at a time, in the order attempts lock them: no deadlock on PostgreSQL.
    for key in [&keys.pair, &keys.username] {
        sqlx::query("DELETE FROM staff_sign_in_throttle WHERE key_hash = $1").bind(key).execute(&mut *connection).await?;
    }
    Ok(())
}

/// Marks the TOTP step used (no replay) on an account that is still active;
/// false when it is not, or when a parallel sign-in used the same code.
async fn consume_step(connection: &mut sqlx::AnyConnection, staff_id: i64, step: Option<i64>) -> StorageResult<bool> {
    let updated = sqlx::query(
        "UPDATE staff_accounts SET totp_last_step = COALESCE($1, totp_last_step) \
         WHERE id = $2 AND active = 1 AND (totp_last_step IS NULL OR $1 IS NULL OR totp_last_step < $1)",
    )
    .bind(step)
    .bind(staff_id)
    .execute(&mut *connection)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Checks a username, password and code, bounding how many passwords anyone
/// can check and without letting a stranger keep the owner out.
///
/// Every attempt is **counted before its password is checked**, on two keys,
/// in one transaction: each `UPDATE … RETURNING` raises the count and sets the
/// next wait only if the key is not already waiting, so parallel attempts
/// cannot share an old count (100 at once check at most the free number).
///
/// - **This username from this address**: 5 attempts in a row are free, then
///   each waits 1 minute, doubling to an hour. One laptop therefore checks at
///   most 5 passwords in a burst, then about one an hour. The key names the
///   address, so it slows down only whoever is failing from there.
/// - **This username from anywhere**: 20 in a row free, then the same growing
///   wait, against a guesser spread over many addresses. A stranger could use
///   this key to lock the owner out, so while it waits it still lets through
///   (a) an attempt that carries the account's right TOTP code (checked before
///   the password, and cheap), and (b) for an account without a second factor,
///   one attempt from an address with no failure on record for this username.
///   The admin (who has a code) therefore always signs in from their own
///   machine, and someone without a code gains at most one check per fresh
///   address while the username waits.
///
/// Both keys are about the *typed* username, known or not, so an unknown
/// username is throttled and answered exactly like a real one; a wrong
/// password, a wrong code, an unknown username and a deactivated account give
/// the same answer after the same argon2 work (a dummy hash for unknown names),
/// and all argon2 work runs behind a semaphore of one permit per core.
/// Refused attempts (while a key waits) are not counted, so waiting ends.
/// Success forgets both counts; "password right, code missing" takes its
/// attempt back.
async fn check_credentials(db: &Database, typed: Typed<'_>, client: &str, now: i64) -> StorageResult<Checked> {
    let username = normalize_username(typed.username);
    let keys = ThrottleKeys::new(db, &username, client);
    let mut tx = db.begin_write().await?;
    let Some(pair_failures) = reserve(&mut tx, &keys.pair, MAX_FAILED_SIGN_INS, now).await? else {
        drop(tx);
        return Ok(Checked::Throttled { wait_seconds: wait_of(db, &keys.pair, now).await? });
    };
    let row = sqlx::query(&format!(
        "SELECT {ACCOUNT_COLUMNS}, password_hash, totp_last_step FROM staff_accounts WHERE username = $1"
    ))
    .bind(&username)
    .fetch_optional(&mut *tx)
    .await?;
    let code = typed.totp_code.filter(|code| !code.trim().is_empty());
    let mut found = None;
    if let Some(row) = &row {
        let account = account_from_row(row)?;
        let stored: Option<String> = row.try_get("totp_secret")?;
        let secret = match stored {
            Some(stored) => Some(db.keys()?.decrypt_text(crate::crypto::TOTP_SECRET, &stored)?),
            None => None,
        };
        if needs_second_factor(account.role) && secret.is_none() {
            return Err(StorageError::Invalid(format!("staff account {} needs a second factor but has none", account.id)));
        }
        let last_step: Option<i64> = row.try_get("totp_last_step")?;
        let step = match (&secret, code) {
            (Some(secret), Some(code)) => matching_totp_step(secret, code, now, last_step),
            _ => None,
        };
        let hash: String = row.try_get("password_hash")?;
        found = Some((account, secret.is_some(), step, hash));
    }
    let check = if reserve(&mut tx, &keys.username, MAX_FAILED_SIGN_INS_PER_USERNAME, now).await?.is_some() {
        if found.is_some() { Check::Real } else { Check::Dummy }
    } else {
        // The username waits (many failures from many places): see above.
        let check = match &found {
            Some((_, true, Some(_), _)) => Some(Check::Real),
            Some((_, false, _, _)) if pair_failures == 0 => Some(Check::Real),
            Some((_, true, None, _)) | None if pair_failures == 0 => Some(Check::Dummy),
            _ => None,
        };
        let Some(check) = check else {
            drop(tx);
            return Ok(Checked::Throttled { wait_seconds: wait_of(db, &keys.username, now).await? });
        };
        sqlx::query("UPDATE staff_sign_in_throttle SET failures = failures + 1, updated_at = $2 WHERE key_hash = $1")
            .bind(&keys.username)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        check
    };
    // The attempt is on record before any password is checked.
    tx.commit().await?;

    let password = typed.password.to_owned();
    let (account, has_second_factor, step, hash) = match (check, found) {
        (Check::Real, Some(found)) => found,
        _ => {
            verify_password(password, dummy_hash().await?).await?;
            return Ok(Checked::Wrong);
        }
    };
    if !verify_password(password, hash).await? {
        return Ok(Checked::Wrong);
    }
    if has_second_factor {
        if code.is_none() {
            refund(db, &keys, now).await?;
            return Ok(Checked::SecondFactorNeeded);
        }
        if step.is_none() {
            return Ok(Checked::Wrong);
        }
    }
    if !account.active {
        return Ok(Checked::Wrong);
    }
    Ok(Checked::Verified { account, accepted_step: step, keys })
}

/// The answer to a step-up: the signed-in staff member typed their password
/// (and code) again before a sensitive action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepUp {
    Confirmed,
    /// Wrong password, or the code missing or wrong.
    Refused,
    /// Too many failures: nothing is checked until the wait is over.
    Throttled { wait_seconds: i64 },
}

/// Checks the password (and code, where the account has a second factor) of a
/// signed-in account again, through the same counting and throttling as a
/// sign-in, so a stolen session cannot be used to guess the password either.
pub async fn confirm_identity(
    db: &Database,
    staff_id: i64,
    password: &str,
    totp_code: Option<&str>,
    client: &str,
    now: i64,
) -> StorageResult<StepUp> {
    let Some(account) = by_id(db, staff_id).await? else { return Ok(StepUp::Refused) };
    let typed = Typed { username: &account.username, password, totp_code };
    Ok(match check_credentials(db, typed, client, now).await? {
        Checked::Verified { account, accepted_step, keys } => {
            let mut tx = db.begin_write().await?;
            if !consume_step(&mut tx, account.id, accepted_step).await? {
                return Ok(StepUp::Refused);
            }
            forget_failures(&mut tx, &keys).await?;
            tx.commit().await?;
            StepUp::Confirmed
        }
        Checked::Wrong | Checked::SecondFactorNeeded => StepUp::Refused,
        Checked::Throttled { wait_seconds } => StepUp::Throttled { wait_seconds },
    })
}

/// Why a password change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChangeProblem {
    /// The current password (or code) is wrong.
    NotConfirmed,
    Throttled { wait_seconds: i64 },
    Password(PasswordProblem),
    TooGuessable,
}

/// A staff member changes their own password: the new one passes the same
/// rules as at creation plus the guessability check, the current password (and
/// code) are confirmed as a step-up, and every other session of the account
/// ends (the one of `keep_session_token` stays).
#[allow(clippy::too_many_arguments)]
pub async fn change_password(
    db: &Database,
    staff_id: i64,
    current_password: &str,
    totp_code: Option<&str>,
    new_password: &str,
    client: &str,
    keep_session_token: &str,
    now: i64,
) -> StorageResult<Result<(), PasswordChangeProblem>> {
    let Some(account) = by_id(db, staff_id).await? else { return Ok(Err(PasswordChangeProblem::NotConfirmed)) };
    if let Err(problem) = check_new_password(new_password, &account.username) {
        return Ok(Err(PasswordChangeProblem::Password(problem)));
    }
    if is_guessable(new_password, &[&account.username, &account.display_name]).await? {
        return Ok(Err(PasswordChangeProblem::TooGuessable));
    }
    match confirm_identity(db, staff_id, current_password, totp_code, client, now).await? {
        StepUp::Confirmed => {}
        StepUp::Refused => return Ok(Err(PasswordChangeProblem::NotConfirmed)),
        StepUp::Throttled { wait_seconds } => return Ok(Err(PasswordChangeProblem::Throttled { wait_seconds })),
    }
    let hash = hash_password(new_password.to_owned()).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE staff_accounts SET password_hash = $1 WHERE id = $2")
        .bind(&hash)
        .bind(staff_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE account_kind = $1 AND account_id = $2 AND token_hash <> $3")
        .bind(STAFF)
        .bind(staff_id)
        .bind(hash_token(keep_session_token))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// The failures on record for `username` from `client`, and for `username`
/// from anywhere: each attempt whose password was checked (or is about to be),
/// and not yet forgotten by a success.
pub async fn recorded_failures(db: &Database, username: &str, client: &str) -> StorageResult<(i64, i64)> {
    let keys = ThrottleKeys::new(db, &normalize_username(username), client);
    let mut counts = [0; 2];
    for (count, key) in counts.iter_mut().zip([&keys.pair, &keys.username]) {
        let failures: Option<i64> = sqlx::query_scalar("SELECT failures FROM staff_sign_in_throttle WHERE key_hash = $1")
            .bind(key)
            .fetch_optional(db.pool())
            .await?;
        *count = failures.unwrap_or(0);
    }
    Ok((counts[0], counts[1]))
}

/// Throttle rows untouched for a week are forgotten (their waits ended long ago).
pub async fn purge_old_throttles(db: &Database, now: i64) -> StorageResult<u64> {
    let purged = sqlx::query("DELETE FROM staff_sign_in_throttle WHERE updated_at < $1 AND blocked_until < $2")
        .bind(now - 7 * 24 * 3600)
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(purged.rows_affected())
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
