//! Beneficiary accounts, passwordless sign-in with one-time codes, and sessions.
//!
//! Sessions live in the database so any app server behind the load balancer can
//! serve any request, and so "sign out everywhere" is one delete.

use awn_domain::{
    identity::SaudiMobile,
    locale::Language,
    sign_in::{self, CodeCheck, ResendRefusal},
};
use sqlx::Row;

use crate::{
    Database, StorageResult,
    outbox::{NewOutboxMessage, enqueue_in},
    secrets::{hash_code, hash_token, new_numeric_code, new_token, same_hash},
};

/// How long a beneficiary's session lasts after sign-in, at most.
pub const SESSION_LIFETIME_SECONDS: i64 = 30 * 24 * 3600;

/// A beneficiary's session ends after this long unused, unless configured otherwise.
pub const DEFAULT_BENEFICIARY_IDLE_SECONDS: i64 = 7 * 24 * 3600;

/// How long a session may last: at most `lifetime_seconds` after sign-in, and
/// no longer than `idle_seconds` after its last use. Kept on the session's row
/// when it starts, so every app server applies the same limits to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionTimes {
    pub idle_seconds: i64,
    pub lifetime_seconds: i64,
}

impl SessionTimes {
    /// A beneficiary's session: thirty days at most, ended by `idle_seconds` without use.
    pub fn beneficiary(idle_seconds: i64) -> Self {
        SessionTimes { idle_seconds, lifetime_seconds: SESSION_LIFETIME_SECONDS }
    }

    /// How often `last_seen_at` is written: reads should not all become writes,
    /// yet the idle limit must hold. Writing at most every thirtieth of the
    /// idle time (a minute for a 30-minute limit, five at most) means a session
    /// ends at most that much *before* its idle time, never after.
    pub fn touch_interval(idle_seconds: i64) -> i64 {
        (idle_seconds / 30).clamp(1, 300)
    }
}
/// Account kind of beneficiaries in the sessions table (staff come later).
pub const BENEFICIARY: &str = "beneficiary";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeneficiaryAccount {
    pub id: i64,
    pub mobile: SaudiMobile,
    pub language: Language,
}

/// A code was issued: the browser keeps `challenge_token` (in a cookie), the person
/// receives the code through the outbox.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedChallenge {
    pub challenge_token: String,
    pub expires_at: i64,
}

impl std::fmt::Debug for IssuedChallenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token signs in whoever holds it with the code: never in a log.
        f.debug_struct("IssuedChallenge").field("expires_at", &self.expires_at).finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeIssue {
    Issued(IssuedChallenge),
    Refused(ResendRefusal),
    /// The SMS budget of the hour (all app servers together) is used up.
    BudgetExhausted,
}

/// Issues a sign-in code for `mobile` unless the resend rules or the hourly SMS
/// budget (`sms_budget_per_hour`, 0: none) refuse it; the message carrying it
/// (built by `compose` from the code) is queued in the same transaction.
///
/// Both checks hold under parallel requests and across app servers: on
/// PostgreSQL the number's requests queue behind an advisory lock on its hash,
/// and code requests behind one on the budget, before they count (SQLite's
/// write transaction already lets one writer in at a time). The budget counts
/// every SMS queued in the last hour, receipts and notices included.
pub async fn issue_sign_in_code(
    db: &Database,
    mobile: &SaudiMobile,
    now: i64,
    sms_budget_per_hour: u32,
    compose: impl FnOnce(&str) -> Vec<NewOutboxMessage>,
) -> StorageResult<CodeIssue> {
    let keys = db.keys()?;
    let mobile_hash = crate::crypto::contact_hash(keys, mobile.as_e164());
    let mut tx = db.begin_write().await?;
    // Always the number's lock first, then the budget's: no two requests wait on each other.
    crate::limits::lock(&mut tx, db.backend(), &format!("sign_in_code:{}", mobile_hash.as_deref().unwrap_or_default()))
        .await?;
    let recent: Vec<i64> = sqlx::query_scalar(
        "SELECT created_at FROM sign_in_codes WHERE mobile_hash = $1 AND created_at > $2 ORDER BY created_at",
    )
    .bind(&mobile_hash)
    .bind(now - sign_in::CODE_COUNT_WINDOW_SECONDS)
    .fetch_all(&mut *tx)
    .await?;
    if let Err(refusal) = sign_in::may_send_code(now, recent.last().copied(), &recent) {
        return Ok(CodeIssue::Refused(refusal));
    }
    let code = new_numeric_code(sign_in::CODE_LENGTH);
    let messages = compose(&code);
    if sms_budget_per_hour > 0 {
        crate::limits::lock(&mut tx, db.backend(), "sms_budget").await?;
        let queued = crate::limits::sms_queued_since(&mut tx, now - 3600).await?;
        let adding = messages.iter().filter(|m| m.channel == crate::outbox::Channel::Sms).count() as i64;
        if queued + adding > i64::from(sms_budget_per_hour) {
            if crate::limits::raise_alert(&mut tx, crate::limits::SMS_BUDGET_ALERT, now).await? {
                tracing::error!(
                    budget = sms_budget_per_hour,
                    queued,
                    "the hourly SMS budget is used up: sign-in codes are refused until it frees up"
                );
            }
            tx.commit().await?;
            return Ok(CodeIssue::BudgetExhausted);
        }
    }
    let salt = new_token();
    let challenge_token = new_token();
    let expires_at = now + sign_in::CODE_TTL_SECONDS;
    sqlx::query(
        "INSERT INTO sign_in_codes (mobile, challenge_hash, code_salt, code_hash, created_at, expires_at, mobile_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(keys.encrypt_text(crate::crypto::CODE_MOBILE, mobile.as_e164()))
    .bind(hash_token(&challenge_token))
    .bind(&salt)
    .bind(hash_code(&salt, &code))
    .bind(now)
    .bind(expires_at)
    .bind(&mobile_hash)
    .execute(&mut *tx)
    .await?;
    enqueue_in(&mut tx, keys, &messages, now).await?;
    tx.commit().await?;
    Ok(CodeIssue::Issued(IssuedChallenge { challenge_token, expires_at }))
}

/// The number a pending challenge was sent to (to show "we sent a code to 05*****678").
pub async fn challenge_mobile(db: &Database, challenge_token: &str) -> StorageResult<Option<SaudiMobile>> {
    let mobile: Option<String> = sqlx::query_scalar("SELECT mobile FROM sign_in_codes WHERE challenge_hash = $1")
        .bind(hash_token(challenge_token))
        .fetch_optional(db.pool())
        .await?;
    let mobile = db.keys()?.decrypt_optional(crate::crypto::CODE_MOBILE, mobile)?;
    Ok(mobile.as_deref().and_then(SaudiMobile::from_e164))
}

#[derive(Clone, PartialEq, Eq)]
pub enum CodeVerification {
    /// Signed in: a brand-new session (any earlier one of this browser is ended).
    SignedIn {
        account: BeneficiaryAccount,
        session_token: String,
    },
    Refused(CodeCheck),
    /// No such challenge (the cookie is stale or forged).
    UnknownChallenge,
}

/// Never the session token: a debug line in a log must not sign anyone in.
impl std::fmt::Debug for CodeVerification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodeVerification::SignedIn { account, .. } => {
                f.debug_struct("SignedIn").field("account", account).field("session_token", &"[redacted]").finish()
            }
            CodeVerification::Refused(check) => f.debug_tuple("Refused").field(check).finish(),
            CodeVerification::UnknownChallenge => f.write_str("UnknownChallenge"),
        }
    }
}

/// [`verify_sign_in_code_for`] with the default session limits (tools and tests).
pub async fn verify_sign_in_code(
    db: &Database,
    challenge_token: &str,
    code: &str,
    now: i64,
    language: Language,
    previous_session_token: Option<&str>,
) -> StorageResult<CodeVerification> {
    let session = SessionTimes::beneficiary(DEFAULT_BENEFICIARY_IDLE_SECONDS);
    verify_sign_in_code_for(db, challenge_token, code, now, language, previous_session_token, session).await
}

/// Checks a code against its challenge. Every try counts, right or wrong, and the
/// count is raised atomically so parallel guesses cannot exceed the limit. A
/// session with the limits of `session` starts when the code is right.
pub async fn verify_sign_in_code_for(
    db: &Database,
    challenge_token: &str,
    code: &str,
    now: i64,
    language: Language,
    previous_session_token: Option<&str>,
    session: SessionTimes,
) -> StorageResult<CodeVerification> {
    let mut tx = db.begin_write().await?;
    let mobile = match consume_code_in(&mut tx, db, challenge_token, code, now).await? {
        Ok(mobile) => mobile,
        Err(refused) => {
            tx.commit().await?;
            return Ok(refused);
        }
    };
    let keys = db.keys()?;
    let account_id: i64 = sqlx::query_scalar(
        "INSERT INTO beneficiary_accounts (mobile, language, created_at, last_sign_in_at, mobile_hash) \
         VALUES ($1, $2, $3, $3, $4) \
         ON CONFLICT (mobile_hash) DO UPDATE SET last_sign_in_at = excluded.last_sign_in_at, \
           language = excluded.language \
         RETURNING id",
    )
    .bind(keys.encrypt_text(crate::crypto::ACCOUNT_MOBILE, mobile.as_e164()))
    .bind(language.tag())
    .bind(now)
    .bind(crate::crypto::contact_hash(keys, mobile.as_e164()))
    .fetch_one(&mut *tx)
    .await?;
    let session_token =
        start_session_in(&mut tx, BENEFICIARY, account_id, previous_session_token, now, session).await?;
    tx.commit().await?;
    Ok(CodeVerification::SignedIn { account: BeneficiaryAccount { id: account_id, mobile, language }, session_token })
}

/// Checks a code against its challenge inside `tx` and, when it is right,
/// marks it used and answers the number it went to. Every try counts, right or
/// wrong, raised atomically so parallel guesses cannot exceed the limit; the
/// caller commits either way (a refusal's count must stay).
pub(crate) async fn consume_code_in(
    tx: &mut sqlx::AnyConnection,
    db: &Database,
    challenge_token: &str,
    code: &str,
    now: i64,
) -> StorageResult<Result<SaudiMobile, CodeVerification>> {
    let challenge_hash = hash_token(challenge_token);
    let counted = sqlx::query(
        "UPDATE sign_in_codes SET attempts = attempts + 1 \
         WHERE challenge_hash = $1 AND attempts < $2 \
         RETURNING id, mobile, code_salt, code_hash, expires_at, attempts, consumed_at",
    )
    .bind(&challenge_hash)
    .bind(sign_in::MAX_ATTEMPTS)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = counted else {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM sign_in_codes WHERE challenge_hash = $1")
            .bind(&challenge_hash)
            .fetch_optional(&mut *tx)
            .await?;
        return Ok(Err(match exists {
            Some(_) => CodeVerification::Refused(CodeCheck::TooManyAttempts),
            None => CodeVerification::UnknownChallenge,
        }));
    };
    let id: i64 = row.try_get("id")?;
    let keys = db.keys()?;
    let mobile = keys.decrypt_text(crate::crypto::CODE_MOBILE, &row.try_get::<String, _>("mobile")?)?;
    let salt: String = row.try_get("code_salt")?;
    let stored_hash: String = row.try_get("code_hash")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    let attempts: i64 = row.try_get("attempts")?;
    let consumed_at: Option<i64> = row.try_get("consumed_at")?;
    let matches = same_hash(&hash_code(&salt, code), &stored_hash);
    let check = sign_in::check_code(attempts - 1, expires_at, consumed_at.is_some(), now, matches);
    if check != CodeCheck::Accepted {
        return Ok(Err(CodeVerification::Refused(check)));
    }
    let Some(mobile) = SaudiMobile::from_e164(&mobile) else {
        return Err(crate::StorageError::Invalid(format!("stored mobile of sign-in code {id}")));
    };
    sqlx::query("UPDATE sign_in_codes SET consumed_at = $1 WHERE id = $2").bind(now).bind(id).execute(&mut *tx).await?;
    Ok(Ok(mobile))
}

/// Starts a session for an account (of either kind) and returns its token. Rotation:
/// whatever session this browser had ends, so a token seen before sign-in is useless.
pub(crate) async fn start_session_in(
    connection: &mut sqlx::AnyConnection,
    account_kind: &str,
    account_id: i64,
    previous_session_token: Option<&str>,
    now: i64,
    times: SessionTimes,
) -> StorageResult<String> {
    if let Some(previous) = previous_session_token {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash_token(previous))
            .execute(&mut *connection)
            .await?;
    }
    let session_token = new_token();
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_kind, account_id, created_at, last_seen_at, expires_at, idle_seconds) \
         VALUES ($1, $2, $3, $4, $4, $5, $6)",
    )
    .bind(hash_token(&session_token))
    .bind(account_kind)
    .bind(account_id)
    .bind(now)
    .bind(now + times.lifetime_seconds)
    .bind(times.idle_seconds)
    .execute(&mut *connection)
    .await?;
    Ok(session_token)
}

/// Who a session token belongs to, if it is valid now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionOwner {
    pub account_kind: String,
    pub account_id: i64,
}

/// The row of a session that has neither reached its end nor gone unused for
/// longer than its idle time, with its beneficiary's account columns when it
/// is a beneficiary's (one read for the owner and the account); using it keeps
/// it alive.
async fn live_session(db: &Database, session_token: &str, now: i64) -> StorageResult<Option<sqlx::any::AnyRow>> {
    let token_hash = hash_token(session_token);
    let row = sqlx::query(
        "SELECT s.account_kind, s.account_id, s.last_seen_at, s.idle_seconds, b.mobile, b.language \
         FROM sessions s LEFT JOIN beneficiary_accounts b ON s.account_kind = $3 AND b.id = s.account_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(&token_hash)
    .bind(now)
    .bind(BENEFICIARY)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let last_seen: i64 = row.try_get("last_seen_at")?;
    let idle_seconds: i64 = row.try_get("idle_seconds")?;
    if now - last_seen >= idle_seconds {
        // Left unused too long: it ends for good.
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&token_hash).execute(db.pool()).await?;
        return Ok(None);
    }
    if now - last_seen >= SessionTimes::touch_interval(idle_seconds) {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $1")
            .bind(now)
            .bind(&token_hash)
            .execute(db.pool())
            .await?;
    }
    Ok(Some(row))
}

/// The owner of a live session (see `live_session`).
pub async fn session_owner(db: &Database, session_token: &str, now: i64) -> StorageResult<Option<SessionOwner>> {
    let Some(row) = live_session(db, session_token, now).await? else { return Ok(None) };
    Ok(Some(SessionOwner { account_kind: row.try_get("account_kind")?, account_id: row.try_get("account_id")? }))
}

/// The beneficiary whose live session this is; `None` for no session, an
/// ended one or a staff member's.
pub async fn session_beneficiary(
    db: &Database,
    session_token: &str,
    now: i64,
) -> StorageResult<Option<BeneficiaryAccount>> {
    let Some(row) = live_session(db, session_token, now).await? else { return Ok(None) };
    let (Some(mobile), Some(language)) =
        (row.try_get::<Option<String>, _>("mobile")?, row.try_get::<Option<String>, _>("language")?)
    else {
        return Ok(None);
    };
    beneficiary_from(db, row.try_get("account_id")?, &mobile, &language)
}

/// Signs this browser out.
pub async fn end_session(db: &Database, session_token: &str) -> StorageResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(hash_token(session_token))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Signs the account out on every device; returns how many sessions ended.
pub async fn end_all_sessions(db: &Database, account_kind: &str, account_id: i64) -> StorageResult<u64> {
    let result = sqlx::query("DELETE FROM sessions WHERE account_kind = $1 AND account_id = $2")
        .bind(account_kind)
        .bind(account_id)
        .execute(db.pool())
        .await?;
    Ok(result.rows_affected())
}

pub async fn beneficiary(db: &Database, id: i64) -> StorageResult<Option<BeneficiaryAccount>> {
    let row = sqlx::query("SELECT id, mobile, language FROM beneficiary_accounts WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else { return Ok(None) };
    beneficiary_from(db, id, &row.try_get::<String, _>("mobile")?, &row.try_get::<String, _>("language")?)
}

/// An account from its stored columns (the mobile encrypted).
fn beneficiary_from(
    db: &Database,
    id: i64,
    encrypted_mobile: &str,
    language: &str,
) -> StorageResult<Option<BeneficiaryAccount>> {
    let mobile = db.keys()?.decrypt_text(crate::crypto::ACCOUNT_MOBILE, encrypted_mobile)?;
    Ok(SaudiMobile::from_e164(&mobile).map(|mobile| BeneficiaryAccount {
        id,
        mobile,
        language: Language::from_tag(language).unwrap_or(Language::Arabic),
    }))
}

/// The account of a mobile number (E.164), if there is one.
pub async fn beneficiary_by_mobile(db: &Database, mobile_e164: &str) -> StorageResult<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM beneficiary_accounts WHERE mobile_hash = $1")
        .bind(crate::crypto::contact_hash(db.keys()?, mobile_e164))
        .fetch_optional(db.pool())
        .await?)
}
