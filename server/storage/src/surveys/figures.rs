//! What the satisfaction dashboard is computed from (C2, C3): responses by
//! month, and the invitations sent for the response rate.

use awn_domain::surveys::QuestionKind;
use sqlx::Row;

use crate::{Database, StorageResult};

/// One response as the dashboard reads it: no person, no time finer than a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseRecord {
    pub id: i64,
    pub survey_id: i64,
    pub month: String,
    pub channel: Option<String>,
    pub service_kind: Option<String>,
    pub staff_id: Option<i64>,
    pub team: Option<String>,
    pub by_message: bool,
    /// The 1–5 scores given.
    pub satisfaction: Vec<u8>,
    /// The 0–10 scores given.
    pub recommend: Vec<u8>,
    /// Short-text answers.
    pub comments: Vec<String>,
}

/// The responses in the months `from..=to` ("2026-01"; either may be open),
/// of one survey or of all, oldest month first.
pub async fn responses(
    db: &Database,
    survey_id: Option<i64>,
    from: Option<&str>,
    to: Option<&str>,
) -> StorageResult<Vec<ResponseRecord>> {
    let rows = sqlx::query(
        "SELECT r.id, r.survey_id, r.month, r.channel, r.service_kind, r.staff_id, r.team, r.by_message, \
           a.kind, a.score, a.text_answer \
         FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id \
         WHERE ($1 IS NULL OR r.survey_id = $1) AND ($2 IS NULL OR r.month >= $2) AND ($3 IS NULL OR r.month <= $3) \
         ORDER BY r.month, r.id, a.question_key",
    )
    .bind(survey_id)
    .bind(from)
    .bind(to)
    .fetch_all(db.pool())
    .await?;
    let mut records: Vec<ResponseRecord> = Vec::new();
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        if records.last().is_none_or(|last| last.id != id) {
            records.push(ResponseRecord {
                id,
                survey_id: row.try_get("survey_id")?,
                month: row.try_get("month")?,
                channel: row.try_get("channel")?,
                service_kind: row.try_get("service_kind")?,
                staff_id: row.try_get("staff_id")?,
                team: row.try_get("team")?,
                by_message: row.try_get::<i64, _>("by_message")? != 0,
                satisfaction: Vec::new(),
                recommend: Vec::new(),
                comments: Vec::new(),
            });
        }
        let Some(record) = records.last_mut() else { continue };
        let kind: Option<String> = row.try_get("kind")?;
        let score: Option<i64> = row.try_get("score")?;
        match (kind.as_deref().and_then(QuestionKind::from_code), score.and_then(|s| u8::try_from(s).ok())) {
            (Some(QuestionKind::Satisfaction), Some(score)) => record.satisfaction.push(score),
            (Some(QuestionKind::Recommend), Some(score)) => record.recommend.push(score),
            (Some(QuestionKind::ShortText), _) => {
                if let Some(text) = row.try_get::<Option<String>, _>("text_answer")? {
                    record.comments.push(text);
                }
            }
            _ => {}
        }
    }
    Ok(records)
}

/// Invitations sent by message, by month sent, in `from..=to`.
pub async fn invitations_by_month(
    db: &Database,
    survey_id: Option<i64>,
    from: Option<&str>,
    to: Option<&str>,
) -> StorageResult<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT sent_month, COUNT(*) AS sent FROM survey_invitations \
         WHERE by_message = 1 AND ($1 IS NULL OR survey_id = $1) AND ($2 IS NULL OR sent_month >= $2) \
           AND ($3 IS NULL OR sent_month <= $3) GROUP BY sent_month ORDER BY sent_month",
    )
    .bind(survey_id)
    .bind(from)
    .bind(to)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|row| Ok((row.try_get("sent_month")?, row.try_get("sent")?))).collect()
}
