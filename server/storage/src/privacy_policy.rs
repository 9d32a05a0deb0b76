//! Versions of the published privacy policy (requirement B5).

use awn_domain::{locale::Language, privacy_policy::parse_version_label};
use sqlx::Row;

use crate::{Database, StorageError, StorageResult, now_unix_seconds};

/// A stored version, both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVersion {
    pub id: i64,
    pub version: String,
    pub published_at: i64,
    pub body_ar: String,
    pub body_en: String,
}

impl PolicyVersion {
    /// The Markdown text in `language`.
    pub fn body(&self, language: Language) -> &str {
        match language {
            Language::Arabic => &self.body_ar,
            Language::English => &self.body_en,
        }
    }
}

/// A version about to be published.
#[derive(Debug, Clone)]
pub struct NewPolicyVersion<'a> {
    pub version: &'a str,
    pub body_ar: &'a str,
    pub body_en: &'a str,
}

const COLUMNS: &str = "id, version, published_at, body_ar, body_en";

fn from_row(row: &sqlx::any::AnyRow) -> StorageResult<PolicyVersion> {
    Ok(PolicyVersion {
        id: row.try_get("id")?,
        version: row.try_get("version")?,
        published_at: row.try_get("published_at")?,
        body_ar: row.try_get("body_ar")?,
        body_en: row.try_get("body_en")?,
    })
}

/// The version in force: the one published last.
pub async fn current(db: &Database) -> StorageResult<Option<PolicyVersion>> {
    let sql = format!("SELECT {COLUMNS} FROM privacy_policy_versions ORDER BY published_at DESC, id DESC LIMIT 1");
    let row = sqlx::query(&sql).fetch_optional(db.pool()).await?;
    row.as_ref().map(from_row).transpose()
}

/// One version by its label.
pub async fn by_version(db: &Database, version: &str) -> StorageResult<Option<PolicyVersion>> {
    let sql = format!("SELECT {COLUMNS} FROM privacy_policy_versions WHERE version = $1");
    let row = sqlx::query(&sql).bind(version).fetch_optional(db.pool()).await?;
    row.as_ref().map(from_row).transpose()
}

/// Every version, newest first.
pub async fn all(db: &Database) -> StorageResult<Vec<PolicyVersion>> {
    let sql = format!("SELECT {COLUMNS} FROM privacy_policy_versions ORDER BY published_at DESC, id DESC");
    let rows = sqlx::query(&sql).fetch_all(db.pool()).await?;
    rows.iter().map(from_row).collect()
}

/// Publishes a new version, in force from now. Labels are unique.
pub async fn publish(db: &Database, new: NewPolicyVersion<'_>) -> StorageResult<PolicyVersion> {
    let version = parse_version_label(new.version).map_err(|e| StorageError::Invalid(e.to_string()))?;
    if new.body_ar.trim().is_empty() || new.body_en.trim().is_empty() {
        return Err(StorageError::Invalid("the policy text is empty".into()));
    }
    let sql = format!(
        "INSERT INTO privacy_policy_versions (version, published_at, body_ar, body_en) \
         VALUES ($1, $2, $3, $4) RETURNING {COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(&version)
        .bind(now_unix_seconds())
        .bind(new.body_ar)
        .bind(new.body_en)
        .fetch_one(db.pool())
        .await
        .map_err(|e| StorageError::conflict_on_unique(e, &format!("policy version {version}")))?;
    from_row(&row)
}

/// The first version, written for Awn from the association's eight articles.
const INITIAL_VERSION: &str = "1.0";
const INITIAL_BODY_AR: &str = include_str!("../content/privacy-policy-1.0.ar.md");
const INITIAL_BODY_EN: &str = include_str!("../content/privacy-policy-1.0.en.md");

/// Publishes the first version if no version exists yet. Several servers may start at
/// once: the insert is a no-op when another one won.
pub async fn ensure_initial_version(db: &Database) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO privacy_policy_versions (version, published_at, body_ar, body_en) \
         SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM privacy_policy_versions) \
         ON CONFLICT (version) DO NOTHING",
    )
    .bind(INITIAL_VERSION)
    .bind(now_unix_seconds())
    .bind(INITIAL_BODY_AR)
    .bind(INITIAL_BODY_EN)
    .execute(db.pool())
    .await?;
    Ok(())
}
