//! Complaints and objections (A2): a beneficiary complains, in general or about
//! one of their own requests (an objection to a rejection, for example), by any
//! channel (A18); staff take it into review and resolve it with a reason the
//! beneficiary reads, which reaches them without asking (A3).

use awn_domain::audit::AuditAction;
use awn_domain::{
    calendar::UnixTime,
    channels::Channel,
    deadlines::{ClockEvent, ClockRule, SubjectKind},
    locale::Language,
    workflow::MAX_NOTE_CHARS,
};
use sqlx::Row;

use crate::{
    Database, Page, PageRequest, StorageError, StorageResult,
    audit::{AuditEntry, record_in},
    clocks::{EventNote, Subject},
    outbox::{NewOutboxMessage, enqueue_in},
    page_of, page_window,
};

pub const OPEN: &str = "open";
pub const IN_REVIEW: &str = "in_review";
pub const RESOLVED: &str = "resolved";

/// Why a complaint or a step on it was refused. Nothing is written on a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ComplaintProblem {
    #[error("no such complaint")]
    NotFound,
    /// The request named is not one of the beneficiary's (or does not exist).
    #[error("no such request of this beneficiary")]
    RequestNotFound,
    #[error("the complaint is empty")]
    BodyRequired,
    #[error("the complaint is too long")]
    BodyTooLong,
    #[error("the resolution needs a reason the beneficiary can read")]
    ResolutionRequired,
    #[error("the resolution is too long")]
    ResolutionTooLong,
    #[error("the complaint is already in review")]
    AlreadyInReview,
    #[error("the complaint is already resolved")]
    AlreadyResolved,
}

/// A stored complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintRow {
    pub id: i64,
    pub beneficiary_id: i64,
    pub request_id: Option<i64>,
    pub request_reference: Option<String>,
    pub body: String,
    pub channel: Channel,
    /// [`OPEN`], [`IN_REVIEW`] or [`RESOLVED`].
    pub status: String,
    pub reviewer_id: Option<i64>,
    pub review_started_at: Option<i64>,
    /// The reason the beneficiary reads.
    pub resolution: Option<String>,
    pub resolved_by: Option<i64>,
    pub resolved_by_name: Option<String>,
    pub resolved_at: Option<i64>,
    pub created_at: i64,
}

/// What the notice of a resolution is composed from: the beneficiary's account
/// (their mobile, E.164, and language) and the complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintContact {
    pub complaint_id: i64,
    pub beneficiary_id: i64,
    pub mobile: String,
    pub language: Language,
    pub request_reference: Option<String>,
    pub body: String,
    pub resolution: String,
}

const COLUMNS: &str = "c.id, c.beneficiary_id, c.request_id, r.reference, c.body, c.channel, c.status, \
                       c.reviewer_id, c.review_started_at, c.resolution, c.resolved_by, \
                       s.display_name AS resolved_by_name, c.resolved_at, c.created_at";
const FROM: &str = "FROM complaints c LEFT JOIN support_requests r ON r.id = c.request_id \
                    LEFT JOIN staff_accounts s ON s.id = c.resolved_by";

fn from_row(row: &sqlx::any::AnyRow) -> StorageResult<ComplaintRow> {
    let channel: String = row.try_get("channel")?;
    Ok(ComplaintRow {
        id: row.try_get("id")?,
        beneficiary_id: row.try_get("beneficiary_id")?,
        request_id: row.try_get("request_id")?,
        request_reference: row.try_get("reference")?,
        body: row.try_get("body")?,
        channel: Channel::from_code(&channel).ok_or_else(|| StorageError::Invalid(format!("channel `{channel}`")))?,
        status: row.try_get("status")?,
        reviewer_id: row.try_get("reviewer_id")?,
        review_started_at: row.try_get("review_started_at")?,
        resolution: row.try_get("resolution")?,
        resolved_by: row.try_get("resolved_by")?,
        resolved_by_name: row.try_get("resolved_by_name")?,
        resolved_at: row.try_get("resolved_at")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Records a complaint. A request, if named, must be the beneficiary's own:
/// otherwise [`ComplaintProblem::RequestNotFound`], whether it exists or not.
pub async fn submit(
    db: &Database,
    beneficiary_id: i64,
    request_id: Option<i64>,
    body: &str,
    channel: Channel,
    now: i64,
) -> StorageResult<Result<i64, ComplaintProblem>> {
    let body = body.trim();
    if body.is_empty() {
        return Ok(Err(ComplaintProblem::BodyRequired));
    }
    if body.chars().count() > MAX_NOTE_CHARS {
        return Ok(Err(ComplaintProblem::BodyTooLong));
    }
    if let Some(request_id) = request_id
        && !crate::requests::belongs_to(db, request_id, beneficiary_id).await?
    {
        return Ok(Err(ComplaintProblem::RequestNotFound));
    }
    let mut tx = db.begin_write().await?;
    let id = sqlx::query_scalar(
        "INSERT INTO complaints (beneficiary_id, request_id, body, channel, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(beneficiary_id)
    .bind(request_id)
    .bind(body)
    .bind(channel.code())
    .bind(OPEN)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    crate::clocks::start_in(
        &mut tx,
        ClockRule::ComplaintResolution,
        Subject { kind: SubjectKind::Complaint, id },
        UnixTime::from_seconds(now),
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// A page of the complaints for staff: those not yet resolved first, the
/// oldest first; then resolved ones, the latest resolved first; with the total
/// of the filtered list. An unknown status matches nothing.
pub async fn list(db: &Database, status: Option<&str>, request: PageRequest) -> StorageResult<Page<ComplaintRow>> {
    let (filter, limit_placeholders) = match status {
        Some(_) => ("WHERE c.status = $1", "$2 OFFSET $3"),
        None => ("", "$1 OFFSET $2"),
    };
    fn bound<'q>(
        sql: &'q str,
        status: Option<&'q str>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        let query = sqlx::query(sql);
        match status {
            Some(status) => query.bind(status),
            None => query,
        }
    }
    let bind = |sql| bound(sql, status);
    let count_sql = format!("SELECT COUNT(*) AS total FROM complaints c {filter}");
    let total: i64 = bind(&count_sql).fetch_one(db.pool()).await?.try_get("total")?;
    let (request, limit, offset) = page_window(request, total);
    let sql = format!(
        "SELECT {COLUMNS} {FROM} {filter} \
         ORDER BY CASE WHEN c.status = 'resolved' THEN 1 ELSE 0 END, \
           CASE WHEN c.status = 'resolved' THEN -COALESCE(c.resolved_at, 0) ELSE c.created_at END, c.id \
         LIMIT {limit_placeholders}"
    );
    let rows = bind(&sql).bind(limit).bind(offset).fetch_all(db.pool()).await?;
    let items = rows.iter().map(from_row).collect::<StorageResult<_>>()?;
    Ok(page_of(items, total, request))
}

pub async fn by_id(db: &Database, complaint_id: i64) -> StorageResult<Option<ComplaintRow>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE c.id = $1"))
        .bind(complaint_id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// A beneficiary's complaints, newest first.
pub async fn for_beneficiary(db: &Database, beneficiary_id: i64) -> StorageResult<Vec<ComplaintRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE c.beneficiary_id = $1 ORDER BY c.created_at DESC, c.id DESC"
    ))
    .bind(beneficiary_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Why a step found the complaint in the wrong state.
fn refusal_for(status: Option<&str>) -> ComplaintProblem {
    match status {
        None => ComplaintProblem::NotFound,
        Some(RESOLVED) => ComplaintProblem::AlreadyResolved,
        Some(_) => ComplaintProblem::AlreadyInReview,
    }
}

/// An open complaint goes into review by `staff_id`, with an audit entry.
pub async fn start_review(
    db: &Database,
    complaint_id: i64,
    staff_id: i64,
    now: i64,
) -> StorageResult<Result<(), ComplaintProblem>> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query("SELECT status, beneficiary_id, request_id FROM complaints WHERE id = $1")
        .bind(complaint_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else { return Ok(Err(ComplaintProblem::NotFound)) };
    let status: String = row.try_get("status")?;
    if status != OPEN {
        return Ok(Err(refusal_for(Some(&status))));
    }
    let updated = sqlx::query(
        "UPDATE complaints SET status = $1, reviewer_id = $2, review_started_at = $3 WHERE id = $4 AND status = $5",
    )
    .bind(IN_REVIEW)
    .bind(staff_id)
    .bind(now)
    .bind(complaint_id)
    .bind(OPEN)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Ok(Err(ComplaintProblem::AlreadyInReview));
    }
    // The reviewer now answers for the complaint's clock.
    crate::clocks::set_responsible_in(
        &mut tx,
        Subject { kind: SubjectKind::Complaint, id: complaint_id },
        Some(staff_id),
    )
    .await?;
    let reason = format!("complaint:{complaint_id}");
    let entry = AuditEntry {
        staff_id,
        action: AuditAction::ComplaintStartReview,
        beneficiary_id: row.try_get("beneficiary_id")?,
        request_id: row.try_get("request_id")?,
        reason: &reason,
    };
    record_in(&mut tx, db.keys()?, entry, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Resolves a complaint (open or in review) with the reason the beneficiary
/// reads: in one transaction the resolution is stored, the notice `compose`
/// builds is queued and the audit entry [`AuditAction::ComplaintResolve`] is appended. A
/// complaint is resolved once; a refusal writes nothing.
pub async fn resolve(
    db: &Database,
    complaint_id: i64,
    staff_id: i64,
    resolution: &str,
    now: i64,
    compose: impl FnOnce(&ComplaintContact) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), ComplaintProblem>> {
    let resolution = resolution.trim();
    if resolution.is_empty() {
        return Ok(Err(ComplaintProblem::ResolutionRequired));
    }
    if resolution.chars().count() > MAX_NOTE_CHARS {
        return Ok(Err(ComplaintProblem::ResolutionTooLong));
    }
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "SELECT c.status, c.beneficiary_id, c.request_id, c.body, b.mobile, b.language, r.reference \
         FROM complaints c JOIN beneficiary_accounts b ON b.id = c.beneficiary_id \
         LEFT JOIN support_requests r ON r.id = c.request_id WHERE c.id = $1",
    )
    .bind(complaint_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else { return Ok(Err(ComplaintProblem::NotFound)) };
    if row.try_get::<String, _>("status")? == RESOLVED {
        return Ok(Err(ComplaintProblem::AlreadyResolved));
    }
    let updated = sqlx::query(
        "UPDATE complaints SET status = $1, resolution = $2, resolved_by = $3, resolved_at = $4 \
         WHERE id = $5 AND status <> $1",
    )
    .bind(RESOLVED)
    .bind(resolution)
    .bind(staff_id)
    .bind(now)
    .bind(complaint_id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Ok(Err(ComplaintProblem::AlreadyResolved));
    }
    crate::clocks::record_in(
        &mut tx,
        ClockRule::ComplaintResolution,
        Subject { kind: SubjectKind::Complaint, id: complaint_id },
        ClockEvent::Met { at: UnixTime::from_seconds(now) },
        EventNote { staff_id: Some(staff_id), reason: "" },
    )
    .await?;
    let language: String = row.try_get("language")?;
    let contact = ComplaintContact {
        complaint_id,
        beneficiary_id: row.try_get("beneficiary_id")?,
        mobile: db.keys()?.decrypt_text(crate::crypto::ACCOUNT_MOBILE, &row.try_get::<String, _>("mobile")?)?,
        language: Language::from_tag(&language).unwrap_or(Language::Arabic),
        request_reference: row.try_get("reference")?,
        body: row.try_get("body")?,
        resolution: resolution.to_owned(),
    };
    enqueue_in(&mut tx, db.keys()?, &compose(&contact), now).await?;
    let reason = format!("complaint:{complaint_id}");
    let entry = AuditEntry {
        staff_id,
        action: AuditAction::ComplaintResolve,
        beneficiary_id: Some(contact.beneficiary_id),
        request_id: row.try_get("request_id")?,
        reason: &reason,
    };
    record_in(&mut tx, db.keys()?, entry, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}
