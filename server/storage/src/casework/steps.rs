//! The workflow's steps (A10–A14) that move a request, and the two that only
//! touch it: assigning it and writing to the beneficiary. Each is one transaction.

use awn_domain::{
    calendar::{DualDate, UnixTime},
    ids::{RequestId, StaffId},
    locale::Language,
    requests::{RequestStatus, TransitionError},
    workflow::{self, ChecklistItem, Decision, DecisionKind, ResearchStudy, VerificationOutcome},
};
use sqlx::{AnyConnection, Row};

use super::{OUTCOME_MISSING_INFORMATION, OUTCOME_VERIFIED, status_of};

use crate::{
    Database, StorageError, StorageResult,
    audit::{AuditAction, AuditEntry, record_in},
    outbox::{NewOutboxMessage, enqueue_in},
    requests::{self, NoticeRecipient},
    staff,
};

/// What a step needs to know of the request before it moves it.
pub(super) struct CaseState {
    pub(super) status: RequestStatus,
    pub(super) beneficiary_id: i64,
    pub(super) recipient: NoticeRecipient,
}

pub(super) async fn case_state(
    connection: &mut AnyConnection,
    keys: &crate::crypto::Keyring,
    request_id: i64,
) -> StorageResult<CaseState> {
    let row = sqlx::query(
        "SELECT status, beneficiary_id, reference, mobile, email, consent_sms, consent_email, language \
         FROM support_requests WHERE id = $1",
    )
    .bind(request_id)
    .fetch_optional(&mut *connection)
    .await?;
    let Some(row) = row else { return Err(StorageError::NotFound(format!("no request {request_id}"))) };
    let language: String = row.try_get("language")?;
    Ok(CaseState {
        status: status_of(&row.try_get::<String, _>("status")?)?,
        beneficiary_id: row.try_get("beneficiary_id")?,
        recipient: NoticeRecipient {
            reference: row.try_get("reference")?,
            mobile: keys.decrypt_text(crate::crypto::REQUEST_MOBILE, &row.try_get::<String, _>("mobile")?)?,
            email: keys.decrypt_optional(crate::crypto::EMAIL, row.try_get("email")?)?,
            consent_sms: row.try_get::<i64, _>("consent_sms")? != 0,
            consent_email: row.try_get::<i64, _>("consent_email")? != 0,
            language: Language::from_tag(&language).unwrap_or(Language::Arabic),
        },
    })
}

pub(super) fn audit_entry<'a>(
    staff_id: i64,
    action: AuditAction,
    state: &CaseState,
    request_id: i64,
    reason: &'a str,
) -> AuditEntry<'a> {
    AuditEntry { staff_id, action, beneficiary_id: Some(state.beneficiary_id), request_id: Some(request_id), reason }
}

/// Moves the request inside `tx` (checked, with its timeline entry and notice)
/// and appends the audit entry `from->to`. On a refusal nothing is written.
#[expect(clippy::too_many_arguments, reason = "one step of the workflow writes all of these in one transaction")]
pub(super) async fn move_request(
    tx: &mut AnyConnection,
    keys: &crate::crypto::Keyring,
    request_id: i64,
    staff_id: i64,
    to: RequestStatus,
    reason: &str,
    audit_action: AuditAction,
    now: i64,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    let state = case_state(&mut *tx, keys, request_id).await?;
    let actor = staff::actor(staff_id);
    let from =
        match requests::change_status_in(&mut *tx, keys, request_id, to, reason, &actor, now, compose_notice).await? {
            Ok(from) => from,
            Err(refusal) => return Ok(Err(refusal)),
        };
    let change = format!("{}->{}", from.code(), to.code());
    record_in(&mut *tx, keys, audit_entry(staff_id, audit_action, &state, request_id, &change), now).await?;
    Ok(Ok(()))
}

/// Asks the beneficiary for what is missing: the request's list of things asked for.
async fn ask_for(tx: &mut AnyConnection, request_id: i64, staff_id: i64, message: &str, now: i64) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO document_requests (request_id, description, requested_by, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(request_id)
    .bind(message.trim())
    .bind(staff::actor(staff_id))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A step that is the move alone, in its own transaction.
#[expect(clippy::too_many_arguments, reason = "one step of the workflow writes all of these in one transaction")]
async fn move_alone(
    db: &Database,
    request_id: RequestId,
    staff_id: StaffId,
    to: RequestStatus,
    reason: &str,
    action: AuditAction,
    now: UnixTime,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    let mut tx = db.begin_write().await?;
    let keys = db.keys()?;
    let (request_id, staff_id, now) = (request_id.get(), staff_id.get(), now.seconds());
    if let Err(refusal) =
        move_request(&mut tx, keys, request_id, staff_id, to, reason, action, now, compose_notice).await?
    {
        return Ok(Err(refusal));
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// Submitted (or back with the missing information) → under verification.
pub async fn start_verification(
    db: &Database,
    request_id: RequestId,
    staff_id: StaffId,
    now: UnixTime,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    move_alone(
        db,
        request_id,
        staff_id,
        RequestStatus::UnderVerification,
        "",
        AuditAction::RequestStartVerification,
        now,
        compose_notice,
    )
    .await
}

/// Records a verification (A10). Verified: the request is referred to research
/// (A11), which needs `referral` = (note, researcher); the researcher, if named,
/// becomes the assignee. Something missing: the beneficiary is told what (the
/// message is the timeline's reason and an item of the request's "asked for" list).
///
/// A verified outcome without a referral note is refused with
/// [`TransitionError::ReasonRequired`].
pub async fn record_verification(
    db: &Database,
    request_id: RequestId,
    staff_id: StaffId,
    outcome: &VerificationOutcome,
    referral: Option<(&str, Option<i64>)>,
    now: UnixTime,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    let (request_id, staff_id, now) = (request_id.get(), staff_id.get(), now.seconds());
    let (reason, note, message, unticked, result): (&str, &str, &str, &[ChecklistItem], &str) = match outcome {
        VerificationOutcome::Verified { note } => ("", note, "", &[], OUTCOME_VERIFIED),
        VerificationOutcome::MissingInformation { unticked, message, note } => {
            (message, note, message, unticked, OUTCOME_MISSING_INFORMATION)
        }
    };
    let referral = match (outcome, referral) {
        (VerificationOutcome::Verified { .. }, Some((note, researcher))) if !note.trim().is_empty() => {
            Some((note.trim(), researcher))
        }
        (VerificationOutcome::Verified { .. }, _) => return Ok(Err(TransitionError::ReasonRequired)),
        (VerificationOutcome::MissingInformation { .. }, _) => None,
    };
    let mut tx = db.begin_write().await?;
    let to = outcome.next_status();
    if let Err(refusal) = move_request(
        &mut tx,
        db.keys()?,
        request_id,
        staff_id,
        to,
        reason,
        AuditAction::RequestVerify,
        now,
        compose_notice,
    )
    .await?
    {
        return Ok(Err(refusal));
    }
    let ticked = |item: ChecklistItem| i64::from(!unticked.contains(&item));
    sqlx::query(
        "INSERT INTO request_verifications (request_id, items_provided, data_matches_documents, \
           documents_valid_on_submission, note, message, outcome, staff_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(request_id)
    .bind(ticked(ChecklistItem::ItemsProvided))
    .bind(ticked(ChecklistItem::DataMatchesDocuments))
    .bind(ticked(ChecklistItem::DocumentsValidOnSubmission))
    .bind(note)
    .bind(message)
    .bind(result)
    .bind(staff_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    match referral {
        Some((note, researcher)) => {
            sqlx::query(
                "INSERT INTO request_referrals (request_id, researcher_id, note, staff_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(request_id)
            .bind(researcher)
            .bind(note)
            .bind(staff_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if let Some(researcher) = researcher {
                sqlx::query("UPDATE support_requests SET assignee_id = $1 WHERE id = $2")
                    .bind(researcher)
                    .bind(request_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        None => ask_for(&mut tx, request_id, staff_id, message, now).await?,
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// Records the social study (A7, A11): the request goes to the committee, or
/// back to the beneficiary when the study needs more (the message is what they read).
pub async fn record_study(
    db: &Database,
    request_id: RequestId,
    staff_id: StaffId,
    study: &ResearchStudy,
    now: UnixTime,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    let (request_id, staff_id, now) = (request_id.get(), staff_id.get(), now.seconds());
    let to = study.next_status();
    let asks = to == RequestStatus::MissingInformation;
    let message = study.message.as_deref().unwrap_or_default();
    let reason = if asks { message } else { "" };
    let mut tx = db.begin_write().await?;
    if let Err(refusal) = move_request(
        &mut tx,
        db.keys()?,
        request_id,
        staff_id,
        to,
        reason,
        AuditAction::RequestStudy,
        now,
        compose_notice,
    )
    .await?
    {
        return Ok(Err(refusal));
    }
    sqlx::query(
        "INSERT INTO research_studies (request_id, method, findings, recommendation, message, staff_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(request_id)
    .bind(study.method.code())
    .bind(&study.findings)
    .bind(study.recommendation.code())
    .bind(message.trim())
    .bind(staff_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if asks {
        ask_for(&mut tx, request_id, staff_id, message, now).await?;
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// Records the committee's decision (A13). An acceptance or rejection stamps the
/// request (decided_at, decided_by; the support granted on acceptance); asking
/// for more sends it back to the beneficiary with the message.
pub async fn record_decision(
    db: &Database,
    request_id: RequestId,
    staff_id: StaffId,
    decision: &Decision,
    now: UnixTime,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    let (request_id, staff_id, now) = (request_id.get(), staff_id.get(), now.seconds());
    let (kind, reason, support) = match decision {
        Decision::Accepted { support } => (DecisionKind::Accept, "", Some(support.as_str())),
        Decision::Rejected { reason } => (DecisionKind::Reject, reason.as_str(), None),
        Decision::MoreInformation { message } => (DecisionKind::MoreInformation, message.as_str(), None),
    };
    let mut tx = db.begin_write().await?;
    if let Err(refusal) = move_request(
        &mut tx,
        db.keys()?,
        request_id,
        staff_id,
        decision.status(),
        reason,
        AuditAction::RequestDecide,
        now,
        compose_notice,
    )
    .await?
    {
        return Ok(Err(refusal));
    }
    sqlx::query(
        "INSERT INTO committee_decisions (request_id, decision, reason, support_granted, staff_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(request_id)
    .bind(kind.code())
    .bind(reason.trim())
    .bind(support)
    .bind(staff_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    match kind {
        DecisionKind::Accept | DecisionKind::Reject => {
            sqlx::query(
                "UPDATE support_requests SET decided_at = $1, decided_by = $2, support_granted = $3 WHERE id = $4",
            )
            .bind(now)
            .bind(staff_id)
            .bind(support)
            .bind(request_id)
            .execute(&mut *tx)
            .await?;
        }
        DecisionKind::MoreInformation => ask_for(&mut tx, request_id, staff_id, reason, now).await?,
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// Completes the registration of an accepted request (A14): the beneficiary's
/// file is opened and numbered (`BEN-<year>-<request id>`, the year of
/// registration in Saudi time). Returns the file number.
pub async fn complete_registration(
    db: &Database,
    request_id: RequestId,
    staff_id: StaffId,
    now: UnixTime,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<String, TransitionError>> {
    let (request_id, staff_id, now) = (request_id.get(), staff_id.get(), now.seconds());
    let mut tx = db.begin_write().await?;
    let to = RequestStatus::RegistrationCompleted;
    if let Err(refusal) = move_request(
        &mut tx,
        db.keys()?,
        request_id,
        staff_id,
        to,
        "",
        AuditAction::RequestRegister,
        now,
        compose_notice,
    )
    .await?
    {
        return Ok(Err(refusal));
    }
    let file_number = workflow::file_number(DualDate::from_unix_seconds(now).gregorian.year, request_id);
    sqlx::query("UPDATE support_requests SET file_number = $1, registered_at = $2 WHERE id = $3")
        .bind(&file_number)
        .bind(now)
        .bind(request_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Ok(file_number))
}

/// Closes a request (withdrawn, duplicate or finished); `reason` is what the
/// beneficiary reads and may be empty.
pub async fn close(
    db: &Database,
    request_id: RequestId,
    staff_id: StaffId,
    reason: &str,
    now: UnixTime,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    move_alone(db, request_id, staff_id, RequestStatus::Closed, reason, AuditAction::RequestClose, now, compose_notice)
        .await
}

/// Gives the request to a staff member (or to nobody), with an audit entry.
/// [`StorageError::NotFound`] for an unknown request or an unknown or inactive assignee.
pub async fn assign(
    db: &Database,
    request_id: RequestId,
    assignee_id: Option<StaffId>,
    by_staff: StaffId,
    now: UnixTime,
) -> StorageResult<()> {
    let (request_id, by_staff, assignee_id, now) =
        (request_id.get(), by_staff.get(), assignee_id.map(StaffId::get), now.seconds());
    let mut tx = db.begin_write().await?;
    let state = case_state(&mut tx, db.keys()?, request_id).await?;
    if let Some(assignee) = assignee_id {
        let active: Option<i64> = sqlx::query_scalar("SELECT id FROM staff_accounts WHERE id = $1 AND active = 1")
            .bind(assignee)
            .fetch_optional(&mut *tx)
            .await?;
        if active.is_none() {
            return Err(StorageError::NotFound(format!("no active staff account {assignee}")));
        }
    }
    sqlx::query("UPDATE support_requests SET assignee_id = $1 WHERE id = $2")
        .bind(assignee_id)
        .bind(request_id)
        .execute(&mut *tx)
        .await?;
    crate::clocks::set_responsible_in(&mut tx, crate::clocks::Subject::request(request_id), assignee_id).await?;
    let reason = match assignee_id {
        Some(assignee) => format!("assignee:{assignee}"),
        None => "unassigned".to_owned(),
    };
    record_in(&mut tx, db.keys()?, audit_entry(by_staff, AuditAction::RequestAssign, &state, request_id, &reason), now)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Writes to the beneficiary about their request (A3): the message joins the
/// request's conversation as `staff:<id>` and the notice is queued, in one
/// transaction. [`StorageError::NotFound`] for an unknown request, [`StorageError::Invalid`] for a blank body.
pub async fn staff_message(
    db: &Database,
    request_id: RequestId,
    staff_id: StaffId,
    body: &str,
    now: UnixTime,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<()> {
    let (request_id, staff_id, now) = (request_id.get(), staff_id.get(), now.seconds());
    let body = body.trim();
    if body.is_empty() {
        return Err(StorageError::Invalid("an empty message".into()));
    }
    let mut tx = db.begin_write().await?;
    let state = case_state(&mut tx, db.keys()?, request_id).await?;
    sqlx::query("INSERT INTO request_messages (request_id, author, body, created_at) VALUES ($1, $2, $3, $4)")
        .bind(request_id)
        .bind(staff::actor(staff_id))
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE support_requests SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(request_id)
        .execute(&mut *tx)
        .await?;
    enqueue_in(&mut tx, db.keys()?, &compose_notice(&state.recipient), now).await?;
    record_in(&mut tx, db.keys()?, audit_entry(staff_id, AuditAction::RequestMessage, &state, request_id, ""), now)
        .await?;
    tx.commit().await?;
    Ok(())
}
