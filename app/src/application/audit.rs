//! The audit log for the privacy officer: searched by who, whom, which request
//! and what (the search itself is recorded: who looked, and for whom), and the
//! check of the hash chain that makes it tamper-evident.

use awn_domain::{
    digits::normalize_digits,
    paging::{PagePosition, PageRequest},
};
use awn_storage::{
    Database,
    audit::{self, AuditEntry, AuditFilter},
    now_unix_seconds,
};

use super::access::{Authorized, can};
use crate::{
    error::AppError,
    staff::audit::{AuditLine, ChainReport},
};

/// A search as typed; a number that cannot be read is left out of the search.
#[derive(Debug, Clone, Copy, Default)]
pub struct TypedSearch<'a> {
    pub username: Option<&'a str>,
    pub beneficiary: Option<&'a str>,
    pub request: Option<&'a str>,
    /// The start of the action's code ("request.", "policy.publish").
    pub action: Option<&'a str>,
}

/// A page of the matching entries, and the fields that could not be read.
pub struct Found {
    pub lines: Vec<AuditLine>,
    pub pages: PagePosition,
    pub invalid: Vec<String>,
}

/// Searches the log, and records the search.
pub async fn search(
    database: &Database,
    who: &Authorized<can::ViewAuditLog>,
    typed: TypedSearch<'_>,
    request: PageRequest,
) -> Result<Found, AppError> {
    let mut invalid = Vec::new();
    let mut number = |name: &str, text: Option<&str>| {
        let text = normalize_digits(text.unwrap_or_default().trim());
        if text.is_empty() {
            return None;
        }
        let parsed = text.parse::<i64>().ok();
        if parsed.is_none() {
            invalid.push(name.to_owned());
        }
        parsed
    };
    let trimmed = |text: Option<&str>| text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    let filter = AuditFilter {
        staff_username: trimmed(typed.username),
        beneficiary_id: number("beneficiary", typed.beneficiary),
        request_id: number("request", typed.request),
        action_prefix: trimmed(typed.action),
        ..AuditFilter::default()
    };
    let (lines, pages) = audit::search_by(database, &filter, request)
        .await?
        .map(|r| AuditLine {
            id: r.id,
            position: r.chain_position,
            at: r.created_at,
            staff_username: r.staff_username,
            action: r.action,
            beneficiary_id: r.beneficiary_id,
            request_id: r.request_id,
            reason: r.reason,
        })
        .split();
    // Who looked at the log, and for whom, is itself recorded.
    let reason = format!("audit-search:{}", filter.beneficiary_id.map(|b| b.to_string()).unwrap_or_default());
    let entry = AuditEntry {
        staff_id: who.id,
        action: awn_domain::audit::AuditAction::AuditSearch,
        beneficiary_id: filter.beneficiary_id,
        request_id: filter.request_id,
        reason: &reason,
    };
    audit::record(database, entry, now_unix_seconds()).await?;
    Ok(Found { lines, pages, invalid })
}

/// Walks the hash chain: how many entries were checked, and the first broken one.
pub async fn verify_chain(database: &Database, _who: &Authorized<can::ViewAuditLog>) -> Result<ChainReport, AppError> {
    let check = audit::verify_chain(database).await?;
    Ok(ChainReport {
        entries_checked: check.entries_checked,
        broken: check.first_broken.map(|b| (b.position, b.entry_id, format!("{:?}", b.problem))),
    })
}

/// The system's alerts of the last `days` days, newest first, at most
/// `limit`; for those who run the system.
pub async fn system_alerts(
    database: &Database,
    _who: &Authorized<can::ManageSettings>,
    days: i64,
    limit: i64,
) -> Result<Vec<crate::staff::alerts::AlertRow>, AppError> {
    let since = awn_storage::now_unix_seconds() - days * 24 * 3600;
    Ok(awn_storage::limits::recent_alerts(database, since, limit)
        .await?
        .into_iter()
        .map(|alert| crate::staff::alerts::AlertRow { kind: alert.kind, raised_at: alert.created_at })
        .collect())
}
