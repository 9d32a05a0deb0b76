//! A fresh, migrated database for each test, on the engine the run asks for.
//!
//! `AWN_TEST_DATABASE=sqlite` (the default) gives a new SQLite file in a temporary
//! folder. `AWN_TEST_DATABASE=postgres` creates a new database on the server named by
//! `AWN_TEST_POSTGRES_URL` (a URL whose role may create databases); if that server is
//! unreachable the test fails: it never passes without having run.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test support: a failure to set up is a failed test")]

use crate::{Backend, Database, StorageResult};

/// The engine this test run targets.
pub fn backend_under_test() -> Backend {
    match std::env::var("AWN_TEST_DATABASE").as_deref() {
        Ok("postgres") => Backend::Postgres,
        Ok("sqlite") | Err(_) => Backend::Sqlite,
        Ok(other) => panic!("AWN_TEST_DATABASE={other}: expected `sqlite` or `postgres`"),
    }
}

/// A database that exists for one test only, with its URL.
pub struct TestDatabase {
    pub database: Database,
    pub url: String,
    _dir: Option<TempDir>,
}

/// Removes the folder of a test's SQLite file when the test ends.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Creates and migrates a new empty database.
pub async fn fresh_database() -> TestDatabase {
    let test = empty_database().await;
    test.database.migrate().await.expect("migrate the test database");
    test
}

/// Creates a new database with its data keys but no table: for tests of a
/// migration, which run the ones before it, write, then the rest.
pub async fn empty_database() -> TestDatabase {
    let unique = uuid::Uuid::new_v4().simple().to_string();
    match backend_under_test() {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(format!("awn-test-{unique}"));
            let url = format!("sqlite://{}/awn.db", dir.display());
            let database = Database::connect(&url).await.expect("open a test SQLite file");
            // Data keys of its own, as the server opens them at start (B11).
            database.install_keys(crate::crypto::Keyring::generate());
            TestDatabase { database, url, _dir: Some(TempDir(dir)) }
        }
        Backend::Postgres => {
            let admin_url = std::env::var("AWN_TEST_POSTGRES_URL").expect(
                "AWN_TEST_DATABASE=postgres needs AWN_TEST_POSTGRES_URL, \
                 e.g. postgres://awn:awn@127.0.0.1:5432/postgres",
            );
            let admin = Database::connect(&admin_url)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL at AWN_TEST_POSTGRES_URL is unreachable: {e}"));
            let name = format!("awn_test_{unique}");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(admin.pool())
                .await
                .expect("create a test database");
            admin.close().await;
            let url = replace_database_name(&admin_url, &name);
            let database = Database::connect(&url).await.expect("connect to the test database");
            database.install_keys(crate::crypto::Keyring::generate());
            TestDatabase { database, url, _dir: None }
        }
    }
}

/// `postgres://u:p@h:5432/postgres?x=y` → `postgres://u:p@h:5432/NAME?x=y`
fn replace_database_name(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let prefix = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

/// A document staff asked for on a request (the casework step writes it the
/// same way), for tests of the beneficiary's upload of it.
pub async fn ask_for_document(
    db: &Database,
    request_id: i64,
    description: &str,
    requested_by: &str,
    now: i64,
) -> StorageResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO document_requests (request_id, description, requested_by, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(request_id)
    .bind(description)
    .bind(requested_by)
    .bind(now)
    .fetch_one(db.pool())
    .await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_names_are_replaced() {
        use super::replace_database_name as r;
        assert_eq!(r("postgres://u:p@h:5432/postgres", "t1"), "postgres://u:p@h:5432/t1");
        assert_eq!(r("postgres://h/postgres?sslmode=disable", "t1"), "postgres://h/t1?sslmode=disable");
        assert_eq!(r("postgres://h", "t1"), "postgres://h/t1");
    }
}
