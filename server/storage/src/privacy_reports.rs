//! Reports of a privacy violation (B12): from the website (anonymous allowed),
//! social media or email; the privacy officer investigates, marks a breach that
//! must be notified (its deadline runs from when the association became aware)
//! and closes the report with an outcome. Each step by staff is audited.

use awn_domain::audit::AuditAction;
use awn_domain::{
    calendar::UnixTime,
    deadlines::{ClockEvent, ClockRule, SubjectKind},
    privacy::{ReportAction, ReportState, ReportStepRefusal, check_report_step},
    workflow::MAX_NOTE_CHARS,
};
use sqlx::Row;

use crate::{
    Database, Page, PageRequest, StorageResult,
    audit::{AuditEntry, record_in},
    clocks::{EventNote, Subject},
    page_of, page_window,
};

pub use awn_domain::privacy::ReportStatus;

awn_domain::code_table! {
    /// Where a report came from: the website form, or recorded by staff. The
    /// website and social media share their codes with
    /// [`awn_domain::channels::Channel`] (a test holds them together).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum ReportSource {
        Website = "website",
        SocialMedia = "social_media",
        Email = "email",
    }
}

/// A report being recorded.
#[derive(Debug, Clone)]
pub struct NewPrivacyReport<'a> {
    pub source: ReportSource,
    pub reporter_name: &'a str,
    pub reporter_contact: &'a str,
    pub description: &'a str,
    /// Staff who recorded it (none for the website form).
    pub recorded_by: Option<i64>,
}

fn report_status(code: &str) -> crate::StorageResult<ReportStatus> {
    ReportStatus::from_code(code).ok_or_else(|| crate::StorageError::Invalid(format!("report status `{code}`")))
}

/// A stored report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivacyReport {
    pub id: i64,
    pub source: ReportSource,
    pub reporter_name: String,
    pub reporter_contact: String,
    pub description: String,
    pub status: ReportStatus,
    pub is_breach: bool,
    pub aware_at: i64,
    pub notified_at: Option<i64>,
    /// When the people affected by the breach were told.
    pub affected_informed_at: Option<i64>,
    pub outcome: Option<String>,
    pub handled_by_name: Option<String>,
    pub closed_at: Option<i64>,
    pub created_at: i64,
}

/// A step on a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportStep {
    Investigate,
    /// A personal-data breach that must be notified to the authority.
    MarkBreach,
    /// The authority was notified.
    RecordNotification,
    /// The people affected by the breach were told.
    RecordAffectedInformed,
    Close {
        outcome: String,
    },
}

impl ReportStep {
    /// The step, without its text, as the domain's rule of turns knows it.
    pub fn action(&self) -> ReportAction {
        match self {
            ReportStep::Investigate => ReportAction::Investigate,
            ReportStep::MarkBreach => ReportAction::MarkBreach,
            ReportStep::RecordNotification => ReportAction::RecordNotification,
            ReportStep::RecordAffectedInformed => ReportAction::RecordAffectedInformed,
            ReportStep::Close { .. } => ReportAction::Close,
        }
    }
}

/// Why a step was refused. Nothing is written on a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReportProblem {
    #[error("no such report")]
    NotFound,
    #[error("the description is empty")]
    DescriptionRequired,
    #[error("a text is too long")]
    TooLong,
    #[error("the outcome is empty")]
    OutcomeRequired,
    #[error("the report is closed")]
    Closed,
    #[error("not a breach to notify, or already notified")]
    NotNow,
}

/// Records a report; its awareness moment is now.
pub async fn submit(db: &Database, new: NewPrivacyReport<'_>, now: i64) -> StorageResult<Result<i64, ReportProblem>> {
    let description = new.description.trim();
    if description.is_empty() {
        return Ok(Err(ReportProblem::DescriptionRequired));
    }
    let (name, contact) = (awn_domain::identity::clean_text(new.reporter_name), new.reporter_contact.trim().to_owned());
    if description.chars().count() > MAX_NOTE_CHARS || name.chars().count() > 300 || contact.chars().count() > 300 {
        return Ok(Err(ReportProblem::TooLong));
    }
    let mut tx = db.begin_write().await?;
    let id = sqlx::query_scalar(
        "INSERT INTO privacy_reports (channel, reporter_name, reporter_contact, description, status, recorded_by, \
           aware_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(new.source.code())
    .bind(name)
    // A reporter's number or address is encrypted at rest (B11).
    .bind(if contact.is_empty() { contact } else { db.keys()?.encrypt_text(crate::crypto::REPORTER_CONTACT, &contact) })
    .bind(description)
    .bind(ReportStatus::Received.code())
    .bind(new.recorded_by)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    // Until it is known not to be a breach, the 72 hours run from now.
    crate::clocks::start_in(
        &mut tx,
        ClockRule::BreachNotification,
        subject(id),
        UnixTime::from_seconds(now),
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

fn subject(id: i64) -> Subject {
    Subject { kind: SubjectKind::PrivacyReport, id }
}

const SELECT: &str = "SELECT r.id, r.channel, r.reporter_name, r.reporter_contact, r.description, r.status, \
                        r.is_breach, r.aware_at, r.notified_at, r.affected_informed_at, r.outcome, s.display_name, r.closed_at, r.created_at \
                      FROM privacy_reports r LEFT JOIN staff_accounts s ON s.id = r.handled_by";

fn from_row(row: &sqlx::any::AnyRow, keys: &crate::crypto::Keyring) -> StorageResult<PrivacyReport> {
    let source: String = row.try_get("channel")?;
    Ok(PrivacyReport {
        id: row.try_get("id")?,
        source: ReportSource::from_code(&source)
            .ok_or_else(|| crate::StorageError::Invalid(format!("report source `{source}`")))?,
        reporter_name: row.try_get("reporter_name")?,
        reporter_contact: keys
            .decrypt_text(crate::crypto::REPORTER_CONTACT, &row.try_get::<String, _>("reporter_contact")?)?,
        description: row.try_get("description")?,
        status: report_status(&row.try_get::<String, _>("status")?)?,
        is_breach: row.try_get::<i64, _>("is_breach")? != 0,
        aware_at: row.try_get("aware_at")?,
        notified_at: row.try_get("notified_at")?,
        affected_informed_at: row.try_get("affected_informed_at")?,
        outcome: row.try_get("outcome")?,
        handled_by_name: row.try_get("display_name")?,
        closed_at: row.try_get("closed_at")?,
        created_at: row.try_get("created_at")?,
    })
}

/// A page of the reports: open ones first, newest first, after the breaches
/// still awaiting their notification (their 72-hour clock is the one running);
/// then closed ones, latest closed first. The total counts every report.
pub async fn list(db: &Database, request: PageRequest) -> StorageResult<Page<PrivacyReport>> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM privacy_reports").fetch_one(db.pool()).await?;
    let (request, limit, offset) = page_window(request, total);
    let rows = sqlx::query(&format!(
        "{SELECT} ORDER BY CASE WHEN r.status = 'closed' THEN 2 \
           WHEN r.is_breach = 1 AND r.notified_at IS NULL THEN 0 ELSE 1 END, \
           CASE WHEN r.status = 'closed' THEN -COALESCE(r.closed_at, 0) ELSE -r.created_at END, r.id DESC \
         LIMIT $1 OFFSET $2"
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let keys = db.keys()?;
    let items = rows.iter().map(|row| from_row(row, keys)).collect::<StorageResult<_>>()?;
    Ok(page_of(items, total, request))
}

pub async fn by_id(db: &Database, report_id: i64) -> StorageResult<Option<PrivacyReport>> {
    let row = sqlx::query(&format!("{SELECT} WHERE r.id = $1")).bind(report_id).fetch_optional(db.pool()).await?;
    let keys = db.keys()?;
    row.as_ref().map(|row| from_row(row, keys)).transpose()
}

/// Takes a step on a report, with its audit entry, in one transaction.
pub async fn step(
    db: &Database,
    report_id: i64,
    staff_id: i64,
    step: &ReportStep,
    now: i64,
) -> StorageResult<Result<(), ReportProblem>> {
    if let ReportStep::Close { outcome } = step {
        if outcome.trim().is_empty() {
            return Ok(Err(ReportProblem::OutcomeRequired));
        }
        if outcome.chars().count() > MAX_NOTE_CHARS {
            return Ok(Err(ReportProblem::TooLong));
        }
    }
    let mut tx = db.begin_write().await?;
    let row =
        sqlx::query("SELECT status, is_breach, notified_at, affected_informed_at FROM privacy_reports WHERE id = $1")
            .bind(report_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(row) = row else { return Ok(Err(ReportProblem::NotFound)) };
    let status = report_status(&row.try_get::<String, _>("status")?)?;
    let is_breach = row.try_get::<i64, _>("is_breach")? != 0;
    let notified_at: Option<i64> = row.try_get("notified_at")?;
    let affected_informed_at: Option<i64> = row.try_get("affected_informed_at")?;
    let state = ReportState {
        received: status == ReportStatus::Received,
        closed: status == ReportStatus::Closed,
        is_breach,
        notified: notified_at.is_some(),
        affected_informed: affected_informed_at.is_some(),
    };
    match check_report_step(state, step.action()) {
        Ok(()) => {}
        Err(ReportStepRefusal::Closed) => return Ok(Err(ReportProblem::Closed)),
        Err(ReportStepRefusal::NotNow) => return Ok(Err(ReportProblem::NotNow)),
    }
    let (sql, action, text): (&str, AuditAction, Option<&str>) = match step {
        ReportStep::Investigate => (
            "UPDATE privacy_reports SET status = 'investigating', handled_by = $1 WHERE id = $2",
            AuditAction::PrivacyReportInvestigate,
            None,
        ),
        ReportStep::MarkBreach => (
            "UPDATE privacy_reports SET is_breach = 1, handled_by = $1 WHERE id = $2",
            AuditAction::PrivacyReportMarkBreach,
            None,
        ),
        ReportStep::RecordNotification => (
            "UPDATE privacy_reports SET notified_at = $3, handled_by = $1 WHERE id = $2",
            AuditAction::PrivacyReportNotified,
            None,
        ),
        ReportStep::RecordAffectedInformed => (
            "UPDATE privacy_reports SET affected_informed_at = $3, handled_by = $1 WHERE id = $2",
            AuditAction::PrivacyReportAffectedInformed,
            None,
        ),
        ReportStep::Close { outcome } => (
            "UPDATE privacy_reports SET status = 'closed', outcome = $4, closed_at = $3, handled_by = $1 WHERE id = $2",
            AuditAction::PrivacyReportClose,
            Some(outcome.trim()),
        ),
    };
    let mut query = sqlx::query(sql).bind(staff_id).bind(report_id);
    if sql.contains("$3") {
        query = query.bind(now);
    }
    if let Some(text) = text {
        query = query.bind(text);
    }
    query.execute(&mut *tx).await?;
    let at = UnixTime::from_seconds(now);
    let note = EventNote { staff_id: Some(staff_id), reason: "" };
    match step {
        ReportStep::Investigate => {}
        ReportStep::MarkBreach => {
            // The people affected are told too; their clock starts now.
            crate::clocks::start_in(&mut tx, ClockRule::InformAffected, subject(report_id), at, Some(staff_id), None)
                .await?;
        }
        ReportStep::RecordNotification => {
            let met = ClockEvent::Met { at };
            crate::clocks::record_in(&mut tx, ClockRule::BreachNotification, subject(report_id), met, note).await?;
        }
        ReportStep::RecordAffectedInformed => {
            let met = ClockEvent::Met { at };
            crate::clocks::record_in(&mut tx, ClockRule::InformAffected, subject(report_id), met, note).await?;
        }
        ReportStep::Close { .. } => crate::clocks::stop_all_in(&mut tx, subject(report_id), at).await?,
    }
    let reason = format!("privacy_report:{report_id}");
    record_in(
        &mut tx,
        db.keys()?,
        AuditEntry { staff_id, action, beneficiary_id: None, request_id: None, reason: &reason },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use awn_domain::channels::Channel;

    use super::ReportSource;

    #[test]
    fn sources_share_their_codes_with_the_channels() {
        assert_eq!(ReportSource::Website.code(), Channel::Website.code());
        assert_eq!(ReportSource::SocialMedia.code(), Channel::SocialMedia.code());
        assert_eq!(ReportSource::Email.code(), "email");
    }
}
