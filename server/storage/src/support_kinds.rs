//! Kinds of support the association offers (food baskets, rent help, …).

use awn_domain::locale::Language;
use sqlx::Row;

use crate::{Database, StorageResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportKind {
    pub id: i64,
    pub code: String,
    pub name_ar: String,
    pub name_en: String,
    pub description_ar: String,
    pub description_en: String,
    pub active: bool,
    pub sort_order: i64,
}

impl SupportKind {
    pub fn name(&self, language: Language) -> &str {
        match language {
            Language::Arabic => &self.name_ar,
            Language::English => &self.name_en,
        }
    }

    pub fn description(&self, language: Language) -> &str {
        match language {
            Language::Arabic => &self.description_ar,
            Language::English => &self.description_en,
        }
    }
}

/// Fields of a kind being created or updated, keyed by its code.
#[derive(Debug, Clone)]
pub struct SupportKindInput<'a> {
    pub code: &'a str,
    pub name_ar: &'a str,
    pub name_en: &'a str,
    pub description_ar: &'a str,
    pub description_en: &'a str,
    pub active: bool,
    pub sort_order: i64,
}

/// The kinds offered now, in display order.
pub async fn active(db: &Database) -> StorageResult<Vec<SupportKind>> {
    let rows = sqlx::query(
        "SELECT id, code, name_ar, name_en, description_ar, description_en, active, sort_order \
         FROM support_kinds WHERE active = 1 ORDER BY sort_order, id",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(SupportKind {
                id: row.try_get("id")?,
                code: row.try_get("code")?,
                name_ar: row.try_get("name_ar")?,
                name_en: row.try_get("name_en")?,
                description_ar: row.try_get("description_ar")?,
                description_en: row.try_get("description_en")?,
                active: row.try_get::<i64, _>("active")? != 0,
                sort_order: row.try_get("sort_order")?,
            })
        })
        .collect()
}

/// Creates the kind, or updates the one with the same code.
pub async fn upsert(db: &Database, kind: SupportKindInput<'_>) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO support_kinds \
           (code, name_ar, name_en, description_ar, description_en, active, sort_order) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (code) DO UPDATE SET name_ar = excluded.name_ar, name_en = excluded.name_en, \
           description_ar = excluded.description_ar, description_en = excluded.description_en, \
           active = excluded.active, sort_order = excluded.sort_order",
    )
    .bind(kind.code)
    .bind(kind.name_ar)
    .bind(kind.name_en)
    .bind(kind.description_ar)
    .bind(kind.description_en)
    .bind(i64::from(kind.active))
    .bind(kind.sort_order)
    .execute(db.pool())
    .await?;
    Ok(())
}
