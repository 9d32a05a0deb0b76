//! Satisfaction surveys (A8, A16, C1–C3): surveys and their published versions,
//! invitations with single-use expiring links, anonymous responses, and the
//! records the dashboard is computed from.
//!
//! Anonymity is a property of the rows, not of the screens: an anonymous
//! response keeps no invitation id, no person, no request and no time finer than
//! its month; its invitation is only marked used, without a time.

use awn_domain::{
    reports::month_key,
    surveys::{Answer, INVITATION_LIFETIME_SECONDS, Question, QuestionKind, SurveyAudience},
};
use sqlx::{AnyConnection, Row};

use crate::{
    Database, StorageError, StorageResult,
    outbox::{NewOutboxMessage, enqueue_in},
    secrets,
};

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

fn invalid(what: impl Into<String>) -> StorageError {
    StorageError::Invalid(what.into())
}

fn questions_of(json: &str) -> StorageResult<Vec<Question>> {
    serde_json::from_str(json).map_err(|error| invalid(format!("survey questions: {error}")))
}

fn json_of(questions: &[Question]) -> StorageResult<String> {
    serde_json::to_string(questions).map_err(|error| invalid(format!("survey questions: {error}")))
}

async fn latest_version(connection: &mut AnyConnection, survey_id: i64) -> StorageResult<Option<SurveyVersion>> {
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

/// What an invitation is about, copied to its response for the dashboard's
/// splits (C3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvitationSubject {
    pub beneficiary_id: Option<i64>,
    pub request_id: Option<i64>,
    pub inquiry_id: Option<i64>,
    /// The channel the request or inquiry came by (`Channel::code`).
    pub channel: Option<String>,
    /// The kind of support (`support_kinds.code`).
    pub service_kind: Option<String>,
    /// Who served: for the person's own figures, never shown to others.
    pub staff_id: Option<i64>,
}

/// A new invitation: the token for the link (the only copy) and its survey.
#[derive(Clone, PartialEq, Eq)]
pub struct NewInvitation {
    pub survey_id: i64,
    pub token: String,
    pub expires_at: i64,
}

impl std::fmt::Debug for NewInvitation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token opens the survey: never in a log.
        f.debug_struct("NewInvitation")
            .field("survey_id", &self.survey_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

async fn team_of(connection: &mut AnyConnection, staff_id: Option<i64>) -> StorageResult<Option<String>> {
    let Some(staff_id) = staff_id else { return Ok(None) };
    Ok(sqlx::query_scalar("SELECT role FROM staff_accounts WHERE id = $1")
        .bind(staff_id)
        .fetch_optional(&mut *connection)
        .await?)
}

async fn insert_invitation(
    connection: &mut AnyConnection,
    survey_id: i64,
    subject: &InvitationSubject,
    by_message: bool,
    now: i64,
) -> StorageResult<NewInvitation> {
    let token = secrets::new_token();
    let expires_at = now + INVITATION_LIFETIME_SECONDS;
    let team = team_of(connection, subject.staff_id).await?;
    sqlx::query(
        "INSERT INTO survey_invitations (survey_id, token_hash, beneficiary_id, request_id, inquiry_id, channel, \
           service_kind, staff_id, team, sent_month, expires_at, used, by_message, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, $13)",
    )
    .bind(survey_id)
    .bind(secrets::hash_token(&token))
    .bind(subject.beneficiary_id)
    .bind(subject.request_id)
    .bind(subject.inquiry_id)
    .bind(&subject.channel)
    .bind(&subject.service_kind)
    .bind(subject.staff_id)
    .bind(team)
    .bind(month_key(now))
    .bind(expires_at)
    .bind(i64::from(by_message))
    .bind(now)
    .execute(&mut *connection)
    .await?;
    Ok(NewInvitation { survey_id, token, expires_at })
}

/// Inside the transaction of the event that calls for it (a service delivered,
/// an inquiry answered: C1), invites to the survey in use for `audience` and
/// queues the messages `compose` builds with the link. Nothing when no survey
/// of that audience is in use.
pub async fn invite_in(
    connection: &mut AnyConnection,
    keys: &crate::crypto::Keyring,
    audience: SurveyAudience,
    subject: &InvitationSubject,
    now: i64,
    compose: impl FnOnce(&NewInvitation) -> Vec<NewOutboxMessage>,
) -> StorageResult<()> {
    let Some(survey_id) = survey_in_use(connection, audience).await? else { return Ok(()) };
    let invitation = insert_invitation(connection, survey_id, subject, true, now).await?;
    let messages = compose(&invitation);
    if messages.is_empty() {
        // No way to reach the person: the invitation would only lower the response rate.
        sqlx::query("DELETE FROM survey_invitations WHERE token_hash = $1")
            .bind(secrets::hash_token(&invitation.token))
            .execute(&mut *connection)
            .await?;
        return Ok(());
    }
    enqueue_in(connection, keys, &messages, now).await
}

/// Who staff invite by hand: the beneficiary's mobile and language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandInvitee {
    pub beneficiary_id: i64,
    /// E.164.
    pub mobile: String,
    pub language: awn_domain::locale::Language,
}

/// Staff invite a beneficiary to a survey in use, by hand. `Ok(Err(NotFound))`
/// for an unknown beneficiary or a survey not in use (or internal).
pub async fn invite_by_hand(
    db: &Database,
    survey_id: i64,
    beneficiary_id: i64,
    staff_id: i64,
    now: i64,
    compose: impl FnOnce(&HandInvitee, &NewInvitation) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), SurveyRefusal>> {
    let mut tx = db.begin_write().await?;
    let usable: Option<i64> = sqlx::query_scalar(
        "SELECT s.id FROM surveys s WHERE s.id = $1 AND s.active = 1 AND s.audience <> 'internal' \
           AND EXISTS (SELECT 1 FROM survey_versions v WHERE v.survey_id = s.id)",
    )
    .bind(survey_id)
    .fetch_optional(&mut *tx)
    .await?;
    if usable.is_none() {
        return Ok(Err(SurveyRefusal::NotFound));
    }
    let row = sqlx::query("SELECT mobile, language FROM beneficiary_accounts WHERE id = $1")
        .bind(beneficiary_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else { return Ok(Err(SurveyRefusal::NotFound)) };
    let invitee = HandInvitee {
        beneficiary_id,
        mobile: db.keys()?.decrypt_text(crate::crypto::ACCOUNT_MOBILE, &row.try_get::<String, _>("mobile")?)?,
        language: awn_domain::locale::Language::from_tag(&row.try_get::<String, _>("language")?)
            .unwrap_or(awn_domain::locale::Language::Arabic),
    };
    let subject =
        InvitationSubject { beneficiary_id: Some(beneficiary_id), staff_id: Some(staff_id), ..Default::default() };
    let invitation = insert_invitation(&mut tx, survey_id, &subject, true, now).await?;
    enqueue_in(&mut tx, db.keys()?, &compose(&invitee, &invitation), now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// What the tracking page offers for a request's evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestEvaluation {
    /// A fresh link to answer now.
    Open(NewInvitation),
    /// The request was evaluated already.
    AlreadyAnswered,
    /// No survey after a service is in use.
    NoSurvey,
    /// Not theirs, or nothing delivered or closed yet: nothing to evaluate.
    NotServed,
}

/// The published survey of `audience` in use, if any (the newest, should a
/// manual audience have several).
async fn survey_in_use(connection: &mut AnyConnection, audience: SurveyAudience) -> StorageResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT s.id FROM surveys s WHERE s.audience = $1 AND s.active = 1 \
           AND EXISTS (SELECT 1 FROM survey_versions v WHERE v.survey_id = s.id) ORDER BY s.id DESC LIMIT 1",
    )
    .bind(audience.code())
    .fetch_optional(&mut *connection)
    .await?)
}

/// Whether a published survey of `audience` is in use.
pub async fn in_use(db: &Database, audience: SurveyAudience) -> StorageResult<bool> {
    let mut connection = db.pool().acquire().await?;
    Ok(survey_in_use(&mut connection, audience).await?.is_some())
}

/// Whether the request's evaluation was given already, without creating anything.
pub async fn request_evaluated(db: &Database, request_id: i64) -> StorageResult<bool> {
    let used: Option<i64> =
        sqlx::query_scalar("SELECT id FROM survey_invitations WHERE request_id = $1 AND used = 1 LIMIT 1")
            .bind(request_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(used.is_some())
}

/// A beneficiary evaluates their own request from its tracking page: a new
/// link to the survey in use after a service, unless the request was evaluated
/// already. Only for the beneficiary's own request, once served or closed.
pub async fn invitation_for_request(
    db: &Database,
    beneficiary_id: i64,
    request_id: i64,
    now: i64,
) -> StorageResult<RequestEvaluation> {
    let mut tx = db.begin_write().await?;
    let served: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM support_requests WHERE id = $1 AND beneficiary_id = $2 \
           AND status IN ('service_delivered', 'closed')",
    )
    .bind(request_id)
    .bind(beneficiary_id)
    .fetch_optional(&mut *tx)
    .await?;
    if served.is_none() {
        return Ok(RequestEvaluation::NotServed);
    }
    let used: Option<i64> =
        sqlx::query_scalar("SELECT id FROM survey_invitations WHERE request_id = $1 AND used = 1 LIMIT 1")
            .bind(request_id)
            .fetch_optional(&mut *tx)
            .await?;
    if used.is_some() {
        return Ok(RequestEvaluation::AlreadyAnswered);
    }
    let Some(survey_id) = survey_in_use(&mut tx, SurveyAudience::AfterService).await? else {
        return Ok(RequestEvaluation::NoSurvey);
    };
    // Each click must not add an invitation: an open one from the tracking page
    // (unused, unexpired, of the survey in use) is reused. Only its token's hash
    // is kept, so the link is renewed (a new token in its place, same expiry).
    let open = sqlx::query(
        "SELECT id, expires_at FROM survey_invitations \
         WHERE request_id = $1 AND survey_id = $2 AND used = 0 AND by_message = 0 AND expires_at > $3 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(request_id)
    .bind(survey_id)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(open) = open {
        let token = secrets::new_token();
        sqlx::query("UPDATE survey_invitations SET token_hash = $1 WHERE id = $2")
            .bind(secrets::hash_token(&token))
            .bind(open.try_get::<i64, _>("id")?)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(RequestEvaluation::Open(NewInvitation {
            survey_id,
            token,
            expires_at: open.try_get("expires_at")?,
        }));
    }
    let row = sqlx::query(
        "SELECT r.channel, k.code AS service_kind, \
           (SELECT s.staff_id FROM services_delivered s WHERE s.request_id = r.id ORDER BY s.id DESC LIMIT 1) AS server \
         FROM support_requests r JOIN support_kinds k ON k.id = r.support_kind_id WHERE r.id = $1",
    )
    .bind(request_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else { return Err(invalid(format!("no request {request_id}"))) };
    let subject = InvitationSubject {
        beneficiary_id: Some(beneficiary_id),
        request_id: Some(request_id),
        inquiry_id: None,
        channel: row.try_get("channel")?,
        service_kind: row.try_get("service_kind")?,
        staff_id: row.try_get("server")?,
    };
    let invitation = insert_invitation(&mut tx, survey_id, &subject, false, now).await?;
    tx.commit().await?;
    Ok(RequestEvaluation::Open(invitation))
}

/// An invitation's link, as the answering page finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvitationState {
    Open { survey: Box<Survey>, version: SurveyVersion, expires_at: i64 },
    Used,
    Expired,
    Unknown,
}

/// The state of the invitation a link carries, and the version to answer.
pub async fn invitation(db: &Database, token: &str, now: i64) -> StorageResult<InvitationState> {
    let row = sqlx::query("SELECT survey_id, used, expires_at FROM survey_invitations WHERE token_hash = $1")
        .bind(secrets::hash_token(token))
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else { return Ok(InvitationState::Unknown) };
    if row.try_get::<i64, _>("used")? != 0 {
        return Ok(InvitationState::Used);
    }
    let expires_at: i64 = row.try_get("expires_at")?;
    if expires_at <= now {
        return Ok(InvitationState::Expired);
    }
    let Some(survey) = by_id(db, row.try_get("survey_id")?).await? else { return Ok(InvitationState::Unknown) };
    let Some(version) = survey.current.clone() else { return Ok(InvitationState::Unknown) };
    Ok(InvitationState::Open { survey: Box::new(survey), version, expires_at })
}

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
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO survey_responses (survey_id, version_id, invitation_id, month, channel, service_kind, staff_id, \
           team, by_message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(facts.survey_id)
    .bind(facts.version_id)
    .bind(facts.invitation_id)
    .bind(month_key(now))
    .bind(&facts.channel)
    .bind(&facts.service_kind)
    .bind(facts.staff_id)
    .bind(&facts.team)
    .bind(i64::from(facts.by_message))
    .fetch_one(&mut *connection)
    .await?;
    for (key, answer) in answers {
        let kind = questions.iter().find(|q| &q.key == key).map_or(QuestionKind::ShortText, |q| q.kind);
        let (score, choices, text) = match answer {
            Answer::Score(score) => (Some(i64::from(*score)), None, None),
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
    Ok(id)
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
