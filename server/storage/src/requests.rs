//! Support requests: the wizard's draft, submission, the beneficiary's list and
//! the request's file (timeline, documents asked for, messages).

use awn_domain::{
    calendar::{DualDate, UnixTime},
    channels::Channel,
    deadlines::ClockRule,
    locale::Language,
    requests::{
        FieldError, RequestDraft, RequestStatus, TransitionError, ValidRequest, check_transition, reference_number,
    },
};
use sqlx::Row;

use crate::{
    Database, StorageError, StorageResult,
    outbox::{NewOutboxMessage, enqueue_in},
};

/// Who did something to a request (kept in the timeline).
pub const ACTOR_BENEFICIARY: &str = "beneficiary";
/// Awn itself, for what the scheduler does (a request that lapses).
pub const ACTOR_SYSTEM: &str = "system";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDraft {
    pub draft: RequestDraft,
    /// Problems found when the current step was last saved.
    pub errors: Vec<FieldError>,
    pub updated_at: i64,
}

pub async fn load_draft(db: &Database, beneficiary_id: i64) -> StorageResult<Option<StoredDraft>> {
    let row = sqlx::query("SELECT data, errors, updated_at FROM request_drafts WHERE beneficiary_id = $1")
        .bind(beneficiary_id)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let data = db.keys()?.decrypt_text(crate::crypto::DRAFT, &row.try_get::<String, _>("data")?)?;
    let errors: String = row.try_get("errors")?;
    Ok(Some(StoredDraft {
        // A draft written by an older version still opens: unknown fields are
        // ignored and missing ones default (RequestDraft is `serde(default)`).
        draft: serde_json::from_str(&data).unwrap_or_default(),
        errors: serde_json::from_str(&errors).unwrap_or_default(),
        updated_at: row.try_get("updated_at")?,
    }))
}

pub async fn save_draft(
    db: &Database,
    beneficiary_id: i64,
    draft: &RequestDraft,
    errors: &[FieldError],
    now: i64,
) -> StorageResult<()> {
    let data = serde_json::to_string(draft).map_err(|e| StorageError::Invalid(e.to_string()))?;
    // The draft holds the national ID and birth date being typed: encrypted too.
    let data = db.keys()?.encrypt_text(crate::crypto::DRAFT, &data);
    let errors = serde_json::to_string(errors).map_err(|e| StorageError::Invalid(e.to_string()))?;
    sqlx::query(
        "INSERT INTO request_drafts (beneficiary_id, data, errors, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (beneficiary_id) DO UPDATE SET data = excluded.data, errors = excluded.errors, \
           updated_at = excluded.updated_at",
    )
    .bind(beneficiary_id)
    .bind(data)
    .bind(errors)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A request being submitted.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    pub beneficiary_id: i64,
    pub request: &'a ValidRequest,
    pub declaration_version: &'a str,
    pub language: Language,
    pub now: i64,
    /// How the request reached the association (A18).
    pub channel: Channel,
    /// Who submitted it, for the first timeline entry: [`ACTOR_BENEFICIARY`] online,
    /// `staff:<id>` for an intake recorded by staff.
    pub actor: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submission {
    /// Received. Another account's open request for the same national ID
    /// does not stop it (that would let anyone squat a person's ID): both are
    /// flagged to staff as possible duplicates, and the answer is the same.
    Submitted { id: i64, reference: String, decision_due_at: i64 },
    /// The beneficiary already has an open request of this kind for this
    /// national ID: theirs, so its id and reference are given.
    DuplicateOpen { id: i64, reference: String },
    /// The kind of support is no longer offered.
    UnknownSupportKind,
}

/// Submits a validated request: the row, its first timeline entry, the draft's
/// documents moved onto it, the draft removed and the receipt queued, in one
/// transaction.
pub async fn submit(
    db: &Database,
    new: NewRequest<'_>,
    compose_receipt: impl FnOnce(&str, i64) -> Vec<NewOutboxMessage>,
) -> StorageResult<Submission> {
    let valid = new.request;
    let keys = db.keys()?;
    let id_hash = crate::crypto::national_id_hash(keys, valid.national_id.as_str()).unwrap_or_default();
    let mut tx = db.begin_write().await?;
    let kind_id: Option<i64> = sqlx::query_scalar("SELECT id FROM support_kinds WHERE code = $1 AND active = 1")
        .bind(&valid.support_kind)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(kind_id) = kind_id else { return Ok(Submission::UnknownSupportKind) };
    if let Some(existing) = own_open_request(&mut tx, &id_hash, kind_id, new.beneficiary_id).await? {
        return Ok(existing);
    }
    let other_account = other_accounts_open_request(&mut tx, &id_hash, kind_id, new.beneficiary_id).await?;
    // Replaced by the decision clock's due moment once the row exists.
    let provisional_due_at = new.now;
    let placeholder = format!("pending-{}", crate::secrets::new_token());
    let birth = valid.birth_date;
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO support_requests (reference, beneficiary_id, support_kind_id, status, is_open, \
           full_name, national_id, birth_date, mobile, email, city, district, household_members, \
           monthly_income, housing, description, signature, declaration_version, declared_at, \
           consent_sms, consent_email, language, submitted_at, decision_due_at, updated_at, channel, \
           national_id_hash, name_key) \
         VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
           $19, $20, $21, $18, $22, $18, $23, $24, $25) RETURNING id",
    )
    .bind(&placeholder)
    .bind(new.beneficiary_id)
    .bind(kind_id)
    .bind(RequestStatus::Submitted.code())
    .bind(&valid.full_name)
    // Encrypted at rest (B11); the hash finds it again by exact match.
    .bind(keys.encrypt_text(crate::crypto::NATIONAL_ID, valid.national_id.as_str()))
    .bind(
        keys.encrypt_text(crate::crypto::BIRTH_DATE, &format!("{:04}-{:02}-{:02}", birth.year, birth.month, birth.day)),
    )
    .bind(keys.encrypt_text(crate::crypto::REQUEST_MOBILE, valid.mobile.as_e164()))
    .bind(valid.email.as_deref().map(|email| keys.encrypt_text(crate::crypto::EMAIL, email)))
    .bind(&valid.city)
    .bind(&valid.district)
    .bind(i64::from(valid.household_members))
    .bind(i64::try_from(valid.monthly_income).unwrap_or(i64::MAX))
    .bind(valid.housing.code())
    .bind(&valid.description)
    .bind(&valid.signature)
    .bind(new.declaration_version)
    .bind(new.now)
    .bind(i64::from(valid.consent_sms))
    .bind(i64::from(valid.consent_email))
    .bind(new.language.tag())
    .bind(provisional_due_at)
    .bind(new.channel.code())
    .bind(&id_hash)
    .bind(awn_domain::duplicates::name_key(&valid.full_name))
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        // The same account's other submission for the same ID and kind won the race.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            drop(tx);
            let mut connection = db.pool().acquire().await?;
            return match own_open_request(&mut connection, &id_hash, kind_id, new.beneficiary_id).await? {
                Some(existing) => Ok(existing),
                None => Err(StorageError::Invalid("a unique violation without an open request".into())),
            };
        }
        Err(e) => return Err(e.into()),
    };
    let reference = reference_number(DualDate::from_unix_seconds(new.now).gregorian.year, id);
    let decision_clock = crate::clocks::start_in(
        &mut tx,
        ClockRule::Decision,
        crate::clocks::Subject::request(id),
        UnixTime::from_seconds(new.now),
        None,
        None,
    )
    .await?;
    let decision_due_at = decision_clock.state.due_at.map_or(new.now, UnixTime::seconds);
    sqlx::query("UPDATE support_requests SET reference = $1, decision_due_at = $2, search_key = $3 WHERE id = $4")
        .bind(&reference)
        .bind(decision_due_at)
        .bind(crate::casework::queue_search_key(&valid.full_name, &reference))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if let Some(other) = other_account {
        // Each points at the other, so staff see the flag on both case files.
        sqlx::query("UPDATE support_requests SET possible_duplicate_of = $1 WHERE id = $2")
            .bind(other)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE support_requests SET possible_duplicate_of = $1 WHERE id = $2 AND possible_duplicate_of IS NULL",
        )
        .bind(id)
        .bind(other)
        .execute(&mut *tx)
        .await?;
    }
    crate::households::insert_in(&mut tx, keys, id, new.beneficiary_id, &valid.members).await?;
    insert_event(&mut tx, id, RequestStatus::Submitted, "", new.actor, new.now).await?;
    sqlx::query(
        "UPDATE documents SET request_id = $1 WHERE beneficiary_id = $2 AND request_id IS NULL AND purpose = 'request'",
    )
    .bind(id)
    .bind(new.beneficiary_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM request_drafts WHERE beneficiary_id = $1")
        .bind(new.beneficiary_id)
        .execute(&mut *tx)
        .await?;
    enqueue_in(&mut tx, keys, &compose_receipt(&reference, decision_due_at), new.now).await?;
    tx.commit().await?;
    Ok(Submission::Submitted { id, reference, decision_due_at })
}

/// The beneficiary's own open request of a kind for a national ID (found by
/// the ID's keyed hash), as the refusal of a second one.
async fn own_open_request(
    connection: &mut sqlx::AnyConnection,
    national_id_hash: &str,
    kind_id: i64,
    beneficiary_id: i64,
) -> StorageResult<Option<Submission>> {
    let row = sqlx::query(
        "SELECT id, reference FROM support_requests \
         WHERE national_id_hash = $1 AND support_kind_id = $2 AND beneficiary_id = $3 AND is_open = 1",
    )
    .bind(national_id_hash)
    .bind(kind_id)
    .bind(beneficiary_id)
    .fetch_optional(&mut *connection)
    .await?;
    row.map(|row| Ok(Submission::DuplicateOpen { id: row.try_get("id")?, reference: row.try_get("reference")? }))
        .transpose()
}

/// Another account's open request for the same national ID (of the same kind
/// first, else of any kind): the new one is then a possible duplicate.
async fn other_accounts_open_request(
    connection: &mut sqlx::AnyConnection,
    national_id_hash: &str,
    kind_id: i64,
    beneficiary_id: i64,
) -> StorageResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM support_requests \
         WHERE national_id_hash = $1 AND beneficiary_id <> $2 AND is_open = 1 \
         ORDER BY CASE WHEN support_kind_id = $3 THEN 0 ELSE 1 END, id DESC LIMIT 1",
    )
    .bind(national_id_hash)
    .bind(beneficiary_id)
    .bind(kind_id)
    .fetch_optional(&mut *connection)
    .await?)
}

async fn insert_event(
    connection: &mut sqlx::AnyConnection,
    request_id: i64,
    status: RequestStatus,
    reason: &str,
    actor: &str,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO request_events (request_id, status, reason, actor, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(request_id)
    .bind(status.code())
    .bind(reason)
    .bind(actor)
    .bind(now)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// A line of "My requests".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSummary {
    pub id: i64,
    pub reference: String,
    pub support_kind_name_ar: String,
    pub support_kind_name_en: String,
    pub status: RequestStatus,
    pub submitted_at: i64,
    pub decision_due_at: i64,
    pub updated_at: i64,
}

impl RequestSummary {
    pub fn support_kind_name(&self, language: Language) -> &str {
        match language {
            Language::Arabic => &self.support_kind_name_ar,
            Language::English => &self.support_kind_name_en,
        }
    }
}

const SUMMARY_COLUMNS: &str = "r.id, r.reference, k.name_ar, k.name_en, r.status, r.submitted_at, \
                               r.decision_due_at, r.updated_at";

fn summary_from_row(row: &sqlx::any::AnyRow) -> StorageResult<RequestSummary> {
    let status: String = row.try_get("status")?;
    Ok(RequestSummary {
        id: row.try_get("id")?,
        reference: row.try_get("reference")?,
        support_kind_name_ar: row.try_get("name_ar")?,
        support_kind_name_en: row.try_get("name_en")?,
        status: RequestStatus::from_code(&status)
            .ok_or_else(|| StorageError::Invalid(format!("request status `{status}`")))?,
        submitted_at: row.try_get("submitted_at")?,
        decision_due_at: row.try_get("decision_due_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The beneficiary's requests, newest first.
pub async fn list_for_beneficiary(db: &Database, beneficiary_id: i64) -> StorageResult<Vec<RequestSummary>> {
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM support_requests r JOIN support_kinds k ON k.id = r.support_kind_id \
         WHERE r.beneficiary_id = $1 ORDER BY r.submitted_at DESC, r.id DESC"
    ))
    .bind(beneficiary_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(summary_from_row).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub status: RequestStatus,
    pub reason: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRequest {
    pub id: i64,
    pub description: String,
    pub created_at: i64,
    pub fulfilled_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestMessage {
    pub author: String,
    pub body: String,
    pub created_at: i64,
}

/// A request as its beneficiary sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFile {
    pub summary: RequestSummary,
    pub description: String,
    pub timeline: Vec<TimelineEntry>,
    pub document_requests: Vec<DocumentRequest>,
    pub documents: Vec<crate::documents::DocumentInfo>,
    pub messages: Vec<RequestMessage>,
}

/// The request if it is this beneficiary's; `None` otherwise, whether it exists or
/// not, so ids of other people's requests reveal nothing.
pub async fn file_for_beneficiary(
    db: &Database,
    beneficiary_id: i64,
    request_id: i64,
) -> StorageResult<Option<RequestFile>> {
    // One connection for the file's five reads: a pool's hand-over per read is
    // work of its own (a tracking view reads the file on every visit).
    let mut connection = db.pool().acquire().await?;
    let row = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}, r.description FROM support_requests r \
         JOIN support_kinds k ON k.id = r.support_kind_id WHERE r.id = $1 AND r.beneficiary_id = $2"
    ))
    .bind(request_id)
    .bind(beneficiary_id)
    .fetch_optional(&mut *connection)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let summary = summary_from_row(&row)?;
    let description: String = row.try_get("description")?;

    let timeline =
        sqlx::query("SELECT status, reason, created_at FROM request_events WHERE request_id = $1 ORDER BY id")
            .bind(request_id)
            .fetch_all(&mut *connection)
            .await?
            .iter()
            .map(|row| {
                let status: String = row.try_get("status")?;
                Ok(TimelineEntry {
                    status: RequestStatus::from_code(&status)
                        .ok_or_else(|| StorageError::Invalid(format!("event status `{status}`")))?,
                    reason: row.try_get("reason")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect::<StorageResult<Vec<_>>>()?;
    let document_requests = sqlx::query(
        "SELECT id, description, created_at, fulfilled_at FROM document_requests WHERE request_id = $1 ORDER BY id",
    )
    .bind(request_id)
    .fetch_all(&mut *connection)
    .await?
    .iter()
    .map(|row| {
        Ok(DocumentRequest {
            id: row.try_get("id")?,
            description: row.try_get("description")?,
            created_at: row.try_get("created_at")?,
            fulfilled_at: row.try_get("fulfilled_at")?,
        })
    })
    .collect::<StorageResult<Vec<_>>>()?;
    let messages =
        sqlx::query("SELECT author, body, created_at FROM request_messages WHERE request_id = $1 ORDER BY id")
            .bind(request_id)
            .fetch_all(&mut *connection)
            .await?
            .iter()
            .map(|row| {
                Ok(RequestMessage {
                    author: row.try_get("author")?,
                    body: row.try_get("body")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect::<StorageResult<Vec<_>>>()?;
    let documents = crate::documents::of_request_in(&mut connection, request_id).await?;
    Ok(Some(RequestFile { summary, description, timeline, document_requests, documents, messages }))
}

/// Where the notice of a change goes: the request's contact details and consents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRecipient {
    pub reference: String,
    pub mobile: String,
    pub email: Option<String>,
    pub consent_sms: bool,
    pub consent_email: bool,
    pub language: Language,
}

/// Moves a request to a new state if the workflow allows it, with its timeline
/// entry and the notice to the beneficiary (built by `compose_notice`) in one
/// transaction: the beneficiary hears of every change without asking (A3).
pub async fn change_status(
    db: &Database,
    request_id: i64,
    to: RequestStatus,
    reason: &str,
    actor: &str,
    now: i64,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    let mut tx = db.begin_write().await?;
    match change_status_in(&mut tx, db.keys()?, request_id, to, reason, actor, now, compose_notice).await? {
        Ok(_from) => {
            tx.commit().await?;
            Ok(Ok(()))
        }
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// [`change_status`] inside the caller's transaction, so a step can write its own
/// records with the move. Returns the state the request moved from. On a refusal
/// nothing has been written, but the caller should still drop (roll back) its
/// transaction rather than commit what else it wrote.
#[expect(clippy::too_many_arguments, reason = "one step of the workflow writes all of these in one transaction")]
pub(crate) async fn change_status_in(
    connection: &mut sqlx::AnyConnection,
    keys: &crate::crypto::Keyring,
    request_id: i64,
    to: RequestStatus,
    reason: &str,
    actor: &str,
    now: i64,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<RequestStatus, TransitionError>> {
    let row = sqlx::query(
        "SELECT status, reference, mobile, email, consent_sms, consent_email, language \
         FROM support_requests WHERE id = $1",
    )
    .bind(request_id)
    .fetch_optional(&mut *connection)
    .await?;
    let Some(row) = row else { return Err(StorageError::NotFound(format!("no request {request_id}"))) };
    let status: String = row.try_get("status")?;
    let from = RequestStatus::from_code(&status).ok_or_else(|| StorageError::Invalid(format!("status `{status}`")))?;
    if let Err(refusal) = check_transition(from, to, reason) {
        return Ok(Err(refusal));
    }
    let updated = sqlx::query(
        "UPDATE support_requests SET status = $1, is_open = $2, updated_at = $3 WHERE id = $4 AND status = $5",
    )
    .bind(to.code())
    .bind(i64::from(to.is_open()))
    .bind(now)
    .bind(request_id)
    .bind(from.code())
    .execute(&mut *connection)
    .await?;
    if updated.rows_affected() != 1 {
        // Someone else changed it meanwhile; the caller sees the refusal and reloads.
        return Ok(Err(TransitionError::NotAllowed { from, to }));
    }
    insert_event(&mut *connection, request_id, to, reason.trim(), actor, now).await?;
    crate::clocks::follow_request(&mut *connection, request_id, from, to, UnixTime::from_seconds(now)).await?;
    let language: String = row.try_get("language")?;
    let recipient = NoticeRecipient {
        reference: row.try_get("reference")?,
        mobile: keys.decrypt_text(crate::crypto::REQUEST_MOBILE, &row.try_get::<String, _>("mobile")?)?,
        email: keys.decrypt_optional(crate::crypto::EMAIL, row.try_get("email")?)?,
        consent_sms: row.try_get::<i64, _>("consent_sms")? != 0,
        consent_email: row.try_get::<i64, _>("consent_email")? != 0,
        language: Language::from_tag(&language).unwrap_or(Language::Arabic),
    };
    enqueue_in(&mut *connection, keys, &compose_notice(&recipient), now).await?;
    Ok(Ok(from))
}

/// Adds a message to the request's conversation.
pub async fn add_message(db: &Database, request_id: i64, author: &str, body: &str, now: i64) -> StorageResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO request_messages (request_id, author, body, created_at) VALUES ($1, $2, $3, $4)")
        .bind(request_id)
        .bind(author)
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE support_requests SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(request_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the request is this beneficiary's (for uploads and messages).
pub async fn belongs_to(db: &Database, request_id: i64, beneficiary_id: i64) -> StorageResult<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM support_requests WHERE id = $1 AND beneficiary_id = $2")
            .bind(request_id)
            .bind(beneficiary_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(found.is_some())
}
