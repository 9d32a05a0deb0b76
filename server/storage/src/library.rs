//! The relations officer's reference library (A9): the association's bylaws,
//! the social research guide, the support policy guide, the support request
//! form, charity-work policies and official regulations. Each document keeps
//! every version uploaded; the newest is current. The bytes live in the
//! document store ([`crate::documents::SharedDocumentStore`]) under each
//! version's `storage_key`; only their records are here.

use awn_domain::{digits::normalize_digits, identity::clean_text, search, workflow::MAX_SHORT_TEXT_CHARS};
use sqlx::Row;

use crate::{Database, StorageError, StorageResult};

pub use awn_domain::library::LibraryCategory;

/// A version being added (its bytes are already in the document store).
#[derive(Debug, Clone)]
pub struct NewLibraryVersion<'a> {
    /// "2.0", "1446", "٢٠٢٦" …: digits are stored in ASCII; unique per document.
    pub version_label: &'a str,
    pub storage_key: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    /// What changed since the previous version.
    pub change_note: &'a str,
    /// The staff member who uploaded it.
    pub uploaded_by: i64,
}

/// A stored version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryVersion {
    pub id: i64,
    pub document_id: i64,
    pub version_label: String,
    pub storage_key: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub change_note: String,
    pub uploaded_by: i64,
    pub uploaded_by_name: String,
    pub created_at: i64,
}

/// A document with its current (newest) version, if it has one yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryDocument {
    pub id: i64,
    pub category: LibraryCategory,
    pub title: String,
    pub created_at: i64,
    pub current: Option<LibraryVersion>,
    pub version_count: i64,
}

/// Why a version was refused. Nothing is written on a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LibraryProblem {
    #[error("no such document")]
    DocumentNotFound,
    #[error("the version label is empty")]
    VersionLabelRequired,
    #[error("the version label is too long")]
    VersionLabelTooLong,
    #[error("this document already has a version with that label")]
    VersionExists,
}

/// The longest version label.
pub const MAX_VERSION_LABEL_CHARS: usize = 40;

/// Creates a document (without versions yet). [`StorageError::Invalid`] for an
/// empty or over-long title.
pub async fn create_document(db: &Database, category: LibraryCategory, title: &str, now: i64) -> StorageResult<i64> {
    let title = clean_text(title);
    if title.is_empty() {
        return Err(StorageError::Invalid("an empty title".into()));
    }
    if title.chars().count() > MAX_SHORT_TEXT_CHARS {
        return Err(StorageError::Invalid("a title that is too long".into()));
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO library_documents (category, title, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(category.code())
    .bind(title)
    .bind(now)
    .fetch_one(db.pool())
    .await?)
}

async fn label_taken(connection: &mut sqlx::AnyConnection, document_id: i64, label: &str) -> StorageResult<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM library_versions WHERE document_id = $1 AND version_label = $2")
            .bind(document_id)
            .bind(label)
            .fetch_optional(&mut *connection)
            .await?;
    Ok(found.is_some())
}

/// Adds a version, which becomes the document's current one. The label is
/// trimmed with its digits in ASCII ("١.١" is "1.1"). A storage key already
/// used is a [`StorageError::Conflict`] (keys are random; it is a bug).
pub async fn add_version(
    db: &Database,
    document_id: i64,
    new: NewLibraryVersion<'_>,
    now: i64,
) -> StorageResult<Result<i64, LibraryProblem>> {
    let label = clean_text(&normalize_digits(new.version_label));
    if label.is_empty() {
        return Ok(Err(LibraryProblem::VersionLabelRequired));
    }
    if label.chars().count() > MAX_VERSION_LABEL_CHARS {
        return Ok(Err(LibraryProblem::VersionLabelTooLong));
    }
    if new.storage_key.trim().is_empty() || new.size_bytes < 0 {
        return Err(StorageError::Invalid("a library file without a key or with a negative size".into()));
    }
    let mut connection = db.pool().acquire().await?;
    let document: Option<i64> = sqlx::query_scalar("SELECT id FROM library_documents WHERE id = $1")
        .bind(document_id)
        .fetch_optional(&mut *connection)
        .await?;
    if document.is_none() {
        return Ok(Err(LibraryProblem::DocumentNotFound));
    }
    if label_taken(&mut connection, document_id, &label).await? {
        return Ok(Err(LibraryProblem::VersionExists));
    }
    let inserted = sqlx::query_scalar(
        "INSERT INTO library_versions (document_id, version_label, storage_key, file_name, content_type, \
           size_bytes, change_note, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         RETURNING id",
    )
    .bind(document_id)
    .bind(&label)
    .bind(new.storage_key)
    .bind(clean_text(new.file_name))
    .bind(new.content_type)
    .bind(new.size_bytes)
    .bind(new.change_note.trim())
    .bind(new.uploaded_by)
    .bind(now)
    .fetch_one(&mut *connection)
    .await;
    match inserted {
        Ok(id) => Ok(Ok(id)),
        // Two uploads of the same label at once: the second one loses.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            if label_taken(&mut connection, document_id, &label).await? {
                Ok(Err(LibraryProblem::VersionExists))
            } else {
                Err(StorageError::Conflict("a library file with that storage key".into()))
            }
        }
        Err(e) => Err(e.into()),
    }
}

const VERSION_COLUMNS: &str = "v.id, v.document_id, v.version_label, v.storage_key, v.file_name, v.content_type, \
                               v.size_bytes, v.change_note, v.uploaded_by, s.display_name, v.created_at";

fn version_from_row(row: &sqlx::any::AnyRow) -> StorageResult<LibraryVersion> {
    Ok(LibraryVersion {
        id: row.try_get("id")?,
        document_id: row.try_get("document_id")?,
        version_label: row.try_get("version_label")?,
        storage_key: row.try_get("storage_key")?,
        file_name: row.try_get("file_name")?,
        content_type: row.try_get("content_type")?,
        size_bytes: row.try_get("size_bytes")?,
        change_note: row.try_get("change_note")?,
        uploaded_by: row.try_get("uploaded_by")?,
        uploaded_by_name: row.try_get("display_name")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Documents with their newest version (joined by id) and their number of versions.
const DOCUMENT_QUERY: &str = "SELECT d.id AS doc_id, d.category, d.title, d.created_at AS doc_created_at, \
       (SELECT COUNT(*) FROM library_versions c WHERE c.document_id = d.id) AS version_count, \
       v.id, v.document_id, v.version_label, v.storage_key, v.file_name, v.content_type, v.size_bytes, \
       v.change_note, v.uploaded_by, s.display_name, v.created_at \
     FROM library_documents d \
     LEFT JOIN library_versions v ON v.id = (SELECT x.id FROM library_versions x WHERE x.document_id = d.id \
       ORDER BY x.created_at DESC, x.id DESC LIMIT 1) \
     LEFT JOIN staff_accounts s ON s.id = v.uploaded_by";

fn document_from_row(row: &sqlx::any::AnyRow) -> StorageResult<LibraryDocument> {
    let category: String = row.try_get("category")?;
    let version_id: Option<i64> = row.try_get("id")?;
    Ok(LibraryDocument {
        id: row.try_get("doc_id")?,
        category: LibraryCategory::from_code(&category)
            .ok_or_else(|| StorageError::Invalid(format!("library category `{category}`")))?,
        title: row.try_get("title")?,
        created_at: row.try_get("doc_created_at")?,
        current: version_id.map(|_| version_from_row(row)).transpose()?,
        version_count: row.try_get("version_count")?,
    })
}

/// The documents whose title holds every word of `query` however spelled
/// (`awn_domain::search`), in the order of [`LibraryCategory::ALL`], then by
/// title (by code point). An empty query gives them all.
pub async fn list(db: &Database, query: &str) -> StorageResult<Vec<LibraryDocument>> {
    let rows = sqlx::query(DOCUMENT_QUERY).fetch_all(db.pool()).await?;
    let mut documents = Vec::new();
    for row in &rows {
        let document = document_from_row(row)?;
        if search::matches(query, &document.title) {
            documents.push(document);
        }
    }
    // Sorted here, not in SQL, so both engines give the same order whatever their collation.
    documents.sort_by(|a, b| (a.category.position(), &a.title, a.id).cmp(&(b.category.position(), &b.title, b.id)));
    Ok(documents)
}

/// One document with its current version.
pub async fn document(db: &Database, document_id: i64) -> StorageResult<Option<LibraryDocument>> {
    let row =
        sqlx::query(&format!("{DOCUMENT_QUERY} WHERE d.id = $1")).bind(document_id).fetch_optional(db.pool()).await?;
    row.as_ref().map(document_from_row).transpose()
}

/// Every version of a document, newest first.
pub async fn history(db: &Database, document_id: i64) -> StorageResult<Vec<LibraryVersion>> {
    let rows = sqlx::query(&format!(
        "SELECT {VERSION_COLUMNS} FROM library_versions v JOIN staff_accounts s ON s.id = v.uploaded_by \
         WHERE v.document_id = $1 ORDER BY v.created_at DESC, v.id DESC"
    ))
    .bind(document_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(version_from_row).collect()
}

/// One version, for its download.
pub async fn version(db: &Database, version_id: i64) -> StorageResult<Option<LibraryVersion>> {
    let row = sqlx::query(&format!(
        "SELECT {VERSION_COLUMNS} FROM library_versions v JOIN staff_accounts s ON s.id = v.uploaded_by \
         WHERE v.id = $1"
    ))
    .bind(version_id)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(version_from_row).transpose()
}
