//! Consents staff record (B7): a consent to share a beneficiary's data with a
//! named party, given on a signed form that staff upload (PDF or image).

use awn_domain::{
    documents::{display_file_name, sniff},
    workflow::MAX_SHORT_TEXT_CHARS,
};
use awn_storage::{
    StorageError,
    consent::{self, SignedForm},
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
