//! Staff sign-in: every attempt counted before its password is checked,
//! throttled per (username, address) and per username, and the step-up (the
//! password again) before sensitive actions and a change of one's own password.

use awn_domain::staff::{
    LONGEST_WAIT_SECONDS, MAX_FAILED_SIGN_INS, MAX_FAILED_SIGN_INS_PER_USERNAME, PasswordProblem, check_new_password,
    needs_second_factor, throttle_wait_seconds,
};
use sqlx::Row;

use super::{
    ACCOUNT_COLUMNS, STAFF, StaffAccount, account_from_row, by_id, is_guessable, normalize_username,
    passwords::{dummy_hash, hash_password, matching_totp_step, verify_password},
};
use crate::{Database, StorageError, StorageResult, accounts::SessionTimes, secrets::hash_token};

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
async fn reserve(connection: &mut sqlx::AnyConnection, key: &str, free: i64, now: i64) -> StorageResult<Option<i64>> {
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
        sqlx::query("DELETE FROM staff_sign_in_throttle WHERE key_hash = $1")
            .bind(key)
            .execute(&mut *connection)
            .await?;
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
            return Err(StorageError::Invalid(format!(
                "staff account {} needs a second factor but has none",
                account.id
            )));
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
    Throttled {
        wait_seconds: i64,
    },
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
    Throttled {
        wait_seconds: i64,
    },
    Password(PasswordProblem),
    TooGuessable,
}

/// A staff member changes their own password: the new one passes the same
/// rules as at creation plus the guessability check, the current password (and
/// code) are confirmed as a step-up, and every other session of the account
/// ends (the one of `keep_session_token` stays).
#[expect(clippy::too_many_arguments, reason = "a sign-in attempt carries all of these")]
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
        let failures: Option<i64> =
            sqlx::query_scalar("SELECT failures FROM staff_sign_in_throttle WHERE key_hash = $1")
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
