//! Publishing the privacy policy (B5): a new version takes over at once, every
//! earlier one stays readable, and every staff account must accept the new
//! version before it sees personal data again. Each publication is audited.

use awn_storage::{
    Database, StorageError,
    audit::{self, AuditEntry},
    now_unix_seconds,
    privacy_policy::{self, NewPolicyVersion},
};

use super::{
    Outcome, Refused, StepUp,
    access::{Authorized, can},
};
use crate::{error::AppError, forms::Problem, staff::account::CONFIRM_PASSWORD, staff::policy::PolicyPage};

/// Every version published, newest first, with the texts in force to start the
/// next one from (the page's problem is the adapter's).
pub async fn versions(
    database: &Database,
    _who: &Authorized<can::PublishPrivacyPolicy>,
) -> Result<PolicyPage, AppError> {
    let mut all = privacy_policy::all(database).await?;
    all.sort_by_key(|v| std::cmp::Reverse((v.published_at, v.id)));
    let (current_ar, current_en) = all.first().map(|v| (v.body_ar.clone(), v.body_en.clone())).unwrap_or_default();
    Ok(PolicyPage {
        versions: all.into_iter().map(|v| (v.version, v.published_at)).collect(),
        current_ar,
        current_en,
        problem: None,
    })
}

/// A new version as typed: its label and its two texts.
#[derive(Debug, Clone, Copy)]
pub struct TypedVersion<'a> {
    pub version: Option<&'a str>,
    pub body_ar: Option<&'a str>,
    pub body_en: Option<&'a str>,
}

/// Publishes a new version, after the step-up (it locks every account out of
/// personal data until accepted), and audits it. A label that is not valid or
/// already used is refused.
pub async fn publish(
    database: &Database,
    who: &Authorized<can::PublishPrivacyPolicy>,
    typed: TypedVersion<'_>,
    step_up: impl StepUp,
) -> Result<Outcome, AppError> {
    for (field, text) in [("version", typed.version), ("body_ar", typed.body_ar), ("body_en", typed.body_en)] {
        if text.unwrap_or_default().trim().is_empty() {
            return Ok(Err(Refused::new(field, Problem::Required)));
        }
    }
    if let Some(problem) = step_up.await? {
        return Ok(Err(Refused::new(CONFIRM_PASSWORD, problem)));
    }
    let new = NewPolicyVersion {
        version: typed.version.unwrap_or_default(),
        body_ar: typed.body_ar.unwrap_or_default(),
        body_en: typed.body_en.unwrap_or_default(),
    };
    match privacy_policy::publish(database, new).await {
        Ok(policy) => {
            let reason = format!("policy:{}", policy.version);
            let entry = AuditEntry {
                staff_id: who.id,
                action: awn_domain::audit::AuditAction::PolicyPublish,
                beneficiary_id: None,
                request_id: None,
                reason: &reason,
            };
            audit::record(database, entry, now_unix_seconds()).await?;
            Ok(Ok(()))
        }
        Err(StorageError::Invalid(_)) => Ok(Err(Refused::new("version", Problem::Invalid))),
        Err(StorageError::Conflict(_)) => Ok(Err(Refused::new("version", Problem::Duplicate))),
        Err(error) => Err(error.into()),
    }
}

/// A published version of the policy as the public page shows it.
#[derive(Debug, Clone)]
pub struct ShownPolicy {
    pub shown: privacy_policy::PolicyVersion,
    /// The shown version is the one in force.
    pub is_current: bool,
    /// Every version, newest first.
    pub versions: Vec<crate::pages::privacy_policy::PolicyVersionSummary>,
}

/// The published version to show: `version` (by its label), else the one in
/// force. None published, or an unknown label, is `NotFound`.
pub async fn published(database: &Database, version: Option<&str>) -> Result<ShownPolicy, AppError> {
    let versions = privacy_policy::all(database).await?;
    let current = versions.first().ok_or(AppError::NotFound)?;
    let shown = match version {
        Some(label) => versions.iter().find(|v| v.version == label).ok_or(AppError::NotFound)?,
        None => current,
    };
    let is_current = shown.id == current.id;
    let summaries: Vec<_> = versions
        .iter()
        .map(|v| crate::pages::privacy_policy::PolicyVersionSummary {
            version: v.version.clone(),
            published_at: v.published_at,
        })
        .collect();
    Ok(ShownPolicy { shown: shown.clone(), is_current, versions: summaries })
}
