use std::{str::FromStr, time::Duration};

use sqlx::{
    AnyPool, Executor,
    any::{AnyConnectOptions, AnyPoolOptions, install_default_drivers},
};

use crate::{StorageError, StorageResult};

/// Which engine a [`Database`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> StorageResult<Self> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StorageError::UnsupportedUrl(redact_password(url)))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A pool of connections to Awn's database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Database {
    pool: AnyPool,
    backend: Backend,
    /// The data keys (B11), installed once at start and shared by every clone.
    keys: std::sync::Arc<std::sync::OnceLock<crate::crypto::Keyring>>,
}

/// How far a commit is on the disk when it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Durability {
    /// Flushed: an acknowledged write survives a crash of the process or the machine.
    EveryCommit,
    /// Left to the operating system: the last commits may be lost to a crash.
    BulkLoad,
}

impl Database {
    /// Connects to `url` (`sqlite://path/awn.db` or `postgres://…`); for SQLite the
    /// file and its folder are created if missing.
    pub async fn connect(url: &str) -> StorageResult<Self> {
        Self::connect_with(url, Durability::EveryCommit).await
    }

    /// A second connection to this database (at `url`), with its keys, for loading
    /// generated data in bulk (`awn seed-demo --scale`): commits are not flushed
    /// to the disk one by one. Only for a command whose work can simply be run
    /// again after a crash; never to serve.
    pub async fn for_bulk_load(&self, url: &str) -> StorageResult<Self> {
        let bulk = Self::connect_with(url, Durability::BulkLoad).await?;
        Ok(Database { keys: self.keys.clone(), ..bulk })
    }

    async fn connect_with(url: &str, durability: Durability) -> StorageResult<Self> {
        install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(10))
                    // A file in this process cannot drop its connection as a network
                    // peer can: a ping before each use would be one more round trip
                    // to the connection's thread for every query.
                    .test_before_acquire(false)
                    .after_connect(move |conn, _meta| {
                        Box::pin(async move {
                            // WAL lets readers go on while one writer writes; the busy
                            // timeout makes a second writer wait instead of failing.
                            // `synchronous = FULL`: in WAL mode each commit is flushed
                            // to the disk before it returns, so a request acknowledged
                            // to a beneficiary survives a power cut or a kernel crash,
                            // not only a crash of the process (NORMAL would lose the
                            // last commits then). See the README's benchmark section.
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                                 PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;",
                            )
                            .await?;
                            conn.execute(match durability {
                                Durability::EveryCommit => "PRAGMA synchronous = FULL;",
                                Durability::BulkLoad => "PRAGMA synchronous = OFF;",
                            })
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(move |conn, _meta| {
                        Box::pin(async move {
                            // Lists and figures filter with `($1 IS NULL OR col = $1)`.
                            // After five runs of a statement PostgreSQL may switch to one
                            // generic plan for every value, which cannot drop the unused
                            // filters: at 100,000 requests the satisfaction dashboard went
                            // from 57 to 190 ms once it had (issue 16). Planning each run
                            // costs well under a millisecond here.
                            conn.execute("SET plan_cache_mode = force_custom_plan").await?;
                            // PostgreSQL's default (`synchronous_commit = on`) already
                            // flushes every commit; a bulk load skips that wait.
                            if durability == Durability::BulkLoad {
                                conn.execute("SET synchronous_commit = off").await?;
                            }
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
        };
        Ok(Database { pool, backend, keys: Default::default() })
    }

    /// Applies the migrations that are not yet applied. Safe to run on every start,
    /// and from several app servers at once on PostgreSQL (sqlx takes an advisory lock).
    pub async fn migrate(&self) -> StorageResult<()> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&self.pool).await?,
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&self.pool).await?,
        }
        // Entries written before the audit chain existed are chained once, with the
        // audit key, when the keys are opened (`audit::adopt_key`): never here.
        Ok(())
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`), so a second writer waits out the busy timeout;
    /// a deferred transaction that read first and then wrote would instead fail
    /// at once with "database is locked" when another writer got in between.
    pub async fn begin_write(&self) -> StorageResult<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// After personal data was rewritten in place (sealed by encryption): on
    /// SQLite the old plain text may linger in free pages and in the write-ahead
    /// log, so the file is rebuilt and the log emptied. PostgreSQL's old row
    /// versions go with its regular vacuum.
    pub async fn purge_old_versions(&self) -> StorageResult<()> {
        if self.backend == Backend::Sqlite {
            sqlx::query("VACUUM").execute(&self.pool).await?;
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await?;
        }
        Ok(())
    }

    /// Checks that the database answers (for `/readyz`).
    pub async fn ping(&self) -> StorageResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// The data keys; [`StorageError::KeysNotOpened`] when none were opened (a
    /// command that never reads personal data does not need them).
    pub fn keys(&self) -> StorageResult<&crate::crypto::Keyring> {
        self.keys.get().ok_or(StorageError::KeysNotOpened)
    }

    /// Installs the data keys; `false` if some were installed already.
    pub fn install_keys(&self, keyring: crate::crypto::Keyring) -> bool {
        self.keys.set(keyring).is_ok()
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Waits for connections in use to be returned, then closes them.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Creates the folder of a SQLite file and asks SQLite to create the file.
fn prepare_sqlite_url(url: &str) -> StorageResult<String> {
    let rest = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:"
        && !path.is_empty()
        && let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|source| StorageError::DataDirectory { path: parent.display().to_string(), source })?;
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// Hides the password of a database URL for messages and logs.
pub fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Database {
    /// Writes a consistent snapshot of an SQLite database to `path` while the
    /// server keeps running (`VACUUM INTO` reads one transaction's view). The
    /// file must not exist yet. PostgreSQL is backed up with `pg_dump` instead
    /// (see `awn backup`).
    pub async fn snapshot_sqlite(&self, path: &std::path::Path) -> StorageResult<()> {
        if self.backend != Backend::Sqlite {
            return Err(StorageError::Invalid("a snapshot by VACUUM INTO is for SQLite".into()));
        }
        let target = path.to_string_lossy().replace('\'', "''");
        sqlx::query(&format!("VACUUM INTO '{target}'")).execute(&self.pool).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_from_urls() {
        assert_eq!(Backend::from_url("sqlite://data/awn.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::from_url("postgres://u:p@h/db").unwrap(), Backend::Postgres);
        assert_eq!(Backend::from_url("postgresql://h/db").unwrap(), Backend::Postgres);
        let err = Backend::from_url("mysql://root:secret@h/db").unwrap_err().to_string();
        assert!(err.contains("mysql://root:***@h/db"), "{err}");
    }

    #[test]
    fn sqlite_urls_get_create_mode() {
        let dir = std::env::temp_dir().join(format!("awn-url-{}", std::process::id()));
        let url = format!("sqlite://{}/x/awn.db", dir.display());
        let prepared = prepare_sqlite_url(&url).unwrap();
        assert!(prepared.ends_with("/x/awn.db?mode=rwc"), "{prepared}");
        assert!(dir.join("x").is_dir());
        assert_eq!(prepare_sqlite_url("sqlite::memory:").unwrap(), "sqlite://:memory:?mode=rwc");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact_password("postgres://awn:s3cret@db:5432/awn"), "postgres://awn:***@db:5432/awn");
        assert_eq!(redact_password("postgres://db/awn"), "postgres://db/awn");
    }
}
