//! Scheduled work that runs once however many app servers there are: a server
//! runs a job only after taking its lease with one conditional UPDATE, which
//! at most one server wins; the lease expires if that server dies mid-run, and
//! the job's own writes are idempotent (each message is claimed in the
//! transaction that sends it), so a rerun after a crash repeats nothing.

use sqlx::Row;

use crate::{Database, StorageResult};

/// A job as admins see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobStatus {
    pub name: String,
    pub next_run_at: i64,
    pub running: bool,
    pub last_started_at: Option<i64>,
    pub last_finished_at: Option<i64>,
    /// The last failure's message, until a run succeeds.
    pub last_error: Option<String>,
    /// Failures in a row.
    pub failures: i64,
    pub runs: i64,
}

/// Adds the job if it is not known yet, first due at `first_run_at`.
pub async fn ensure(db: &Database, name: &str, first_run_at: i64) -> StorageResult<()> {
    sqlx::query("INSERT INTO scheduled_jobs (name, next_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(first_run_at)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Takes the job's lease for `owner` until `now + lease_seconds` if the job
/// is due and nobody holds an unexpired lease. True: this server runs it now.
pub async fn try_lease(db: &Database, name: &str, owner: &str, now: i64, lease_seconds: i64) -> StorageResult<bool> {
    let taken = sqlx::query(
        "UPDATE scheduled_jobs SET lease_owner = $1, lease_until = $2, last_started_at = $3 \
         WHERE name = $4 AND next_run_at <= $3 AND (lease_until IS NULL OR lease_until < $3)",
    )
    .bind(owner)
    .bind(now + lease_seconds)
    .bind(now)
    .bind(name)
    .execute(db.pool())
    .await?;
    Ok(taken.rows_affected() == 1)
}

/// Ends a run this server holds the lease of: schedules the next one, and
/// records a failure (kept until a run succeeds) or a success. False when the
/// lease was lost meanwhile (it expired and another server took it).
pub async fn finish(
    db: &Database,
    name: &str,
    owner: &str,
    now: i64,
    next_run_at: i64,
    error: Option<&str>,
) -> StorageResult<bool> {
    let sql = if error.is_some() {
        "UPDATE scheduled_jobs SET lease_owner = NULL, lease_until = NULL, last_finished_at = $1, next_run_at = $2, \
         last_error = $3, failures = failures + 1, runs = runs + 1 WHERE name = $4 AND lease_owner = $5"
    } else {
        "UPDATE scheduled_jobs SET lease_owner = NULL, lease_until = NULL, last_finished_at = $1, next_run_at = $2, \
         last_error = $3, failures = 0, runs = runs + 1 WHERE name = $4 AND lease_owner = $5"
    };
    let done =
        sqlx::query(sql).bind(now).bind(next_run_at).bind(error).bind(name).bind(owner).execute(db.pool()).await?;
    Ok(done.rows_affected() == 1)
}

/// Every job, by name.
pub async fn list(db: &Database, now: i64) -> StorageResult<Vec<JobStatus>> {
    let rows = sqlx::query(
        "SELECT name, next_run_at, lease_until, last_started_at, last_finished_at, last_error, failures, runs \
         FROM scheduled_jobs ORDER BY name",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let lease_until: Option<i64> = row.try_get("lease_until")?;
            Ok(JobStatus {
                name: row.try_get("name")?,
                next_run_at: row.try_get("next_run_at")?,
                running: lease_until.is_some_and(|until| until >= now),
                last_started_at: row.try_get("last_started_at")?,
                last_finished_at: row.try_get("last_finished_at")?,
                last_error: row.try_get("last_error")?,
                failures: row.try_get("failures")?,
                runs: row.try_get("runs")?,
            })
        })
        .collect()
}
