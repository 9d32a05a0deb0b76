//! A request's household members (issue 15): written with the request, read
//! with its case file. Birth dates and national IDs are encrypted (B11); an
//! ID's lookup hash is the applicant's, so one person is found in either role.

use awn_domain::{
    duplicates::name_key,
    ids::{MemberId, RequestId},
    requests::{HouseholdMember, Relation},
};
use sqlx::Row;

use crate::{
    Database, StorageResult,
    crypto::{Keyring, MEMBER_BIRTH_DATE, MEMBER_NATIONAL_ID, national_id_hash},
};

/// A member as staff see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRecord {
    pub id: MemberId,
    pub position: i64,
    pub full_name: String,
    pub relation: Relation,
    /// YYYY-MM-DD, Gregorian.
    pub birth_date: String,
    pub national_id: Option<String>,
    pub has_income: bool,
}

/// Writes the members of a request being submitted, in its transaction.
pub async fn insert_in(
    connection: &mut sqlx::AnyConnection,
    keys: &Keyring,
    request_id: i64,
    beneficiary_id: i64,
    members: &[HouseholdMember],
) -> StorageResult<()> {
    for (position, member) in members.iter().enumerate() {
        let position = i64::try_from(position).unwrap_or(i64::MAX);
        insert_one(&mut *connection, keys, request_id, beneficiary_id, position, member).await?;
    }
    Ok(())
}

async fn insert_one(
    connection: &mut sqlx::AnyConnection,
    keys: &Keyring,
    request_id: i64,
    beneficiary_id: i64,
    position: i64,
    member: &HouseholdMember,
) -> StorageResult<()> {
    let birth = member.birth_date;
    let id = member.national_id.as_ref().map(|id| id.as_str());
    sqlx::query(
        "INSERT INTO household_members (request_id, beneficiary_id, position, full_name, name_key, relation, \
           birth_date, national_id, national_id_hash, has_income) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(request_id)
    .bind(beneficiary_id)
    .bind(position)
    .bind(&member.full_name)
    .bind(name_key(&member.full_name))
    .bind(member.relation.code())
    .bind(keys.encrypt_text(MEMBER_BIRTH_DATE, &birth.iso()))
    .bind(id.map(|id| keys.encrypt_text(MEMBER_NATIONAL_ID, id)))
    .bind(id.and_then(|id| national_id_hash(keys, id)))
    .bind(i64::from(member.has_income))
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// The members of a request, in the order listed. Not audited here: the caller
/// reads them as part of an audited read.
pub async fn of_request(db: &Database, request_id: RequestId) -> StorageResult<Vec<MemberRecord>> {
    let rows = sqlx::query(
        "SELECT id, position, full_name, relation, birth_date, national_id, has_income FROM household_members \
         WHERE request_id = $1 ORDER BY position",
    )
    .bind(request_id.get())
    .fetch_all(db.pool())
    .await?;
    let keys = db.keys()?;
    rows.iter()
        .map(|row| {
            let relation: String = row.try_get("relation")?;
            Ok(MemberRecord {
                id: MemberId::new(row.try_get("id")?),
                position: row.try_get("position")?,
                full_name: row.try_get("full_name")?,
                relation: Relation::from_code(&relation)
                    .ok_or_else(|| crate::casework::invalid_code("relation", &relation))?,
                birth_date: keys.decrypt_text(MEMBER_BIRTH_DATE, &row.try_get::<String, _>("birth_date")?)?,
                national_id: keys.decrypt_optional(MEMBER_NATIONAL_ID, row.try_get("national_id")?)?,
                has_income: row.try_get::<i64, _>("has_income")? != 0,
            })
        })
        .collect()
}

/// Removes the members of an erased request (the request itself is anonymised).
pub async fn erase_in(connection: &mut sqlx::AnyConnection, request_id: i64) -> StorageResult<()> {
    sqlx::query("DELETE FROM household_members WHERE request_id = $1")
        .bind(request_id)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// What became of a change to one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberChange {
    Done,
    /// No such request, or no such member of it.
    NotFound,
    /// The household already lists as many members as its size given allows.
    Full,
}

/// Adds a member after the ones listed, at most `max_members` in all. A
/// household grows (a child is born): when the list outgrows the size given
/// with the request, the size follows it (the applicant being one).
pub async fn add(
    db: &Database,
    request_id: RequestId,
    member: &HouseholdMember,
    max_members: usize,
) -> StorageResult<MemberChange> {
    let keys = db.keys()?;
    let mut tx = db.begin_write().await?;
    let Some(beneficiary_id) =
        sqlx::query_scalar::<_, i64>("SELECT beneficiary_id FROM support_requests WHERE id = $1")
            .bind(request_id.get())
            .fetch_optional(&mut *tx)
            .await?
    else {
        return Ok(MemberChange::NotFound);
    };
    let (count, last): (i64, Option<i64>) = {
        let row = sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS listed, MAX(position) AS last FROM household_members \
             WHERE request_id = $1",
        )
        .bind(request_id.get())
        .fetch_one(&mut *tx)
        .await?;
        (row.try_get("listed")?, row.try_get("last")?)
    };
    if usize::try_from(count).unwrap_or(usize::MAX) >= max_members {
        return Ok(MemberChange::Full);
    }
    let position = last.map_or(0, |last| last.saturating_add(1));
    insert_one(&mut tx, keys, request_id.get(), beneficiary_id, position, member).await?;
    let people = count.saturating_add(2);
    sqlx::query("UPDATE support_requests SET household_members = $1 WHERE id = $2 AND household_members < $1")
        .bind(people)
        .bind(request_id.get())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(MemberChange::Done)
}

/// Replaces what is known of one member of the request (a correction).
pub async fn correct(
    db: &Database,
    request_id: RequestId,
    member_id: MemberId,
    member: &HouseholdMember,
) -> StorageResult<MemberChange> {
    let keys = db.keys()?;
    let birth = member.birth_date;
    let id = member.national_id.as_ref().map(|id| id.as_str());
    let updated = sqlx::query(
        "UPDATE household_members SET full_name = $1, name_key = $2, relation = $3, birth_date = $4, \
           national_id = $5, national_id_hash = $6, has_income = $7 WHERE id = $8 AND request_id = $9",
    )
    .bind(&member.full_name)
    .bind(name_key(&member.full_name))
    .bind(member.relation.code())
    .bind(keys.encrypt_text(MEMBER_BIRTH_DATE, &birth.iso()))
    .bind(id.map(|id| keys.encrypt_text(MEMBER_NATIONAL_ID, id)))
    .bind(id.and_then(|id| national_id_hash(keys, id)))
    .bind(i64::from(member.has_income))
    .bind(member_id.get())
    .bind(request_id.get())
    .execute(db.pool())
    .await?;
    Ok(if updated.rows_affected() == 0 { MemberChange::NotFound } else { MemberChange::Done })
}

/// Removes one member of the request.
pub async fn remove(db: &Database, request_id: RequestId, member_id: MemberId) -> StorageResult<MemberChange> {
    let removed = sqlx::query("DELETE FROM household_members WHERE id = $1 AND request_id = $2")
        .bind(member_id.get())
        .bind(request_id.get())
        .execute(db.pool())
        .await?;
    Ok(if removed.rows_affected() == 0 { MemberChange::NotFound } else { MemberChange::Done })
}
