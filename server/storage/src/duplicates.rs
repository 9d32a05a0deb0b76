//! Each person known once (issue 15): the requests from other accounts that
//! may be about the same people as a request (its applicant or a household
//! member), found and recorded for staff, and staff's decision on each.
//!
//! Matches are looked for by the national ID's keyed hash (as applicant or as
//! household member), by the mobile typed in the request against other
//! accounts' numbers, and by the normalised name's key; candidates sharing a
//! name key are decrypted and kept only when the domain says the names match
//! and the birth dates are the same. A pair is recorded once, whichever
//! request it was found from, and keeps its first reason.

use std::collections::BTreeMap;

use awn_domain::{
    calendar::CalendarDay,
    duplicates::{DuplicateReason, DuplicateStatus, PersonFacts, name_key, possibly_same},
    ids::{RequestId, StaffId},
};
use sqlx::Row;

use crate::{
    Database, StorageError, StorageResult,
    crypto::{BIRTH_DATE, MEMBER_BIRTH_DATE, REQUEST_MOBILE, contact_hash},
};

/// A person of the request being checked.
struct Person {
    national_id_hash: Option<String>,
    name: String,
    birth_date: Option<CalendarDay>,
}

fn day_of(text: &str) -> Option<CalendarDay> {
    CalendarDay::parse_typed(text).ok()
}

/// The request's applicant and household members, and its account.
async fn people_of(db: &Database, request_id: i64) -> StorageResult<Option<(i64, String, Vec<Person>)>> {
    let keys = db.keys()?;
    let Some(row) = sqlx::query(
        "SELECT beneficiary_id, national_id_hash, full_name, birth_date, mobile FROM support_requests WHERE id = $1",
    )
    .bind(request_id)
    .fetch_optional(db.pool())
    .await?
    else {
        return Ok(None);
    };
    let beneficiary_id: i64 = row.try_get("beneficiary_id")?;
    let mobile = keys.decrypt_text(REQUEST_MOBILE, &row.try_get::<String, _>("mobile")?)?;
    let mut people = vec![Person {
        national_id_hash: row.try_get("national_id_hash")?,
        name: row.try_get("full_name")?,
        birth_date: day_of(&keys.decrypt_text(BIRTH_DATE, &row.try_get::<String, _>("birth_date")?)?),
    }];
    let members =
        sqlx::query("SELECT national_id_hash, full_name, birth_date FROM household_members WHERE request_id = $1")
            .bind(request_id)
            .fetch_all(db.pool())
            .await?;
    for member in &members {
        people.push(Person {
            national_id_hash: member.try_get("national_id_hash")?,
            name: member.try_get("full_name")?,
            birth_date: day_of(&keys.decrypt_text(MEMBER_BIRTH_DATE, &member.try_get::<String, _>("birth_date")?)?),
        });
    }
    Ok(Some((beneficiary_id, mobile, people)))
}

/// The other accounts' requests that may be about the same people, with why
/// (the strongest reason per request).
async fn matches(db: &Database, request_id: i64) -> StorageResult<BTreeMap<i64, DuplicateReason>> {
    let mut found: BTreeMap<i64, DuplicateReason> = BTreeMap::new();
    // Looked for strongest reason first: a pair keeps the first found.
    let mut add = |other: i64, reason: DuplicateReason| {
        found.entry(other).or_insert(reason);
    };
    let Some((beneficiary_id, mobile, people)) = people_of(db, request_id).await? else { return Ok(BTreeMap::new()) };
    let keys = db.keys()?;
    for person in &people {
        let Some(hash) = person.national_id_hash.as_deref().filter(|hash| !hash.is_empty()) else { continue };
        let others: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM support_requests WHERE national_id_hash = $1 AND beneficiary_id <> $2 \
             UNION SELECT request_id FROM household_members WHERE national_id_hash = $1 AND beneficiary_id <> $2",
        )
        .bind(hash)
        .bind(beneficiary_id)
        .fetch_all(db.pool())
        .await?;
        others.into_iter().for_each(|other| add(other, DuplicateReason::NationalId));
    }
    if let Some(hash) = contact_hash(keys, &mobile) {
        let others: Vec<i64> = sqlx::query_scalar(
            "SELECT r.id FROM support_requests r JOIN beneficiary_accounts a ON a.id = r.beneficiary_id \
             WHERE a.mobile_hash = $1 AND r.beneficiary_id <> $2",
        )
        .bind(hash)
        .bind(beneficiary_id)
        .fetch_all(db.pool())
        .await?;
        others.into_iter().for_each(|other| add(other, DuplicateReason::Mobile));
    }
    for person in &people {
        let key = name_key(&person.name);
        if key.is_empty() || person.birth_date.is_none() {
            continue;
        }
        let facts = PersonFacts { name: person.name.clone(), birth_date: person.birth_date, ..PersonFacts::default() };
        let candidates = sqlx::query(
            "SELECT id AS request_id, full_name, birth_date, 'applicant' AS role FROM support_requests \
               WHERE name_key = $1 AND beneficiary_id <> $2 \
             UNION ALL SELECT request_id, full_name, birth_date, 'member' AS role FROM household_members \
               WHERE name_key = $1 AND beneficiary_id <> $2",
        )
        .bind(&key)
        .bind(beneficiary_id)
        .fetch_all(db.pool())
        .await?;
        for candidate in &candidates {
            let column =
                if candidate.try_get::<String, _>("role")? == "member" { MEMBER_BIRTH_DATE } else { BIRTH_DATE };
            let other = PersonFacts {
                name: candidate.try_get("full_name")?,
                birth_date: day_of(&keys.decrypt_text(column, &candidate.try_get::<String, _>("birth_date")?)?),
                ..PersonFacts::default()
            };
            if let Some(reason) = possibly_same(&facts, &other) {
                add(candidate.try_get("request_id")?, reason);
            }
        }
    }
    found.remove(&request_id);
    Ok(found)
}

/// Looks for the request's possible duplicates and records the new ones;
/// returns how many were new.
pub async fn find_and_record(db: &Database, request_id: RequestId, now: i64) -> StorageResult<usize> {
    let request_id = request_id.get();
    let found = matches(db, request_id).await?;
    let mut recorded = 0;
    for (other, reason) in found {
        let known: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM possible_duplicates WHERE (request_id = $1 AND other_request_id = $2) \
               OR (request_id = $2 AND other_request_id = $1)",
        )
        .bind(request_id)
        .bind(other)
        .fetch_optional(db.pool())
        .await?;
        if known.is_some() {
            continue;
        }
        let inserted = sqlx::query(
            "INSERT INTO possible_duplicates (request_id, other_request_id, reason, status, found_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(request_id.max(other))
        .bind(request_id.min(other))
        .bind(reason.code())
        .bind(DuplicateStatus::Open.code())
        .bind(now)
        .execute(db.pool())
        .await;
        match inserted {
            Ok(_) => recorded += 1,
            // Found at the same moment from the other request.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(recorded)
}

/// A possible duplicate as the case page shows it, from one request's side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PossibleDuplicate {
    pub id: i64,
    pub other_request_id: RequestId,
    pub other_reference: String,
    pub reason: DuplicateReason,
    pub status: DuplicateStatus,
    pub found_at: i64,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
    pub decision_reason: String,
}

/// The request's possible duplicates, open first. Not audited here: the caller
/// records the read.
pub async fn of_request(db: &Database, request_id: RequestId) -> StorageResult<Vec<PossibleDuplicate>> {
    let rows = sqlx::query(
        "SELECT p.id, CASE WHEN p.request_id = $1 THEN p.other_request_id ELSE p.request_id END AS other_id, \
           r.reference, p.reason, p.status, p.found_at, s.display_name, p.decided_at, p.decision_reason \
         FROM possible_duplicates p \
         JOIN support_requests r ON r.id = CASE WHEN p.request_id = $1 THEN p.other_request_id ELSE p.request_id END \
         LEFT JOIN staff_accounts s ON s.id = p.decided_by \
         WHERE p.request_id = $1 OR p.other_request_id = $1 \
         ORDER BY CASE WHEN p.status = 'open' THEN 0 ELSE 1 END, p.id",
    )
    .bind(request_id.get())
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let reason: String = row.try_get("reason")?;
            let status: String = row.try_get("status")?;
            Ok(PossibleDuplicate {
                id: row.try_get("id")?,
                other_request_id: RequestId::new(row.try_get("other_id")?),
                other_reference: row.try_get("reference")?,
                reason: DuplicateReason::from_code(&reason)
                    .ok_or_else(|| crate::casework::invalid_code("duplicate reason", &reason))?,
                status: DuplicateStatus::from_code(&status)
                    .ok_or_else(|| crate::casework::invalid_code("duplicate status", &status))?,
                found_at: row.try_get("found_at")?,
                decided_by_name: row.try_get("display_name")?,
                decided_at: row.try_get("decided_at")?,
                decision_reason: row.try_get("decision_reason")?,
            })
        })
        .collect()
}

/// Records staff's decision on an open possible duplicate of `request_id`:
/// the same person (the files are linked) or not (`reason` says why).
/// `NotFound` for a pair not of this request; `Conflict` once decided.
pub async fn decide(
    db: &Database,
    request_id: RequestId,
    duplicate_id: i64,
    status: DuplicateStatus,
    staff_id: StaffId,
    reason: &str,
    now: i64,
) -> StorageResult<()> {
    let current: Option<String> = sqlx::query_scalar(
        "SELECT status FROM possible_duplicates WHERE id = $1 AND (request_id = $2 OR other_request_id = $2)",
    )
    .bind(duplicate_id)
    .bind(request_id.get())
    .fetch_optional(db.pool())
    .await?;
    match current.as_deref() {
        None => return Err(StorageError::NotFound("possible duplicate".into())),
        Some(code) if code != DuplicateStatus::Open.code() => {
            return Err(StorageError::Conflict("already decided".into()));
        }
        Some(_) => {}
    }
    let changed = sqlx::query(
        "UPDATE possible_duplicates SET status = $1, decided_by = $2, decided_at = $3, decision_reason = $4 \
         WHERE id = $5 AND status = 'open'",
    )
    .bind(status.code())
    .bind(staff_id.get())
    .bind(now)
    .bind(reason)
    .bind(duplicate_id)
    .execute(db.pool())
    .await?
    .rows_affected();
    if changed == 0 { Err(StorageError::Conflict("already decided".into())) } else { Ok(()) }
}

/// Gives requests from before names were keyed their name key, so the finder
/// compares them too (start-up, idempotent). Returns how many it keyed.
pub async fn backfill_name_keys(db: &Database) -> StorageResult<u64> {
    let rows =
        sqlx::query("SELECT id, full_name FROM support_requests WHERE name_key = ''").fetch_all(db.pool()).await?;
    let mut keyed = 0;
    for row in &rows {
        let name: String = row.try_get("full_name")?;
        // An erased request keeps no name, and so no key.
        if name.trim().is_empty() {
            continue;
        }
        sqlx::query("UPDATE support_requests SET name_key = $1 WHERE id = $2")
            .bind(name_key(&name))
            .bind(row.try_get::<i64, _>("id")?)
            .execute(db.pool())
            .await?;
        keyed += 1;
    }
    Ok(keyed)
}
