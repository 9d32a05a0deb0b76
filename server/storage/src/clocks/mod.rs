//! One clock per promise (issue 14). The steps that move an item record its
//! clock's events in their own transaction (`start_in`, `record_in`), so a
//! clock never disagrees with its item; each change re-evaluates the clock with
//! the domain's rules and keeps its due moment, its pending reminder and its
//! pending escalation in the row, where the scheduler and "my work" query them.

mod backfill;
mod calendar;
mod due;
mod requests;
mod settings;
pub mod work;

pub use backfill::backfill;
pub use calendar::*;
pub use due::*;
pub(crate) use requests::follow_request;
pub use settings::*;

use awn_domain::{
    calendar::UnixTime,
    deadlines::{
        ClockEvent, ClockEventKind, ClockPhase, ClockRule, ClockState, ExtensionRefusal, RuleSettings, SubjectKind,
        WorkCalendar, check_extension, evaluate, staff_message_time,
    },
};
use sqlx::{AnyConnection, Row};

use crate::{Database, StorageError, StorageResult};

/// The item a clock follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: i64,
}

impl Subject {
    pub const fn request(id: i64) -> Self {
        Subject { kind: SubjectKind::Request, id }
    }
}

/// A clock as stored, with where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredClock {
    pub id: i64,
    pub rule: ClockRule,
    pub subject: Subject,
    pub state: ClockState,
    pub responsible_staff_id: Option<i64>,
    pub remind_at: Option<UnixTime>,
    pub escalate_at: Option<UnixTime>,
}

/// An event's extras: who recorded it and why (an extension's reason).
#[derive(Debug, Clone, Copy, Default)]
pub struct EventNote<'a> {
    pub staff_id: Option<i64>,
    pub reason: &'a str,
}

/// `ClockPhase::is_open`, in SQL.
const OPEN_PHASES: &str = "('running', 'paused')";

/// The open (running or paused) clock of `rule` about `subject`, if any.
async fn open_clock_id(
    connection: &mut AnyConnection,
    rule: ClockRule,
    subject: Subject,
) -> StorageResult<Option<i64>> {
    let id = sqlx::query_scalar::<_, i64>(&format!(
        "SELECT id FROM clocks WHERE subject_kind = $1 AND subject_id = $2 AND rule = $3 AND phase IN {OPEN_PHASES} \
         ORDER BY id DESC LIMIT 1"
    ))
    .bind(subject.kind.code())
    .bind(subject.id)
    .bind(rule.code())
    .fetch_optional(&mut *connection)
    .await?;
    Ok(id)
}

/// Starts a clock of `rule` about `subject` at `at`, or leaves the one already
/// open. `due`: a due moment set by hand instead of the rule's period.
pub async fn start_in(
    connection: &mut AnyConnection,
    rule: ClockRule,
    subject: Subject,
    at: UnixTime,
    responsible_staff_id: Option<i64>,
    due: Option<UnixTime>,
) -> StorageResult<StoredClock> {
    if let Some(id) = open_clock_id(&mut *connection, rule, subject).await? {
        return load_in(&mut *connection, id).await?.ok_or_else(|| StorageError::NotFound(format!("clock {id}")));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO clocks (rule, subject_kind, subject_id, phase, started_at, responsible_staff_id, updated_at) \
         VALUES ($1, $2, $3, 'running', $4, $5, $4) RETURNING id",
    )
    .bind(rule.code())
    .bind(subject.kind.code())
    .bind(subject.id)
    .bind(at.seconds())
    .bind(responsible_staff_id)
    .fetch_one(&mut *connection)
    .await?;
    insert_event(&mut *connection, id, ClockEvent::Started { at }, EventNote::default()).await?;
    if let Some(due) = due {
        insert_event(&mut *connection, id, ClockEvent::DueSet { at, due }, EventNote::default()).await?;
    }
    refresh_in(&mut *connection, id, at).await
}

/// Records `event` on the open clock of `rule` about `subject` and
/// re-evaluates it; `None` when no clock is open (nothing to record).
pub async fn record_in(
    connection: &mut AnyConnection,
    rule: ClockRule,
    subject: Subject,
    event: ClockEvent,
    note: EventNote<'_>,
) -> StorageResult<Option<StoredClock>> {
    let Some(id) = open_clock_id(&mut *connection, rule, subject).await? else { return Ok(None) };
    insert_event(&mut *connection, id, event, note).await?;
    refresh_in(&mut *connection, id, event.at()).await.map(Some)
}

/// Ends every open clock about `subject` (an item closed, withdrawn or erased):
/// nothing more is reminded about it.
pub async fn stop_all_in(connection: &mut AnyConnection, subject: Subject, at: UnixTime) -> StorageResult<()> {
    let ids: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM clocks WHERE subject_kind = $1 AND subject_id = $2 AND phase IN {OPEN_PHASES}"
    ))
    .bind(subject.kind.code())
    .bind(subject.id)
    .fetch_all(&mut *connection)
    .await?;
    for id in ids {
        insert_event(&mut *connection, id, ClockEvent::Stopped { at }, EventNote::default()).await?;
        refresh_in(&mut *connection, id, at).await?;
    }
    Ok(())
}

/// Makes `staff_id` (or nobody: the role) responsible for the open clocks about `subject`.
pub async fn set_responsible_in(
    connection: &mut AnyConnection,
    subject: Subject,
    staff_id: Option<i64>,
) -> StorageResult<()> {
    sqlx::query(&format!(
        "UPDATE clocks SET responsible_staff_id = $1 WHERE subject_kind = $2 AND subject_id = $3 \
         AND phase IN {OPEN_PHASES}"
    ))
    .bind(staff_id)
    .bind(subject.kind.code())
    .bind(subject.id)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

async fn insert_event(
    connection: &mut AnyConnection,
    clock_id: i64,
    event: ClockEvent,
    note: EventNote<'_>,
) -> StorageResult<()> {
    let (amount, due) = match event {
        ClockEvent::Extended { by, .. } => (Some(i64::from(by)), None),
        ClockEvent::DueSet { due, .. } => (None, Some(due.seconds())),
        _ => (None, None),
    };
    sqlx::query(
        "INSERT INTO clock_events (clock_id, kind, at, amount, due, reason, staff_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(clock_id)
    .bind(event.kind().code())
    .bind(event.at().seconds())
    .bind(amount)
    .bind(due)
    .bind(note.reason.trim())
    .bind(note.staff_id)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// A clock's events, in order.
pub async fn events_in(connection: &mut AnyConnection, clock_id: i64) -> StorageResult<Vec<ClockEvent>> {
    let rows = sqlx::query("SELECT kind, at, amount, due FROM clock_events WHERE clock_id = $1 ORDER BY id")
        .bind(clock_id)
        .fetch_all(&mut *connection)
        .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            let kind = ClockEventKind::from_code(&kind)
                .ok_or_else(|| StorageError::Invalid(format!("clock event `{kind}`")))?;
            let amount: Option<i64> = row.try_get("amount")?;
            let due: Option<i64> = row.try_get("due")?;
            ClockEvent::from_stored(
                kind,
                UnixTime::from_seconds(row.try_get("at")?),
                amount.and_then(|amount| u32::try_from(amount).ok()),
                due.map(UnixTime::from_seconds),
            )
            .ok_or_else(|| StorageError::Invalid(format!("clock event `{}` without its value", kind.code())))
        })
        .collect()
}

/// The moments a clock's reminder and escalation are due, from its state:
/// staff hear within working time (unless the rule counts calendar hours), and
/// nothing is pending for a clock that is not running.
fn pending_moments(
    settings: &RuleSettings,
    calendar: &WorkCalendar,
    state: &ClockState,
    since: UnixTime,
    now: UnixTime,
) -> (Option<UnixTime>, Option<UnixTime>) {
    if state.phase != ClockPhase::Running {
        return (None, None);
    }
    let remind = state
        .remind_at(settings, since)
        .map(|wanted| staff_message_time(settings.unit, calendar, wanted, true, now))
        .filter(|at| state.due_at.is_none_or(|due| *at < due));
    let escalate = state.due_at.map(|due| staff_message_time(settings.unit, calendar, due.plus_seconds(1), false, now));
    (remind, escalate)
}

/// Re-evaluates one clock from its events, the rule and the calendar, and
/// keeps the result in its row. A reminder or escalation already sent is not
/// pending again unless the due moment moved (an extension, a resume).
pub(crate) async fn refresh_in(
    connection: &mut AnyConnection,
    clock_id: i64,
    now: UnixTime,
) -> StorageResult<StoredClock> {
    let row = sqlx::query(
        "SELECT rule, subject_kind, subject_id, due_at, responsible_staff_id, reminded_at, escalated_at \
         FROM clocks WHERE id = $1",
    )
    .bind(clock_id)
    .fetch_one(&mut *connection)
    .await?;
    let rule_code: String = row.try_get("rule")?;
    let rule =
        ClockRule::from_code(&rule_code).ok_or_else(|| StorageError::Invalid(format!("clock rule `{rule_code}`")))?;
    let kind_code: String = row.try_get("subject_kind")?;
    let kind = SubjectKind::from_code(&kind_code)
        .ok_or_else(|| StorageError::Invalid(format!("clock subject `{kind_code}`")))?;
    let subject = Subject { kind, id: row.try_get("subject_id")? };
    let old_due: Option<i64> = row.try_get("due_at")?;
    let responsible_staff_id: Option<i64> = row.try_get("responsible_staff_id")?;
    let mut reminded: Option<i64> = row.try_get("reminded_at")?;
    let mut escalated: Option<i64> = row.try_get("escalated_at")?;

    let settings = rule_settings_in(&mut *connection, rule).await?;
    let calendar = work_calendar_in(&mut *connection).await?;
    let events = events_in(&mut *connection, clock_id).await?;
    let state = evaluate(&settings, &calendar, &events);
    let since = events
        .iter()
        .rev()
        .find(|event| matches!(event, ClockEvent::Started { .. } | ClockEvent::Resumed { .. }))
        .map_or(state.started_at, |event| event.at());
    if state.phase == ClockPhase::Running && state.due_at.map(UnixTime::seconds) != old_due {
        // A new deadline: its reminder and escalation are owed afresh.
        reminded = None;
        escalated = None;
    }
    let (remind, escalate) = pending_moments(&settings, &calendar, &state, since, now);
    let remind_at = if reminded.is_none() { remind } else { None };
    let escalate_at = if escalated.is_none() { escalate } else { None };
    sqlx::query(
        "UPDATE clocks SET phase = $1, due_at = $2, finished_at = $3, on_time = $4, extended = $5, \
         remind_at = $6, escalate_at = $7, reminded_at = $8, escalated_at = $9, updated_at = $10 WHERE id = $11",
    )
    .bind(state.phase.code())
    .bind(state.due_at.map(UnixTime::seconds))
    .bind(state.finished_at.map(UnixTime::seconds))
    .bind(state.met_on_time().map(i64::from))
    .bind(i64::from(state.extended))
    .bind(remind_at.map(UnixTime::seconds))
    .bind(escalate_at.map(UnixTime::seconds))
    .bind(reminded)
    .bind(escalated)
    .bind(now.seconds())
    .bind(clock_id)
    .execute(&mut *connection)
    .await?;
    Ok(StoredClock { id: clock_id, rule, subject, state, responsible_staff_id, remind_at, escalate_at })
}

/// Re-evaluates every open clock: after the calendar or a rule changed.
pub async fn refresh_open_in(connection: &mut AnyConnection, now: UnixTime) -> StorageResult<u64> {
    let ids: Vec<i64> = sqlx::query_scalar(&format!("SELECT id FROM clocks WHERE phase IN {OPEN_PHASES}"))
        .fetch_all(&mut *connection)
        .await?;
    for id in &ids {
        refresh_in(&mut *connection, *id, now).await?;
    }
    Ok(ids.len() as u64)
}

/// The clock of `rule` about `subject` that applies now: the open one, or else
/// the last one that ended, evaluated afresh from its rule, the calendar and its
/// events (pages read the row instead, [`open_as_kept`]; the tests compare the two).
pub async fn latest(db: &Database, rule: ClockRule, subject: Subject) -> StorageResult<Option<StoredClock>> {
    let mut connection = db.pool().acquire().await?;
    let row = sqlx::query(&format!(
        "SELECT {CLOCK_COLUMNS} FROM clocks WHERE subject_kind = $1 AND subject_id = $2 AND rule = $3 \
         ORDER BY id DESC LIMIT 1"
    ))
    .bind(subject.kind.code())
    .bind(subject.id)
    .bind(rule.code())
    .fetch_optional(&mut *connection)
    .await?;
    match row {
        Some(row) => Ok(Some(clock_from_row(&mut connection, &row).await?)),
        None => Ok(None),
    }
}

/// An open clock as its row keeps it: what a page shows of a deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptDeadline {
    /// Running or paused.
    pub phase: ClockPhase,
    /// While running, when it is due; while paused, `None`.
    pub due_at: Option<UnixTime>,
    pub extended: bool,
    /// Why it was extended, when it was.
    pub extended_reason: Option<String>,
}

/// The clock of `rule` about `subject` that applies now (as [`latest`]), if it is
/// open, as its row keeps it. Every change to a clock or to the calendar and rules
/// re-evaluates the row in the change's own transaction (see the module's note),
/// so a page reads it in one query instead of evaluating the clock again from
/// its rule, the calendar and its events (five reads on every tracking view).
pub async fn open_as_kept(db: &Database, rule: ClockRule, subject: Subject) -> StorageResult<Option<KeptDeadline>> {
    let row = sqlx::query(
        "SELECT c.phase, c.due_at, c.extended, \
           (SELECT e.reason FROM clock_events e WHERE e.clock_id = c.id AND e.kind = 'extended' \
            ORDER BY e.id DESC LIMIT 1) AS extended_reason \
         FROM clocks c WHERE c.subject_kind = $1 AND c.subject_id = $2 AND c.rule = $3 ORDER BY c.id DESC LIMIT 1",
    )
    .bind(subject.kind.code())
    .bind(subject.id)
    .bind(rule.code())
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let code: String = row.try_get("phase")?;
    let phase = ClockPhase::from_code(&code).ok_or_else(|| StorageError::Invalid(format!("clock phase `{code}`")))?;
    if !phase.is_open() {
        return Ok(None);
    }
    let extended = row.try_get::<i64, _>("extended")? != 0;
    Ok(Some(KeptDeadline {
        phase,
        due_at: row.try_get::<Option<i64>, _>("due_at")?.map(UnixTime::from_seconds),
        extended,
        extended_reason: if extended { row.try_get("extended_reason")? } else { None },
    }))
}

const CLOCK_COLUMNS: &str = "id, rule, subject_kind, subject_id, responsible_staff_id, remind_at, escalate_at";

/// A clock by id, evaluated as stored (no write).
pub async fn load_in(connection: &mut AnyConnection, clock_id: i64) -> StorageResult<Option<StoredClock>> {
    let row = sqlx::query(&format!("SELECT {CLOCK_COLUMNS} FROM clocks WHERE id = $1"))
        .bind(clock_id)
        .fetch_optional(&mut *connection)
        .await?;
    match row {
        Some(row) => Ok(Some(clock_from_row(connection, &row).await?)),
        None => Ok(None),
    }
}

/// The clock of a row of `CLOCK_COLUMNS`, evaluated with its rule, the work
/// calendar and its events.
async fn clock_from_row(connection: &mut AnyConnection, row: &sqlx::any::AnyRow) -> StorageResult<StoredClock> {
    let clock_id: i64 = row.try_get("id")?;
    let rule_code: String = row.try_get("rule")?;
    let rule =
        ClockRule::from_code(&rule_code).ok_or_else(|| StorageError::Invalid(format!("clock rule `{rule_code}`")))?;
    let kind_code: String = row.try_get("subject_kind")?;
    let kind = SubjectKind::from_code(&kind_code)
        .ok_or_else(|| StorageError::Invalid(format!("clock subject `{kind_code}`")))?;
    let settings = rule_settings_in(&mut *connection, rule).await?;
    let calendar = work_calendar_in(&mut *connection).await?;
    let events = events_in(&mut *connection, clock_id).await?;
    Ok(StoredClock {
        id: clock_id,
        rule,
        subject: Subject { kind, id: row.try_get("subject_id")? },
        state: evaluate(&settings, &calendar, &events),
        responsible_staff_id: row.try_get("responsible_staff_id")?,
        remind_at: row.try_get::<Option<i64>, _>("remind_at")?.map(UnixTime::from_seconds),
        escalate_at: row.try_get::<Option<i64>, _>("escalate_at")?.map(UnixTime::from_seconds),
    })
}

/// Extends the open clock of `rule` about `subject` by `by` of its units, for
/// `reason`, if the domain allows it (once, within the rule's maximum, with a
/// reason, before the deadline). Nothing is written on a refusal.
pub async fn extend_in(
    connection: &mut AnyConnection,
    rule: ClockRule,
    subject: Subject,
    by: u32,
    note: EventNote<'_>,
    now: UnixTime,
) -> StorageResult<Result<StoredClock, ExtensionRefusal>> {
    let Some(id) = open_clock_id(&mut *connection, rule, subject).await? else {
        return Ok(Err(ExtensionRefusal::NotRunning));
    };
    let settings = rule_settings_in(&mut *connection, rule).await?;
    let calendar = work_calendar_in(&mut *connection).await?;
    let state = evaluate(&settings, &calendar, &events_in(&mut *connection, id).await?);
    if let Err(refusal) = check_extension(&settings, &state, by, note.reason, now) {
        return Ok(Err(refusal));
    }
    insert_event(&mut *connection, id, ClockEvent::Extended { at: now, by }, note).await?;
    refresh_in(&mut *connection, id, now).await.map(Ok)
}
