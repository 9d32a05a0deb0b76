//! Intake on behalf of a beneficiary (A10, A18): a request taken in by staff.

use awn_domain::{channels::Channel, locale::Language, requests::ValidRequest};

use crate::{
    Database, StorageResult,
    audit::{AuditAction, AuditEntry, record_in},
    outbox::NewOutboxMessage,
    requests::{self, NewRequest, Submission},
    staff,
};

/// The version of the declaration a beneficiary confirms to staff at intake.
pub const INTAKE_DECLARATION_VERSION: &str = "1.0";

/// Records a request taken in by staff (phone, interview, letter, …): the
/// beneficiary's account is found by the request's mobile number, or created,
/// then the request is submitted exactly as online (same duplicate rules, same
/// receipt), with the channel, `staff:<id>` as the first entry's actor, and the
/// staff member kept as `intake_staff_id`.
///
/// Like an online submission, this attaches the account's draft documents (if
/// the person had started online) and removes its draft.
pub async fn record_intake(
    db: &Database,
    staff_id: i64,
    channel: Channel,
    request: &ValidRequest,
    language: Language,
    now: i64,
    compose_receipt: impl FnOnce(&str, i64) -> Vec<NewOutboxMessage>,
) -> StorageResult<Submission> {
    // A no-op update on conflict so both engines return the existing id.
    let beneficiary_id: i64 = sqlx::query_scalar(
        "INSERT INTO beneficiary_accounts (mobile, language, created_at, mobile_hash) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (mobile_hash) DO UPDATE SET mobile_hash = excluded.mobile_hash RETURNING id",
    )
    .bind(db.keys()?.encrypt_text(crate::crypto::ACCOUNT_MOBILE, request.mobile.as_e164()))
    .bind(language.tag())
    .bind(now)
    .bind(crate::crypto::contact_hash(db.keys()?, request.mobile.as_e164()))
    .fetch_one(db.pool())
    .await?;
    let actor = staff::actor(staff_id);
    let submission = requests::submit(
        db,
        NewRequest {
            beneficiary_id,
            request,
            declaration_version: INTAKE_DECLARATION_VERSION,
            language,
            now,
            channel,
            actor: &actor,
        },
        compose_receipt,
    )
    .await?;
    if let Submission::Submitted { id, .. } = &submission {
        let mut tx = db.begin_write().await?;
        sqlx::query("UPDATE support_requests SET intake_staff_id = $1 WHERE id = $2")
            .bind(staff_id)
            .bind(*id)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry {
            staff_id,
            action: AuditAction::RequestIntake,
            beneficiary_id: Some(beneficiary_id),
            request_id: Some(*id),
            reason: channel.code(),
        };
        record_in(&mut tx, db.keys()?, entry, now).await?;
        tx.commit().await?;
    }
    Ok(submission)
}
