//! Consent records. Website visitors (B10): each choice is appended with the
//! anonymous visitor id, the categories, the policy version shown, how and
//! when; and the site's page-view counts, kept only for visitors who accepted
//! analytics.

use awn_domain::audit::AuditAction;
use awn_domain::consent::{ConsentMethod, VisitorChoice};
use sqlx::Row;

use crate::{Database, StorageResult};

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

// ---------------------------------------------------------------------------
// The beneficiaries' consent register (B6, B7, B9)
// ---------------------------------------------------------------------------

use awn_domain::consent::{ConsentKind, ConsentProblem, check_consent};
use awn_domain::locale::Language;

use crate::{
    audit::{AuditEntry, record_in},
    outbox::NewOutboxMessage,
};

/// How a consent was given or withdrawn.
pub const BY_THE_PERSON_ONLINE: &str = "online";
pub const BY_STAFF_WITH_SIGNED_FORM: &str = "signed_form";
pub const BY_STAFF_ON_REQUEST: &str = "staff";

/// A consent being recorded.
#[derive(Debug, Clone)]
pub struct ConsentChange<'a> {
    pub beneficiary_id: i64,
    pub kind: ConsentKind,
    pub party: &'a str,
    pub granted: bool,
    /// One of [`BY_THE_PERSON_ONLINE`], [`BY_STAFF_WITH_SIGNED_FORM`], [`BY_STAFF_ON_REQUEST`].
    pub method: &'a str,
    /// The signed form, for sharing.
    pub document_id: Option<i64>,
    /// Staff who recorded it, if not the person.
    pub recorded_by: Option<i64>,
}

/// One line of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentEntry {
    pub kind: ConsentKind,
    pub party: String,
    pub granted: bool,
    pub method: String,
    pub document_id: Option<i64>,
    pub recorded_by_name: Option<String>,
    pub created_at: i64,
}

/// Records a grant or a withdrawal. A withdrawal of news by SMS or email
/// cancels, in the same transaction, every such message still queued for the
/// person: it takes effect at once. Staff changes are audited.
pub async fn change(db: &Database, change: ConsentChange<'_>, now: i64) -> StorageResult<Result<(), ConsentProblem>> {
    let party = awn_domain::identity::clean_text(change.party);
    if let Err(problem) = check_consent(change.kind, &party, change.granted, change.document_id.is_some()) {
        return Ok(Err(problem));
    }
    let mut tx = db.begin_write().await?;
    change_in(&mut tx, db.keys()?, &change, &party, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// The signed form a sharing consent is given on (B7), stored by the caller.
#[derive(Debug, Clone)]
pub struct SignedForm<'a> {
    pub storage_key: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
}

/// Staff record a sharing consent given on a signed form: in one transaction
/// the form is kept as the person's document (never part of a request, and
/// kept on erasure as proof) and the consent is registered and audited.
/// `Ok(Err(..))` for a consent the rules refuse (no party named);
/// [`crate::StorageError::NotFound`] for an unknown beneficiary.
pub async fn record_signed_sharing(
    db: &Database,
    beneficiary_id: i64,
    party: &str,
    staff_id: i64,
    form: SignedForm<'_>,
    now: i64,
) -> StorageResult<Result<i64, ConsentProblem>> {
    let party = awn_domain::identity::clean_text(party);
    if let Err(problem) = check_consent(ConsentKind::Sharing, &party, true, true) {
        return Ok(Err(problem));
    }
    let mut tx = db.begin_write().await?;
    let known: Option<i64> = sqlx::query_scalar("SELECT id FROM beneficiary_accounts WHERE id = $1")
        .bind(beneficiary_id)
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_none() {
        return Err(crate::StorageError::NotFound(format!("no beneficiary {beneficiary_id}")));
    }
    let document_id: i64 = sqlx::query_scalar(
        "INSERT INTO documents (beneficiary_id, request_id, storage_key, file_name, content_type, size_bytes, \
           created_at, purpose) VALUES ($1, NULL, $2, $3, $4, $5, $6, 'consent_form') RETURNING id",
    )
    .bind(beneficiary_id)
    .bind(form.storage_key)
    .bind(form.file_name)
    .bind(form.content_type)
    .bind(form.size_bytes)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let change = ConsentChange {
        beneficiary_id,
        kind: ConsentKind::Sharing,
        party: &party,
        granted: true,
        method: BY_STAFF_WITH_SIGNED_FORM,
        document_id: Some(document_id),
        recorded_by: Some(staff_id),
    };
    change_in(&mut tx, db.keys()?, &change, &party, now).await?;
    tx.commit().await?;
    Ok(Ok(document_id))
}

async fn change_in(
    tx: &mut sqlx::AnyConnection,
    keys: &crate::crypto::Keyring,
    change: &ConsentChange<'_>,
    party: &str,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO consents (beneficiary_id, kind, party, granted, method, document_id, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(change.beneficiary_id)
    .bind(change.kind.code())
    .bind(party)
    .bind(i64::from(change.granted))
    .bind(change.method)
    .bind(change.document_id)
    .bind(change.recorded_by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if !change.granted {
        sqlx::query(
            "UPDATE outbox_messages SET status = 'cancelled' \
             WHERE status = 'pending' AND consent_beneficiary_id = $1 AND consent_kind = $2",
        )
        .bind(change.beneficiary_id)
        .bind(change.kind.code())
        .execute(&mut *tx)
        .await?;
    }
    if let Some(staff_id) = change.recorded_by {
        let reason =
            format!("{}:{}:{}", change.kind.code(), if change.granted { "granted" } else { "withdrawn" }, party);
        let entry = AuditEntry {
            staff_id,
            action: AuditAction::ConsentChange,
            beneficiary_id: Some(change.beneficiary_id),
            request_id: None,
            reason: &reason,
        };
        record_in(&mut *tx, keys, entry, now).await?;
    }
    Ok(())
}

/// A person's whole register, newest first.
pub async fn register(db: &Database, beneficiary_id: i64) -> StorageResult<Vec<ConsentEntry>> {
    let rows = sqlx::query(
        "SELECT c.kind, c.party, c.granted, c.method, c.document_id, s.display_name, c.created_at \
         FROM consents c LEFT JOIN staff_accounts s ON s.id = c.recorded_by \
         WHERE c.beneficiary_id = $1 ORDER BY c.id DESC",
    )
    .bind(beneficiary_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .filter_map(|row| {
            let kind: String = match row.try_get("kind") {
                Ok(kind) => kind,
                Err(error) => return Some(Err(error.into())),
            };
            // A kind this version does not know is left out rather than failing the page.
            let kind = ConsentKind::from_code(&kind)?;
            Some((|| {
                Ok(ConsentEntry {
                    kind,
                    party: row.try_get("party")?,
                    granted: row.try_get::<i64, _>("granted")? != 0,
                    method: row.try_get("method")?,
                    document_id: row.try_get("document_id")?,
                    recorded_by_name: row.try_get("display_name")?,
                    created_at: row.try_get("created_at")?,
                })
            })())
        })
        .collect()
}

/// The consents in force: the newest entry of each (kind, party), granted or not.
pub fn in_force(register: &[ConsentEntry]) -> Vec<ConsentEntry> {
    let mut seen = std::collections::HashSet::new();
    register.iter().filter(|entry| seen.insert((entry.kind, entry.party.clone()))).cloned().collect()
}

/// Whether a consent without a party is in force.
pub fn granted(register: &[ConsentEntry], kind: ConsentKind) -> bool {
    register.iter().find(|entry| entry.kind == kind && entry.party.is_empty()).is_some_and(|entry| entry.granted)
}

/// Someone who receives news, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsRecipient {
    pub beneficiary_id: i64,
    pub language: Language,
    /// E.164, when news by SMS is in force.
    pub mobile: Option<String>,
    /// From their newest request that has one, when news by email is in force.
    pub email: Option<String>,
}

/// Everyone with news by SMS or by email in force.
pub async fn news_recipients(db: &Database) -> StorageResult<Vec<NewsRecipient>> {
    let rows = sqlx::query(
        "SELECT c.beneficiary_id, c.kind, b.mobile, b.language, \
           (SELECT r.email FROM support_requests r WHERE r.beneficiary_id = c.beneficiary_id AND r.email IS NOT NULL \
              AND r.email <> '' ORDER BY r.submitted_at DESC LIMIT 1) AS email \
         FROM consents c JOIN beneficiary_accounts b ON b.id = c.beneficiary_id \
         WHERE c.kind IN ('news_sms', 'news_email') AND c.party = '' AND c.granted = 1 \
           AND c.id = (SELECT MAX(x.id) FROM consents x WHERE x.beneficiary_id = c.beneficiary_id \
                         AND x.kind = c.kind AND x.party = c.party) \
         ORDER BY c.beneficiary_id",
    )
    .fetch_all(db.pool())
    .await?;
    let keys = db.keys()?;
    let mut recipients: Vec<NewsRecipient> = Vec::new();
    for row in &rows {
        let beneficiary_id: i64 = row.try_get("beneficiary_id")?;
        let kind: String = row.try_get("kind")?;
        if recipients.last().is_none_or(|r| r.beneficiary_id != beneficiary_id) {
            let language: String = row.try_get("language")?;
            recipients.push(NewsRecipient {
                beneficiary_id,
                language: Language::from_tag(&language).unwrap_or(Language::Arabic),
                mobile: None,
                email: None,
            });
        }
        if let Some(recipient) = recipients.last_mut() {
            if kind == "news_sms" {
                recipient.mobile =
                    Some(keys.decrypt_text(crate::crypto::ACCOUNT_MOBILE, &row.try_get::<String, _>("mobile")?)?);
            } else {
                recipient.email = keys.decrypt_optional(crate::crypto::EMAIL, row.try_get("email")?)?;
            }
        }
    }
    Ok(recipients)
}

/// Queues news: each message tied to the consent it needs, so that withdrawing
/// it cancels the message if it is still waiting. The sender is audited.
pub async fn enqueue_news(
    db: &Database,
    staff_id: i64,
    messages: &[(i64, ConsentKind, NewOutboxMessage)],
    now: i64,
) -> StorageResult<()> {
    let mut tx = db.begin_write().await?;
    for (beneficiary_id, kind, message) in messages {
        crate::outbox::insert_in(&mut tx, db.keys()?, message, Some((*beneficiary_id, kind.code())), now).await?;
    }
    let reason = format!("news:{}", messages.len());
    record_in(
        &mut tx,
        db.keys()?,
        AuditEntry { staff_id, action: AuditAction::NewsSend, beneficiary_id: None, request_id: None, reason: &reason },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
