//! Invitations (C1): single-use, expiring links, sent after a service or an
//! inquiry, by hand, or offered on the tracking page, and how a link is found.

use awn_domain::{
    reports::month_key,
    surveys::{INVITATION_LIFETIME_SECONDS, SurveyAudience},
};
use sqlx::{AnyConnection, Row};

use super::{Survey, SurveyRefusal, SurveyVersion, by_id, invalid};
use crate::{
    Database, StorageResult,
    outbox::{NewOutboxMessage, enqueue_in},
    secrets,
};

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

pub(crate) async fn insert_invitation(
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
