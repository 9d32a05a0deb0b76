//! Items from before the clocks existed get theirs at start-up, counted from
//! when they began, so nothing already open goes unreminded. Idempotent: an
//! item that has ever had a clock of a rule is left alone.

use awn_domain::{
    calendar::{CalendarDay, UnixTime, start_of_day_unix},
    deadlines::{ClockEvent, ClockRule, SubjectKind},
};
use sqlx::Row;

use super::{EventNote, Subject, record_in, start_in};
use crate::{Database, StorageResult};

/// Open items of each kind without a clock of the rule: (rule, kind, query of id, start, extra).
const MISSING: &[(ClockRule, SubjectKind, &str)] = &[
    (
        ClockRule::Decision,
        SubjectKind::Request,
        "SELECT id, submitted_at AS started, status AS extra, updated_at AS since, assignee_id AS owner \
         FROM support_requests WHERE status IN ('submitted', 'under_verification', 'missing_information', \
         'referred_to_research', 'with_committee')",
    ),
    (
        ClockRule::ComplaintResolution,
        SubjectKind::Complaint,
        "SELECT id, created_at AS started, '' AS extra, created_at AS since, reviewer_id AS owner \
         FROM complaints WHERE status <> 'resolved'",
    ),
    (
        ClockRule::InquiryAnswer,
        SubjectKind::Inquiry,
        "SELECT id, created_at AS started, '' AS extra, created_at AS since, NULL AS owner \
         FROM inquiries WHERE status = 'open'",
    ),
    (
        ClockRule::DataRequest,
        SubjectKind::DataRequest,
        "SELECT id, created_at AS started, '' AS extra, created_at AS since, NULL AS owner \
         FROM data_requests WHERE status = 'open'",
    ),
    (
        ClockRule::BreachNotification,
        SubjectKind::PrivacyReport,
        "SELECT id, aware_at AS started, '' AS extra, aware_at AS since, handled_by AS owner \
         FROM privacy_reports WHERE status <> 'closed' AND notified_at IS NULL",
    ),
    (
        ClockRule::ImprovementAction,
        SubjectKind::ImprovementAction,
        "SELECT id, created_at AS started, due_on AS extra, created_at AS since, owner_id AS owner \
         FROM improvement_actions WHERE status <> 'done'",
    ),
];

/// Starts the clocks open items lack; returns how many it started.
pub async fn backfill(db: &Database) -> StorageResult<u64> {
    let mut started = 0;
    for (rule, kind, query) in MISSING {
        let rows = sqlx::query(query).fetch_all(db.pool()).await?;
        for row in rows {
            let id: i64 = row.try_get("id")?;
            let subject = Subject { kind: *kind, id };
            let mut tx = db.begin_write().await?;
            let known: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM clocks WHERE subject_kind = $1 AND subject_id = $2 AND rule = $3 LIMIT 1",
            )
            .bind(kind.code())
            .bind(id)
            .bind(rule.code())
            .fetch_optional(&mut *tx)
            .await?;
            if known.is_some() {
                continue;
            }
            let at = UnixTime::from_seconds(row.try_get("started")?);
            let since = UnixTime::from_seconds(row.try_get("since")?);
            let owner: Option<i64> = row.try_get("owner")?;
            let extra: String = row.try_get("extra")?;
            let due = match rule {
                ClockRule::ImprovementAction => CalendarDay::parse_typed(&extra)
                    .ok()
                    .map(|day| UnixTime::from_seconds(start_of_day_unix(day) + 86_400 - 1)),
                _ => None,
            };
            start_in(&mut tx, *rule, subject, at, owner, due).await?;
            if *rule == ClockRule::Decision && extra == "missing_information" {
                let paused = ClockEvent::Paused { at: since };
                record_in(&mut tx, ClockRule::Decision, subject, paused, EventNote::default()).await?;
                start_in(&mut tx, ClockRule::MissingInformation, subject, since, owner, None).await?;
            }
            tx.commit().await?;
            started += 1;
        }
    }
    Ok(started)
}
