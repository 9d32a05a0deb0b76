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

/// Whose consent a register row is: everyone the privacy policy protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsentHolder {
    Beneficiary(i64),
    Supporter(i64),
    Volunteer(i64),
}

impl ConsentHolder {
    /// The holder's id in their own table.
    pub fn id(self) -> i64 {
        match self {
            ConsentHolder::Beneficiary(id) | ConsentHolder::Supporter(id) | ConsentHolder::Volunteer(id) => id,
        }
    }

    /// The register's column naming this kind of holder.
    fn column(self) -> &'static str {
        match self {
            ConsentHolder::Beneficiary(_) => "beneficiary_id",
            ConsentHolder::Supporter(_) => "supporter_id",
            ConsentHolder::Volunteer(_) => "volunteer_id",
        }
    }

    /// The queued messages' column naming the holder whose consent they need.
    pub(crate) fn outbox_column(self) -> &'static str {
        match self {
            ConsentHolder::Beneficiary(_) => "consent_beneficiary_id",
            ConsentHolder::Supporter(_) => "consent_supporter_id",
            ConsentHolder::Volunteer(_) => "consent_volunteer_id",
        }
    }

    fn table(self) -> &'static str {
        match self {
            ConsentHolder::Beneficiary(_) => "beneficiary_accounts",
            ConsentHolder::Supporter(_) => "supporters",
            ConsentHolder::Volunteer(_) => "volunteers",
        }
    }

    fn beneficiary_id(self) -> Option<i64> {
        match self {
            ConsentHolder::Beneficiary(id) => Some(id),
            _ => None,
        }
    }
}

/// A consent being recorded.
#[derive(Debug, Clone)]
pub struct ConsentChange<'a> {
    pub holder: ConsentHolder,
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
/// person: it takes effect at once. Staff changes are audited. An unknown
/// holder is [`crate::StorageError::NotFound`].
pub async fn change(db: &Database, change: ConsentChange<'_>, now: i64) -> StorageResult<Result<(), ConsentProblem>> {
    let party = awn_domain::identity::clean_text(change.party);
    if let Err(problem) = check_consent(change.kind, &party, change.granted, change.document_id.is_some()) {
        return Ok(Err(problem));
    }
    let mut tx = db.begin_write().await?;
    let holder = change.holder;
    let known: Option<i64> = sqlx::query_scalar(&format!("SELECT id FROM {} WHERE id = $1", holder.table()))
        .bind(holder.id())
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_none() {
        return Err(crate::StorageError::NotFound(format!("no consent holder {holder:?}")));
    }
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
        holder: ConsentHolder::Beneficiary(beneficiary_id),
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

pub(crate) async fn change_in(
    tx: &mut sqlx::AnyConnection,
    keys: &crate::crypto::Keyring,
    change: &ConsentChange<'_>,
    party: &str,
    now: i64,
) -> StorageResult<()> {
    let holder = change.holder;
    sqlx::query(&format!(
        "INSERT INTO consents ({}, kind, party, granted, method, document_id, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        holder.column()
    ))
    .bind(holder.id())
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
        cancel_queued(tx, holder, Some(change.kind)).await?;
    }
    if let Some(staff_id) = change.recorded_by {
        let granted = if change.granted { "granted" } else { "withdrawn" };
        let reason = match holder {
            ConsentHolder::Beneficiary(_) => format!("{}:{granted}:{party}", change.kind.code()),
            ConsentHolder::Supporter(id) => format!("supporter:{id}:{}:{granted}:{party}", change.kind.code()),
            ConsentHolder::Volunteer(id) => format!("volunteer:{id}:{}:{granted}:{party}", change.kind.code()),
        };
        let entry = AuditEntry {
            staff_id,
            action: AuditAction::ConsentChange,
            beneficiary_id: holder.beneficiary_id(),
            request_id: None,
            reason: &reason,
        };
        record_in(&mut *tx, keys, entry, now).await?;
    }
    Ok(())
}

/// Cancels the holder's messages still queued that need a consent: of `kind`,
/// or of any kind.
async fn cancel_queued(
    tx: &mut sqlx::AnyConnection,
    holder: ConsentHolder,
    kind: Option<ConsentKind>,
) -> StorageResult<()> {
    sqlx::query(&format!(
        "UPDATE outbox_messages SET status = 'cancelled' \
         WHERE status = 'pending' AND {} = $1 AND consent_kind IS NOT NULL AND ($2 = '' OR consent_kind = $2)",
        holder.outbox_column()
    ))
    .bind(holder.id())
    .bind(kind.map_or("", ConsentKind::code))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The consents withdrawn when a person's data is erased: news and publication.
const WITHDRAWN_ON_ERASURE: [ConsentKind; 3] =
    [ConsentKind::NewsBySms, ConsentKind::NewsByEmail, ConsentKind::Publication];

/// Within the caller's transaction: every news and publication consent of the
/// holder that is in force is recorded as withdrawn (by `staff_id`, with
/// `method`, erasure for example), and every message still queued that needs
/// one of their consents is cancelled. The register itself is kept as proof.
/// Not audited here: the caller audits what it does as a whole.
pub async fn withdraw_all_in(
    tx: &mut sqlx::AnyConnection,
    holder: ConsentHolder,
    staff_id: i64,
    method: &str,
    now: i64,
) -> StorageResult<()> {
    let column = holder.column();
    for kind in WITHDRAWN_ON_ERASURE {
        let granted: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT granted FROM consents WHERE {column} = $1 AND kind = $2 AND party = '' ORDER BY id DESC LIMIT 1"
        ))
        .bind(holder.id())
        .bind(kind.code())
        .fetch_optional(&mut *tx)
        .await?;
        if granted.unwrap_or(0) == 0 {
            continue;
        }
        sqlx::query(&format!(
            "INSERT INTO consents ({column}, kind, party, granted, method, recorded_by, created_at) \
             VALUES ($1, $2, '', 0, $3, $4, $5)"
        ))
        .bind(holder.id())
        .bind(kind.code())
        .bind(method)
        .bind(staff_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    cancel_queued(tx, holder, None).await
}

/// A person's whole register, newest first.
pub async fn register(db: &Database, holder: ConsentHolder) -> StorageResult<Vec<ConsentEntry>> {
    let rows = sqlx::query(&format!(
        "SELECT c.kind, c.party, c.granted, c.method, c.document_id, s.display_name, c.created_at \
         FROM consents c LEFT JOIN staff_accounts s ON s.id = c.recorded_by \
         WHERE c.{} = $1 ORDER BY c.id DESC",
        holder.column()
    ))
    .bind(holder.id())
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
    pub holder: ConsentHolder,
    pub language: Language,
    /// E.164, when news by SMS is in force.
    pub mobile: Option<String>,
    /// When news by email is in force: a beneficiary's from their newest
    /// request that has one, a supporter's own (volunteers give none).
    pub email: Option<String>,
}

/// Everyone with news by SMS or by email in force: beneficiaries, supporters
/// (anonymous ones too: anonymity only keeps them out of reports) and
/// volunteers whose application was confirmed.
pub async fn news_recipients(db: &Database) -> StorageResult<Vec<NewsRecipient>> {
    use crate::crypto::{ACCOUNT_MOBILE, EMAIL, SUPPORTER_EMAIL, SUPPORTER_MOBILE, VOLUNTEER_MOBILE};
    let beneficiaries = RecipientQuery {
        holder: ConsentHolder::Beneficiary,
        column: "beneficiary_id",
        from: "beneficiary_accounts t",
        filter: "",
        language: "t.language",
        email: "(SELECT r.email FROM support_requests r WHERE r.beneficiary_id = t.id AND r.email IS NOT NULL \
                  AND r.email <> '' ORDER BY r.submitted_at DESC LIMIT 1)",
        fields: (ACCOUNT_MOBILE, EMAIL),
    };
    let supporters = RecipientQuery {
        holder: ConsentHolder::Supporter,
        column: "supporter_id",
        from: "supporters t",
        filter: "",
        language: "'ar'",
        email: "t.email",
        fields: (SUPPORTER_MOBILE, SUPPORTER_EMAIL),
    };
    let volunteers = RecipientQuery {
        holder: ConsentHolder::Volunteer,
        column: "volunteer_id",
        from: "volunteers t",
        filter: "AND t.verified_at IS NOT NULL",
        language: "t.language",
        email: "CAST(NULL AS TEXT)",
        fields: (VOLUNTEER_MOBILE, EMAIL),
    };
    let mut recipients = Vec::new();
    for query in [beneficiaries, supporters, volunteers] {
        recipients.extend(query.run(db).await?);
    }
    Ok(recipients)
}

/// How to find one kind of holder's news recipients.
struct RecipientQuery {
    holder: fn(i64) -> ConsentHolder,
    column: &'static str,
    /// Their table, as `t`.
    from: &'static str,
    filter: &'static str,
    language: &'static str,
    email: &'static str,
    /// The encrypted fields of the mobile and the email.
    fields: (&'static str, &'static str),
}

impl RecipientQuery {
    async fn run(&self, db: &Database) -> StorageResult<Vec<NewsRecipient>> {
        let Self { column, from, filter, language, email, .. } = self;
        let rows = sqlx::query(&format!(
            "SELECT t.id AS holder_id, c.kind, t.mobile, {language} AS language, {email} AS email \
             FROM consents c JOIN {from} ON t.id = c.{column} \
             WHERE c.kind IN ('news_sms', 'news_email') AND c.party = '' AND c.granted = 1 {filter} \
               AND c.id = (SELECT MAX(x.id) FROM consents x WHERE x.{column} = c.{column} \
                             AND x.kind = c.kind AND x.party = c.party) \
             ORDER BY t.id"
        ))
        .fetch_all(db.pool())
        .await?;
        let keys = db.keys()?;
        let mut recipients: Vec<NewsRecipient> = Vec::new();
        for row in &rows {
            let holder = (self.holder)(row.try_get("holder_id")?);
            let kind: String = row.try_get("kind")?;
            if recipients.last().is_none_or(|r| r.holder != holder) {
                let language: String = row.try_get("language")?;
                recipients.push(NewsRecipient {
                    holder,
                    language: Language::from_tag(&language).unwrap_or(Language::Arabic),
                    mobile: None,
                    email: None,
                });
            }
            if let Some(recipient) = recipients.last_mut() {
                if kind == "news_sms" {
                    recipient.mobile = keys.decrypt_optional(self.fields.0, row.try_get("mobile")?)?;
                } else {
                    recipient.email = keys.decrypt_optional(self.fields.1, row.try_get("email")?)?;
                }
            }
        }
        Ok(recipients)
    }
}

/// Queues news: each message tied to the consent it needs, so that withdrawing
/// it cancels the message if it is still waiting. The sender is audited.
pub async fn enqueue_news(
    db: &Database,
    staff_id: i64,
    messages: &[(ConsentHolder, ConsentKind, NewOutboxMessage)],
    now: i64,
) -> StorageResult<()> {
    let mut tx = db.begin_write().await?;
    for (holder, kind, message) in messages {
        crate::outbox::insert_in(&mut tx, db.keys()?, message, Some((*holder, kind.code())), now).await?;
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
