//! Continuous improvement (A17): the suggestions of beneficiaries, visitors and
//! staff, and the improvement actions made of a suggestion or a low score, each
//! with an owner, a due date and a status.

use awn_domain::{
    calendar::CalendarDay,
    improvements::{action_overdue, iso_day},
    paging::PageRequest,
    workflow::{MAX_NOTE_CHARS, MAX_SHORT_TEXT_CHARS},
};
use awn_storage::{
    Database, StorageError,
    improvements::{self, ActionStatus, NewAction},
    now_unix_seconds,
};

use super::{
    Outcome, Refused,
    access::{Authorized, can},
};
use crate::{
    error::AppError,
    forms::{Problem, checked_text},
    staff::improvements::{ActionRow, ImprovementsPage, SuggestionRow},
};

/// A page of the suggestions, every action (the late ones flagged), the staff
/// who may own one, and what a new action is made from: `suggestion` (on any
/// page) or `response`. The page's problem is the adapter's.
pub async fn overview(
    database: &Database,
    _who: &Authorized<can::ManageImprovements>,
    suggestion: Option<i64>,
    response: Option<i64>,
    request: PageRequest,
) -> Result<ImprovementsPage, AppError> {
    let today = iso_day(now_unix_seconds());
    let row = |s: improvements::Suggestion| SuggestionRow {
        id: s.id,
        body: s.body,
        source: s.source,
        day: iso_day(s.created_at),
        actions: s.actions,
    };
    let (suggestions, suggestion_pages) = improvements::suggestions(database, request).await?.map(row).split();
    let actions = improvements::actions(database)
        .await?
        .into_iter()
        .map(|a| ActionRow {
            id: a.id,
            overdue: action_overdue(a.status == ActionStatus::Done, &a.due_on, &today),
            title: a.title,
            details: a.details,
            from_suggestion: a.suggestion,
            from_response: a.response_id,
            owner: a.owner_name,
            due_on: a.due_on,
            status: a.status.code().to_owned(),
            outcome: a.outcome,
        })
        .collect();
    let owners = awn_storage::staff::list(database)
        .await?
        .into_iter()
        .filter(|s| s.active)
        .map(|s| (s.id.to_string(), s.display_name))
        .collect();
    let from_suggestion = match suggestion {
        Some(id) => improvements::suggestion(database, id).await?.map(|s| (s.id, s.body)),
        None => None,
    };
    Ok(ImprovementsPage {
        suggestions,
        suggestion_pages,
        actions,
        owners,
        from_suggestion,
        from_response: response,
        problem: None,
    })
}

/// A new action as typed.
#[derive(Debug, Clone, Copy)]
pub struct TypedAction<'a> {
    pub title: Option<&'a str>,
    pub details: Option<&'a str>,
    /// The owner's staff id.
    pub owner: Option<&'a str>,
    /// YYYY-MM-DD.
    pub due_on: Option<&'a str>,
    pub suggestion: Option<i64>,
    pub response: Option<i64>,
}

/// Opens an action with an owner and a due day; an owner who left meanwhile,
/// or a suggestion no longer there, is refused on the owner.
pub async fn open_action(
    database: &Database,
    who: &Authorized<can::ManageImprovements>,
    typed: TypedAction<'_>,
) -> Result<Outcome, AppError> {
    let texts = checked_text("", "title", typed.title, MAX_SHORT_TEXT_CHARS, true)
        .and_then(|t| checked_text("", "details", typed.details, MAX_NOTE_CHARS, false).map(|d| (t, d)));
    let (title, details) = match texts {
        Ok(texts) => texts,
        Err(problem) => return Ok(Err(problem.into())),
    };
    let Some(owner_id) = typed.owner.and_then(|o| o.trim().parse::<i64>().ok()) else {
        return Ok(Err(Refused::new("owner", Problem::Required)));
    };
    let due_on = typed.due_on.unwrap_or_default();
    let Ok(due) = CalendarDay::parse_typed(due_on) else {
        let problem = if due_on.trim().is_empty() { Problem::Required } else { Problem::Invalid };
        return Ok(Err(Refused::new("due_on", problem)));
    };
    let new = NewAction {
        title: &title,
        details: &details,
        suggestion_id: typed.suggestion,
        response_id: typed.response,
        owner_id,
        due_on: due,
    };
    match improvements::open_action(database, new, who.id, now_unix_seconds()).await {
        Ok(_) => Ok(Ok(())),
        Err(StorageError::Invalid(_) | StorageError::NotFound(_)) => Ok(Err(Refused::new("owner", Problem::Invalid))),
        Err(error) => Err(error.into()),
    }
}

/// Moves an action on (status "open", "in_progress" or "done") with its
/// outcome so far. An unknown action is `NotFound`.
pub async fn update_action(
    database: &Database,
    _who: &Authorized<can::ManageImprovements>,
    action: i64,
    status: &str,
    outcome: Option<&str>,
) -> Result<Outcome, AppError> {
    let Some(status) = ActionStatus::from_code(status) else {
        return Ok(Err(Refused::new("status", Problem::Invalid)));
    };
    let outcome = match checked_text("", "outcome", outcome, MAX_NOTE_CHARS, false) {
        Ok(text) => text,
        Err(problem) => return Ok(Err(problem.into())),
    };
    if !improvements::update_action(database, action, status, &outcome, now_unix_seconds()).await? {
        return Err(AppError::NotFound);
    }
    Ok(Ok(()))
}

/// A suggestion from `staff` for the suggestion box (A17).
pub async fn suggest_as_staff(
    database: &Database,
    staff: &awn_storage::staff::StaffAccount,
    body: Option<&str>,
) -> Result<Outcome, AppError> {
    let text = match checked_text("", "body", body, MAX_NOTE_CHARS, true) {
        Ok(text) => text,
        Err(problem) => return Ok(Err(problem.into())),
    };
    improvements::suggest(database, &text, improvements::SuggestionSource::Staff(staff.id), now_unix_seconds()).await?;
    Ok(Ok(()))
}

/// A suggestion from anyone on the website (A17): a signed-in beneficiary's
/// (`beneficiary`) is kept with their account, so a deletion of their data
/// reaches it; staff read it without a name.
pub async fn suggest_online(
    database: &Database,
    beneficiary: Option<i64>,
    body: Option<&str>,
) -> Result<Outcome, AppError> {
    let text = match checked_text("", "body", body, MAX_NOTE_CHARS, true) {
        Ok(text) => text,
        Err(problem) => return Ok(Err(problem.into())),
    };
    let source = match beneficiary {
        Some(beneficiary) => improvements::SuggestionSource::Beneficiary(beneficiary),
        None => improvements::SuggestionSource::Visitor,
    };
    improvements::suggest(database, &text, source, now_unix_seconds()).await?;
    Ok(Ok(()))
}
