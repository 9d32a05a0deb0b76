//! The survey builder's storage: surveys, their draft questions and the
//! published versions that responses keep.

use awn_domain::surveys::{Question, SurveyAudience};
use sqlx::{AnyConnection, Row};

use super::invalid;
use crate::{Database, StorageResult};

/// A survey as the builder lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    pub id: i64,
    pub title_ar: String,
    pub title_en: String,
    pub audience: SurveyAudience,
    /// Internal surveys: the team (a staff role code) evaluated.
    pub evaluated_team: Option<String>,
    pub anonymous: bool,
    pub active: bool,
    /// The questions being edited, published or not.
    pub draft: Vec<Question>,
    /// The latest published version, if any.
    pub current: Option<SurveyVersion>,
    pub created_at: i64,
}

impl Survey {
    pub fn title(&self, arabic: bool) -> &str {
        if arabic { &self.title_ar } else { &self.title_en }
    }

    /// Whether the draft differs from what was last published.
    pub fn has_unpublished_changes(&self) -> bool {
        self.current.as_ref().is_none_or(|current| current.questions != self.draft)
    }
}

/// A published version: its questions never change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyVersion {
    pub id: i64,
    pub number: i64,
    pub questions: Vec<Question>,
    pub published_at: i64,
}

/// A survey being created.
#[derive(Debug, Clone)]
pub struct NewSurvey<'a> {
    pub title_ar: &'a str,
    pub title_en: &'a str,
    pub audience: SurveyAudience,
    pub evaluated_team: Option<&'a str>,
    pub anonymous: bool,
}

/// Why a survey change was refused. Nothing is written on a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SurveyRefusal {
    #[error("no such survey")]
    NotFound,
    #[error("the survey has no questions")]
    NoQuestions,
    #[error("the survey has never been published")]
    NotPublished,
    #[error("nothing changed since the last version")]
    Unchanged,
}

fn questions_of(json: &str) -> StorageResult<Vec<Question>> {
    serde_json::from_str(json).map_err(|error| invalid(format!("survey questions: {error}")))
}

fn json_of(questions: &[Question]) -> StorageResult<String> {
    serde_json::to_string(questions).map_err(|error| invalid(format!("survey questions: {error}")))
}

pub(super) async fn latest_version(
    connection: &mut AnyConnection,
    survey_id: i64,
) -> StorageResult<Option<SurveyVersion>> {
    let row = sqlx::query(
        "SELECT id, number, questions, published_at FROM survey_versions WHERE survey_id = $1 \
         ORDER BY number DESC LIMIT 1",
    )
    .bind(survey_id)
    .fetch_optional(&mut *connection)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(SurveyVersion {
        id: row.try_get("id")?,
        number: row.try_get("number")?,
        questions: questions_of(&row.try_get::<String, _>("questions")?)?,
        published_at: row.try_get("published_at")?,
    }))
}

const COLUMNS: &str =
    "id, title_ar, title_en, audience, evaluated_team, anonymous, active, draft_questions, created_at";

async fn survey_of(connection: &mut AnyConnection, row: &sqlx::any::AnyRow) -> StorageResult<Survey> {
    let id: i64 = row.try_get("id")?;
    let audience: String = row.try_get("audience")?;
    Ok(Survey {
        id,
        title_ar: row.try_get("title_ar")?,
        title_en: row.try_get("title_en")?,
        audience: SurveyAudience::from_code(&audience).ok_or_else(|| invalid(format!("audience `{audience}`")))?,
        evaluated_team: row.try_get("evaluated_team")?,
        anonymous: row.try_get::<i64, _>("anonymous")? != 0,
        active: row.try_get::<i64, _>("active")? != 0,
        draft: questions_of(&row.try_get::<String, _>("draft_questions")?)?,
        current: latest_version(connection, id).await?,
        created_at: row.try_get("created_at")?,
    })
}

/// Creates a survey with no questions, not in use. [`StorageError::Invalid`]
/// for an empty title.
pub async fn create(db: &Database, new: NewSurvey<'_>, staff_id: i64, now: i64) -> StorageResult<i64> {
    let (title_ar, title_en) = (new.title_ar.trim(), new.title_en.trim());
    if title_ar.is_empty() || title_en.is_empty() {
        return Err(invalid("a survey without a title"));
    }
    let team = if new.audience == SurveyAudience::Internal { new.evaluated_team } else { None };
    Ok(sqlx::query_scalar(
        "INSERT INTO surveys (title_ar, title_en, audience, evaluated_team, anonymous, active, draft_questions, \
           created_by, created_at) VALUES ($1, $2, $3, $4, $5, 0, '[]', $6, $7) RETURNING id",
    )
    .bind(title_ar)
    .bind(title_en)
    .bind(new.audience.code())
    .bind(team)
    .bind(i64::from(new.anonymous))
    .bind(staff_id)
    .bind(now)
    .fetch_one(db.pool())
    .await?)
}

/// Every survey, newest first.
pub async fn list(db: &Database) -> StorageResult<Vec<Survey>> {
    let mut connection = db.pool().acquire().await?;
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM surveys ORDER BY created_at DESC, id DESC"))
        .fetch_all(&mut *connection)
        .await?;
    let mut surveys = Vec::with_capacity(rows.len());
    for row in &rows {
        surveys.push(survey_of(&mut connection, row).await?);
    }
    Ok(surveys)
}

pub async fn by_id(db: &Database, survey_id: i64) -> StorageResult<Option<Survey>> {
    let mut connection = db.pool().acquire().await?;
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM surveys WHERE id = $1"))
        .bind(survey_id)
        .fetch_optional(&mut *connection)
        .await?;
    match row {
        Some(row) => Ok(Some(survey_of(&mut connection, &row).await?)),
        None => Ok(None),
    }
}

/// Replaces the draft's questions (the builder adds, removes and moves them
/// with the domain's checks). Returns whether the survey exists.
pub async fn save_draft(db: &Database, survey_id: i64, questions: &[Question]) -> StorageResult<bool> {
    let updated = sqlx::query("UPDATE surveys SET draft_questions = $1 WHERE id = $2")
        .bind(json_of(questions)?)
        .bind(survey_id)
        .execute(db.pool())
        .await?;
    Ok(updated.rows_affected() == 1)
}

/// Freezes the draft into the next version. Earlier responses keep theirs.
pub async fn publish(
    db: &Database,
    survey_id: i64,
    staff_id: i64,
    now: i64,
) -> StorageResult<Result<i64, SurveyRefusal>> {
    let mut tx = db.begin_write().await?;
    let draft: Option<String> = sqlx::query_scalar("SELECT draft_questions FROM surveys WHERE id = $1")
        .bind(survey_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(draft) = draft else { return Ok(Err(SurveyRefusal::NotFound)) };
    let questions = questions_of(&draft)?;
    if questions.is_empty() {
        return Ok(Err(SurveyRefusal::NoQuestions));
    }
    let latest = latest_version(&mut tx, survey_id).await?;
    if latest.as_ref().is_some_and(|latest| latest.questions == questions) {
        return Ok(Err(SurveyRefusal::Unchanged));
    }
    let number = latest.map_or(1, |latest| latest.number + 1);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO survey_versions (survey_id, number, questions, published_by, published_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(survey_id)
    .bind(number)
    .bind(json_of(&questions)?)
    .bind(staff_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Puts a published survey in use, or takes it out. Only one survey of an
/// automatic audience (after a service, after an inquiry) is in use at a time:
/// putting one in use takes the other out, in the same transaction.
pub async fn set_active(db: &Database, survey_id: i64, active: bool) -> StorageResult<Result<(), SurveyRefusal>> {
    let mut tx = db.begin_write().await?;
    let audience: Option<String> = sqlx::query_scalar("SELECT audience FROM surveys WHERE id = $1")
        .bind(survey_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(audience) = audience else { return Ok(Err(SurveyRefusal::NotFound)) };
    if active {
        if latest_version(&mut tx, survey_id).await?.is_none() {
            return Ok(Err(SurveyRefusal::NotPublished));
        }
        if SurveyAudience::from_code(&audience).is_some_and(SurveyAudience::is_automatic) {
            sqlx::query("UPDATE surveys SET active = 0 WHERE audience = $1 AND id <> $2")
                .bind(&audience)
                .bind(survey_id)
                .execute(&mut *tx)
                .await?;
        }
    }
    sqlx::query("UPDATE surveys SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(survey_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
