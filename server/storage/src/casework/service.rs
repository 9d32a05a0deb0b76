//! A service delivered (A14), with the invitation to evaluate it (C1).

use awn_domain::{
    calendar::{CalendarDay, UnixTime},
    ids::{RequestId, StaffId},
    requests::{RequestStatus, TransitionError},
    workflow::ServiceDelivery,
};
use sqlx::Row;

use super::steps::{audit_entry, case_state, move_request};

use crate::{
    Database, StorageResult,
    audit::{AuditAction, record_in},
    outbox::{NewOutboxMessage, enqueue_in},
    requests::NoticeRecipient,
};

fn day_text(day: CalendarDay) -> String {
    format!("{:04}-{:02}-{:02}", day.year, day.month, day.day)
}

/// When the committee decided a request: `None` for an unknown request,
/// `Some(None)` while undecided. Bounds the date of a service delivered.
pub async fn decided_at(db: &Database, request_id: RequestId) -> StorageResult<Option<Option<i64>>> {
    let request_id = request_id.get();
    Ok(sqlx::query_scalar("SELECT decided_at FROM support_requests WHERE id = $1")
        .bind(request_id)
        .fetch_optional(db.pool())
        .await?)
}

/// Records a service delivered (A14). The first one moves a registered request
/// to "service delivered"; later ones are added to it without a change of state
/// (but still with a notice and an audit entry). Any other state is refused.
pub async fn record_service(
    db: &Database,
    request_id: RequestId,
    staff_id: StaffId,
    service: &ServiceDelivery,
    now: UnixTime,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
    compose_invitation: impl FnOnce(&NoticeRecipient, &crate::surveys::NewInvitation) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    let (request_id, staff_id, now) = (request_id.get(), staff_id.get(), now.seconds());
    let to = RequestStatus::ServiceDelivered;
    let mut tx = db.begin_write().await?;
    let state = case_state(&mut tx, db.keys()?, request_id).await?;
    if state.status == to {
        let touched = sqlx::query("UPDATE support_requests SET updated_at = $1 WHERE id = $2 AND status = $3")
            .bind(now)
            .bind(request_id)
            .bind(to.code())
            .execute(&mut *tx)
            .await?;
        if touched.rows_affected() != 1 {
            return Ok(Err(TransitionError::NotAllowed { from: state.status, to }));
        }
        enqueue_in(&mut tx, db.keys()?, &compose_notice(&state.recipient), now).await?;
        let change = format!("{}->{}", to.code(), to.code());
        record_in(
            &mut tx,
            db.keys()?,
            audit_entry(staff_id, AuditAction::RequestService, &state, request_id, &change),
            now,
        )
        .await?;
    } else if let Err(refusal) = move_request(
        &mut tx,
        db.keys()?,
        request_id,
        staff_id,
        to,
        "",
        AuditAction::RequestService,
        now,
        compose_notice,
    )
    .await?
    {
        return Ok(Err(refusal));
    }
    sqlx::query(
        "INSERT INTO services_delivered (request_id, what, quantity, unit, delivered_on, staff_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(request_id)
    .bind(&service.what)
    .bind(i64::try_from(service.quantity).unwrap_or(i64::MAX))
    .bind(&service.unit)
    .bind(day_text(service.delivered_on))
    .bind(staff_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // Evaluating the service is the beneficiary's right (C1): the invitation
    // goes out with the service, in the same transaction.
    let row = sqlx::query(
        "SELECT r.channel, k.code FROM support_requests r JOIN support_kinds k ON k.id = r.support_kind_id WHERE r.id = $1",
    )
    .bind(request_id)
    .fetch_one(&mut *tx)
    .await?;
    let subject = crate::surveys::InvitationSubject {
        beneficiary_id: Some(state.beneficiary_id),
        request_id: Some(request_id),
        inquiry_id: None,
        channel: row.try_get("channel")?,
        service_kind: row.try_get("code")?,
        staff_id: Some(staff_id),
    };
    let recipient = state.recipient.clone();
    crate::surveys::invite_in(
        &mut tx,
        db.keys()?,
        awn_domain::surveys::SurveyAudience::AfterService,
        &subject,
        now,
        |invitation| compose_invitation(&recipient, invitation),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
