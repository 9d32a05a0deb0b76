//! Continuous improvement from opinions (A17): suggestions from beneficiaries,
//! visitors and staff, and the improvement actions staff make of a suggestion,
//! a low score or their own observation, each with an owner, a due date and a
//! status.

use awn_domain::{
    calendar::{CalendarDay, UnixTime, start_of_day_unix},
    deadlines::{ClockEvent, ClockRule, SubjectKind},
    identity::clean_text,
    workflow::{MAX_NOTE_CHARS, MAX_SHORT_TEXT_CHARS},
};
use sqlx::Row;

use crate::{
    Database, Page, PageRequest, StorageError, StorageResult,
    clocks::{EventNote, Subject},
    page_of, page_window,
};

/// Who sent a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionSource {
    Beneficiary(i64),
    Visitor,
    Staff(i64),
}

impl SuggestionSource {
    pub fn code(self) -> &'static str {
        match self {
            SuggestionSource::Beneficiary(_) => "beneficiary",
            SuggestionSource::Visitor => "visitor",
            SuggestionSource::Staff(_) => "staff",
        }
    }
}

/// A suggestion as staff read it: what was suggested and by which kind of
/// person, never who (the person is kept only so their deletion can reach it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub id: i64,
    pub body: String,
    /// "beneficiary", "visitor" or "staff".
    pub source: String,
    pub created_at: i64,
    /// The actions opened from it.
    pub actions: i64,
}

fn invalid(what: impl Into<String>) -> StorageError {
    StorageError::Invalid(what.into())
}

/// Records a suggestion. [`StorageError::Invalid`] for an empty or over-long one.
pub async fn suggest(db: &Database, body: &str, source: SuggestionSource, now: i64) -> StorageResult<i64> {
    let body = crate::inquiries::required_text(body, "suggestion")?;
    let (beneficiary, staff) = match source {
        SuggestionSource::Beneficiary(id) => (Some(id), None),
        SuggestionSource::Staff(id) => (None, Some(id)),
        SuggestionSource::Visitor => (None, None),
    };
    Ok(sqlx::query_scalar(
        "INSERT INTO suggestions (body, source, beneficiary_id, staff_id, created_at) VALUES ($1, $2, $3, $4, $5) \
         RETURNING id",
    )
    .bind(body)
    .bind(source.code())
    .bind(beneficiary)
    .bind(staff)
    .bind(now)
    .fetch_one(db.pool())
    .await?)
}

const SUGGESTION_SELECT: &str = "SELECT s.id, s.body, s.source, s.created_at, \
           (SELECT COUNT(*) FROM improvement_actions a WHERE a.suggestion_id = s.id) AS actions \
         FROM suggestions s";

fn suggestion_of(row: &sqlx::any::AnyRow) -> StorageResult<Suggestion> {
    Ok(Suggestion {
        id: row.try_get("id")?,
        body: row.try_get("body")?,
        source: row.try_get("source")?,
        created_at: row.try_get("created_at")?,
        actions: row.try_get("actions")?,
    })
}

/// A page of the suggestions, newest first, with their total.
pub async fn suggestions(db: &Database, request: PageRequest) -> StorageResult<Page<Suggestion>> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM suggestions").fetch_one(db.pool()).await?;
    let (request, limit, offset) = page_window(request, total);
    let rows = sqlx::query(&format!("{SUGGESTION_SELECT} ORDER BY s.created_at DESC, s.id DESC LIMIT $1 OFFSET $2"))
        .bind(limit)
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
    let items = rows.iter().map(suggestion_of).collect::<StorageResult<_>>()?;
    Ok(page_of(items, total, request))
}

/// One suggestion (an action is being made of it), whichever page it is on.
pub async fn suggestion(db: &Database, id: i64) -> StorageResult<Option<Suggestion>> {
    let row = sqlx::query(&format!("{SUGGESTION_SELECT} WHERE s.id = $1")).bind(id).fetch_optional(db.pool()).await?;
    row.as_ref().map(suggestion_of).transpose()
}

awn_domain::code_table! {
    /// The states of an improvement action.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum ActionStatus {
        Open = "open",
        InProgress = "in_progress",
        Done = "done",
    }
}

/// An improvement action being opened.
#[derive(Debug, Clone)]
pub struct NewAction<'a> {
    pub title: &'a str,
    pub details: &'a str,
    pub suggestion_id: Option<i64>,
    pub response_id: Option<i64>,
    pub owner_id: i64,
    pub due_on: CalendarDay,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImprovementAction {
    pub id: i64,
    pub title: String,
    pub details: String,
    pub suggestion_id: Option<i64>,
    /// The suggestion's text, when it came from one.
    pub suggestion: Option<String>,
    pub response_id: Option<i64>,
    pub owner_id: i64,
    pub owner_name: String,
    /// "YYYY-MM-DD".
    pub due_on: String,
    pub status: ActionStatus,
    pub outcome: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Opens an action. [`StorageError::Invalid`] for an empty title;
/// [`StorageError::NotFound`] for an unknown or inactive owner, or an unknown
/// suggestion or response.
pub async fn open_action(db: &Database, new: NewAction<'_>, staff_id: i64, now: i64) -> StorageResult<i64> {
    let title = clean_text(new.title);
    if title.is_empty() || title.chars().count() > MAX_SHORT_TEXT_CHARS {
        return Err(invalid("an empty or over-long title"));
    }
    let details = new.details.trim();
    if details.chars().count() > MAX_NOTE_CHARS {
        return Err(invalid("details that are too long"));
    }
    let mut tx = db.begin_write().await?;
    let owner: Option<i64> = sqlx::query_scalar("SELECT id FROM staff_accounts WHERE id = $1 AND active = 1")
        .bind(new.owner_id)
        .fetch_optional(&mut *tx)
        .await?;
    if owner.is_none() {
        return Err(StorageError::NotFound(format!("no active staff account {}", new.owner_id)));
    }
    if let Some(id) = new.suggestion_id {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM suggestions WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        if found.is_none() {
            return Err(StorageError::NotFound(format!("no suggestion {id}")));
        }
    }
    if let Some(id) = new.response_id {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM survey_responses WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_none() {
            return Err(StorageError::NotFound(format!("no response {id}")));
        }
    }
    let d = new.due_on;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO improvement_actions (title, details, suggestion_id, response_id, owner_id, due_on, status, \
           outcome, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', '', $7, $8, $8) \
         RETURNING id",
    )
    .bind(title)
    .bind(details)
    .bind(new.suggestion_id)
    .bind(new.response_id)
    .bind(new.owner_id)
    .bind(format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
    .bind(staff_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    follow_clock(&mut tx, id, new.owner_id, new.due_on, false, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// The action's clock runs to the end of its due day while it is not done:
/// met when done, started again if it is reopened.
async fn follow_clock(
    connection: &mut sqlx::AnyConnection,
    action_id: i64,
    owner_id: i64,
    due_on: CalendarDay,
    done: bool,
    now: i64,
) -> StorageResult<()> {
    let subject = Subject { kind: SubjectKind::ImprovementAction, id: action_id };
    let at = UnixTime::from_seconds(now);
    if done {
        let note = EventNote { staff_id: None, reason: "" };
        crate::clocks::record_in(&mut *connection, ClockRule::ImprovementAction, subject, ClockEvent::Met { at }, note)
            .await?;
    } else {
        let end_of_due_day = UnixTime::from_seconds(start_of_day_unix(due_on) + 86_400 - 1);
        crate::clocks::start_in(
            &mut *connection,
            ClockRule::ImprovementAction,
            subject,
            at,
            Some(owner_id),
            Some(end_of_due_day),
        )
        .await?;
    }
    Ok(())
}

/// Moves an action to `status`, with what was done. Returns whether it exists.
pub async fn update_action(
    db: &Database,
    action_id: i64,
    status: ActionStatus,
    outcome: &str,
    now: i64,
) -> StorageResult<bool> {
    let outcome = outcome.trim();
    if outcome.chars().count() > MAX_NOTE_CHARS {
        return Err(invalid("an outcome that is too long"));
    }
    let mut tx = db.begin_write().await?;
    let row = sqlx::query("SELECT owner_id, due_on FROM improvement_actions WHERE id = $1")
        .bind(action_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else { return Ok(false) };
    sqlx::query("UPDATE improvement_actions SET status = $1, outcome = $2, updated_at = $3 WHERE id = $4")
        .bind(status.code())
        .bind(outcome)
        .bind(now)
        .bind(action_id)
        .execute(&mut *tx)
        .await?;
    let due_text: String = row.try_get("due_on")?;
    let due_on =
        CalendarDay::parse_typed(&due_text).map_err(|_| StorageError::Invalid(format!("due day `{due_text}`")))?;
    follow_clock(&mut tx, action_id, row.try_get("owner_id")?, due_on, status == ActionStatus::Done, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// The actions: not done first, by due date; then done ones, latest first.
pub async fn actions(db: &Database) -> StorageResult<Vec<ImprovementAction>> {
    let rows = sqlx::query(
        "SELECT a.id, a.title, a.details, a.suggestion_id, s.body AS suggestion, a.response_id, a.owner_id, \
           o.display_name AS owner_name, a.due_on, a.status, a.outcome, a.created_at, a.updated_at \
         FROM improvement_actions a JOIN staff_accounts o ON o.id = a.owner_id \
         LEFT JOIN suggestions s ON s.id = a.suggestion_id \
         ORDER BY CASE WHEN a.status = 'done' THEN 1 ELSE 0 END, \
           CASE WHEN a.status = 'done' THEN -a.updated_at ELSE 0 END, a.due_on, a.id",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            Ok(ImprovementAction {
                id: row.try_get("id")?,
                title: row.try_get("title")?,
                details: row.try_get("details")?,
                suggestion_id: row.try_get("suggestion_id")?,
                suggestion: row.try_get("suggestion")?,
                response_id: row.try_get("response_id")?,
                owner_id: row.try_get("owner_id")?,
                owner_name: row.try_get("owner_name")?,
                due_on: row.try_get("due_on")?,
                status: ActionStatus::from_code(&status).ok_or_else(|| invalid(format!("action status `{status}`")))?,
                outcome: row.try_get("outcome")?,
                created_at: row.try_get("created_at")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .collect()
}
