//! The abuse limits that must hold across several app servers, so they are
//! counted in the database: the hourly SMS budget (with the admin's alert when
//! it runs out), the per-number sign-in code limits (`accounts`), and each
//! beneficiary account's submissions per day.

use awn_domain::calendar::SAUDI_UTC_OFFSET_SECONDS;
use sqlx::{AnyConnection, Row};

use crate::{Database, StorageResult, database::Backend};

/// The alert raised when the hourly SMS budget is used up.
pub const SMS_BUDGET_ALERT: &str = "sms_budget_exhausted";
/// An alert of one kind is raised at most this often.
const ALERT_INTERVAL_SECONDS: i64 = 3600;

/// Makes the transaction on `connection` wait for any other transaction that
/// holds the same `key`, until it ends. On PostgreSQL an advisory transaction
/// lock: a count read after it sees every row the previous holder wrote, so
/// parallel requests on several app servers cannot all pass one check. SQLite
/// needs none: a write transaction (`BEGIN IMMEDIATE`) already has the whole
/// database to itself.
pub(crate) async fn lock(connection: &mut AnyConnection, backend: Backend, key: &str) -> StorageResult<()> {
    if backend == Backend::Postgres {
        // `::text`: the lock function returns `void`, a type the Any driver cannot read.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text IS NULL")
            .bind(format!("awn:{key}"))
            .fetch_one(&mut *connection)
            .await?;
    }
    Ok(())
}

/// SMS queued (whatever became of them since) after `since`.
pub(crate) async fn sms_queued_since(connection: &mut AnyConnection, since: i64) -> StorageResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM outbox_messages WHERE channel = 'sms' AND created_at > $1")
        .bind(since)
        .fetch_one(&mut *connection)
        .await?)
}

/// Records an alert of `kind` unless one was recorded within the hour; `true`
/// when this call recorded it.
pub(crate) async fn raise_alert(connection: &mut AnyConnection, kind: &str, now: i64) -> StorageResult<bool> {
    let raised = sqlx::query(
        "INSERT INTO system_alerts (kind, created_at) SELECT $1, $2 \
         WHERE NOT EXISTS (SELECT 1 FROM system_alerts WHERE kind = $1 AND created_at > $3)",
    )
    .bind(kind)
    .bind(now)
    .bind(now - ALERT_INTERVAL_SECONDS)
    .execute(&mut *connection)
    .await?;
    Ok(raised.rows_affected() > 0)
}

/// An alert for the admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemAlert {
    pub id: i64,
    pub kind: String,
    pub created_at: i64,
}

/// The alerts raised after `since`, newest first, at most `limit`.
pub async fn recent_alerts(db: &Database, since: i64, limit: i64) -> StorageResult<Vec<SystemAlert>> {
    let rows = sqlx::query(
        "SELECT id, kind, created_at FROM system_alerts WHERE created_at > $1 ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(since)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(SystemAlert {
                id: row.try_get("id")?,
                kind: row.try_get("kind")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

awn_domain::code_table! {
    /// What a beneficiary sends that lands on a staff member's list.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SubmissionKind {
        SupportRequest = "support_request",
        Inquiry = "inquiry",
        Complaint = "complaint",
    }
}

/// The day (in Saudi time, so "tomorrow" starts at local midnight) `now` falls on.
fn day_of(now: i64) -> i64 {
    (now + SAUDI_UTC_OFFSET_SECONDS).div_euclid(24 * 3600)
}

/// Counts one submission of `kind` by the account against `per_day` (0: no
/// cap); `false`, counting nothing, when today's are used up. The count is
/// raised in one statement, so parallel submissions cannot pass it together.
/// Call it once the submission is otherwise good to go.
pub async fn take_daily_allowance(
    db: &Database,
    beneficiary_id: i64,
    kind: SubmissionKind,
    per_day: u32,
    now: i64,
) -> StorageResult<bool> {
    if per_day == 0 {
        return Ok(true);
    }
    let day = day_of(now);
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM daily_submissions WHERE day < $1").bind(day - 1).execute(&mut *tx).await?;
    let counted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO daily_submissions (beneficiary_id, kind, day, count) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (beneficiary_id, kind, day) DO UPDATE SET count = daily_submissions.count + 1 \
         WHERE daily_submissions.count < $4 RETURNING count",
    )
    .bind(beneficiary_id)
    .bind(kind.code())
    .bind(day)
    .bind(i64::from(per_day))
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(counted.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_turn_at_saudi_midnight() {
        // 2026-11-29 20:59:59 UTC is 23:59:59 in Riyadh; a second later it is the next day.
        let before = 1_795_985_999;
        assert_eq!(day_of(before) + 1, day_of(before + 1));
    }
}
