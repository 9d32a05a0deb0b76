//! Consent records. Website visitors (B10): each choice is appended with the
//! anonymous visitor id, the categories, the policy version shown, how and
//! when; and the site's page-view counts, kept only for visitors who accepted
//! analytics.

use awn_domain::consent::{ConsentMethod, VisitorChoice};
use sqlx::Row;

use crate::{Database, StorageResult};

/// A visitor's choice as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitorConsentRecord {
    pub visitor_id: String,
    pub choice: VisitorChoice,
    pub policy_version: String,
    pub method: String,
    pub created_at: i64,
}

/// Appends a visitor's choice.
pub async fn record_visitor_choice(
    db: &Database,
    visitor_id: &str,
    choice: VisitorChoice,
    policy_version: &str,
    method: ConsentMethod,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO visitor_consents (visitor_id, analytics, communications, policy_version, method, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(visitor_id)
    .bind(i64::from(choice.analytics))
    .bind(i64::from(choice.communications))
    .bind(policy_version)
    .bind(method.code())
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A visitor's choices, oldest first.
pub async fn visitor_history(db: &Database, visitor_id: &str) -> StorageResult<Vec<VisitorConsentRecord>> {
    let rows = sqlx::query(
        "SELECT visitor_id, analytics, communications, policy_version, method, created_at FROM visitor_consents \
         WHERE visitor_id = $1 ORDER BY id",
    )
    .bind(visitor_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(VisitorConsentRecord {
                visitor_id: row.try_get("visitor_id")?,
                choice: VisitorChoice {
                    analytics: row.try_get::<i64, _>("analytics")? != 0,
                    communications: row.try_get::<i64, _>("communications")? != 0,
                },
                policy_version: row.try_get("policy_version")?,
                method: row.try_get("method")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

/// Counts one page view on `day` ("2026-11-25") of `path` (without its query).
pub async fn count_page_view(db: &Database, day: &str, path: &str) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO page_views (day, path, views) VALUES ($1, $2, 1) \
         ON CONFLICT (day, path) DO UPDATE SET views = page_views.views + 1",
    )
    .bind(day)
    .bind(path)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Views per path since `from_day` (inclusive), the most viewed first.
pub async fn page_views_since(db: &Database, from_day: &str) -> StorageResult<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT path, CAST(SUM(views) AS BIGINT) AS total FROM page_views WHERE day >= $1 GROUP BY path ORDER BY total DESC, path LIMIT 50",
    )
    .bind(from_day)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|row| Ok((row.try_get("path")?, row.try_get("total")?))).collect()
}
