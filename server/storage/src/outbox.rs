//! The notification outbox. Messages are written in the same transaction as the
//! event that causes them (a sign-in code, a submission, a change of state), so an
//! event is never recorded without its message nor a message sent for an event
//! that was rolled back. A background worker delivers them with retries.
//!
//! A body may carry a sign-in code or a survey link's token, so it is stored
//! encrypted (bound to its column, like the recipient) and blanked once the
//! message is delivered or given up; finished rows are purged after a retention
//! period ([`purge_finished`]).

use sqlx::{AnyConnection, Row};

use crate::{Database, StorageResult};

awn_domain::code_table! {
    /// How a message reaches a person.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Channel {
        Sms = "sms",
        Email = "email",
    }
}

/// A message to queue. Its `Debug` leaves the body out: it may hold a code.
#[derive(Clone, PartialEq, Eq)]
pub struct NewOutboxMessage {
    pub channel: Channel,
    /// E.164 number for SMS, address for email.
    pub recipient: String,
    /// Email subject; empty for SMS.
    pub subject: String,
    pub body: String,
    /// Why it is sent ("sign_in_code", "request_submitted", "status_changed", …).
    pub purpose: String,
}

#[derive(Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub purpose: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

impl std::fmt::Debug for NewOutboxMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewOutboxMessage")
            .field("channel", &self.channel)
            .field("purpose", &self.purpose)
            .field("body", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for OutboxMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxMessage")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .field("purpose", &self.purpose)
            .field("status", &self.status)
            .field("attempts", &self.attempts)
            .field("body", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// What becomes of a body once its message is delivered or given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinishedBody {
    /// Blanked: a code or link must not outlive its delivery (production).
    Blank,
    /// Kept (encrypted), for /dev/outbox in development.
    Keep,
}

const COLUMNS: &str =
    "id, channel, recipient, subject, body, purpose, status, attempts, last_error, created_at, sent_at";

fn from_row(row: &sqlx::any::AnyRow, keys: &crate::crypto::Keyring) -> StorageResult<OutboxMessage> {
    Ok(OutboxMessage {
        id: row.try_get("id")?,
        channel: row.try_get("channel")?,
        recipient: keys.decrypt_text(crate::crypto::RECIPIENT, &row.try_get::<String, _>("recipient")?)?,
        subject: row.try_get("subject")?,
        body: keys.decrypt_text(crate::crypto::OUTBOX_BODY, &row.try_get::<String, _>("body")?)?,
        purpose: row.try_get("purpose")?,
        status: row.try_get("status")?,
        attempts: row.try_get("attempts")?,
        last_error: row.try_get("last_error")?,
        created_at: row.try_get("created_at")?,
        sent_at: row.try_get("sent_at")?,
    })
}

/// Queues messages inside the caller's transaction.
pub(crate) async fn enqueue_in(
    connection: &mut AnyConnection,
    keys: &crate::crypto::Keyring,
    messages: &[NewOutboxMessage],
    now: i64,
) -> StorageResult<()> {
    for message in messages {
        insert_in(connection, keys, message, None, now).await?;
    }
    Ok(())
}

/// Queues one message. `needs_consent` names the person and the consent kind a
/// message depends on (news, B9): withdrawing that consent cancels the message
/// while it is still queued (`consent::change`).
pub(crate) async fn insert_in(
    connection: &mut AnyConnection,
    keys: &crate::crypto::Keyring,
    message: &NewOutboxMessage,
    needs_consent: Option<(crate::consent::ConsentHolder, &str)>,
    now: i64,
) -> StorageResult<()> {
    use crate::consent::ConsentHolder;
    let holder_id = |of: fn(ConsentHolder) -> Option<i64>| needs_consent.and_then(|(holder, _)| of(holder));
    sqlx::query(
        "INSERT INTO outbox_messages (channel, recipient, subject, body, purpose, next_attempt_at, created_at, \
           consent_beneficiary_id, consent_supporter_id, consent_volunteer_id, consent_kind, recipient_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11)",
    )
    .bind(message.channel.code())
    // The number or address is encrypted at rest (B11); its hash finds it for an erasure.
    .bind(keys.encrypt_text(crate::crypto::RECIPIENT, &message.recipient))
    .bind(&message.subject)
    // The body may carry a sign-in code or a survey link: encrypted too.
    .bind(keys.encrypt_text(crate::crypto::OUTBOX_BODY, &message.body))
    .bind(&message.purpose)
    .bind(now)
    .bind(holder_id(|h| if let ConsentHolder::Beneficiary(id) = h { Some(id) } else { None }))
    .bind(holder_id(|h| if let ConsentHolder::Supporter(id) = h { Some(id) } else { None }))
    .bind(holder_id(|h| if let ConsentHolder::Volunteer(id) = h { Some(id) } else { None }))
    .bind(needs_consent.map(|(_, kind)| kind))
    .bind(crate::crypto::contact_hash(keys, &message.recipient))
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Queues messages on their own.
pub async fn enqueue(db: &Database, messages: &[NewOutboxMessage], now: i64) -> StorageResult<()> {
    let mut tx = db.begin_write().await?;
    enqueue_in(&mut tx, db.keys()?, messages, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes up to `limit` messages that are due and not leased by another worker, and
/// leases them for `lease_seconds`. Several app servers may run workers: the
/// conditional update lets exactly one of them win each message.
pub async fn claim_due(db: &Database, now: i64, lease_seconds: i64, limit: i64) -> StorageResult<Vec<OutboxMessage>> {
    let candidates = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM outbox_messages \
         WHERE status = 'pending' AND next_attempt_at <= $1 AND locked_until <= $1 \
         ORDER BY next_attempt_at, id LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    let keys = db.keys()?;
    let mut claimed = Vec::with_capacity(candidates.len());
    for row in &candidates {
        let message = from_row(row, keys)?;
        let won = sqlx::query(
            "UPDATE outbox_messages SET locked_until = $1 \
             WHERE id = $2 AND status = 'pending' AND locked_until <= $3",
        )
        .bind(now + lease_seconds)
        .bind(message.id)
        .bind(now)
        .execute(db.pool())
        .await?
        .rows_affected()
            == 1;
        if won {
            claimed.push(message);
        }
    }
    Ok(claimed)
}

pub async fn mark_sent(db: &Database, id: i64, now: i64, finished: FinishedBody) -> StorageResult<()> {
    sqlx::query(
        "UPDATE outbox_messages SET status = 'sent', sent_at = $1, attempts = attempts + 1, \
           locked_until = 0, last_error = '', body = CASE WHEN $3 = 1 THEN '' ELSE body END WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .bind(i64::from(finished == FinishedBody::Blank))
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Records a failed delivery: retried later with a growing delay, or given up
/// (status `failed`) after `max_attempts`.
pub async fn mark_attempt_failed(
    db: &Database,
    id: i64,
    now: i64,
    error: &str,
    max_attempts: i64,
    finished: FinishedBody,
) -> StorageResult<()> {
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM outbox_messages WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .unwrap_or_default();
    let attempts = attempts + 1;
    let status = if attempts >= max_attempts { "failed" } else { "pending" };
    // 30 s, 1 min, 2 min, 4 min, … capped at an hour.
    let delay = (30_i64 << (attempts - 1).clamp(0, 7)).min(3600);
    let error: String = error.chars().take(500).collect();
    let blank = status == "failed" && finished == FinishedBody::Blank;
    sqlx::query(
        "UPDATE outbox_messages SET attempts = $1, status = $2, next_attempt_at = $3, \
           locked_until = 0, last_error = $4, body = CASE WHEN $6 = 1 THEN '' ELSE body END WHERE id = $5",
    )
    .bind(attempts)
    .bind(status)
    .bind(now + delay)
    .bind(error)
    .bind(id)
    .bind(i64::from(blank))
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Housekeeping of finished messages (sent, failed or cancelled): blanks their
/// bodies when asked (a cancelled message never passed through delivery) and
/// deletes those queued before `purge_before`. Plain deletes and blanking
/// updates: several servers may run it at once. Returns (blanked, purged).
pub async fn purge_finished(db: &Database, purge_before: i64, finished: FinishedBody) -> StorageResult<(u64, u64)> {
    const FINISHED: &str = "status IN ('sent', 'failed', 'cancelled')";
    let blanked = match finished {
        FinishedBody::Blank => {
            sqlx::query(&format!("UPDATE outbox_messages SET body = '' WHERE {FINISHED} AND body <> ''"))
                .execute(db.pool())
                .await?
                .rows_affected()
        }
        FinishedBody::Keep => 0,
    };
    let purged = sqlx::query(&format!("DELETE FROM outbox_messages WHERE {FINISHED} AND created_at < $1"))
        .bind(purge_before)
        .execute(db.pool())
        .await?
        .rows_affected();
    Ok((blanked, purged))
}

/// The latest messages, newest first (the development outbox page and tests).
pub async fn recent(db: &Database, limit: i64) -> StorageResult<Vec<OutboxMessage>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM outbox_messages ORDER BY id DESC LIMIT $1"))
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    let keys = db.keys()?;
    rows.iter().map(|row| from_row(row, keys)).collect()
}
