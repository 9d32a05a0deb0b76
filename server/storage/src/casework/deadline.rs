//! The committee takes longer (A13): its period is extended once, with a
//! reason the beneficiary reads, and they are told the new date.

use awn_domain::{
    audit::AuditAction,
    calendar::UnixTime,
    deadlines::{ClockRule, ExtensionRefusal},
    ids::{RequestId, StaffId},
    workflow,
};

use super::steps::{audit_entry, case_state};
use crate::{
    Database, StorageResult,
    audit::record_in,
    clocks::{self, EventNote, Subject},
    outbox::{NewOutboxMessage, enqueue_in},
    requests::NoticeRecipient,
};

/// Extends the committee's period by `days` for `reason` while the request
/// awaits its decision; the request keeps the new date, the audit log the
/// step, and the beneficiary is told (`compose` gets the new due moment).
pub async fn extend_decision(
    db: &Database,
    request_id: RequestId,
    staff_id: StaffId,
    days: u32,
    reason: &str,
    now: UnixTime,
    compose: impl FnOnce(&NoticeRecipient, i64) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<UnixTime, ExtensionRefusal>> {
    let keys = db.keys()?;
    let mut tx = db.begin_write().await?;
    let state = case_state(&mut tx, keys, request_id.get()).await?;
    if !workflow::awaiting_decision(state.status) {
        return Ok(Err(ExtensionRefusal::NotRunning));
    }
    let note = EventNote { staff_id: Some(staff_id.get()), reason };
    let subject = Subject::request(request_id.get());
    let clock = match clocks::extend_in(&mut tx, ClockRule::Decision, subject, days, note, now).await? {
        Ok(clock) => clock,
        Err(refusal) => return Ok(Err(refusal)),
    };
    // A paused clock has no date yet: the beneficiary hears it when it resumes.
    let Some(due) = clock.state.due_at else { return Ok(Err(ExtensionRefusal::NotRunning)) };
    sqlx::query("UPDATE support_requests SET decision_due_at = $1 WHERE id = $2")
        .bind(due.seconds())
        .bind(request_id.get())
        .execute(&mut *tx)
        .await?;
    let change = format!("+{days}d: {}", reason.trim());
    let entry = audit_entry(staff_id.get(), AuditAction::RequestExtendDecision, &state, request_id.get(), &change);
    record_in(&mut tx, keys, entry, now.seconds()).await?;
    enqueue_in(&mut tx, keys, &compose(&state.recipient, due.seconds()), now.seconds()).await?;
    tx.commit().await?;
    Ok(Ok(due))
}
