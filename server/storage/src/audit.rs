//! The audit log: who on the staff did or read what, about which beneficiary or
//! request, and why. Append-only: this module offers no way to change or remove
//! an entry (on PostgreSQL a trigger refuses it too), and each entry is chained
//! to the one before by an HMAC-SHA-256 over its content, keyed by the audit key
//! of the key file (never in the database), so an entry edited, removed or
//! inserted in the database itself shows in [`verify_chain`] (`awn verify-audit`)
//! as the first broken link, even if whoever did it recomputed the hashes.
//! Removing the newest entries (and moving the head back) is found against a head
//! kept elsewhere: the worker writes it to the log at intervals, and
//! [`verify_chain_to`] (`awn verify-audit --head`) checks the chain still holds it.
//!
//! Upgrade from the plain SHA-256 chain: entries already chained keep their
//! SHA-256 hashes and are never re-chained; HMAC entries start at the position
//! recorded (with its own HMAC) in `audit_chain_head.hmac_from`. The first HMAC
//! entry covers the last SHA-256 hash, so the older part cannot be rewritten
//! without breaking it. The marker is set once, when the database first meets an
//! audit key ([`adopt_key`]); a database that lost it is verified as HMAC
//! throughout, so removing it only breaks the check.
//!
//! Moves of a request write their entry in their own transaction (see
//! `casework`); reads of personal data are recorded by the app, in one place,
//! through [`record`].

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use crate::{Database, StorageError, StorageResult, crypto::Keyring, secrets::hex};

/// The actions this crate records. The app adds its own (reads of files) as it needs.
pub use awn_domain::audit::AuditAction;

/// An entry to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry<'a> {
    pub staff_id: i64,
    pub action: AuditAction,
    pub beneficiary_id: Option<i64>,
    pub request_id: Option<i64>,
    pub reason: &'a str,
}

impl AuditEntry<'_> {
    /// The entry as the log holds it.
    pub fn stored(&self) -> StoredEntry<'_> {
        StoredEntry {
            staff_id: self.staff_id,
            action: self.action.code(),
            beneficiary_id: self.beneficiary_id,
            request_id: self.request_id,
            reason: self.reason,
        }
    }
}

/// An entry as the log holds it: its action as the stored code, which the
/// chain's hashes cover (an entry written by an older version keeps its code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry<'a> {
    pub staff_id: i64,
    pub action: &'a str,
    pub beneficiary_id: Option<i64>,
    pub request_id: Option<i64>,
    pub reason: &'a str,
}

/// Every field of an entry, one per line (a line break inside the reason cannot
/// pass for the next field: its length comes first).
fn canonical(version: &str, position: i64, previous: &str, entry: &StoredEntry<'_>, created_at: i64) -> String {
    let optional = |value: Option<i64>| value.map(|v| v.to_string()).unwrap_or_default();
    format!(
        "{version}\n{position}\n{previous}\n{}\n{}\n{}\n{}\n{}:{}\n{created_at}",
        entry.staff_id,
        entry.action,
        optional(entry.beneficiary_id),
        optional(entry.request_id),
        entry.reason.len(),
        entry.reason,
    )
}

/// The hash of an entry of the old chain (before the audit key): plain SHA-256,
/// in hex, which anyone can recompute. Kept to verify the entries written then.
pub fn entry_hash(position: i64, previous: &str, entry: &StoredEntry<'_>, created_at: i64) -> String {
    hex(&Sha256::digest(canonical("awn-audit-v1", position, previous, entry, created_at).as_bytes()))
}

fn mac_hex(key: &[u8; 32], message: &str) -> String {
    #[expect(clippy::expect_used, reason = "HMAC accepts a key of any length")]
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// The hash of an entry at `position` after the entry whose hash is `previous`:
/// HMAC-SHA-256 with the audit key, in hex. Without the key nobody can make one.
pub fn entry_mac(keys: &Keyring, position: i64, previous: &str, entry: &StoredEntry<'_>, created_at: i64) -> String {
    mac_hex(keys.audit_key(), &canonical("awn-audit-v2", position, previous, entry, created_at))
}

/// The HMAC that vouches for the position where HMAC entries start.
fn marker_mac(keys: &Keyring, hmac_from: i64) -> String {
    mac_hex(keys.audit_key(), &format!("awn-audit-hmac-from\n{hmac_from}"))
}

/// The value the database keeps to recognise the audit key (not the key).
pub fn audit_key_check(keys: &Keyring) -> String {
    mac_hex(keys.audit_key(), "awn audit key check v1")
}

/// Appends an entry on its own.
pub async fn record(db: &Database, entry: AuditEntry<'_>, now: i64) -> StorageResult<()> {
    let mut tx = db.begin_write().await?;
    record_in(&mut tx, db.keys()?, entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes the next place in the chain: the update locks the head row (on
/// PostgreSQL) or runs under the write lock (SQLite), so that concurrent appends
/// queue up behind it. Returns the new position and the hash before it.
async fn next_link(connection: &mut AnyConnection) -> StorageResult<(i64, String)> {
    let row = sqlx::query(
        "UPDATE audit_chain_head SET last_position = last_position + 1 WHERE id = 1 \
         RETURNING last_position, last_hash",
    )
    .fetch_one(&mut *connection)
    .await?;
    Ok((row.try_get("last_position")?, row.try_get("last_hash")?))
}

/// Appends an entry inside the caller's transaction (a write transaction).
pub(crate) async fn record_in(
    connection: &mut AnyConnection,
    keys: &Keyring,
    entry: AuditEntry<'_>,
    now: i64,
) -> StorageResult<()> {
    let (position, previous) = next_link(connection).await?;
    let entry = entry.stored();
    let hash = entry_mac(keys, position, &previous, &entry, now);
    sqlx::query(
        "INSERT INTO audit_log (staff_id, action, beneficiary_id, request_id, reason, created_at, \
           chain_position, previous_hash, entry_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(entry.staff_id)
    .bind(entry.action)
    .bind(entry.beneficiary_id)
    .bind(entry.request_id)
    .bind(entry.reason)
    .bind(now)
    .bind(position)
    .bind(&previous)
    .bind(&hash)
    .execute(&mut *connection)
    .await?;
    sqlx::query("UPDATE audit_chain_head SET last_hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// Chains the entries written before the chain existed (in the order they were
/// written), with the audit key. Only [`adopt_key`] calls it, at the upgrade
/// that gives the database its audit key and only while the chain is empty: a
/// start never re-chains, so a row slipped in later without a place in the
/// chain (or a chain emptied behind its back) is reported by [`verify_chain`],
/// never sealed.
async fn seal_unchained(connection: &mut AnyConnection, keys: &Keyring) -> StorageResult<u64> {
    let rows = sqlx::query(
        "SELECT id, staff_id, action, beneficiary_id, request_id, reason, created_at FROM audit_log \
         WHERE chain_position IS NULL ORDER BY id",
    )
    .fetch_all(&mut *connection)
    .await?;
    for row in &rows {
        let (action, reason): (String, String) = (row.try_get("action")?, row.try_get("reason")?);
        let entry = StoredEntry {
            staff_id: row.try_get("staff_id")?,
            action: &action,
            beneficiary_id: row.try_get("beneficiary_id")?,
            request_id: row.try_get("request_id")?,
            reason: &reason,
        };
        let created_at: i64 = row.try_get("created_at")?;
        let (position, previous) = next_link(connection).await?;
        let hash = entry_mac(keys, position, &previous, &entry, created_at);
        sqlx::query("UPDATE audit_log SET chain_position = $1, previous_hash = $2, entry_hash = $3 WHERE id = $4")
            .bind(position)
            .bind(&previous)
            .bind(&hash)
            .bind(row.try_get::<i64, _>("id")?)
            .execute(&mut *connection)
            .await?;
        sqlx::query("UPDATE audit_chain_head SET last_hash = $1 WHERE id = 1")
            .bind(&hash)
            .execute(&mut *connection)
            .await?;
    }
    Ok(rows.len() as u64)
}

/// What [`adopt_key`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAdoption {
    /// The database knew this audit key already.
    Known,
    /// The upgrade: HMAC entries start at this position (older ones keep their
    /// SHA-256 hashes); `sealed` entries from before the chain were chained.
    Upgraded { hmac_from: i64, sealed: u64 },
    /// The marker of the upgrade is missing although the database cannot be
    /// upgraded now: it was removed. Nothing is changed; the check will fail.
    MarkerMissing,
}

/// At start, once the keys are open: checks the audit key against the one the
/// database's chain uses, and on the first meeting (`may_upgrade`: the key was
/// just made, or the database never saw one) records where HMAC entries start.
/// A mismatched key refuses the start: entries chained with it would read as
/// forged. Safe when several servers start at once (one transaction, under the
/// head row's lock).
pub async fn adopt_key(db: &Database, keys: &Keyring, may_upgrade: bool) -> StorageResult<KeyAdoption> {
    let mut tx = db.begin_write().await?;
    // Takes the head row's lock before reading it.
    sqlx::query("UPDATE audit_chain_head SET last_position = last_position WHERE id = 1").execute(&mut *tx).await?;
    let head = sqlx::query("SELECT last_position, hmac_from, key_check FROM audit_chain_head WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    let last_position: i64 = head.try_get("last_position")?;
    let hmac_from: Option<i64> = head.try_get("hmac_from")?;
    let key_check: String = head.try_get("key_check")?;
    let check = audit_key_check(keys);
    if !key_check.is_empty() && key_check != check {
        return Err(StorageError::Invalid(
            "the audit key is not the one this database's audit log is chained with: use the key file this \
             database was started with"
                .into(),
        ));
    }
    let adoption = match hmac_from {
        Some(_) => KeyAdoption::Known,
        // The first start with an audit key: a new database, or the upgrade of one
        // chained with SHA-256 (or not chained at all, from before the chain).
        // Never a database that met a key before: one that lost its marker, or
        // whose chain was emptied, would otherwise be re-chained over whatever it
        // now holds.
        None if may_upgrade && key_check.is_empty() => {
            let sealed = if last_position == 0 { seal_unchained(&mut tx, keys).await? } else { 0 };
            let hmac_from = if last_position == 0 { 1 } else { last_position + 1 };
            sqlx::query("UPDATE audit_chain_head SET hmac_from = $1, hmac_from_mac = $2 WHERE id = 1")
                .bind(hmac_from)
                .bind(marker_mac(keys, hmac_from))
                .execute(&mut *tx)
                .await?;
            KeyAdoption::Upgraded { hmac_from, sealed }
        }
        // An empty chain (a new database with an existing key file): HMAC from the
        // start, which is also how a chain without marker is checked. Nothing is sealed.
        None if last_position == 0 => {
            sqlx::query("UPDATE audit_chain_head SET hmac_from = 1, hmac_from_mac = $1 WHERE id = 1")
                .bind(marker_mac(keys, 1))
                .execute(&mut *tx)
                .await?;
            KeyAdoption::Known
        }
        None => KeyAdoption::MarkerMissing,
    };
    sqlx::query("UPDATE audit_chain_head SET key_check = $1 WHERE id = 1").bind(&check).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(adoption)
}

/// The chain's newest place and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub position: i64,
    pub hash: String,
}

/// The head as the database has it (the worker logs it at intervals).
pub async fn head(db: &Database) -> StorageResult<ChainHead> {
    let row =
        sqlx::query("SELECT last_position, last_hash FROM audit_chain_head WHERE id = 1").fetch_one(db.pool()).await?;
    Ok(ChainHead { position: row.try_get("last_position")?, hash: row.try_get("last_hash")? })
}

/// Where the chain first breaks, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The place in the chain where the break is found.
    pub position: i64,
    /// The row there, if there is one.
    pub entry_id: Option<i64>,
    pub problem: ChainProblem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainProblem {
    /// The entry's content does not give its hash: it was edited.
    ContentChanged,
    /// The entry does not name the hash of the one before: one was edited, removed or inserted.
    LinkChanged,
    /// A place in the chain is empty: an entry was removed.
    Missing,
    /// The chain ends before the head says it does: the newest entries were removed.
    TailMissing,
    /// An entry outside the chain: written to the database directly.
    Unchained,
    /// The record of where HMAC entries start was changed.
    MarkerChanged,
    /// A head kept apart from the database is no longer in the chain: entries
    /// after it were removed, or the chain was rewritten.
    KeptHeadMissing,
}

/// The result of [`verify_chain`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    pub entries_checked: i64,
    pub first_broken: Option<BrokenLink>,
}

/// Walks the whole chain, oldest first, recomputing every hash (HMAC with the
/// audit key from the marker on, SHA-256 before it).
pub async fn verify_chain(db: &Database) -> StorageResult<ChainCheck> {
    let keys = db.keys()?;
    let head =
        sqlx::query("SELECT last_position, last_hash, hmac_from, hmac_from_mac FROM audit_chain_head WHERE id = 1")
            .fetch_one(db.pool())
            .await?;
    let (last_position, last_hash): (i64, String) = (head.try_get("last_position")?, head.try_get("last_hash")?);
    // Without the marker every entry must carry an HMAC.
    let hmac_from: i64 = head.try_get::<Option<i64>, _>("hmac_from")?.unwrap_or(1);
    let marker: String = head.try_get("hmac_from_mac")?;
    if hmac_from != 1 && marker != marker_mac(keys, hmac_from) {
        let first_broken =
            Some(BrokenLink { position: hmac_from, entry_id: None, problem: ChainProblem::MarkerChanged });
        return Ok(ChainCheck { entries_checked: 0, first_broken });
    }
    let outside: Option<i64> =
        sqlx::query_scalar("SELECT MIN(id) FROM audit_log WHERE chain_position IS NULL").fetch_one(db.pool()).await?;
    if let Some(id) = outside {
        let first_broken = Some(BrokenLink { position: 0, entry_id: Some(id), problem: ChainProblem::Unchained });
        return Ok(ChainCheck { entries_checked: 0, first_broken });
    }
    let mut expected_position = 1;
    let mut previous = String::new();
    let mut checked = 0;
    let broken = |position, entry_id, problem| Some(BrokenLink { position, entry_id, problem });
    // In pages, so that a long log is never held in memory at once.
    const PAGE: i64 = 1000;
    loop {
        let rows = sqlx::query(
            "SELECT id, staff_id, action, beneficiary_id, request_id, reason, created_at, chain_position, \
               previous_hash, entry_hash FROM audit_log WHERE chain_position >= $1 ORDER BY chain_position LIMIT $2",
        )
        .bind(expected_position)
        .bind(PAGE)
        .fetch_all(db.pool())
        .await?;
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let position: i64 = row.try_get("chain_position")?;
            if position != expected_position {
                return Ok(ChainCheck {
                    entries_checked: checked,
                    first_broken: broken(expected_position, None, ChainProblem::Missing),
                });
            }
            let (action, reason): (String, String) = (row.try_get("action")?, row.try_get("reason")?);
            let entry = StoredEntry {
                staff_id: row.try_get("staff_id")?,
                action: &action,
                beneficiary_id: row.try_get("beneficiary_id")?,
                request_id: row.try_get("request_id")?,
                reason: &reason,
            };
            let stored_previous: String = row.try_get("previous_hash")?;
            let stored_hash: String = row.try_get("entry_hash")?;
            if stored_previous != previous {
                return Ok(ChainCheck {
                    entries_checked: checked,
                    first_broken: broken(position, Some(id), ChainProblem::LinkChanged),
                });
            }
            let created_at: i64 = row.try_get("created_at")?;
            let expected = if position >= hmac_from {
                entry_mac(keys, position, &stored_previous, &entry, created_at)
            } else {
                entry_hash(position, &stored_previous, &entry, created_at)
            };
            if !crate::secrets::same_hash(&expected, &stored_hash) {
                return Ok(ChainCheck {
                    entries_checked: checked,
                    first_broken: broken(position, Some(id), ChainProblem::ContentChanged),
                });
            }
            checked += 1;
            previous = stored_hash;
            expected_position += 1;
        }
        if (rows.len() as i64) < PAGE {
            break;
        }
    }
    let tail_intact = expected_position - 1 == last_position && previous == last_hash;
    let first_broken = (!tail_intact).then(|| BrokenLink {
        position: expected_position,
        entry_id: None,
        problem: if expected_position - 1 < last_position {
            ChainProblem::TailMissing
        } else {
            ChainProblem::LinkChanged
        },
    });
    Ok(ChainCheck { entries_checked: checked, first_broken })
}

/// [`verify_chain`], and that the chain still holds `kept_head`, a hash the
/// log showed earlier (`awn verify-audit --head`): the newest entries cannot be
/// removed unnoticed, even with the head row moved back to match.
pub async fn verify_chain_to(db: &Database, kept_head: &str) -> StorageResult<ChainCheck> {
    let check = verify_chain(db).await?;
    if check.first_broken.is_some() {
        return Ok(check);
    }
    let kept_head = kept_head.trim().to_ascii_lowercase();
    let found: Option<i64> =
        sqlx::query_scalar::<_, Option<i64>>("SELECT chain_position FROM audit_log WHERE entry_hash = $1")
            .bind(&kept_head)
            .fetch_optional(db.pool())
            .await?
            .flatten();
    Ok(match found {
        Some(_) => check,
        None => ChainCheck {
            entries_checked: check.entries_checked,
            first_broken: Some(BrokenLink {
                position: check.entries_checked + 1,
                entry_id: None,
                problem: ChainProblem::KeptHeadMissing,
            }),
        },
    })
}

/// A stored entry, with the username of who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub staff_id: i64,
    pub staff_username: String,
    pub action: String,
    pub beneficiary_id: Option<i64>,
    pub request_id: Option<i64>,
    pub reason: String,
    pub created_at: i64,
    /// Its place in the hash chain (`None` only for a row written behind its back).
    pub chain_position: Option<i64>,
}

/// Which entries a search wants; every filter may be left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub staff_id: Option<i64>,
    /// Exact, case-insensitive.
    pub staff_username: Option<String>,
    pub beneficiary_id: Option<i64>,
    pub request_id: Option<i64>,
    /// "case." finds every action on case files.
    pub action_prefix: Option<String>,
    /// `[from, to)`, Unix seconds.
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// Entries by one staff member and/or about one beneficiary (either filter may be
/// left out), newest first, at most `limit`.
pub async fn search(
    db: &Database,
    staff_id: Option<i64>,
    beneficiary_id: Option<i64>,
    limit: i64,
) -> StorageResult<Vec<AuditRecord>> {
    let filter = AuditFilter { staff_id, beneficiary_id, ..AuditFilter::default() };
    entries(db, &filter, limit.max(0), 0).await
}

/// A page of the entries matching `filter`, newest first, with their total.
pub async fn search_by(
    db: &Database,
    filter: &AuditFilter,
    request: crate::PageRequest,
) -> StorageResult<crate::Page<AuditRecord>> {
    let (clause, binds) = conditions(filter);
    let count_sql =
        format!("SELECT COUNT(*) AS total FROM audit_log a JOIN staff_accounts s ON s.id = a.staff_id {clause}");
    let total: i64 = bind_all(sqlx::query(&count_sql), &binds).fetch_one(db.pool()).await?.try_get("total")?;
    let (request, limit, offset) = crate::page_window(request, total);
    Ok(crate::page_of(entries(db, filter, limit, offset).await?, total, request))
}

/// A value bound to an audit search.
enum Bound {
    Int(i64),
    Text(String),
}

/// The `WHERE` clause of `filter` with its values, in placeholder order.
fn conditions(filter: &AuditFilter) -> (String, Vec<Bound>) {
    let mut conditions = Vec::new();
    let mut binds = Vec::new();
    let mut add = |condition: &str, value: Bound| {
        binds.push(value);
        conditions.push(condition.replace('?', &format!("${}", binds.len())));
    };
    if let Some(id) = filter.staff_id {
        add("a.staff_id = ?", Bound::Int(id));
    }
    if let Some(username) = &filter.staff_username {
        add("s.username = ?", Bound::Text(crate::staff::normalize_username(username)));
    }
    if let Some(id) = filter.beneficiary_id {
        add("a.beneficiary_id = ?", Bound::Int(id));
    }
    if let Some(id) = filter.request_id {
        add("a.request_id = ?", Bound::Int(id));
    }
    if let Some(prefix) = &filter.action_prefix {
        // Action codes are ASCII words and dots: no wildcard to escape.
        let prefix: String = prefix.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_').collect();
        add("a.action LIKE ?", Bound::Text(format!("{prefix}%")));
    }
    if let Some(from) = filter.from {
        add("a.created_at >= ?", Bound::Int(from));
    }
    if let Some(to) = filter.to {
        add("a.created_at < ?", Bound::Int(to));
    }
    let clause = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    (clause, binds)
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    binds: &'q [Bound],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for bound in binds {
        query = match bound {
            Bound::Int(value) => query.bind(*value),
            Bound::Text(value) => query.bind(value.as_str()),
        };
    }
    query
}

/// The entries matching `filter`, newest first, `limit` of them after `offset`.
async fn entries(db: &Database, filter: &AuditFilter, limit: i64, offset: i64) -> StorageResult<Vec<AuditRecord>> {
    let (clause, binds) = conditions(filter);
    let sql = format!(
        "SELECT a.id, a.staff_id, s.username, a.action, a.beneficiary_id, a.request_id, a.reason, a.created_at, \
           a.chain_position FROM audit_log a JOIN staff_accounts s ON s.id = a.staff_id {clause} \
         ORDER BY a.id DESC LIMIT ${} OFFSET ${}",
        binds.len() + 1,
        binds.len() + 2
    );
    let rows = bind_all(sqlx::query(&sql), &binds).bind(limit).bind(offset).fetch_all(db.pool()).await?;
    rows.iter()
        .map(|row| {
            Ok(AuditRecord {
                id: row.try_get("id")?,
                staff_id: row.try_get("staff_id")?,
                staff_username: row.try_get("username")?,
                action: row.try_get("action")?,
                beneficiary_id: row.try_get("beneficiary_id")?,
                request_id: row.try_get("request_id")?,
                reason: row.try_get("reason")?,
                created_at: row.try_get("created_at")?,
                chain_position: row.try_get("chain_position")?,
            })
        })
        .collect()
}
