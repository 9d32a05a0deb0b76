//! The notices a member of staff reads in the workspace: reminders and
//! escalations about a clock, and the daily digest with its counts. The
//! scheduler writes them; here they are read and marked read, each by its own
//! staff member only.

use awn_domain::{
    calendar::UnixTime,
    deadlines::{ClockRule, NoticeKind},
};
use sqlx::Row;

use crate::{
    Database, Page, PageRequest, StorageError, StorageResult,
    clocks::{
        Subject,
        work::{label_of, rule_of, subject_of},
    },
    page_of, page_window,
};

/// The clock a reminder or an escalation is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeClock {
    pub clock_id: i64,
    pub rule: ClockRule,
    pub subject: Subject,
    /// A request's reference, else `#id`.
    pub label: String,
    pub due_at: Option<UnixTime>,
    /// Whose item it is (an escalation's subject).
    pub responsible_name: Option<String>,
}

/// The counts of a daily digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestCounts {
    pub overdue: i64,
    pub today: i64,
    pub this_week: i64,
}

/// A notice, as the workspace shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffNotice {
    pub id: i64,
    pub kind: NoticeKind,
    pub clock: Option<NoticeClock>,
    pub digest: Option<DigestCounts>,
    pub created_at: UnixTime,
    pub read_at: Option<UnixTime>,
}

/// A page of `staff_id`'s notices, the newest first, with their total.
pub async fn list(db: &Database, staff_id: i64, request: PageRequest) -> StorageResult<Page<StaffNotice>> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff_notices WHERE staff_id = $1")
        .bind(staff_id)
        .fetch_one(db.pool())
        .await?;
    let (request, limit, offset) = page_window(request, total);
    let rows = sqlx::query(
        "SELECT n.id, n.kind, n.clock_id, n.overdue_count, n.today_count, n.week_count, n.created_at, n.read_at, \
           c.rule, c.subject_kind, c.subject_id, c.due_at, s.display_name, r.reference \
         FROM staff_notices n \
         LEFT JOIN clocks c ON c.id = n.clock_id \
         LEFT JOIN staff_accounts s ON s.id = c.responsible_staff_id \
         LEFT JOIN support_requests r ON c.subject_kind = 'request' AND r.id = c.subject_id \
         WHERE n.staff_id = $1 ORDER BY n.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(staff_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let items = rows.iter().map(notice_from_row).collect::<StorageResult<_>>()?;
    Ok(page_of(items, total, request))
}

/// How many of `staff_id`'s notices are unread.
pub async fn unread_count(db: &Database, staff_id: i64) -> StorageResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM staff_notices WHERE staff_id = $1 AND read_at IS NULL")
        .bind(staff_id)
        .fetch_one(db.pool())
        .await?)
}

/// Marks `notice_id` read, if it is one of `staff_id`'s: [`StorageError::NotFound`]
/// for another's or an unknown one (the two are not told apart). Marking a
/// read notice again keeps its first reading.
pub async fn mark_read(db: &Database, staff_id: i64, notice_id: i64, now: UnixTime) -> StorageResult<()> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM staff_notices WHERE id = $1 AND staff_id = $2")
        .bind(notice_id)
        .bind(staff_id)
        .fetch_optional(db.pool())
        .await?;
    if found.is_none() {
        return Err(StorageError::NotFound(format!("no notice {notice_id} of this staff member")));
    }
    sqlx::query("UPDATE staff_notices SET read_at = $1 WHERE id = $2 AND staff_id = $3 AND read_at IS NULL")
        .bind(now.seconds())
        .bind(notice_id)
        .bind(staff_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Marks every notice of `staff_id` read; returns how many were unread.
pub async fn mark_all_read(db: &Database, staff_id: i64, now: UnixTime) -> StorageResult<u64> {
    let done = sqlx::query("UPDATE staff_notices SET read_at = $1 WHERE staff_id = $2 AND read_at IS NULL")
        .bind(now.seconds())
        .bind(staff_id)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

fn notice_from_row(row: &sqlx::any::AnyRow) -> StorageResult<StaffNotice> {
    let kind: String = row.try_get("kind")?;
    let kind = NoticeKind::from_code(&kind).ok_or_else(|| StorageError::Invalid(format!("notice kind `{kind}`")))?;
    let clock_id: Option<i64> = row.try_get("clock_id")?;
    let rule: Option<String> = row.try_get("rule")?;
    let clock = match (clock_id, rule) {
        (Some(clock_id), Some(rule)) => {
            let subject = subject_of(&row.try_get::<String, _>("subject_kind")?, row.try_get("subject_id")?)?;
            Some(NoticeClock {
                clock_id,
                rule: rule_of(&rule)?,
                label: label_of(subject, row.try_get("reference")?),
                subject,
                due_at: row.try_get::<Option<i64>, _>("due_at")?.map(UnixTime::from_seconds),
                responsible_name: row.try_get("display_name")?,
            })
        }
        _ => None,
    };
    let counts: [Option<i64>; 3] =
        [row.try_get("overdue_count")?, row.try_get("today_count")?, row.try_get("week_count")?];
    let digest = (kind == NoticeKind::Digest).then(|| DigestCounts {
        overdue: counts[0].unwrap_or_default(),
        today: counts[1].unwrap_or_default(),
        this_week: counts[2].unwrap_or_default(),
    });
    Ok(StaffNotice {
        id: row.try_get("id")?,
        kind,
        clock,
        digest,
        created_at: UnixTime::from_seconds(row.try_get("created_at")?),
        read_at: row.try_get::<Option<i64>, _>("read_at")?.map(UnixTime::from_seconds),
    })
}
