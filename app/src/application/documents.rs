//! A beneficiary's own documents: adding one to the request being written or to
//! a submitted request (the count is capped, except for a document staff asked
//! for), and reading one back. The type is judged by the file's content.

use awn_domain::documents::{MAX_DOCUMENTS_PER_REQUEST, display_file_name, sniff};
use awn_storage::{
    documents::{self, NewDocument, StoredDocument},
    now_unix_seconds, requests, secrets,
};

use crate::{error::AppError, state::AppContext};

/// Why a document was not added; nothing was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentRefusal {
    /// As many documents as a request may hold.
    TooMany,
    /// Not one of the accepted kinds (by its content).
    WrongType,
    /// It could not be stored.
    Failed,
}

/// A file as the beneficiary sent it.
pub struct SentFile<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    /// The document staff asked for that this file answers, if any.
    pub asked: Option<i64>,
}

/// Whether the request being written may take one more document.
pub async fn draft_has_room(context: &AppContext, beneficiary_id: i64) -> Result<bool, DocumentRefusal> {
    let held = documents::of_draft(&context.database, beneficiary_id).await.map_err(|_| DocumentRefusal::Failed)?;
    Ok(held.len() < MAX_DOCUMENTS_PER_REQUEST)
}

/// A document for the request being written (it answers no request of staff).
pub async fn add_to_draft(
    context: &AppContext,
    beneficiary_id: i64,
    file: SentFile<'_>,
) -> Result<(), DocumentRefusal> {
    store(context, beneficiary_id, None, SentFile { asked: None, ..file }).await
}

/// Whether `request_id` is this beneficiary's; anyone else's is not found.
pub async fn own_request(context: &AppContext, beneficiary_id: i64, request_id: i64) -> Result<(), AppError> {
    if requests::belongs_to(&context.database, request_id, beneficiary_id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// A document for a submitted request of this beneficiary's ([`own_request`]
/// checked first). A document staff asked for is always accepted; extra ones
/// are capped. An `asked` id counts only if it is this request's and still
/// waiting: any other (another request's, or one already answered) would lift
/// the cap.
pub async fn add_to_request(
    context: &AppContext,
    beneficiary_id: i64,
    request_id: i64,
    file: SentFile<'_>,
) -> Result<(), DocumentRefusal> {
    let database = &context.database;
    let held = documents::of_request(database, request_id).await.map_err(|_| DocumentRefusal::Failed)?.len();
    let answers_asked = match file.asked {
        Some(asked) => documents::is_waiting_document_request(database, request_id, asked)
            .await
            .map_err(|_| DocumentRefusal::Failed)?,
        None => false,
    };
    if !answers_asked && held >= MAX_DOCUMENTS_PER_REQUEST {
        return Err(DocumentRefusal::TooMany);
    }
    let asked = if answers_asked { file.asked } else { None };
    store(context, beneficiary_id, Some(request_id), SentFile { asked, ..file }).await
}

/// Stores the bytes and records the document; the bytes are not kept if the
/// record fails.
async fn store(
    context: &AppContext,
    beneficiary_id: i64,
    request_id: Option<i64>,
    file: SentFile<'_>,
) -> Result<(), DocumentRefusal> {
    let kind = sniff(file.bytes).ok_or(DocumentRefusal::WrongType)?;
    let key = secrets::new_token();
    context.documents.put(&key, file.bytes).await.map_err(|error| {
        tracing::error!(%error, "document store");
        DocumentRefusal::Failed
    })?;
    let file_name = display_file_name(file.file_name, kind);
    let recorded = documents::record(
        &context.database,
        NewDocument {
            beneficiary_id,
            request_id,
            document_request_id: file.asked,
            storage_key: &key,
            file_name: &file_name,
            content_type: kind.mime(),
            size_bytes: file.bytes.len() as i64,
            now: now_unix_seconds(),
        },
    )
    .await;
    if let Err(error) = recorded {
        tracing::error!(%error, "recording a document");
        let _ = context.documents.delete(&key).await;
        return Err(DocumentRefusal::Failed);
    }
    Ok(())
}

/// The beneficiary's own document and its bytes; anyone else's is not found.
pub async fn own_document(
    context: &AppContext,
    beneficiary_id: i64,
    document_id: i64,
) -> Result<(StoredDocument, Vec<u8>), AppError> {
    let document =
        documents::owned_by(&context.database, document_id, beneficiary_id).await?.ok_or(AppError::NotFound)?;
    let bytes = context.documents.get(&document.storage_key).await.map_err(|error| {
        tracing::error!(%error, "document store read");
        AppError::Unavailable
    })?;
    Ok((document, bytes))
}
