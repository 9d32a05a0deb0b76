//! The case file: everything staff see of one request, with the record of each
//! step taken on it.

use awn_domain::{
    calendar::CalendarDay,
    channels::Channel,
    ids::{BeneficiaryId, RequestId, StaffId},
    locale::Language,
    requests::{Housing, RequestStatus},
    workflow::{self, DecisionKind, Recommendation, StudyMethod},
};
use sqlx::Row;

use super::{OUTCOME_VERIFIED, channel_of, invalid_code, status_of};
use crate::{
    Database, StorageResult,
    documents::DocumentInfo,
    requests::{DocumentRequest, RequestMessage, TimelineEntry},
};

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
    pub id: RequestId,
    pub reference: String,
    pub beneficiary_id: BeneficiaryId,
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
    pub decided_by: Option<StaffId>,
    pub support_granted: Option<String>,
    pub assignee_id: Option<StaffId>,
    pub assignee_name: Option<String>,
    /// The staff member who recorded the request, when it came by another channel.
    pub intake_staff_id: Option<StaffId>,
    /// Another account's open request for the same national ID: (id, reference).
    pub possible_duplicate_of: Option<(RequestId, String)>,
    /// The household's members besides the applicant (issue 15).
    pub household: Vec<crate::households::MemberRecord>,
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
pub async fn case_file(db: &Database, request_id: RequestId) -> StorageResult<Option<CaseFile>> {
    let request_id = request_id.get();
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
        id: RequestId::new(row.try_get("id")?),
        reference: row.try_get("reference")?,
        beneficiary_id: BeneficiaryId::new(row.try_get("beneficiary_id")?),
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
        decided_by: row.try_get::<Option<i64>, _>("decided_by")?.map(StaffId::new),
        support_granted: row.try_get("support_granted")?,
        assignee_id: row.try_get::<Option<i64>, _>("assignee_id")?.map(StaffId::new),
        assignee_name: row.try_get("assignee_name")?,
        intake_staff_id: row.try_get::<Option<i64>, _>("intake_staff_id")?.map(StaffId::new),
        possible_duplicate_of: match (row.try_get("duplicate_id")?, row.try_get("duplicate_reference")?) {
            (Some(id), Some(reference)) => Some((RequestId::new(id), reference)),
            _ => None,
        },
        household: crate::households::of_request(db, RequestId::new(request_id)).await?,
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
pub(super) async fn services(db: &Database, condition: &str, id: i64) -> StorageResult<Vec<ServiceRecord>> {
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
