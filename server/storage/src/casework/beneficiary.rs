//! A beneficiary as staff see them: their account, requests and services.

use awn_domain::{channels::Channel, locale::Language, requests::RequestStatus};
use sqlx::Row;

use super::{ServiceRecord, case_file::services, channel_of, status_of};
use crate::{Database, StorageResult};

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
