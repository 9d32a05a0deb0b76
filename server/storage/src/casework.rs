//! The staff side of requests: the queue, the case file, intake on behalf of a
//! beneficiary (A10, A18) and the workflow's steps (A10–A14).
//!
//! Every step is ONE transaction: the move is checked against the domain's state
//! machine, the step's own record is written, the request's state and columns
//! change, the timeline gets its entry (whose reason is what the beneficiary
//! reads), the notice to the beneficiary is queued (A3) and an audit entry is
//! appended. A refused step writes nothing.
//!
//! Reads here ([`queue`], [`case_file`], [`beneficiary_overview`]) are not
//! audited: the app records who read what, in one place, through `audit::record`.

use awn_domain::{
    calendar::{CalendarDay, DualDate},
    channels::Channel,
    locale::Language,
    requests::{Housing, RequestStatus, TransitionError, ValidRequest},
    search,
    workflow::{
        self, ChecklistItem, Decision, DecisionKind, Recommendation, ResearchStudy, ServiceDelivery, StudyMethod,
        VerificationOutcome,
    },
};
use sqlx::{AnyConnection, Row};

use crate::{
    Database, Page, PageRequest, StorageError, StorageResult,
    audit::{AuditEntry, action, record_in},
    documents::DocumentInfo,
    outbox::{NewOutboxMessage, enqueue_in},
    page_of, page_window,
    requests::{self, DocumentRequest, NewRequest, NoticeRecipient, RequestMessage, Submission, TimelineEntry},
    staff,
};

/// The version of the declaration a beneficiary confirms to staff at intake.
pub const INTAKE_DECLARATION_VERSION: &str = "1.0";

fn invalid_code(what: &str, code: &str) -> StorageError {
    StorageError::Invalid(format!("{what} `{code}`"))
}

fn status_of(code: &str) -> StorageResult<RequestStatus> {
    RequestStatus::from_code(code).ok_or_else(|| invalid_code("request status", code))
}

fn channel_of(code: &str) -> StorageResult<Channel> {
    Channel::from_code(code).ok_or_else(|| invalid_code("channel", code))
}

fn day_text(day: CalendarDay) -> String {
    format!("{:04}-{:02}-{:02}", day.year, day.month, day.day)
}

// ---------------------------------------------------------------------------
// The queue
// ---------------------------------------------------------------------------

/// What the queue shows. Every filter left empty lets everything through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub status: Option<RequestStatus>,
    /// A support kind's code.
    pub support_kind: Option<String>,
    pub channel: Option<Channel>,
    pub assignee_id: Option<i64>,
    pub overdue_only: bool,
    /// Words looked for in the name, national ID and reference, however typed
    /// (hamza, ta marbuta, digits in any script: `awn_domain::search`).
    pub search: String,
}

/// A line of the staff queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    pub id: i64,
    pub reference: String,
    pub full_name: String,
    pub national_id: String,
    pub support_kind_code: String,
    pub support_kind_name_ar: String,
    pub support_kind_name_en: String,
    pub channel: Channel,
    pub status: RequestStatus,
    pub submitted_at: i64,
    pub decision_due_at: i64,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    /// The committee's period passed without an answer (A13).
    pub overdue: bool,
    /// Another account's open request for the same national ID.
    pub possible_duplicate_of: Option<i64>,
}

impl QueueItem {
    pub fn support_kind_name(&self, language: Language) -> &str {
        match language {
            Language::Arabic => &self.support_kind_name_ar,
            Language::English => &self.support_kind_name_en,
        }
    }
}

/// The states in which a request can be overdue: those the domain's rule calls
/// overdue once the due moment has passed.
fn overdue_statuses() -> Vec<RequestStatus> {
    RequestStatus::ALL.into_iter().filter(|&status| workflow::is_overdue(status, 0, 1)).collect()
}

/// A value bound to a query built at run time.
enum Param {
    Text(String),
    Int(i64),
}

/// Builds `WHERE` conditions with `$n` placeholders and their values in order.
#[derive(Default)]
struct Conditions {
    sql: Vec<String>,
    params: Vec<Param>,
}

impl Conditions {
    fn placeholder(&mut self, param: Param) -> String {
        self.params.push(param);
        format!("${}", self.params.len())
    }

    fn push(&mut self, condition: impl FnOnce(&mut Self) -> String) {
        let sql = condition(self);
        self.sql.push(sql);
    }

    /// Requests overdue at `now`: a necessary and sufficient condition for
    /// `workflow::is_overdue`, written in SQL so it can use the index.
    fn overdue(&mut self, now: i64) {
        self.push(|c| {
            let due = c.placeholder(Param::Int(now));
            let statuses: Vec<String> =
                overdue_statuses().into_iter().map(|s| c.placeholder(Param::Text(s.code().to_owned()))).collect();
            format!("r.is_open = 1 AND r.decision_due_at < {due} AND r.status IN ({})", statuses.join(", "))
        });
    }

    fn where_clause(&self) -> String {
        if self.sql.is_empty() { String::new() } else { format!("WHERE {}", self.sql.join(" AND ")) }
    }

    fn bind<'q>(
        &'q self,
        mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for param in &self.params {
            query = match param {
                Param::Text(text) => query.bind(text.as_str()),
                Param::Int(number) => query.bind(*number),
            };
        }
        query
    }
}

/// A page of the requests staff work on: open ones first, the oldest due
/// first; with the total of the filtered queue.
///
/// Status, kind, channel, assignee and overdue are filtered in SQL. The search is
/// done here, after those filters, with the domain's Arabic-aware matching: SQL
/// cannot fold hamza forms or digit scripts the same way on both engines, and an
/// association of this size has at most a few thousand requests to look through.
/// (If that ever grows, store a `search_key` column and filter with `LIKE`.)
pub async fn queue(
    db: &Database,
    filter: &QueueFilter,
    now: i64,
    request: PageRequest,
) -> StorageResult<Page<QueueItem>> {
    let mut conditions = Conditions::default();
    if let Some(status) = filter.status {
        conditions.push(|c| format!("r.status = {}", c.placeholder(Param::Text(status.code().to_owned()))));
    }
    if let Some(kind) = &filter.support_kind {
        conditions.push(|c| format!("k.code = {}", c.placeholder(Param::Text(kind.clone()))));
    }
    if let Some(channel) = filter.channel {
        conditions.push(|c| format!("r.channel = {}", c.placeholder(Param::Text(channel.code().to_owned()))));
    }
    if let Some(assignee) = filter.assignee_id {
        conditions.push(|c| format!("r.assignee_id = {}", c.placeholder(Param::Int(assignee))));
    }
    if filter.overdue_only {
        conditions.overdue(now);
    }
    let from = format!(
        "FROM support_requests r JOIN support_kinds k ON k.id = r.support_kind_id \
         LEFT JOIN staff_accounts a ON a.id = r.assignee_id {}",
        conditions.where_clause()
    );
    let select = "SELECT r.id, r.reference, r.full_name, r.national_id, k.code AS kind_code, k.name_ar, k.name_en, \
           r.channel, r.status, r.submitted_at, r.decision_due_at, r.assignee_id, a.display_name AS assignee_name, \
           r.possible_duplicate_of";
    let order = "ORDER BY r.is_open DESC, r.decision_due_at, r.id";
    let keys = db.keys()?;
    if search::search_key(&filter.search).is_empty() {
        let count_sql = format!("SELECT COUNT(*) AS total {from}");
        let total: i64 = conditions.bind(sqlx::query(&count_sql)).fetch_one(db.pool()).await?.try_get("total")?;
        let (request, limit, offset) = page_window(request, total);
        let limit = conditions.placeholder(Param::Int(limit));
        let offset = conditions.placeholder(Param::Int(offset));
        let sql = format!("{select} {from} {order} LIMIT {limit} OFFSET {offset}");
        let rows = conditions.bind(sqlx::query(&sql)).fetch_all(db.pool()).await?;
        let items = rows.iter().map(|row| queue_item(row, keys, now)).collect::<StorageResult<_>>()?;
        return Ok(page_of(items, total, request));
    }
    let sql = format!("{select} {from} {order}");
    let rows = conditions.bind(sqlx::query(&sql)).fetch_all(db.pool()).await?;
    let mut matches = Vec::new();
    for row in &rows {
        let item = queue_item(row, keys, now)?;
        if search::matches(&filter.search, &format!("{} {} {}", item.full_name, item.national_id, item.reference)) {
            matches.push(item);
        }
    }
    let total = i64::try_from(matches.len()).unwrap_or(i64::MAX);
    let (request, limit, offset) = page_window(request, total);
    let items = matches
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    Ok(page_of(items, total, request))
}

fn queue_item(row: &sqlx::any::AnyRow, keys: &crate::crypto::Keyring, now: i64) -> StorageResult<QueueItem> {
    let status = status_of(&row.try_get::<String, _>("status")?)?;
    let decision_due_at: i64 = row.try_get("decision_due_at")?;
    Ok(QueueItem {
        id: row.try_get("id")?,
        reference: row.try_get("reference")?,
        full_name: row.try_get("full_name")?,
        national_id: keys.decrypt_text(crate::crypto::NATIONAL_ID, &row.try_get::<String, _>("national_id")?)?,
        support_kind_code: row.try_get("kind_code")?,
        support_kind_name_ar: row.try_get("name_ar")?,
        support_kind_name_en: row.try_get("name_en")?,
        channel: channel_of(&row.try_get::<String, _>("channel")?)?,
        status,
        submitted_at: row.try_get("submitted_at")?,
        decision_due_at,
        assignee_id: row.try_get("assignee_id")?,
        assignee_name: row.try_get("assignee_name")?,
        overdue: workflow::is_overdue(status, decision_due_at, now),
        possible_duplicate_of: row.try_get("possible_duplicate_of")?,
    })
}

/// How many requests are overdue now (A13), for the workspace's home.
pub async fn overdue_count(db: &Database, now: i64) -> StorageResult<i64> {
    let mut conditions = Conditions::default();
    conditions.overdue(now);
    let sql = format!("SELECT COUNT(*) FROM support_requests r {}", conditions.where_clause());
    let row = conditions.bind(sqlx::query(&sql)).fetch_one(db.pool()).await?;
    Ok(row.try_get(0)?)
}

// ---------------------------------------------------------------------------
// The case file
// ---------------------------------------------------------------------------

/// One verification of the request (A10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationRecord {
    pub id: i64,
    pub items_provided: bool,
    pub data_matches_documents: bool,
    pub documents_valid_on_submission: bool,
    /// For staff only.
    pub note: String,
    /// What the beneficiary was told is missing; empty when verified.
    pub message: String,
    pub verified: bool,
    pub staff_id: i64,
    pub staff_name: String,
    pub created_at: i64,
}

/// A referral to the social research officer (A11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRecord {
    pub id: i64,
    pub researcher_id: Option<i64>,
    pub researcher_name: Option<String>,
    pub note: String,
    pub staff_id: i64,
    pub staff_name: String,
    pub created_at: i64,
}

/// A social study (A7, A11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudyRecord {
    pub id: i64,
    pub method: StudyMethod,
    pub findings: String,
    pub recommendation: Recommendation,
    /// What the beneficiary was asked for, when the study needed more.
    pub message: Option<String>,
    pub staff_id: i64,
    pub staff_name: String,
    pub created_at: i64,
}

/// A decision of the research committee (A13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    pub id: i64,
    pub decision: DecisionKind,
    /// Why rejected, or what more is needed; empty for an acceptance.
    pub reason: String,
    pub support_granted: Option<String>,
    pub staff_id: i64,
    pub staff_name: String,
    pub created_at: i64,
}

/// A service delivered (A14): what, how much, when, by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRecord {
    pub id: i64,
    pub request_id: i64,
    pub request_reference: String,
    pub what: String,
    pub quantity: i64,
    pub unit: String,
    pub delivered_on: CalendarDay,
    pub staff_id: i64,
    pub staff_name: String,
    pub created_at: i64,
}

/// Everything staff see of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFile {
    pub id: i64,
    pub reference: String,
    pub beneficiary_id: i64,
    pub status: RequestStatus,
    pub channel: Channel,
    pub support_kind_code: String,
    pub support_kind_name_ar: String,
    pub support_kind_name_en: String,
    pub full_name: String,
    pub national_id: String,
    /// YYYY-MM-DD, Gregorian.
    pub birth_date: String,
    /// E.164.
    pub mobile: String,
    pub email: Option<String>,
    pub city: String,
    pub district: String,
    pub household_members: i64,
    pub monthly_income: i64,
    pub housing: Housing,
    pub description: String,
    pub signature: String,
    pub declaration_version: String,
    pub declared_at: i64,
    pub consent_sms: bool,
    pub consent_email: bool,
    pub language: Language,
    pub submitted_at: i64,
    pub decision_due_at: i64,
    pub updated_at: i64,
    pub file_number: Option<String>,
    pub registered_at: Option<i64>,
    /// When the committee accepted or rejected it (the earliest day a service may be dated).
    pub decided_at: Option<i64>,
    pub decided_by: Option<i64>,
    pub support_granted: Option<String>,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    /// The staff member who recorded the request, when it came by another channel.
    pub intake_staff_id: Option<i64>,
    /// Another account's open request for the same national ID: (id, reference).
    pub possible_duplicate_of: Option<(i64, String)>,
    pub timeline: Vec<TimelineEntry>,
    pub documents: Vec<DocumentInfo>,
    pub messages: Vec<RequestMessage>,
    pub document_requests: Vec<DocumentRequest>,
    pub verifications: Vec<VerificationRecord>,
    pub referrals: Vec<ReferralRecord>,
    pub studies: Vec<StudyRecord>,
    pub decisions: Vec<DecisionRecord>,
    pub services: Vec<ServiceRecord>,
}

impl CaseFile {
    pub fn support_kind_name(&self, language: Language) -> &str {
        match language {
            Language::Arabic => &self.support_kind_name_ar,
            Language::English => &self.support_kind_name_en,
        }
    }
}

/// The whole file of a request, or `None` if there is no such request. Not
/// audited here: the caller records the read.
pub async fn case_file(db: &Database, request_id: i64) -> StorageResult<Option<CaseFile>> {
    let row = sqlx::query(
        "SELECT r.id, r.reference, r.beneficiary_id, r.status, r.channel, k.code AS kind_code, k.name_ar, \
           k.name_en, r.full_name, r.national_id, r.birth_date, r.mobile, r.email, r.city, r.district, \
           r.household_members, r.monthly_income, r.housing, r.description, r.signature, \
           r.declaration_version, r.declared_at, r.consent_sms, r.consent_email, r.language, r.submitted_at, \
           r.decision_due_at, r.updated_at, r.file_number, r.registered_at, r.decided_at, r.decided_by, \
           r.support_granted, r.assignee_id, a.display_name AS assignee_name, r.intake_staff_id, \
           d.id AS duplicate_id, d.reference AS duplicate_reference \
         FROM support_requests r JOIN support_kinds k ON k.id = r.support_kind_id \
         LEFT JOIN staff_accounts a ON a.id = r.assignee_id \
         LEFT JOIN support_requests d ON d.id = r.possible_duplicate_of WHERE r.id = $1",
    )
    .bind(request_id)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let housing: String = row.try_get("housing")?;
    let language: String = row.try_get("language")?;
    let keys = db.keys()?;
    Ok(Some(CaseFile {
        id: row.try_get("id")?,
        reference: row.try_get("reference")?,
        beneficiary_id: row.try_get("beneficiary_id")?,
        status: status_of(&row.try_get::<String, _>("status")?)?,
        channel: channel_of(&row.try_get::<String, _>("channel")?)?,
        support_kind_code: row.try_get("kind_code")?,
        support_kind_name_ar: row.try_get("name_ar")?,
        support_kind_name_en: row.try_get("name_en")?,
        full_name: row.try_get("full_name")?,
        national_id: keys.decrypt_text(crate::crypto::NATIONAL_ID, &row.try_get::<String, _>("national_id")?)?,
        birth_date: keys.decrypt_text(crate::crypto::BIRTH_DATE, &row.try_get::<String, _>("birth_date")?)?,
        mobile: keys.decrypt_text(crate::crypto::REQUEST_MOBILE, &row.try_get::<String, _>("mobile")?)?,
        email: keys.decrypt_optional(crate::crypto::EMAIL, row.try_get("email")?)?,
        city: row.try_get("city")?,
        district: row.try_get("district")?,
        household_members: row.try_get("household_members")?,
        monthly_income: row.try_get("monthly_income")?,
        housing: Housing::from_code(&housing).ok_or_else(|| invalid_code("housing", &housing))?,
        description: row.try_get("description")?,
        signature: row.try_get("signature")?,
        declaration_version: row.try_get("declaration_version")?,
        declared_at: row.try_get("declared_at")?,
        consent_sms: row.try_get::<i64, _>("consent_sms")? != 0,
        consent_email: row.try_get::<i64, _>("consent_email")? != 0,
        language: Language::from_tag(&language).unwrap_or(Language::Arabic),
        submitted_at: row.try_get("submitted_at")?,
        decision_due_at: row.try_get("decision_due_at")?,
        updated_at: row.try_get("updated_at")?,
        file_number: row.try_get("file_number")?,
        registered_at: row.try_get("registered_at")?,
        decided_at: row.try_get("decided_at")?,
        decided_by: row.try_get("decided_by")?,
        support_granted: row.try_get("support_granted")?,
        assignee_id: row.try_get("assignee_id")?,
        assignee_name: row.try_get("assignee_name")?,
        intake_staff_id: row.try_get("intake_staff_id")?,
        possible_duplicate_of: match (row.try_get("duplicate_id")?, row.try_get("duplicate_reference")?) {
            (Some(id), Some(reference)) => Some((id, reference)),
            _ => None,
        },
        timeline: timeline(db, request_id).await?,
        documents: crate::documents::of_request(db, request_id).await?,
        messages: messages(db, request_id).await?,
        document_requests: document_requests(db, request_id).await?,
        verifications: verifications(db, request_id).await?,
        referrals: referrals(db, request_id).await?,
        studies: studies(db, request_id).await?,
        decisions: decisions(db, request_id).await?,
        services: services(db, "s.request_id = $1", request_id).await?,
    }))
}

async fn timeline(db: &Database, request_id: i64) -> StorageResult<Vec<TimelineEntry>> {
    let rows = sqlx::query("SELECT status, reason, created_at FROM request_events WHERE request_id = $1 ORDER BY id")
        .bind(request_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|row| {
            Ok(TimelineEntry {
                status: status_of(&row.try_get::<String, _>("status")?)?,
                reason: row.try_get("reason")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

async fn messages(db: &Database, request_id: i64) -> StorageResult<Vec<RequestMessage>> {
    let rows = sqlx::query("SELECT author, body, created_at FROM request_messages WHERE request_id = $1 ORDER BY id")
        .bind(request_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|row| {
            Ok(RequestMessage {
                author: row.try_get("author")?,
                body: row.try_get("body")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

async fn document_requests(db: &Database, request_id: i64) -> StorageResult<Vec<DocumentRequest>> {
    let rows = sqlx::query(
        "SELECT id, description, created_at, fulfilled_at FROM document_requests WHERE request_id = $1 ORDER BY id",
    )
    .bind(request_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(DocumentRequest {
                id: row.try_get("id")?,
                description: row.try_get("description")?,
                created_at: row.try_get("created_at")?,
                fulfilled_at: row.try_get("fulfilled_at")?,
            })
        })
        .collect()
}

async fn verifications(db: &Database, request_id: i64) -> StorageResult<Vec<VerificationRecord>> {
    let rows = sqlx::query(
        "SELECT v.id, v.items_provided, v.data_matches_documents, v.documents_valid_on_submission, v.note, \
           v.message, v.outcome, v.staff_id, s.display_name, v.created_at \
         FROM request_verifications v JOIN staff_accounts s ON s.id = v.staff_id \
         WHERE v.request_id = $1 ORDER BY v.id",
    )
    .bind(request_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let outcome: String = row.try_get("outcome")?;
            Ok(VerificationRecord {
                id: row.try_get("id")?,
                items_provided: row.try_get::<i64, _>("items_provided")? != 0,
                data_matches_documents: row.try_get::<i64, _>("data_matches_documents")? != 0,
                documents_valid_on_submission: row.try_get::<i64, _>("documents_valid_on_submission")? != 0,
                note: row.try_get("note")?,
                message: row.try_get("message")?,
                verified: outcome == OUTCOME_VERIFIED,
                staff_id: row.try_get("staff_id")?,
                staff_name: row.try_get("display_name")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

async fn referrals(db: &Database, request_id: i64) -> StorageResult<Vec<ReferralRecord>> {
    let rows = sqlx::query(
        "SELECT f.id, f.researcher_id, x.display_name AS researcher_name, f.note, f.staff_id, \
           s.display_name AS staff_name, f.created_at \
         FROM request_referrals f JOIN staff_accounts s ON s.id = f.staff_id \
         LEFT JOIN staff_accounts x ON x.id = f.researcher_id WHERE f.request_id = $1 ORDER BY f.id",
    )
    .bind(request_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ReferralRecord {
                id: row.try_get("id")?,
                researcher_id: row.try_get("researcher_id")?,
                researcher_name: row.try_get("researcher_name")?,
                note: row.try_get("note")?,
                staff_id: row.try_get("staff_id")?,
                staff_name: row.try_get("staff_name")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

async fn studies(db: &Database, request_id: i64) -> StorageResult<Vec<StudyRecord>> {
    let rows = sqlx::query(
        "SELECT t.id, t.method, t.findings, t.recommendation, t.message, t.staff_id, s.display_name, t.created_at \
         FROM research_studies t JOIN staff_accounts s ON s.id = t.staff_id WHERE t.request_id = $1 ORDER BY t.id",
    )
    .bind(request_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let method: String = row.try_get("method")?;
            let recommendation: String = row.try_get("recommendation")?;
            let message: String = row.try_get("message")?;
            Ok(StudyRecord {
                id: row.try_get("id")?,
                method: StudyMethod::from_code(&method).ok_or_else(|| invalid_code("study method", &method))?,
                findings: row.try_get("findings")?,
                recommendation: Recommendation::from_code(&recommendation)
                    .ok_or_else(|| invalid_code("recommendation", &recommendation))?,
                message: (!message.is_empty()).then_some(message),
                staff_id: row.try_get("staff_id")?,
                staff_name: row.try_get("display_name")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

async fn decisions(db: &Database, request_id: i64) -> StorageResult<Vec<DecisionRecord>> {
    let rows = sqlx::query(
        "SELECT d.id, d.decision, d.reason, d.support_granted, d.staff_id, s.display_name, d.created_at \
         FROM committee_decisions d JOIN staff_accounts s ON s.id = d.staff_id WHERE d.request_id = $1 ORDER BY d.id",
    )
    .bind(request_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let decision: String = row.try_get("decision")?;
            Ok(DecisionRecord {
                id: row.try_get("id")?,
                decision: DecisionKind::from_code(&decision).ok_or_else(|| invalid_code("decision", &decision))?,
                reason: row.try_get("reason")?,
                support_granted: row.try_get("support_granted")?,
                staff_id: row.try_get("staff_id")?,
                staff_name: row.try_get("display_name")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

/// Services matching `condition` (on `s`, the service, or `r`, its request, with `$1`).
async fn services(db: &Database, condition: &str, id: i64) -> StorageResult<Vec<ServiceRecord>> {
    let rows = sqlx::query(&format!(
        "SELECT s.id, s.request_id, r.reference, s.what, s.quantity, s.unit, s.delivered_on, s.staff_id, \
           a.display_name, s.created_at \
         FROM services_delivered s JOIN support_requests r ON r.id = s.request_id \
         JOIN staff_accounts a ON a.id = s.staff_id WHERE {condition} ORDER BY s.delivered_on, s.id"
    ))
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let delivered_on: String = row.try_get("delivered_on")?;
            Ok(ServiceRecord {
                id: row.try_get("id")?,
                request_id: row.try_get("request_id")?,
                request_reference: row.try_get("reference")?,
                what: row.try_get("what")?,
                quantity: row.try_get("quantity")?,
                unit: row.try_get("unit")?,
                delivered_on: workflow::parse_day(&delivered_on)
                    .map_err(|_| invalid_code("delivery day", &delivered_on))?,
                staff_id: row.try_get("staff_id")?,
                staff_name: row.try_get("display_name")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

/// One of a beneficiary's requests, in their overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeneficiaryRequest {
    pub id: i64,
    pub reference: String,
    pub support_kind_name_ar: String,
    pub support_kind_name_en: String,
    pub status: RequestStatus,
    pub channel: Channel,
    pub full_name: String,
    pub national_id: String,
    pub submitted_at: i64,
    pub decision_due_at: i64,
    pub updated_at: i64,
    pub file_number: Option<String>,
}

impl BeneficiaryRequest {
    pub fn support_kind_name(&self, language: Language) -> &str {
        match language {
            Language::Arabic => &self.support_kind_name_ar,
            Language::English => &self.support_kind_name_en,
        }
    }
}

/// A beneficiary as staff see them across all their requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeneficiaryOverview {
    pub beneficiary_id: i64,
    /// E.164.
    pub mobile: String,
    pub language: Language,
    pub created_at: i64,
    /// Newest first.
    pub requests: Vec<BeneficiaryRequest>,
    /// Every service delivered on any of their requests, in delivery order.
    pub services: Vec<ServiceRecord>,
    pub document_count: i64,
}

/// A beneficiary's account, requests, services and number of documents; `None`
/// for an unknown id. Not audited here: the caller records the read.
pub async fn beneficiary_overview(db: &Database, beneficiary_id: i64) -> StorageResult<Option<BeneficiaryOverview>> {
    let account = sqlx::query("SELECT mobile, language, created_at FROM beneficiary_accounts WHERE id = $1")
        .bind(beneficiary_id)
        .fetch_optional(db.pool())
        .await?;
    let Some(account) = account else { return Ok(None) };
    let language: String = account.try_get("language")?;
    let rows = sqlx::query(
        "SELECT r.id, r.reference, k.name_ar, k.name_en, r.status, r.channel, r.full_name, r.national_id, \
           r.submitted_at, r.decision_due_at, r.updated_at, r.file_number \
         FROM support_requests r JOIN support_kinds k ON k.id = r.support_kind_id \
         WHERE r.beneficiary_id = $1 ORDER BY r.submitted_at DESC, r.id DESC",
    )
    .bind(beneficiary_id)
    .fetch_all(db.pool())
    .await?;
    let keys = db.keys()?;
    let requests = rows
        .iter()
        .map(|row| {
            Ok(BeneficiaryRequest {
                id: row.try_get("id")?,
                reference: row.try_get("reference")?,
                support_kind_name_ar: row.try_get("name_ar")?,
                support_kind_name_en: row.try_get("name_en")?,
                status: status_of(&row.try_get::<String, _>("status")?)?,
                channel: channel_of(&row.try_get::<String, _>("channel")?)?,
                full_name: row.try_get("full_name")?,
                national_id: keys
                    .decrypt_text(crate::crypto::NATIONAL_ID, &row.try_get::<String, _>("national_id")?)?,
                submitted_at: row.try_get("submitted_at")?,
                decision_due_at: row.try_get("decision_due_at")?,
                updated_at: row.try_get("updated_at")?,
                file_number: row.try_get("file_number")?,
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    let document_count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE beneficiary_id = $1")
        .bind(beneficiary_id)
        .fetch_one(db.pool())
        .await?;
    Ok(Some(BeneficiaryOverview {
        beneficiary_id,
        mobile: keys.decrypt_text(crate::crypto::ACCOUNT_MOBILE, &account.try_get::<String, _>("mobile")?)?,
        language: Language::from_tag(&language).unwrap_or(Language::Arabic),
        created_at: account.try_get("created_at")?,
        requests,
        services: services(db, "r.beneficiary_id = $1", beneficiary_id).await?,
        document_count,
    }))
}

// ---------------------------------------------------------------------------
// Intake on behalf of a beneficiary (A10, A18)
// ---------------------------------------------------------------------------

/// Records a request taken in by staff (phone, interview, letter, …): the
/// beneficiary's account is found by the request's mobile number, or created,
/// then the request is submitted exactly as online (same duplicate rules, same
/// receipt), with the channel, `staff:<id>` as the first entry's actor, and the
/// staff member kept as `intake_staff_id`.
///
/// Like an online submission, this attaches the account's draft documents (if
/// the person had started online) and removes its draft.
#[expect(clippy::too_many_arguments, reason = "one step of the workflow writes all of these in one transaction")]
pub async fn record_intake(
    db: &Database,
    staff_id: i64,
    channel: Channel,
    request: &ValidRequest,
    language: Language,
    decision_period_days: u32,
    now: i64,
    compose_receipt: impl FnOnce(&str, i64) -> Vec<NewOutboxMessage>,
) -> StorageResult<Submission> {
    // A no-op update on conflict so both engines return the existing id.
    let beneficiary_id: i64 = sqlx::query_scalar(
        "INSERT INTO beneficiary_accounts (mobile, language, created_at, mobile_hash) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (mobile_hash) DO UPDATE SET mobile_hash = excluded.mobile_hash RETURNING id",
    )
    .bind(db.keys()?.encrypt_text(crate::crypto::ACCOUNT_MOBILE, request.mobile.as_e164()))
    .bind(language.tag())
    .bind(now)
    .bind(crate::crypto::contact_hash(db.keys()?, request.mobile.as_e164()))
    .fetch_one(db.pool())
    .await?;
    let actor = staff::actor(staff_id);
    let submission = requests::submit(
        db,
        NewRequest {
            beneficiary_id,
            request,
            declaration_version: INTAKE_DECLARATION_VERSION,
            language,
            decision_period_days,
            now,
            channel,
            actor: &actor,
        },
        compose_receipt,
    )
    .await?;
    if let Submission::Submitted { id, .. } = &submission {
        let mut tx = db.begin_write().await?;
        sqlx::query("UPDATE support_requests SET intake_staff_id = $1 WHERE id = $2")
            .bind(staff_id)
            .bind(*id)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry {
            staff_id,
            action: action::INTAKE,
            beneficiary_id: Some(beneficiary_id),
            request_id: Some(*id),
            reason: channel.code(),
        };
        record_in(&mut tx, db.keys()?, entry, now).await?;
        tx.commit().await?;
    }
    Ok(submission)
}

// ---------------------------------------------------------------------------
// The workflow's steps (A10–A14)
// ---------------------------------------------------------------------------

const OUTCOME_VERIFIED: &str = "verified";
const OUTCOME_MISSING_INFORMATION: &str = "missing_information";

/// What a step needs to know of the request before it moves it.
struct CaseState {
    status: RequestStatus,
    beneficiary_id: i64,
    recipient: NoticeRecipient,
}

async fn case_state(
    connection: &mut AnyConnection,
    keys: &crate::crypto::Keyring,
    request_id: i64,
) -> StorageResult<CaseState> {
    let row = sqlx::query(
        "SELECT status, beneficiary_id, reference, mobile, email, consent_sms, consent_email, language \
         FROM support_requests WHERE id = $1",
    )
    .bind(request_id)
    .fetch_optional(&mut *connection)
    .await?;
    let Some(row) = row else { return Err(StorageError::Invalid(format!("no request {request_id}"))) };
    let language: String = row.try_get("language")?;
    Ok(CaseState {
        status: status_of(&row.try_get::<String, _>("status")?)?,
        beneficiary_id: row.try_get("beneficiary_id")?,
        recipient: NoticeRecipient {
            reference: row.try_get("reference")?,
            mobile: keys.decrypt_text(crate::crypto::REQUEST_MOBILE, &row.try_get::<String, _>("mobile")?)?,
            email: keys.decrypt_optional(crate::crypto::EMAIL, row.try_get("email")?)?,
            consent_sms: row.try_get::<i64, _>("consent_sms")? != 0,
            consent_email: row.try_get::<i64, _>("consent_email")? != 0,
            language: Language::from_tag(&language).unwrap_or(Language::Arabic),
        },
    })
}

fn audit_entry<'a>(
    staff_id: i64,
    action: &'a str,
    state: &CaseState,
    request_id: i64,
    reason: &'a str,
) -> AuditEntry<'a> {
    AuditEntry { staff_id, action, beneficiary_id: Some(state.beneficiary_id), request_id: Some(request_id), reason }
}

/// Moves the request inside `tx` (checked, with its timeline entry and notice)
/// and appends the audit entry `from->to`. On a refusal nothing is written.
#[expect(clippy::too_many_arguments, reason = "one step of the workflow writes all of these in one transaction")]
async fn move_request(
    tx: &mut AnyConnection,
    keys: &crate::crypto::Keyring,
    request_id: i64,
    staff_id: i64,
    to: RequestStatus,
    reason: &str,
    audit_action: &str,
    now: i64,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    let state = case_state(&mut *tx, keys, request_id).await?;
    let actor = staff::actor(staff_id);
    let from =
        match requests::change_status_in(&mut *tx, keys, request_id, to, reason, &actor, now, compose_notice).await? {
            Ok(from) => from,
            Err(refusal) => return Ok(Err(refusal)),
        };
    let change = format!("{}->{}", from.code(), to.code());
    record_in(&mut *tx, keys, audit_entry(staff_id, audit_action, &state, request_id, &change), now).await?;
    Ok(Ok(()))
}

/// Asks the beneficiary for what is missing: the request's list of things asked for.
async fn ask_for(tx: &mut AnyConnection, request_id: i64, staff_id: i64, message: &str, now: i64) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO document_requests (request_id, description, requested_by, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(request_id)
    .bind(message.trim())
    .bind(staff::actor(staff_id))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Submitted (or back with the missing information) → under verification.
pub async fn start_verification(
    db: &Database,
    request_id: i64,
    staff_id: i64,
    now: i64,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    let mut tx = db.begin_write().await?;
    let to = RequestStatus::UnderVerification;
    if let Err(refusal) =
        move_request(&mut tx, db.keys()?, request_id, staff_id, to, "", action::START_VERIFICATION, now, compose_notice)
            .await?
    {
        return Ok(Err(refusal));
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// Records a verification (A10). Verified: the request is referred to research
/// (A11), which needs `referral` = (note, researcher); the researcher, if named,
/// becomes the assignee. Something missing: the beneficiary is told what (the
/// message is the timeline's reason and an item of the request's "asked for" list).
///
/// A verified outcome without a referral note is refused with
/// [`TransitionError::ReasonRequired`].
pub async fn record_verification(
    db: &Database,
    request_id: i64,
    staff_id: i64,
    outcome: &VerificationOutcome,
    referral: Option<(&str, Option<i64>)>,
    now: i64,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    let (reason, note, message, unticked, result): (&str, &str, &str, &[ChecklistItem], &str) = match outcome {
        VerificationOutcome::Verified { note } => ("", note, "", &[], OUTCOME_VERIFIED),
        VerificationOutcome::MissingInformation { unticked, message, note } => {
            (message, note, message, unticked, OUTCOME_MISSING_INFORMATION)
        }
    };
    let referral = match (outcome, referral) {
        (VerificationOutcome::Verified { .. }, Some((note, researcher))) if !note.trim().is_empty() => {
            Some((note.trim(), researcher))
        }
        (VerificationOutcome::Verified { .. }, _) => return Ok(Err(TransitionError::ReasonRequired)),
        (VerificationOutcome::MissingInformation { .. }, _) => None,
    };
    let mut tx = db.begin_write().await?;
    let to = outcome.next_status();
    if let Err(refusal) =
        move_request(&mut tx, db.keys()?, request_id, staff_id, to, reason, action::VERIFY, now, compose_notice).await?
    {
        return Ok(Err(refusal));
    }
    let ticked = |item: ChecklistItem| i64::from(!unticked.contains(&item));
    sqlx::query(
        "INSERT INTO request_verifications (request_id, items_provided, data_matches_documents, \
           documents_valid_on_submission, note, message, outcome, staff_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(request_id)
    .bind(ticked(ChecklistItem::ItemsProvided))
    .bind(ticked(ChecklistItem::DataMatchesDocuments))
    .bind(ticked(ChecklistItem::DocumentsValidOnSubmission))
    .bind(note)
    .bind(message)
    .bind(result)
    .bind(staff_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    match referral {
        Some((note, researcher)) => {
            sqlx::query(
                "INSERT INTO request_referrals (request_id, researcher_id, note, staff_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(request_id)
            .bind(researcher)
            .bind(note)
            .bind(staff_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if let Some(researcher) = researcher {
                sqlx::query("UPDATE support_requests SET assignee_id = $1 WHERE id = $2")
                    .bind(researcher)
                    .bind(request_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        None => ask_for(&mut tx, request_id, staff_id, message, now).await?,
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// Records the social study (A7, A11): the request goes to the committee, or
/// back to the beneficiary when the study needs more (the message is what they read).
pub async fn record_study(
    db: &Database,
    request_id: i64,
    staff_id: i64,
    study: &ResearchStudy,
    now: i64,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    let to = study.next_status();
    let asks = to == RequestStatus::MissingInformation;
    let message = study.message.as_deref().unwrap_or_default();
    let reason = if asks { message } else { "" };
    let mut tx = db.begin_write().await?;
    if let Err(refusal) =
        move_request(&mut tx, db.keys()?, request_id, staff_id, to, reason, action::STUDY, now, compose_notice).await?
    {
        return Ok(Err(refusal));
    }
    sqlx::query(
        "INSERT INTO research_studies (request_id, method, findings, recommendation, message, staff_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(request_id)
    .bind(study.method.code())
    .bind(&study.findings)
    .bind(study.recommendation.code())
    .bind(message.trim())
    .bind(staff_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if asks {
        ask_for(&mut tx, request_id, staff_id, message, now).await?;
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// Records the committee's decision (A13). An acceptance or rejection stamps the
/// request (decided_at, decided_by; the support granted on acceptance); asking
/// for more sends it back to the beneficiary with the message.
pub async fn record_decision(
    db: &Database,
    request_id: i64,
    staff_id: i64,
    decision: &Decision,
    now: i64,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    let (kind, reason, support) = match decision {
        Decision::Accepted { support } => (DecisionKind::Accept, "", Some(support.as_str())),
        Decision::Rejected { reason } => (DecisionKind::Reject, reason.as_str(), None),
        Decision::MoreInformation { message } => (DecisionKind::MoreInformation, message.as_str(), None),
    };
    let mut tx = db.begin_write().await?;
    if let Err(refusal) = move_request(
        &mut tx,
        db.keys()?,
        request_id,
        staff_id,
        decision.status(),
        reason,
        action::DECIDE,
        now,
        compose_notice,
    )
    .await?
    {
        return Ok(Err(refusal));
    }
    sqlx::query(
        "INSERT INTO committee_decisions (request_id, decision, reason, support_granted, staff_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(request_id)
    .bind(kind.code())
    .bind(reason.trim())
    .bind(support)
    .bind(staff_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    match kind {
        DecisionKind::Accept | DecisionKind::Reject => {
            sqlx::query(
                "UPDATE support_requests SET decided_at = $1, decided_by = $2, support_granted = $3 WHERE id = $4",
            )
            .bind(now)
            .bind(staff_id)
            .bind(support)
            .bind(request_id)
            .execute(&mut *tx)
            .await?;
        }
        DecisionKind::MoreInformation => ask_for(&mut tx, request_id, staff_id, reason, now).await?,
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// Completes the registration of an accepted request (A14): the beneficiary's
/// file is opened and numbered (`BEN-<year>-<request id>`, the year of
/// registration in Saudi time). Returns the file number.
pub async fn complete_registration(
    db: &Database,
    request_id: i64,
    staff_id: i64,
    now: i64,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<String, TransitionError>> {
    let mut tx = db.begin_write().await?;
    let to = RequestStatus::RegistrationCompleted;
    if let Err(refusal) =
        move_request(&mut tx, db.keys()?, request_id, staff_id, to, "", action::REGISTER, now, compose_notice).await?
    {
        return Ok(Err(refusal));
    }
    let file_number = workflow::file_number(DualDate::from_unix_seconds(now).gregorian.year, request_id);
    sqlx::query("UPDATE support_requests SET file_number = $1, registered_at = $2 WHERE id = $3")
        .bind(&file_number)
        .bind(now)
        .bind(request_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Ok(file_number))
}

/// Records a service delivered (A14). The first one moves a registered request
/// to "service delivered"; later ones are added to it without a change of state
/// (but still with a notice and an audit entry). Any other state is refused.
/// When the committee decided a request: `None` for an unknown request,
/// `Some(None)` while undecided. Bounds the date of a service delivered.
pub async fn decided_at(db: &Database, request_id: i64) -> StorageResult<Option<Option<i64>>> {
    Ok(sqlx::query_scalar("SELECT decided_at FROM support_requests WHERE id = $1")
        .bind(request_id)
        .fetch_optional(db.pool())
        .await?)
}

pub async fn record_service(
    db: &Database,
    request_id: i64,
    staff_id: i64,
    service: &ServiceDelivery,
    now: i64,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
    compose_invitation: impl FnOnce(&NoticeRecipient, &crate::surveys::NewInvitation) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    let to = RequestStatus::ServiceDelivered;
    let mut tx = db.begin_write().await?;
    let state = case_state(&mut tx, db.keys()?, request_id).await?;
    if state.status == to {
        let touched = sqlx::query("UPDATE support_requests SET updated_at = $1 WHERE id = $2 AND status = $3")
            .bind(now)
            .bind(request_id)
            .bind(to.code())
            .execute(&mut *tx)
            .await?;
        if touched.rows_affected() != 1 {
            return Ok(Err(TransitionError::NotAllowed { from: state.status, to }));
        }
        enqueue_in(&mut tx, db.keys()?, &compose_notice(&state.recipient), now).await?;
        let change = format!("{}->{}", to.code(), to.code());
        record_in(&mut tx, db.keys()?, audit_entry(staff_id, action::SERVICE, &state, request_id, &change), now)
            .await?;
    } else if let Err(refusal) =
        move_request(&mut tx, db.keys()?, request_id, staff_id, to, "", action::SERVICE, now, compose_notice).await?
    {
        return Ok(Err(refusal));
    }
    sqlx::query(
        "INSERT INTO services_delivered (request_id, what, quantity, unit, delivered_on, staff_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(request_id)
    .bind(&service.what)
    .bind(i64::try_from(service.quantity).unwrap_or(i64::MAX))
    .bind(&service.unit)
    .bind(day_text(service.delivered_on))
    .bind(staff_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // Evaluating the service is the beneficiary's right (C1): the invitation
    // goes out with the service, in the same transaction.
    let row = sqlx::query(
        "SELECT r.channel, k.code FROM support_requests r JOIN support_kinds k ON k.id = r.support_kind_id WHERE r.id = $1",
    )
    .bind(request_id)
    .fetch_one(&mut *tx)
    .await?;
    let subject = crate::surveys::InvitationSubject {
        beneficiary_id: Some(state.beneficiary_id),
        request_id: Some(request_id),
        inquiry_id: None,
        channel: row.try_get("channel")?,
        service_kind: row.try_get("code")?,
        staff_id: Some(staff_id),
    };
    let recipient = state.recipient.clone();
    crate::surveys::invite_in(
        &mut tx,
        db.keys()?,
        awn_domain::surveys::SurveyAudience::AfterService,
        &subject,
        now,
        |invitation| compose_invitation(&recipient, invitation),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Closes a request (withdrawn, duplicate or finished); `reason` is what the
/// beneficiary reads and may be empty.
pub async fn close(
    db: &Database,
    request_id: i64,
    staff_id: i64,
    reason: &str,
    now: i64,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<Result<(), TransitionError>> {
    let mut tx = db.begin_write().await?;
    let to = RequestStatus::Closed;
    if let Err(refusal) =
        move_request(&mut tx, db.keys()?, request_id, staff_id, to, reason, action::CLOSE, now, compose_notice).await?
    {
        return Ok(Err(refusal));
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// Gives the request to a staff member (or to nobody), with an audit entry.
/// [`StorageError::Invalid`] for an unknown request or an unknown or inactive assignee.
pub async fn assign(
    db: &Database,
    request_id: i64,
    assignee_id: Option<i64>,
    by_staff: i64,
    now: i64,
) -> StorageResult<()> {
    let mut tx = db.begin_write().await?;
    let state = case_state(&mut tx, db.keys()?, request_id).await?;
    if let Some(assignee) = assignee_id {
        let active: Option<i64> = sqlx::query_scalar("SELECT id FROM staff_accounts WHERE id = $1 AND active = 1")
            .bind(assignee)
            .fetch_optional(&mut *tx)
            .await?;
        if active.is_none() {
            return Err(StorageError::Invalid(format!("no active staff account {assignee}")));
        }
    }
    sqlx::query("UPDATE support_requests SET assignee_id = $1 WHERE id = $2")
        .bind(assignee_id)
        .bind(request_id)
        .execute(&mut *tx)
        .await?;
    let reason = match assignee_id {
        Some(assignee) => format!("assignee:{assignee}"),
        None => "unassigned".to_owned(),
    };
    record_in(&mut tx, db.keys()?, audit_entry(by_staff, action::ASSIGN, &state, request_id, &reason), now).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes to the beneficiary about their request (A3): the message joins the
/// request's conversation as `staff:<id>` and the notice is queued, in one
/// transaction. [`StorageError::Invalid`] for an unknown request or a blank body.
pub async fn staff_message(
    db: &Database,
    request_id: i64,
    staff_id: i64,
    body: &str,
    now: i64,
    compose_notice: impl FnOnce(&NoticeRecipient) -> Vec<NewOutboxMessage>,
) -> StorageResult<()> {
    let body = body.trim();
    if body.is_empty() {
        return Err(StorageError::Invalid("an empty message".into()));
    }
    let mut tx = db.begin_write().await?;
    let state = case_state(&mut tx, db.keys()?, request_id).await?;
    sqlx::query("INSERT INTO request_messages (request_id, author, body, created_at) VALUES ($1, $2, $3, $4)")
        .bind(request_id)
        .bind(staff::actor(staff_id))
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE support_requests SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(request_id)
        .execute(&mut *tx)
        .await?;
    enqueue_in(&mut tx, db.keys()?, &compose_notice(&state.recipient), now).await?;
    record_in(&mut tx, db.keys()?, audit_entry(staff_id, action::MESSAGE, &state, request_id, ""), now).await?;
    tx.commit().await?;
    Ok(())
}
