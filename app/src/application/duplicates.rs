//! Each person known once (issue 15): possible duplicates looked for when a
//! request arrives and when its verification starts, and staff's decision on
//! each (the same person: the files are linked, never merged; or not, with
//! why). Reading them is audited in `personal_data`. The beneficiary is never
//! told that anyone else's record matched.

use awn_domain::{audit::AuditAction, duplicates::DuplicateStatus, identity::clean_text, ids::RequestId};
use awn_storage::{
    Database,
    audit::{self, AuditEntry},
    duplicates, now_unix_seconds,
};

use super::access::{Authorized, can};
use crate::error::AppError;

/// Longest reason kept with a decision, in characters.
pub const MAX_DECISION_REASON_CHARS: usize = 500;

/// Looks for the request's possible duplicates and records new ones. A failure
/// is logged, never passed on: the request itself went through.
pub async fn look_for(database: &Database, request: RequestId) {
    if let Err(error) = duplicates::find_and_record(database, request, now_unix_seconds()).await {
        tracing::warn!(request = request.get(), %error, "looking for possible duplicates failed");
    }
}

/// What became of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Recorded,
    /// "Not the same person" needs a reason.
    ReasonRequired,
}

/// Staff's decision on one of the request's open possible duplicates: `same`
/// confirms it (the files are linked), otherwise it is dismissed for `reason`.
pub async fn decide(
    database: &Database,
    who: &Authorized<can::ResolveDuplicates>,
    request: RequestId,
    duplicate: i64,
    same: bool,
    reason: &str,
) -> Result<Decision, AppError> {
    let reason: String = clean_text(reason).chars().take(MAX_DECISION_REASON_CHARS).collect();
    if !same && reason.is_empty() {
        return Ok(Decision::ReasonRequired);
    }
    let status = if same { DuplicateStatus::Confirmed } else { DuplicateStatus::Dismissed };
    let now = now_unix_seconds();
    duplicates::decide(database, request, duplicate, status, who.staff_id(), &reason, now).await?;
    let audited = format!("{}:{duplicate}", status.code());
    let entry = AuditEntry {
        staff_id: who.id,
        action: AuditAction::DuplicateDecide,
        beneficiary_id: None,
        request_id: Some(request.get()),
        reason: &audited,
    };
    audit::record(database, entry, now).await?;
    Ok(Decision::Recorded)
}
