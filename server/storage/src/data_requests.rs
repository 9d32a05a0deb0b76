//! The data subject's requests: a correction or the deletion of their data,
//! answered by the privacy officer within the legal period (30 days under the
//! PDPL's implementing regulation). A deletion removes or anonymises everything
//! no retention rule keeps, and its outcome says what was kept and why.

use awn_domain::audit::AuditAction;
use awn_domain::{
    calendar::UnixTime,
    consent::ConsentKind,
    deadlines::{ClockEvent, ClockRule, SubjectKind},
    requests::RequestStatus,
    workflow::MAX_NOTE_CHARS,
};
use sqlx::Row;

use crate::{
    Database, Page, PageRequest, StorageError, StorageResult,
    audit::{AuditEntry, record_in},
    clocks::{EventNote, Subject},
    page_of, page_window,
};

pub use awn_domain::privacy::{DataRequestChannel, DataRequestKind, DataRequestStatus, DataSubject, PartyKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRequest {
    pub id: i64,
    /// Who it is about.
    pub subject: DataSubject,
    pub kind: DataRequestKind,
    pub details: String,
    pub channel: DataRequestChannel,
    pub status: DataRequestStatus,
    pub due_at: i64,
    pub outcome: Option<String>,
    pub handled_by_name: Option<String>,
    pub handled_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DataRequestProblem {
    #[error("say what should be corrected")]
    DetailsRequired,
    #[error("the text is too long")]
    TooLong,
    #[error("no such request")]
    NotFound,
    #[error("the request is already answered")]
    AlreadyAnswered,
    #[error("the answer needs an outcome")]
    OutcomeRequired,
    #[error("nobody with that number in that register")]
    UnknownPerson,
}

/// Records a request; a correction must say what to correct.
pub async fn submit(
    db: &Database,
    beneficiary_id: i64,
    kind: DataRequestKind,
    details: &str,
    now: i64,
) -> StorageResult<Result<i64, DataRequestProblem>> {
    let details = details.trim();
    if kind == DataRequestKind::Correction && details.is_empty() {
        return Ok(Err(DataRequestProblem::DetailsRequired));
    }
    if details.chars().count() > MAX_NOTE_CHARS {
        return Ok(Err(DataRequestProblem::TooLong));
    }
    let mut tx = db.begin_write().await?;
    let id = sqlx::query_scalar(
        "INSERT INTO data_requests (beneficiary_id, kind, details, status, due_at, created_at) \
         VALUES ($1, $2, $3, 'open', $4, $4) RETURNING id",
    )
    .bind(beneficiary_id)
    .bind(kind.code())
    .bind(details)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    // The law's clock (30 days, PDPL regulation art. 3) gives the due moment.
    let clock =
        crate::clocks::start_in(&mut tx, ClockRule::DataRequest, clock_of(id), UnixTime::from_seconds(now), None, None)
            .await?;
    keep_due(&mut tx, id, clock.state.due_at).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// The audit log's beneficiary column, for a request about a beneficiary.
pub(crate) fn beneficiary_of(subject: DataSubject) -> Option<i64> {
    (subject.kind == PartyKind::Beneficiary).then_some(subject.id)
}

/// The audit entry's reason: the request, and who it is about unless a
/// beneficiary (named in their own column).
pub(crate) fn audit_reason(id: i64, subject: DataSubject, more: &str) -> String {
    let person = match subject.kind {
        PartyKind::Beneficiary => String::new(),
        _ => format!(";{}", subject.audit_name()),
    };
    format!("data_request:{id}{person}{more}")
}

fn clock_of(id: i64) -> Subject {
    Subject { kind: SubjectKind::DataRequest, id }
}

/// Keeps the request's due moment as its clock has it.
pub(crate) async fn keep_due(
    connection: &mut sqlx::AnyConnection,
    id: i64,
    due: Option<UnixTime>,
) -> StorageResult<()> {
    if let Some(due) = due {
        sqlx::query("UPDATE data_requests SET due_at = $1 WHERE id = $2")
            .bind(due.seconds())
            .bind(id)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

const SELECT: &str = "SELECT d.id, d.beneficiary_id, d.supporter_id, d.member_id, d.volunteer_id, d.kind, d.details, \
                        d.channel, d.status, d.due_at, d.outcome, s.display_name, d.handled_at, d.created_at \
                      FROM data_requests d LEFT JOIN staff_accounts s ON s.id = d.handled_by";

/// The column of `data_requests` that names a person of `kind`.
pub(crate) fn subject_column(kind: PartyKind) -> &'static str {
    match kind {
        PartyKind::Beneficiary => "beneficiary_id",
        PartyKind::Supporter => "supporter_id",
        PartyKind::Member => "member_id",
        PartyKind::Volunteer => "volunteer_id",
    }
}

/// The one person a row names.
fn subject_of(row: &sqlx::any::AnyRow) -> StorageResult<DataSubject> {
    for kind in PartyKind::ALL {
        if let Some(id) = row.try_get::<Option<i64>, _>(subject_column(kind))? {
            return Ok(DataSubject::new(kind, id));
        }
    }
    Err(StorageError::Invalid("a data request about nobody".into()))
}

fn from_row(row: &sqlx::any::AnyRow) -> StorageResult<DataRequest> {
    Ok(DataRequest {
        id: row.try_get("id")?,
        subject: subject_of(row)?,
        kind: {
            let code: String = row.try_get("kind")?;
            DataRequestKind::from_code(&code)
                .ok_or_else(|| StorageError::Invalid(format!("data request kind `{code}`")))?
        },
        details: row.try_get("details")?,
        channel: {
            let code: String = row.try_get("channel")?;
            DataRequestChannel::from_code(&code)
                .ok_or_else(|| StorageError::Invalid(format!("data request channel `{code}`")))?
        },
        status: {
            let code: String = row.try_get("status")?;
            DataRequestStatus::from_code(&code)
                .ok_or_else(|| StorageError::Invalid(format!("data request status `{code}`")))?
        },
        due_at: row.try_get("due_at")?,
        outcome: row.try_get("outcome")?,
        handled_by_name: row.try_get("display_name")?,
        handled_at: row.try_get("handled_at")?,
        created_at: row.try_get("created_at")?,
    })
}

/// A page of the requests: open ones first, the soonest due first; then
/// answered ones, latest first. The total counts every request.
pub async fn list(db: &Database, request: PageRequest) -> StorageResult<Page<DataRequest>> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM data_requests").fetch_one(db.pool()).await?;
    let (request, limit, offset) = page_window(request, total);
    let rows = sqlx::query(&format!(
        "{SELECT} ORDER BY CASE WHEN d.status = 'open' THEN 0 ELSE 1 END, \
           CASE WHEN d.status = 'open' THEN d.due_at ELSE -COALESCE(d.handled_at, 0) END, d.id LIMIT $1 OFFSET $2"
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let items = rows.iter().map(from_row).collect::<StorageResult<_>>()?;
    Ok(page_of(items, total, request))
}

pub async fn for_beneficiary(db: &Database, beneficiary_id: i64) -> StorageResult<Vec<DataRequest>> {
    about(db, DataSubject::new(PartyKind::Beneficiary, beneficiary_id)).await
}

/// Every request about one person, the latest first.
pub async fn about(db: &Database, subject: DataSubject) -> StorageResult<Vec<DataRequest>> {
    let column = subject_column(subject.kind);
    let rows = sqlx::query(&format!("{SELECT} WHERE d.{column} = $1 ORDER BY d.created_at DESC, d.id DESC"))
        .bind(subject.id)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

pub async fn by_id(db: &Database, id: i64) -> StorageResult<Option<DataRequest>> {
    let row = sqlx::query(&format!("{SELECT} WHERE d.id = $1")).bind(id).fetch_optional(db.pool()).await?;
    row.as_ref().map(from_row).transpose()
}

/// Answers a request (done or refused) with its outcome, audited.
pub async fn answer(
    db: &Database,
    id: i64,
    staff_id: i64,
    done: bool,
    outcome: &str,
    now: i64,
) -> StorageResult<Result<(), DataRequestProblem>> {
    let outcome = outcome.trim();
    if outcome.is_empty() {
        return Ok(Err(DataRequestProblem::OutcomeRequired));
    }
    if outcome.chars().count() > MAX_NOTE_CHARS * 2 {
        return Ok(Err(DataRequestProblem::TooLong));
    }
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(&format!("{SELECT} WHERE d.id = $1")).bind(id).fetch_optional(&mut *tx).await?;
    let Some(row) = row else { return Ok(Err(DataRequestProblem::NotFound)) };
    let subject = subject_of(&row)?;
    if row.try_get::<String, _>("status")? != DataRequestStatus::Open.code() {
        return Ok(Err(DataRequestProblem::AlreadyAnswered));
    }
    sqlx::query(
        "UPDATE data_requests SET status = $1, outcome = $2, handled_by = $3, handled_at = $4 WHERE id = $5 AND status = 'open'",
    )
    .bind(if done { DataRequestStatus::Done } else { DataRequestStatus::Refused }.code())
    .bind(outcome)
    .bind(staff_id)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    crate::clocks::record_in(
        &mut tx,
        ClockRule::DataRequest,
        clock_of(id),
        ClockEvent::Met { at: UnixTime::from_seconds(now) },
        EventNote { staff_id: Some(staff_id), reason: "" },
    )
    .await?;
    let reason = audit_reason(id, subject, "");
    let entry = AuditEntry {
        staff_id,
        action: AuditAction::DataRequestAnswer,
        beneficiary_id: beneficiary_of(subject),
        request_id: None,
        reason: &reason,
    };
    record_in(&mut tx, db.keys()?, entry, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// What a deletion did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErasureReport {
    /// Requests whose personal data was removed (by reference).
    pub requests_anonymised: Vec<String>,
    /// Requests kept whole: the committee granted support, and the association
    /// keeps the record of the support it gave (financial accountability).
    pub requests_kept: Vec<String>,
    pub documents_removed: i64,
    pub messages_removed: i64,
    pub inquiries_anonymised: i64,
    pub complaints_anonymised: i64,
    /// The bytes of removed documents, for the caller to delete from the store.
    pub storage_keys: Vec<String>,
}

/// A request that must be kept: support was granted on it.
fn kept_for_support(status: RequestStatus) -> bool {
    matches!(status, RequestStatus::Accepted | RequestStatus::RegistrationCompleted | RequestStatus::ServiceDelivered)
}

/// Removes or anonymises a beneficiary's personal data in one transaction.
/// Kept, and why: requests on which support was granted (the support record);
/// the consent register (proof of what was allowed, and now every news consent
/// withdrawn); the audit log and disclosures (legal accountability). The account
/// stays, without its mobile number, so those records keep their link; every
/// session ends and the person can no longer sign in with the old number.
pub async fn erase_beneficiary(
    db: &Database,
    beneficiary_id: i64,
    staff_id: i64,
    now: i64,
) -> StorageResult<ErasureReport> {
    let mut report = ErasureReport::default();
    let mut tx = db.begin_write().await?;
    let mobile: Option<String> = sqlx::query_scalar("SELECT mobile FROM beneficiary_accounts WHERE id = $1")
        .bind(beneficiary_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(mobile) = mobile else { return Ok(report) };
    // Contact details are found by their keyed hash (they are stored encrypted).
    let keys = db.keys()?;
    let mobile = keys.decrypt_text(crate::crypto::ACCOUNT_MOBILE, &mobile)?;
    let mobile_hash = crate::crypto::contact_hash(keys, &mobile).unwrap_or_default();
    let requests =
        sqlx::query("SELECT id, reference, status FROM support_requests WHERE beneficiary_id = $1 ORDER BY id")
            .bind(beneficiary_id)
            .fetch_all(&mut *tx)
            .await?;
    for row in &requests {
        let id: i64 = row.try_get("id")?;
        let reference: String = row.try_get("reference")?;
        let status = RequestStatus::from_code(&row.try_get::<String, _>("status")?).unwrap_or(RequestStatus::Closed);
        if kept_for_support(status) {
            report.requests_kept.push(reference);
            continue;
        }
        sqlx::query(
            "UPDATE support_requests SET full_name = '', name_key = '', search_key = '', national_id = $1, national_id_hash = NULL, birth_date = '', \
               mobile = '', email = NULL, \
               city = '', district = '', description = '', signature = '', is_open = 0, status = $2, updated_at = $3 \
             WHERE id = $4",
        )
        .bind(format!("erased:{id}"))
        .bind(if status.is_open() { RequestStatus::Closed.code() } else { status.code() })
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE request_events SET reason = '' WHERE request_id = $1").bind(id).execute(&mut *tx).await?;
        crate::households::erase_in(&mut tx, id).await?;
        // Nothing more is reminded or lapsed about a request that is gone.
        crate::clocks::stop_all_in(&mut tx, Subject::request(id), UnixTime::from_seconds(now)).await?;
        report.messages_removed += sqlx::query("DELETE FROM request_messages WHERE request_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
        report.requests_anonymised.push(reference);
    }
    // Documents of every request not kept, and of the draft. Signed consent
    // forms stay: they prove that what was shared was shared lawfully (B7).
    let documents = sqlx::query(
        "SELECT d.id, d.storage_key FROM documents d LEFT JOIN support_requests r ON r.id = d.request_id \
         WHERE d.beneficiary_id = $1 AND d.purpose = 'request' \
           AND (d.request_id IS NULL OR r.status NOT IN ('accepted', 'registration_completed', 'service_delivered'))",
    )
    .bind(beneficiary_id)
    .fetch_all(&mut *tx)
    .await?;
    for row in &documents {
        sqlx::query("DELETE FROM documents WHERE id = $1").bind(row.try_get::<i64, _>("id")?).execute(&mut *tx).await?;
        report.storage_keys.push(row.try_get("storage_key")?);
    }
    report.documents_removed = documents.len() as i64;
    sqlx::query("DELETE FROM request_drafts WHERE beneficiary_id = $1").bind(beneficiary_id).execute(&mut *tx).await?;
    report.inquiries_anonymised = sqlx::query(
        "UPDATE inquiries SET asker_name = '', contact_mobile = NULL, contact_mobile_hash = NULL, contact_email = NULL, \
           question = '', answer = NULL \
         WHERE beneficiary_id = $1 OR contact_mobile_hash = $2",
    )
    .bind(beneficiary_id)
    .bind(&mobile_hash)
    .execute(&mut *tx)
    .await?
    .rows_affected() as i64;
    report.complaints_anonymised =
        sqlx::query("UPDATE complaints SET body = '', resolution = CASE WHEN resolution IS NULL THEN NULL ELSE '' END WHERE beneficiary_id = $1")
            .bind(beneficiary_id)
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
    // Survey answers stay, for the figures, but nothing leads from them to the
    // person any more; their suggestions stay without their name.
    sqlx::query(
        "UPDATE survey_responses SET invitation_id = NULL \
         WHERE invitation_id IN (SELECT id FROM survey_invitations WHERE beneficiary_id = $1)",
    )
    .bind(beneficiary_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE survey_invitations SET beneficiary_id = NULL, expires_at = 0 WHERE beneficiary_id = $1")
        .bind(beneficiary_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE suggestions SET beneficiary_id = NULL WHERE beneficiary_id = $1")
        .bind(beneficiary_id)
        .execute(&mut *tx)
        .await?;
    // Every news consent withdrawn; the register itself is kept as proof.
    for kind in [ConsentKind::NewsBySms, ConsentKind::NewsByEmail, ConsentKind::Publication] {
        sqlx::query(
            "INSERT INTO consents (beneficiary_id, kind, party, granted, method, recorded_by, created_at) \
             VALUES ($1, $2, '', 0, 'erasure', $3, $4)",
        )
        .bind(beneficiary_id)
        .bind(kind.code())
        .bind(staff_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE outbox_messages SET status = 'cancelled' WHERE status = 'pending' AND recipient_hash = $1")
        .bind(&mobile_hash)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE outbox_messages SET recipient = 'erased', recipient_hash = NULL, body = '' WHERE recipient_hash = $1",
    )
    .bind(&mobile_hash)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM sign_in_codes WHERE mobile_hash = $1").bind(&mobile_hash).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM sessions WHERE account_kind = 'beneficiary' AND account_id = $1")
        .bind(beneficiary_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE beneficiary_accounts SET mobile = $1, mobile_hash = NULL WHERE id = $2")
        .bind(format!("erased:{beneficiary_id}"))
        .bind(beneficiary_id)
        .execute(&mut *tx)
        .await?;
    let reason = format!("erasure:anonymised={};kept={}", report.requests_anonymised.len(), report.requests_kept.len());
    let entry = AuditEntry {
        staff_id,
        action: AuditAction::BeneficiaryErase,
        beneficiary_id: Some(beneficiary_id),
        request_id: None,
        reason: &reason,
    };
    record_in(&mut tx, db.keys()?, entry, now).await?;
    tx.commit().await?;
    Ok(report)
}

/// Extends the answer's deadline once, by up to 30 days, for `reason`, before
/// the first deadline (PDPL regulation art. 3); the person is told the new
/// date and why (`compose` gets their mobile, language and the new due
/// moment) and the step is audited.
pub async fn extend(
    db: &Database,
    id: i64,
    staff_id: i64,
    days: u32,
    reason: &str,
    now: i64,
    compose: impl FnOnce(&str, awn_domain::locale::Language, i64) -> Vec<crate::outbox::NewOutboxMessage>,
) -> StorageResult<Result<UnixTime, awn_domain::deadlines::ExtensionRefusal>> {
    use awn_domain::deadlines::ExtensionRefusal;
    let keys = db.keys()?;
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(&format!("{SELECT} WHERE d.id = $1")).bind(id).fetch_optional(&mut *tx).await?;
    let Some(row) = row else { return Err(StorageError::NotFound(format!("no data request {id}"))) };
    if row.try_get::<String, _>("status")? != DataRequestStatus::Open.code() {
        return Ok(Err(ExtensionRefusal::NotRunning));
    }
    let subject = subject_of(&row)?;
    let note = EventNote { staff_id: Some(staff_id), reason };
    let at = UnixTime::from_seconds(now);
    let clock = match crate::clocks::extend_in(&mut tx, ClockRule::DataRequest, clock_of(id), days, note, at).await? {
        Ok(clock) => clock,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let Some(due) = clock.state.due_at else { return Ok(Err(ExtensionRefusal::NotRunning)) };
    keep_due(&mut tx, id, Some(due)).await?;
    let reason_text = audit_reason(id, subject, &format!(" +{days}d: {}", reason.trim()));
    let entry = AuditEntry {
        staff_id,
        action: AuditAction::DataRequestExtend,
        beneficiary_id: beneficiary_of(subject),
        request_id: None,
        reason: &reason_text,
    };
    record_in(&mut tx, keys, entry, now).await?;
    // Told by SMS when the register holds a mobile; otherwise the privacy
    // officer tells them the way the request came (its outcome says so).
    if let Some(contact) = crate::party_privacy::contact_in(&mut tx, keys, subject).await? {
        crate::outbox::enqueue_in(&mut tx, keys, &compose(&contact.mobile, contact.language, due.seconds()), now)
            .await?;
    }
    tx.commit().await?;
    Ok(Ok(due))
}
