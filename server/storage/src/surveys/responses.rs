//! Responses: answers to an invitation (anonymous when the survey is) and
//! staff's answers to internal surveys (A16), each recorded once.

use awn_domain::{
    reports::month_key,
    surveys::{Answer, Question, QuestionKind, SurveyAudience},
};
use sqlx::{AnyConnection, Row};

use super::{Survey, SurveyVersion, builder::latest_version, list};
use crate::{Database, StorageResult, secrets};

/// Why a response was refused. Nothing is written on a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ResponseRefusal {
    #[error("no such invitation or survey")]
    Unknown,
    #[error("this invitation was answered already")]
    Used,
    #[error("this invitation has expired")]
    Expired,
    #[error("the survey changed while it was being answered")]
    VersionChanged,
    #[error("this survey was answered already")]
    AlreadyAnswered,
}

/// Facts copied from the invitation to its response.
struct ResponseFacts {
    survey_id: i64,
    version_id: i64,
    invitation_id: Option<i64>,
    channel: Option<String>,
    service_kind: Option<String>,
    staff_id: Option<i64>,
    team: Option<String>,
    by_message: bool,
}

async fn insert_response(
    connection: &mut AnyConnection,
    facts: &ResponseFacts,
    answers: &[(String, Answer)],
    questions: &[Question],
    now: i64,
) -> StorageResult<i64> {
    let month = month_key(now);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO survey_responses (survey_id, version_id, invitation_id, month, channel, service_kind, staff_id, \
           team, by_message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(facts.survey_id)
    .bind(facts.version_id)
    .bind(facts.invitation_id)
    .bind(&month)
    .bind(&facts.channel)
    .bind(&facts.service_kind)
    .bind(facts.staff_id)
    .bind(&facts.team)
    .bind(i64::from(facts.by_message))
    .fetch_one(&mut *connection)
    .await?;
    let mut scores = Vec::new();
    for (key, answer) in answers {
        let kind = questions.iter().find(|q| &q.key == key).map_or(QuestionKind::ShortText, |q| q.kind);
        let (score, choices, text) = match answer {
            Answer::Score(score) => {
                scores.push((kind, *score));
                (Some(i64::from(*score)), None, None)
            }
            Answer::Choices(chosen) => {
                (None, Some(chosen.iter().map(usize::to_string).collect::<Vec<_>>().join(",")), None)
            }
            Answer::Text(text) => (None, None, Some(text.clone())),
        };
        sqlx::query(
            "INSERT INTO survey_answers (response_id, question_key, kind, score, choices, text_answer) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(key)
        .bind(kind.code())
        .bind(score)
        .bind(choices)
        .bind(text)
        .execute(&mut *connection)
        .await?;
    }
    count_in_cell(connection, facts, &month, &scores).await?;
    Ok(id)
}

/// Adds the response and its scores to the counts of its cell, which the
/// satisfaction dashboard reads (`figures::response_cells`). An empty column
/// of the cell is '' (staff 0), as the migration that made the counts says.
async fn count_in_cell(
    connection: &mut AnyConnection,
    facts: &ResponseFacts,
    month: &str,
    scores: &[(QuestionKind, u8)],
) -> StorageResult<()> {
    let responses = format!(
        "INSERT INTO survey_cell_responses ({CELL}, responses) VALUES ($1, $2, $3, $4, $5, $6, $7, 1) \
         ON CONFLICT ({CELL}) DO UPDATE SET responses = survey_cell_responses.responses + 1"
    );
    in_cell(&responses, facts, month).execute(&mut *connection).await?;
    let scored = format!(
        "INSERT INTO survey_cell_scores ({CELL}, kind, score, times) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1) \
         ON CONFLICT ({CELL}, kind, score) DO UPDATE SET times = survey_cell_scores.times + 1"
    );
    for (kind, score) in scores {
        in_cell(&scored, facts, month).bind(kind.code()).bind(i64::from(*score)).execute(&mut *connection).await?;
    }
    Ok(())
}

/// A cell's columns, in this order, are $1–$7 of both statements of `count_in_cell`.
const CELL: &str = "survey_id, month, channel, service_kind, team, staff_id, by_message";

fn in_cell<'q>(
    sql: &'q str,
    facts: &'q ResponseFacts,
    month: &'q str,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(sql)
        .bind(facts.survey_id)
        .bind(month)
        .bind(facts.channel.as_deref().unwrap_or(""))
        .bind(facts.service_kind.as_deref().unwrap_or(""))
        .bind(facts.team.as_deref().unwrap_or(""))
        .bind(facts.staff_id.unwrap_or(0))
        .bind(i64::from(facts.by_message))
}

/// Records the answers to an invitation, once: in one transaction the
/// invitation is marked used (without a time) and the response is stored,
/// linked to the invitation only when the survey is not anonymous. `version_id`
/// is the version the page showed; `answers` were checked against it.
pub async fn respond(
    db: &Database,
    token: &str,
    version_id: i64,
    answers: &[(String, Answer)],
    now: i64,
) -> StorageResult<Result<(), ResponseRefusal>> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "SELECT i.id, i.survey_id, i.request_id, i.channel, i.service_kind, i.staff_id, i.team, i.used, \
           i.expires_at, i.by_message, s.anonymous \
         FROM survey_invitations i JOIN surveys s ON s.id = i.survey_id WHERE i.token_hash = $1",
    )
    .bind(secrets::hash_token(token))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else { return Ok(Err(ResponseRefusal::Unknown)) };
    if row.try_get::<i64, _>("used")? != 0 {
        return Ok(Err(ResponseRefusal::Used));
    }
    if row.try_get::<i64, _>("expires_at")? <= now {
        return Ok(Err(ResponseRefusal::Expired));
    }
    let invitation_id: i64 = row.try_get("id")?;
    let survey_id: i64 = row.try_get("survey_id")?;
    let Some(version) = latest_version(&mut tx, survey_id).await? else { return Ok(Err(ResponseRefusal::Unknown)) };
    if version.id != version_id {
        return Ok(Err(ResponseRefusal::VersionChanged));
    }
    let used = sqlx::query("UPDATE survey_invitations SET used = 1 WHERE id = $1 AND used = 0")
        .bind(invitation_id)
        .execute(&mut *tx)
        .await?;
    if used.rows_affected() != 1 {
        return Ok(Err(ResponseRefusal::Used));
    }
    let mut by_message = row.try_get::<i64, _>("by_message")? != 0;
    let request_id: Option<i64> = row.try_get("request_id")?;
    if let Some(request_id) = request_id {
        // One evaluation per request: the request's other links close, and a
        // link sent by message counts as answered for the response rate.
        let sent: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM survey_invitations WHERE request_id = $1 AND used = 0 AND by_message = 1 LIMIT 1",
        )
        .bind(request_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(sent) = sent {
            sqlx::query("UPDATE survey_invitations SET used = 1 WHERE id = $1").bind(sent).execute(&mut *tx).await?;
            by_message = true;
        }
        sqlx::query(
            "UPDATE survey_invitations SET expires_at = $1 WHERE request_id = $2 AND used = 0 AND expires_at > $1",
        )
        .bind(now)
        .bind(request_id)
        .execute(&mut *tx)
        .await?;
    }
    let anonymous = row.try_get::<i64, _>("anonymous")? != 0;
    let facts = ResponseFacts {
        survey_id,
        version_id,
        invitation_id: (!anonymous).then_some(invitation_id),
        channel: row.try_get("channel")?,
        service_kind: row.try_get("service_kind")?,
        staff_id: row.try_get("staff_id")?,
        team: row.try_get("team")?,
        by_message,
    };
    insert_response(&mut tx, &facts, answers, &version.questions, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// An internal survey (A16) as a staff member sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalSurvey {
    pub survey: Survey,
    pub version: SurveyVersion,
    /// Whether this staff member answered this version already.
    pub answered: bool,
}

/// The internal surveys in use, each with whether `staff_id` answered it.
/// A staff member is not asked about their own team.
pub async fn internal_surveys(db: &Database, staff_id: i64) -> StorageResult<Vec<InternalSurvey>> {
    let role: Option<String> = sqlx::query_scalar("SELECT role FROM staff_accounts WHERE id = $1")
        .bind(staff_id)
        .fetch_optional(db.pool())
        .await?;
    let mut open = Vec::new();
    for survey in list(db).await? {
        if survey.audience != SurveyAudience::Internal || !survey.active {
            continue;
        }
        if survey.evaluated_team.is_some() && survey.evaluated_team == role {
            continue;
        }
        let Some(version) = survey.current.clone() else { continue };
        let answered: Option<i64> =
            sqlx::query_scalar("SELECT staff_id FROM survey_participation WHERE version_id = $1 AND staff_id = $2")
                .bind(version.id)
                .bind(staff_id)
                .fetch_optional(db.pool())
                .await?;
        open.push(InternalSurvey { survey, version, answered: answered.is_some() });
    }
    Ok(open)
}

/// A staff member answers an internal survey, once per version: their taking
/// part is recorded apart from the response, which holds no staff id.
pub async fn respond_internal(
    db: &Database,
    survey_id: i64,
    version_id: i64,
    staff_id: i64,
    answers: &[(String, Answer)],
    now: i64,
) -> StorageResult<Result<(), ResponseRefusal>> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query("SELECT audience, active, evaluated_team FROM surveys WHERE id = $1")
        .bind(survey_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else { return Ok(Err(ResponseRefusal::Unknown)) };
    if row.try_get::<String, _>("audience")? != SurveyAudience::Internal.code() || row.try_get::<i64, _>("active")? == 0
    {
        return Ok(Err(ResponseRefusal::Unknown));
    }
    let Some(version) = latest_version(&mut tx, survey_id).await? else { return Ok(Err(ResponseRefusal::Unknown)) };
    if version.id != version_id {
        return Ok(Err(ResponseRefusal::VersionChanged));
    }
    let taken = sqlx::query(
        "INSERT INTO survey_participation (survey_id, version_id, staff_id) VALUES ($1, $2, $3) \
         ON CONFLICT (version_id, staff_id) DO NOTHING",
    )
    .bind(survey_id)
    .bind(version_id)
    .bind(staff_id)
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() != 1 {
        return Ok(Err(ResponseRefusal::AlreadyAnswered));
    }
    let facts = ResponseFacts {
        survey_id,
        version_id,
        invitation_id: None,
        channel: None,
        service_kind: None,
        staff_id: None,
        team: row.try_get("evaluated_team")?,
        by_message: false,
    };
    insert_response(&mut tx, &facts, answers, &version.questions, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}
