//! Inquiries and the public FAQ (A6, A18): a question is accepted from every
//! channel, recorded with the channel it came by, answered once by staff (the
//! answer queued to the asker and audited in the same transaction), and a good
//! answer can be published, reworded, to the FAQ that anyone can search.

use awn_domain::audit::AuditAction;
use awn_domain::{
    calendar::UnixTime,
    channels::Channel,
    deadlines::{ClockEvent, ClockRule, SubjectKind},
    identity::{SaudiMobile, clean_text, parse_optional_email},
    locale::Language,
    search,
    workflow::{MAX_NOTE_CHARS, MAX_SHORT_TEXT_CHARS},
};
use sqlx::{AnyConnection, Row};

use crate::{
    Database, Page, PageRequest, StorageError, StorageResult,
    audit::{AuditEntry, record_in},
    clocks::{EventNote, Subject},
    outbox::{NewOutboxMessage, enqueue_in},
    page_of, page_window,
};

/// An inquiry waiting for its answer.
pub const OPEN: &str = "open";
/// An inquiry answered (once; an answer is never replaced).
pub const ANSWERED: &str = "answered";

/// An inquiry being recorded, online or by staff from another channel.
#[derive(Debug, Clone)]
pub struct NewInquiry<'a> {
    /// The asker's account, when a signed-in beneficiary asks or staff know who it is.
    pub beneficiary_id: Option<i64>,
    pub asker_name: &'a str,
    pub contact_mobile: Option<&'a SaudiMobile>,
    pub contact_email: Option<&'a str>,
    pub channel: Channel,
    pub question: &'a str,
    /// The language the answer is written in.
    pub language: Language,
}

/// A stored inquiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InquiryRow {
    pub id: i64,
    pub beneficiary_id: Option<i64>,
    pub asker_name: String,
    /// E.164.
    pub contact_mobile: Option<String>,
    pub contact_email: Option<String>,
    pub channel: Channel,
    pub question: String,
    pub language: Language,
    /// [`OPEN`] or [`ANSWERED`].
    pub status: String,
    pub answer: Option<String>,
    pub answered_by: Option<i64>,
    pub answered_by_name: Option<String>,
    pub answered_at: Option<i64>,
    pub created_at: i64,
}

impl InquiryRow {
    pub fn is_open(&self) -> bool {
        self.status == OPEN
    }
}

/// What the answer's message is composed from. `mobile` is the contact given
/// with the inquiry or, failing that, the mobile of the asker's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InquiryContact {
    pub inquiry_id: i64,
    pub beneficiary_id: Option<i64>,
    pub asker_name: String,
    /// E.164.
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub language: Language,
    pub channel: Channel,
    pub question: String,
    pub answer: String,
}

/// Why an answer was refused. Nothing is written on a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InquiryProblem {
    #[error("no such inquiry")]
    NotFound,
    #[error("the answer is empty")]
    AnswerRequired,
    #[error("the answer is too long")]
    AnswerTooLong,
    #[error("the inquiry is already answered")]
    AlreadyAnswered,
}

fn invalid(what: impl Into<String>) -> StorageError {
    StorageError::Invalid(what.into())
}

fn language_of(tag: &str) -> Language {
    Language::from_tag(tag).unwrap_or(Language::Arabic)
}

fn channel_of(code: &str) -> StorageResult<Channel> {
    Channel::from_code(code).ok_or_else(|| invalid(format!("channel `{code}`")))
}

/// A required multi-line text: trimmed (line breaks kept), not empty, not too long.
pub(crate) fn required_text(text: &str, what: &str) -> StorageResult<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(format!("an empty {what}")));
    }
    if text.chars().count() > MAX_NOTE_CHARS {
        return Err(invalid(format!("a {what} that is too long")));
    }
    Ok(text.to_owned())
}

const COLUMNS: &str = "i.id, i.beneficiary_id, i.asker_name, i.contact_mobile, i.contact_email, i.channel, \
                       i.question, i.language, i.status, i.answer, i.answered_by, \
                       s.display_name AS answered_by_name, i.answered_at, i.created_at";
const FROM: &str = "FROM inquiries i LEFT JOIN staff_accounts s ON s.id = i.answered_by";

fn from_row(row: &sqlx::any::AnyRow, keys: &crate::crypto::Keyring) -> StorageResult<InquiryRow> {
    Ok(InquiryRow {
        id: row.try_get("id")?,
        beneficiary_id: row.try_get("beneficiary_id")?,
        asker_name: row.try_get("asker_name")?,
        contact_mobile: keys.decrypt_optional(crate::crypto::INQUIRY_MOBILE, row.try_get("contact_mobile")?)?,
        contact_email: keys.decrypt_optional(crate::crypto::INQUIRY_EMAIL, row.try_get("contact_email")?)?,
        channel: channel_of(&row.try_get::<String, _>("channel")?)?,
        question: row.try_get("question")?,
        language: language_of(&row.try_get::<String, _>("language")?),
        status: row.try_get("status")?,
        answer: row.try_get("answer")?,
        answered_by: row.try_get("answered_by")?,
        answered_by_name: row.try_get("answered_by_name")?,
        answered_at: row.try_get("answered_at")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Records an inquiry. [`StorageError::Invalid`] for an empty or over-long
/// question, an over-long name or a malformed email address.
pub async fn record(db: &Database, new: NewInquiry<'_>, now: i64) -> StorageResult<i64> {
    let question = required_text(new.question, "question")?;
    let asker_name = clean_text(new.asker_name);
    if asker_name.chars().count() > MAX_SHORT_TEXT_CHARS {
        return Err(invalid("a name that is too long"));
    }
    let email = parse_optional_email(new.contact_email.unwrap_or_default()).map_err(|e| invalid(e.to_string()))?;
    let keys = db.keys()?;
    let mut tx = db.begin_write().await?;
    let id = sqlx::query_scalar(
        "INSERT INTO inquiries (beneficiary_id, asker_name, contact_mobile, contact_email, channel, question, \
           language, status, created_at, contact_mobile_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         RETURNING id",
    )
    .bind(new.beneficiary_id)
    .bind(asker_name)
    // Contact details are encrypted at rest (B11).
    .bind(new.contact_mobile.map(|m| keys.encrypt_text(crate::crypto::INQUIRY_MOBILE, m.as_e164())))
    .bind(email.as_deref().map(|e| keys.encrypt_text(crate::crypto::INQUIRY_EMAIL, e)))
    .bind(new.channel.code())
    .bind(question)
    .bind(new.language.tag())
    .bind(OPEN)
    .bind(now)
    .bind(new.contact_mobile.and_then(|m| crate::crypto::contact_hash(keys, m.as_e164())))
    .fetch_one(&mut *tx)
    .await?;
    crate::clocks::start_in(
        &mut tx,
        ClockRule::InquiryAnswer,
        Subject { kind: SubjectKind::Inquiry, id },
        UnixTime::from_seconds(now),
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A page of the inbox: open inquiries first, the oldest first; then answered
/// ones, the latest answered first; with the total of the filtered inbox.
/// Either filter may be left out; an unknown status simply matches nothing.
pub async fn inbox(
    db: &Database,
    status: Option<&str>,
    channel: Option<Channel>,
    request: PageRequest,
) -> StorageResult<Page<InquiryRow>> {
    let mut conditions = Vec::new();
    let mut next = 1;
    if status.is_some() {
        conditions.push(format!("i.status = ${next}"));
        next += 1;
    }
    if channel.is_some() {
        conditions.push(format!("i.channel = ${next}"));
        next += 1;
    }
    let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    // The same filters, bound in the same order, for the count and the page.
    fn bound<'q>(
        sql: &'q str,
        status: Option<&'q str>,
        channel: Option<Channel>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        let mut query = sqlx::query(sql);
        if let Some(status) = status {
            query = query.bind(status);
        }
        if let Some(channel) = channel {
            query = query.bind(channel.code());
        }
        query
    }
    let bind = |sql| bound(sql, status, channel);
    let count_sql = format!("SELECT COUNT(*) AS total FROM inquiries i {filter}");
    let total: i64 = bind(&count_sql).fetch_one(db.pool()).await?.try_get("total")?;
    let (request, limit, offset) = page_window(request, total);
    let sql = format!(
        "SELECT {COLUMNS} {FROM} {filter} \
         ORDER BY CASE WHEN i.status = 'open' THEN 0 ELSE 1 END, \
           CASE WHEN i.status = 'open' THEN i.created_at ELSE -COALESCE(i.answered_at, 0) END, i.id \
         LIMIT ${next} OFFSET ${}",
        next + 1
    );
    let rows = bind(&sql).bind(limit).bind(offset).fetch_all(db.pool()).await?;
    let keys = db.keys()?;
    let items = rows.iter().map(|row| from_row(row, keys)).collect::<StorageResult<_>>()?;
    Ok(page_of(items, total, request))
}

pub async fn by_id(db: &Database, inquiry_id: i64) -> StorageResult<Option<InquiryRow>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE i.id = $1"))
        .bind(inquiry_id)
        .fetch_optional(db.pool())
        .await?;
    let keys = db.keys()?;
    row.as_ref().map(|row| from_row(row, keys)).transpose()
}

/// A beneficiary's inquiries, newest first.
pub async fn for_beneficiary(db: &Database, beneficiary_id: i64) -> StorageResult<Vec<InquiryRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE i.beneficiary_id = $1 ORDER BY i.created_at DESC, i.id DESC"
    ))
    .bind(beneficiary_id)
    .fetch_all(db.pool())
    .await?;
    let keys = db.keys()?;
    rows.iter().map(|row| from_row(row, keys)).collect()
}

async fn contact_of(
    connection: &mut AnyConnection,
    keys: &crate::crypto::Keyring,
    inquiry_id: i64,
) -> StorageResult<Option<(String, InquiryContact)>> {
    let row = sqlx::query(
        "SELECT i.status, i.beneficiary_id, i.asker_name, i.contact_mobile, b.mobile AS account_mobile, \
           i.contact_email, i.language, i.channel, i.question \
         FROM inquiries i LEFT JOIN beneficiary_accounts b ON b.id = i.beneficiary_id WHERE i.id = $1",
    )
    .bind(inquiry_id)
    .fetch_optional(&mut *connection)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let contact = InquiryContact {
        inquiry_id,
        beneficiary_id: row.try_get("beneficiary_id")?,
        asker_name: row.try_get("asker_name")?,
        // The number given with the question, else the asker's account's.
        mobile: match keys.decrypt_optional(crate::crypto::INQUIRY_MOBILE, row.try_get("contact_mobile")?)? {
            Some(mobile) => Some(mobile),
            None => keys.decrypt_optional(crate::crypto::ACCOUNT_MOBILE, row.try_get("account_mobile")?)?,
        },
        email: keys.decrypt_optional(crate::crypto::INQUIRY_EMAIL, row.try_get("contact_email")?)?,
        language: language_of(&row.try_get::<String, _>("language")?),
        channel: channel_of(&row.try_get::<String, _>("channel")?)?,
        question: row.try_get("question")?,
        answer: String::new(),
    };
    Ok(Some((row.try_get("status")?, contact)))
}

/// Answers an open inquiry, once: in one transaction the answer is stored, the
/// messages `compose` builds for the asker are queued and the audit entry
/// [`AuditAction::InquiryAnswer`] is appended. A refusal writes nothing.
pub async fn answer(
    db: &Database,
    inquiry_id: i64,
    staff_id: i64,
    answer: &str,
    now: i64,
    compose: impl FnOnce(&InquiryContact) -> Vec<NewOutboxMessage>,
    compose_invitation: impl FnOnce(&InquiryContact, &crate::surveys::NewInvitation) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), InquiryProblem>> {
    let answer = answer.trim();
    if answer.is_empty() {
        return Ok(Err(InquiryProblem::AnswerRequired));
    }
    if answer.chars().count() > MAX_NOTE_CHARS {
        return Ok(Err(InquiryProblem::AnswerTooLong));
    }
    let mut tx = db.begin_write().await?;
    let Some((status, mut contact)) = contact_of(&mut tx, db.keys()?, inquiry_id).await? else {
        return Ok(Err(InquiryProblem::NotFound));
    };
    if status != OPEN {
        return Ok(Err(InquiryProblem::AlreadyAnswered));
    }
    let updated = sqlx::query(
        "UPDATE inquiries SET status = $1, answer = $2, answered_by = $3, answered_at = $4 \
         WHERE id = $5 AND status = $6",
    )
    .bind(ANSWERED)
    .bind(answer)
    .bind(staff_id)
    .bind(now)
    .bind(inquiry_id)
    .bind(OPEN)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        // Someone else answered it meanwhile.
        return Ok(Err(InquiryProblem::AlreadyAnswered));
    }
    crate::clocks::record_in(
        &mut tx,
        ClockRule::InquiryAnswer,
        Subject { kind: SubjectKind::Inquiry, id: inquiry_id },
        ClockEvent::Met { at: UnixTime::from_seconds(now) },
        EventNote { staff_id: Some(staff_id), reason: "" },
    )
    .await?;
    contact.answer = answer.to_owned();
    enqueue_in(&mut tx, db.keys()?, &compose(&contact), now).await?;
    // Evaluating the answer is the asker's right too (C1).
    let subject = crate::surveys::InvitationSubject {
        beneficiary_id: contact.beneficiary_id,
        request_id: None,
        inquiry_id: Some(inquiry_id),
        channel: Some(contact.channel.code().to_owned()),
        service_kind: None,
        staff_id: Some(staff_id),
    };
    crate::surveys::invite_in(
        &mut tx,
        db.keys()?,
        awn_domain::surveys::SurveyAudience::AfterInquiry,
        &subject,
        now,
        |invitation| compose_invitation(&contact, invitation),
    )
    .await?;
    let reason = format!("inquiry:{inquiry_id}");
    let entry = AuditEntry {
        staff_id,
        action: AuditAction::InquiryAnswer,
        beneficiary_id: contact.beneficiary_id,
        request_id: None,
        reason: &reason,
    };
    record_in(&mut tx, db.keys()?, entry, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// An entry of the public FAQ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaqEntry {
    pub id: i64,
    pub question: String,
    pub answer: String,
    pub language: Language,
    /// The inquiry it grew from, if any (staff only; never shown publicly).
    pub inquiry_id: Option<i64>,
    pub published_by: i64,
    pub published_at: i64,
}

/// Publishes an answered inquiry to the FAQ, in the inquiry's language, with
/// the wording staff give (the asker's words may hold something personal),
/// and appends the audit entry [`AuditAction::FaqPublish`].
///
/// [`StorageError::NotFound`] for an unknown inquiry; [`StorageError::Invalid`]
/// for an unanswered one or an empty text; [`StorageError::Conflict`] when the inquiry is already in the FAQ.
pub async fn publish_to_faq(
    db: &Database,
    inquiry_id: i64,
    staff_id: i64,
    question: &str,
    answer: &str,
    now: i64,
) -> StorageResult<i64> {
    let question = required_text(question, "question")?;
    let answer = required_text(answer, "answer")?;
    let mut tx = db.begin_write().await?;
    let row = sqlx::query("SELECT status, language, beneficiary_id FROM inquiries WHERE id = $1")
        .bind(inquiry_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else { return Err(StorageError::NotFound(format!("no inquiry {inquiry_id}"))) };
    if row.try_get::<String, _>("status")? != ANSWERED {
        return Err(invalid("an inquiry not yet answered"));
    }
    let language: String = row.try_get("language")?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO faq_entries (question, answer, language, inquiry_id, published_by, published_at, active) \
         VALUES ($1, $2, $3, $4, $5, $6, 1) RETURNING id",
    )
    .bind(question)
    .bind(answer)
    .bind(language_of(&language).tag())
    .bind(inquiry_id)
    .bind(staff_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| StorageError::conflict_on_unique(e, "an FAQ entry for this inquiry"))?;
    let reason = format!("inquiry:{inquiry_id}");
    let entry = AuditEntry {
        staff_id,
        action: AuditAction::FaqPublish,
        beneficiary_id: row.try_get("beneficiary_id")?,
        request_id: None,
        reason: &reason,
    };
    record_in(&mut tx, db.keys()?, entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Takes an FAQ entry off (or puts it back on) the public page. Returns whether
/// the entry exists.
pub async fn set_faq_active(db: &Database, faq_id: i64, active: bool) -> StorageResult<bool> {
    let updated = sqlx::query("UPDATE faq_entries SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(faq_id)
        .execute(db.pool())
        .await?;
    Ok(updated.rows_affected() == 1)
}

/// The active FAQ entries in `language`, newest first, whose question or answer
/// holds every word of `query` however it is spelled (`awn_domain::search`:
/// hamza forms, ta marbuta, digits in any script). An empty query gives them all.
pub async fn faq(db: &Database, language: Language, query: &str) -> StorageResult<Vec<FaqEntry>> {
    let rows = sqlx::query(
        "SELECT id, question, answer, language, inquiry_id, published_by, published_at FROM faq_entries \
         WHERE language = $1 AND active = 1 ORDER BY published_at DESC, id DESC",
    )
    .bind(language.tag())
    .fetch_all(db.pool())
    .await?;
    let mut entries = Vec::new();
    for row in &rows {
        let entry = FaqEntry {
            id: row.try_get("id")?,
            question: row.try_get("question")?,
            answer: row.try_get("answer")?,
            language: language_of(&row.try_get::<String, _>("language")?),
            inquiry_id: row.try_get("inquiry_id")?,
            published_by: row.try_get("published_by")?,
            published_at: row.try_get("published_at")?,
        };
        if search::matches(query, &format!("{} {}", entry.question, entry.answer)) {
            entries.push(entry);
        }
    }
    Ok(entries)
}
