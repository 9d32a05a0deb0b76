//! "My work": the running clocks due by the end of this week (or already
//! overdue) that one member of staff, their team or everyone must act on,
//! grouped by [`WorkBucket`], a page at a time with the count of each bucket.

use awn_domain::{
    calendar::UnixTime,
    deadlines::{ClockRule, SubjectKind, WorkBucket},
};
use sqlx::Row;

use super::Subject;
use crate::{Database, Page, PageRequest, StorageError, StorageResult, page_of, page_window};

/// Whose work is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkScope<'a> {
    /// A member of staff's own: the clocks they are responsible for, and those
    /// with nobody responsible whose rule their role handles (`rules`).
    Mine { staff_id: i64, rules: &'a [ClockRule] },
    /// The clocks of the people whose supervisor is `supervisor_id`.
    Team { supervisor_id: i64 },
    /// Every clock (admins).
    All,
}

/// A due item, as "my work" shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    pub clock_id: i64,
    pub rule: ClockRule,
    pub subject: Subject,
    /// What to call the item: a request's reference, else `#id`.
    pub label: String,
    pub due_at: UnixTime,
    pub responsible_staff_id: Option<i64>,
    pub responsible_name: Option<String>,
}

impl WorkItem {
    /// The staff page where the item is handled.
    pub fn href(&self) -> String {
        self.subject.staff_path()
    }
}

impl Subject {
    /// The staff page of the item (a list's item carries its anchor).
    pub fn staff_path(self) -> String {
        let id = self.id;
        match self.kind {
            SubjectKind::Request => format!("/staff/requests/{id}"),
            SubjectKind::Complaint => format!("/staff/complaints#complaint-{id}"),
            SubjectKind::Inquiry => format!("/staff/inquiries#inquiry-{id}"),
            SubjectKind::DataRequest => format!("/staff/data-requests#data-request-{id}"),
            SubjectKind::PrivacyReport => format!("/staff/privacy-reports#report-{id}"),
            SubjectKind::ImprovementAction => format!("/staff/improvements#action-{id}"),
        }
    }
}

/// How many items fall in each bucket of a scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkCounts {
    pub overdue: i64,
    pub today: i64,
    pub this_week: i64,
}

impl WorkCounts {
    pub fn total(self) -> i64 {
        self.overdue + self.today + self.this_week
    }

    pub fn of(self, bucket: WorkBucket) -> i64 {
        match bucket {
            WorkBucket::Overdue => self.overdue,
            WorkBucket::Today => self.today,
            WorkBucket::ThisWeek => self.this_week,
            WorkBucket::Later => 0,
        }
    }
}

const FROM: &str = "FROM clocks c \
    LEFT JOIN staff_accounts s ON s.id = c.responsible_staff_id \
    LEFT JOIN support_requests r ON c.subject_kind = 'request' AND r.id = c.subject_id";

/// The scope's condition; `$1` is the scope's staff id (bound even when unused).
fn scope_filter(scope: WorkScope<'_>) -> String {
    match scope {
        WorkScope::Mine { rules, .. } => {
            // Codes of a code table: fixed words, safe to write into the query.
            let codes: Vec<String> = rules.iter().map(|rule| format!("'{}'", rule.code())).collect();
            if codes.is_empty() {
                "c.responsible_staff_id = $1".to_owned()
            } else {
                format!(
                    "(c.responsible_staff_id = $1 OR (c.responsible_staff_id IS NULL AND c.rule IN ({})))",
                    codes.join(", ")
                )
            }
        }
        WorkScope::Team { .. } => "s.supervisor_id = $1".to_owned(),
        WorkScope::All => "$1 = $1".to_owned(),
    }
}

fn scope_staff(scope: WorkScope<'_>) -> i64 {
    match scope {
        WorkScope::Mine { staff_id, .. } => staff_id,
        WorkScope::Team { supervisor_id } => supervisor_id,
        WorkScope::All => 0,
    }
}

/// The instants that bound the buckets: `$2` now, `$3` the end of today, `$4`
/// the end of this week.
fn bounds(now: UnixTime) -> [i64; 3] {
    [now.seconds(), WorkBucket::end_of_today(now).seconds(), WorkBucket::end_of_this_week(now).seconds()]
}

fn bucket_filter(bucket: Option<WorkBucket>) -> &'static str {
    match bucket {
        None => "c.due_at <= $4",
        Some(WorkBucket::Overdue) => "c.due_at < $2",
        Some(WorkBucket::Today) => "c.due_at >= $2 AND c.due_at <= $3",
        Some(WorkBucket::ThisWeek) => "c.due_at > $3 AND c.due_at <= $4",
        Some(WorkBucket::Later) => "c.due_at > $4",
    }
}

/// A page of the running clocks of `scope` in `bucket` (all three near
/// buckets when `None`), the soonest due first.
pub async fn due_work(
    db: &Database,
    scope: WorkScope<'_>,
    now: UnixTime,
    bucket: Option<WorkBucket>,
    request: PageRequest,
) -> StorageResult<Page<WorkItem>> {
    let filter = format!(
        "WHERE c.phase = 'running' AND c.due_at IS NOT NULL AND {} AND {}",
        scope_filter(scope),
        bucket_filter(bucket)
    );
    let [now_s, today_end, week_end] = bounds(now);
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {FROM} {filter}"))
        .bind(scope_staff(scope))
        .bind(now_s)
        .bind(today_end)
        .bind(week_end)
        .fetch_one(db.pool())
        .await?;
    let (request, limit, offset) = page_window(request, total);
    let rows = sqlx::query(&format!(
        "SELECT c.id, c.rule, c.subject_kind, c.subject_id, c.due_at, c.responsible_staff_id, \
           s.display_name, r.reference {FROM} {filter} ORDER BY c.due_at, c.id LIMIT $5 OFFSET $6"
    ))
    .bind(scope_staff(scope))
    .bind(now_s)
    .bind(today_end)
    .bind(week_end)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let items = rows.iter().map(item_from_row).collect::<StorageResult<_>>()?;
    Ok(page_of(items, total, request))
}

/// How many running clocks of `scope` are overdue, due today and due later this week.
pub async fn work_counts(db: &Database, scope: WorkScope<'_>, now: UnixTime) -> StorageResult<WorkCounts> {
    let [now_s, today_end, week_end] = bounds(now);
    let row = sqlx::query(&format!(
        "SELECT \
           COALESCE(SUM(CASE WHEN c.due_at < $2 THEN 1 ELSE 0 END), 0) AS overdue, \
           COALESCE(SUM(CASE WHEN c.due_at >= $2 AND c.due_at <= $3 THEN 1 ELSE 0 END), 0) AS today, \
           COALESCE(SUM(CASE WHEN c.due_at > $3 AND c.due_at <= $4 THEN 1 ELSE 0 END), 0) AS this_week \
         {FROM} WHERE c.phase = 'running' AND c.due_at IS NOT NULL AND {}",
        scope_filter(scope)
    ))
    .bind(scope_staff(scope))
    .bind(now_s)
    .bind(today_end)
    .bind(week_end)
    .fetch_one(db.pool())
    .await?;
    Ok(WorkCounts {
        overdue: row.try_get("overdue")?,
        today: row.try_get("today")?,
        this_week: row.try_get("this_week")?,
    })
}

pub(crate) fn rule_of(code: &str) -> StorageResult<ClockRule> {
    ClockRule::from_code(code).ok_or_else(|| StorageError::Invalid(format!("clock rule `{code}`")))
}

pub(crate) fn subject_of(kind: &str, id: i64) -> StorageResult<Subject> {
    let kind = SubjectKind::from_code(kind).ok_or_else(|| StorageError::Invalid(format!("clock subject `{kind}`")))?;
    Ok(Subject { kind, id })
}

/// What to call an item: a request's reference, else `#id`.
pub(crate) fn label_of(subject: Subject, reference: Option<String>) -> String {
    reference.filter(|reference| !reference.is_empty()).unwrap_or_else(|| format!("#{}", subject.id))
}

fn item_from_row(row: &sqlx::any::AnyRow) -> StorageResult<WorkItem> {
    let subject = subject_of(&row.try_get::<String, _>("subject_kind")?, row.try_get("subject_id")?)?;
    Ok(WorkItem {
        clock_id: row.try_get("id")?,
        rule: rule_of(&row.try_get::<String, _>("rule")?)?,
        label: label_of(subject, row.try_get("reference")?),
        subject,
        due_at: UnixTime::from_seconds(row.try_get("due_at")?),
        responsible_staff_id: row.try_get("responsible_staff_id")?,
        responsible_name: row.try_get("display_name")?,
    })
}
