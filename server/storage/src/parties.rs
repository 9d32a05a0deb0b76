//! The supporters' and members' registers (issue 15). Contact and identity
//! fields are encrypted at rest like a beneficiary's (B11); the application
//! layer audits every read of them.

use awn_domain::consent::ConsentKind;
use awn_domain::{
    calendar::CalendarDay,
    parties::{
        Contribution, ContributionChannel, ContributionKind, Member, MemberStatus, Supporter, SupporterKind,
        member_may_move,
    },
};
use sqlx::Row;

use crate::consent::{ConsentChange, ConsentHolder};
use crate::{Database, Page, PageRequest, StorageError, StorageResult, page_of, page_window};

fn code<T>(row: &sqlx::any::AnyRow, column: &str, from_code: impl Fn(&str) -> Option<T>) -> StorageResult<T> {
    let text: String = row.try_get(column)?;
    from_code(&text).ok_or_else(|| StorageError::Invalid(format!("{column} `{text}`")))
}

/// A supporter as the register lists them, with their contributions' count and total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupporterRow {
    pub id: i64,
    pub kind: SupporterKind,
    pub name: String,
    pub anonymous: bool,
    /// News by SMS or by email in force in the consent register (B9).
    pub consent_news: bool,
    pub contributions: i64,
    pub total_halalas: i64,
}

/// A supporter's record: their contacts and contributions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupporterFile {
    pub supporter: SupporterRow,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub contributions: Vec<StoredContribution>,
    /// Their entries in the consent register, newest first.
    pub consents: Vec<crate::consent::ConsentEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredContribution {
    pub id: i64,
    pub kind: ContributionKind,
    pub amount_halalas: Option<i64>,
    pub received_on: String,
    pub purpose: String,
    pub channel: ContributionChannel,
    pub receipt_number: String,
}

/// Records a supporter; returns their id. Their consent to news, given to
/// staff, is registered in the same transaction: by SMS, and by email when
/// they gave an address.
pub async fn add_supporter(db: &Database, supporter: &Supporter, staff_id: i64, now: i64) -> StorageResult<i64> {
    let keys = db.keys()?;
    let mobile = supporter.mobile.as_ref().map(|m| m.as_e164().to_owned());
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO supporters (kind, name, mobile, mobile_hash, email, anonymous, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(supporter.kind.code())
    .bind(&supporter.name)
    .bind(mobile.as_deref().map(|m| keys.encrypt_text(crate::crypto::SUPPORTER_MOBILE, m)))
    .bind(mobile.as_deref().and_then(|m| crate::crypto::contact_hash(keys, m)))
    .bind(supporter.email.as_deref().map(|e| keys.encrypt_text(crate::crypto::SUPPORTER_EMAIL, e)))
    .bind(i64::from(supporter.anonymous))
    .bind(staff_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    if supporter.consent_news {
        let mut kinds = vec![ConsentKind::NewsBySms];
        if supporter.email.is_some() {
            kinds.push(ConsentKind::NewsByEmail);
        }
        for kind in kinds {
            let change = ConsentChange {
                holder: ConsentHolder::Supporter(id),
                kind,
                party: "",
                granted: true,
                method: crate::consent::BY_STAFF_ON_REQUEST,
                document_id: None,
                recorded_by: Some(staff_id),
            };
            crate::consent::change_in(&mut tx, keys, &change, "", now).await?;
        }
    }
    tx.commit().await?;
    Ok(id)
}

const SUPPORTER_COLUMNS: &str = "s.id, s.kind, s.name, s.anonymous, \
    CAST(CASE WHEN EXISTS (SELECT 1 FROM consents n WHERE n.supporter_id = s.id \
      AND n.kind IN ('news_sms', 'news_email') AND n.party = '' AND n.granted = 1 \
      AND n.id = (SELECT MAX(x.id) FROM consents x WHERE x.supporter_id = s.id AND x.kind = n.kind AND x.party = '')) \
      THEN 1 ELSE 0 END AS BIGINT) AS consent_news, \
    (SELECT COUNT(*) FROM contributions c WHERE c.supporter_id = s.id) AS contributions, \
    (SELECT CAST(COALESCE(SUM(c.amount_halalas), 0) AS BIGINT) FROM contributions c WHERE c.supporter_id = s.id) AS total";

fn supporter_row(row: &sqlx::any::AnyRow) -> StorageResult<SupporterRow> {
    Ok(SupporterRow {
        id: row.try_get("id")?,
        kind: code(row, "kind", SupporterKind::from_code)?,
        name: row.try_get("name")?,
        anonymous: row.try_get::<i64, _>("anonymous")? != 0,
        consent_news: row.try_get::<i64, _>("consent_news")? != 0,
        contributions: row.try_get("contributions")?,
        total_halalas: row.try_get("total")?,
    })
}

/// A page of the register, newest first, with the total.
pub async fn supporters(db: &Database, request: PageRequest) -> StorageResult<Page<SupporterRow>> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM supporters").fetch_one(db.pool()).await?;
    let (request, limit, offset) = page_window(request, total);
    let rows =
        sqlx::query(&format!("SELECT {SUPPORTER_COLUMNS} FROM supporters s ORDER BY s.id DESC LIMIT $1 OFFSET $2"))
            .bind(limit)
            .bind(offset)
            .fetch_all(db.pool())
            .await?;
    Ok(page_of(rows.iter().map(supporter_row).collect::<StorageResult<Vec<_>>>()?, total, request))
}

/// One supporter's record, contacts decrypted; `None` for an unknown id.
pub async fn supporter_file(db: &Database, id: i64) -> StorageResult<Option<SupporterFile>> {
    let row = sqlx::query(&format!("SELECT {SUPPORTER_COLUMNS}, s.mobile, s.email FROM supporters s WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let keys = db.keys()?;
    let contributions = sqlx::query(
        "SELECT id, kind, amount_halalas, received_on, purpose, channel, receipt_number FROM contributions \
         WHERE supporter_id = $1 ORDER BY received_on DESC, id DESC",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|c| {
        Ok(StoredContribution {
            id: c.try_get("id")?,
            kind: code(c, "kind", ContributionKind::from_code)?,
            amount_halalas: c.try_get("amount_halalas")?,
            received_on: c.try_get("received_on")?,
            purpose: c.try_get("purpose")?,
            channel: code(c, "channel", ContributionChannel::from_code)?,
            receipt_number: c.try_get("receipt_number")?,
        })
    })
    .collect::<StorageResult<Vec<_>>>()?;
    Ok(Some(SupporterFile {
        supporter: supporter_row(&row)?,
        mobile: keys.decrypt_optional(crate::crypto::SUPPORTER_MOBILE, row.try_get("mobile")?)?,
        email: keys.decrypt_optional(crate::crypto::SUPPORTER_EMAIL, row.try_get("email")?)?,
        contributions,
        consents: crate::consent::register(db, ConsentHolder::Supporter(id)).await?,
    }))
}

/// Records a contribution of a supporter; [`StorageError::NotFound`] for an unknown supporter.
pub async fn add_contribution(
    db: &Database,
    supporter_id: i64,
    contribution: &Contribution,
    staff_id: i64,
    now: i64,
) -> StorageResult<i64> {
    let mut tx = db.begin_write().await?;
    let known: Option<i64> = sqlx::query_scalar("SELECT id FROM supporters WHERE id = $1")
        .bind(supporter_id)
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_none() {
        return Err(StorageError::NotFound(format!("no supporter {supporter_id}")));
    }
    let id = sqlx::query_scalar(
        "INSERT INTO contributions (supporter_id, kind, amount_halalas, received_on, purpose, channel, receipt_number, \
           recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(supporter_id)
    .bind(contribution.kind.code())
    .bind(contribution.amount_halalas)
    .bind(contribution.received_on.iso())
    .bind(&contribution.purpose)
    .bind(contribution.channel.code())
    .bind(&contribution.receipt_number)
    .bind(staff_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Contributions and the supporters who gave, by month (YYYY-MM of the day
/// received, from `from` and before `to` when given, as YYYY-MM-DD): (month,
/// contributions, distinct supporters, total halalas). Anonymous supporters
/// are counted like the others; no name is returned.
pub async fn contributions_by_month(
    db: &Database,
    from: Option<&str>,
    to: Option<&str>,
) -> StorageResult<Vec<(String, i64, i64, i64)>> {
    let rows = sqlx::query(
        "SELECT supporter_id, received_on, amount_halalas FROM contributions \
         WHERE received_on >= $1 AND received_on < $2 ORDER BY received_on",
    )
    .bind(from.unwrap_or("0000-00-00"))
    .bind(to.unwrap_or("9999-99-99"))
    .fetch_all(db.pool())
    .await?;
    let mut months: Vec<(String, i64, Vec<i64>, i64)> = Vec::new();
    for row in &rows {
        let day: String = row.try_get("received_on")?;
        let month: String = day.chars().take(7).collect();
        let supporter: i64 = row.try_get("supporter_id")?;
        let amount: Option<i64> = row.try_get("amount_halalas")?;
        if months.last().is_none_or(|(last, ..)| *last != month) {
            months.push((month, 0, Vec::new(), 0));
        }
        if let Some((_, count, supporters, total)) = months.last_mut() {
            *count += 1;
            if !supporters.contains(&supporter) {
                supporters.push(supporter);
            }
            *total += amount.unwrap_or(0);
        }
    }
    Ok(months
        .into_iter()
        .map(|(month, count, supporters, total)| (month, count, supporters.len() as i64, total))
        .collect())
}

/// A member as the register lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub id: i64,
    pub membership_number: String,
    pub full_name: String,
    pub status: MemberStatus,
    pub joined_on: String,
    pub left_on: Option<String>,
}

/// A member's record: identity and contact decrypted, and every status they had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberFile {
    pub member: MemberRow,
    pub national_id: Option<String>,
    pub mobile: Option<String>,
    /// (status, reason, when), oldest first.
    pub history: Vec<(MemberStatus, String, i64)>,
}

/// Records a member, active from the day they joined; [`StorageError::Conflict`]
/// when the membership number is taken.
pub async fn add_member(db: &Database, member: &Member, staff_id: i64, now: i64) -> StorageResult<i64> {
    let keys = db.keys()?;
    let national_id = member.national_id.as_ref().map(|id| id.as_str().to_owned());
    let mobile = member.mobile.as_ref().map(|m| m.as_e164().to_owned());
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO members (membership_number, full_name, national_id, national_id_hash, mobile, mobile_hash, status, \
           joined_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(&member.membership_number)
    .bind(&member.full_name)
    .bind(national_id.as_deref().map(|n| keys.encrypt_text(crate::crypto::MEMBERSHIP_NATIONAL_ID, n)))
    .bind(national_id.as_deref().and_then(|n| crate::crypto::national_id_hash(keys, n)))
    .bind(mobile.as_deref().map(|m| keys.encrypt_text(crate::crypto::MEMBERSHIP_MOBILE, m)))
    .bind(mobile.as_deref().and_then(|m| crate::crypto::contact_hash(keys, m)))
    .bind(MemberStatus::Active.code())
    .bind(member.joined_on.iso())
    .bind(staff_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|error| StorageError::conflict_on_unique(error, "membership number"))?;
    insert_status(&mut tx, id, MemberStatus::Active, "", staff_id, now).await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert_status(
    tx: &mut sqlx::AnyConnection,
    member_id: i64,
    status: MemberStatus,
    reason: &str,
    staff_id: i64,
    now: i64,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO member_status_history (member_id, status, reason, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(member_id)
    .bind(status.code())
    .bind(reason.trim())
    .bind(staff_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Moves a member to `status` on `day` for `reason`, kept in their history;
/// leaving sets the leaving day, rejoining clears it. `Ok(false)` when the
/// member already has that status; [`StorageError::NotFound`] for an unknown one.
pub async fn set_member_status(
    db: &Database,
    member_id: i64,
    status: MemberStatus,
    day: CalendarDay,
    reason: &str,
    staff_id: i64,
    now: i64,
) -> StorageResult<bool> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query("SELECT status FROM members WHERE id = $1").bind(member_id).fetch_optional(&mut *tx).await?;
    let Some(row) = row else { return Err(StorageError::NotFound(format!("no member {member_id}"))) };
    let from = code(&row, "status", MemberStatus::from_code)?;
    if !member_may_move(from, status) {
        return Ok(false);
    }
    let left_on = (status == MemberStatus::Left).then(|| day.iso());
    sqlx::query("UPDATE members SET status = $1, left_on = $2 WHERE id = $3 AND status = $4")
        .bind(status.code())
        .bind(left_on)
        .bind(member_id)
        .bind(from.code())
        .execute(&mut *tx)
        .await?;
    insert_status(&mut tx, member_id, status, reason, staff_id, now).await?;
    tx.commit().await?;
    Ok(true)
}

fn member_row(row: &sqlx::any::AnyRow) -> StorageResult<MemberRow> {
    Ok(MemberRow {
        id: row.try_get("id")?,
        membership_number: row.try_get("membership_number")?,
        full_name: row.try_get("full_name")?,
        status: code(row, "status", MemberStatus::from_code)?,
        joined_on: row.try_get("joined_on")?,
        left_on: row.try_get("left_on")?,
    })
}

const MEMBER_COLUMNS: &str = "id, membership_number, full_name, status, joined_on, left_on";

/// A page of the member register, by membership number, with the total.
pub async fn members(db: &Database, request: PageRequest) -> StorageResult<Page<MemberRow>> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members").fetch_one(db.pool()).await?;
    let (request, limit, offset) = page_window(request, total);
    let rows =
        sqlx::query(&format!("SELECT {MEMBER_COLUMNS} FROM members ORDER BY membership_number, id LIMIT $1 OFFSET $2"))
            .bind(limit)
            .bind(offset)
            .fetch_all(db.pool())
            .await?;
    Ok(page_of(rows.iter().map(member_row).collect::<StorageResult<Vec<_>>>()?, total, request))
}

/// One member's record; `None` for an unknown id.
pub async fn member_file(db: &Database, id: i64) -> StorageResult<Option<MemberFile>> {
    let row = sqlx::query(&format!("SELECT {MEMBER_COLUMNS}, national_id, mobile FROM members WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let keys = db.keys()?;
    let history =
        sqlx::query("SELECT status, reason, changed_at FROM member_status_history WHERE member_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(db.pool())
            .await?
            .iter()
            .map(|h| Ok((code(h, "status", MemberStatus::from_code)?, h.try_get("reason")?, h.try_get("changed_at")?)))
            .collect::<StorageResult<Vec<_>>>()?;
    Ok(Some(MemberFile {
        member: member_row(&row)?,
        national_id: keys.decrypt_optional(crate::crypto::MEMBERSHIP_NATIONAL_ID, row.try_get("national_id")?)?,
        mobile: keys.decrypt_optional(crate::crypto::MEMBERSHIP_MOBILE, row.try_get("mobile")?)?,
        history,
    }))
}
