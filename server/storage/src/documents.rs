//! Uploaded documents: their records here, their bytes in a [`DocumentStore`].
//! The local disk is the default store; an object store can take its place
//! without touching callers.

use std::{future::Future, io, path::PathBuf, pin::Pin, sync::Arc};

use sqlx::Row;

use crate::{Database, StorageResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub created_at: i64,
    pub document_request_id: Option<i64>,
}

/// A document's record with where its bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    pub info: DocumentInfo,
    pub storage_key: String,
}

const COLUMNS: &str = "id, file_name, content_type, size_bytes, created_at, document_request_id, storage_key";

fn from_row(row: &sqlx::any::AnyRow) -> StorageResult<StoredDocument> {
    Ok(StoredDocument {
        info: DocumentInfo {
            id: row.try_get("id")?,
            file_name: row.try_get("file_name")?,
            content_type: row.try_get("content_type")?,
            size_bytes: row.try_get("size_bytes")?,
            created_at: row.try_get("created_at")?,
            document_request_id: row.try_get("document_request_id")?,
        },
        storage_key: row.try_get("storage_key")?,
    })
}

/// A document being recorded (its bytes are already in the store).
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub beneficiary_id: i64,
    pub request_id: Option<i64>,
    pub document_request_id: Option<i64>,
    pub storage_key: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub now: i64,
}

/// Records an uploaded document; one answering a document request marks it fulfilled.
pub async fn record(db: &Database, new: NewDocument<'_>) -> StorageResult<i64> {
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO documents (beneficiary_id, request_id, document_request_id, storage_key, file_name, \
           content_type, size_bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(new.beneficiary_id)
    .bind(new.request_id)
    .bind(new.document_request_id)
    .bind(new.storage_key)
    .bind(new.file_name)
    .bind(new.content_type)
    .bind(new.size_bytes)
    .bind(new.now)
    .fetch_one(&mut *tx)
    .await?;
    if let (Some(asked), Some(request_id)) = (new.document_request_id, new.request_id) {
        sqlx::query(
            "UPDATE document_requests SET fulfilled_at = $1 \
             WHERE id = $2 AND request_id = $3 AND fulfilled_at IS NULL",
        )
        .bind(new.now)
        .bind(asked)
        .bind(request_id)
        .execute(&mut *tx)
        .await?;
    }
    if let Some(request_id) = new.request_id {
        sqlx::query("UPDATE support_requests SET updated_at = $1 WHERE id = $2")
            .bind(new.now)
            .bind(request_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Whether `asked` is one of `request_id`'s requests for documents, still
/// waiting for its document. Only such an answer may go beyond the cap on a
/// request's documents; any other `asked` id is not the caller's to use.
pub async fn is_waiting_document_request(db: &Database, request_id: i64, asked: i64) -> StorageResult<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM document_requests WHERE id = $1 AND request_id = $2 AND fulfilled_at IS NULL",
    )
    .bind(asked)
    .bind(request_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}

/// Documents attached to the beneficiary's draft (not yet to a request).
pub async fn of_draft(db: &Database, beneficiary_id: i64) -> StorageResult<Vec<DocumentInfo>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM documents WHERE beneficiary_id = $1 AND request_id IS NULL AND purpose = 'request' ORDER BY id"
    ))
    .bind(beneficiary_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|row| from_row(row).map(|d| d.info)).collect()
}

pub async fn of_request(db: &Database, request_id: i64) -> StorageResult<Vec<DocumentInfo>> {
    of_request_in(&mut *db.pool().acquire().await?, request_id).await
}

/// [`of_request`] on a connection the caller holds.
pub async fn of_request_in(connection: &mut sqlx::AnyConnection, request_id: i64) -> StorageResult<Vec<DocumentInfo>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM documents WHERE request_id = $1 ORDER BY id"))
        .bind(request_id)
        .fetch_all(&mut *connection)
        .await?;
    rows.iter().map(|row| from_row(row).map(|d| d.info)).collect()
}

/// The document if the beneficiary owns it.
pub async fn owned_by(db: &Database, document_id: i64, beneficiary_id: i64) -> StorageResult<Option<StoredDocument>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM documents WHERE id = $1 AND beneficiary_id = $2"))
        .bind(document_id)
        .bind(beneficiary_id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Any document, with whose it is and the request it belongs to (for staff,
/// whose reads the caller audits).
pub async fn for_staff(db: &Database, document_id: i64) -> StorageResult<Option<(StoredDocument, i64, Option<i64>)>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS}, beneficiary_id, request_id FROM documents WHERE id = $1"))
        .bind(document_id)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some((from_row(&row)?, row.try_get("beneficiary_id")?, row.try_get("request_id")?)))
}

/// Removes a document from the draft (only before submission); returns its key.
pub async fn remove_from_draft(db: &Database, document_id: i64, beneficiary_id: i64) -> StorageResult<Option<String>> {
    let key: Option<String> = sqlx::query_scalar(
        "DELETE FROM documents WHERE id = $1 AND beneficiary_id = $2 AND request_id IS NULL AND purpose = 'request' \
         RETURNING storage_key",
    )
    .bind(document_id)
    .bind(beneficiary_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(key)
}

pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

/// Where document bytes live.
pub trait DocumentStore: Send + Sync + std::fmt::Debug {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> StoreFuture<'a, ()>;
    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Vec<u8>>;
    fn delete<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()>;
}

pub type SharedDocumentStore = Arc<dyn DocumentStore>;

/// Files under a directory (by default `<data dir>/documents`), spread over
/// sub-directories by the first two characters of their random keys.
#[derive(Debug, Clone)]
pub struct LocalDiskStore {
    root: PathBuf,
    /// Whose data keys encrypt the files (B11); `None` stores them as they are.
    encrypted_with: Option<crate::Database>,
}

impl LocalDiskStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LocalDiskStore { root: root.into(), encrypted_with: None }
    }

    /// Files are encrypted with `database`'s data keys (opened at start), and
    /// files written before encryption are still read.
    pub fn encrypted(root: impl Into<PathBuf>, database: crate::Database) -> Self {
        LocalDiskStore { root: root.into(), encrypted_with: Some(database) }
    }

    fn keys(&self) -> io::Result<Option<&crate::crypto::Keyring>> {
        match &self.encrypted_with {
            None => Ok(None),
            Some(database) => database.keys().map(Some).map_err(|e| io::Error::other(e.to_string())),
        }
    }

    fn path(&self, key: &str) -> io::Result<PathBuf> {
        // Keys are our own random tokens; anything else is refused, never joined.
        if key.len() < 8 || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "bad document key"));
        }
        Ok(self.root.join(&key[..2]).join(key))
    }
}

impl DocumentStore for LocalDiskStore {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let path = self.path(key)?;
            if let Some(parent) = path.parent() {
                tokio::fs::create_dir_all(parent).await?;
            }
            // Written aside then renamed: a crash never leaves half a file under the key.
            let partial = path.with_extension("partial");
            match self.keys()? {
                Some(keys) => tokio::fs::write(&partial, keys.encrypt_file(bytes)).await?,
                None => tokio::fs::write(&partial, bytes).await?,
            }
            tokio::fs::rename(&partial, &path).await
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Vec<u8>> {
        Box::pin(async move {
            let stored = tokio::fs::read(self.path(key)?).await?;
            match self.keys()? {
                Some(keys) => keys.decrypt_file(&stored).map_err(|e| io::Error::other(e.to_string())),
                None => Ok(stored),
            }
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path(key)?).await {
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                other => other,
            }
        })
    }
}
