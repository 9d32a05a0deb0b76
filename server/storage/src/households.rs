//! A request's household members (issue 15): written with the request, read
//! with its case file. Birth dates and national IDs are encrypted (B11); an
//! ID's lookup hash is the applicant's, so one person is found in either role.

use awn_domain::{
    duplicates::name_key,
    ids::RequestId,
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
        let birth = member.birth_date;
        let id = member.national_id.as_ref().map(|id| id.as_str());
        sqlx::query(
            "INSERT INTO household_members (request_id, beneficiary_id, position, full_name, name_key, relation, \
               birth_date, national_id, national_id_hash, has_income) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(request_id)
        .bind(beneficiary_id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(&member.full_name)
        .bind(name_key(&member.full_name))
        .bind(member.relation.code())
        .bind(keys.encrypt_text(MEMBER_BIRTH_DATE, &birth.iso()))
        .bind(id.map(|id| keys.encrypt_text(MEMBER_NATIONAL_ID, id)))
        .bind(id.and_then(|id| national_id_hash(keys, id)))
        .bind(i64::from(member.has_income))
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}

/// The members of a request, in the order listed. Not audited here: the caller
/// reads them as part of an audited read.
pub async fn of_request(db: &Database, request_id: RequestId) -> StorageResult<Vec<MemberRecord>> {
    let rows = sqlx::query(
        "SELECT position, full_name, relation, birth_date, national_id, has_income FROM household_members \
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
