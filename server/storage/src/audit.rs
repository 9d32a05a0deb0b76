//! The audit log: who on the staff did or read what, about which beneficiary or
//! request, and why. Append-only: this module offers no way to change or remove
//! an entry (a later issue chains the rows by hash).
//!
//! Moves of a request write their entry in their own transaction (see
//! `casework`); reads of personal data are recorded by the app, in one place,
//! through [`record`].

use sqlx::{AnyConnection, Row};

use crate::{Database, StorageResult};

/// The actions this crate records. The app adds its own (reads of files) as it needs.
pub mod action {
    pub const INTAKE: &str = "request.intake";
    pub const START_VERIFICATION: &str = "request.start_verification";
    pub const VERIFY: &str = "request.verify";
    pub const STUDY: &str = "request.study";
    pub const DECIDE: &str = "request.decide";
    pub const REGISTER: &str = "request.register";
    pub const SERVICE: &str = "request.service";
    pub const CLOSE: &str = "request.close";
    pub const ASSIGN: &str = "request.assign";
    pub const MESSAGE: &str = "request.message";
}

/// An entry to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry<'a> {
    pub staff_id: i64,
    pub action: &'a str,
    pub beneficiary_id: Option<i64>,
    pub request_id: Option<i64>,
    pub reason: &'a str,
}

/// Appends an entry on its own.
pub async fn record(db: &Database, entry: AuditEntry<'_>, now: i64) -> StorageResult<()> {
    let mut connection = db.pool().acquire().await?;
    record_in(&mut connection, entry, now).await
}

/// Appends an entry inside the caller's transaction.
pub(crate) async fn record_in(connection: &mut AnyConnection, entry: AuditEntry<'_>, now: i64) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (staff_id, action, beneficiary_id, request_id, reason, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(entry.staff_id)
    .bind(entry.action)
    .bind(entry.beneficiary_id)
    .bind(entry.request_id)
    .bind(entry.reason)
    .bind(now)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// A stored entry, with the username of who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub staff_id: i64,
    pub staff_username: String,
    pub action: String,
    pub beneficiary_id: Option<i64>,
    pub request_id: Option<i64>,
    pub reason: String,
    pub created_at: i64,
}

/// Entries by one staff member and/or about one beneficiary (either filter may be
/// left out), newest first, at most `limit`.
pub async fn search(
    db: &Database,
    staff_id: Option<i64>,
    beneficiary_id: Option<i64>,
    limit: i64,
) -> StorageResult<Vec<AuditRecord>> {
    let mut conditions = Vec::new();
    let mut next = 1;
    if staff_id.is_some() {
        conditions.push(format!("a.staff_id = ${next}"));
        next += 1;
    }
    if beneficiary_id.is_some() {
        conditions.push(format!("a.beneficiary_id = ${next}"));
        next += 1;
    }
    let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    let sql = format!(
        "SELECT a.id, a.staff_id, s.username, a.action, a.beneficiary_id, a.request_id, a.reason, a.created_at \
         FROM audit_log a JOIN staff_accounts s ON s.id = a.staff_id {filter} ORDER BY a.id DESC LIMIT ${next}"
    );
    let mut query = sqlx::query(&sql);
    if let Some(staff_id) = staff_id {
        query = query.bind(staff_id);
    }
    if let Some(beneficiary_id) = beneficiary_id {
        query = query.bind(beneficiary_id);
    }
    let rows = query.bind(limit).fetch_all(db.pool()).await?;
    rows.iter()
        .map(|row| {
            Ok(AuditRecord {
                id: row.try_get("id")?,
                staff_id: row.try_get("staff_id")?,
                staff_username: row.try_get("username")?,
                action: row.try_get("action")?,
                beneficiary_id: row.try_get("beneficiary_id")?,
                request_id: row.try_get("request_id")?,
                reason: row.try_get("reason")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}
