//! Consents staff record (B7): a consent to share a beneficiary's data with a
//! named party, given on a signed form that staff upload (PDF or image); and
//! a supporter's or volunteer's consent to news (B9), as they told staff.

use awn_domain::{
    consent::ConsentKind,
    documents::{display_file_name, sniff},
    workflow::MAX_SHORT_TEXT_CHARS,
};
use awn_storage::{
    StorageError,
    consent::{self, ConsentChange, ConsentHolder, SignedForm},
    now_unix_seconds, secrets,
};

use super::{
    Outcome, Refused,
    access::{Authorized, can},
};
use crate::{
    error::AppError,
    forms::{Problem, checked_text},
    state::AppContext,
};

/// The signed form's file and the party it names.
#[derive(Debug, Clone, Copy)]
pub struct SignedSharing<'a> {
    pub party: &'a str,
    /// The name the file had on the uploader's device.
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// Stores the signed form and records the consent to share with its party; a
/// refused consent's bytes are not kept. An unknown beneficiary is `NotFound`.
pub async fn record_signed_sharing(
    context: &AppContext,
    who: &Authorized<can::RecordConsent>,
    beneficiary: i64,
    signed: SignedSharing<'_>,
) -> Result<Outcome, AppError> {
    let party = match checked_text("", "party", Some(signed.party), MAX_SHORT_TEXT_CHARS, true) {
        Ok(party) => party,
        Err(problem) => return Ok(Err(problem.into())),
    };
    let Some(kind) = sniff(signed.bytes) else {
        return Ok(Err(Refused::new("file", Problem::FileWrongType)));
    };
    let key = secrets::new_token();
    if let Err(error) = context.documents.put(&key, signed.bytes).await {
        tracing::error!(%error, "document store");
        return Err(AppError::Unavailable);
    }
    let file_name = display_file_name(signed.file_name, kind);
    let form = SignedForm {
        storage_key: &key,
        file_name: &file_name,
        content_type: kind.mime(),
        size_bytes: signed.bytes.len() as i64,
    };
    let recorded =
        consent::record_signed_sharing(&context.database, beneficiary, &party, who.id, form, now_unix_seconds()).await;
    if let Ok(Ok(_)) = recorded {
        return Ok(Ok(()));
    }
    // Refused or failed: the bytes are not kept.
    let _ = context.documents.delete(&key).await;
    match recorded {
        Err(StorageError::NotFound(_)) => Err(AppError::NotFound),
        Err(error) => {
            tracing::error!(%error, "recording a sharing consent");
            Err(AppError::Unavailable)
        }
        Ok(_) => Ok(Err(Refused::new("party", Problem::Required))),
    }
}

/// Staff record a supporter's consent to news (B9), given or withdrawn, as
/// the supporter told them: `kind` is `news_sms` or `news_email`, `choice`
/// `granted` or `withdrawn`. A withdrawal cancels their queued news at once.
pub async fn record_supporter_news(
    context: &AppContext,
    who: &Authorized<can::ManageSupporters>,
    supporter: i64,
    kind: &str,
    choice: &str,
) -> Result<Outcome, AppError> {
    record_news(context, who.id, ConsentHolder::Supporter(supporter), kind, choice).await
}

/// Staff record a volunteer's consent to news (B9), as for a supporter.
pub async fn record_volunteer_news(
    context: &AppContext,
    who: &Authorized<can::ManageVolunteers>,
    volunteer: i64,
    kind: &str,
    choice: &str,
) -> Result<Outcome, AppError> {
    record_news(context, who.id, ConsentHolder::Volunteer(volunteer), kind, choice).await
}

async fn record_news(
    context: &AppContext,
    staff_id: i64,
    holder: ConsentHolder,
    kind: &str,
    choice: &str,
) -> Result<Outcome, AppError> {
    let kind = match ConsentKind::from_code(kind.trim()) {
        Some(kind @ (ConsentKind::NewsBySms | ConsentKind::NewsByEmail)) => kind,
        _ => return Ok(Err(Refused::new("kind", Problem::Required))),
    };
    let granted = match choice.trim() {
        "granted" => true,
        "withdrawn" => false,
        _ => return Ok(Err(Refused::new("choice", Problem::Required))),
    };
    let change = ConsentChange {
        holder,
        kind,
        party: "",
        granted,
        method: consent::BY_STAFF_ON_REQUEST,
        document_id: None,
        recorded_by: Some(staff_id),
    };
    match consent::change(&context.database, change, now_unix_seconds()).await {
        Ok(Ok(())) => Ok(Ok(())),
        Ok(Err(_)) => Ok(Err(Refused::new("kind", Problem::Invalid))),
        Err(StorageError::NotFound(_)) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}
