//! The reference library (A9): the association's bylaws, guides, forms,
//! policies and regulations, each with every version uploaded. Staff read the
//! current version and its history; admins add documents and versions.

use awn_domain::{
    documents::{display_file_name, sniff},
    library::LibraryCategory,
    workflow::{MAX_NOTE_CHARS, MAX_SHORT_TEXT_CHARS},
};
use awn_storage::{
    Database,
    library::{self, LibraryDocument, LibraryProblem, LibraryVersion, NewLibraryVersion},
    now_unix_seconds, secrets,
};

use super::{
    Outcome, Refused,
    access::{Authorized, can},
};
use crate::{
    error::AppError,
    forms::{Problem, checked_text},
    staff::library::{DocumentItem, DocumentPage, VersionItem},
    state::AppContext,
};

fn version_item(v: LibraryVersion) -> VersionItem {
    VersionItem {
        id: v.id,
        label: v.version_label,
        file_name: v.file_name,
        size_bytes: v.size_bytes,
        change_note: v.change_note,
        uploaded_by: v.uploaded_by_name,
        created_at: v.created_at,
    }
}

fn document_item(d: LibraryDocument) -> DocumentItem {
    DocumentItem {
        id: d.id,
        category: d.category,
        title: d.title,
        current: d.current.map(version_item),
        version_count: d.version_count,
    }
}

/// The documents whose title matches `query` (all of them for an empty one).
pub async fn documents(
    database: &Database,
    _who: &Authorized<can::ViewLibrary>,
    query: &str,
) -> Result<Vec<DocumentItem>, AppError> {
    Ok(library::list(database, query).await?.into_iter().map(document_item).collect())
}

/// One document with its versions, newest first (the page's problem is the
/// adapter's). An unknown document is `NotFound`.
pub async fn document(
    database: &Database,
    _who: &Authorized<can::ViewLibrary>,
    id: i64,
) -> Result<DocumentPage, AppError> {
    let document = library::document(database, id).await?.ok_or(AppError::NotFound)?;
    let versions = library::history(database, id).await?.into_iter().map(version_item).collect();
    Ok(DocumentPage { document: document_item(document), versions, problem: None })
}

/// Adds a document (no version yet) under a category: its id.
pub async fn create_document(
    database: &Database,
    _who: &Authorized<can::ManageLibrary>,
    category: Option<&str>,
    title: Option<&str>,
) -> Result<Result<i64, Refused>, AppError> {
    let Some(category) = category.and_then(LibraryCategory::from_code) else {
        return Ok(Err(Refused::new("category", Problem::Required)));
    };
    let title = match checked_text("", "title", title, MAX_SHORT_TEXT_CHARS, true) {
        Ok(text) => text,
        Err(problem) => return Ok(Err(problem.into())),
    };
    Ok(Ok(library::create_document(database, category, &title, now_unix_seconds()).await?))
}

/// A new version's file and what was typed with it.
#[derive(Debug, Clone, Copy)]
pub struct NewVersion<'a> {
    /// The name the file had on the uploader's device.
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub version_label: &'a str,
    pub change_note: &'a str,
}

/// Stores and records a new version of `document`: a PDF, image or office file
/// (by its content), a label unique to the document, a short change note. A
/// refused version's bytes are not kept. An unknown document is `NotFound`.
pub async fn upload_version(
    context: &AppContext,
    who: &Authorized<can::ManageLibrary>,
    document: i64,
    upload: NewVersion<'_>,
) -> Result<Outcome, AppError> {
    let change_note = upload.change_note.trim();
    if change_note.chars().count() > MAX_NOTE_CHARS {
        return Ok(Err(Refused::new("change_note", Problem::TooLong)));
    }
    let Some(kind) = sniff(upload.bytes) else {
        return Ok(Err(Refused::new("file", Problem::FileWrongType)));
    };
    let key = secrets::new_token();
    if let Err(error) = context.documents.put(&key, upload.bytes).await {
        tracing::error!(%error, "document store");
        return Err(AppError::Unavailable);
    }
    let file_name = display_file_name(upload.file_name, kind);
    let version = NewLibraryVersion {
        version_label: upload.version_label,
        storage_key: &key,
        file_name: &file_name,
        content_type: kind.mime(),
        size_bytes: upload.bytes.len() as i64,
        change_note,
        uploaded_by: who.id,
    };
    let added = library::add_version(&context.database, document, version, now_unix_seconds()).await;
    let refused = match added {
        Ok(Ok(_)) => return Ok(Ok(())),
        Ok(Err(LibraryProblem::DocumentNotFound)) => Err(AppError::NotFound),
        Ok(Err(LibraryProblem::VersionLabelRequired)) => Ok(Err(Refused::new("version_label", Problem::Required))),
        Ok(Err(LibraryProblem::VersionLabelTooLong)) => Ok(Err(Refused::new("version_label", Problem::TooLong))),
        Ok(Err(LibraryProblem::VersionExists)) => Ok(Err(Refused::new("version_label", Problem::Duplicate))),
        Err(error) => {
            tracing::error!(%error, "recording a library version");
            Err(AppError::Unavailable)
        }
    };
    // Refused: the bytes are not kept.
    let _ = context.documents.delete(&key).await;
    refused
}

/// A stored file on its way to the browser.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub bytes: Vec<u8>,
    pub content_type: String,
    pub file_name: String,
}

/// One version's file. An unknown version is `NotFound`.
pub async fn version_file(
    context: &AppContext,
    _who: &Authorized<can::ViewLibrary>,
    version: i64,
) -> Result<StoredFile, AppError> {
    let version = library::version(&context.database, version).await?.ok_or(AppError::NotFound)?;
    match context.documents.get(&version.storage_key).await {
        Ok(bytes) => Ok(StoredFile { bytes, content_type: version.content_type, file_name: version.file_name }),
        Err(error) => {
            tracing::error!(%error, "document store read");
            Err(AppError::Unavailable)
        }
    }
}
