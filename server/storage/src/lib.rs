//! Awn's storage.
//!
//! One schema, two engines: SQLite is the embedded default (a file under the data
//! directory, WAL, zero set-up) and PostgreSQL is how Awn scales to several stateless
//! app servers. Queries go through sqlx's `Any` driver so each is written once; they
//! stick to what both engines share: `$1` placeholders, BIGINT for integers, instants
//! and flags, TEXT for strings, and `RETURNING`. Each engine has its own migrations
//! folder because their DDL differs.

pub mod accounts;
pub mod audit;
pub mod casework;
pub mod clocks;
pub mod complaints;
pub mod consent;
pub mod crypto;
pub mod data_requests;
mod database;
pub mod demo;
pub mod disclosures;
pub mod documents;
pub mod duplicates;
pub mod households;
pub mod improvements;
pub mod inquiries;
pub mod jobs;
pub mod library;
pub mod limits;
pub mod outbox;
pub mod parties;
pub mod party_privacy;
pub mod privacy_policy;
pub mod privacy_reports;
pub mod reports;
pub mod requests;
pub mod secrets;
pub mod staff;
pub mod staff_notices;
pub mod support_kinds;
pub mod surveys;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod volunteers;

pub use awn_domain::paging::{Page, PageRequest};
pub use database::{Backend, Database};

/// What can go wrong in storage. Callers map these to user-facing messages; none of
/// the details below is ever shown to a user.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("could not create the data directory {path}: {source}")]
    DataDirectory { path: String, source: std::io::Error },
    #[error("{0} already exists")]
    Conflict(String),
    /// A value that breaks a rule: refused input, or a stored value that no
    /// longer reads (a corrupt row).
    #[error("invalid data: {0}")]
    Invalid(String),
    /// The row asked for does not exist (or no longer does).
    #[error("not found: {0}")]
    NotFound(String),
    /// Encrypted data was asked for before the data keys were opened.
    #[error("the data keys were not opened")]
    KeysNotOpened,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl StorageError {
    /// Turns a unique-constraint violation into [`StorageError::Conflict`].
    pub(crate) fn conflict_on_unique(error: sqlx::Error, what: &str) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => StorageError::Conflict(what.to_owned()),
            _ => StorageError::Database(error),
        }
    }
}

pub type StorageResult<T> = Result<T, StorageError>;

/// A page request moved within a list of `total` rows (a page past the end is
/// the last one), with its `LIMIT` and `OFFSET` values.
pub(crate) fn page_window(request: PageRequest, total: i64) -> (PageRequest, i64, i64) {
    let request = request.within(u64::try_from(total).unwrap_or(0));
    (request, i64::from(request.per_page()), i64::try_from(request.offset()).unwrap_or(i64::MAX))
}

/// The page of `total` rows that `window` (from [`page_window`]) fetched.
pub(crate) fn page_of<T>(items: Vec<T>, total: i64, request: PageRequest) -> Page<T> {
    Page::new(items, u64::try_from(total).unwrap_or(0), request)
}

/// Seconds since the Unix epoch: how every instant is stored.
/// This moment, as the storage's instants are kept.
pub fn now() -> awn_domain::calendar::UnixTime {
    awn_domain::calendar::UnixTime::from_seconds(now_unix_seconds())
}

pub fn now_unix_seconds() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}
