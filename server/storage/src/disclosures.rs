//! Disclosures to third parties (B1, B4): the only way a beneficiary's personal
//! data leaves the association. Each is recorded with the ordering authority,
//! the order's reference and date, what was disclosed and who approved it, and
//! an audit entry, in one transaction.

use awn_domain::audit::AuditAction;
use awn_domain::privacy::Disclosure;
use sqlx::Row;

use crate::{
    Database, Page, PageRequest, StorageError, StorageResult,
    audit::{AuditEntry, record_in},
    page_of, page_window,
};

/// A recorded disclosure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureRecord {
    pub id: i64,
    pub beneficiary_id: i64,
    pub authority: String,
    pub order_reference: String,
    /// YYYY-MM-DD.
    pub order_date: String,
    pub data_disclosed: String,
    pub approved_by: i64,
    pub approved_by_name: String,
    pub recorded_at: i64,
}

/// Records a disclosure approved by `staff_id`. [`StorageError::NotFound`] when
/// the beneficiary does not exist.
pub async fn record(
    db: &Database,
    beneficiary_id: i64,
    disclosure: &Disclosure,
    staff_id: i64,
    now: i64,
) -> StorageResult<i64> {
    let mut tx = db.begin_write().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM beneficiary_accounts WHERE id = $1")
        .bind(beneficiary_id)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Err(StorageError::NotFound(format!("no beneficiary {beneficiary_id}")));
    }
    let day = disclosure.order_date;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO disclosures (beneficiary_id, authority, order_reference, order_date, data_disclosed, \
           approved_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(beneficiary_id)
    .bind(&disclosure.authority)
    .bind(&disclosure.order_reference)
    .bind(format!("{:04}-{:02}-{:02}", day.year, day.month, day.day))
    .bind(&disclosure.data_disclosed)
    .bind(staff_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let reason = format!("order:{}", disclosure.order_reference);
    let entry = AuditEntry {
        staff_id,
        action: AuditAction::DisclosureRecord,
        beneficiary_id: Some(beneficiary_id),
        request_id: None,
        reason: &reason,
    };
    record_in(&mut tx, db.keys()?, entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

const SELECT: &str = "SELECT d.id, d.beneficiary_id, d.authority, d.order_reference, d.order_date, d.data_disclosed, \
                        d.approved_by, s.display_name, d.recorded_at \
                      FROM disclosures d JOIN staff_accounts s ON s.id = d.approved_by";

fn from_row(row: &sqlx::any::AnyRow) -> StorageResult<DisclosureRecord> {
    Ok(DisclosureRecord {
        id: row.try_get("id")?,
        beneficiary_id: row.try_get("beneficiary_id")?,
        authority: row.try_get("authority")?,
        order_reference: row.try_get("order_reference")?,
        order_date: row.try_get("order_date")?,
        data_disclosed: row.try_get("data_disclosed")?,
        approved_by: row.try_get("approved_by")?,
        approved_by_name: row.try_get("display_name")?,
        recorded_at: row.try_get("recorded_at")?,
    })
}

/// A page of the disclosures, newest first, with their total.
pub async fn list(db: &Database, request: PageRequest) -> StorageResult<Page<DisclosureRecord>> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM disclosures").fetch_one(db.pool()).await?;
    let (request, limit, offset) = page_window(request, total);
    let rows = sqlx::query(&format!("{SELECT} ORDER BY d.recorded_at DESC, d.id DESC LIMIT $1 OFFSET $2"))
        .bind(limit)
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
    let items = rows.iter().map(from_row).collect::<StorageResult<_>>()?;
    Ok(page_of(items, total, request))
}

/// One beneficiary's disclosures, newest first (they may see them: PDPL right to know).
pub async fn for_beneficiary(db: &Database, beneficiary_id: i64) -> StorageResult<Vec<DisclosureRecord>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE d.beneficiary_id = $1 ORDER BY d.recorded_at DESC, d.id DESC"))
        .bind(beneficiary_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}
